"""Builders for the Discord JSON objects that discord.py 2.7 reads.

Every function returns a plain ``dict`` shaped like the Discord API v10 object (ids are strings,
as Discord sends them). They are deliberately minimal but complete enough for discord.py's
parsers: the required keys are always present, the optional ones discord.py reads are filled
with sensible defaults. :mod:`tests.standin.server` uses them, and tests may use them directly
to build exotic events (``server.dispatch("MESSAGE_CREATE", message(...))``).

Interactions are built in two parts: an :class:`InteractionContext` (who, where) and the
type-specific ``data``; :func:`application_command`, :func:`autocomplete`, :func:`component` and
:func:`modal_submit` combine them into the full ``INTERACTION_CREATE`` payload.
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 53) - 1

#: What @everyone may do in a fresh server (roughly Discord's defaults).
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | ADD_REACTIONS
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)
#: What the bot's managed role grants on top of @everyone.
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES

# Application flags (GET /applications/@me): the Message Content intent is enabled in the
# Developer Portal when either bit is set (LIMITED: the bot is in fewer than 100 servers).
APP_FLAG_GATEWAY_MESSAGE_CONTENT = 1 << 18
APP_FLAG_GATEWAY_MESSAGE_CONTENT_LIMITED = 1 << 19
APP_FLAGS_MESSAGE_CONTENT = (APP_FLAG_GATEWAY_MESSAGE_CONTENT
                             | APP_FLAG_GATEWAY_MESSAGE_CONTENT_LIMITED)

# Gateway intent bits.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15

# Message flags.
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7

# Channel types.
GUILD_TEXT = 0
DM = 1

# Permission overwrite target types.
OVERWRITE_ROLE = 0
OVERWRITE_MEMBER = 1

_counter = itertools.count()
_last_id = 0


def snowflake(*, shard: tuple[int, int] | None = None) -> str:
    """Return a new, strictly increasing snowflake id built from the current time.

    Real-looking ids matter: discord.py derives ``created_at`` from them and uses the age of a
    message id to pick rate-limit buckets for deletes. ``shard=(shard_id, shard_count)``: a
    guild id Discord routes to that shard, ``(id >> 22) % shard_count == shard_id`` (its
    timestamp, the bits above 22, moved up to ``shard_count - 1`` ms ahead).
    """
    global _last_id  # noqa: PLW0603 - a process-wide id counter is the point
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    if shard is not None:
        shard_id, count = shard
        ms = max(ms, (_last_id >> 22) + 1)  # a millisecond of its own: no carry moves it
        ms += (shard_id - ms) % count
    candidate = (ms << 22) | (next(_counter) & 0xFFF)
    _last_id = max(candidate, _last_id + 1)
    return str(_last_id)


def now_iso() -> str:
    """The current time as Discord's ISO-8601 timestamp."""
    return datetime.now(UTC).isoformat()


def _sid(value: int | str | None) -> str:
    return snowflake() if value is None else str(value)


def id_of(obj: Mapping[str, Any] | int | str) -> str:
    """The id of a payload (or the value itself when it already is an id), as a string."""
    if isinstance(obj, Mapping):
        return str(obj["id"])
    return str(obj)


# --------------------------------------------------------------------------- users, guilds


