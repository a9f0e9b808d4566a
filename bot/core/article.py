"""The article: headline, date, dateline, numbered paragraphs and their sentences.

The file's form (see DESIGN.md): paragraphs are separated by blank lines; the first non-empty
paragraph is the title line, the headline followed by the date ("… for Pol Pot September 5, 2011");
the first body paragraph opens with the dateline ("Phnom Penh - "). Inline HTML tags are markup.
Body paragraphs are numbered from 1; number 0 stands for the title line in citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import ArticleError
from bot.core.text import fold, strip_markup

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_TITLE_DATE = re.compile(rf"^(?P<headline>.+?)\s+(?P<date>(?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}})$")
# "Phnom Penh - ", "Port-au-Prince - ": a capitalised place, then a dash between spaces.
_DATELINE = re.compile(r"^(?P<dateline>[A-Z][^\n]{0,60}?)\s+[-–—]\s+(?=\S)")
# Words ending in a full stop that do not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof gen lt col sgt capt rep sen gov pres no vs etc inc ltd co "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k".split())
# A sentence ends at . ! or ? (optionally followed by a closing quote) before a space and an
# opening capital, digit or quote. "1.7 million" and "U.N." inside words do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])['\"’”]?\s+(?=['\"‘“(]?[A-Z0-9])")


def split_sentences(text: str) -> tuple[str, ...]:
    """Split a paragraph into sentences, keeping each sentence's own words and punctuation."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        last_word = text[:match.start()].rsplit(None, 1)[-1].rstrip(".").casefold()
        if last_word in _ABBREVIATIONS or len(last_word) == 1:  # "Mr. Smith", "J. Smith"
            continue
        end = match.start() + len(match.group(0).rstrip())
        parts.append(text[start:end].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return tuple(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One numbered paragraph: 0 is the title line, body paragraphs count from 1."""

    number: int
    text: str
    sentences: tuple[str, ...]
    line: int  # 1-based line in the file where the paragraph starts

    @property
    def folded(self) -> str:
        return fold(self.text)


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article. ``paragraphs`` holds the body, numbered from 1."""

    headline: str
    date: str
    dateline: str
    title: Paragraph
    paragraphs: tuple[Paragraph, ...]
    path: Path | None = None

    def paragraph(self, number: int) -> Paragraph:
        """Return paragraph ``number`` (0 = the title line); IndexError when out of range."""
        if number == 0:
            return self.title
        if 1 <= number <= len(self.paragraphs):
            return self.paragraphs[number - 1]
        raise IndexError(f"paragraph {number} is out of range (1–{len(self.paragraphs)})")

    @property
    def all_paragraphs(self) -> tuple[Paragraph, ...]:
        """The title line followed by the body paragraphs."""
        return (self.title, *self.paragraphs)


def _blocks(raw: str) -> list[tuple[int, str]]:
    """Paragraph blocks with the 1-based line each starts on; inner newlines become spaces."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(raw.splitlines(), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, " ".join(current)))
            current = []
    if current:
        blocks.append((start, " ".join(current)))
    return blocks


def parse_article(raw: str, path: Path | None = None) -> Article:
    """Parse article text; raise ArticleError naming the problem when the form is not met."""
    where = str(path) if path else "article"
    if "\x00" in raw:
        raise ArticleError(f"{where}: the file is not text (it contains NUL bytes)")
    blocks = [(line, " ".join(strip_markup(text).split())) for line, text in _blocks(raw)]
    blocks = [(line, text) for line, text in blocks if text]
    if not blocks:
        raise ArticleError(f"{where}: the article is empty")
    title_line, title = blocks[0]
    match = _TITLE_DATE.match(title)
    if not match:
        raise ArticleError(
            f"{where}:{title_line}: the first line must be the headline followed by a date "
            f"such as 'September 5, 2011'; found {title[:80]!r}"
        )
    if len(blocks) < 2:
        raise ArticleError(f"{where}: the article has a headline but no body paragraphs")
    first_line, first = blocks[1]
    dateline = _DATELINE.match(first)
    if not dateline:
        raise ArticleError(
            f"{where}:{first_line}: the first paragraph must open with a dateline such as "
            f"'Phnom Penh - '; found {first[:40]!r}"
        )
    # The dateline is not part of the first sentence: "Phnom Penh - A US State Department…".
    first_sentences = split_sentences(first[dateline.end() :])
    paragraphs = tuple(
        Paragraph(number, text, first_sentences if number == 1 else split_sentences(text), line)
        for number, (line, text) in enumerate(blocks[1:], start=1)
    )
    return Article(
        headline=match["headline"],
        date=match["date"],
        dateline=dateline["dateline"],
        title=Paragraph(0, title, (match["headline"], match["date"]), title_line),
        paragraphs=paragraphs,
        path=path,
    )


def load_article(path: Path) -> Article:
    """Read and parse the article file, with a clear error when it cannot be read."""
    try:
        raw = path.read_text(encoding="utf-8-sig")  # a byte-order mark is not text
    except FileNotFoundError:
        raise ArticleError(f"{path}: the article file does not exist") from None
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{path}: the article is not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read the article ({exc.strerror})") from None
    return parse_article(raw, path)
