"""``python -m bot doctor``: what stands between this bot and a server where it works.

Each check prints one line: ``✓`` fine, ``✗`` broken (followed by an indented line that says
how to fix it), ``!`` works but worth knowing, ``-`` skipped because a check it needs failed.
The exit code is 0 when nothing is broken, 1 otherwise. The token is never printed.

The Discord checks go through discord.py's own HTTP client (``discord.http``), so they reach
Discord (or a test's stand-in, through ``Route.BASE``) exactly the way the bot does, and they
only read: nothing is posted, no setting or database is changed.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

import aiohttp
import discord
import psycopg
from discord.http import HTTPClient, Route

from bot.core.article import load_article
from bot.core.errors import QAError
from bot.core.kb_reading import load_knowledge_base, load_normalizer, parse_knowledge
from bot.core.knowledge import ARTICLE_FILE, KNOWLEDGE_FILE
from bot.core.store_postgres import CONNECT_TIMEOUT, MIGRATIONS
from bot.runner import token_problem
from bot.settings import Settings

EXIT_OK, EXIT_FAILED = 0, 1
#: Seconds one request to Discord may take (discord.py's own retries included).
REQUEST_TIMEOUT = 15.0
STATUS_PAGE = "https://discordstatus.com"

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
SEND_TTS_MESSAGES = 1 << 12
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = discord.Permissions.all().value

#: What the bot needs in a channel where it answers or logs, in the order they are reported.
NEEDED: Mapping[int, str] = {
    VIEW_CHANNEL: "View Channel",
    SEND_MESSAGES: "Send Messages",
    EMBED_LINKS: "Embed Links",
    READ_MESSAGE_HISTORY: "Read Message History",
}
#: The invite link's permissions (the README's): the four above, threads and attachments.
INVITE_PERMISSIONS = (VIEW_CHANNEL | SEND_MESSAGES | SEND_MESSAGES_IN_THREADS | EMBED_LINKS
                      | ATTACH_FILES | READ_MESSAGE_HISTORY)

# Application flags: the Message Content intent is on in the Developer Portal when either is
# set (LIMITED is the flag of a bot in fewer than 100 servers, which needs no verification).
GATEWAY_MESSAGE_CONTENT = 1 << 18
GATEWAY_MESSAGE_CONTENT_LIMITED = 1 << 19

_T = TypeVar("_T")


# --------------------------------------------------------------------------- permissions


@dataclass(frozen=True)
class Overwrite:
    """One entry of a channel's ``permission_overwrites``: for a role (the @everyone role's
    id is the guild's id) or, with ``member``, for one member."""

    id: int
    allow: int = 0
    deny: int = 0
    member: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Overwrite:
        return cls(id=int(data["id"]), allow=int(data.get("allow") or 0),
                   deny=int(data.get("deny") or 0), member=int(data.get("type") or 0) == 1)


@dataclass(frozen=True)
class GuildMember:
    """What Discord's permission computation needs of a member and its server."""

    guild_id: int
    owner_id: int
    member_id: int
    member_roles: frozenset[int]
    #: Every role of the server (the @everyone role included) → its permission bits.
    role_permissions: Mapping[int, int] = field(default_factory=dict)


def guild_permissions(member: GuildMember) -> int:
    """Server-wide permissions: the owner and administrators have all of them; otherwise
    those of @everyone and of each of the member's roles together."""
    if member.member_id == member.owner_id:
        return ALL_PERMISSIONS
    perms = member.role_permissions.get(member.guild_id, 0)
    for role_id in member.member_roles:
        perms |= member.role_permissions.get(role_id, 0)
    return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms


