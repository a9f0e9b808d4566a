"""One person's conversation: their last answered question, so a follow-up can lean on it.

"when did the khmer rouge lose power" then "who drove them out?" is read as one question
about the Khmer Rouge. The last question counts for ``FOLLOW_UP_SECONDS``; after that a
follow-up stands alone (and is not answered as if we knew who "them" is).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from bot.core.answers import Answer, AnswerEngine, Decision

FOLLOW_UP_SECONDS = 600.0
MAX_CONVERSATIONS = 10_000


class Conversation:
    """The questions of one person in one place (a channel, a thread, a DM, a terminal)."""

    def __init__(self, engine: AnswerEngine | Callable[[], AnswerEngine],
                 clock: Callable[[], float] = time.monotonic,
                 window: float = FOLLOW_UP_SECONDS) -> None:
        self._engine = engine
        self._clock = clock
        self._window = window
        self._last: Answer | None = None
        self._at = 0.0
        self._refused: tuple[str, float] | None = None
        # Set by ``ask`` when its answer reached an entry right after a question that got none:
        # that question is probably another way of asking the entry (see ``suggestions``).
        self.rephrased: str | None = None

    def previous(self) -> Answer | None:
        """The last answered question, while it is recent enough to follow up."""
        if self._last is not None and self._clock() - self._at <= self._window:
            return self._last
        return None

    def ask(self, question: str) -> Answer:
        engine = self._engine if isinstance(self._engine, AnswerEngine) else self._engine()
        answer = engine.answer(question, self.previous())
        now = self._clock()
        refused, self._refused, self.rephrased = self._refused, None, None
        if answer.decision in (Decision.DID_YOU_MEAN, Decision.NOT_COVERED):
            self._refused = (answer.question, now)
        elif (answer.answered and answer.entry is not None and refused is not None
              and now - refused[1] <= self._window and refused[0] != answer.question):
            self.rephrased = refused[0]
        self.remember(answer)
        return answer

    def remember(self, answer: Answer) -> None:
        """Keep an answer as what the next question may follow up (only one that answered,
        fully or in part: a rephrased retry should still lean on the last real answer)."""
        if answer.answered or answer.partial:
            self._last, self._at = answer, self._clock()


class Conversations:
    """Every person's conversation, by a key such as (user, channel); the least recently
    used are forgotten past ``limit``, so memory stays bounded."""

    def __init__(self, engine: Callable[[], AnswerEngine],
                 clock: Callable[[], float] = time.monotonic, limit: int = MAX_CONVERSATIONS,
                 window: float = FOLLOW_UP_SECONDS) -> None:
        self._engine = engine
        self._clock = clock
        self._limit = limit
        self._window = window
        self._by_key: OrderedDict[Hashable, Conversation] = OrderedDict()

    def get(self, key: Hashable) -> Conversation:
        conversation = self._by_key.get(key)
        if conversation is None:
            conversation = Conversation(self._engine, self._clock, self._window)
            self._by_key[key] = conversation
            while len(self._by_key) > self._limit:
                self._by_key.popitem(last=False)
        else:
            self._by_key.move_to_end(key)
        return conversation

    def ask(self, key: Hashable, question: str) -> Answer:
        return self.get(key).ask(question)
