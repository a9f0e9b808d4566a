"""The confidence model's part in the decision (``Thresholds.decided``), the shipped model,
and its training (``bot.training``)."""

from dataclasses import replace
from pathlib import Path

import pytest

from bot.core import answers, engine_cache
from bot.core.answers import SIGNALS, AnswerEngine, Decision, Thresholds
from bot.core.boosting import BoostedTrees
from bot.quality import Labelled, QuestionSet
from bot.training import examples, train


def _always(chance: float) -> BoostedTrees:
    """A model without trees: it gives every match the same chance."""
    return BoostedTrees(SIGNALS, {0.0: -50.0, 1.0: 50.0}.get(chance, 0.0), ())


def test_the_bot_ships_a_model_of_the_signals_it_computes(engine: AnswerEngine) -> None:
    assert engine.confidence is not None and engine.confidence.signals == SIGNALS
    chance = engine.chance("who sent the cable?", engine.candidates("who sent the cable?", 2))
    assert chance is not None and chance >= Thresholds().likely_at
    assert replace(engine, confidence=None).chance("who sent the cable?", []) is None


@pytest.mark.parametrize("content", [None, "{not json", '{"signals": ["other"], "base": 0, '
                                     '"trees": []}'])
def test_without_a_usable_model_the_rules_alone_decide(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None) -> None:
    """A missing, damaged or outdated model file never stops the bot answering."""
    model = tmp_path / "confidence.json"
    if content is not None:
        model.write_text(content, encoding="utf-8")
    monkeypatch.setattr(answers, "CONFIDENCE_FILE", model)
    answers.confidence_model.cache_clear()
    try:
        assert answers.confidence_model() is None
    finally:
        monkeypatch.undo()
        answers.confidence_model.cache_clear()
    assert answers.confidence_model() is not None  # the shipped one again


@pytest.mark.parametrize(("by_rules", "chance", "decided"), [
    (True, None, True), (False, None, False),  # no model: the rules decide
    (True, 0.39, False), (True, 0.4, True),  # the rules' answer, unless the model doubts it
    (False, 0.74, False), (False, 0.75, True),  # the model alone, when it is sure
])
def test_the_model_has_the_last_word(by_rules: bool, chance: float | None,
                                     decided: bool) -> None:
    assert Thresholds().decided(by_rules, chance) is decided


def test_a_doubting_model_stops_an_answer_and_a_sure_one_gives_it(engine: AnswerEngine) -> None:
    sure = "who sent the cable?"
    assert engine.answer(sure).decision is Decision.ANSWERED
    assert replace(engine, confidence=_always(0.0)).answer(sure).decision is (
        Decision.DID_YOU_MEAN)
    vague = "nuon chia who"
    assert replace(engine, confidence=None).answer(vague).decision is Decision.DID_YOU_MEAN
    trusting = replace(engine, confidence=_always(1.0)).answer(vague)
    assert trusting.decision is Decision.ANSWERED and trusting.entry is not None


SMALL = QuestionSet(
    "small",
    answerable=(Labelled("who sent the cable?", ("cable-sender",)),
                Labelled("who sent the cable?", ("death-toll",)),
                Labelled("zzzz qqqq", ("cable-sender",))),  # no word known: no decision
    off_topic=("who sent the cable?",),
    near_topic=("who paid for the tribunal",),
    conversations=((Labelled("who was ta mok", ("ta-mok",)),
                    Labelled("what happened to him?", ("ta-mok-fate", "ta-mok"))),),
)


def test_every_question_is_one_example_labelled_by_whether_answering_was_right(
        engine: AnswerEngine) -> None:
    found = examples(engine, [SMALL])
    assert len(found.rows) == 6 and all(len(row) == len(SIGNALS) for row in found.rows)
    # right entry; wrong entry; off-topic (never right); near-topic, the best match a
    # partial entry (saying what the article does not tell is right); both turns.
    assert found.labels == [True, False, False, True, True, True]
    assert found.rows[0] == found.rows[1] == found.rows[2]


def test_training_writes_a_model_the_engine_loads(engine: AnswerEngine, tmp_path: Path) -> None:
    out = tmp_path / "confidence.json"
    model, data = train(engine, [SMALL], out)
    assert BoostedTrees.load(out) == model and model.signals == SIGNALS
    assert len(data.rows) == 6 and not list(tmp_path.glob("*.tmp"))


def test_a_new_model_is_a_new_engine_cache(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "confidence.json"
    model.write_text(_always(1.0).to_json(), encoding="utf-8")
    monkeypatch.setattr(engine_cache, "CONFIDENCE_FILE", model)
    knowledge = Path(__file__).resolve().parents[2] / "knowledge"
    before = engine_cache.cache_key(knowledge)
    model.write_text(_always(0.0).to_json(), encoding="utf-8")
    assert engine_cache.cache_key(knowledge) != before