def overwritten_permissions(member: GuildMember, overwrites: Iterable[Overwrite]) -> int:
    """The member's permissions in a channel before Discord's implicit denials: the server's,
    then the @everyone overwrite, then the overwrites of the member's roles taken together,
    then the member's own overwrite; at each step deny first, then allow. Administrators and
    the owner are not subject to overwrites."""
    perms = guild_permissions(member)
    if perms == ALL_PERMISSIONS:
        return perms
    everyone, roles, own = _relevant(member, overwrites)
    if everyone is not None:
        perms = (perms & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for found in roles:
        allow, deny = allow | found.allow, deny | found.deny
    perms = (perms & ~deny) | allow
    if own is not None:
        perms = (perms & ~own.deny) | own.allow
    return perms


def implicit_denials(perms: int) -> int:
    """What Discord withholds on top of the overwrites: nothing at all in a channel one cannot
    view, and no embeds, files, text-to-speech or @everyone where one cannot send."""
    if perms == ALL_PERMISSIONS:
        return perms
    if not perms & VIEW_CHANNEL:
        return 0
    if not perms & SEND_MESSAGES:
        perms &= ~(SEND_TTS_MESSAGES | EMBED_LINKS | ATTACH_FILES | MENTION_EVERYONE)
    return perms


def channel_permissions(member: GuildMember, overwrites: Iterable[Overwrite]) -> int:
    """The member's effective permissions in a channel, computed the way Discord does."""
    return implicit_denials(overwritten_permissions(member, overwrites))


def denied_by(permission: int, member: GuildMember, overwrites: Iterable[Overwrite]
              ) -> Overwrite | None:
    """The overwrite that takes ``permission`` from the member in the channel, or None when
    none does (then none of the member's roles grants it). Meant for a permission the member
    lacks (see :func:`overwritten_permissions`); the last word wins: the member's own
    overwrite, then the roles' (a role's allow beats another role's deny), then @everyone's."""
    everyone, roles, own = _relevant(member, overwrites)
    if own is not None and own.deny & permission:
        return own
    if not any(found.allow & permission for found in roles):
        denying = next((found for found in roles if found.deny & permission), None)
        if denying is not None:
            return denying
        if everyone is not None and everyone.deny & permission:
            return everyone
    return None


def _relevant(member: GuildMember, overwrites: Iterable[Overwrite]
              ) -> tuple[Overwrite | None, list[Overwrite], Overwrite | None]:
    """(the @everyone overwrite, those of the member's roles, the member's own)."""
    everyone: Overwrite | None = None
    roles: list[Overwrite] = []
    own: Overwrite | None = None
    for found in overwrites:
        if found.member:
            own = found if found.id == member.member_id else own
        elif found.id == member.guild_id:
            everyone = found
        elif found.id in member.member_roles:
            roles.append(found)
    return everyone, roles, own


def invite_url(application_id: int, guild_id: int | None = None) -> str:
    """The link that adds the bot to a server, with its slash commands and permissions."""
    url = (f"https://discord.com/oauth2/authorize?client_id={application_id}"
           f"&scope=bot+applications.commands&permissions={INVITE_PERMISSIONS}")
    if guild_id is not None:
        url += f"&guild_id={guild_id}&disable_guild_select=true"
    return url


# --------------------------------------------------------------------------- the report


class Report:
    """Prints each finding as it is made (a slow network check shows where it waits) and
    remembers whether any check failed."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.failed = False
        encoding = getattr(out, "encoding", None) or "utf-8"
        try:
            "✓✗→".encode(encoding)
            self.marks = {"ok": "✓", "fail": "✗", "fix": "→"}
        except (UnicodeEncodeError, LookupError):
            self.marks = {"ok": "+", "fail": "x", "fix": "->"}

    def _line(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def ok(self, text: str) -> None:
        self._line(f"{self.marks['ok']} {text}")

    def warn(self, text: str) -> None:
        self._line(f"! {text}")

    def fail(self, text: str, fix: str) -> None:
        self.failed = True
        self._line(f"{self.marks['fail']} {text}")
        self._line(f"  {self.marks['fix']} {fix}")

    def skip(self, what: str, because: str) -> None:
        self._line(f"- skipped: {what} ({because})")

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed else EXIT_OK


# --------------------------------------------------------------------------- local checks


def check_settings(load: Callable[[], Settings], report: Report) -> Settings | None:
    try:
        settings = load()
    except QAError as exc:
        report.fail(f"settings: {exc}",
                    "correct that variable in .env or in the environment (.env.example "
                    "describes each)")
        return None
    env_file = Path(".env")
    where = f"the environment and {env_file.resolve()}" if env_file.is_file() else (
        "the environment (no .env in this folder)")
    report.ok(f"settings: valid, read from {where}")
    return settings


def check_token(settings: Settings, report: Report) -> bool:
    """DISCORD_TOKEN present and well-formed (whether Discord accepts it is checked later)."""
    problem = token_problem(settings.discord_token)
    if problem is None:
        report.ok("DISCORD_TOKEN: set and well-formed")
        return True
    fix = ("copy the token from the Developer Portal (Bot > Reset Token) and put it, alone, "
           "in .env as DISCORD_TOKEN=…")
    if not settings.discord_token and not Path(".env").is_file():
        fix += f" (run the bot from the folder that holds .env; this is {Path.cwd()})"
    report.fail(problem, fix)
    return False


def check_knowledge(settings: Settings, report: Report) -> bool:
    """The knowledge base loads and validates, with the loader ``check`` uses."""
    path = settings.knowledge_dir / KNOWLEDGE_FILE
    try:
        kb = load_knowledge_base(settings.knowledge_dir)
    except (QAError, OSError) as exc:
        lines = str(exc).splitlines() or [type(exc).__name__]
        more = f" (and {len(lines) - 1} more problems)" if len(lines) > 1 else ""
        report.fail(f"knowledge base: {lines[0]}{more}",
                    f"run `python -m bot check` to see every problem, then fix them in "
                    f"{settings.knowledge_dir} (or point KNOWLEDGE_DIR at the right folder)")
        return False
    phrasings = sum(len(entry.phrasings) for entry in kb.entries)
    report.ok(f"knowledge base: {path} loads, {len(kb.entries)} entries, "
              f"{phrasings} phrasings")
    return True


def check_data_dir(settings: Settings, report: Report) -> bool:
    """DATA_DIR can be created and written: a probe file is written and deleted beside the
    database, which itself is left alone."""
    directory = settings.data_dir
    existed = directory.is_dir()
    probe = directory / f".doctor-probe-{os.getpid()}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"doctor")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        report.fail(f"DATA_DIR {directory}: cannot be {'written' if existed else 'created'} "
                    f"({reason})",
                    f"make {directory.resolve()} a folder the bot's user may create and write "
                    "to (its owner, its permissions, a full or read-only disk), or set DATA_DIR "
                    "to one that is")
        return False
    report.ok(f"DATA_DIR {directory}: writable{'' if existed else ' (created it)'}")
    return True


DATABASE_FIX = ("start PostgreSQL, or correct DATABASE_URL (host, port, database, user, "
                "password); the password is never shown")


def database_place(url: str) -> str:
    """Where ``DATABASE_URL`` points, for people: database, host, port and user, never the
    password."""
    try:
        parts = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "named by DATABASE_URL"  # the driver's message may quote the URL, password too
    where = f"{parts.get('host') or 'localhost'}:{parts.get('port') or 5432}"
    who = f" as {parts['user']}" if parts.get("user") else ""
    return f"{parts.get('dbname') or parts.get('user') or 'postgres'} on {where}{who}"


def _without_password(text: str, url: str) -> str:
    """A driver's message with the password of ``url`` blotted out, should it appear."""
    try:
        password = psycopg.conninfo.conninfo_to_dict(url).get("password")
    except psycopg.Error:
        return "the URL does not parse"
    return text.replace(str(password), "***") if password else text


def check_database(settings: Settings, report: Report) -> bool:
    """With ``DATABASE_URL``: the database answers, and what it holds (its schema version
    and the knowledge base's version, read as the bot would load it). Only reads: an empty
    database is set up by the bot's first start."""
    url = settings.database_url
    if not url:
        return True
    place = database_place(url)
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT) as db:
            db.read_only = True
            migrated = db.execute("SELECT to_regclass('schema_migrations') IS NOT NULL, "
                                  "to_regclass('knowledge') IS NOT NULL").fetchone()
            schema = row = None
            if migrated and migrated[0]:
                schema = db.execute("SELECT max(version) FROM schema_migrations").fetchone()
            if migrated and migrated[1]:
                row = db.execute("SELECT version, text FROM knowledge WHERE id = 1").fetchone()
    except psycopg.Error as exc:
        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        report.fail(f"database {place}: cannot be used ({_without_password(lines[0], url)})",
                    DATABASE_FIX)
        return False
    version = int(schema[0]) if schema and schema[0] is not None else 0
    if version > len(MIGRATIONS):
        report.fail(f"database {place}: schema version {version}, newer than this bot's "
                    f"({len(MIGRATIONS)})",
                    "run the same version of the bot in every process: upgrade this one")
        return False
    if version == 0 or row is None:
        report.ok(f"database {place}: reachable, schema version {version}, no knowledge base "
                  "yet (the bot's first start creates the tables and seeds it from "
                  "KNOWLEDGE_DIR/qa.yaml)")
        return True
    try:
        kb = parse_knowledge(row[1], load_article(settings.knowledge_dir / ARTICLE_FILE),
                             "the database's knowledge base",
                             load_normalizer(settings.knowledge_dir))
    except (QAError, OSError) as exc:
        lines = str(exc).splitlines() or [type(exc).__name__]
        report.fail(f"database {place}: knowledge base version {row[0]} does not load: "
                    f"{lines[0]}",
                    "point KNOWLEDGE_DIR at the article.txt and vocabulary.yaml this knowledge "
                    "base was written for")
        return False
    report.ok(f"database {place}: reachable, schema version {version}, knowledge base "
              f"version {row[0]} ({len(kb.entries)} entries)")
    return True


