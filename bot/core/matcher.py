"""Fuzzy matching of a question against indexed phrasings, scored 0–100.

The method, chosen by measurement on the dev set (``python -m bot bench`` prints the comparison):

1. Both sides are reduced to their meaningful terms (``normalize.terms``).
2. A query term missing from the index's vocabulary is corrected to the closest vocabulary word
   with rapidfuzz (``fuzz.ratio``), so "eaglburger" and "kmer" still count.
3. Terms weigh by rarity across entries (inverse document frequency): "eagleburger" says more
   than "pol". An inverted index gives the phrasings sharing at least one term; only those are
   scored. The coverage score rewards explaining *all* of the question (a question with words the
   knowledge base has never seen, like "born", cannot score high) and, less, all of the phrasing.
4. The best few are re-scored with rapidfuzz's ``token_sort_ratio`` on the term strings, which
   separates near-ties by word order and spelling.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.normalize import QUESTION_WORDS, terms


@dataclass(frozen=True, slots=True)
class Candidate:
    """One scored match: the key (an entry id or a sentence key) and its best phrasing."""

    key: str
    phrasing: str
    score: float


@dataclass(frozen=True, slots=True)
class Tuning:
    """The matcher's constants, set from the dev-set measurements (see the bench)."""

    query_weight: float = 1.0  # exponent on the share of the question explained
    phrasing_weight: float = 0.5  # exponent on the share of the phrasing explained
    context_credit: float = 0.6  # credit for a word found only in the key's context
    unknown_weight: float = 0.8  # weight of a word the index has never seen, times the rarest
    question_weight: float = 0.0  # least weight of a question word, times the rarest
    rerank_weight: float = 0.25  # share of token_sort_ratio in the final score
    rerank_depth: int = 8  # how many of the best keys are re-scored
    typo_credit: float = 0.8  # credit for a misspelt word, as a share of the word's weight
    typo_min_length: int = 4  # shorter words must match exactly; longer ones may have one
    typo_two_edits_length: int = 8  # typo (OSA distance), this long or more may have two


@dataclass(frozen=True, slots=True)
class _Phrasing:
    key: str
    text: str
    terms: str  # the terms joined by spaces, for the rerank
    weight: float  # total weight of its terms


class Index:
    """An inverted index over (key, text) phrasings; several phrasings may share a key.

    ``contexts`` are more (key, text) pairs, such as an entry's answer and quotes: their words
    do not make a phrasing match, but a question word found there is partly explained.
    """

    def __init__(
        self,
        documents: Iterable[tuple[str, str]],
        contexts: Iterable[tuple[str, str]] = (),
        tuning: Tuning | None = None,
    ) -> None:
        self.tuning = tuning or Tuning()
        docs = [(key, text, terms(text)) for key, text in documents]
        keys_with: dict[str, set[str]] = {}
        for key, text in [(key, text) for key, text, _ in docs] + list(contexts):
            for word in terms(text):
                keys_with.setdefault(word, set()).add(key)
        key_count = len({key for key, _, _ in docs}) or 1
        self.weights = {w: math.log(1 + key_count / len(k)) for w, k in keys_with.items()}
        rarest = max(self.weights.values(), default=1.0)
        for word in QUESTION_WORDS & self.weights.keys():
            self.weights[word] = max(self.weights[word], self.tuning.question_weight * rarest)
        self._context_postings = {w: sorted(k) for w, k in keys_with.items()}
        self.unknown_weight = self.tuning.unknown_weight * rarest
        self._by_initial: dict[str, list[str]] = {}
        for word in sorted(self.weights):
            self._by_initial.setdefault(word[0], []).append(word)
        self._phrasings: list[_Phrasing] = []
        self._postings: dict[str, list[int]] = {}
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for key, text, words in docs:
            if not words or (key, words) in seen:
                continue  # phrasings that reduce to the same terms score the same: index once
            seen.add((key, words))
            number = len(self._phrasings)
            weight = sum(self.weights[w] for w in words)
            self._phrasings.append(_Phrasing(key, text, " ".join(words), weight))
            for word in words:
                self._postings.setdefault(word, []).append(number)
        self._corrections: dict[str, tuple[str, float] | None] = {}

    def __len__(self) -> int:
        return len(self._phrasings)

    def correct(self, word: str) -> tuple[str, float] | None:
        """The vocabulary word a query word stands for, with its credit 0–1, or None.

        A misspelling keeps its first letter and is one edit away (a swap of two letters
        counts as one), or two for long words: "eaglburger", "kmer", "cabel".
        """
        if word in self.weights:
            return word, 1.0
        tuning = self.tuning
        if len(word) < tuning.typo_min_length or not word.isalpha():
            return None
        if word not in self._corrections:
            if len(self._corrections) > 10_000:
                self._corrections.clear()
            edits = 2 if len(word) >= tuning.typo_two_edits_length else 1
            best = process.extractOne(word, self._by_initial.get(word[0], ()),
                                      scorer=OSA.distance, score_cutoff=edits)
            self._corrections[word] = (best[0], tuning.typo_credit) if best else None
        return self._corrections[word]

    def search(self, query: str, limit: int = 5) -> list[Candidate]:
        """The best ``limit`` keys for a query, each with its best phrasing, best first."""
        words = terms(query)
        if not words:
            return []
        tuning = self.tuning
        matched: dict[int, float] = {}
        in_context: dict[str, float] = {}
        query_weight = 0.0
        corrected: list[str] = []
        for word in words:
            found = self.correct(word)
            if found is None:
                query_weight += self.unknown_weight
                corrected.append(word)
                continue
            vocab_word, similarity = found
            weight = self.weights[vocab_word]
            query_weight += weight
            corrected.append(vocab_word)
            credit = weight * similarity
            for number in self._postings.get(vocab_word, ()):
                matched[number] = matched.get(number, 0.0) + credit
            for key in self._context_postings[vocab_word]:
                in_context[key] = in_context.get(key, 0.0) + credit
        if not matched:
            return []
        best_by_key: dict[str, tuple[float, int]] = {}
        phrasings = self._phrasings
        q_exp, p_exp, discount = tuning.query_weight, tuning.phrasing_weight, tuning.context_credit
        for number, credit in matched.items():
            phrasing = phrasings[number]
            explained = credit + discount * (in_context[phrasing.key] - credit)
            score = (explained / query_weight) ** q_exp * min(credit / phrasing.weight, 1) ** p_exp
            held = best_by_key.get(phrasing.key)
            if held is None or score > held[0]:
                best_by_key[phrasing.key] = (score, number)
        top = heapq.nlargest(max(limit, tuning.rerank_depth), best_by_key.values())
        query_terms = " ".join(corrected)
        rerank = tuning.rerank_weight
        results = [
            Candidate(
                phrasings[number].key,
                phrasings[number].text,
                round(100 * ((1 - rerank) * score) + rerank * fuzz.token_sort_ratio(
                    query_terms, phrasings[number].terms, processor=None), 1),
            )
            for score, number in top
        ]
        results.sort(key=lambda c: -c.score)
        return results[:limit]