def user(username: str = "alice", *, id: int | str | None = None, bot: bool = False,
         global_name: str | None = None) -> JSON:
    """A user object (``id, username, discriminator, avatar`` + ``bot``)."""
    return {
        "id": _sid(id),
        "username": username,
        "discriminator": "0",
        "global_name": global_name if global_name is not None else username.title(),
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def application(bot_user: Mapping[str, Any], owner: Mapping[str, Any], *,
                name: str = "Standin App",
                flags: int = APP_FLAG_GATEWAY_MESSAGE_CONTENT_LIMITED) -> JSON:
    """``GET /oauth2/applications/@me``; the application id equals the bot user's id.

    ``flags`` default: the Message Content intent enabled, as for a bot in under 100 servers.
    """
    return {
        "id": bot_user["id"],
        "name": name,
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": dict(owner),
        "verify_key": "0" * 64,
        "flags": flags,
        "team": None,
    }


def role(name: str, *, id: int | str | None = None, permissions: int = 0,
         position: int = 1, managed: bool = False, mentionable: bool = False) -> JSON:
    """A guild role. The @everyone role's id is the guild id (see :func:`everyone_role`)."""
    return {
        "id": _sid(id),
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": managed,
        "mentionable": mentionable,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }


def everyone_role(guild_id: int | str, permissions: int = EVERYONE_PERMISSIONS) -> JSON:
    """The @everyone role of a guild: same id as the guild, position 0."""
    return role("@everyone", id=guild_id, permissions=permissions, position=0)


def member(user_obj: Mapping[str, Any], *, roles: Iterable[Mapping[str, Any] | int | str] = (),
           nick: str | None = None, permissions: int | None = None) -> JSON:
    """A guild member with its ``user``; ``roles`` are role payloads or ids (not @everyone).

    ``permissions`` is only set inside interactions (Discord computes it there); use
    :func:`member_permissions` to compute it from a guild payload.
    """
    data: JSON = {
        "user": dict(user_obj),
        "roles": [id_of(r) for r in roles],
        "nick": nick,
        "avatar": None,
        "joined_at": now_iso(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def text_channel(name: str = "general", *, guild_id: int | str, id: int | str | None = None,
                 position: int = 0, topic: str | None = None, parent_id: int | str | None = None,
                 permission_overwrites: Sequence[Mapping[str, Any]] = ()) -> JSON:
    """A guild text channel (type 0)."""
    return {
        "id": _sid(id),
        "type": GUILD_TEXT,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "topic": topic,
        "nsfw": False,
        "parent_id": None if parent_id is None else str(parent_id),
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "permission_overwrites": [dict(o) for o in permission_overwrites],
    }


def overwrite(target_id: int | str, type: int, *, allow: int = 0, deny: int = 0) -> JSON:
    """A channel permission overwrite: ``type`` 0 for a role (the @everyone role's id is the
    guild id), 1 for a member; ``allow``/``deny`` are permission bits, sent as strings."""
    return {"id": str(target_id), "type": type, "allow": str(allow), "deny": str(deny)}


def dm_channel(recipient: Mapping[str, Any], *, id: int | str | None = None) -> JSON:
    """A DM channel (type 1) with one recipient."""
    return {"id": _sid(id), "type": DM, "last_message_id": None, "recipients": [dict(recipient)]}


def guild(name: str = "Standin Guild", *, id: int | str | None = None,
          owner_id: int | str, channels: Sequence[Mapping[str, Any]] = (),
          roles: Sequence[Mapping[str, Any]] = (), members: Sequence[Mapping[str, Any]] = (),
          everyone_permissions: int = EVERYONE_PERMISSIONS) -> JSON:
    """A full ``GUILD_CREATE`` payload.

    The @everyone role is added when ``roles`` has none. ``member_count`` equals the number of
    members, so discord.py considers the guild chunked and never asks for members. Without the
    bot's own member in ``members``, ``guild.me`` is None in discord.py.
    """
    gid = _sid(id)
    all_roles = [dict(r) for r in roles]
    if not any(r["id"] == gid for r in all_roles):
        all_roles.insert(0, everyone_role(gid, everyone_permissions))
    return {
        "id": gid,
        "name": name,
        "icon": None,
        "owner_id": str(owner_id),
        "unavailable": False,
        "large": False,
        "member_count": len(members),
        "joined_at": now_iso(),
        "preferred_locale": "en-US",
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "system_channel_id": None,
        "features": [],
        "emojis": [],
        "stickers": [],
        "roles": all_roles,
        "channels": [dict(c) for c in channels],
        "members": [dict(m) for m in members],
        "threads": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
    }


def find_member(guild_obj: Mapping[str, Any], user_id: int | str) -> JSON | None:
    """The member payload of ``user_id`` in a guild payload, or None."""
    for m in guild_obj["members"]:
        if m["user"]["id"] == str(user_id):
            return m
    return None


def member_permissions(guild_obj: Mapping[str, Any], user_id: int | str) -> int:
    """Guild-level permissions of a member: owner → all; else @everyone | its roles.

    Channel permission overwrites are not applied.
    """
    uid = str(user_id)
    if guild_obj.get("owner_id") == uid:
        return ALL_PERMISSIONS
    by_id = {r["id"]: int(r["permissions"]) for r in guild_obj["roles"]}
    perms = by_id.get(guild_obj["id"], 0)
    found = find_member(guild_obj, uid)
    for role_id in found["roles"] if found else ():
        perms |= by_id.get(role_id, 0)
    return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms


def channel_permissions(guild_obj: Mapping[str, Any], channel: Mapping[str, Any],
                        user_id: int | str) -> int:
    """A member's permissions in a channel, as Discord computes them: the guild-level ones
    (:func:`member_permissions`), then the channel's overwrites for @everyone, for the member's
    roles together, and for the member, each deny before allow. Administrators and the owner
    keep everything. Implicit denials (no View Channel, no Send Messages) are not applied."""
    perms = member_permissions(guild_obj, user_id)
    if perms == ALL_PERMISSIONS:
        return perms
    uid = str(user_id)
    found = find_member(guild_obj, uid)
    role_ids = set(found["roles"]) if found else set()
    by_id = {o["id"]: o for o in channel.get("permission_overwrites") or []}

    def apply(value: int, allow: int, deny: int) -> int:
        return (value & ~deny) | allow

    if (everyone := by_id.get(guild_obj["id"])) is not None:
        perms = apply(perms, int(everyone["allow"]), int(everyone["deny"]))
    allow = deny = 0
    for o in by_id.values():
        if o["type"] == OVERWRITE_ROLE and o["id"] in role_ids:
            allow, deny = allow | int(o["allow"]), deny | int(o["deny"])
    perms = apply(perms, allow, deny)
    if (own := by_id.get(uid)) is not None and own["type"] == OVERWRITE_MEMBER:
        perms = apply(perms, int(own["allow"]), int(own["deny"]))
    return perms


# Keys of GUILD_CREATE that only the gateway sends: GET /guilds/{id} leaves them out.
_GATEWAY_ONLY_GUILD_KEYS = frozenset({
    "unavailable", "large", "member_count", "joined_at", "channels", "members", "threads",
    "voice_states", "presences", "stage_instances", "guild_scheduled_events"})


def rest_guild(guild_obj: Mapping[str, Any], *, with_counts: bool = False) -> JSON:
    """``GET /guilds/{id}``: the guild object with its roles, without the gateway-only keys
    (channels, members, ...); ``approximate_*_count`` with ``with_counts``."""
    data = {k: v for k, v in guild_obj.items() if k not in _GATEWAY_ONLY_GUILD_KEYS}
    if with_counts:
        data["approximate_member_count"] = len(guild_obj["members"])
        data["approximate_presence_count"] = 0
    return data


def partial_guild(guild_obj: Mapping[str, Any], user_id: int | str, *,
                  with_counts: bool = False) -> JSON:
    """An entry of ``GET /users/@me/guilds``: ``owner`` and ``permissions`` are those of the
    current user (``user_id``) in that guild."""
    data: JSON = {
        "id": guild_obj["id"],
        "name": guild_obj["name"],
        "icon": guild_obj.get("icon"),
        "banner": None,
        "owner": guild_obj.get("owner_id") == str(user_id),
        "permissions": str(member_permissions(guild_obj, user_id)),
        "features": list(guild_obj.get("features") or []),
    }
    if with_counts:
        data["approximate_member_count"] = len(guild_obj["members"])
        data["approximate_presence_count"] = 0
    return data


# --------------------------------------------------------------------------- messages


def attachment(filename: str, *, url: str, size: int, content_type: str | None = None,
               id: int | str | None = None) -> JSON:
    """An attachment object; ``url`` should point at the stand-in so ``read()`` works offline."""
    return {
        "id": _sid(id),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
        "ephemeral": False,
        "flags": 0,
    }


def message(*, channel_id: int | str, author: Mapping[str, Any], content: str = "",
            guild_id: int | str | None = None, member: Mapping[str, Any] | None = None,
            mentions: Sequence[Mapping[str, Any]] = (), mention_roles: Iterable[int | str] = (),
            mention_everyone: bool = False, referenced_message: Mapping[str, Any] | None = None,
            attachments: Sequence[Mapping[str, Any]] = (), embeds: Sequence[Mapping[str, Any]] = (),
            components: Sequence[Mapping[str, Any]] = (), flags: int = 0, type: int | None = None,
            id: int | str | None = None, webhook_id: int | str | None = None) -> JSON:
    """A message object / ``MESSAGE_CREATE`` data.

    ``member`` is the author's member payload *without* ``user`` (as the gateway sends it); pass
    a full member and its ``user`` is dropped. ``mentions`` are user payloads; in a guild each
    may carry a ``member`` key. ``referenced_message`` makes it a reply (type 19).
    """
    data: JSON = {
        "id": _sid(id),
        "type": type if type is not None else (19 if referenced_message is not None else 0),
        "channel_id": str(channel_id),
        "author": dict(author),
        "content": content,
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": mention_everyone,
        "mentions": [dict(m) for m in mentions],
        "mention_roles": [str(r) for r in mention_roles],
        "attachments": [dict(a) for a in attachments],
        "embeds": [dict(e) for e in embeds],
        "components": [dict(c) for c in components],
        "pinned": False,
        "flags": flags,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
        if member is not None:
            data["member"] = {k: v for k, v in member.items() if k != "user"}
    if webhook_id is not None:
        data["webhook_id"] = str(webhook_id)
    if referenced_message is not None:
        data["referenced_message"] = dict(referenced_message)
        data["message_reference"] = {
            "type": 0,
            "message_id": referenced_message["id"],
            "channel_id": referenced_message["channel_id"],
            "guild_id": referenced_message.get("guild_id"),
        }
    return data


# --------------------------------------------------------------------------- interactions


@dataclass(frozen=True)
class InteractionContext:
    """Who triggers an interaction, and where.

    ``guild`` is the full guild payload (None in a DM); ``member`` defaults to the user's
    member in that guild, with ``permissions`` computed from its roles. ``app_permissions``
    defaults to the bot's computed permissions when ``bot_id`` is given.
    """

    application_id: str
    channel: Mapping[str, Any]
    user: Mapping[str, Any]
    guild: Mapping[str, Any] | None = None
    member: Mapping[str, Any] | None = None
    bot_id: str | None = None
    app_permissions: int | None = None
    locale: str = "en-US"


def interaction(ctx: InteractionContext, type: int, data: Mapping[str, Any] | None, *,
                message: Mapping[str, Any] | None = None, id: int | str | None = None,
                token: str | None = None) -> JSON:
    """The ``INTERACTION_CREATE`` envelope around type-specific ``data``.

    Includes ``attachment_size_limit`` (discord.py raises KeyError without it), ``member`` in a
    guild or ``user`` in a DM, ``app_permissions``, ``entitlements``, ``context``, locales.
    """
    payload: JSON = {
        "id": _sid(id),
        "application_id": ctx.application_id,
        "type": type,
        "token": token or "itok-" + secrets.token_hex(16),
        "version": 1,
        "channel_id": ctx.channel["id"],
        "channel": dict(ctx.channel),
        "locale": ctx.locale,
        "entitlements": [],
        "entitlement_skus": [],
        "attachment_size_limit": 10 * 1024 * 1024,
        # "0": installed to the guild, "1": to the user (a DM here).
        "authorizing_integration_owners": (
            {"0": ctx.guild["id"]} if ctx.guild else {"1": ctx.user["id"]}),
        "context": 0 if ctx.guild else 1,
    }
    if data is not None:
        payload["data"] = dict(data)
    if ctx.guild is not None:
        g = ctx.guild
        payload["guild_id"] = g["id"]
        payload["guild_locale"] = g.get("preferred_locale", "en-US")
        payload["guild"] = {"id": g["id"], "locale": payload["guild_locale"], "features": []}
        base = ctx.member or find_member(g, ctx.user["id"]) or member(ctx.user)
        payload["member"] = {
            **base,
            "user": dict(ctx.user),
            "permissions": str(member_permissions(g, ctx.user["id"])),
        }
        app_perms = ctx.app_permissions
        if app_perms is None and ctx.bot_id is not None:
            app_perms = member_permissions(g, ctx.bot_id)
    else:
        payload["user"] = dict(ctx.user)
        app_perms = ctx.app_permissions
    payload["app_permissions"] = str(app_perms if app_perms is not None else BOT_PERMISSIONS)
    if message is not None:
        payload["message"] = dict(message)
    return payload


_OPTION_TYPES: tuple[tuple[type, int], ...] = ((bool, 5), (int, 4), (float, 10), (str, 3))


def option(name: str, value: Any, type: int | None = None, *, focused: bool = False) -> JSON:
    """A command option value as Discord sends it; ``type`` is inferred from ``value``.

    Types: 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 10 number, 11 attachment
    (6/7/8/11 carry an id as value and need ``resolved`` data).
    """
    if type is None:
        type = next((t for py, t in _OPTION_TYPES if isinstance(value, py)), 3)
    data: JSON = {"name": name, "type": type, "value": value}
    if focused:
        data["focused"] = True
    return data


def subcommand(name: str, options: Sequence[Mapping[str, Any]] = (), *,
               group: bool = False) -> JSON:
    """A subcommand (type 1) or subcommand group (type 2) wrapping its options."""
    return {"name": name, "type": 2 if group else 1, "options": [dict(o) for o in options]}


def command_data(name: str, options: Sequence[Mapping[str, Any]] = (), *,
                 command_id: int | str | None = None, command_guild_id: int | str | None = None,
                 resolved: Mapping[str, Any] | None = None) -> JSON:
    """``data`` of a chat-input command (or autocomplete) interaction.

    ``command_guild_id`` is the guild the command was registered in (None for global commands);
    discord.py looks guild commands up by it.
    """
    data: JSON = {"id": _sid(command_id), "name": name, "type": 1,
                  "options": [dict(o) for o in options]}
    if command_guild_id is not None:
        data["guild_id"] = str(command_guild_id)
    if resolved:
        data["resolved"] = dict(resolved)
    return data


def application_command(ctx: InteractionContext, name: str,
                        options: Sequence[Mapping[str, Any]] = (), *,
                        command_id: int | str | None = None,
                        command_guild_id: int | str | None = None,
                        resolved: Mapping[str, Any] | None = None) -> JSON:
    """A slash command interaction (type 2, data.type 1)."""
    data = command_data(name, options, command_id=command_id,
                        command_guild_id=command_guild_id, resolved=resolved)
    return interaction(ctx, 2, data)


def message_command(ctx: InteractionContext, name: str, target: Mapping[str, Any], *,
                    command_id: int | str | None = None,
                    command_guild_id: int | str | None = None) -> JSON:
    """A message context-menu interaction: ``target_id`` + ``resolved.messages``."""
    data: JSON = {"id": _sid(command_id), "name": name, "type": 3, "target_id": target["id"],
                  "resolved": {"messages": {target["id"]: dict(target)}}}
    if command_guild_id is not None:
        data["guild_id"] = str(command_guild_id)
    return interaction(ctx, 2, data)


def user_command(ctx: InteractionContext, name: str, target: Mapping[str, Any], *,
                 command_id: int | str | None = None,
                 command_guild_id: int | str | None = None) -> JSON:
    """A user context-menu interaction: ``target_id`` + ``resolved.users`` (+ ``members``)."""
    resolved: JSON = {"users": {target["id"]: dict(target)}}
    if ctx.guild is not None and (m := find_member(ctx.guild, target["id"])) is not None:
        resolved["members"] = {target["id"]: {k: v for k, v in m.items() if k != "user"}}
    data: JSON = {"id": _sid(command_id), "name": name, "type": 2, "target_id": target["id"],
                  "resolved": resolved}
    if command_guild_id is not None:
        data["guild_id"] = str(command_guild_id)
    return interaction(ctx, 2, data)


def autocomplete(ctx: InteractionContext, name: str, options: Sequence[Mapping[str, Any]], *,
                 command_id: int | str | None = None,
                 command_guild_id: int | str | None = None) -> JSON:
    """An autocomplete interaction (type 4); exactly one option must have ``focused: true``."""
    if sum(1 for o in _leaf_options(options) if o.get("focused")) != 1:
        raise ValueError("an autocomplete interaction needs exactly one focused option")
    data = command_data(name, options, command_id=command_id, command_guild_id=command_guild_id)
    return interaction(ctx, 4, data)


def _leaf_options(options: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    leaves: list[Mapping[str, Any]] = []
    for o in options:
        if o.get("type") in (1, 2):
            leaves.extend(_leaf_options(o.get("options", [])))
        else:
            leaves.append(o)
    return leaves


def component(ctx: InteractionContext, message: Mapping[str, Any], custom_id: str, *,
              component_type: int = 2, values: Sequence[str] | None = None) -> JSON:
    """A component interaction (type 3) on ``message``: a button (2) or a select (3, 5-8).

    ``message`` must be the message the component sits on, with the id the bot got back when it
    sent it: discord.py routes the click to the view stored under that message id.
    """
    data: JSON = {"custom_id": custom_id, "component_type": component_type}
    if component_type != 2:
        data["values"] = list(values or [])
    return interaction(ctx, 3, data, message=message)


def modal_submit(ctx: InteractionContext, custom_id: str, components: Sequence[Mapping[str, Any]],
                 *, message: Mapping[str, Any] | None = None) -> JSON:
    """A modal submit interaction (type 5); ``components`` as from :func:`modal_values`."""
    data = {"custom_id": custom_id, "components": [dict(c) for c in components]}
    return interaction(ctx, 5, data, message=message)


_MULTI_VALUE_TYPES = frozenset({3, 5, 6, 7, 8, 19, 22})


def modal_values(modal_components: Sequence[Mapping[str, Any]],
                 values: Mapping[str, Any]) -> list[JSON]:
    """Fill a modal's components (as the bot sent them) with what a user typed.

    Mirrors the layout (action rows type 1, labels type 18). Text inputs get ``value`` (a
    missing one → its pre-filled ``value`` or ""); selects, checkbox groups and file uploads get
    ``values``. Raises ValueError where the Discord client would refuse to submit: a required
    text input left empty, a value outside min/max length, or an unknown custom_id in
    ``values``.
    """
    seen: set[str] = set()

    def fill(comp: Mapping[str, Any]) -> JSON | None:
        ctype = comp["type"]
        if ctype == 1:
            return {"type": 1, "components": [c for c in map(fill, comp["components"]) if c]}
        if ctype == 18:
            inner = fill(comp["component"])
            return {"type": 18, "component": inner} if inner else None
        cid = comp.get("custom_id")
        if cid is None:
            return None
        seen.add(cid)
        leaf: JSON = {"type": ctype, "custom_id": cid}
        if ctype in _MULTI_VALUE_TYPES:
            leaf["values"] = list(values.get(cid, []))
            return leaf
        if ctype == 4:
            text = str(values.get(cid, comp.get("value") or ""))
            if comp.get("required", True) and not text:
                raise ValueError(f"text input {cid!r} is required")
            if text and not comp.get("min_length", 0) <= len(text) <= comp.get("max_length", 4000):
                raise ValueError(f"text input {cid!r}: length {len(text)} outside its limits")
            leaf["value"] = text
        else:
            leaf["value"] = values.get(cid)
        return leaf

    filled = [c for c in map(fill, modal_components) if c]
    unknown = set(values) - seen
    if unknown:
        raise ValueError(f"the modal has no inputs {sorted(unknown)}; it has {sorted(seen)}")
    return filled


def walk_components(components: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    """Every component in a component tree (rows, containers, sections, labels), depth first."""
    for comp in components:
        yield comp
        yield from walk_components(comp.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(comp.get(key), Mapping):
                yield from walk_components([comp[key]])