# --------------------------------------------------------------------------- Discord checks


async def _timed(call: Awaitable[_T]) -> _T:
    async with asyncio.timeout(REQUEST_TIMEOUT):
        return await call


def _why(exc: BaseException) -> str:
    """A failed request, in words (never with the token: discord.py does not put it there)."""
    if isinstance(exc, discord.HTTPException):
        return f"Discord answered {exc.status}: {exc.text or exc.response.reason}"
    if isinstance(exc, TimeoutError):
        return f"no answer within {REQUEST_TIMEOUT:.0f} s"
    return f"{type(exc).__name__}: {exc}"


_REQUEST_ERRORS = (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError)
_TRY_AGAIN = f"try again in a minute; {STATUS_PAGE} shows whether Discord has trouble"


async def check_reachable(report: Report) -> bool:
    """Discord answers HTTP at all (an unauthenticated ``GET /gateway``, built with
    discord.py's ``Route`` so it goes where the bot's requests go)."""
    url = Route("GET", "/gateway").url
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT), aiohttp.ClientSession() as session, \
                session.get(url) as response:
            status = response.status
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        report.fail(f"Discord cannot be reached at {Route.BASE} ({_why(exc)})",
                    "check this machine's network, DNS, proxy and firewall (it must reach "
                    f"discord.com on port 443); {STATUS_PAGE} shows whether Discord is down")
        return False
    if status >= 500:
        report.fail(f"Discord answered {status} at {Route.BASE}: it has trouble", _TRY_AGAIN)
        return False
    report.ok(f"Discord is reachable ({Route.BASE})")
    return True


