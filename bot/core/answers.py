"""The decision for one question: answer it, say what the article does not tell, offer "did
you mean", or say it is not covered.

``AnswerEngine.answer`` is the one call both front ends make; the ``Answer`` it returns holds
everything either of them shows (Discord renders it as an embed, the CLI as text or JSON).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.article import Article
from bot.core.asking import Kind, gives, kind_of
from bot.core.knowledge import Citation, Entry, KnowledgeBase
from bot.core.matcher import Candidate, Index, Tuning
from bot.core.normalize import QUESTION_WORDS, simplify

MAX_QUESTION_CHARS = 500

# When to answer (chosen from the sweep that `python -m bot bench` prints on the tuning set):
# a match this good is answered; a match at least CLOSE_AT is answered when it leads the next
# entry by MARGIN, because a clear lead means the question is about that entry even when
# chatty words the knowledge base does not know pull every score down.
ANSWER_AT = 71.0
CLOSE_AT = 55.0
MARGIN = 15.0
SUGGEST_AT = 45.0  # a match this good is offered as "did you mean"
SENTENCE_AT = 90.0  # an article sentence this good answers when no entry does
MAX_SUGGESTIONS = 3
# Messages asking how to use the bot rather than about the article: they get the usage hint.
HELP_REQUESTS = frozenset({
    "help", "help me", "helpp", "commands", "usage", "how does this work", "how do i use this",
    "what can you do", "what can i ask", "what can you answer", "what do you know",
})
MAX_RELATED = 3

# An answer that cannot be of the kind asked ("how many…" answered with no number) is probably
# about something else, so its score is marked down.
TYPE_MISMATCH = 0.9

# Scores against sentences measure how much of the question the sentence explains; a sentence
# is long, so how much of the sentence the question covers does not count.
_SENTENCE_TUNING = Tuning(phrasing_weight=0.0, rerank_weight=0.0, context_credit=0.0,
                          shortlist=3, rerank_depth=1, profile_weight=0.0)


class Decision(StrEnum):
    ANSWERED = "answered"  # a knowledge-base entry answers it
    FROM_ARTICLE = "from_article"  # no entry does, but one article sentence clearly does
    PARTIAL = "partial"  # on the subject, but the article does not give what was asked
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
    def partial(self) -> bool:
        """The article is on the subject but does not give what was asked: ``text`` says so
        and what it does say."""
        return self.decision is Decision.PARTIAL

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
            "answer": self.text if self.answered or self.partial else None,
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

    def _ranked(self, asked: str, limit: int, kind: Kind | None = None) -> list[Candidate]:
        """Index matches, marked down when the answer cannot be of the kind asked for."""
        kind = kind_of(simplify(asked)) if kind is None else kind
        found = self.index.search(asked, limit)
        marked = [c if gives(self.kb.by_id[c.key].answer, kind) else
                  Candidate(c.key, c.phrasing, round(c.score * TYPE_MISMATCH, 1),
                            c.phrasing_score, c.coverage)
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
        kind = kind_of(simplify(asked))
        found = self._ranked(asked, MAX_SUGGESTIONS + 1, kind)
        if found and confident(found):
            return self._reply(asked, kind, found[0])
        from_article = self._from_article(asked)
        if from_article:
            return from_article
        suggestions = tuple(
            Suggestion(c.key, self.kb.by_id[c.key].question, c.score)
            for c in found[:MAX_SUGGESTIONS] if c.score >= SUGGEST_AT
        )
        decision = Decision.DID_YOU_MEAN if suggestions else Decision.NOT_COVERED
        return Answer(asked, decision, found[0].score if found else 0.0,
                      suggestions=suggestions)

    def _reply(self, asked: str, kind: Kind, best: Candidate) -> Answer:
        """The reply when the best entry is clearly the one: its answer, or, when it does not
        give what was asked, an honest partial answer."""
        entry = self.kb.by_id[best.key]
        related = self.related(entry)
        if entry.partial:
            return Answer(asked, Decision.PARTIAL, best.score, entry, entry.answer,
                          entry.citations, related=related)
        if not gives(entry.answer, kind):
            return Answer(asked, Decision.PARTIAL, best.score, entry,
                          f"{not_said(asked, kind)} It says: {entry.answer}", entry.citations,
                          related=related)
        return Answer(asked, Decision.ANSWERED, best.score, entry, entry.answer,
                      entry.citations, related=related)

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


def confident(found: list[Candidate]) -> bool:
    """Whether the best match is clearly the entry asked about: good enough on its own, or
    close and well ahead of the runner-up."""
    best = found[0].score
    runner_up = found[1].score if len(found) > 1 else 0.0
    return best >= ANSWER_AT or (best >= CLOSE_AT and best - runner_up >= MARGIN)


_NOT_GIVEN = {Kind.WHEN: "a date", Kind.QUANTITY: "a number", Kind.WHY: "a reason",
              Kind.WHO: "a name", Kind.WHERE: "a place"}


def not_said(asked: str, kind: Kind) -> str:
    """'The article does not say who paid for the tribunal.' when the question reads as a
    clause after "say" (a wh-word then a verb), else 'The article does not give a date for
    that.'"""
    words = simplify(asked).split()
    if (len(words) >= 3 and words[0] in ("who", "what", "why", "how", "when", "where")
            and words[1] not in _AUXILIARY_OR_NOUN):
        clause = " ".join(asked.rstrip("?!. ").split())
        return f"The article does not say {clause[0].lower()}{clause[1:]}."
    return f"The article does not give {_NOT_GIVEN.get(kind, 'that detail')} for that."


_AUXILIARY_OR_NOUN = frozenset("""
is was are were am did does do has have had can could will would should many much old long
year date day time month kind sort type place city country person people one ones else
""".split())


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
