"""Who may change the knowledge base, checked in code everywhere it matters.

``default_member_permissions`` on a command is only a default that server admins can change, so
every moderator command, button, select and modal calls ``require_moderator`` itself.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.settings import Settings

NOT_A_MODERATOR = ("Only moderators can change the knowledge base: members with the Manage "
                   "Server permission or a moderator role. Nothing was changed.")
NOT_IN_DMS = "Moderator commands work in a server, not in direct messages."


def is_moderator(user: discord.abc.User, settings: Settings) -> bool:
    """Manage Server, or one of ``MODERATOR_ROLE_IDS``; never outside a server."""
    if not isinstance(user, discord.Member):
        return False
    if user.guild_permissions.manage_guild:
        return True
    return any(role.id in settings.moderator_role_ids for role in user.roles)


def require_moderator(interaction: discord.Interaction, settings: Settings) -> None:
    """Raise a ``CheckFailure`` with a message for the user unless they may edit."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage(NOT_IN_DMS)
    if not is_moderator(interaction.user, settings):
        raise app_commands.CheckFailure(NOT_A_MODERATOR)


def default_permissions(settings: Settings) -> discord.Permissions | None:
    """The permission hint for the moderator commands.

    With moderator roles configured, members of those roles may lack Manage Server, so the
    commands stay visible to everyone and the code check alone decides; otherwise only members
    with Manage Server see them by default.
    """
    return None if settings.moderator_role_ids else discord.Permissions(manage_guild=True)
