"""The paged list of questions the bot can answer (``/topics``), with its page buttons."""

from __future__ import annotations

import math
import re
from typing import Any

import discord

from bot.core.knowledge import KnowledgeBase
from bot.ui.buttons import bot_of
from bot.ui.embeds import topics_embed
from bot.ui.replies import NOBODY, report_errors, with_view

PER_PAGE = 10


def topics_page(kb: KnowledgeBase, page: int, owner: int
                ) -> tuple[discord.Embed, discord.ui.View | None]:
    """Page ``page`` (0-based, clamped) with previous/next buttons for ``owner``. Entries that
    say what the article does not tell are left out: these are the questions it answers."""
    entries = [e for e in kb.entries if not e.partial]
    pages = max(1, math.ceil(len(entries) / PER_PAGE))
    page = min(max(page, 0), pages - 1)
    start = page * PER_PAGE
    embed = topics_embed(entries[start : start + PER_PAGE], page, pages, start + 1)
    view = discord.ui.View(timeout=None)
    if page > 0:
        view.add_item(TopicsPageButton(page - 1, owner, "◀ Previous"))
    if page < pages - 1:
        view.add_item(TopicsPageButton(page + 1, owner, "Next ▶"))
    return embed, view if view.children else None


class TopicsPageButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"qa:topics:(?P<page>[0-9]{1,4}):(?P<owner>[0-9]{1,20})"):
    """Turns a /topics page. The person who asked pages the message itself; anyone else gets
    their own private copy of that page, so nobody changes a list another person reads."""

    def __init__(self, page: int, owner: int, label: str) -> None:
        super().__init__(discord.ui.Button(
            label=label, style=discord.ButtonStyle.primary,
            custom_id=f"qa:topics:{page}:{owner}"))
        self.page = page
        self.owner = owner

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> TopicsPageButton:
        return cls(int(match["page"]), int(match["owner"]), item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        async with report_errors(interaction):
            kb = bot_of(interaction).service.kb
            if interaction.user.id == self.owner:
                embed, view = topics_page(kb, self.page, self.owner)
                await interaction.response.edit_message(embed=embed, view=view)  # None clears
            else:
                embed, view = topics_page(kb, self.page, interaction.user.id)
                await interaction.response.send_message(embed=embed, ephemeral=True,
                                                        allowed_mentions=NOBODY,
                                                        **with_view(view))
