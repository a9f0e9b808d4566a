"""The paged list of questions the bot can answer (``/topics``)."""

from __future__ import annotations

import math

import discord

from bot.core.knowledge import KnowledgeBase
from bot.ui.buttons import TopicsPageButton
from bot.ui.embeds import topics_embed

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
