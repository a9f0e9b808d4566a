"""bot.core.bm25: the independent second opinion, and how the engine uses its agreement."""

from dataclasses import replace

from bot.core.answers import AnswerEngine, Decision, Thresholds
from bot.core.bm25 import BM25, words
from bot.core.knowledge import KnowledgeBase

NEVER = 101.0  # a score no match reaches


def test_words_are_as_typed() -> None:
    assert words("Who sent the U.S. cable, Eagleburger's?") == [
        "who", "sent", "the", "u", "s", "cable", "eagleburger", "s"]


def test_the_entry_sharing_the_rarest_words_ranks_first(kb: KnowledgeBase) -> None:
    bm25 = BM25(kb)
    key, score = bm25.best("eagleburger deputy secretary")
    assert key in ("eagleburger", "eagleburger-career") and score > 0
    assert bm25.best("zebra xylophone") == (None, 0.0)  # no word shared


def test_repeated_words_count_again(kb: KnowledgeBase) -> None:
    bm25 = BM25(kb)
    assert bm25.best("eagleburger eagleburger")[1] > bm25.best("eagleburger")[1]


def rules_only(engine: AnswerEngine, thresholds: Thresholds) -> AnswerEngine:
    """The engine deciding by these rules alone, without the confidence model's last word."""
    return replace(engine, confidence=None, thresholds=thresholds)


def test_a_match_is_answered_when_bm25_agrees_and_not_otherwise(engine: AnswerEngine) -> None:
    only_agreement = Thresholds(answer_at=NEVER, close_at=NEVER, agreed_at=0.0)
    agreeing = rules_only(engine, only_agreement)
    assert engine.bm25.best("who sent the cable?")[0] == "cable-sender"
    answer = agreeing.answer("who sent the cable?")
    assert answer.decision is Decision.ANSWERED and answer.entry.id == "cable-sender"
    never = rules_only(engine, replace(only_agreement, agreed_at=NEVER))
    assert never.answer("who sent the cable?").decision is Decision.DID_YOU_MEAN


def test_a_long_message_needs_less_to_be_answered_on_agreement(engine: AnswerEngine) -> None:
    """Chat words pull every score of a long message down, so agreement counts from a lower
    score there (``Thresholds.agreed_long_at``), and only there."""
    long = ("ok so i was reading this for my history class and got lost, how many people died "
            "under the khmer rouge?")
    assert len(long.split()) >= Thresholds().long_words
    best = engine.candidates(long, 1)[0]
    assert best.key == "death-toll" and engine.bm25.best(long)[0] == "death-toll"
    only_long = Thresholds(answer_at=NEVER, close_at=NEVER, agreed_at=NEVER,
                           agreed_long_at=best.score)
    answer = rules_only(engine, only_long).answer(long)
    assert answer.decision is Decision.ANSWERED and answer.entry.id == "death-toll"
    short = rules_only(engine, only_long).answer("how many died under the khmer rouge")
    assert short.decision is Decision.DID_YOU_MEAN
