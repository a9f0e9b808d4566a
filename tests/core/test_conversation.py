"""Follow-ups, partial answers and yes/no replies on the real knowledge base."""

import pytest

from bot.core.answers import AnswerEngine, Decision
from bot.core.conversation import FOLLOW_UP_SECONDS, Conversation, Conversations
from bot.core.suggest import autocomplete


def ask_in_turn(engine: AnswerEngine, *questions: str) -> list:
    conversation = Conversation(engine)
    return [conversation.ask(q) for q in questions]


@pytest.mark.parametrize(("first", "then", "entry"), [
    ("when did the khmer rouge lose power", "who drove them out?", "kr-ousted"),
    ("who was ta mok?", "what happened to him?", "ta-mok-fate"),
    ("who sent the cable?", "what was his job?", "eagleburger"),
    ("who was pol pot's deputy?", "is he on trial too?", "nuon-chea"),
    ("when did pol pot die", "where?", "pol-pot-death"),
    ("what happened to ta mok?", "what about ieng sary?", "ieng-sary-trial"),
    ("whos ta mok again", "did he outlive pol pot?", "ta-mok-outlived"),
])
def test_a_follow_up_is_read_with_the_question_before(engine: AnswerEngine, first: str,
                                                      then: str, entry: str) -> None:
    before, after = ask_in_turn(engine, first, then)
    assert before.answered
    assert (after.decision, after.entry and after.entry.id) == (Decision.ANSWERED, entry)
    assert after.follows == before.question
    assert after.to_json()["follows"] == before.question


def test_why_after_a_yes_no_question_is_a_partial_answer(engine: AnswerEngine) -> None:
    _, why = ask_in_turn(engine, "did china take in the khmer rouge leaders?", "why?")
    assert why.decision is Decision.PARTIAL
    assert why.text is not None and why.text.startswith("The article does not say why")


@pytest.mark.parametrize("question", ["who drove them out?", "what happened to him?",
                                      "is he on trial too?", "what was his job",
                                      "what happened to him after", "what did he want",
                                      "who drove them out and why?"])
def test_a_follow_up_with_nothing_before_is_not_guessed(engine: AnswerEngine,
                                                        question: str) -> None:
    answer = engine.answer(question)
    assert answer.decision in (Decision.DID_YOU_MEAN, Decision.NOT_COVERED, Decision.EMPTY)
    assert answer.follows is None


@pytest.mark.parametrize(("question", "entry_id"), [
    ("what kind of society were they trying to create", "kr-ideology"),
    ("the guy who was foreign minister, what is his name?", "leaders-named"),
    ("what do they mean by unacceptable leaders", "leaders-troublesome"),
])
def test_a_question_pointing_back_that_names_its_subject_is_answered(
        engine: AnswerEngine, question: str, entry_id: str) -> None:
    """"they" and "his" with nothing before: the question's own words say what it is about."""
    answer = engine.answer(question)
    assert answer.answered and answer.entry is not None and answer.entry.id == entry_id
    assert any(name in answer.text for name in ("Ieng Sary", "Khmer Rouge", "Pol Pot"))


@pytest.mark.parametrize(("message", "entry_ids"), [
    ("where did the khmer rouge go and who were they fighting?", {"kr-withdrawal", "kr-fought"}),
    ("so i skimmed it and i think it said something about a trial next year?? who exactly is "
     "going on trial and where", {"trial-defendants", "ieng-sary-trial"}),
    ("so im stuck on ta mok, what was his role and what happened to him later",
     {"ta-mok", "ta-mok-fate"}),
])
def test_a_message_asking_two_questions_gets_one_answered(
        engine: AnswerEngine, message: str, entry_ids: set[str]) -> None:
    answer = engine.answer(message)
    assert answer.answered and answer.entry is not None and answer.entry.id in entry_ids
    assert answer.question == message  # the reply is to the whole message


def test_a_question_that_stands_alone_is_not_read_as_a_follow_up(engine: AnswerEngine) -> None:
    _, second = ask_in_turn(engine, "who was ta mok?", "when was the cable sent?")
    assert second.entry is not None and second.entry.id == "cable-date"
    assert second.follows is None


