"""The independent dev set (tests/data/questions.yaml) against the real knowledge base."""

from pathlib import Path

import pytest
import yaml

from bot.core.answers import AnswerEngine
from bot.core.knowledge import KnowledgeBase

DEVSET = Path(__file__).resolve().parents[1] / "data" / "questions.yaml"
ANSWERED_BAR = 0.95  # share of `answerable` answered with the expected entry
REFUSED_BAR = 0.95  # share of `refuse` not answered


@pytest.fixture(scope="module")
def devset() -> dict:
    return yaml.safe_load(DEVSET.read_text(encoding="utf-8"))


def test_devset_has_both_parts(devset: dict) -> None:
    assert len(devset["answerable"]) >= 100
    assert len(devset["refuse"]) >= 30


def test_every_devset_id_exists(devset: dict, kb: KnowledgeBase) -> None:
    missing = sorted({item["id"] for item in devset["answerable"]} - set(kb.by_id))
    assert missing == []


def test_answerable_questions_get_the_right_entry(devset: dict, engine: AnswerEngine) -> None:
    misses = []
    for item in devset["answerable"]:
        answer = engine.answer(item["q"])
        got = answer.entry.id if answer.entry else answer.decision.value
        if not (answer.answered and got == item["id"]):
            misses.append(f"  {item['q']!r}: expected {item['id']}, got {got} "
                          f"(score {answer.score})")
    share = 1 - len(misses) / len(devset["answerable"])
    assert share >= ANSWERED_BAR, (
        f"top-1 accuracy {share:.3f} < {ANSWERED_BAR}; {len(misses)} misses:\n"
        + "\n".join(misses))


def test_refuse_questions_are_not_answered(devset: dict, engine: AnswerEngine) -> None:
    answered = []
    for question in devset["refuse"]:
        answer = engine.answer(question)
        if answer.answered:
            got = answer.entry.id if answer.entry else answer.decision.value
            answered.append(f"  {question!r}: expected no answer, got {got} "
                            f"(score {answer.score})")
    share = 1 - len(answered) / len(devset["refuse"])
    assert share >= REFUSED_BAR, (
        f"refusal rate {share:.3f} < {REFUSED_BAR}; {len(answered)} answered:\n"
        + "\n".join(answered))
