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
NOT_FROM_HERE = ("The knowledge base is shared by every server this bot is in, and it is edited "
                 "only from the servers its operators chose (KB_GUILD_IDS). Nothing was changed.")


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


def is_owner(interaction: discord.Interaction) -> bool:
    """The application's owner, or a member of its team (known since login: no request)."""
    application = getattr(interaction.client, "application", None)
    if application is None:
        return False
    if application.team is not None:
        return any(member.id == interaction.user.id for member in application.team.members)
    return application.owner is not None and application.owner.id == interaction.user.id


def require_editor(interaction: discord.Interaction, settings: Settings) -> None:
    """``require_moderator``, and in a server allowed to edit the shared knowledge base
    (``KB_GUILD_IDS``); the application's owner or team may edit from anywhere."""
    if is_owner(interaction):
        return
    require_moderator(interaction, settings)
    if interaction.guild_id not in settings.editing_guild_ids:
        raise app_commands.CheckFailure(NOT_FROM_HERE)


def default_permissions(settings: Settings) -> discord.Permissions | None:
    """The permission hint for the moderator commands.

    With moderator roles configured, members of those roles may lack Manage Server, so the
    commands stay visible to everyone and the code check alone decides; otherwise only members
    with Manage Server see them by default.
    """
    return None if settings.moderator_role_ids else discord.Permissions(manage_guild=True)
