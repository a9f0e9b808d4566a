"""Answers and article views as Discord embeds, always within Discord's limits.

Limits (DESIGN.md): title 256, description 4096, 25 fields, field name 256, field value 1024,
footer 2048, all text of all embeds together 6000. Text is cut with an ellipsis, never refused.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.answers import Answer, Decision
from bot.core.article import Article, Paragraph
from bot.core.knowledge import Citation, Entry
from bot.core.render import citation_source, follows_line, headline_line, status_line

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
TOTAL_LIMIT = 6000
MAX_FIELDS = 25

ANSWER_COLOUR = discord.Colour.blurple()
ARTICLE_COLOUR = discord.Colour.teal()
UNSURE_COLOUR = discord.Colour.gold()
NOTICE_COLOUR = discord.Colour.light_grey()
ERROR_COLOUR = discord.Colour.red()


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quote_block(text: str) -> str:
    """Discord block-quote markdown for a quote, each line prefixed with '> '."""
    return "\n".join(f"> {line}" for line in text.splitlines() or [""])


def _embed(title: str | None, description: str | None, colour: discord.Colour) -> discord.Embed:
    return discord.Embed(
        title=truncate(title, TITLE_LIMIT) if title else None,
        description=truncate(description, DESCRIPTION_LIMIT) if description else None,
        colour=colour,
    )


def _field(embed: discord.Embed, name: str, value: str) -> None:
    if len(embed.fields) < MAX_FIELDS:
        embed.add_field(name=truncate(name, FIELD_NAME_LIMIT),
                        value=truncate(value, FIELD_VALUE_LIMIT), inline=False)


def _fit(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields, then cut the description, until the embed is within 6000."""
    while len(embed) > TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > TOTAL_LIMIT and embed.description:
        excess = len(embed) - TOTAL_LIMIT
        embed.description = truncate(embed.description, len(embed.description) - excess)
    return embed


def source_field(embed: discord.Embed, citations: Sequence[Citation], article: Article) -> None:
    """The "Source" part: the article's words, their paragraph, the headline and date."""
    for number, citation in enumerate(citations, start=1):
        where = f"— {citation_source(citation)} of {headline_line(article)}"
        room = FIELD_VALUE_LIMIT - len(where) - 4
        _field(embed, "Source" if number == 1 else f"Source {number}",
               f"{quote_block(truncate(citation.quote, room))}\n{where}")


def answer_embed(answer: Answer, article: Article) -> discord.Embed:
    """The reply to a question, for every decision."""
    if answer.decision is Decision.ANSWERED and answer.entry is not None:
        embed = _embed(answer.entry.question, _with_follows(answer), ANSWER_COLOUR)
        source_field(embed, answer.citations, article)
        embed.set_footer(text=f"Confidence {answer.score:.0f}% · from the curated answers")
    elif answer.decision is Decision.PARTIAL:
        embed = _embed(answer.question, _with_follows(answer), UNSURE_COLOUR)
        source_field(embed, answer.citations, article)
        embed.set_footer(text="The article does not say exactly this: here is what it does say")
    elif answer.decision is Decision.FROM_ARTICLE:
        embed = _embed(answer.question, status_line(answer), ARTICLE_COLOUR)
        source_field(embed, answer.citations, article)
        embed.set_footer(text=f"Confidence {answer.score:.0f}% · taken straight from the "
                              "article, not a curated answer")
    elif answer.decision is Decision.DID_YOU_MEAN:
        lines = [status_line(answer) or ""]
        lines += [f"**{n}.** {s.question}" for n, s in enumerate(answer.suggestions, start=1)]
        embed = _embed(answer.question or None, "\n".join(lines), UNSURE_COLOUR)
        embed.set_footer(text="Pick one below, or ask again in other words · /topics lists "
                              "what I can answer")
    else:
        embed = _embed(answer.question or None, status_line(answer), NOTICE_COLOUR)
        embed.set_footer(text="/topics lists what I can answer")
    return _fit(embed)


def _with_follows(answer: Answer) -> str | None:
    """The answer's text, after how a follow-up was read ("Following up “…”.")."""
    follows = follows_line(answer)
    return f"*{follows}*\n{answer.text}" if follows and answer.text else answer.text


def entry_embed(entry: Entry, article: Article, note: str | None = None) -> discord.Embed:
    """An entry shown directly (a suggestion clicked, a moderator's preview)."""
    embed = _embed(entry.question, entry.answer, ANSWER_COLOUR)
    source_field(embed, entry.citations, article)
    if note:
        embed.set_footer(text=truncate(note, FOOTER_LIMIT))
    return _fit(embed)


def paragraph_embed(article: Article, paragraph: Paragraph) -> discord.Embed:
    """One article paragraph, cited (``/source``)."""
    name = "Headline" if paragraph.number == 0 else f"Paragraph {paragraph.number}"
    embed = _embed(f"{name} of {len(article.paragraphs)}", quote_block(paragraph.text),
                   ARTICLE_COLOUR)
    embed.set_footer(text=truncate(headline_line(article), FOOTER_LIMIT))
    return _fit(embed)


def article_embed(article: Article, preview_paragraphs: int = 3) -> discord.Embed:
    """Headline, date, dateline, paragraph count and the first lines (``/article``)."""
    embed = _embed(article.headline, None, ARTICLE_COLOUR)
    embed.add_field(name="Date", value=article.date, inline=True)
    embed.add_field(name="Dateline", value=article.dateline, inline=True)
    embed.add_field(name="Paragraphs", value=str(len(article.paragraphs)), inline=True)
    opening = "\n\n".join(p.text for p in article.paragraphs[:preview_paragraphs])
    embed.description = truncate(opening, 1500)
    embed.set_footer(text="/source paragraph:<n> shows any paragraph · /ask asks a question")
    return _fit(embed)


def topics_embed(entries: Sequence[Entry], page: int, pages: int, first_number: int
                 ) -> discord.Embed:
    """One page of the questions the bot can answer (``/topics``)."""
    lines = [f"**{n}.** {e.question}" for n, e in enumerate(entries, start=first_number)]
    embed = _embed("What I can answer", "\n".join(lines) or "Nothing yet.", ANSWER_COLOUR)
    embed.set_footer(text=f"Page {page + 1} of {pages} · ask with /ask or mention me")
    return _fit(embed)


def notice_embed(text: str, *, error: bool = False) -> discord.Embed:
    """A short message: a refusal, a confirmation, a problem to fix."""
    return _fit(_embed(None, text, ERROR_COLOUR if error else NOTICE_COLOUR))
