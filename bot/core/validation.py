"""Checks on a knowledge base's content, apart from how its file is written.

A citation must be the article's own words (and when it is not, where it leaves them); entries
must not share an id or a phrasing the matcher cannot tell apart, and may only relate to entries
that exist. Also the warnings ``python -m bot check`` adds: article sentences no citation covers,
everyday words the vocabulary rewrites.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.article import Article
from bot.core.coverage import cited_sentences
from bot.core.errors import Problem
from bot.core.knowledge import Citation, Entry, KnowledgeBase
from bot.core.normalize import EVERYDAY_WORDS, Normalizer, stem
from bot.core.text import fold
from bot.core.vocabulary import everyday_collisions


def citation_problem(article: Article, citation: Citation) -> str | None:
    """Why a citation is not the article's own words, or None when it is."""
    last = len(article.paragraphs)
    if not 0 <= citation.paragraph <= last:
        return f"paragraph {citation.paragraph} is out of range (0–{last}; 0 is the title line)"
    quote = fold(citation.quote)
    if quote in article.paragraph(citation.paragraph).folded:
        return None
    elsewhere = [p.number for p in article.all_paragraphs if quote in p.folded]
    if elsewhere:
        return (f"quote not found in paragraph {citation.paragraph}; "
                f"it is in paragraph {elsewhere[0]}")
    return (f"quote not found verbatim in paragraph {citation.paragraph}: "
            f"{_first_difference(quote, article.paragraph(citation.paragraph).folded)}")


def _first_difference(quote: str, paragraph: str) -> str:
    """Where a quote leaves the paragraph's words: 'from “Eaglebuger” (the article has
    “Eagleburger”)', or the quote's start when even its first word is not there."""
    words = quote.split()
    matched = 0
    while matched < len(words) and " ".join(words[: matched + 1]) in paragraph:
        matched += 1
    if matched == 0:
        return f"it starts with “{words[0] if words else ''}”, which is not in that paragraph"
    prefix = " ".join(words[:matched])
    after = paragraph[paragraph.index(prefix) + len(prefix):].split()
    theirs = f" (the article has “{after[0]}”)" if after else " (the paragraph ends there)"
    return f"after “{' '.join(words[max(0, matched - 3):matched])}” it has " \
           f"“{words[matched]}”{theirs}"


def problems_across(entries: list[tuple[int, Entry | None]], normalizer: Normalizer,
                    invalid_ids: Iterable[str] = ()) -> list[Problem]:
    """Checks that need every entry: unique ids, unique phrasings, related ids exist.

    ``entries`` are (line, entry) in file order, None for an entry that had other problems;
    ``invalid_ids`` are the ids of those, which related entries may still name.
    """
    problems: list[Problem] = []
    invalid = frozenset(invalid_ids)
    ids: dict[str, int] = {}
    phrasings: dict[str, tuple[str, str]] = {}
    for line, entry in entries:
        if entry is None:
            continue
        if entry.id in ids:
            problems.append(Problem(line, f"duplicate id {entry.id!r} (first at line "
                                          f"{ids[entry.id]})"))
        ids.setdefault(entry.id, line)
        for phrasing in entry.phrasings:
            key = normalizer.phrasing_key(phrasing)
            if not key:
                problems.append(Problem(line, f"phrasing {phrasing!r} has no words to match on"))
                continue
            owner = phrasings.get(key)
            if owner and owner[0] != entry.id:
                problems.append(Problem(line, f"phrasing {phrasing!r} matches the same words as "
                                              f"{owner[1]!r} under entry {owner[0]!r}"))
            phrasings.setdefault(key, (entry.id, phrasing))
    for line, entry in entries:
        for related in entry.related if entry else ():
            if related == entry.id:
                problems.append(Problem(line, f"entry {entry.id!r} lists itself as related"))
            elif related not in ids and related not in invalid:
                problems.append(Problem(line, f"related entry {related!r} does not exist"))
    return problems


# --- coverage ------------------------------------------------------------------------------------


def uncited_sentences(kb: KnowledgeBase) -> list[tuple[int, str]]:
    """Article sentences that no citation covers, as (paragraph number, sentence).

    A citation covers a sentence when the quote spans at least half of the sentence's text.
    """
    return [(s.paragraph, s.text) for s in cited_sentences(kb) if not s.covered]


def vocabulary_warnings(kb: KnowledgeBase) -> list[Problem]:
    """Everyday words the vocabulary rewrites into the article's own terms (see
    ``vocabulary.everyday_collisions``); the article's terms are those its text reduces to."""
    article_terms = frozenset(word for paragraph in kb.article.all_paragraphs
                              for word in kb.normalizer.terms(paragraph.text))
    return everyday_collisions(kb.normalizer.article_vocabulary, article_terms, EVERYDAY_WORDS,
                               stem)