async def check_login(http: HTTPClient, token: str, report: Report) -> dict[str, Any] | None:
    """Discord accepts the token (``GET /users/@me``); the bot user, or None."""
    try:
        me: dict[str, Any] = await _timed(http.static_login(token))
    except discord.LoginFailure:
        report.fail("Discord refused DISCORD_TOKEN (invalid, reset or revoked)",
                    "reset the token in the Developer Portal (Bot > Reset Token) and put it in "
                    ".env as DISCORD_TOKEN=…")
        return None
    except _REQUEST_ERRORS as exc:
        report.fail(f"logging in with DISCORD_TOKEN failed ({_why(exc)})", _TRY_AGAIN)
        return None
    report.ok(f"Discord accepted DISCORD_TOKEN: the bot is {me.get('username')} "
              f"(id {me.get('id')})")
    return me


async def check_intent(http: HTTPClient, settings: Settings, report: Report
                       ) -> dict[str, Any] | None:
    """The Message Content intent is enabled for the application when the bot asks for it
    (``GET /applications/@me`` → ``flags``); without it Discord refuses the connection.
    Returns the application, or None when it could not be read."""
    try:
        app: dict[str, Any] = await _timed(http.request(Route("GET", "/applications/@me")))
    except _REQUEST_ERRORS as exc:
        report.fail(f"the application cannot be read ({_why(exc)})", _TRY_AGAIN)
        return None
    enabled = bool(int(app.get("flags") or 0)
                   & (GATEWAY_MESSAGE_CONTENT | GATEWAY_MESSAGE_CONTENT_LIMITED))
    if not settings.message_content_intent:
        if settings.qa_channel_ids:
            report.warn("MESSAGE_CONTENT_INTENT=false: in QA_CHANNEL_IDS the bot only sees "
                        "questions that mention it")
        else:
            report.ok("Message Content intent: not asked for (MESSAGE_CONTENT_INTENT=false)")
    elif enabled:
        report.ok("Message Content intent: enabled for the application")
    else:
        report.fail("Message Content intent: not enabled for the application, so Discord "
                    "refuses the bot's connection (MESSAGE_CONTENT_INTENT is true)",
                    "enable it in the Developer Portal (Bot > Privileged Gateway Intents > "
                    "Message Content Intent), or set MESSAGE_CONTENT_INTENT=false (the bot "
                    "then answers mentions, DMs and slash commands only)")
    return app


