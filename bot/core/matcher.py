"""Fuzzy matching of a question against indexed phrasings, scored 0–100.

The method, chosen by measurement on the dev set (``python -m bot bench`` prints the comparison):

1. Both sides are reduced to their meaningful terms (``normalize.terms``).
2. A query term missing from the vocabulary is corrected to a vocabulary word one edit away
   (two for long words) with rapidfuzz's OSA distance, so "eaglburger" and "kmer" still count.
3. Terms weigh by rarity across entries (inverse document frequency): "eagleburger" says more
   than "pol". The score rewards explaining *all* of the question (a question with words the
   knowledge base has never seen, like "born", cannot score high) and, less, all of the
   phrasing. Words found only in the entry's answer or quote (its context) count in part.
4. The best few are re-scored with rapidfuzz's ``token_sort_ratio`` on the term strings, which
   separates near-ties by word order and spelling.

Speed: each term is encoded as one character repeated by its weight, and a phrasing as the
sorted string of its terms' characters. The weighted overlap of two term sets is then the
longest common subsequence of their strings, which rapidfuzz computes in C. An inverted index
narrows the phrasings to those sharing a term with the question; ``fuzz.ratio`` (the weighted
F1 of the two term sets) ranks them, and only the best are scored exactly.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, LCSseq

from bot.core.normalize import COMMON_TERMS, ENGLISH, QUESTION_WORDS, Normalizer, simplify


@dataclass(frozen=True, slots=True)
class Candidate:
    """One scored match: the key (an entry id or a sentence key) and its best phrasing.

    ``score`` ranks; ``phrasing_score`` says how well one curated phrasing alone matches, and
    ``coverage`` how much of the question the key's words explain taken together (0–100)."""

    key: str
    phrasing: str
    score: float
    phrasing_score: float = 0.0
    coverage: float = 0.0


@dataclass(frozen=True, slots=True)
class Tuning:
    """The matcher's constants, set from the dev-set measurements (see the bench)."""

    query_weight: float = 1.0  # exponent on the share of the question explained
    phrasing_weight: float = 0.5  # exponent on the share of the phrasing explained
    # The same for the start of a question being typed: the rest of a phrasing is not typed
    # yet, so how much of it is explained says little (autocomplete, measured on the tuning set).
    prefix_phrasing_weight: float = 0.1
    context_credit: float = 0.6  # credit for a word found only in the key's context
    unknown_weight: float = 0.8  # weight of a word the index has never seen, times the rarest
    common_weight: float = 0.15  # the same for an everyday word (normalize.COMMON_WORDS)
    question_weight: float = 0.3  # least weight of a question word, times the rarest word's
    rerank_weight: float = 0.15  # share of token_sort_ratio in the final score
    rerank_depth: int = 8  # how many of the best keys are re-scored
    shortlist: int = 1  # how many phrasings of each, ranked by weighted F1, are scored exactly
    candidates: int = 300  # at most this many keys, from the rarest words, are ranked
    keys_in_depth: int = 4  # the best keys as a whole whose phrasings are compared one by one
    typo_credit: float = 0.8  # credit for a misspelt word, as a share of the word's weight
    # A short word has many neighbours one letter away ("rain" is one from "raise"): less
    # credit (over 1,140 questions: 0.5 points more off-topic refused, nothing lost).
    short_typo_length: int = 5
    short_typo_credit: float = 0.5
    typo_min_length: int = 4  # shorter words must match exactly; longer ones may have one
    typo_two_edits_length: int = 8  # typo (OSA distance), this long or more may have two
    # The key as a whole: a word in every phrasing of a key counts fully, one in a quarter of
    # them half (square root of the share), one only in its context ``profile_context``.
    profile_weight: float = 0.5  # weight of that coverage against the best phrasing's score
    profile_context: float = 0.0
    # A key also reaches the second stage when the question contains every word of one of its
    # phrasings, and they weigh this share of the question or more (over the 1,359 questions
    # tuned on: right entry first 91.8 -> 92.3%, answered right 86.0 -> 86.5%; at 0.3 as many
    # more are ranked first but the extra rivals turn answers into "did you mean").
    contained_share: float = 0.6


_UNIT = 0.5  # weight of one repeated character
_SURROGATES = range(0xD800, 0xE000)


