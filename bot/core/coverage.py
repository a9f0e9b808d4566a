"""Which entries cite which sentences of the article.

A citation is a verbatim quote in one paragraph; the paragraph is read sentence by sentence
(``article.split_sentences``). A quote *cites* a sentence when they share at least half of the
shorter of the two: a short quote inside a long sentence, or a long quote over several
sentences, but not a quote whose last word spills into the next sentence. A sentence is
*covered* when one quote spans at least half of its text: the rule of ``python -m bot check``,
which warns about the sentences no quote covers.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.knowledge import KnowledgeBase
from bot.core.text import fold


@dataclass(frozen=True, slots=True)
class CitedSentence:
    """One sentence of the article and the entries that cite it."""

    paragraph: int  # 0 is the title line
    index: int  # its place in the paragraph, from 0
    text: str
    entries: tuple[str, ...]  # ids, in the knowledge base's order
    covered: bool


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def cited_sentences(kb: KnowledgeBase) -> list[CitedSentence]:
    """Every sentence of the article, title line first, with the entries citing it."""
    quotes: dict[int, list[tuple[str, str]]] = {}  # paragraph → (entry id, folded quote)
    for entry in kb.entries:
        for citation in entry.citations:
            quotes.setdefault(citation.paragraph, []).append((entry.id, fold(citation.quote)))
    found = []
    for paragraph in kb.article.all_paragraphs:
        folded = paragraph.folded
        spans = [(entry_id, (start, start + len(quote)))
                 for entry_id, quote in quotes.get(paragraph.number, ())
                 if (start := folded.find(quote)) >= 0]
        cursor = 0
        for index, sentence in enumerate(paragraph.sentences):
            text = fold(sentence)
            start = folded.find(text, cursor)
            where = (start, start + len(text)) if start >= 0 else (0, 0)
            cursor = max(cursor, where[1])
            citing: dict[str, None] = {}
            covered = False
            for entry_id, span in spans:
                shared = _overlap(where, span)
                if shared and shared * 2 >= min(len(text), span[1] - span[0]):
                    citing[entry_id] = None
                covered = covered or shared * 2 >= len(text)
            found.append(CitedSentence(paragraph.number, index, sentence, tuple(citing),
                                       covered))
    return found
