"""Training the confidence model (``python -m bot train-confidence``).

Each question tuned on is one example: the signals (``answers.SIGNALS``) of the engine's first
decision on it, about the whole message (or, for a later turn of a conversation, about the
message read with the one before), labelled yes when answering its best match would have been
right. The later decisions a message can lead to (one of several questions it asks) are left
out: labelled by the whole message's entries, they taught the model less (left-one-set-out, 0.1
to 0.2 points less answered right and 0.2 more wrong). The engine runs on its rules alone
meanwhile, so the model it ships with does not shape its own training data. The newest held-out
set is never trained on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.core.answers import SIGNALS, AnswerEngine
from bot.core.boosting import BoostedTrees, fit
from bot.core.conversation import Conversation
from bot.quality import QuestionSet

_PARTIAL, _GIVES = SIGNALS.index("partial"), SIGNALS.index("gives")


@dataclass(frozen=True)
class Examples:
    rows: list[tuple[float, ...]]
    labels: list[bool]


def examples(engine: AnswerEngine, question_sets: Iterable[QuestionSet]) -> Examples:
    """The labelled decisions of the engine (on its rules alone) over these sets.

    Answerable: right when the best match is one of the question's entries. Off-topic: never
    right. Near-topic: right only when the reply would say what the article does not tell (a
    partial entry, or an answer without the kind asked for), never an answer."""
    found = Examples([], [])
    seen: list[tuple[str, tuple[float, ...]]] = []
    rules = replace(engine, confidence=None, observe=lambda key, signals: seen.append(
        (key, signals)))

    def label(right: Callable[[str, tuple[float, ...]], bool]) -> None:
        if seen:  # a message with no word the knowledge base knows leads to no decision
            key, signals = seen[0]
            found.rows.append(signals)
            found.labels.append(right(key, signals))
        seen.clear()

    for questions in question_sets:
        for item in questions.answerable:
            rules.answer(item.question)
            label(lambda key, _, ids=item.ids: key in ids)
        for question in questions.off_topic:
            rules.answer(question)
            label(lambda _key, _signals: False)
        for question in questions.near_topic:
            rules.answer(question)
            label(lambda _, signals: bool(signals[_PARTIAL] or not signals[_GIVES]))
        for turns in questions.conversations:
            conversation = Conversation(rules)
            for turn in turns:
                conversation.ask(turn.question)
                label(lambda key, _, ids=turn.ids: key in ids)
    return found


def train(engine: AnswerEngine, question_sets: Iterable[QuestionSet], out: Path
          ) -> tuple[BoostedTrees, Examples]:
    """Train on the sets' decisions and write the model to ``out`` (atomically)."""
    data = examples(engine, question_sets)
    model = fit(data.rows, data.labels, SIGNALS)
    temporary = out.with_suffix(".tmp")
    temporary.write_text(model.to_json() + "\n", encoding="utf-8")
    temporary.replace(out)
    return model, data