async def _all_guilds(http: HTTPClient) -> list[dict[str, Any]]:
    guilds: list[dict[str, Any]] = []
    while True:
        page = await _timed(http.get_guilds(200, after=guilds[-1]["id"] if guilds else None,
                                            with_counts=False))
        guilds.extend(page)
        if len(page) < 200:
            return guilds


async def check_guilds(http: HTTPClient, settings: Settings, application_id: int,
                       report: Report) -> list[dict[str, Any]] | None:
    """The servers the bot is in (``GET /users/@me/guilds``), and whether every server the
    settings name is one of them. None when they could not be read."""
    try:
        guilds = await _all_guilds(http)
    except _REQUEST_ERRORS as exc:
        report.fail(f"the bot's servers cannot be read ({_why(exc)})", _TRY_AGAIN)
        return None
    if not guilds:
        report.fail("the bot is in no server",
                    f"invite it (you need Manage Server there): {invite_url(application_id)}")
    else:
        names = [f"{g.get('name')} ({g['id']})" for g in guilds[:5]]
        more = f" and {len(guilds) - 5} more" if len(guilds) > 5 else ""
        report.ok(f"servers: the bot is in {len(guilds)}: {', '.join(names)}{more}")
    present = {int(g["id"]) for g in guilds}
    for guild_id, named_in in _configured_guilds(settings).items():
        if guild_id not in present:
            report.fail(f"the bot is not in server {guild_id} (named in {named_in})",
                        f"invite it there: {invite_url(application_id, guild_id)} — or correct "
                        f"{named_in}")
    return guilds


def _configured_guilds(settings: Settings) -> dict[int, str]:
    """Each server id the settings name → the settings that name it."""
    named: dict[int, list[str]] = {}
    for guild_id in settings.guild_ids:
        named.setdefault(guild_id, []).append("DISCORD_GUILD_IDS")
    for guild_id in sorted(settings.kb_guild_ids or ()):
        named.setdefault(guild_id, []).append("KB_GUILD_IDS")
    return {guild_id: " and ".join(names) for guild_id, names in named.items()}


@dataclass(frozen=True)
class _Server:
    """A server as the permission check sees it: the bot's member and the role names."""

    name: str
    member: GuildMember
    role_names: Mapping[int, str]
    bot_role: int | None  # the role Discord made for the bot, if it still has it


