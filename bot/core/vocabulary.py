"""The article's own vocabulary (``knowledge/vocabulary.yaml``): variants rewritten to one term.

Each article brings its words: "Beijing" and "the Chinese" mean ``china`` here, "ousted" and
"toppled" mean ``oust``. English itself (question words, grammar words) stays in
``normalize``. A variant that is also an everyday word may carry the company it must not keep
(``not_after``/``not_before``), so "tell us" keeps its pronoun while "the us" means ``usa``.
Reading and checking the file is ``vocabulary_file``'s: a built engine needs only these
classes, and loading it from the engine cache should not load a YAML parser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.core.errors import Problem

VOCABULARY_FILE = "vocabulary.yaml"

# A verb's particle may follow its object ("who kicked the khmer rouge out", "did china take
# them in?"): a two-word variant "<verb> <particle>" also matches with up to this many words
# between, when the particle ends the clause (nothing, or one of ``_CLAUSE_GOES_ON``, after
# it). "took power in 1975" is not "took in": there "in" is followed by what it is in.
_PARTICLES = frozenset({"out", "in", "off", "up", "down", "over", "away", "back"})
_MOST_BETWEEN = 4
_CLAUSE_GOES_ON = frozenset("""
and or but after when because so then too later eventually finally at all again right nah in
on by from during afterwards themselves himself
""".split())


@dataclass(frozen=True, slots=True)
class Variant:
    """Words that stand for a term, unless next to one of the listed words."""

    words: tuple[str, ...]
    term: tuple[str, ...]
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()
    line: int = 0

    def applies(self, before: str | None, after: str | None) -> bool:
        return before not in self.not_after and after not in self.not_before


@dataclass(frozen=True)
class Vocabulary:
    """Variants by their first word, longest first, for one left-to-right rewriting pass."""

    variants: tuple[Variant, ...] = ()
    _by_first: dict[str, list[Variant]] = field(init=False, repr=False, compare=False)
    _verbs: frozenset[str] = field(init=False, repr=False, compare=False)  # "kicked" (out)

    def __post_init__(self) -> None:
        by_first: dict[str, list[Variant]] = {}
        for variant in self.variants:
            by_first.setdefault(variant.words[0], []).append(variant)
        for group in by_first.values():
            group.sort(key=lambda v: -len(v.words))
        object.__setattr__(self, "_by_first", by_first)
        object.__setattr__(self, "_verbs", frozenset(
            v.words[0] for v in self.variants if len(v.words) == 2 and v.words[1] in _PARTICLES))

    def merged(self, variants: Iterable[Variant]) -> Vocabulary:
        """This vocabulary with more variants (English-level ones from ``normalize``)."""
        return Vocabulary((*self.variants, *variants))

    def rewrite(self, words: Sequence[str]) -> list[str]:
        """Replace each variant by its term, the longest variant first, left to right."""
        out: list[str] = []
        i, count = 0, len(words)
        while i < count:
            for variant in self._by_first.get(words[i], ()):
                size = len(variant.words)
                if (tuple(words[i : i + size]) == variant.words and variant.applies(
                        words[i - 1] if i else None,
                        words[i + size] if i + size < count else None)):
                    out.extend(variant.term)
                    i += size
                    break
            else:
                split = self._split_verb(words, i) if words[i] in self._verbs else None
                if split is None:
                    out.append(words[i])
                    i += 1
                else:
                    variant, particle = split
                    out.extend((*variant.term, *self.rewrite(words[i + 1 : particle])))
                    i = particle + 1
        return out

    def _split_verb(self, words: Sequence[str], i: int) -> tuple[Variant, int] | None:
        """A two-word "<verb> <particle>" variant at ``i`` with its object in between, and
        where its particle is."""
        for variant in self._by_first.get(words[i], ()):
            if len(variant.words) != 2 or variant.words[1] not in _PARTICLES:
                continue
            end = min(len(words), i + 2 + _MOST_BETWEEN)
            for at in range(i + 2, end):
                if words[at] == variant.words[1] and (
                        at + 1 == len(words) or words[at + 1] in _CLAUSE_GOES_ON):
                    return variant, at
        return None

    def terms(self) -> frozenset[str]:
        """Every word a variant is rewritten into."""
        return frozenset(word for variant in self.variants for word in variant.term)


def everyday_collisions(vocabulary: Vocabulary, article_terms: frozenset[str],
                        everyday: frozenset[str], stem: Callable[[str], str]) -> list[Problem]:
    """Variants that turn an everyday word into one of the article's own terms everywhere.

    "house" rewritten to ``refuge`` makes "tell us about the house" a question about asylum.
    A variant with a ``not_after``/``not_before`` limit has been thought about and passes; so
    does an inflection of the term itself ("mentioned" for ``mention``).
    """
    problems = []
    for variant in vocabulary.variants:
        if (len(variant.words) == 1 and variant.words[0] in everyday
                and not (variant.not_after or variant.not_before)
                and any(stem(word) in article_terms for word in variant.term)
                and not any(variant.words[0].startswith(stem(w)) for w in variant.term)):
            problems.append(Problem(variant.line, (
                f"warning: the everyday word {variant.words[0]!r} is rewritten into the "
                f"article's term {' '.join(variant.term)!r} wherever it appears; give it a "
                "not_after/not_before limit or remove it")))
    return problems
