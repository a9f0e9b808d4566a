"""Autocomplete for ``/ask``: the entries a half-typed question is heading for.

People pick the first choice, so it has to be right while the last word is still being typed:
"who sent the ca" is read as "who sent the cable" (the words the knowledge base uses most that
start with "ca"), and the best of those readings wins.
"""

from __future__ import annotations

import heapq

from rapidfuzz import fuzz, process

from bot.core.answers import MAX_QUESTION_CHARS, AnswerEngine
from bot.core.asking import kind_of
from bot.core.normalize import simplify

COMPLETIONS = 3  # readings of the word being typed that are tried
OPENING_BONUS = 8.0  # per phrasing (up to three) that opens the way the question is typed
# The best few are also compared letter by letter with the openings of their phrasings, typos
# and all: a point of bonus per point of rapidfuzz ratio above 70 (tuning set: +2 points).
LIKE_OPENING_TOP = 10
LIKE_OPENING_FROM = 70.0


def autocomplete(engine: AnswerEngine, typed: str, limit: int = 25) -> list[str]:
    """Entry ids for a half-typed question, best first: matches of the question (its last
    word completed), then questions containing the typed text. Empty when nothing is typed."""
    typed = " ".join(typed.split())[:MAX_QUESTION_CHARS]
    if not typed:
        return []
    readings = [typed]
    words = simplify(typed).split()
    if words and not typed[-1].isspace() and not _known(engine, words[-1]):
        head = " ".join(words[:-1])
        readings += [f"{head} {word}" for word in engine.index.complete(words[-1], COMPLETIONS)]
        if head:
            readings.append(head)
    scored: dict[str, float] = {}
    for reading in readings:
        for candidate in engine.candidates(reading, limit, prefix=True):
            scored[candidate.key] = max(scored.get(candidate.key, 0.0), candidate.score)
    for key, count in engine.index.opening(typed).items():  # phrasings typed the same way
        scored[key] = scored.get(key, 0.0) + OPENING_BONUS * min(count, 3)
    _like_openings(engine, simplify(typed), scored)
    ids = sorted(scored, key=lambda key: -scored[key])
    folded = typed.casefold()
    ids += [e.id for e in engine.kb.entries if folded in e.question.casefold()]
    ids += engine.asked_as(kind_of(simplify(typed)))  # "in what year was th…": dates first
    return list(dict.fromkeys(ids))[:limit]


def _like_openings(engine: AnswerEngine, typed: str, scored: dict[str, float]) -> None:
    """Add to the best scores the bonus for phrasings that open like the typed text."""
    for key in heapq.nlargest(LIKE_OPENING_TOP, scored, key=scored.__getitem__):
        openings = [simplify(p)[: len(typed)] for p in engine.kb.by_id[key].phrasings]
        best = process.extractOne(typed, openings, scorer=fuzz.ratio,
                                  score_cutoff=LIKE_OPENING_FROM)
        if best is not None:
            scored[key] += best[1] - LIKE_OPENING_FROM


def _known(engine: AnswerEngine, word: str) -> bool:
    """Whether a word is complete as typed: a grammar word, or one the index knows as it is
    spelt ("publ" is one letter from "pull", but more likely the start of "published")."""
    return all((found := engine.index.correct(term)) is not None and found[1] == 1.0
               for term in engine.kb.normalizer.terms(word))