async def _server(http: HTTPClient, guild_id: int, bot_id: int) -> _Server:
    guild = await _timed(http.get_guild(guild_id, with_counts=False))
    member = await _timed(http.get_member(guild_id, bot_id))
    roles = guild.get("roles") or []
    member_roles = frozenset(int(r) for r in member.get("roles") or [])
    bot_role = next((int(r["id"]) for r in roles if int(r["id"]) in member_roles
                     and str((r.get("tags") or {}).get("bot_id")) == str(bot_id)), None)
    return _Server(
        name=str(guild.get("name")),
        member=GuildMember(guild_id=guild_id, owner_id=int(guild.get("owner_id") or 0),
                           member_id=bot_id, member_roles=member_roles,
                           role_permissions={int(r["id"]): int(r.get("permissions") or 0)
                                             for r in roles}),
        role_names={int(r["id"]): str(r["name"]) for r in roles},
        bot_role=bot_role,
    )


async def check_channels(http: HTTPClient, settings: Settings, bot_id: int,
                         report: Report) -> None:
    """The bot's effective permissions in each QA channel and the moderator log channel."""
    channels = [(cid, "QA_CHANNEL_IDS") for cid in sorted(settings.qa_channel_ids)]
    if settings.mod_log_channel_id is not None:
        channels.append((settings.mod_log_channel_id, "MOD_LOG_CHANNEL_ID"))
    if not channels:
        report.ok("channels: none to check (QA_CHANNEL_IDS and MOD_LOG_CHANNEL_ID are empty)")
        return
    servers: dict[int, _Server] = {}
    for channel_id, named_in in channels:
        channel = await _channel(http, channel_id, named_in, report)
        if channel is None:
            continue
        guild_id = int(channel["guild_id"])
        if guild_id not in servers:
            try:
                servers[guild_id] = await _server(http, guild_id, bot_id)
            except _REQUEST_ERRORS as exc:
                report.fail(f"channel {channel_id} ({named_in}): its server {guild_id} cannot "
                            f"be read ({_why(exc)})", _TRY_AGAIN)
                continue
        _report_permissions(channel, named_in, servers[guild_id], report)


async def _channel(http: HTTPClient, channel_id: int, named_in: str, report: Report
                   ) -> dict[str, Any] | None:
    """``GET /channels/{id}``, or None after reporting why the bot cannot use it."""
    copy_id = ("in Discord turn on Developer Mode (User Settings > Advanced), then right-click "
               "the channel > Copy Channel ID")
    try:
        channel: dict[str, Any] = await _timed(http.get_channel(channel_id))
    except discord.NotFound:
        report.fail(f"channel {channel_id} ({named_in}): no such channel",
                    f"correct the id in {named_in}: {copy_id}")
        return None
    except discord.Forbidden:
        report.fail(f"channel {channel_id} ({named_in}): the bot cannot see it",
                    "give the bot's role View Channel in that channel's permissions (Edit "
                    f"Channel > Permissions); if the bot is not in its server, invite it; if "
                    f"the id is wrong, correct {named_in} ({copy_id})")
        return None
    except _REQUEST_ERRORS as exc:
        report.fail(f"channel {channel_id} ({named_in}) cannot be read ({_why(exc)})",
                    _TRY_AGAIN)
        return None
    if not channel.get("guild_id"):
        report.fail(f"channel {channel_id} ({named_in}) is not a server channel",
                    f"put a server text channel's id in {named_in} ({copy_id})")
        return None
    return channel


def _report_permissions(channel: Mapping[str, Any], named_in: str, server: _Server,
                        report: Report) -> None:
    overwrites = [Overwrite.from_json(o) for o in channel.get("permission_overwrites") or []]
    raw = overwritten_permissions(server.member, overwrites)
    effective = implicit_denials(raw)
    where = f"#{channel.get('name')} in {server.name}"
    missing = [bit for bit in NEEDED if not effective & bit]
    if not missing:
        report.ok(f"{where} ({named_in}): {', '.join(NEEDED.values())}")
        return
    report.fail(f"{where} ({named_in}): the bot lacks "
                f"{', '.join(NEEDED[bit] for bit in missing)}",
                permission_fix(channel, server, overwrites, raw, missing))


