"""Text folding shared by citation checks and matching."""

from __future__ import annotations

import re
import unicodedata

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_QUOTES = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
        "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
        "\u00a0": " ",
    }
)


def strip_markup(text: str) -> str:
    """Remove inline HTML tags (``<u>China</u>`` becomes ``China``)."""
    return _TAG.sub("", text)


def fold(text: str) -> str:
    """Fold markup, curly quotes, dashes and runs of whitespace, keeping the words and case.

    Two texts that are the same words in the article's sense fold to the same string, so a
    quote is verbatim when ``fold(quote) in fold(paragraph)``.
    """
    if "<" in text:
        text = strip_markup(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    elif "`" in text:
        text = text.translate(_QUOTES)
    return " ".join(text.split())
