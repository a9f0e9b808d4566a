"""The doctor's permission computation: Discord's rules for a member's permissions in a
channel (server roles, administrators, the owner, the three kinds of overwrites in their order,
and the implicit denials)."""

from __future__ import annotations

from bot.doctor import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    EMBED_LINKS,
    NEEDED,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    GuildMember,
    Overwrite,
    channel_permissions,
    denied_by,
    guild_permissions,
    invite_url,
    overwritten_permissions,
)

GUILD, OWNER, BOT, BOT_ROLE, MUTED, OTHER = 100, 1, 2, 200, 300, 400
EVERYONE_PERMS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY
ALL_NEEDED = sum(NEEDED)


def bot(*, everyone: int = EVERYONE_PERMS, role: int = 0, roles: tuple[int, ...] = (BOT_ROLE,),
        owner: int = OWNER) -> GuildMember:
    return GuildMember(guild_id=GUILD, owner_id=owner, member_id=BOT,
                       member_roles=frozenset(roles),
                       role_permissions={GUILD: everyone, BOT_ROLE: role, MUTED: 0, OTHER: 0})


def test_server_permissions_are_everyone_and_the_roles_together() -> None:
    member = bot(everyone=VIEW_CHANNEL, role=SEND_MESSAGES | EMBED_LINKS)
    assert guild_permissions(member) == VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS


def test_a_role_the_member_does_not_have_counts_for_nothing() -> None:
    member = GuildMember(guild_id=GUILD, owner_id=OWNER, member_id=BOT,
                         member_roles=frozenset(), role_permissions={GUILD: 0, OTHER: ALL_NEEDED})
    assert channel_permissions(member, []) == 0


def test_administrator_and_owner_have_everything_whatever_the_overwrites() -> None:
    deny_all = [Overwrite(GUILD, deny=ALL_NEEDED), Overwrite(BOT, deny=ALL_NEEDED, member=True)]
    assert channel_permissions(bot(role=ADMINISTRATOR), deny_all) == ALL_PERMISSIONS
    assert channel_permissions(bot(owner=BOT), deny_all) == ALL_PERMISSIONS


def test_an_everyone_overwrite_denies() -> None:
    perms = channel_permissions(bot(), [Overwrite(GUILD, deny=EMBED_LINKS)])
    assert perms == VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY


def test_a_role_overwrite_allows_what_everyone_is_denied() -> None:
    overwrites = [Overwrite(GUILD, deny=EMBED_LINKS), Overwrite(BOT_ROLE, allow=EMBED_LINKS)]
    assert channel_permissions(bot(), overwrites) == EVERYONE_PERMS


def test_role_overwrites_are_combined_and_allow_wins_over_another_roles_deny() -> None:
    overwrites = [Overwrite(MUTED, deny=SEND_MESSAGES), Overwrite(BOT_ROLE, allow=SEND_MESSAGES)]
    assert channel_permissions(bot(roles=(BOT_ROLE, MUTED)), overwrites) == EVERYONE_PERMS
    assert channel_permissions(bot(roles=(BOT_ROLE, MUTED)),
                               overwrites[:1]) & SEND_MESSAGES == 0


def test_the_members_own_overwrite_has_the_last_word() -> None:
    overwrites = [Overwrite(BOT_ROLE, allow=EMBED_LINKS),
                  Overwrite(BOT, deny=EMBED_LINKS, member=True)]
    assert channel_permissions(bot(), overwrites) & EMBED_LINKS == 0
    allowed = [Overwrite(GUILD, deny=EMBED_LINKS), Overwrite(BOT, allow=EMBED_LINKS, member=True)]
    assert channel_permissions(bot(), allowed) == EVERYONE_PERMS


def test_a_member_overwrite_for_someone_else_or_a_role_with_the_members_id_is_ignored() -> None:
    overwrites = [Overwrite(OTHER, deny=ALL_NEEDED, member=True), Overwrite(OTHER, deny=ALL_NEEDED)]
    assert channel_permissions(bot(), overwrites) == EVERYONE_PERMS


def test_without_view_channel_nothing_is_left() -> None:
    overwrites = [Overwrite(GUILD, deny=VIEW_CHANNEL)]
    assert overwritten_permissions(bot(), overwrites) == EVERYONE_PERMS & ~VIEW_CHANNEL
    assert channel_permissions(bot(), overwrites) == 0


def test_without_send_messages_embeds_are_withheld_too() -> None:
    perms = channel_permissions(bot(), [Overwrite(BOT_ROLE, deny=SEND_MESSAGES)])
    assert perms == VIEW_CHANNEL | READ_MESSAGE_HISTORY


def test_denied_by_names_the_overwrite_with_the_last_word() -> None:
    everyone = Overwrite(GUILD, deny=EMBED_LINKS)
    muted = Overwrite(MUTED, deny=EMBED_LINKS)
    own = Overwrite(BOT, deny=EMBED_LINKS, member=True)
    member = bot(roles=(BOT_ROLE, MUTED))
    assert denied_by(EMBED_LINKS, member, [everyone]) == everyone
    assert denied_by(EMBED_LINKS, member, [everyone, muted]) == muted
    assert denied_by(EMBED_LINKS, member, [everyone, muted, own]) == own
    assert denied_by(EMBED_LINKS, bot(everyone=0), []) is None


def test_invite_url_asks_for_both_scopes_and_can_preselect_a_server() -> None:
    url = invite_url(42)
    assert "client_id=42" in url and "scope=bot+applications.commands" in url
    assert "permissions=274878024704" in url  # the README's link
    assert "guild_id=7" in invite_url(42, 7)
