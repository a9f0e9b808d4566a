"""Okapi BM25 over whole entries: a second, independent opinion on which entry a question is
about.

Each entry is one document (its question, alternates and answer) and words count as typed:
no synonyms, no typo correction, no question words. It knows nothing the matcher knows, so
when both rank the same entry first the agreement means something (``AnswerEngine``). It is
also the classic baseline the bench compares the matcher with.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from typing import NamedTuple

from bot.core.knowledge import KnowledgeBase

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The words of a text as typed, lowercased."""
    return _WORD.findall(text.lower())


class Opinion(NamedTuple):
    """BM25's view of one entry for a question: its score as a share of the best entry's
    (1.0: BM25 ranks it first too), the best score, and how far the best leads the next."""

    share: float
    top: float
    lead: float


class BM25:
    """Entries ranked by BM25 (k1 = 1.5, b = 0.75). Each word's contribution to every entry
    is worked out once, as one row, so ranking a question adds up a few rows (in C)."""

    def __init__(self, kb: KnowledgeBase, k1: float = 1.5, b: float = 0.75) -> None:
        documents = {e.id: Counter(w for text in (*e.phrasings, e.answer) for w in words(text))
                     for e in kb.entries}
        lengths = {key: sum(counts.values()) for key, counts in documents.items()}
        average = sum(lengths.values()) / max(1, len(lengths))
        frequency = Counter(w for counts in documents.values() for w in counts)
        total = len(documents)
        self._keys = list(documents)
        self._numbers = {key: number for number, key in enumerate(self._keys)}
        rows: dict[str, list[float]] = {w: [0.0] * total for w in frequency}
        for number, (key, counts) in enumerate(documents.items()):
            norm = k1 * (1 - b + b * lengths[key] / average)
            for word, count in counts.items():
                idf = math.log(1 + (total - frequency[word] + 0.5) / (frequency[word] + 0.5))
                rows[word][number] = idf * count * (k1 + 1) / (count + norm)
        self._rows = {w: tuple(row) for w, row in rows.items()}

    def best(self, question: str) -> tuple[str | None, float]:
        """The best entry for a question and its score, or (None, 0) when no word is shared."""
        totals = self._totals(question)
        if not totals:
            return None, 0.0
        number = max(range(len(totals)), key=totals.__getitem__)
        return self._keys[number], totals[number]

    def opinion(self, question: str, key: str) -> Opinion:
        """What BM25 thinks of ``key`` as the entry for a question (see ``Opinion``)."""
        totals = self._totals(question)
        if not totals:
            return Opinion(0.0, 0.0, 0.0)
        top, second = heapq.nlargest(2, totals) if len(totals) > 1 else (totals[0], 0.0)
        own = totals[self._numbers[key]] if key in self._numbers else 0.0
        return Opinion(own / top if top else 0.0, top, top - second)

    def _totals(self, question: str) -> list[float]:
        rows = [row for w in words(question) if (row := self._rows.get(w)) is not None]
        return list(map(sum, zip(*rows, strict=True))) if rows else []
