"""The entry form: add and edit an entry in a modal, pre-filled with what is there (or with
what the moderator typed last time, when a save was refused)."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import discord

from bot.core.drafts import Draft
from bot.core.errors import QAError
from bot.core.knowledge import MAX_ANSWER_CHARS, MAX_PHRASING_CHARS, Entry
from bot.ui.embeds import truncate
from bot.ui.replies import report_errors

log = logging.getLogger(__name__)

TITLE_LIMIT = 45
INPUT_LIMIT = 4000
FORM_TIMEOUT = 30 * 60


@dataclass(frozen=True, slots=True)
class EntryForm:
    """The text fields of the entry modal, as typed.

    An entry whose alternates do not fit in a text field (4,000 characters) gets an empty
    field for *more* alternates instead (``kept_alternates`` says how many stay as they are);
    quotes that do not fit are left out of the form and kept (``kept_quotes``). A form never
    shows part of a list, so saving it never drops the rest.
    """

    question: str = ""
    alternates: str = ""
    answer: str = ""
    quotes: str = ""
    paragraphs: str = ""
    kept_alternates: int = 0
    kept_quotes: int = 0

    @classmethod
    def from_entry(cls, entry: Entry) -> EntryForm:
        alternates = "\n".join(entry.alternates)
        quotes = "\n".join(c.quote for c in entry.citations)
        long_alternates = len(alternates) > INPUT_LIMIT
        long_quotes = len(quotes) > INPUT_LIMIT
        return cls(
            question=entry.question,
            alternates="" if long_alternates else alternates,
            answer=entry.answer,
            quotes="" if long_quotes else quotes,
            paragraphs="" if long_quotes else ", ".join(str(c.paragraph)
                                                       for c in entry.citations),
            kept_alternates=len(entry.alternates) if long_alternates else 0,
            kept_quotes=len(entry.citations) if long_quotes else 0,
        )

    def draft(self) -> Draft:
        """What the form says, as a draft for the knowledge service (one alternate or quote
        per line; paragraphs separated by commas or spaces)."""
        numbers = []
        for part in re.split(r"[,\s]+", self.paragraphs.strip()):
            if not part:
                continue
            if not part.isdigit():
                raise QAError(f"Paragraph numbers must be whole numbers; {part!r} is not one.")
            numbers.append(int(part))
        return Draft(
            question=" ".join(self.question.split()),
            answer=" ".join(self.answer.split()),
            quotes=None if self.kept_quotes else _lines(self.quotes),
            alternates=_lines(self.alternates),
            paragraphs=tuple(numbers),
            add_alternates=bool(self.kept_alternates),
        )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line)


FormHandler = Callable[[discord.Interaction, EntryForm], Awaitable[None]]


class EntryModal(discord.ui.Modal):
    """Question, alternate phrasings (one per line), answer, quotes (one per line) and,
    optionally, their paragraph numbers. Each modal has its own random ``custom_id``, so two
    moderators editing the same entry never receive each other's submissions."""

    def __init__(self, title: str, form: EntryForm, on_form: FormHandler) -> None:
        super().__init__(title=truncate(title, TITLE_LIMIT), timeout=FORM_TIMEOUT)
        self.on_form = on_form
        paragraph = discord.TextStyle.paragraph
        self.question = discord.ui.TextInput(
            custom_id="question", label="Question", max_length=MAX_PHRASING_CHARS,
            default=form.question[:MAX_PHRASING_CHARS] or None,
            placeholder="Who sent the cable?")
        self.alternates = discord.ui.TextInput(
            custom_id="alternates", label=(
                f"More ways to ask it (its {form.kept_alternates} stay)"
                if form.kept_alternates else "Other ways to ask it (one per line)"),
            style=paragraph, default=form.alternates or None, required=False,
            max_length=INPUT_LIMIT, placeholder="whose office sent the cable\ncable sender")
        self.answer = discord.ui.TextInput(
            custom_id="answer", label="Answer (full sentences naming the subject)",
            style=paragraph, default=form.answer[:MAX_ANSWER_CHARS] or None,
            max_length=MAX_ANSWER_CHARS)
        self.quotes = discord.ui.TextInput(
            custom_id="quotes", label="Exact quotes from the article, one per line",
            style=paragraph, default=form.quotes or None, max_length=INPUT_LIMIT)
        self.paragraphs = discord.ui.TextInput(
            custom_id="paragraphs", label="Paragraph numbers (optional, found if empty)",
            required=False, default=form.paragraphs[:100] or None, max_length=100,
            placeholder="5, 10")
        self.kept = form.kept_alternates, form.kept_quotes
        items = [self.question, self.alternates, self.answer]
        if not form.kept_quotes:  # quotes too long for the form are kept, not shown
            items += [self.quotes, self.paragraphs]
        for item in items:
            self.add_item(item)

    def form(self) -> EntryForm:
        return EntryForm(self.question.value, self.alternates.value, self.answer.value,
                         self.quotes.value, self.paragraphs.value, *self.kept)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        async with report_errors(interaction):
            await self.on_form(interaction, self.form())

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        log.error("Entry form failed", exc_info=error)
        async with report_errors(interaction):
            raise error
