"""Posting to the moderator log channel (``MOD_LOG_CHANNEL_ID``), when one is set."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.ui.embeds import notice_embed
from bot.ui.replies import NOBODY

if TYPE_CHECKING:
    from bot.client import QABot

log = logging.getLogger(__name__)


async def post_to_mod_log(bot: QABot, text: str) -> None:
    """Post a notice to the moderator log channel; a failure is logged, never raised."""
    channel_id = bot.settings.mod_log_channel_id
    if channel_id is None:
        return
    channel = bot.get_channel(channel_id)
    try:
        if channel is None:
            channel = await bot.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("MOD_LOG_CHANNEL_ID %s is not a text channel", channel_id)
            return
        await channel.send(embed=notice_embed(text), allowed_mentions=NOBODY)
    except discord.HTTPException:
        log.exception("Could not post to the moderator log channel %s", channel_id)
