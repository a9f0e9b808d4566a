"""A per-person rate limit: at most N questions in a sliding window of T seconds."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable


class Cooldown:
    """Counts recent events per key; ``hit`` says how long to wait when over the limit."""

    def __init__(self, events: int, seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.events = events
        self.seconds = seconds
        self.clock = clock
        self._recent: dict[Hashable, deque[float]] = {}
        self._warned_until: dict[Hashable, float] = {}

    def hit(self, key: Hashable) -> float | None:
        """Count one event for ``key``: None when allowed, else seconds until it would be."""
        if self.seconds <= 0:
            return None
        now = self.clock()
        recent = self._recent.setdefault(key, deque())
        while recent and now - recent[0] >= self.seconds:
            recent.popleft()
        if len(recent) >= self.events:
            return self.seconds - (now - recent[0])
        recent.append(now)
        if len(self._recent) > 10_000:  # forget idle people so memory stays bounded
            self._recent = {k: v for k, v in self._recent.items()
                            if v and now - v[-1] < self.seconds}
            self._warned_until = {k: t for k, t in self._warned_until.items() if t > now}
        return None

    def first_refusal(self, key: Hashable, wait: float) -> bool:
        """True the first time ``key`` is refused while over the limit, so a flood gets one
        "slow down" note, not one per message."""
        now = self.clock()
        if self._warned_until.get(key, float("-inf")) > now:
            return False
        self._warned_until[key] = now + wait
        return True
