"""The entry form: add and edit an entry in a modal, pre-filled with what is there (or with
what the moderator typed last time, when a save was refused)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import discord

from bot.core.knowledge import MAX_ANSWER_CHARS, MAX_PHRASING_CHARS, Entry
from bot.ui.embeds import truncate
from bot.ui.replies import report_errors

log = logging.getLogger(__name__)

TITLE_LIMIT = 45
INPUT_LIMIT = 4000
FORM_TIMEOUT = 30 * 60


@dataclass(frozen=True, slots=True)
class EntryForm:
    """The five text fields of the entry modal, as typed."""

    question: str = ""
    alternates: str = ""
    answer: str = ""
    quotes: str = ""
    paragraphs: str = ""

    @classmethod
    def from_entry(cls, entry: Entry) -> EntryForm:
        return cls(
            question=entry.question,
            alternates="\n".join(entry.alternates),
            answer=entry.answer,
            quotes="\n".join(c.quote for c in entry.citations),
            paragraphs=", ".join(str(c.paragraph) for c in entry.citations),
        )


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
            custom_id="alternates", label="Other ways to ask it (one per line)", style=paragraph,
            default=form.alternates[:INPUT_LIMIT] or None, required=False, max_length=INPUT_LIMIT,
            placeholder="whose office sent the cable\ncable sender")
        self.answer = discord.ui.TextInput(
            custom_id="answer", label="Answer (full sentences naming the subject)",
            style=paragraph, default=form.answer[:MAX_ANSWER_CHARS] or None,
            max_length=MAX_ANSWER_CHARS)
        self.quotes = discord.ui.TextInput(
            custom_id="quotes", label="Exact quotes from the article, one per line",
            style=paragraph, default=form.quotes[:INPUT_LIMIT] or None, max_length=INPUT_LIMIT)
        self.paragraphs = discord.ui.TextInput(
            custom_id="paragraphs", label="Paragraph numbers (optional, found if empty)",
            required=False, default=form.paragraphs[:100] or None, max_length=100,
            placeholder="5, 10")
        for item in (self.question, self.alternates, self.answer, self.quotes, self.paragraphs):
            self.add_item(item)

    def form(self) -> EntryForm:
        return EntryForm(self.question.value, self.alternates.value, self.answer.value,
                         self.quotes.value, self.paragraphs.value)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        async with report_errors(interaction):
            await self.on_form(interaction, self.form())

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        log.error("Entry form failed", exc_info=error)
        async with report_errors(interaction):
            raise error
