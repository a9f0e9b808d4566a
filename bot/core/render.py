"""Words shown to people for each kind of answer, and the terminal's text rendering.

Discord's embeds (``bot/ui``) use the same sentences, so both front ends say the same thing.
"""

from __future__ import annotations

import textwrap

from bot.core.answers import MAX_QUESTION_CHARS, Answer, Decision
from bot.core.article import Article
from bot.core.knowledge import Citation

NOT_COVERED = "The article doesn't cover that, as far as I can tell."
DID_YOU_MEAN = "I'm not sure the article covers that. Did you mean one of these?"
EMPTY = "Ask me a question about the article, for example: who sent the cable?"
TOO_LONG = (
    f"That question is too long for me: please ask in under {MAX_QUESTION_CHARS} characters."
)
FROM_ARTICLE = "No curated answer matches, but this sentence of the article does:"


def follows_line(answer: Answer) -> str | None:
    """How a follow-up was read: 'Following up “when did the khmer rouge lose power”.'"""
    return f"Following up “{answer.follows}”." if answer.follows else None


def headline_line(article: Article) -> str:
    """'“Headline” (September 5, 2011)', the source line under every citation."""
    return f"“{article.headline}” ({article.date})"


def citation_source(citation: Citation) -> str:
    """Where a quote comes from: 'paragraph 5', or 'headline' for paragraph 0."""
    return "headline" if citation.paragraph == 0 else f"paragraph {citation.paragraph}"


def status_line(answer: Answer) -> str | None:
    """The one-line explanation for a reply that is not a curated answer."""
    return {
        Decision.FROM_ARTICLE: FROM_ARTICLE,
        Decision.DID_YOU_MEAN: DID_YOU_MEAN,
        Decision.NOT_COVERED: NOT_COVERED,
        Decision.EMPTY: EMPTY,
        Decision.TOO_LONG: TOO_LONG,
    }.get(answer.decision)


def as_text(answer: Answer, article: Article, width: int = 88) -> str:
    """The answer as a person reads it in a terminal."""
    lines: list[str] = []
    status = status_line(answer)
    if answer.follows:
        lines.append(follows_line(answer) or "")
    if answer.entry:
        lines.append(f"Q: {answer.entry.question}  (confidence {answer.score:.0f}%)")
    if status:
        lines.append(status)
    if (answer.answered or answer.partial) and answer.text:
        lines.extend(textwrap.wrap(answer.text, width) or [""])
    for citation in answer.citations:
        lines.append("")
        lines.extend(textwrap.wrap(f"“{citation.quote}”", width, initial_indent="  ",
                                   subsequent_indent="  "))
        lines.append(f"  — {citation_source(citation)}, {headline_line(article)}")
    for number, suggestion in enumerate(answer.suggestions, start=1):
        lines.append(f"  {number}. {suggestion.question}")
    if answer.related:
        lines.append("")
        lines.append("Related:")
        first = len(answer.suggestions) + 1
        lines.extend(f"  {n}. {s.question}" for n, s in enumerate(answer.related, start=first))
    return "\n".join(lines)
