"""Phrasings suggested by what people asked, for moderators to accept or reject.

People tie a question to an entry when they pick it from "did you mean", give its answer a 👍,
or reach it right after a question that got none (``store.SignalRecord``). Each such pair is a
suggested phrasing: the way people really ask. Near-duplicates are grouped (rapidfuzz on the
words the matcher sees), counted by distinct people, and offered until a moderator accepts
them (added as alternates, validated and recorded like any change) or rejects them (never
suggested again). 👎 marks a pair as doubtful: listed beside its entry, for a look.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz

from bot.core.errors import NotFoundError
from bot.core.knowledge import KnowledgeBase
from bot.core.service import Editor, KnowledgeService
from bot.core.store import Signal, Store, UnansweredQuestion

T = TypeVar("T")

SUGGESTING = frozenset({"click", "upvote", "rephrased"})
SAME_WAY = 88.0  # fuzz.ratio of two questions' terms at which they count as one way of asking


@dataclass(frozen=True, slots=True)
class Proposal:
    """Phrasings suggested for one entry, near-duplicates together (the most asked first)."""

    id: str
    entry_id: str
    phrasings: tuple[str, ...]
    keys: tuple[str, ...]  # store keys of the phrasings, for the verdict
    count: int  # distinct people (per phrasing, summed)
    owner: str | None = None  # another entry already asked this way: accepting cannot add it

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "entry_id": self.entry_id, "phrasings": list(self.phrasings),
                "count": self.count, "owned_by": self.owner}


@dataclass(frozen=True, slots=True)
class Doubt:
    """A question people answered with 👎 for an entry."""

    entry_id: str
    phrasing: str
    count: int


def pending(kb: KnowledgeBase, signals: Iterable[Signal]) -> list[Proposal]:
    """The undecided suggestions, grouped, the most asked first. A phrasing the entry already
    has is not suggested; one another entry has is shown with that entry (``owner``)."""
    normalizer = kb.normalizer
    owners = {normalizer.phrasing_key(p): e.id for e in kb.entries for p in e.phrasings}
    by_entry: dict[str, list[tuple[Signal, str]]] = {}
    for signal in signals:
        if signal.entry_id not in kb.by_id or not signal.kinds & SUGGESTING:
            continue
        terms = normalizer.phrasing_key(signal.phrasing)
        if not terms or owners.get(terms) == signal.entry_id:
            continue
        by_entry.setdefault(signal.entry_id, []).append((signal, terms))
    proposals = []
    for entry_id, found in by_entry.items():
        for group in near_duplicates(found, lambda item: item[1], lambda item: item[0].people):
            first = group[0][0]
            owner = next((owners[t] for _, t in group if owners.get(t) not in (None, entry_id)),
                         None)
            proposals.append(Proposal(
                proposal_id(entry_id, first.key), entry_id,
                tuple(s.phrasing for s, _ in group), tuple(s.key for s, _ in group),
                sum(s.people for s, _ in group), owner))
    return sorted(proposals, key=lambda p: (-p.count, p.entry_id, p.phrasings[0]))


def near_duplicates(items: Iterable[T], words: Callable[[T], str],
                    weight: Callable[[T], int]) -> list[list[T]]:
    """Items grouped when their words (as the matcher sees them) are the same or nearly
    (``SAME_WAY``); the heaviest first in each group and among groups."""
    groups: list[list[T]] = []
    for item in sorted(items, key=lambda i: -weight(i)):
        terms = words(item)
        home = next((g for g in groups if words(g[0]) == terms
                     or fuzz.ratio(words(g[0]), terms, processor=None) >= SAME_WAY), None)
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    return groups


@dataclass(frozen=True, slots=True)
class UnansweredGroup:
    """Unanswered questions asked in nearly the same words, counted together."""

    questions: tuple[str, ...]
    times: int
    last_asked: str


def unanswered_groups(kb: KnowledgeBase, questions: Iterable[UnansweredQuestion]
                      ) -> list[UnansweredGroup]:
    """``/kb unanswered``: near-duplicates together, the most asked first."""
    key = kb.normalizer.phrasing_key
    groups = near_duplicates(questions, lambda q: key(q.question) or q.question,
                             lambda q: q.times)
    found = [UnansweredGroup(tuple(q.question for q in g), sum(q.times for q in g),
                             max(q.last_asked for q in g)) for g in groups]
    return sorted(found, key=lambda g: (-g.times, g.questions[0]))


def doubts(kb: KnowledgeBase, signals: Iterable[Signal]) -> list[Doubt]:
    """Questions whose answer got a 👎, by entry, the most doubted first."""
    found = [Doubt(s.entry_id, s.phrasing, s.people) for s in signals
             if "downvote" in s.kinds and s.entry_id in kb.by_id]
    return sorted(found, key=lambda d: (-d.count, d.entry_id, d.phrasing))


def proposal_id(entry_id: str, key: str) -> str:
    """A short id that stays the same while the suggestion waits (for the command line)."""
    return hashlib.sha1(f"{entry_id}\n{key}".encode(), usedforsecurity=False).hexdigest()[:8]


def chosen(proposals: Sequence[Proposal], ids: Iterable[str]) -> list[Proposal]:
    by_id = {p.id: p for p in proposals}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise NotFoundError(f"No pending suggestion {', '.join(missing)} (see `python -m bot "
                            "suggestions`).")
    return [by_id[i] for i in dict.fromkeys(ids)]


@dataclass(frozen=True, slots=True)
class Outcome:
    added: tuple[tuple[str, str], ...]  # (entry id, phrasing)
    refused: tuple[tuple[str, str, str], ...]  # (entry id, phrasing, why)


def accept(service: KnowledgeService, store: Store, proposals: Sequence[Proposal],
           editor: Editor) -> Outcome:
    """Add the proposals' phrasings as alternates, in one validated, recorded change; a
    phrasing another entry already has is reported, not added. All are then decided."""
    wanted: dict[str, list[str]] = {}
    for proposal in proposals:
        wanted.setdefault(proposal.entry_id, []).extend(proposal.phrasings)
    added, refused = service.add_alternates(wanted, editor, action="suggestion")
    store.decide([(p.entry_id, key) for p in proposals for key in p.keys], "accepted",
                 str(editor))
    return Outcome(tuple(added), tuple(refused))


def reject(store: Store, proposals: Sequence[Proposal], editor: Editor) -> int:
    """Never suggest these again; returns how many."""
    store.decide([(p.entry_id, key) for p in proposals for key in p.keys], "rejected",
                 str(editor))
    return len(proposals)
