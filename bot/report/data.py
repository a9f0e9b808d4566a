"""What the report shows, worked out from the knowledge base and the question log's aggregates.

``gather`` reads the store (a handful of grouped queries: their cost does not grow with the
number of rows they count past the index scan, and no row of the log is loaded one by one);
``figures`` turns what it read into what the page draws, with no I/O, so a test can feed it a
known log. Privacy is applied here: question texts only as groups with counts, nothing about
who asked, and a question asked once only with ``include_rare``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.core.coverage import CitedSentence, cited_sentences
from bot.core.knowledge import Entry, KnowledgeBase
from bot.core.store import DayCount, Revision, Signal, Store, UnansweredQuestion
from bot.core.suggestions import Proposal, UnansweredGroup, pending, unanswered_groups

# How the page splits decisions: an answer (from an entry, or straight from an article
# sentence), a partial answer, "did you mean", and everything else (not covered, empty, too
# long), which got no answer.
CATEGORIES = ("answered", "partial", "did_you_mean", "refused")
ANSWERS = frozenset({"answered", "from_article"})
HEAT_LEVELS = 5
OFTEN_UNSURE = 0.2  # a sentence this share of whose questions got no confident answer stands out
RARE = 1  # asked this many times or fewer: shown only with ``include_rare``
TOP_ENTRIES = 20
TOP_UNANSWERED = 25
TOP_SUGGESTIONS = 25
CHANGES = 10


def category(decision: str) -> str:
    """The page's category of a logged decision (one of ``CATEGORIES``)."""
    if decision in ANSWERS:
        return "answered"
    return decision if decision in CATEGORIES else "refused"


@dataclass(frozen=True, slots=True)
class ReportOptions:
    days: int = 30
    include_rare: bool = False
    guild_id: int | None = None  # one server's questions, or all (None)
    scope: str = "all servers"  # whose questions, as the page says it


@dataclass(frozen=True, slots=True)
class Window:
    """The days the report covers, in UTC, ``first`` to ``last`` included."""

    first: date
    last: date

    @classmethod
    def ending(cls, now: datetime, days: int) -> Window:
        last = now.date()
        return cls(last - timedelta(days=days - 1), last)

    @property
    def days(self) -> list[str]:
        count = (self.last - self.first).days + 1
        return [(self.first + timedelta(days=n)).isoformat() for n in range(count)]


@dataclass(frozen=True, slots=True)
class LogSummary:
    """What ``gather`` read from the store, as the store returned it."""

    counts: Sequence[DayCount]
    votes: dict[str, tuple[int, int]]
    unanswered: Sequence[UnansweredQuestion]
    signals: Sequence[Signal]
    changes: Sequence[Revision]


def gather(store: Store, options: ReportOptions, window: Window) -> LogSummary:
    since = window.first.isoformat()
    return LogSummary(
        counts=store.day_counts(since, options.guild_id),
        votes=store.votes_by_entry(since, options.guild_id),
        unanswered=store.unanswered_since(since, options.guild_id),
        signals=store.signals(options.guild_id),
        changes=store.recent_changes(CHANGES))


@dataclass(frozen=True, slots=True)
class EntryUse:
    """How one entry was used in the window."""

    entry: Entry
    answered: int  # given as the answer
    unsure: int  # the best entry of a question that got no confident answer
    up: int  # people whose vote is 👍
    down: int

    @property
    def asked(self) -> int:
        return self.answered + self.unsure


@dataclass(frozen=True, slots=True)
class SentenceUse:
    """One sentence of the article: how often the answers citing it were given, and how
    often it was the subject of a question that got no confident answer."""

    sentence: CitedSentence
    uses: tuple[EntryUse, ...]  # the entries citing it
    answered: int
    unsure: int
    heat: int  # 0 (never given) to HEAT_LEVELS

    @property
    def often_unsure(self) -> bool:
        """At least ``OFTEN_UNSURE`` of the questions about it got no confident answer."""
        return self.unsure >= OFTEN_UNSURE * (self.answered + self.unsure) > 0


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything the page draws."""

    window: Window
    per_day: dict[str, Counter[str]]  # day → category → questions
    total: Counter[str]  # category → questions
    entries: tuple[EntryUse, ...]  # the most asked first
    sentences: tuple[SentenceUse, ...]
    unanswered: tuple[UnansweredGroup, ...]
    suggestions: tuple[Proposal, ...]
    rare_left_out: int  # unanswered groups and suggestions hidden for being asked once
    changes: tuple[Revision, ...]

    @property
    def questions(self) -> int:
        return sum(self.total.values())

    @property
    def never_asked(self) -> tuple[Entry, ...]:
        return tuple(use.entry for use in self.entries if not use.asked)

    @property
    def uncited(self) -> tuple[CitedSentence, ...]:
        return tuple(use.sentence for use in self.sentences if not use.sentence.covered)


def heat(count: int, most: int) -> int:
    """0 for never, else 1 to ``HEAT_LEVELS`` in proportion to the most given sentence."""
    if count <= 0 or most <= 0:
        return 0
    return math.ceil(HEAT_LEVELS * count / most)


def figures(kb: KnowledgeBase, log: LogSummary, options: ReportOptions,
            window: Window) -> Figures:
    per_day: dict[str, Counter[str]] = {day: Counter() for day in window.days}
    answered: Counter[str] = Counter()
    unsure: Counter[str] = Counter()
    for row in log.counts:
        kind = category(row.decision)
        if row.day in per_day:
            per_day[row.day][kind] += row.count
        if row.entry_id is not None:
            (answered if kind == "answered" else unsure)[row.entry_id] += row.count
    uses = {e.id: EntryUse(e, answered[e.id], unsure[e.id], *log.votes.get(e.id, (0, 0)))
            for e in kb.entries}
    sentences = [(s, tuple(uses[i] for i in s.entries)) for s in cited_sentences(kb)]
    most = max((sum(u.answered for u in cited) for _, cited in sentences), default=0)
    sentence_uses = tuple(
        SentenceUse(s, cited, given := sum(u.answered for u in cited),
                    sum(u.unsure for u in cited), heat(given, most))
        for s, cited in sentences)
    groups = unanswered_groups(kb, log.unanswered)
    proposals = pending(kb, log.signals)
    shown_groups = [g for g in groups if options.include_rare or g.times > RARE]
    shown_proposals = [p for p in proposals if options.include_rare or p.count > RARE]
    return Figures(
        window=window, per_day=per_day, total=sum(per_day.values(), Counter()),
        entries=tuple(sorted(uses.values(), key=lambda u: (-u.asked, -u.down, u.entry.id))),
        sentences=sentence_uses,
        unanswered=tuple(shown_groups[:TOP_UNANSWERED]),
        suggestions=tuple(shown_proposals[:TOP_SUGGESTIONS]),
        rare_left_out=len(groups) - len(shown_groups) + len(proposals) - len(shown_proposals),
        changes=tuple(log.changes))
