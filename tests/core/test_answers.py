"""bot.core.answers: the decision for one question, on the real knowledge base."""

import json

import pytest

from bot.core.answers import (
    MAX_QUESTION_CHARS,
    SUGGEST_AT,
    Answer,
    AnswerEngine,
    Decision,
    clean_question,
)
from bot.core.knowledge import KnowledgeBase
from bot.core.text import fold

# Entry ids are stable; their wording and alternates are not, so questions come from the KB.
STABLE_IDS = ["cable-sender", "cable-date", "pol-pot-death", "death-toll", "ta-mok-fate",
              "ieng-sary-trial", "soviet-union", "article-headline"]

DESIGN_KEYS = {"question", "answered", "entry_id", "score", "answer", "citations", "suggestions"}


def assert_citations_verbatim(answer: Answer, kb: KnowledgeBase) -> None:
    for citation in answer.citations:
        paragraph = kb.article.paragraph(citation.paragraph)
        assert fold(citation.quote) in fold(paragraph.text), citation


@pytest.mark.parametrize("entry_id", STABLE_IDS)
def test_canonical_question_is_answered_with_its_entry(engine: AnswerEngine, kb: KnowledgeBase,
                                                       entry_id: str) -> None:
    entry = kb.by_id[entry_id]
    answer = engine.answer(entry.question)
    assert answer.decision is Decision.ANSWERED
    assert answer.entry == entry
    assert answer.text == entry.answer
    assert answer.citations == entry.citations


def test_every_canonical_question_is_answered_with_its_entry(engine: AnswerEngine,
                                                             kb: KnowledgeBase) -> None:
    """Every entry's own question gets that entry: as an answer, or for an entry that says
    what the article does not tell, as a partial answer."""
    answers = {e.id: engine.answer(e.question) for e in kb.entries}
    expected = {e.id: Decision.PARTIAL if e.partial else Decision.ANSWERED for e in kb.entries}
    wrong = {entry_id: (a.decision.value, a.entry.id if a.entry else None)
             for entry_id, a in answers.items()
             if a.decision is not expected[entry_id] or a.entry is None
             or a.entry.id != entry_id}
    assert wrong == {}


def test_design_example_question(engine: AnswerEngine) -> None:
    answer = engine.answer("who sent the cable")
    assert answer.answered
    assert answer.entry is not None and answer.entry.id == "cable-sender"
    assert any(c.paragraph == 5 for c in answer.citations)


# --- the JSON contract ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["who sent the cable", "what's the weather", "when was pol pot born", "", "x" * 600,
     "pol pot"],
)
def test_to_json_has_the_contract_keys(engine: AnswerEngine, question: str) -> None:
    data = engine.answer(question).to_json()
    assert set(data) >= DESIGN_KEYS
    assert isinstance(data["answered"], bool)
    assert isinstance(data["score"], (int, float)) and 0 <= data["score"] <= 100
    assert isinstance(data["citations"], list) and isinstance(data["suggestions"], list)
    for citation in data["citations"]:
        assert set(citation) == {"paragraph", "quote"}
        assert isinstance(citation["paragraph"], int) and isinstance(citation["quote"], str)
    for suggestion in data["suggestions"]:
        assert set(suggestion) == {"entry_id", "question", "score"}
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    "question",
    ["who sent the cable", "when did pol pot die", "what's the weather", "when was pol pot born",
     "", "pol pot", "eagleburger", "how many people died", "who won the world cup"],
)
def test_answer_is_present_exactly_when_answered_or_partial(engine: AnswerEngine,
                                                            question: str) -> None:
    data = engine.answer(question).to_json()
    assert (data["answer"] is not None) == (data["answered"]
                                            or data["decision"] == Decision.PARTIAL)


def test_answered_json_names_its_entry(engine: AnswerEngine) -> None:
    data = engine.answer("who sent the cable").to_json()
    assert data["answered"] is True
    assert data["entry_id"] == "cable-sender"
    assert data["question"] == "who sent the cable"
    assert data["citations"]


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["what's the weather", "who won the world cup", "write me a poem",
     "what is the capital of france"],
)
def test_off_topic_is_refused(engine: AnswerEngine, question: str) -> None:
    answer = engine.answer(question)
    assert not answer.answered
    assert answer.to_json()["answer"] is None
    assert answer.to_json()["entry_id"] is None


@pytest.mark.parametrize(
    "question", ["when was pol pot born", "what was pol pot's real name",
                 "who is the founder of wikileaks"],
)
def test_unanswerable_on_topic_question_is_not_answered(engine: AnswerEngine,
                                                        question: str) -> None:
    """Refused, or a partial answer that says the article does not tell."""
    answer = engine.answer(question)
    assert not answer.answered
    data = answer.to_json()
    assert data["answered"] is False
    if answer.partial:
        assert data["answer"].startswith("The article does not")
    else:
        assert data["answer"] is None


def test_suggestions_are_known_entries_best_first(engine: AnswerEngine,
                                                  kb: KnowledgeBase) -> None:
    answer = engine.answer("cambodia sides")  # whom? several entries
    assert answer.decision in (Decision.DID_YOU_MEAN, Decision.NOT_COVERED)
    assert (answer.decision is Decision.DID_YOU_MEAN) == bool(answer.suggestions)
    scores = [s.score for s in answer.suggestions]
    assert scores == sorted(scores, reverse=True)
    for suggestion in answer.suggestions:
        assert kb.by_id[suggestion.entry_id].question == suggestion.question
        assert suggestion.score is not None and suggestion.score >= SUGGEST_AT


# --- empty and too long --------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["", " ", "\n\t  \r\n", "?", "?!...", "🙂", "the of and",
                                      "why tho"])
