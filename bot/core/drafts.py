"""An entry as a moderator writes it, and the values the knowledge service needs from it.

A ``Draft`` is what the entry form gives back; here its quotes become citations (each quote
found in the article when no paragraph is given) and its question becomes a new entry's id.
Everything refused is refused with a ``QAError`` saying what to fix, in words for the moderator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.article import Article
from bot.core.errors import QAError
from bot.core.knowledge import Citation
from bot.core.text import fold
from bot.core.validation import citation_problem


@dataclass(frozen=True, slots=True)
class Draft:
    """An entry as a moderator wrote it (``ui.modals`` reads one from the form).

    ``paragraphs`` has one number per quote, or none (each is then found from its quote).
    ``quotes`` None keeps the entry's citations as they are; ``add_alternates`` adds the
    alternates to the entry's own instead of replacing them: what a form does with parts of
    an entry too long for it, so that saving it never drops them.
    """

    question: str
    answer: str
    quotes: tuple[str, ...] | None
    alternates: tuple[str, ...] = ()
    paragraphs: tuple[int, ...] = ()
    add_alternates: bool = False


def find_paragraph(article: Article, quote: str) -> int:
    """The paragraph whose text contains the quote verbatim; QAError saying why if none/many."""
    folded = fold(quote)
    found = [p.number for p in article.all_paragraphs if folded and folded in p.folded]
    if not found:
        raise QAError(f"These words are not in the article, word for word: “{quote[:150]}”. "
                      "Copy the quote exactly from the article (/source shows a paragraph).")
    if len(found) > 1:
        raise QAError(f"“{quote[:100]}” appears in paragraphs {', '.join(map(str, found))}; "
                      "give the paragraph number too.")
    return found[0]


def draft_citations(article: Article, draft: Draft) -> tuple[Citation, ...]:
    """The draft's quotes as citations of the article: with the paragraph numbers given, one
    per quote and each checked, or each quote's paragraph found; QAError saying why not."""
    if not draft.quotes:
        raise QAError("Give at least one quote: the article's own words that back the "
                      "answer.")
    if draft.paragraphs and len(draft.paragraphs) != len(draft.quotes):
        raise QAError(f"Give one paragraph number per quote ({len(draft.quotes)} quotes, "
                      f"{len(draft.paragraphs)} numbers), or leave the paragraphs empty.")
    if not draft.paragraphs:
        return tuple(Citation(find_paragraph(article, q), q) for q in draft.quotes)
    citations = tuple(Citation(p, q) for p, q in zip(draft.paragraphs, draft.quotes,
                                                      strict=True))
    for citation in citations:
        problem = citation_problem(article, citation)
        if problem:
            find_paragraph(article, citation.quote)  # not in the article: says so
            raise QAError(f"Check the paragraph number: {problem}.")
    return citations


def slugify(text: str) -> str:
    """An entry id from a question: 'Who sent the cable?' → 'who-sent-the-cable'."""
    words = re.findall(r"[a-z0-9]+", fold(text).casefold())
    return "-".join(words)[:50].strip("-") or "entry"
