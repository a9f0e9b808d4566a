"""Answer quality on the labelled question sets (tests/data), as regression guards.

The bars sit a little under the figures measured when they were set (``python -m bot bench``
prints them): a change that makes answers worse fails here. The held-out set is not used in
tests, so that nothing is tuned against it.
"""

from pathlib import Path

import pytest

from bot.core.answers import AnswerEngine
from bot.core.knowledge import KnowledgeBase
from bot.quality import Quality, QuestionSet, evaluate, load_question_set

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module", params=["questions", "tuning"])
def question_set(request: pytest.FixtureRequest) -> QuestionSet:
    return load_question_set(DATA / f"{request.param}.yaml")


@pytest.fixture(scope="module")
def tuning(engine: AnswerEngine) -> Quality:
    return evaluate(engine, load_question_set(DATA / "tuning.yaml"))


@pytest.fixture(scope="module")
def dev(engine: AnswerEngine) -> Quality:
    return evaluate(engine, load_question_set(DATA / "questions.yaml"))


def test_every_label_is_an_entry(question_set: QuestionSet, kb: KnowledgeBase) -> None:
    labels = {i for item in question_set.answerable for i in item.ids} | {
        i for turns in question_set.conversations for turn in turns for i in turn.ids}
    assert labels - set(kb.by_id) == set()
    assert all(item.ids for item in question_set.answerable)


def test_the_tuning_set_is_big_enough() -> None:
    tuning = load_question_set(DATA / "tuning.yaml")
    assert len(tuning.answerable) >= 400
    assert len(tuning.off_topic) >= 70 and len(tuning.near_topic) >= 70
    assert len(tuning.conversations) >= 40


@pytest.mark.parametrize(("figure", "bar"), [
    ("right_first", 0.90), ("answered_right", 0.81), ("off_topic_refused", 0.97),
    ("near_topic_refused", 0.95), ("autocomplete_first", 0.72), ("follow_ups_right", 0.62),
])
def test_tuning_set_at_least(tuning: Quality, figure: str, bar: float) -> None:
    assert getattr(tuning, figure) >= bar, "\n".join(tuning.misses)


def test_tuning_set_wrong_answers_at_most(tuning: Quality) -> None:
    assert tuning.wrong <= 0.03, "\n".join(m for m in tuning.misses if m.startswith("wrong"))


@pytest.mark.parametrize(("figure", "bar"), [
    ("right_first", 0.94), ("answered_right", 0.92), ("near_topic_refused", 0.92),
])
def test_dev_set_at_least(dev: Quality, figure: str, bar: float) -> None:
    assert getattr(dev, figure) >= bar, "\n".join(dev.misses)
