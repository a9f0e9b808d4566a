"""Sending replies, reporting failures privately, and notices to the moderator log: the same
way everywhere."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol, runtime_checkable

import discord
from discord import app_commands

from bot.core.errors import QAError
from bot.ui.embeds import notice_embed

log = logging.getLogger(__name__)

NOBODY = discord.AllowedMentions.none()
UNEXPECTED = ("Something went wrong on my side (ref `{ref}`); it has been logged. Please try "
              "again, and quote the ref if you report it.")
NOTICE_EVERY = 60.0  # seconds between two notices of unexpected errors in the moderator log
_last_notice = [float("-inf")]


@runtime_checkable
class ModeratorNotifier(Protocol):
    """A client with a moderator log (``QABot``): the UI tells moderators through it without
    importing the client."""

    async def notify_moderators(self, text: str) -> None: ...


def with_view(view: discord.ui.View | None) -> dict[str, discord.ui.View]:
    """``view=…`` for a send call, or nothing: discord.py's interaction and webhook sends take
    a missing view, not ``None``."""
    return {} if view is None else {"view": view}


async def send_private(interaction: discord.Interaction, text: str | None = None, *,
                       embed: discord.Embed | None = None, error: bool = False,
                       view: discord.ui.View | None = None) -> None:
    """An ephemeral message to whoever interacted, as a response or, if one was already
    sent (or deferred), as a follow-up. A view that keeps its message (``message``) learns
    it, so that it can disable itself when it times out."""
    embed = embed or notice_embed(text or "", error=error)
    message: discord.Message | None
    if interaction.response.is_done():
        message = await interaction.followup.send(embed=embed, ephemeral=True, wait=True,
                                                  allowed_mentions=NOBODY, **with_view(view))
    else:
        callback = await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=NOBODY, **with_view(view))
        message = callback.resource if isinstance(callback.resource, discord.Message) else None
    if view is not None and hasattr(view, "message"):
        view.message = message


async def unexpected(interaction: discord.Interaction, error: BaseException) -> None:
    """An error nobody planned for: the log gets the traceback under a reference, the user a
    private apology with the same reference, the moderator log a one-line notice (at most
    one a minute, so a broken command cannot flood it)."""
    ref = secrets.token_hex(4)
    where = _where(interaction)
    log.error("Unexpected error (ref %s) in %s, user %s, guild %s", ref, where,
              interaction.user.id, interaction.guild_id, exc_info=error)
    try:
        await send_private(interaction, UNEXPECTED.format(ref=ref), error=True)
    except discord.HTTPException:
        log.exception("Could not report error %s to the user", ref)
    now = time.monotonic()
    if now - _last_notice[0] >= NOTICE_EVERY:
        _last_notice[0] = now
        if isinstance(interaction.client, ModeratorNotifier):
            await interaction.client.notify_moderators(
                f"⚠️ Unexpected error (ref `{ref}`) in {where}: {type(error).__name__}. The log "
                "has the details.")


def _where(interaction: discord.Interaction) -> str:
    """What the user was doing, for the log: a command's name or a component's id."""
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
    return f"component {data.get('custom_id', '?')!r}"


@asynccontextmanager
async def report_errors(interaction: discord.Interaction) -> AsyncIterator[None]:
    """Turn a domain error into a private message saying what is wrong; anything else is
    reported by ``unexpected``."""
    try:
        yield
    except (QAError, app_commands.CheckFailure) as exc:
        await send_private(interaction, str(exc), error=True)
    except discord.HTTPException:
        log.exception("Discord refused a reply")
    except Exception as exc:  # reported with a reference, never swallowed
        await unexpected(interaction, exc)


async def post_to_mod_log(client: discord.Client, channel_id: int | None, text: str) -> None:
    """Post a notice to the moderator log channel, if there is one; a failure is logged, never
    raised."""
    if channel_id is None:
        return
    channel = client.get_channel(channel_id)
    try:
        if channel is None:
            channel = await client.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("MOD_LOG_CHANNEL_ID %s is not a text channel", channel_id)
            return
        await channel.send(embed=notice_embed(text), allowed_mentions=NOBODY)
    except discord.HTTPException:
        log.exception("Could not post to the moderator log channel %s", channel_id)