def test_no_words_is_empty(engine: AnswerEngine, question: str) -> None:
    answer = engine.answer(question)
    assert answer.decision is Decision.EMPTY
    assert not answer.answered
    assert answer.entry is None and answer.suggestions == ()


@pytest.mark.parametrize("length", [MAX_QUESTION_CHARS + 1, 2_000, 10_000])
def test_too_long_is_not_matched(engine: AnswerEngine, length: int) -> None:
    question = ("who sent the cable " * length)[:length]
    answer = engine.answer(question)
    assert answer.decision is Decision.TOO_LONG
    assert not answer.answered
    assert answer.entry is None and answer.suggestions == () and answer.score == 0
    assert len(answer.question) <= MAX_QUESTION_CHARS


def test_question_at_the_limit_is_matched(engine: AnswerEngine) -> None:
    question = "who sent the cable " + "a" * (MAX_QUESTION_CHARS - 19)
    assert len(question) == MAX_QUESTION_CHARS
    assert engine.answer(question).decision is not Decision.TOO_LONG


def test_whitespace_does_not_count_towards_the_limit(engine: AnswerEngine) -> None:
    question = "who    sent  \n\n\n  the   " + " " * 1_000 + "cable"
    answer = engine.answer(question)
    assert answer.decision is Decision.ANSWERED
    assert answer.question == "who sent the cable"


# --- related follow-ups --------------------------------------------------------------------------


def test_answers_come_with_related_questions(engine: AnswerEngine, kb: KnowledgeBase) -> None:
    with_related = [e.id for e in kb.entries if engine.related(e)]
    assert len(with_related) >= len(kb.entries) // 2


def test_related_never_includes_the_entry_itself(engine: AnswerEngine,
                                                 kb: KnowledgeBase) -> None:
    for entry in kb.entries:
        related = engine.related(entry)
        assert entry.id not in {s.entry_id for s in related}, entry.id
        assert all(kb.by_id[s.entry_id].question == s.question for s in related)


def test_answer_carries_related(engine: AnswerEngine) -> None:
    answer = engine.answer("who sent the cable")
    assert answer.related
    assert "cable-sender" not in {s.entry_id for s in answer.related}
    assert answer.to_json()["related"] == [
        {"entry_id": s.entry_id, "question": s.question} for s in answer.related]


# --- citations are the article's words -----------------------------------------------------------


def test_every_entry_citation_is_verbatim(engine: AnswerEngine, kb: KnowledgeBase) -> None:
    for entry in kb.entries:
        assert_citations_verbatim(engine.answer(entry.question), kb)


@pytest.mark.parametrize(
    "question",
    ["did the soviet union help the government in phnom penh",
     "were the khmer rouge supported by thailand in the 1980s",
     "sparked by the end of the Cold War concerted effort",
     "was ta mok arrested by the cambodian government"],
)
def test_citations_of_any_reply_are_verbatim(engine: AnswerEngine, kb: KnowledgeBase,
                                             question: str) -> None:
    assert_citations_verbatim(engine.answer(question), kb)


@pytest.fixture(scope="module")
def one_entry_engine(kb: KnowledgeBase) -> AnswerEngine:
    """An engine whose knowledge base only knows who sent the cable."""
    return AnswerEngine.build(kb.with_entries([kb.by_id["cable-sender"]]))


def test_sentence_of_the_article_answers_when_no_entry_does(
        one_entry_engine: AnswerEngine, kb: KnowledgeBase) -> None:
    answer = one_entry_engine.answer("was ta mok arrested by the cambodian government")
    assert answer.decision is Decision.FROM_ARTICLE
    assert answer.answered and answer.entry is None
    assert [c.paragraph for c in answer.citations] == [11]
    assert answer.text == answer.citations[0].quote
    assert_citations_verbatim(answer, kb)
    data = answer.to_json()
    assert (data["answered"], data["entry_id"], data["answer"]) == (True, None, answer.text)


@pytest.mark.parametrize(
    "question", ["ta mok birthday", "when was pol pot born", "who is ta mok's wife"])
def test_sentence_answers_need_every_word_explained(one_entry_engine: AnswerEngine,
                                                    question: str) -> None:
    assert one_entry_engine.answer(question).decision is not Decision.FROM_ARTICLE


# --- helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("  who\tsent\n the   cable ", "who sent the cable"),
     ("who\x00sent\x1b[31m the\rcable", "who sent the cable"),
     ("<@123> @everyone who sent <#456> the cable <:wave:789>", "who sent the cable"),
     ("", "")],
)
def test_clean_question(raw: str, clean: str) -> None:
    assert clean_question(raw) == clean


def test_candidates_best_first(engine: AnswerEngine) -> None:
    found = engine.candidates("who sent the cable", limit=5)
    assert found[0].key == "cable-sender"
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert len(found) <= 5


@pytest.mark.parametrize(("question", "answered"), [
    ("how many people died under the khmer rouge", True),  # the answer gives a number
    ("how many vietnamese troops invaded cambodia", False),  # Vietnam's entry gives none
    ("when did pol pot die", True),  # the answer gives a year
    ("how many people died when the khmer rouge ruled", True),  # not "ruled from 1975 to 1979"
])
def test_the_kind_of_answer_asked_for_counts(engine, question: str, answered: bool) -> None:
    answer = engine.answer(question)
    assert answer.answered is answered
    if answered and "died" in question:
        assert answer.entry.id == "death-toll"


def test_an_entry_saying_what_the_article_does_not_tell_is_not_marked_down(
        engine: AnswerEngine) -> None:
    """"how old…" wants a number, and the entry on ages gives none: that is its point."""
    answer = engine.answer("how old was ieng sary when his trial started")
    assert answer.decision is Decision.PARTIAL and answer.entry.id == "personal-details"
