"""The decision for one question: answer it, say what the article does not tell, offer "did
you mean", or say it is not covered.

``AnswerEngine.answer`` is the one call both front ends make; the ``Answer`` it returns holds
everything either of them shows (Discord renders it as an embed, the CLI as text or JSON).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from pathlib import Path

from bot.core.article import Article
from bot.core.asking import (
    FollowUp,
    Kind,
    follow_up,
    gives,
    kind_of,
    points_back,
    question_clause,
    question_parts,
)
from bot.core.bm25 import BM25, Opinion
from bot.core.boosting import BoostedTrees
from bot.core.knowledge import Citation, Entry, KnowledgeBase
from bot.core.matcher import Candidate, Index, Tuning
from bot.core.normalize import COMMON_TERMS, QUESTION_WORDS, simplify

MAX_QUESTION_CHARS = 500
# What the confidence model judges a match by: its score, its lead over the next entry, how
# well its best phrasing alone matches, how much of the question its words explain; BM25's
# share for it of the best BM25 score, that best score and its lead; the message's length in
# words (at most 40); whether the entry is a partial one; whether its answer gives the kind
# of answer asked for.
SIGNALS = ("score", "lead", "phrasing", "coverage", "bm25_share", "bm25_top", "bm25_lead",
           "words", "partial", "gives")
CONFIDENCE_FILE = Path(__file__).with_name("confidence.json")


@cache
def confidence_model() -> BoostedTrees | None:
    """The shipped confidence model; None (the rules alone decide) when it is missing,
    unreadable or trained on other signals."""
    try:
        model = BoostedTrees.load(CONFIDENCE_FILE)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return model if model.signals == SIGNALS else None



@dataclass(frozen=True, slots=True)
class Thresholds:
    """When to answer, chosen from the sweep ``python -m bot bench`` prints on the tuning set.

    A match ``answer_at`` or better is answered. A match ``close_at`` or better is answered
    when it leads the next entry by ``margin``: a clear lead means the question is about that
    entry even when chatty words the knowledge base does not know pull every score down.

    Two looser rules were measured and left out. Ignoring a runner-up that is one of the
    entry's related entries, and answering a 50 that leads by 18, each answered more on the
    first tuning set, but over the tuning set and both earlier held-out sets together (920
    questions) they cost a point of wrong answers and three of near-topic refusals for three
    points of answered right.
    """

    answer_at: float = 85.0
    close_at: float = 55.0
    margin: float = 14.0
    # A match this good also answers when BM25, which shares none of the matcher's synonyms
    # or typo handling, ranks the same entry first: two independent signals agree (over the
    # 920 questions: 5 points more answered right for 0.4 more wrong).
    agreed_at: float = 60.0
    # ... and from this score in a message of ``long_words`` words or more: its chat words
    # pull every score down, not only the wrong entries' (over the 1,359 answerable questions
    # tuned on: 1.4 points more answered right, 0.1 more wrong, no off- or near-topic
    # question answered more).
    agreed_long_at: float = 50.0
    long_words: int = 12

    # The confidence model (``SIGNALS``, trained by ``python -m bot train-confidence``) has the
    # last word: a match the rules above answer is answered only when the model gives it at
    # least ``unlikely_below``, and a match they do not answer is answered when the model gives
    # it ``likely_at`` or more. Measured leaving each of the nine sets tuned on out of the
    # training in turn and answering it (2,279 answerable questions): answered right 86.6% ->
    # 87.9% (better on every set), wrong 2.6% both ways, off-topic and near-topic refused
    # unchanged, follow-ups 65.4% -> 65.1%; after the knowledge base's next phrasings, 88.3% ->
    # 89.6% right and 1.9% -> 2.1% wrong. At 0.4 / 0.8: 89.2% and 2.0%; at 0.5 / 0.8: 89.1%
    # and 2.1%; at 0.4 / 0.7 (first measure): +1.6 points for 0.2 more wrong; the model alone
    # at 0.65: +0.6 for 0.2 more wrong. Over eleven sets (2,739 questions): 88.6% -> 90.0%
    # right, 2.0% -> 2.3% wrong, follow-ups 66.2% -> 68.5%; two more signals (an asking
    # clause apart from the message, the share of unknown words) added nothing.
    unlikely_below: float = 0.4
    likely_at: float = 0.75

    def confident(self, best: float, runner_up: float) -> bool:
        """Whether the best match (score ``best``) is clearly the entry asked about."""
        return best >= self.answer_at or (best >= self.close_at
                                          and best - runner_up >= self.margin)

    def decided(self, by_rules: bool, chance: float | None) -> bool:
        """The rules' verdict, with the confidence model's ``chance`` (None: no model)."""
        if chance is None:
            return by_rules
        return chance >= self.likely_at or (by_rules and chance >= self.unlikely_below)


SUGGEST_AT = 45.0  # a match this good is offered as "did you mean"
# A message asking several questions at once is answered by one of them only when its entry is
# among the message's best two (over the 1,359 questions tuned on: 0.8 points more answered
# right, 0.2 more wrong; among the best four, 0.3 more wrong).
PART_AMONG = 2
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
PARTIAL_PRIOR = 0.97
# A question that points back with "they" or "him" and no previous question is answered only
# when its topic words say what it is about: together this share of the rarest word's weight.
# At 0.55 rather than 0.7, 7 more of the 1,359 questions tuned on are answered ("who were they
# even fighting in the 80s"), all right; the later turns of conversations asked alone are
# answered 66 times instead of 64, one of the two right.
SUBJECT_WEIGHT = 0.55

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
class Reading:
    """A question as the engine matched it: the text searched and the kind of answer wanted.
    A follow-up's reading carries the words of the question before it."""

    query: str
    kind: Kind
    terms: tuple[str, ...]


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
    # What was matched: the question itself, or for a follow-up ("who drove them out?") the
    # question read with the one before it, whose words ``follows`` gives.
    reading: Reading | None = field(default=None, compare=False, repr=False)
    follows: str | None = None

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
            "follows": self.follows,
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
    bm25: BM25 = field(repr=False)
    _sentence_citations: dict[str, Citation] = field(repr=False)
    thresholds: Thresholds = Thresholds()
    # Terms that name someone or something in the article ("pol pot", "china"): what a
    # follow-up such as "what about him?" carries over from the question before.
    names: frozenset[str] = frozenset()
    _kinds_given: dict[tuple[str, Kind], bool] = field(default_factory=dict, repr=False)
    _entry_claims: dict[str, tuple[tuple[frozenset[str], bool], ...]] = field(
        default_factory=dict, repr=False)
    _asked_as: dict[Kind, tuple[str, ...]] = field(default_factory=dict, repr=False)
    confidence: BoostedTrees | None = field(default=None, repr=False)
    # Called with the best match and its signals at every decision (``bot.training``).
    observe: Callable[[str, tuple[float, ...]], None] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, kb: KnowledgeBase, tuning: Tuning | None = None,
              thresholds: Thresholds | None = None) -> AnswerEngine:
        index = Index(
            ((e.id, p) for e in kb.entries for p in e.phrasings),
            ((e.id, text) for e in kb.entries for text in _context(e)),
            tuning,
            kb.normalizer,
        )
        sentence_citations = _sentence_citations(kb.article)
        sentences = Index(((key, c.quote) for key, c in sentence_citations.items()),
                          tuning=_SENTENCE_TUNING, normalizer=kb.normalizer)
        return cls(kb, index, sentences, BM25(kb), sentence_citations,
                   thresholds or Thresholds(), _names(kb), confidence=confidence_model())

    def clear_caches(self) -> None:
        """See ``Index.clear_caches``."""
        self.index.clear_caches()
        self.sentences.clear_caches()

    def candidates(self, question: str, limit: int = 5, *, prefix: bool = False
                   ) -> list[Candidate]:
        """The closest entries with the scores the decision uses, best first (for /kb test,
        autocomplete and the bench). ``prefix``: the question is still being typed."""
        return self._ranked(clean_question(question)[:MAX_QUESTION_CHARS], limit, prefix=prefix)

    def _ranked(self, asked: str, limit: int, kind: Kind | None = None, *,
                prefix: bool = False) -> list[Candidate]:
        """Index matches, marked down when the answer cannot be of the kind asked for.

        A chatty message is also matched by the clause that asks alone (with whom the words
        before it name, when the clause only points at them: "…stuck on ta mok, what happened
        to him?"), and the better of the two is kept: the words around a question should not
        outweigh it.
        """
        kind = kind_of(simplify(asked)) if kind is None else kind
        found = self._marked(self.index.search(asked, limit, prefix=prefix), kind)
        clause = question_clause(asked)
        if clause:
            reading = self._in_context(clause, asked[: len(asked) - len(clause)])
            alone = self._marked(self.index.search(reading.query, limit, prefix=prefix),
                                 kind)
            if alone and (not found or alone[0].score > found[0].score):
                return alone
        return found

    def _reading(self, text: str) -> Reading:
        return Reading(text, kind_of(simplify(text)), self.kb.normalizer.terms(text))

    def _in_context(self, part: str, before: str) -> Reading:
        """A part of a message read with whom the words ``before`` it name, when it only
        points at them ("…stuck on ta mok, what happened to him?")."""
        reading = self._reading(part)
        if before.strip() and self._leans(part, reading) is FollowUp.REFERS:
            earlier = self._reading(before)
            reading = self._join(reading, FollowUp.REFERS, earlier, self._named(earlier.terms))
        return reading

    def _topic(self, reading: Reading) -> set[str]:
        """A question's own subject: the words the knowledge base knows that are neither
        question words nor everyday words ("by how long" has none)."""
        return {t for t in reading.terms if t not in QUESTION_WORDS
                and t not in COMMON_TERMS and self.index.correct(t) is not None}

    def _leans(self, text: str, reading: Reading) -> FollowUp:
        """How a question leans on the one before, judged on its topic words."""
        content = self._topic(reading)
        return follow_up(simplify(text), content, content & self.names)

    def _marked(self, found: list[Candidate], kind: Kind) -> list[Candidate]:
        """Scores marked down for an answer that cannot be of the kind asked for, and for an
        entry that says what the article does not tell (it must win on the detail asked,
        not on the subject it shares with the entry that answers)."""
        marked = []
        for c in found:
            entry = self.kb.by_id[c.key]
            factor = PARTIAL_PRIOR if entry.partial else (
                1.0 if self._gives(entry.id, kind) else TYPE_MISMATCH)
            marked.append(c if factor == 1.0 else Candidate(
                c.key, c.phrasing, round(c.score * factor, 1), c.phrasing_score, c.coverage))
        return sorted(marked, key=lambda c: -c.score)

    def _yes_or_no(self, asked: str, entry: Entry) -> str | None:
        """'Yes' or 'No' when the question makes the same claim as one of the entry's yes/no
        questions: the same topic words (everyday and question words aside). Words alone
        cannot tell "was Ta Mok the foreign minister?" from "was Ta Mok named beside the
        foreign minister?", so a claim that only contains another gets no Yes or No. A
        yes/no question written with "not" is read for its positive claim ("China didn't take
        them in, right?" – yes – means "did China take them in?" – no); a question asked with
        "not" gets no Yes or No, since English leaves it unclear which is meant. When the
        entry's questions disagree, or none matches: no Yes or No.
        """
        normalizer = self.kb.normalizer
        claim = self._claim(asked)
        if not claim or normalizer.negated(asked):
            return None
        found = {truth for known, truth in self._claims_of(entry) if known == claim}
        return ("Yes" if found.pop() else "No") if len(found) == 1 else None

    def _claim(self, text: str) -> frozenset[str]:
        return frozenset(self.kb.normalizer.terms(text)) - QUESTION_WORDS - COMMON_TERMS

    def _claims_of(self, entry: Entry) -> tuple[tuple[frozenset[str], bool], ...]:
        """The claims of an entry's yes/no questions, each with whether its positive claim
        is true, remembered: working them out on every question costs more than matching."""
        claims = self._entry_claims.get(entry.id)
        if claims is None:
            negated = self.kb.normalizer.negated
            claims = self._entry_claims[entry.id] = tuple(
                (self._claim(phrasing), reply != negated(phrasing))
                for reply, phrasings in ((True, entry.yes_to), (False, entry.no_to))
                for phrasing in phrasings)
        return claims

    def _gives(self, entry_id: str, kind: Kind) -> bool:
        """``asking.gives`` for an entry's answer, remembered: answers do not change."""
        found = self._kinds_given.get((entry_id, kind))
        if found is None:
            found = self._kinds_given[entry_id, kind] = gives(self.kb.by_id[entry_id].answer,
                                                               kind)
        return found

    def answer(self, question: str, previous: Answer | None = None) -> Answer:
        """Decide how to reply to one question.

        ``previous`` is the same person's last answered question, if any (see
        ``conversation``): a question that leans on it ("who drove them out?", "why?", "what
        about Ieng Sary?") is read together with it, and the reply says so. Without one, such a
        question is never answered as if we knew who "them" is.
        """
        asked = clean_question(question)
        if len(asked) > MAX_QUESTION_CHARS:
            return Answer(asked[:MAX_QUESTION_CHARS], Decision.TOO_LONG)
        reading = self._reading(asked)
        content = set(reading.terms) - QUESTION_WORDS
        lean = self._leans(asked, reading)
        if previous is not None and previous.reading is not None and lean is not FollowUp.NONE:
            joined = self._join(reading, lean, previous.reading, self._referent(previous))
            answer = self._decide(asked, joined, self._found(joined))
            if answer.answered or answer.partial:
                return replace(answer, follows=previous.question)
        if not content or (len(reading.terms) < 4 and simplify(asked) in HELP_REQUESTS):
            return Answer(asked, Decision.EMPTY)  # nothing to match on ("", "why?", "help")
        found = self._found(reading)
        answer = self._decide(asked, reading, found)
        if (answer.answered or answer.partial) and self._points_at_nobody(asked, reading):
            answer = self._unsure(asked, found)  # "who drove them out?": who is "them"?
        if answer.decision in (Decision.DID_YOU_MEAN, Decision.NOT_COVERED):
            return self._one_of_its_questions(asked, found) or answer
        return answer

    def _one_of_its_questions(self, asked: str, found: list[Candidate]) -> Answer | None:
        """The reply to one of the questions a message asks together ("where did the khmer
        rouge go and who were they fighting?"), when the message as a whole is not clearly
        about one entry: the first question clearly answered, by one of the message's best
        ``PART_AMONG`` entries (alone, "who's behind it" could be about anything). A question
        pointing back at nothing ("who drove them out and why?") is not guessed."""
        best = {c.key for c in found[:PART_AMONG]}
        for part in question_parts(asked):
            reading = self._reading(part)
            if self._points_at_nobody(part, reading):
                earlier = self._reading(asked[: asked.find(part)])
                named = self._named(earlier.terms)
                if not named:
                    continue
                reading = self._join(reading, FollowUp.REFERS, earlier, named)
            ranked = self._found(reading)
            if ranked and ranked[0].key in best and self._sure(part, ranked, reading.kind):
                return replace(self._reply(part, reading.kind, ranked[0]), question=asked,
                               reading=reading)
        return None

    def _join(self, reading: Reading, lean: FollowUp, previous: Reading,
              referent: tuple[str, ...]) -> Reading:
        """A follow-up read with the question before it, as one query. ``referent`` is whom
        "he" or "they" points at (see ``_referent``)."""
        before = [t for t in previous.terms if t not in QUESTION_WORDS]
        own = [t for t in reading.terms if t not in QUESTION_WORDS]
        asks = [t for t in reading.terms if t in QUESTION_WORDS]
        if lean is FollowUp.SWAP:  # the same question, about someone else
            kept = [t for t in previous.terms if t not in self.names]
            return Reading(" ".join(kept + own), previous.kind, (*kept, *own))
        if lean is FollowUp.REFERS:  # the question, about whom the last one was about
            words = (*reading.terms, *(referent or before))
        elif lean is FollowUp.NEXT:
            words = ("what", "after", *before)
        else:  # elliptic: only a question word, about the whole question before
            words = (*asks, *before)
        kind = reading.kind if reading.kind not in (Kind.OTHER, Kind.YES_NO) or (
            lean is FollowUp.REFERS) else previous.kind
        return Reading(" ".join(words), kind, tuple(dict.fromkeys(words)))

    def _points_at_nobody(self, text: str, reading: Reading) -> bool:
        """Whether a question points back ("who drove them out?") without naming anyone or
        saying what it is about: alone, it cannot be answered."""
        return (points_back(simplify(text)) and not self._named(reading.terms)
                and not self._says_what(reading))

    def _says_what(self, reading: Reading) -> bool:
        """Whether a question that points back ("they", "his") still says by itself what it
        is about: two or more topic words weighing together at least ``SUBJECT_WEIGHT`` of
        the rarest word ("what kind of society were they trying to build", "the guy who was
        foreign minister, what is his name?"), unlike "what was his job" or "what happened to
        him after"."""
        topic = self._topic(reading)
        return len(topic) >= 2 and self.index.weight_share(topic) >= SUBJECT_WEIGHT

    def _named(self, terms: Iterable[str]) -> tuple[str, ...]:
        return tuple(t for t in terms if t in self.names)

    def _referent(self, previous: Answer) -> tuple[str, ...]:
        """Whom "he", "his" or "they" in a follow-up points at: after "who…?" the person the
        answer names ("who sent the cable?" – "what was his job?": Eagleburger), otherwise
        whom the question named, or its entry."""
        terms = previous.reading.terms if previous.reading else ()
        asked = self._named(terms)
        entry = previous.entry
        # "who was ta mok?" is about Ta Mok; "who sent the cable?" about whom the answer names.
        about_someone_else = set(terms) - QUESTION_WORDS - set(asked)
        if (entry is not None and previous.reading and previous.reading.kind is Kind.WHO
                and about_someone_else):
            for run in _NAME_RUN.finditer(entry.answer):
                named = self._named(self.kb.normalizer.terms(run.group()))
                if named and not set(named) & set(asked):
                    return named
        if asked or entry is None:
            return asked
        return self._named(self.kb.normalizer.terms(entry.question)) or next(
            (named for run in _NAME_RUN.finditer(entry.answer)
             if (named := self._named(self.kb.normalizer.terms(run.group())))), ())

    def _found(self, reading: Reading) -> list[Candidate]:
        """The matches a decision is made from: the best, its rivals and the suggestions."""
        return self._ranked(reading.query, MAX_SUGGESTIONS + 1, reading.kind)

    def _decide(self, asked: str, reading: Reading, found: list[Candidate]) -> Answer:
        if self._sure(asked, found, reading.kind):
            return replace(self._reply(asked, reading.kind, found[0]), reading=reading)
        from_article = self._from_article(reading.query)
        if from_article:
            return replace(from_article, question=asked, reading=reading)
        return self._unsure(asked, found)

    def _sure(self, asked: str, found: list[Candidate], kind: Kind) -> bool:
        """Whether the best match is clearly the entry asked about (see ``Thresholds``)."""
        if not found:
            return False
        best = found[0]
        runner_up = found[1].score if len(found) > 1 else 0.0
        bm25 = self.bm25.opinion(asked, best.key)
        by_rules = (self.thresholds.confident(best.score, runner_up)
                    or self._agreed(asked, best, bm25))
        if self.confidence is None and self.observe is None:
            return by_rules
        signals = self._signals(asked, found, kind, bm25)
        if self.observe is not None:
            self.observe(best.key, signals)
        chance = self.confidence.probability(signals) if self.confidence else None
        return self.thresholds.decided(by_rules, chance)

    def chance(self, question: str, found: list[Candidate]) -> float | None:
        """The confidence model's chance that ``found[0]`` is the entry a question asks about
        (for /kb test); None without a model or a match."""
        if self.confidence is None or not found:
            return None
        asked = clean_question(question)
        signals = self._signals(asked, found, kind_of(simplify(asked)),
                                self.bm25.opinion(asked, found[0].key))
        return self.confidence.probability(signals)

    def _signals(self, asked: str, found: list[Candidate], kind: Kind, bm25: Opinion
                 ) -> tuple[float, ...]:
        """What the confidence model judges the best match by, in ``SIGNALS`` order."""
        best = found[0]
        runner_up = found[1].score if len(found) > 1 else 0.0
        entry = self.kb.by_id[best.key]
        return (best.score, best.score - runner_up, best.phrasing_score, best.coverage,
                bm25.share, bm25.top, bm25.lead, float(min(len(asked.split()), 40)),
                float(entry.partial), float(self._gives(entry.id, kind)))

    def asked_as(self, kind: Kind) -> tuple[str, ...]:
        """Entry ids, those with the most phrasings that ask for ``kind`` first: what a
        question of that kind is most likely after when its words do not tell yet ("in what
        year was th…")."""
        ids = self._asked_as.get(kind)
        if ids is None:
            count = {e.id: sum(kind_of(simplify(p)) is kind for p in e.phrasings)
                     for e in self.kb.entries}
            ids = self._asked_as[kind] = tuple(sorted(count, key=lambda i: -count[i]))
        return ids

    def _agreed(self, asked: str, best: Candidate, bm25: Opinion) -> bool:
        """Whether BM25 (its ``bm25`` opinion of the best match) ranks it first too, for a
        match of at least ``Thresholds.agreed_at`` (``agreed_long_at`` in a long message)."""
        thresholds = self.thresholds
        at = (thresholds.agreed_long_at if len(asked.split()) >= thresholds.long_words
              else thresholds.agreed_at)
        return best.score >= at and bm25.share >= 1.0

    def _unsure(self, asked: str, found: list[Candidate]) -> Answer:
        """Did you mean the closest entries, or not covered when none is close."""
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
        if not self._gives(entry.id, kind):
            return Answer(asked, Decision.PARTIAL, best.score, entry,
                          f"{not_said(asked, kind)} It says: {entry.answer}", entry.citations,
                          related=related)
        reply = self._yes_or_no(asked, entry) if kind is Kind.YES_NO else None
        text = f"{reply}. {entry.answer}" if reply else entry.answer
        return Answer(asked, Decision.ANSWERED, best.score, entry, text, entry.citations,
                      related=related)

    def answer_entry(self, entry: Entry) -> Answer:
        """An entry's answer as if its own question had been asked (a suggestion clicked)."""
        reading = Reading(entry.question, kind_of(simplify(entry.question)),
                          self.kb.normalizer.terms(entry.question))
        return Answer(entry.question, Decision.PARTIAL if entry.partial else Decision.ANSWERED,
                      100.0, entry, entry.answer, entry.citations, related=self.related(entry),
                      reading=reading)

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


_NOT_GIVEN = {Kind.WHEN: "a date", Kind.SPAN: "a length of time", Kind.QUANTITY: "a number",
              Kind.WHY: "a reason", Kind.WHO: "a name", Kind.WHERE: "a place"}


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


_NAME_WORD = r"[A-Z][\w']*(?:-[A-Z][\w']*)*"
_NAME_RUN = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})*")


def _names(kb: KnowledgeBase) -> frozenset[str]:
    """The terms of the article's proper names: runs of capitalised words, except a single
    capitalised word that only opens a sentence ("Between", "It")."""
    found: set[str] = set()
    for paragraph in kb.article.all_paragraphs:
        for sentence in paragraph.sentences:
            for match in _NAME_RUN.finditer(sentence):
                if match.start() == 0 and " " not in match.group():
                    continue
                found.update(kb.normalizer.terms(match.group()))
    return frozenset(found - QUESTION_WORDS)


def _sentence_citations(article: Article) -> dict[str, Citation]:
    """Each body sentence of the article as a citation, keyed "p<paragraph>s<sentence>"."""
    return {
        f"p{p.number}s{i}": Citation(p.number, sentence)
        for p in article.paragraphs
        for i, sentence in enumerate(p.sentences, start=1)
    }
