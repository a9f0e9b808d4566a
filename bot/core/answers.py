"""The decision for one question: answer it, offer "did you mean", or say it is not covered.

``AnswerEngine.answer`` is the one call both front ends make; the ``Answer`` it returns holds
everything either of them shows (Discord renders it as an embed, the CLI as text or JSON).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.article import Article
from bot.core.knowledge import Citation, Entry, KnowledgeBase
from bot.core.matcher import Candidate, Index, Tuning
from bot.core.normalize import QUESTION_WORDS, simplify

MAX_QUESTION_CHARS = 500

ANSWER_AT = 71.0  # a match this good is answered
SUGGEST_AT = 45.0  # a match this good is offered as "did you mean"
SENTENCE_AT = 90.0  # an article sentence this good answers when no entry does
MAX_SUGGESTIONS = 3
# Messages asking how to use the bot rather than about the article: they get the usage hint.
HELP_REQUESTS = frozenset({
    "help", "help me", "helpp", "commands", "usage", "how does this work", "how do i use this",
    "what can you do", "what can i ask", "what can you answer", "what do you know",
})
MAX_RELATED = 3

# An answer to "how many…" names a number, one to "when…" a time. When the best match's answer
# has none, it is probably about something else ("how many troops invaded?" is not answered by
# "Vietnamese troops drove Pol Pot out"), so its score is marked down.
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens?|"
                     r"hundreds?|thousands?|millions?|billions?)\b", re.IGNORECASE)
_TIME = re.compile(r"\d{4}|\b(?:january|february|march|april|may|june|july|august|september|"
                   r"october|november|december|years?|decades?|centur(?:y|ies))\b",
                   re.IGNORECASE)
_EXPECTS = {"quantity": _NUMBER, "when": _TIME}
TYPE_MISMATCH = 0.9

# Scores against sentences measure how much of the question the sentence explains; a sentence
# is long, so how much of the sentence the question covers does not count.
_SENTENCE_TUNING = Tuning(phrasing_weight=0.0, rerank_weight=0.0, context_credit=0.0,
                          shortlist=3, rerank_depth=1)


class Decision(StrEnum):
    ANSWERED = "answered"  # a knowledge-base entry answers it
    FROM_ARTICLE = "from_article"  # no entry does, but one article sentence clearly does
    DID_YOU_MEAN = "did_you_mean"  # not sure: the closest questions are offered
    NOT_COVERED = "not_covered"  # nothing close: the article does not cover it
    EMPTY = "empty"  # no words to match on, or a request for help: the usage hint
    TOO_LONG = "too_long"  # over MAX_QUESTION_CHARS: not matched at all


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A question the knowledge base can answer, offered as a follow-up or a "did you mean"."""

    entry_id: str
    question: str
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """Everything a front end needs to reply to one question."""

    question: str
    decision: Decision
    score: float = 0.0
    entry: Entry | None = None
    text: str | None = None
    citations: tuple[Citation, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    related: tuple[Suggestion, ...] = ()

    @property
    def answered(self) -> bool:
        """True exactly when the reply is an answer (from an entry or straight from the article)."""
        return self.decision in (Decision.ANSWERED, Decision.FROM_ARTICLE)

    @property
    def title(self) -> str:
        """What the answer is an answer to: the matched question, or the asker's own."""
        return self.entry.question if self.entry else self.question

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON object (DESIGN.md), plus ``decision`` and ``related``."""
        return {
            "question": self.question,
            "answered": self.answered,
            "entry_id": self.entry.id if self.entry else None,
            "score": self.score,
            "answer": self.text if self.answered else None,
            "citations": [{"paragraph": c.paragraph, "quote": c.quote} for c in self.citations],
            "suggestions": [
                {"entry_id": s.entry_id, "question": s.question, "score": s.score}
                for s in self.suggestions
            ],
            "decision": self.decision.value,
            "related": [{"entry_id": s.entry_id, "question": s.question} for s in self.related],
        }


# Chat markup that is not part of a question: mentions of users, roles and channels, custom
# emoji, @everyone/@here, and terminal colour codes.
_MARKUP = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|@(?:everyone|here)\b|\x1b\[[0-9;?]*[A-Za-z]")


def clean_question(text: str) -> str:
    """The question as it is echoed back: markup and control characters out, spaces folded."""
    text = _MARKUP.sub(" ", text)
    if not text.isprintable():
        text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class AnswerEngine:
    """A knowledge base with its matching indexes, built once; answers questions."""

    kb: KnowledgeBase
    index: Index = field(repr=False)
    sentences: Index = field(repr=False)
    _sentence_citations: dict[str, Citation] = field(repr=False)

    @classmethod
    def build(cls, kb: KnowledgeBase, tuning: Tuning | None = None) -> AnswerEngine:
        index = Index(
            ((e.id, p) for e in kb.entries for p in e.phrasings),
            ((e.id, text) for e in kb.entries for text in _context(e)),
            tuning,
            kb.normalizer,
        )
        sentence_citations = _sentence_citations(kb.article)
        sentences = Index(((key, c.quote) for key, c in sentence_citations.items()),
                          tuning=_SENTENCE_TUNING, normalizer=kb.normalizer)
        return cls(kb, index, sentences, sentence_citations)

    def clear_caches(self) -> None:
        """See ``Index.clear_caches``."""
        self.index.clear_caches()
        self.sentences.clear_caches()

    def candidates(self, question: str, limit: int = 5) -> list[Candidate]:
        """The closest entries with the scores the decision uses, best first (for /kb test,
        autocomplete and the bench)."""
        return self._ranked(clean_question(question)[:MAX_QUESTION_CHARS], limit)

    def _ranked(self, asked: str, limit: int) -> list[Candidate]:
        """Index matches, marked down when the answer cannot be of the kind asked for."""
        found = self.index.search(asked, limit)
        asks = next((w for w in self.kb.normalizer.terms(asked) if w in QUESTION_WORDS), "")
        expected = _EXPECTS.get(asks)
        if expected is None:
            return found
        marked = [c if expected.search(self.kb.by_id[c.key].answer) else
                  Candidate(c.key, c.phrasing, round(c.score * TYPE_MISMATCH, 1))
                  for c in found]
        return sorted(marked, key=lambda c: -c.score)

    def answer(self, question: str) -> Answer:
        """Decide how to reply to one question."""
        asked = clean_question(question)
        if len(asked) > MAX_QUESTION_CHARS:
            return Answer(asked[:MAX_QUESTION_CHARS], Decision.TOO_LONG)
        words = self.kb.normalizer.terms(asked)
        if QUESTION_WORDS.issuperset(words) or (len(words) < 4 and
                                                 simplify(asked) in HELP_REQUESTS):
            return Answer(asked, Decision.EMPTY)  # nothing to match on ("", "what?", "help")
        found = self._ranked(asked, MAX_SUGGESTIONS + 1)
        best = found[0] if found else None
        if best and best.score >= ANSWER_AT:
            entry = self.kb.by_id[best.key]
            return Answer(
                asked, Decision.ANSWERED, best.score, entry, entry.answer, entry.citations,
                related=self.related(entry),
            )
        from_article = self._from_article(asked)
        if from_article:
            return from_article
        suggestions = tuple(
            Suggestion(c.key, self.kb.by_id[c.key].question, c.score)
            for c in found[:MAX_SUGGESTIONS] if c.score >= SUGGEST_AT
        )
        decision = Decision.DID_YOU_MEAN if suggestions else Decision.NOT_COVERED
        return Answer(asked, decision, best.score if best else 0.0, suggestions=suggestions)

    def answer_entry(self, entry: Entry) -> Answer:
        """An entry's answer as if its own question had been asked (a suggestion clicked)."""
        return Answer(entry.question, Decision.ANSWERED, 100.0, entry, entry.answer,
                      entry.citations, related=self.related(entry))

    def _from_article(self, asked: str) -> Answer | None:
        """An article sentence that explains every content word of the question, if one does."""
        content = [w for w in self.kb.normalizer.terms(asked) if w not in QUESTION_WORDS]
        if len(content) < 2 or not self.sentences.knows_all(asked):
            return None
        found = self.sentences.search(asked, limit=1)
        if not found or found[0].score < SENTENCE_AT:
            return None
        citation = self._sentence_citations[found[0].key]
        return Answer(asked, Decision.FROM_ARTICLE, found[0].score, None, citation.quote,
                      (citation,))

    def related(self, entry: Entry) -> tuple[Suggestion, ...]:
        """Follow-up questions: the entry's own ``related`` list, else entries citing the same
        paragraphs."""
        ids = list(entry.related)
        if not ids:
            paragraphs = {c.paragraph for c in entry.citations}
            ids = [e.id for e in self.kb.entries if e.id != entry.id
                   and paragraphs & {c.paragraph for c in e.citations}]
        known = (self.kb.by_id[i] for i in ids if i in self.kb.by_id)
        return tuple(Suggestion(e.id, e.question) for e in known)[:MAX_RELATED]


def _context(entry: Entry) -> tuple[str, ...]:
    """Text that tells what an entry is about besides its phrasings: answer and quotes."""
    return (entry.answer, *(c.quote for c in entry.citations))


def _sentence_citations(article: Article) -> dict[str, Citation]:
    """Each body sentence of the article as a citation, keyed "p<paragraph>s<sentence>"."""
    return {
        f"p{p.number}s{i}": Citation(p.number, sentence)
        for p in article.paragraphs
        for i, sentence in enumerate(p.sentences, start=1)
    }
