"""Sending replies and reporting failures privately, the same way everywhere."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord
from discord import app_commands

from bot.core.errors import QAError
from bot.ui.embeds import notice_embed

log = logging.getLogger(__name__)

NOBODY = discord.AllowedMentions.none()
UNEXPECTED = "Something went wrong on my side; it has been logged. Please try again."


def with_view(view: discord.ui.View | None) -> dict[str, discord.ui.View]:
    """``view=…`` for a send call, or nothing: discord.py's interaction and webhook sends take
    a missing view, not ``None``."""
    return {} if view is None else {"view": view}


async def send_private(interaction: discord.Interaction, text: str | None = None, *,
                       embed: discord.Embed | None = None, error: bool = False,
                       view: discord.ui.View | None = None) -> None:
    """An ephemeral message to whoever interacted, as a response or, if one was already
    sent (or deferred), as a follow-up."""
    embed = embed or notice_embed(text or "", error=error)
    if interaction.response.is_done():
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NOBODY,
                                        **with_view(view))
    else:
        await interaction.response.send_message(embed=embed, ephemeral=True,
                                                allowed_mentions=NOBODY, **with_view(view))


@asynccontextmanager
async def report_errors(interaction: discord.Interaction) -> AsyncIterator[None]:
    """Turn a domain error into a private message saying what is wrong; log anything else
    with its traceback and apologise privately."""
    try:
        yield
    except (QAError, app_commands.CheckFailure) as exc:
        await send_private(interaction, str(exc), error=True)
    except discord.HTTPException:
        log.exception("Discord refused a reply")
    except Exception:
        log.exception("Unexpected error handling an interaction")
        try:
            await send_private(interaction, UNEXPECTED, error=True)
        except discord.HTTPException:
            log.exception("Could not report the error to the user")