def test_a_follow_up_after_ten_minutes_stands_alone(engine: AnswerEngine) -> None:
    now = [0.0]
    conversation = Conversation(engine, clock=lambda: now[0])
    assert conversation.ask("when did the khmer rouge lose power").answered
    now[0] += FOLLOW_UP_SECONDS + 1
    assert not conversation.ask("who drove them out?").answered


def test_conversations_are_kept_apart_and_bounded(engine: AnswerEngine) -> None:
    conversations = Conversations(lambda: engine, limit=2)
    conversations.ask(("alice", 1), "when did the khmer rouge lose power")
    assert not conversations.ask(("bob", 1), "who drove them out?").answered
    assert conversations.ask(("alice", 1), "who drove them out?").answered
    conversations.ask(("carol", 2), "who was ta mok?")  # alice's is now the oldest: dropped
    conversations.ask(("dave", 2), "who was ta mok?")
    assert not conversations.ask(("alice", 1), "and then?").answered


# --- partial answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "starts"), [
    ("how did pol pot die?", "The article does not say how Pol Pot died."),
    ("who paid for the tribunal?", "The article does not say where the tribunal sits"),
    ("when was ta mok arrested?", "The article does not say when, where or why Ta Mok"),
    ("how old was ieng sary at the trial?", "The article does not give the ages"),
])
def test_what_the_article_does_not_say_is_said(engine: AnswerEngine, question: str,
                                               starts: str) -> None:
    answer = engine.answer(question)
    data = answer.to_json()
    assert data["decision"] == "partial" and data["answered"] is False
    assert data["answer"].startswith(starts)
    assert data["citations"]


# --- yes and no ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "reply"), [
    ("did china take them in?", "No. "),
    ("did china refuse?", "Yes. "),
    ("did the us support the khmer rouge?", "Yes. "),
    ("was ta mok the foreign minister?", "No. "),
    ("did pol pot die in china?", "No. "),
    ("was eagleburger deputy secretary of state?", "Yes. "),
])
def test_a_settled_yes_no_question_starts_with_yes_or_no(engine: AnswerEngine, question: str,
                                                         reply: str) -> None:
    answer = engine.answer(question)
    assert answer.answered and answer.text is not None
    assert answer.text.startswith(reply)
    assert answer.text.removeprefix(reply) == answer.entry.answer  # type: ignore[union-attr]


@pytest.mark.parametrize("question", [
    "didn't china take them in?",  # asked with "not": unclear which reply is meant
    "who sent the cable?",  # not a yes/no question
])
def test_no_yes_or_no_when_it_is_not_clear(engine: AnswerEngine, question: str) -> None:
    text = engine.answer(question).text or ""
    assert not text.startswith(("Yes", "No"))


# --- autocomplete -------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "entry"), [
    ("who sent th", "cable-sender"),
    ("when did pol pot d", "pol-pot-death"),
    ("death to", "death-toll"),
    ("eaglebur", "eagleburger"),
])
def test_autocomplete_completes_the_word_being_typed(engine: AnswerEngine, typed: str,
                                                     entry: str) -> None:
    assert autocomplete(engine, typed)[0] == entry


def test_autocomplete_completes_a_word_that_looks_like_a_typo(engine: AnswerEngine) -> None:
    """"publ" is one letter from "pull", but it is being typed: "published" is tried too."""
    assert autocomplete(engine, "which organization publ")[0] == "cable-publisher"


def test_autocomplete_without_topic_words_offers_entries_of_the_kind_asked(
        engine: AnswerEngine) -> None:
    """Nothing but a question word typed yet: a full list, those asked "when" most first."""
    found = autocomplete(engine, "in what year was th", 25)
    assert len(found) == 25
    assert all(any(ch.isdigit() for ch in engine.kb.by_id[i].answer) for i in found[:3])


def test_autocomplete_of_nothing_is_empty_and_never_repeats(engine: AnswerEngine) -> None:
    assert autocomplete(engine, "   ") == []
    found = autocomplete(engine, "cable", 25)
    assert len(found) == len(set(found)) <= 25
