"""Autocomplete for ``/ask``: the entries a half-typed question is heading for.

People pick the first choice, so it has to be right while the last word is still being typed:
"who sent the ca" is read as "who sent the cable" (the words the knowledge base uses most that
start with "ca"), and the best of those readings wins.
"""

from __future__ import annotations

from bot.core.answers import MAX_QUESTION_CHARS, AnswerEngine
from bot.core.asking import kind_of
from bot.core.normalize import simplify

COMPLETIONS = 3  # readings of the word being typed that are tried
OPENING_BONUS = 8.0  # per phrasing (up to three) that opens the way the question is typed


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
    ids = sorted(scored, key=lambda key: -scored[key])
    folded = typed.casefold()
    ids += [e.id for e in engine.kb.entries if folded in e.question.casefold()]
    ids += engine.asked_as(kind_of(simplify(typed)))  # "in what year was th…": dates first
    return list(dict.fromkeys(ids))[:limit]


def _known(engine: AnswerEngine, word: str) -> bool:
    """Whether a word is complete as typed: a grammar word, or one the index knows as it is
    spelt ("publ" is one letter from "pull", but more likely the start of "published")."""
    return all((found := engine.index.correct(term)) is not None and found[1] == 1.0
               for term in engine.kb.normalizer.terms(word))
