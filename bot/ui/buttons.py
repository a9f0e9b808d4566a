"""Buttons under answers, persistent across restarts.

Each button is a ``DynamicItem``: its state lives in its ``custom_id`` (stable, at most 100
characters), so a click on a message sent before a restart still works. The extensions that
send them register the classes with ``add_dynamic_items`` when they load.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.core.answers import Answer
from bot.core.render import DID_YOU_MEAN
from bot.ui.embeds import answer_embed, truncate
from bot.ui.replies import report_errors, send_private

if TYPE_CHECKING:
    from bot.client import QABot

LABEL_LIMIT = 80


def bot_of(interaction: discord.Interaction) -> QABot:
    """The bot an interaction reached (discord.py types it as a plain client)."""
    return interaction.client  # type: ignore[return-value]


class ShowEntryButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                      template=r"qa:show:(?P<entry>[a-z0-9-]{1,60})"):
    """A suggested or related question; a click shows its answer privately to the clicker."""

    def __init__(self, entry_id: str, question: str, *, row: int | None = None) -> None:
        super().__init__(discord.ui.Button(
            label=truncate(question, LABEL_LIMIT), style=discord.ButtonStyle.secondary,
            custom_id=f"qa:show:{entry_id}"), row=row)
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> ShowEntryButton:
        return cls(match["entry"], item.label or match["entry"])

    async def callback(self, interaction: discord.Interaction) -> None:
        async with report_errors(interaction):
            bot = bot_of(interaction)
            refusal = bot.limited(interaction.user.id)
            if refusal is not None:
                await send_private(interaction, refusal or "Slow down a little, please.")
                return
            entry = bot.service.entry(self.entry_id)
            asked = _did_you_mean_question(interaction.message)
            if asked:  # picked from "did you mean": people ask the entry this way
                bot.journal.signal(entry.id, asked, interaction.user.id, "click",
                                   interaction.guild_id)
            answer = bot.service.engine.answer_entry(entry)
            bot.conversations.get((interaction.user.id, interaction.channel_id)).remember(answer)
            log_id = bot.log_question(answer, "button", interaction.guild_id,
                                      interaction.channel_id)
            await send_private(interaction, embed=answer_embed(answer, bot.service.article),
                               view=answer_view(answer, log_id))


def _did_you_mean_question(message: discord.Message | None) -> str | None:
    """The question a "did you mean" reply was for (its title), or None for another reply."""
    if message is None or not message.embeds:
        return None
    embed = message.embeds[0]
    if embed.title and (embed.description or "").startswith(DID_YOU_MEAN):
        return embed.title
    return None


class VoteButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"qa:vote:(?P<value>up|down):(?P<log>[0-9]{1,19})"):
    """👍 or 👎 on one answer; one vote per person per answer (a second click changes it)."""

    def __init__(self, value: str, log_id: int) -> None:
        super().__init__(discord.ui.Button(
            emoji="👍" if value == "up" else "👎", style=discord.ButtonStyle.secondary,
            custom_id=f"qa:vote:{value}:{log_id}"), row=4)
        self.value = value
        self.log_id = log_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> VoteButton:
        return cls(match["value"], int(match["log"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async with report_errors(interaction):
            bot_of(interaction).journal.vote(self.log_id, interaction.user.id,
                                           1 if self.value == "up" else -1)
            await send_private(interaction, f"Thanks, your {'👍' if self.value == 'up' else '👎'}"
                                            " is recorded (one vote per person for each answer; "
                                            "clicking again changes it).")


def answer_view(answer: Answer, log_id: int | None) -> discord.ui.View | None:
    """Buttons for a reply: did-you-mean choices or related questions, and 👍/👎 on answers."""
    view = discord.ui.View(timeout=None)
    for suggestion in (answer.suggestions or answer.related)[:3]:
        view.add_item(ShowEntryButton(suggestion.entry_id, suggestion.question, row=0))
    if (answer.answered or answer.partial) and log_id:
        view.add_item(VoteButton("up", log_id))
        view.add_item(VoteButton("down", log_id))
    return view if view.children else None


ANSWER_BUTTONS = (ShowEntryButton, VoteButton)
"""What ``answer_view`` puts under a reply: registered by every extension that replies."""
