"""The per-person flood limit."""

from __future__ import annotations

from bot.core.cooldown import Cooldown


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_allows_n_per_window_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limit = Cooldown(2, 10, clock)
    assert limit.hit("ann") is None
    clock.now = 4
    assert limit.hit("ann") is None
    clock.now = 5
    assert limit.hit("ann") == 5  # the first question leaves the window at t=10
    clock.now = 10
    assert limit.hit("ann") is None


def test_is_per_person_and_off_at_zero_seconds() -> None:
    limit = Cooldown(1, 10, Clock())
    assert limit.hit("ann") is None
    assert limit.hit("bob") is None
    assert limit.hit("ann") is not None
    off = Cooldown(1, 0, Clock())
    assert all(off.hit("ann") is None for _ in range(100))


def test_a_flood_is_refused_out_loud_once_per_window() -> None:
    clock = Clock()
    limit = Cooldown(1, 10, clock)
    limit.hit("ann")
    waits = [limit.hit("ann") for _ in range(3)]
    assert [limit.first_refusal("ann", w) for w in waits] == [True, False, False]
    clock.now = 11
    limit.hit("ann")
    assert limit.first_refusal("ann", limit.hit("ann")) is True