def permission_fix(channel: Mapping[str, Any], server: _Server, overwrites: Sequence[Overwrite],
                   raw: int, missing: Sequence[int]) -> str:
    """How to give the bot what it lacks in a channel: name each permission an overwrite or
    the roles take away, and who takes it; one withheld only because of another (no embeds
    without Send Messages) is fixed with that other."""
    name = f"#{channel.get('name')}"
    role = (f"the bot's role @{server.role_names.get(server.bot_role)}"
            if server.bot_role is not None else "a role the bot has")
    to_allow: list[str] = []
    own_denials: list[str] = []
    for bit in missing:
        if raw & bit:
            continue  # withheld implicitly: fixed with View Channel or Send Messages
        source = denied_by(bit, server.member, overwrites)
        if source is None:
            to_allow.append(f"{NEEDED[bit]} (none of the bot's roles has it)")
        elif source.member:
            own_denials.append(NEEDED[bit])
        elif source.id == server.member.guild_id:
            to_allow.append(f"{NEEDED[bit]} (denied to @everyone there)")
        elif source.id == server.bot_role:
            to_allow.append(f"{NEEDED[bit]} (denied to that role there)")
        else:
            role_name = server.role_names.get(source.id, str(source.id))
            to_allow.append(f"{NEEDED[bit]} (denied to role @{role_name} there)")
    steps = []
    if to_allow:
        steps.append(f"in {name} > Edit Channel > Permissions, allow for {role}: "
                     f"{', '.join(to_allow)}")
    if own_denials:
        steps.append(f"in {name} > Edit Channel > Permissions, remove the bot's own denial of "
                     f"{', '.join(own_denials)}")
    implied = [NEEDED[bit] for bit in missing if raw & bit]
    if implied:
        needs = "View Channel" if not raw & VIEW_CHANNEL else "Send Messages"
        steps.append(f"Discord withholds {', '.join(implied)} from a bot without {needs}")
    return "; ".join(steps)


async def check_discord(settings: Settings, token_ok: bool, report: Report) -> None:
    """Checks 4-8, each skipped when one it needs failed."""
    later = "token, intent, servers and channels"
    if not await check_reachable(report):
        report.skip(later, "Discord cannot be reached")
        return
    if not token_ok:
        report.skip(later, "DISCORD_TOKEN is missing or malformed")
        return
    http = HTTPClient(asyncio.get_running_loop())
    try:
        me = await check_login(http, settings.discord_token or "", report)
        if me is None:
            report.skip("intent, servers and channels", "Discord did not accept the token")
            return
        app = await check_intent(http, settings, report)
        application_id = int((app or me)["id"])
        guilds = await check_guilds(http, settings, application_id, report)
        if not guilds:
            report.skip("channel permissions", "the bot is in no server" if guilds == [] else
                        "its servers could not be read")
            return
        await check_channels(http, settings, int(me["id"]), report)
    finally:
        await http.close()


async def diagnose(load_settings: Callable[[], Settings], out: TextIO) -> int:
    """Run every check in order, printing as it goes; the exit code (0 or 1)."""
    report = Report(out)
    settings = check_settings(load_settings, report)
    if settings is None:
        report.skip("every other check", "they need the settings")
        return report.exit_code
    token_ok = check_token(settings, report)
    check_knowledge(settings, report)
    check_data_dir(settings, report)
    check_database(settings, report)
    await check_discord(settings, token_ok, report)
    return report.exit_code


def run_doctor(load_settings: Callable[[], Settings] = Settings.load,
               out: TextIO | None = None) -> int:
    """``python -m bot doctor``: the checks, then the exit code."""
    return asyncio.run(diagnose(load_settings, out or sys.stdout))