def _term_char(number: int) -> str:
    """The character standing for vocabulary word ``number``: 16-bit ones first, which
    rapidfuzz compares fastest, skipping the surrogate range."""
    code = 0x100 + number
    return chr(code + len(_SURROGATES) if code >= _SURROGATES.start else code)


@dataclass(frozen=True, slots=True)
class _Phrasing:
    key: str
    text: str
    terms: str  # the terms sorted and joined by spaces, for the rerank
    code: str  # the sorted, weight-repeated term characters


def _respellings(words: list[str], dictionary: set[str], tuning: Tuning) -> dict[str, str]:
    """Misspellings written on purpose into phrasings ("kmer rouge", "eaglburger"), each
    mapped to the word they misspell.

    A misspelling is a rare word of the phrasings that the correctly spelled texts (answers
    and quotes, the ``dictionary``) lack, one edit (two when long) from a dictionary word with
    the same first letter that the phrasings use ten times as often. Indexed as written, such
    words would compete with the real ones; respelled, they are caught by typo correction.
    """
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    by_initial: dict[str, list[str]] = {}
    for word in dictionary:
        by_initial.setdefault(word[0], []).append(word)
    mapped = {}
    for word, count in counts.items():
        if (word in dictionary or len(word) < tuning.typo_min_length or not word.isalpha()
                or word in COMMON_TERMS or word in QUESTION_WORDS):
            continue
        edits = 2 if len(word) >= tuning.typo_two_edits_length else 1
        near = [(OSA.distance(word, right), -counts.get(right, 0), right)
                for right in by_initial.get(word[0], ()) if abs(len(right) - len(word)) <= edits]
        near = [n for n in near if n[0] <= edits and -n[1] >= 10 * count]
        if near:
            mapped[word] = min(near)[2]
    return mapped


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
        normalizer: Normalizer = ENGLISH,
    ) -> None:
        self.tuning = tuning or Tuning()
        self.normalizer = normalizer
        terms = normalizer.terms
        docs = [(key, text, terms(text)) for key, text in documents]
        self._index_typing(docs)
        context_words = [(key, terms(text)) for key, text in contexts]
        spelling = _respellings([w for _, _, words in docs for w in words],
                                {w for _, words in context_words for w in words}, self.tuning)
        docs = [(key, text, tuple(dict.fromkeys(spelling.get(w, w) for w in words)))
                for key, text, words in docs]
        words_of: dict[str, set[str]] = {}
        for key, _, words in docs:
            words_of.setdefault(key, set()).update(words)
        for key, words in context_words:
            words_of.setdefault(key, set()).update(words)
        self._weigh(words_of)
        self._context = {key: frozenset(words) for key, words in words_of.items()}
        self._first_text: dict[str, str] = {}
        for key, text, _ in docs:
            self._first_text.setdefault(key, text)
        self._phrasings: list[_Phrasing] = []
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for key, text, words in docs:
            if not words or (key, words) in seen:
                continue  # phrasings that reduce to the same terms score the same: index once
            seen.add((key, words))
            self._phrasings.append(
                _Phrasing(key, text, " ".join(sorted(words)), self._encode(words)))
        self._index_keys(docs, words_of)
        self._corrections: dict[str, tuple[str, float] | None] = {}

    def _index_typing(self, docs: list[tuple[str, str, tuple[str, ...]]]) -> None:
        """The words and openings of the phrasings as typed, for autocomplete."""
        typed: dict[str, int] = {}
        for _, text, _ in docs:
            for word in simplify(text).split():
                typed[word] = typed.get(word, 0) + 1
        self._typed_counts = typed
        self._typed_words = sorted(typed)
        self._openings = sorted((simplify(text), key) for key, text, _ in docs)

    def _weigh(self, words_of: dict[str, set[str]]) -> None:
        """Each word's weight (its rarity across keys) as a number of repeated characters."""
        keys_with: dict[str, int] = {}
        for words in words_of.values():
            for word in words:
                keys_with[word] = keys_with.get(word, 0) + 1
        key_count = len(words_of) or 1
        weights = {w: math.log(1 + key_count / n) for w, n in sorted(keys_with.items())}
        rarest = max(weights.values(), default=1.0)
        # What a question asks for (a number, a date, a person) matters even though many
        # entries share the question word: "how many cables did WikiLeaks release" is not
        # answered by "WikiLeaks published the cable".
        for word in QUESTION_WORDS & weights.keys():
            weights[word] = max(weights[word], self.tuning.question_weight * rarest)
        self._units = {w: max(1, round(weight / _UNIT)) for w, weight in weights.items()}
        self._chars = {w: _term_char(i) for i, w in enumerate(weights)}
        self._unknown_units = max(1, round(self.tuning.unknown_weight * rarest / _UNIT))
        self._common_units = max(1, round(self.tuning.common_weight * rarest / _UNIT))
        # Typo correction looks only at words with the same first letter and a length within
        # the allowed edits: a small bucket each, even for a large vocabulary.
        self._by_shape: dict[tuple[str, int], list[str]] = {}
        for word in weights:
            self._by_shape.setdefault((word[0], len(word)), []).append(word)

    def _index_keys(self, docs: list[tuple[str, str, tuple[str, ...]]],
                    words_of: dict[str, set[str]]) -> None:
        """Keys by number, each with its profile (first stage) and its phrasings' codes in an
        alphabet of its own words (second stage): one byte per word when it has fewer than
        256, which rapidfuzz compares about twice as fast."""
        self._keys = list(words_of)
        number_of = {key: n for n, key in enumerate(self._keys)}
        self._numbers_of: list[list[int]] = [[] for _ in self._keys]
        for number, phrasing in enumerate(self._phrasings):
            self._numbers_of[number_of[phrasing.key]].append(number)
        self._alphabets: list[dict[str, str]] = []
        self._codes_of: list[list[str]] = []
        for numbers in self._numbers_of:
            words = sorted({w for n in numbers for w in self._phrasings[n].terms.split()},
                           key=self._chars.__getitem__)
            alphabet = ({w: chr(i + 1) for i, w in enumerate(words)} if len(words) < 256
                        else self._chars)
            self._alphabets.append(alphabet)
            self._codes_of.append([self._encode(self._phrasings[n].terms.split(), alphabet)
                                   for n in numbers])
        # Each phrasing's words, filed under its two rarest: a question that contains all the
        # words of a phrasing reaches that phrasing's key even when the key as a whole matches
        # it weakly ("deputy of pol pot" is one phrasing of Nuon Chea's entry).
        self._contained: dict[tuple[str, str], list[tuple[int, frozenset[str], int]]] = {}
        for phrasing in self._phrasings:
            words = frozenset(phrasing.terms.split()) - QUESTION_WORDS
            if len(words) >= 2:
                first, second = sorted(heapq.nlargest(
                    2, words, key=lambda w: (self._units[w], w)))
                self._contained.setdefault((first, second), []).append(
                    (sum(self._units[w] for w in words), words, number_of[phrasing.key]))
        profiles = self._build_profiles(docs, words_of)
        self._profile_list = [profiles[key] for key in self._keys]
        self._key_postings: dict[str, list[int]] = {}
        for key, words in words_of.items():
            for word in words:
                self._key_postings.setdefault(word, []).append(number_of[key])

    def _build_profiles(self, docs: list[tuple[str, str, tuple[str, ...]]],
                        words_of: dict[str, set[str]]) -> dict[str, str]:
        """Each key's words as one code, each word repeated by its weight times how central
        it is to the key (the square root of the share of its phrasings that use it): the LCS
        of a question's code with it is the weight of the question the key explains."""
        phrasings: dict[str, int] = {}
        counts: dict[str, dict[str, int]] = {}
        for key, _, words in docs:
            phrasings[key] = phrasings.get(key, 0) + 1
            for word in words:
                counts.setdefault(key, {})
                counts[key][word] = counts[key].get(word, 0) + 1
        profiles = {}
        for key, words in words_of.items():
            seen = counts.get(key, {})
            profiles[key] = "".join(
                self._chars[w] * round(self._units[w] * (
                    math.sqrt(seen[w] / phrasings[key]) if w in seen
                    else self.tuning.profile_context))
                for w in sorted(words, key=self._chars.__getitem__))
        return profiles

    def __len__(self) -> int:
        return len(self._phrasings)

    def clear_caches(self) -> None:
        """Forget memoised work (typo corrections, normalised texts): the next queries run
        as if seen for the first time, as the benchmark measures them."""
        self._corrections.clear()
        self.normalizer.clear_cache()

    def _encode(self, words: Iterable[str], alphabet: dict[str, str] | None = None) -> str:
        chars = self._chars if alphabet is None else alphabet
        return "".join(chars[w] * self._units[w] for w in sorted(words, key=chars.__getitem__))

    def correct(self, word: str) -> tuple[str, float] | None:
        """The vocabulary word a query word stands for, with its credit 0–1, or None.

        A misspelling keeps its first letter and is one edit away (a swap of two letters
        counts as one), or two for long words: "eaglburger", "kmer", "cabel".
        """
        if word in self._units:
            return word, 1.0
        tuning = self.tuning
        if len(word) < tuning.typo_min_length or not word.isalpha() or word in COMMON_TERMS:
            return None  # an everyday word is not a misspelling of a rare one ("time", "tie")
        if word not in self._corrections:
            if len(self._corrections) > 10_000:
                self._corrections.clear()
            if word.endswith("in"):  # a dropped g: "helpin", "talkin", "tryin"
                spelt = self.normalizer.terms(word + "g")
                if len(spelt) == 1 and spelt[0] in self._units:
                    self._corrections[word] = (spelt[0], 1.0)
                    return self._corrections[word]
            edits = 2 if len(word) >= tuning.typo_two_edits_length else 1
            found = [match for length in range(len(word) - edits, len(word) + edits + 1)
                     if (match := process.extractOne(
                         word, self._by_shape.get((word[0], length), ()),
                         scorer=OSA.distance, score_cutoff=edits))]
            best = min(found, key=lambda match: match[1], default=None)
            credit = (tuning.short_typo_credit if len(word) <= tuning.short_typo_length
                      else tuning.typo_credit)
            self._corrections[word] = (best[0], credit) if best else None
        return self._corrections[word]

    def _candidate_keys(self, words: list[str]) -> list[int]:
        """The keys worth ranking: all of them in an index of a few hundred; in a larger one
        those sharing a content word with the question, from the rarest words on, until
        ``Tuning.candidates`` (sharing only a question word, "what", is no match)."""
        if len(self._keys) <= self.tuning.candidates:
            return list(range(len(self._keys)))
        postings = [self._key_postings.get(w, ()) for w in words if w not in QUESTION_WORDS]
        numbers: set[int] = set()
        for posting in sorted(postings, key=len):
            if numbers and len(numbers) + len(posting) > self.tuning.candidates:
                break
            numbers.update(posting)
        return list(numbers)

    def complete(self, prefix: str, limit: int = 3) -> list[str]:
        """Words of the phrasings that start with ``prefix`` (a word being typed), the most
        used first."""
        start = bisect.bisect_left(self._typed_words, prefix)
        found = []
        for word in self._typed_words[start:]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return heapq.nlargest(limit, found, key=self._typed_counts.__getitem__)

    def opening(self, typed: str) -> dict[str, int]:
        """Keys with phrasings that open with the typed text (simplified), and how many."""
        typed = simplify(typed)
        found: dict[str, int] = {}
        if not typed:
            return found
        for text, key in self._openings[bisect.bisect_left(self._openings, (typed, "")):]:
            if not text.startswith(typed):
                break
            found[key] = found.get(key, 0) + 1
        return found

    def weight_share(self, words: Iterable[str]) -> float:
        """The summed weight of vocabulary words (typos corrected), as a share of the rarest
        word's weight."""
        rarest = max(self._units.values(), default=1)
        return sum(self._units[found[0]] for word in words
                   if (found := self.correct(word)) is not None) / rarest

    def knows_all(self, query: str) -> bool:
        """Whether every content word of the query is in the vocabulary (allowing typos)."""
        return all(self.correct(word) is not None for word in self.normalizer.terms(query)
                   if word not in QUESTION_WORDS)

    def _containing(self, code: str, words: set[str], seen: set[int], least: float
                    ) -> list[tuple[int, int]]:
        """Keys not yet ``seen`` with a phrasing whose words (two or more, question words
        aside, weighing ``least`` or more) the question all contains, each with its profile's
        overlap with the question."""
        contained = self._contained
        numbers = {k for pair in itertools.combinations(sorted(words), 2)
                   for units, phrasing, k in contained.get(pair, ())
                   if units >= least and k not in seen and phrasing <= words}
        return [(LCSseq.similarity(code, self._profile_list[k]), k) for k in numbers]

    def search(self, query: str, limit: int = 5, *, prefix: bool = False) -> list[Candidate]:
        """The best ``limit`` keys for a query, each with its best phrasing, best first.
        ``prefix``: the query is the start of a question still being typed."""
        tuning = self.tuning
        phrasing_weight = tuning.prefix_phrasing_weight if prefix else tuning.phrasing_weight
        found: list[tuple[str, float]] = []  # (vocabulary word, credit)
        unknown_units = 0  # the weight of the words the index does not know
        for word in self.normalizer.terms(query):
            correction = self.correct(word)
            if correction is not None:
                found.append(correction)
            elif word in COMMON_TERMS:
                unknown_units += self._common_units
            else:
                unknown_units += self._unknown_units
        if not found:
            return []
        parts = [(w, max(1, round(self._units[w] * credit))) for w, credit in found]
        code = "".join(sorted(self._chars[w] * repeats for w, repeats in parts))
        query_units = sum(self._units[w] for w, _ in found) + unknown_units
        # First stage: each key's words taken together (its profile) against the question.
        keys = self._candidate_keys([w for w, _ in found])
        profiles = (self._profile_list if len(keys) == len(self._keys)
                    else [self._profile_list[k] for k in keys])
        # Sharing only a question word ("what") is no match.
        content = [self._chars[w] for w, _ in found if w not in QUESTION_WORDS]
        covered = [(lcs, keys[position]) for _, lcs, position in process.extract(
            code, profiles, scorer=LCSseq.similarity, processor=None,
            limit=tuning.keys_in_depth)
            if lcs and any(char in profiles[position] for char in content)]
        covered += self._containing(code, {w for w, _ in found}, {k for _, k in covered},
                                    tuning.contained_share * query_units)
        if not covered:
            return []
        coverage = {self._keys[k]: lcs / query_units for lcs, k in covered}
        # Second stage: the best few phrasings of each of the best keys, scored exactly.
        shortlist = []
        for _, k in covered:
            alphabet = self._alphabets[k]  # the question in the key's alphabet
            local = "".join(sorted(alphabet[w] * repeats for w, repeats in parts
                                   if w in alphabet))
            shortlist += [(ratio, len(local), self._numbers_of[k][position])
                          for _, ratio, position in process.extract(
                              local, self._codes_of[k], scorer=fuzz.ratio, processor=None,
                              limit=tuning.shortlist)]
        phrasings = self._phrasings
        best_by_key: dict[str, tuple[float, int]] = {}
        in_context: dict[str, int] = {}
        for ratio, length, number in shortlist:
            phrasing = phrasings[number]
            # fuzz.ratio is 200·LCS/(len(a)+len(b)): recover the LCS, the shared weight.
            credit = round(ratio * (length + len(phrasing.code)) / 200)
            explained = credit
            if tuning.context_credit:
                context = in_context.get(phrasing.key)
                if context is None:  # the weight of the question's words the key knows
                    known = self._context[phrasing.key]
                    context = sum(repeats for w, repeats in parts if w in known)
                    in_context[phrasing.key] = context
                explained += tuning.context_credit * max(context - credit, 0)
            score = ((explained / query_units) ** tuning.query_weight
                     * (credit / len(phrasing.code)) ** phrasing_weight)
            held = best_by_key.get(phrasing.key)
            if held is None or score > held[0]:
                best_by_key[phrasing.key] = (score, number)
        if tuning.rerank_weight:
            query_terms = " ".join(sorted(w for w, _ in found))
            rerank = tuning.rerank_weight
            best_by_key = {  # fuzz.ratio of sorted terms is token_sort_ratio, unsorted again
                key: ((1 - rerank) * score + rerank / 100 * fuzz.ratio(
                    query_terms, phrasings[n].terms, processor=None), n)
                for key, (score, n) in best_by_key.items()}
        weight = tuning.profile_weight
        ranked = heapq.nlargest(limit, (
            (max(phrase := best_by_key.get(key, (0.0, 0))[0],
                 (phrase + weight * share) / (1 + weight)), key)
            for key, share in coverage.items()))
        return [Candidate(
            key, phrasings[best_by_key[key][1]].text if key in best_by_key
            else self._first_text[key], round(100 * score, 1),
            round(100 * best_by_key.get(key, (0.0, 0))[0], 1), round(100 * coverage[key], 1))
            for score, key in ranked]
