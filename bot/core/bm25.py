"""Okapi BM25 over whole entries: a second, independent opinion on which entry a question is
about.

Each entry is one document (its question, alternates and answer) and words count as typed:
no synonyms, no typo correction, no question words. It knows nothing the matcher knows, so
when both rank the same entry first the agreement means something (``AnswerEngine``). It is
also the classic baseline the bench compares the matcher with.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from bot.core.knowledge import KnowledgeBase

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The words of a text as typed, lowercased."""
    return _WORD.findall(text.lower())


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
        rows: dict[str, list[float]] = {w: [0.0] * total for w in frequency}
        for number, (key, counts) in enumerate(documents.items()):
            norm = k1 * (1 - b + b * lengths[key] / average)
            for word, count in counts.items():
                idf = math.log(1 + (total - frequency[word] + 0.5) / (frequency[word] + 0.5))
                rows[word][number] = idf * count * (k1 + 1) / (count + norm)
        self._rows = {w: tuple(row) for w, row in rows.items()}

    def best(self, question: str) -> tuple[str | None, float]:
        """The best entry for a question and its score, or (None, 0) when no word is shared."""
        rows = [row for w in words(question) if (row := self._rows.get(w)) is not None]
        if not rows:
            return None, 0.0
        totals = list(map(sum, zip(*rows, strict=True)))
        number = max(range(len(totals)), key=totals.__getitem__)
        return self._keys[number], totals[number]
