"""A stand-in Discord (REST + gateway) on 127.0.0.1 for offline end-to-end tests of discord.py.

The real, unmodified discord.py client talks to :class:`StandinDiscord` exactly as it talks to
Discord: it logs in over REST, holds a gateway websocket session, receives the events a test
injects, and sends replies, interaction callbacks, follow-ups and command syncs back over REST.
Everything the bot sends is kept as a :class:`Record` that tests await and inspect.

Typical use::

    async with StandinDiscord() as discord_, discord_.run_bot(MyBot()) as bot_task:
        await discord_.send_message("hello")
        reply = await discord_.wait_for("message")
        assert reply.embeds[0]["title"] == "Hi"

What is faithful on purpose (so bugs show up here, not in production):

* Content-Type is exactly ``application/json`` (discord.py ignores JSON bodies otherwise).
* Intents: without ``message_content``, ``content``/``embeds``/``attachments``/``components`` of
  guild messages are blanked, except messages that mention the bot and the bot's own; guild
  (DM) messages are not delivered at all without ``guild_messages`` (``dm_messages``).
* Mentions are parsed from the content like Discord does (``<@id>``, ``<@&id>``, ``@everyone``
  only with the Mention Everyone permission), and a reply pings the replied-to author.
* Limits from DESIGN.md are enforced: an over-long message, embed, modal, autocomplete answer
  or command definition is refused with a 400 ``Invalid Form Body`` (recorded as ``rejected``).
* An interaction can be acknowledged once; a follow-up after a deferred ("thinking") response
  replaces the loading message, as in Discord.
* Tokens and intents: with ``accepted_token`` set, a request with another token gets 401 and an
  IDENTIFY with it is closed with 4004; asking for the Message Content intent while the
  application's flags (:meth:`StandinDiscord.set_message_content_intent`) do not enable it is
  closed with 4014, as Discord does.
* Channel permission overwrites (:meth:`StandinDiscord.add_overwrite`) count: the bot gets 403
  Missing Access for a channel it cannot view.

Shards, as Discord does them: ``GET /gateway/bot`` recommends ``recommended_shards``; an
IDENTIFY with ``"shard": [id, count]`` opens the session of that shard, whose READY and
GUILD_CREATEs carry only the guilds ``(guild_id >> 22) % count == id``; every event of a guild
goes to its shard's session, DMs to shard 0's. :meth:`StandinDiscord.add_guild` takes
``shard=(id, count)`` to place a guild. Several bots (one per process, say) may run at once,
each with :meth:`StandinDiscord.run_bot`, for the shards each runs.

Faults: :meth:`StandinDiscord.reconnect` (op 7), :meth:`StandinDiscord.drop_connection` (close
code 4000 → resume with replay), :meth:`StandinDiscord.invalidate_session` (op 9),
:meth:`StandinDiscord.fail_next` (429 with ``retry_after`` or any error status on the next
request of a kind), :meth:`StandinDiscord.dispatch_malformed` (event without ``id``). The
gateway faults act on the session of shard 0 (or of the only shard connected).

Note on re-identifying: discord.py's ``Client.before_identify_hook`` sleeps 5 s before every
IDENTIFY but the first. :meth:`StandinDiscord.run_bot` replaces it on the bot *instance* with a
no-op (``skip_identify_delay=True``), so an op 9 test does not wait 5 s. To do it yourself::

    async def _no_wait(shard_id, *, initial=False): return None
    bot.before_identify_hook = _no_wait
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from aiohttp import WSMsgType, web

from tests.standin import payloads as p

JSON = dict[str, Any]
log = logging.getLogger("tests.standin")

#: discord.py's names for the tasks that handle one event: listeners, slash commands, components
#: and modals (a view's timeout task is not one: it waits minutes by design).
HANDLER_TASKS = ("discord.py: ", "CommandTree-invoker", "discord-ui-view-dispatch-",
                 "discord-ui-modal-dispatch-", "discord-ui-dynamic-item-")

#: Kinds of records that are a visible answer of the bot (used by :meth:`assert_silent`).
REPLY_KINDS = ("message", "interaction_response", "followup", "edit", "delete", "reaction")

_HELLO_INTERVAL_MS = 41_250
_GUILD_EVENTS = ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE")  # their payload is the guild
_MENTION_USER = re.compile(r"<@!?(\d+)>")
_MENTION_ROLE = re.compile(r"<@&(\d+)>")


class StandinTimeoutError(AssertionError):
    """Nothing matching arrived in time (an AssertionError, so pytest reports it as a failure)."""


class BotCrashedError(AssertionError):
    """The bot's ``start()`` task ended with an exception while a test was waiting."""


@dataclass
class UploadedFile:
    """A file the bot uploaded in a multipart request."""

    field: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class Record:
    """One REST request the bot made, as the stand-in saw and answered it.

    ``kind`` is one of: ``login``, ``application_info`` (``/oauth2/applications/@me``),
    ``application`` (``/applications/@me``), ``fetch_guilds`` (``/users/@me/guilds``),
    ``fetch_guild``, ``gateway``, ``message`` (POST to a
    channel), ``edit`` (channel message or interaction webhook message), ``delete``,
    ``fetch_message``, ``fetch_channel``, ``fetch_user``, ``fetch_member``, ``typing``,
    ``reaction``, ``dm_open``, ``command_sync``, ``fetch_commands``, ``interaction_response``,
    ``followup``; and ``fault`` (answered by :meth:`StandinDiscord.fail_next`), ``rejected``
    (refused with a 4xx, see ``errors``) or ``unknown`` (no such route in the stand-in).
    ``of_kind`` holds the intended kind of a ``fault``/``rejected`` record.
    """

    kind: str
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    json: Any = None
    files: list[UploadedFile] = field(default_factory=list)
    status: int = 200
    response: Any = None
    message: JSON | None = None
    channel_id: str | None = None
    message_id: str | None = None
    guild_id: str | None = None
    interaction_id: str | None = None
    application_id: str | None = None
    token: str | None = None
    of_kind: str | None = None
    errors: list[str] = field(default_factory=list)
    consumed: bool = field(default=False, repr=False)
    age: float | None = None  # an interaction callback: seconds since the interaction

    @property
    def body(self) -> JSON:
        """The message-like part of the request: ``json["data"]`` for an interaction callback."""
        if not isinstance(self.json, dict):
            return {}
        if self.kind == "interaction_response" or self.of_kind == "interaction_response":
            return self.json.get("data") or {}
        return self.json

    @property
    def content(self) -> str | None:
        return self.body.get("content")

    @property
    def embeds(self) -> list[JSON]:
        return self.body.get("embeds") or []

    @property
    def components(self) -> list[JSON]:
        return self.body.get("components") or []

    @property
    def custom_ids(self) -> list[str]:
        """Every custom_id in the components sent (buttons, selects, modal inputs)."""
        return [c["custom_id"] for c in p.walk_components(self.components) if "custom_id" in c]

    @property
    def allowed_mentions(self) -> JSON | None:
        return self.body.get("allowed_mentions")

    @property
    def message_reference(self) -> JSON | None:
        return self.body.get("message_reference")

    @property
    def flags(self) -> int:
        return int(self.body.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        """True when the message was sent (or will be, after a defer) as ephemeral."""
        flags = self.flags | int((self.message or {}).get("flags") or 0)
        return bool(flags & p.FLAG_EPHEMERAL)

    @property
    def response_type(self) -> int | None:
        """Interaction callback type: 4 message, 5 defer, 6 deferred update, 7 update, 8
        autocomplete, 9 modal."""
        if self.kind != "interaction_response" or not isinstance(self.json, dict):
            return None
        return self.json.get("type")

    @property
    def choices(self) -> list[JSON]:
        """Autocomplete choices (callback type 8)."""
        return self.body.get("choices") or []

    @property
    def commands(self) -> list[JSON]:
        """The command payloads of a ``command_sync``."""
        return list(self.json or []) if self.kind == "command_sync" else []


@dataclass
class _Fault:
    kind: str
    status: int
    retry_after: float
    is_global: bool
    code: int
    message: str
    times: int


@dataclass
class _Interaction:
    """What the stand-in remembers of an interaction it delivered, to answer its callbacks."""

    payload: JSON
    created: float
    response_type: int | None = None
    original_message_id: str | None = None
    loading: bool = False

    @property
    def id(self) -> str:
        return self.payload["id"]

    @property
    def channel_id(self) -> str:
        return self.payload["channel"]["id"]

    @property
    def guild_id(self) -> str | None:
        return self.payload.get("guild_id")


@dataclass
class _Session:
    """One gateway session: of one shard (``shard_id`` of ``shard_count``; 0 of 1 unsharded)."""

    id: str
    intents: int
    shard_id: int = 0
    shard_count: int = 1
    seq: int = 0
    sent: list[JSON] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def owns(self, guild_id: str | None) -> bool:
        """Whether Discord sends this guild's events (None: DMs, on shard 0) on this session."""
        shard_id = 0 if guild_id is None else (int(guild_id) >> 22) % self.shard_count
        return shard_id == self.shard_id


class _ApiError(Exception):
    def __init__(self, status: int, code: int, message: str, errors: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, list(errors)

    def body(self) -> JSON:
        """Discord's error body; ``"embeds.0.title: too long"`` nests under ``errors``."""
        data: JSON = {"code": self.code, "message": self.message}
        for error in self.errors:
            path, _, text = error.rpartition(": ")
            node = data.setdefault("errors", {})
            for part in path.split(".") if path else ():
                node = node.setdefault(part, {})
            node.setdefault("_errors", []).append({"code": "BASE_TYPE_INVALID", "message": text})
        return data


def _json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None
                   ) -> web.Response:
    # Exactly "application/json": discord.py only parses JSON bodies with that exact header,
    # and aiohttp's json_response would append "; charset=utf-8".
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})


_Handler = Callable[[Record], Awaitable[Any]]


class StandinDiscord:
    """A small Discord for one discord.py bot, on 127.0.0.1 with a free port.

    A default world is created up front: the bot user (application id = bot id), an owner, a
    guild ``self.guild`` with the ``#general`` channel ``self.channel``, and a plain member
    ``self.user`` ("alice") who is the default author of messages and interactions. Add more
    with :meth:`add_user`, :meth:`add_role`, :meth:`add_text_channel`, :meth:`add_guild`
    *before* the bot connects (they are sent in GUILD_CREATE).

    ``timeout`` bounds every wait of the helpers (``wait_for`` and ``wait_until`` also take one
    per call; wrap any other call in ``asyncio.timeout()`` for a tighter bound).
    ``interaction_timeout`` (seconds, 3 by default like Discord; None turns it off) makes
    callbacks that come later than that fail with 404 Unknown interaction.
    ``accepted_token`` is the only bot token accepted (None, the default: any token); another
    one gets 401 Unauthorized on REST, like a reset or mistyped token on Discord.
    ``recommended_shards`` is the shard count ``GET /gateway/bot`` recommends (what an
    ``AutoShardedClient`` without ``shard_count`` runs).
    """

    def __init__(self, *, timeout: float = 5.0, interaction_timeout: float | None = 3.0,
                 accepted_token: str | None = None, recommended_shards: int = 1) -> None:
        self.timeout = timeout
        self.interaction_timeout = interaction_timeout
        self.accepted_token = accepted_token
        self.recommended_shards = recommended_shards
        self.records: list[Record] = []
        self.gateway_log: list[JSON] = []  # frames received from the client (no heartbeats)
        self.messages: dict[str, JSON] = {}  # every message sent by anyone, by id
        self.commands: dict[str | None, list[JSON]] = {}  # synced, by guild id (None: global)
        self.users: dict[str, JSON] = {}
        self.guilds: dict[str, JSON] = {}
        self.dm_channels: dict[str, JSON] = {}  # by recipient user id

        self.bot_user = self._remember(p.user("standin-bot", bot=True))
        self.owner = self._remember(p.user("owner"))
        self.application = p.application(self.bot_user, self.owner)
        self.guild = self.add_guild("Standin Guild")
        self.channel = self.guild["channels"][0]
        self.user = self.add_user("alice")

        self._faults: list[_Fault] = []
        self._interactions: dict[str, _Interaction] = {}
        self._blobs: dict[str, tuple[str, str | None, bytes]] = {}
        self._sessions: dict[int, _Session] = {}  # by shard id, all of one shard count
        self._resumed = 0  # RESUMEs answered with a replay + RESUMED
        self._resume_target = 1  # what wait_resumed() waits for by default
        self._changed = asyncio.Event()
        self._bots: dict[discord.Client, asyncio.Task[None]] = {}  # each with its start() task
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._routes = self._route_table()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port (see :attr:`base_url`)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{id}/{filename}", self._attachment)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        app.router.add_route("*", "/{path:.*}", self._unknown_root)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.debug("stand-in Discord listening on %s", self.base_url)

    async def close(self) -> None:
        """Close every websocket and stop listening."""
        for session in self._sessions.values():
            if session.ws is not None:
                await session.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> StandinDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """What ``discord.http.Route.BASE`` is set to."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> yarl.URL:
        """What ``DiscordWebSocket.DEFAULT_GATEWAY`` is set to (also READY's resume URL)."""
        return yarl.URL(f"ws://127.0.0.1:{self.port}/gateway")

    @contextlib.contextmanager
    def patched(self) -> Iterator[None]:
        """Point discord.py at this server (Route.BASE, DEFAULT_GATEWAY); restore on exit."""
        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self.gateway_url
        try:
            yield
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    @contextlib.asynccontextmanager
    async def run_bot(self, bot: discord.Client, *, token: str = "standin-token",
                      ready_timeout: float = 5.0, skip_identify_delay: bool = True
                      ) -> AsyncIterator[asyncio.Task[None]]:
        """Start ``bot`` against this server, wait for ``on_ready``, yield its ``start()`` task.

        Pass ``guild_ready_timeout=0.05`` (or so) when creating the bot, or on_ready waits 2 s.
        On exit the bot is closed and discord.py's endpoints are restored. If the bot task dies
        while a test waits (:meth:`wait_for`, :meth:`wait_until`), :class:`BotCrashedError`
        is raised. Bots running different shards may run at once: nest their ``run_bot``
        blocks (each restores the endpoints it found).
        """
        if skip_identify_delay:
            async def _no_identify_delay(shard_id: int | None, *, initial: bool = False) -> None:
                return None
            bot.before_identify_hook = _no_identify_delay  # type: ignore[method-assign]
        with self.patched():
            identified = self.identify_count
            task: asyncio.Task[None] = asyncio.create_task(bot.start(token), name="standin-bot")
            self._bots[bot] = task
            task.add_done_callback(lambda _t: self._notify())
            try:
                await self.wait_until(lambda: self.identify_count > identified,
                                      timeout=ready_timeout, what="the bot to IDENTIFY")
                ready = asyncio.ensure_future(bot.wait_until_ready())
                done, _ = await asyncio.wait({ready, task}, timeout=ready_timeout,
                                             return_when=asyncio.FIRST_COMPLETED)
                if ready not in done:
                    ready.cancel()
                    self._raise_if_crashed()
                    raise StandinTimeoutError(f"bot not ready after {ready_timeout}s")
                yield task
            finally:
                del self._bots[bot]
                await bot.close()
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait_for(task, timeout=5)

    # ------------------------------------------------------------------ world building

    def _remember(self, user: JSON) -> JSON:
        self.users[user["id"]] = user
        return user

    def add_guild(self, name: str, *, shard: tuple[int, int] | None = None) -> JSON:
        """A guild with @everyone, the bot (with a managed role) and the owner as members, and
        a ``#general`` text channel; ``shard=(id, count)``: its id puts it on that shard."""
        gid = p.snowflake(shard=shard)
        bot_role = p.role(self.bot_user["username"], permissions=p.BOT_PERMISSIONS, managed=True)
        bot_role["tags"] = {"bot_id": self.bot_user["id"]}  # Discord marks the bot's own role
        guild = p.guild(
            name, id=gid, owner_id=self.owner["id"],
            roles=[p.everyone_role(gid), bot_role],
            channels=[p.text_channel("general", guild_id=gid)],
            members=[p.member(self.bot_user, roles=[bot_role]), p.member(self.owner)],
        )
        self.guilds[gid] = guild
        return guild

    def add_user(self, username: str, *, roles: Sequence[JSON | str] = (), bot: bool = False,
                 guild: JSON | None = None) -> JSON:
        """A new user who is a member of ``guild`` (default :attr:`guild`) with ``roles``."""
        user = self._remember(p.user(username, bot=bot))
        g = guild or self.guild
        g["members"].append(p.member(user, roles=roles))
        g["member_count"] = len(g["members"])
        return user

    def add_role(self, name: str, *, permissions: int = 0, guild: JSON | None = None) -> JSON:
        """A new role in ``guild`` (default :attr:`guild`)."""
        g = guild or self.guild
        r = p.role(name, permissions=permissions, position=len(g["roles"]))
        g["roles"].append(r)
        return r

    def give_role(self, user: JSON, role: JSON, *, guild: JSON | None = None) -> None:
        """Add ``role`` to ``user``'s member in ``guild`` (seen in later messages/interactions)."""
        found = p.find_member(guild or self.guild, user["id"])
        assert found is not None, f"{user['username']} is not a member"
        found["roles"].append(role["id"])

    def add_text_channel(self, name: str, *, guild: JSON | None = None) -> JSON:
        """A new text channel in ``guild`` (default :attr:`guild`)."""
        g = guild or self.guild
        ch = p.text_channel(name, guild_id=g["id"], position=len(g["channels"]))
        g["channels"].append(ch)
        return ch

    def bot_role(self, guild: JSON | None = None) -> JSON:
        """The bot's own managed role in ``guild`` (default :attr:`guild`)."""
        g = guild or self.guild
        return next(r for r in g["roles"]
                    if (r.get("tags") or {}).get("bot_id") == self.bot_user["id"])

    def add_overwrite(self, channel: JSON, target: JSON, *, allow: int = 0, deny: int = 0
                      ) -> JSON:
        """Set ``channel``'s permission overwrite for ``target``: a role payload, a user (a
        member overwrite) or a guild payload (its @everyone role). It replaces an earlier
        overwrite of the same target, like ``PUT /channels/{id}/permissions/{target}``.

        Set it before the bot connects (it is sent in GUILD_CREATE), or dispatch a
        CHANNEL_UPDATE yourself. Example: ``add_overwrite(ch, standin.guild,
        deny=p.EMBED_LINKS)`` takes Embed Links from @everyone in ``ch``.
        """
        # A guild payload stands for its @everyone role, whose id is the guild's id.
        kind = p.OVERWRITE_MEMBER if "username" in target else p.OVERWRITE_ROLE
        made = p.overwrite(target["id"], kind, allow=allow, deny=deny)
        channel["permission_overwrites"] = [
            o for o in channel.get("permission_overwrites") or [] if o["id"] != made["id"]]
        channel["permission_overwrites"].append(made)
        return made

    def set_message_content_intent(self, enabled: bool, *, limited: bool = True) -> None:
        """Turn the application's Message Content intent on or off, as the toggle in the
        Developer Portal does (``limited``: the flag of a bot in fewer than 100 servers)."""
        flags = int(self.application.get("flags") or 0) & ~p.APP_FLAGS_MESSAGE_CONTENT
        if enabled:
            flags |= (p.APP_FLAG_GATEWAY_MESSAGE_CONTENT_LIMITED if limited
                      else p.APP_FLAG_GATEWAY_MESSAGE_CONTENT)
        self.application["flags"] = flags

    def dm_channel(self, user: JSON) -> JSON:
        """The DM channel between ``user`` and the bot (created on first use)."""
        if user["id"] not in self.dm_channels:
            self.dm_channels[user["id"]] = p.dm_channel(user)
        return self.dm_channels[user["id"]]

    def add_attachment(self, data: bytes, filename: str, content_type: str | None = None) -> JSON:
        """An attachment payload whose URL serves ``data`` from this server (``read()`` works).

        Use it in ``send_message(attachments=[...])`` or as an attachment option value.
        """
        if not self.port:
            raise RuntimeError("start() the stand-in first: the URL needs its port")
        att_id = p.snowflake()
        self._blobs[att_id] = (filename, content_type, data)
        return p.attachment(filename, id=att_id, size=len(data), content_type=content_type,
                            url=f"{self.base_url}/attachments/{att_id}/{filename}")

    def _channel(self, channel_id: str) -> tuple[JSON | None, JSON | None]:
        """(channel, guild) for a channel id; guild is None for DMs; (None, None) if unknown."""
        for g in self.guilds.values():
            for ch in g["channels"]:
                if ch["id"] == channel_id:
                    return ch, g
        for ch in self.dm_channels.values():
            if ch["id"] == channel_id:
                return ch, None
        return None, None

    # ------------------------------------------------------------------ recording API

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _add(self, record: Record) -> Record:
        self.records.append(record)
        self._notify()
        return record

    def records_of(self, kind: str) -> list[Record]:
        """All records of ``kind`` so far (consumed or not), oldest first."""
        return [r for r in self.records if r.kind == kind]

    @property
    def unknown_routes(self) -> list[str]:
        """``"METHOD /path"`` of every request the stand-in had no route for."""
        return [f"{r.method} {r.path}" for r in self.records if r.kind == "unknown"]

    def consume_all(self) -> None:
        """Mark every record so far as seen: later :meth:`wait_for` calls see only new ones."""
        for r in self.records:
            r.consumed = True

    def _raise_if_crashed(self) -> None:
        for task in self._bots.values():
            if task.done() and not task.cancelled() and task.exception():
                raise BotCrashedError(f"the bot's start() task died: {task.exception()!r}") \
                    from task.exception()

    async def wait_until(self, predicate: Callable[[], Any], *,
                         timeout: float | None = None,  # noqa: ASYNC109 - a test-helper bound
                         what: str = "a condition") -> Any:
        """Wait until ``predicate()`` is truthy (re-checked on every request, gateway frame
        and bot exit) and return its value; :class:`StandinTimeoutError` after ``timeout``
        (default :attr:`timeout`) seconds."""
        timeout = self.timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._raise_if_crashed()
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise StandinTimeoutError(f"timed out after {timeout}s waiting for {what}; "
                                          f"{self._summary()}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    def _summary(self) -> str:
        kinds = [r.kind + ("" if r.consumed else "*") for r in self.records[-15:]]
        text = f"last records (* = not yet consumed): {kinds}"
        if self.unknown_routes:
            text += f"; routes the stand-in lacks: {self.unknown_routes}"
        return text

    async def wait_for(self, kind: str | tuple[str, ...],
                       predicate: Callable[[Record], bool] | None = None, *,
                       timeout: float | None = None,  # noqa: ASYNC109 - a test-helper bound
                       ) -> Record:
        """The oldest not-yet-consumed record of ``kind`` matching ``predicate``, waiting for
        it if needed; it is marked consumed so the next call returns the next one."""
        kinds = (kind,) if isinstance(kind, str) else kind

        def find() -> Record | None:
            for r in self.records:
                if not r.consumed and r.kind in kinds and (predicate is None or predicate(r)):
                    return r
            return None

        found: Record = await self.wait_until(find, timeout=timeout, what=f"a {kinds} record")
        found.consumed = True
        return found

    async def assert_silent(self, kinds: Sequence[str] = REPLY_KINDS) -> None:
        """Fail if the bot answered anything not yet consumed, once it has handled every event
        sent to it (:meth:`until_handled`): silence is then a fact, not a guess about time."""
        await self.until_handled()
        found = [r for r in self.records if not r.consumed and r.kind in kinds]
        if found:
            raise AssertionError(f"expected silence, the bot sent: {found}")

    async def until_handled(self) -> None:
        """Wait until the bots (running in this event loop, :meth:`run_bot`) have read every
        gateway event sent to them, on every shard each runs, and no task handling one is
        left: whatever they were going to send about them has reached this server by then."""
        if not self._bots or not self._sessions:
            raise RuntimeError("until_handled needs a bot started with run_bot()")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout

        def handlers() -> set[asyncio.Task[Any]]:
            return {task for task in asyncio.all_tasks() if not task.done()
                    and task.get_name().startswith(HANDLER_TASKS)}

        while True:
            self._raise_if_crashed()
            if loop.time() > deadline:
                raise StandinTimeoutError(f"the bot did not finish handling its events; "
                                          f"{self._summary()}")
            if not self._all_read():
                await asyncio.sleep(0)  # a reader has events to read: let it run
                continue
            running = handlers()
            if not running:
                return
            await asyncio.wait(running, timeout=max(0.0, deadline - loop.time()))

    def _all_read(self) -> bool:
        """Whether each bot's connection of each shard it runs is on that shard's session and
        has read its last event."""
        for bot in self._bots:
            for shard_id, websocket in _websockets(bot).items():
                session = self._sessions.get(shard_id)
                if websocket is None or session is None or websocket.session_id != session.id \
                        or websocket.sequence != session.seq:
                    return False
        return True

    # ------------------------------------------------------------------ fault injection

    def fail_next(self, kind: str = "message", *, status: int = 429, retry_after: float = 0.05,
                  is_global: bool = False, code: int = 0, message: str | None = None,
                  times: int = 1) -> None:
        """Answer the next ``times`` requests of ``kind`` with an error instead of handling them.

        A 429 carries a ``Via`` header and JSON ``retry_after`` (discord.py then sleeps and
        retries; ``is_global`` pauses all its requests). Other statuses answer a Discord error
        body ``{"code", "message"}``; note discord.py retries 500/502/504 itself after 1 s+.
        The faulted requests are recorded with kind ``fault``.
        """
        text = message or ("You are being rate limited." if status == 429 else f"HTTP {status}")
        self._faults.append(_Fault(kind, status, retry_after, is_global, code, text, times))

    def _take_fault(self, kind: str) -> _Fault | None:
        for fault in self._faults:
            if fault.kind == kind:
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    async def send_op(self, op: int, d: Any = None) -> None:
        """Send a raw non-dispatch frame (``{"op": op, "d": d}``) on the live socket (of
        shard 0, or of the only shard connected)."""
        session = self._require_session()
        async with session.lock:
            assert session.ws is not None, "the gateway socket is not connected"
            await session.ws.send_str(json.dumps({"op": op, "d": d}))

    async def reconnect(self, *, wait: bool = True) -> None:
        """Send op 7 RECONNECT; the client reconnects and RESUMEs the same session."""
        resumes = self._resume_target = self._resumed + 1
        await self.send_op(7)
        if wait:
            await self.wait_resumed(resumes)

    async def drop_connection(self, code: int = 4000, *, wait: bool = False) -> None:
        """Close the gateway socket with ``code``. The session survives: events dispatched
        until the client RESUMEs are queued and replayed on resume. With ``wait`` return
        only after the resume."""
        session = self._require_session()
        resumes = self._resume_target = self._resumed + 1
        ws, session.ws = session.ws, None
        if ws is not None:
            await ws.close(code=code, message=b"stand-in fault")
        if wait:
            await self.wait_resumed(resumes)

    async def invalidate_session(self, *, resumable: bool = False, wait: bool = True) -> None:
        """Send op 9 INVALID_SESSION. ``resumable=False``: the session is discarded and the
        client IDENTIFYs again (waits for the new READY when ``wait``); ``True``: it resumes."""
        identifies = self.identify_count
        resumes = self._resume_target = self._resumed + 1
        session = self._require_session()
        await self.send_op(9, resumable)
        if not resumable:
            del self._sessions[session.shard_id]
        if wait and resumable:
            await self.wait_resumed(resumes)
        elif wait:
            await self.wait_until(lambda: self.identify_count > identifies and self._session,
                                  what="a new IDENTIFY")

    async def dispatch_malformed(self, event: str = "MESSAGE_CREATE") -> int | None:
        """Dispatch ``event`` with a message payload missing its ``id`` (a parser KeyError)."""
        data = self._message_payload("malformed", self.user, self.channel)
        del data["id"]
        return await self.dispatch(event, data)

    @property
    def identify_count(self) -> int:
        return sum(1 for f in self.gateway_log if f.get("op") == 2)

    @property
    def resume_count(self) -> int:
        return sum(1 for f in self.gateway_log if f.get("op") == 6)

    @property
    def session_id(self) -> str | None:
        return self._session.id if self._session else None

    async def wait_resumed(self, count: int | None = None) -> None:
        """Wait until ``count`` RESUMEs have been answered (replay + RESUMED sent); by default
        the one expected after the last :meth:`reconnect` / :meth:`drop_connection`."""
        target = self._resume_target if count is None else count
        await self.wait_until(lambda: self._resumed >= target, what=f"RESUME #{target}")

    # ------------------------------------------------------------------ gateway

    @property
    def _session(self) -> _Session | None:
        """The session of shard 0, or the only one: the one the fault helpers act on."""
        if 0 in self._sessions or len(self._sessions) != 1:
            return self._sessions.get(0)
        return next(iter(self._sessions.values()))

    def _require_session(self) -> _Session:
        if self._session is None:
            raise RuntimeError("no gateway session: start a bot with run_bot() first")
        return self._session

    def _session_for(self, guild_id: str | None) -> _Session:
        """The session Discord sends a guild's events on (a DM's: shard 0's)."""
        for session in self._sessions.values():
            if session.owns(guild_id):
                return session
        where = f"guild {guild_id}" if guild_id is not None else "DMs (shard 0)"
        raise RuntimeError(f"no gateway session for {where}: start a bot running its shard "
                           "with run_bot() first")

    def sent_frames(self, shard: int = 0) -> list[JSON]:
        """The DISPATCH frames sent on the session of ``shard`` (READY, GUILD_CREATE, events),
        oldest first; empty when that shard has no session."""
        session = self._sessions.get(shard)
        return list(session.sent) if session else []

    async def dispatch(self, event: str, data: JSON) -> int | None:
        """Send a DISPATCH event as Discord would: on the session of the shard of its guild
        (``guild_id``, or ``id`` for GUILD_CREATE/UPDATE/DELETE; no guild: shard 0), as that
        session's intents allow.

        Returns the sequence number, or None when the bot's intents exclude the event. If the
        socket is down, the event is queued and replayed when the client resumes.
        """
        guild_id = data.get("id") if event in _GUILD_EVENTS else data.get("guild_id")
        session = self._session_for(None if guild_id is None else str(guild_id))
        if event == "INTERACTION_CREATE" and "id" in data:
            self._interactions[data["id"]] = _Interaction(data, asyncio.get_running_loop().time())
        return await self._send(session, event, data)

    async def _send(self, session: _Session, event: str, data: JSON) -> int | None:
        if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
            filtered = self._apply_intents(session.intents, data)
            if filtered is None:
                return None
            data = filtered
        async with session.lock:
            session.seq += 1
            frame = {"op": 0, "t": event, "s": session.seq, "d": data}
            session.sent.append(frame)
            if session.ws is not None and not session.ws.closed:
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await session.ws.send_str(json.dumps(frame))
            return session.seq

    def _apply_intents(self, intents: int, data: JSON) -> JSON | None:
        in_guild = "guild_id" in data
        if not intents & (p.INTENT_GUILD_MESSAGES if in_guild else p.INTENT_DIRECT_MESSAGES):
            return None
        exempt = (
            not in_guild
            or intents & p.INTENT_MESSAGE_CONTENT
            or data.get("author", {}).get("id") == self.bot_user["id"]
            or any(m.get("id") == self.bot_user["id"] for m in data.get("mentions", []))
        )
        if exempt:
            return data
        return {**data, "content": "", "embeds": [], "attachments": [], "components": []}

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        # aiohttp writes each frame atomically; session.lock only orders dispatches vs. replay.
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": _HELLO_INTERVAL_MS}}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op = frame.get("op")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None}))
                continue
            self.gateway_log.append(frame)
            if op == 2:
                await self._identify(ws, frame["d"])
            elif op == 6:
                await self._resume(ws, frame["d"])
            elif op == 8:
                await self._request_members(frame["d"])
            else:
                log.debug("stand-in gateway: ignoring op %s", op)
            self._notify()
        for session in self._sessions.values():
            if session.ws is ws:
                session.ws = None
        return ws

    async def _identify(self, ws: web.WebSocketResponse, d: JSON) -> None:
        if self.accepted_token is not None and d.get("token") != self.accepted_token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(d.get("intents", 0))
        if intents & p.INTENT_MESSAGE_CONTENT and not (
                int(self.application.get("flags") or 0) & p.APP_FLAGS_MESSAGE_CONTENT):
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard = d.get("shard")
        shard_id, shard_count = shard if shard is not None else (0, 1)
        if not 0 <= shard_id < shard_count:
            await ws.close(code=4010, message=b"Invalid shard.")
            return
        session = _Session(id=uuid.uuid4().hex, intents=intents, shard_id=shard_id,
                           shard_count=shard_count, ws=ws)
        # A new shard count replaces the sessions of the old one (a bot re-sharded).
        self._sessions = {sid: s for sid, s in self._sessions.items()
                          if s.shard_count == shard_count}
        self._sessions[shard_id] = session
        guilds = [g for gid, g in self.guilds.items() if session.owns(gid)]
        ready = {
            "v": 10,
            "user": {**self.bot_user, "verified": True, "mfa_enabled": False},
            "guilds": [{"id": g["id"], "unavailable": True} for g in guilds],
            "session_id": session.id,
            "resume_gateway_url": str(self.gateway_url),
            "application": {"id": self.application["id"],
                            "flags": int(self.application.get("flags") or 0)},
            "private_channels": [],
            **({"shard": [shard_id, shard_count]} if shard is not None else {}),
        }
        await self._send(session, "READY", ready)
        for g in guilds:
            await self._send(session, "GUILD_CREATE", g)

    async def _resume(self, ws: web.WebSocketResponse, d: JSON) -> None:
        session = next((s for s in self._sessions.values() if s.id == d.get("session_id")),
                       None)
        if session is None:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return
        async with session.lock:
            session.ws = ws
            last = d.get("seq") or 0
            for frame in session.sent:
                if frame["s"] > last:
                    await ws.send_str(json.dumps(frame))
        self._resumed += 1
        await self._send(session, "RESUMED", {})

    async def _request_members(self, d: JSON) -> None:
        g = self.guilds.get(str(d.get("guild_id")))
        if g is not None:
            await self.dispatch("GUILD_MEMBERS_CHUNK", {
                "guild_id": g["id"], "members": g["members"], "chunk_index": 0,
                "chunk_count": 1, "nonce": d.get("nonce"), "not_found": []})

    # ------------------------------------------------------------------ user actions

    def _mentions(self, content: str, guild: JSON | None, author: JSON
                  ) -> tuple[list[JSON], list[str], bool]:
        users = []
        for uid in dict.fromkeys(_MENTION_USER.findall(content)):
            if uid in self.users:
                u = dict(self.users[uid])
                if guild and (m := p.find_member(guild, uid)):
                    u["member"] = {k: v for k, v in m.items() if k != "user"}
                users.append(u)
        roles = list(dict.fromkeys(_MENTION_ROLE.findall(content))) if guild else []
        everyone = bool(
            guild and ("@everyone" in content or "@here" in content)
            and p.member_permissions(guild, author["id"]) & p.MENTION_EVERYONE
        )
        return users, roles, everyone

    def _message_payload(self, content: str, author: JSON, channel: JSON, *,
                         reply_to: JSON | None = None, reply_ping: bool = True,
                         attachments: Sequence[JSON] = (), embeds: Sequence[JSON] = ()) -> JSON:
        _, guild = self._channel(channel["id"])
        mentions, roles, everyone = self._mentions(content, guild, author)
        if reply_to is not None and reply_ping and all(
                m["id"] != reply_to["author"]["id"] for m in mentions):
            mentions.append(dict(reply_to["author"]))
        return p.message(
            channel_id=channel["id"], author=author, content=content,
            guild_id=guild["id"] if guild else None,
            member=p.find_member(guild, author["id"]) if guild else None,
            mentions=mentions, mention_roles=roles, mention_everyone=everyone,
            referenced_message=reply_to, attachments=attachments, embeds=embeds,
        )

    async def send_message(self, content: str, *, author: JSON | None = None,
                           channel: JSON | None = None, reply_to: JSON | Record | None = None,
                           reply_ping: bool = True, attachments: Sequence[JSON] = (),
                           embeds: Sequence[JSON] = ()) -> JSON:
        """A user posts a message: dispatch MESSAGE_CREATE and return the (unfiltered) message.

        Defaults: author :attr:`user`, channel :attr:`channel`. Mentions are parsed from the
        content (``<@id>``, ``<@&id>``, ``@everyone``); ``reply_to`` (a message or a record of
        one) makes it a reply, which pings that message's author unless ``reply_ping=False``.
        """
        author = author or self.user
        channel = channel or self.channel
        ref = self._resolve_message(reply_to) if reply_to is not None else None
        msg = self._message_payload(content, author, channel, reply_to=ref,
                                    reply_ping=reply_ping, attachments=attachments,
                                    embeds=embeds)
        self.messages[msg["id"]] = msg
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def send_dm(self, content: str, *, author: JSON | None = None, **kw: Any) -> JSON:
        """A user DMs the bot (see :meth:`send_message`)."""
        author = author or self.user
        return await self.send_message(content, author=author, channel=self.dm_channel(author),
                                       **kw)

    def context(self, *, user: JSON | None = None, channel: JSON | None = None
                ) -> p.InteractionContext:
        """Who/where for an interaction: defaults :attr:`user` in :attr:`channel`."""
        channel = channel or self.channel
        _, guild = self._channel(channel["id"])
        return p.InteractionContext(application_id=self.application["id"], channel=channel,
                                    user=user or self.user, guild=guild,
                                    bot_id=self.bot_user["id"])

    async def interact(self, payload: JSON) -> Record:
        """Dispatch INTERACTION_CREATE and return the bot's callback record for it: kind
        ``interaction_response``, or ``rejected`` if the stand-in refused the callback (see
        its ``errors``)."""
        await self.dispatch("INTERACTION_CREATE", payload)
        return await self.wait_for(("interaction_response", "rejected"),
                                   lambda r: r.interaction_id == payload["id"])

    def find_command(self, name: str, guild_id: str | None = None
                     ) -> tuple[JSON, str | None] | None:
        """A synced command by name: the guild's own first, then global. (payload, guild id)."""
        for gid in (guild_id, None) if guild_id else (None,):
            for cmd in self.commands.get(gid, []):
                if cmd["name"] == name and cmd.get("type", 1) == 1:
                    return cmd, gid
        return None

    def _command_options(self, command: str, options: Mapping[str, Any],
                         ctx: p.InteractionContext, focused: str | None
                         ) -> tuple[str, list[JSON], JSON, str, str | None]:
        """Build the ``options`` tree of ``"name [group] [sub]"`` typed from the synced
        definition. Returns (root name, options, resolved, command id, command guild id)."""
        root, *path = command.split()
        guild_id = ctx.guild["id"] if ctx.guild else None
        found = self.find_command(root, guild_id)
        if found is None:
            log.warning("stand-in: /%s was never synced; option types are guessed", root)
            cmd_id, cmd_gid, defs = p.snowflake(), None, None
        else:
            cmd, cmd_gid = found
            cmd_id, defs = cmd["id"], cmd.get("options", [])
        for part in path:
            sub = next((o for o in defs or [] if o["name"] == part and o["type"] in (1, 2)), None)
            if defs is not None and sub is None:
                raise AssertionError(f"/{command}: no subcommand {part!r} was synced")
            defs = sub.get("options", []) if sub else None
        resolved: JSON = {}
        leaves = [self._option(n, v, defs, resolved, focused == n) for n, v in options.items()]
        if defs is not None and focused is None:
            missing = [o["name"] for o in defs if o.get("required") and o["name"] not in options]
            if missing:
                raise AssertionError(f"/{command}: required options missing: {missing}")
        tree: list[JSON] = leaves
        for depth in range(len(path) - 1, -1, -1):
            tree = [p.subcommand(path[depth], tree, group=depth < len(path) - 1)]
        return root, tree, resolved, cmd_id, cmd_gid

    def _option(self, name: str, value: Any, defs: list[JSON] | None, resolved: JSON,
                focused: bool) -> JSON:
        spec = next((o for o in defs or [] if o["name"] == name), None)
        if defs is not None and spec is None:
            raise AssertionError(f"option {name!r} was not synced; known: "
                                 f"{[o['name'] for o in defs]}")
        otype = spec["type"] if spec else None
        if isinstance(value, Mapping):  # a user, channel, role or attachment payload
            key = {6: "users", 7: "channels", 8: "roles", 11: "attachments"}.get(otype or 0)
            if key is None:
                key = "attachments" if "filename" in value else (
                    "users" if "username" in value else "channels" if "type" in value else "roles")
                otype = {"users": 6, "channels": 7, "roles": 8, "attachments": 11}[key]
            resolved.setdefault(key, {})[value["id"]] = dict(value)
            if key == "users":
                for g in self.guilds.values():
                    if m := p.find_member(g, value["id"]):
                        resolved.setdefault("members", {})[value["id"]] = {
                            k: v for k, v in m.items() if k != "user"}
            value = value["id"]
        return p.option(name, value, otype, focused=focused)

    async def invoke(self, command: str, options: Mapping[str, Any] | None = None, *,
                     user: JSON | None = None, channel: JSON | None = None) -> Record:
        """A user runs a slash command; returns the bot's callback record.

        ``command`` is ``"name"``, ``"name sub"`` or ``"name group sub"``. Option types and
        the command id come from the synced definition; user/channel/role/attachment values
        may be given as payloads and are put into ``resolved``.
        """
        ctx = self.context(user=user, channel=channel)
        root, opts, resolved, cmd_id, cmd_gid = self._command_options(
            command, options or {}, ctx, None)
        payload = p.application_command(ctx, root, opts, command_id=cmd_id,
                                        command_guild_id=cmd_gid, resolved=resolved)
        return await self.interact(payload)

    async def autocomplete(self, command: str, options: Mapping[str, Any], focused: str, *,
                           user: JSON | None = None, channel: JSON | None = None) -> Record:
        """A user types into option ``focused``; returns the type-8 record (``.choices``)."""
        ctx = self.context(user=user, channel=channel)
        root, opts, _, cmd_id, cmd_gid = self._command_options(command, options, ctx, focused)
        payload = p.autocomplete(ctx, root, opts, command_id=cmd_id, command_guild_id=cmd_gid)
        return await self.interact(payload)

    async def invoke_message_command(self, name: str, target: JSON | Record, *,
                                     user: JSON | None = None, channel: JSON | None = None
                                     ) -> Record:
        """A user runs the message context-menu command ``name`` on ``target``."""
        msg = self._resolve_message(target)
        ch, _ = self._channel(msg["channel_id"])
        ctx = self.context(user=user, channel=channel or ch)
        cmd_gid, cmd_id = self._context_menu(name, 3, ctx)
        payload = p.message_command(ctx, name, msg, command_id=cmd_id, command_guild_id=cmd_gid)
        return await self.interact(payload)

    async def invoke_user_command(self, name: str, target: JSON, *, user: JSON | None = None,
                                  channel: JSON | None = None) -> Record:
        """A user runs the user context-menu command ``name`` on ``target`` (a user)."""
        ctx = self.context(user=user, channel=channel)
        cmd_gid, cmd_id = self._context_menu(name, 2, ctx)
        payload = p.user_command(ctx, name, target, command_id=cmd_id, command_guild_id=cmd_gid)
        return await self.interact(payload)

    def _context_menu(self, name: str, ctype: int, ctx: p.InteractionContext
                      ) -> tuple[str | None, str]:
        guild_id = ctx.guild["id"] if ctx.guild else None
        for gid in (guild_id, None) if guild_id else (None,):
            for cmd in self.commands.get(gid, []):
                if cmd["name"] == name and cmd.get("type") == ctype:
                    return gid, cmd["id"]
        log.warning("stand-in: context menu %r was never synced", name)
        return None, p.snowflake()

    def _resolve_message(self, message: JSON | Record | str) -> JSON:
        if isinstance(message, Record):
            if message.message is None:
                raise AssertionError(f"record {message.kind} {message.path} made no message")
            message = message.message
        mid = message if isinstance(message, str) else message["id"]
        if mid not in self.messages:
            raise AssertionError(f"message {mid} is unknown to the stand-in")
        return self.messages[mid]

    async def click(self, message: JSON | Record | str, custom_id: str, *,
                    user: JSON | None = None, values: Sequence[str] | None = None) -> Record:
        """A user clicks button ``custom_id`` (or picks ``values`` in that select menu) on a
        message the bot sent; returns the bot's callback record.

        The interaction carries the stand-in's current copy of the message, so its id is the
        one the bot got back when sending (discord.py finds the view by it).
        """
        msg = self._resolve_message(message)
        comp = next((c for c in p.walk_components(msg.get("components") or [])
                     if c.get("custom_id") == custom_id), None)
        if comp is None:
            ids = [c["custom_id"] for c in p.walk_components(msg.get("components") or [])
                   if "custom_id" in c]
            raise AssertionError(f"no component {custom_id!r} on message {msg['id']}; has {ids}")
        if comp.get("disabled"):
            raise AssertionError(f"component {custom_id!r} is disabled: a user cannot use it")
        if comp["type"] == 3 and values is not None:
            allowed = {o["value"] for o in comp.get("options", [])}
            if not set(values) <= allowed:
                raise AssertionError(f"select {custom_id!r} offers {sorted(allowed)}, "
                                     f"not {list(values)}")
        ch, _ = self._channel(msg["channel_id"])
        ctx = self.context(user=user, channel=ch)
        payload = p.component(ctx, msg, custom_id, component_type=comp["type"], values=values)
        return await self.interact(payload)

    async def select(self, message: JSON | Record | str, custom_id: str, values: Sequence[str],
                     **kw: Any) -> Record:
        """A user picks ``values`` in a select menu (see :meth:`click`)."""
        return await self.click(message, custom_id, values=values, **kw)

    async def submit_modal(self, modal: Record, values: Mapping[str, Any], *,
                           user: JSON | None = None) -> Record:
        """A user fills in and submits the modal the bot opened (a type-9 callback record).

        ``values`` maps input custom_ids to text (or lists for selects); untouched inputs keep
        their pre-filled value. Returns the bot's callback record for the submission.
        """
        if modal.response_type != 9:
            raise AssertionError(f"not a modal response: {modal}")
        origin = self._interactions[modal.interaction_id or ""]
        data = modal.body
        components = p.modal_values(data.get("components", []), values)
        ch, _ = self._channel(origin.channel_id)
        ctx = self.context(user=user or origin.payload.get("user")
                           or origin.payload["member"]["user"], channel=ch)
        payload = p.modal_submit(ctx, data["custom_id"], components,
                                 message=origin.payload.get("message"))
        return await self.interact(payload)

    # ------------------------------------------------------------------ REST

    def _route_table(self) -> list[tuple[str, re.Pattern[str], str, _Handler]]:
        ch = r"/channels/(?P<channel_id>\d+)"
        msg = ch + r"/messages/(?P<message_id>\d+)"
        hook = r"/webhooks/(?P<application_id>\d+)/(?P<token>[^/]+)"
        hook_msg = hook + r"/messages/(?P<message_id>@original|\d+)"
        cmds = r"/applications/(?P<application_id>\d+)(?:/guilds/(?P<guild_id>\d+))?/commands"
        table: list[tuple[str, str, str, _Handler]] = [
            ("GET", r"/users/@me", "login", self._h_me),
            ("GET", r"/users/@me/guilds", "fetch_guilds", self._h_my_guilds),
            ("GET", r"/oauth2/applications/@me", "application_info", self._h_app),
            ("GET", r"/applications/@me", "application", self._h_app_me),
            ("GET", r"/guilds/(?P<guild_id>\d+)", "fetch_guild", self._h_get_guild),
            ("GET", r"/gateway(?:/bot)?", "gateway", self._h_gateway),
            ("POST", ch + r"/messages", "message", self._h_create_message),
            ("GET", msg, "fetch_message", self._h_get_message),
            ("PATCH", msg, "edit", self._h_edit_message),
            ("DELETE", msg, "delete", self._h_delete_message),
            ("PUT", msg + r"/reactions/(?P<emoji>[^/]+)/@me", "reaction", self._h_no_content),
            ("POST", ch + r"/typing", "typing", self._h_no_content),
            ("GET", ch, "fetch_channel", self._h_get_channel),
            ("GET", r"/users/(?P<user_id>\d+)", "fetch_user", self._h_get_user),
            ("GET", r"/guilds/(?P<guild_id>\d+)/members/(?P<user_id>\d+)", "fetch_member",
             self._h_get_member),
            ("POST", r"/users/@me/channels", "dm_open", self._h_open_dm),
            ("PUT", cmds, "command_sync", self._h_sync_commands),
            ("GET", cmds, "fetch_commands", self._h_get_commands),
            ("POST", r"/interactions/(?P<interaction_id>\d+)/(?P<token>[^/]+)/callback",
             "interaction_response", self._h_callback),
            ("POST", hook, "followup", self._h_followup),
            ("GET", hook_msg, "fetch_message", self._h_get_hook_message),
            ("PATCH", hook_msg, "edit", self._h_edit_hook_message),
            ("DELETE", hook_msg, "delete", self._h_delete_hook_message),
        ]
        return [(m, re.compile(pattern), kind, h) for m, pattern, kind, h in table]

    async def _read_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            files: list[UploadedFile] = []
            body: Any = None
            for name, value in form.items():
                if name == "payload_json":
                    body = json.loads(value if isinstance(value, str) else value.file.read())
                elif isinstance(value, web.FileField):
                    files.append(UploadedFile(name, value.filename, value.content_type,
                                              value.file.read()))
            return body, files
        raw = await request.read()
        return (json.loads(raw) if raw else None), []

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        body, files = await self._read_body(request)
        found = next(((route, m) for route in self._routes
                      if route[0] == request.method and (m := route[1].fullmatch(path))), None)
        if found is None:
            return self._unknown(request.method, path, dict(request.query), body)
        (_, _, kind, handler), match = found
        ids = {k: v for k, v in match.groupdict().items() if v is not None and k in {
            "channel_id", "message_id", "guild_id", "interaction_id", "application_id", "token"}}
        rec = Record(kind=kind, method=request.method, path=path, query=dict(request.query),
                     json=body, files=files, **ids)
        fault = self._take_fault(kind)
        if fault is not None:
            return self._fault_response(rec, fault)
        try:
            self._check_token(request, path)
            result = await handler(rec)
        except _ApiError as err:
            rec.kind, rec.of_kind, rec.status, rec.errors = "rejected", kind, err.status, err.errors
            rec.response = err.body()
            log.warning("stand-in refused %s %s (%s): %s %s", request.method, path, kind,
                        err.message, "; ".join(err.errors))
            self._add(rec)
            return _json_response(rec.response, err.status)
        rec.response = result
        if result is None:
            rec.status = 204
        self._add(rec)
        return web.Response(status=204) if result is None else _json_response(result)

    def _check_token(self, request: web.Request, path: str) -> None:
        """401 for a bot token other than :attr:`accepted_token`. Interaction callbacks and
        webhooks are authorised by the token in their path instead; ``/gateway`` is open."""
        if self.accepted_token is None or path == "/gateway" or path.startswith(
                ("/webhooks/", "/interactions/")):
            return
        if request.headers.get("Authorization") != f"Bot {self.accepted_token}":
            raise _ApiError(401, 0, "401: Unauthorized")

    def _fault_response(self, rec: Record, fault: _Fault) -> web.Response:
        rec.kind, rec.of_kind, rec.status = "fault", rec.kind, fault.status
        if fault.status == 429:
            rec.response = {"message": fault.message, "retry_after": fault.retry_after,
                            "global": fault.is_global}
            headers = {"Via": "1.1 google", "Retry-After": str(max(1, round(fault.retry_after)))}
            if fault.is_global:
                headers["X-RateLimit-Global"] = "true"
        else:
            rec.response, headers = {"code": fault.code, "message": fault.message}, {}
        self._add(rec)
        return _json_response(rec.response, fault.status, headers)

    def _unknown(self, method: str, path: str, query: dict[str, str], body: Any) -> web.Response:
        log.warning("stand-in Discord has no route for %s %s: answered 404. Add it to "
                    "tests/standin/server.py if the bot needs it.", method, path)
        self._add(Record(kind="unknown", method=method, path=path, query=query, json=body,
                         status=404))
        return _json_response({"message": "404: Not Found", "code": 0}, 404)

    async def _unknown_root(self, request: web.Request) -> web.Response:
        return self._unknown(request.method, request.path, dict(request.query), None)

    async def _attachment(self, request: web.Request) -> web.Response:
        blob = self._blobs.get(request.match_info["id"])
        if blob is None:
            return web.Response(status=404)
        _, content_type, data = blob
        return web.Response(body=data,
                            headers={"Content-Type": content_type or "application/octet-stream"})

    # --- handlers: each gets the record (to fill ids/message) and returns the JSON or None.

    async def _h_me(self, rec: Record) -> JSON:
        return {**self.bot_user, "verified": True, "mfa_enabled": False, "flags": 0}

    async def _h_app(self, rec: Record) -> JSON:
        return self.application

    async def _h_app_me(self, rec: Record) -> JSON:
        """``GET /applications/@me``: the application with its ``flags`` (intents enabled in
        the Developer Portal), its bot user and install settings."""
        return {**self.application, "bot": dict(self.bot_user),
                "approximate_guild_count": len(self.guilds),
                "interactions_endpoint_url": None, "redirect_uris": [],
                "install_params": {"scopes": ["bot", "applications.commands"],
                                   "permissions": str(p.BOT_PERMISSIONS)}}

    async def _h_my_guilds(self, rec: Record) -> list[JSON]:
        """``GET /users/@me/guilds``: the bot's servers as partial guilds, by id, paged with
        ``limit`` (at most 200), ``before`` and ``after``."""
        limit = min(int(rec.query.get("limit") or 200), 200)
        after, before = int(rec.query.get("after") or 0), rec.query.get("before")
        ids = sorted(int(gid) for gid in self.guilds)
        ids = [i for i in ids if i > after and (before is None or i < int(before))]
        counts = rec.query.get("with_counts") in ("1", "true", "True")
        return [p.partial_guild(self.guilds[str(i)], self.bot_user["id"], with_counts=counts)
                for i in ids[:limit]]

    async def _h_get_guild(self, rec: Record) -> JSON:
        g = self.guilds.get(rec.guild_id or "")
        if g is None:
            raise _ApiError(404, 10004, "Unknown Guild")
        counts = rec.query.get("with_counts") in ("1", "true", "True")
        return p.rest_guild(g, with_counts=counts)

    async def _h_gateway(self, rec: Record) -> JSON:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return {"url": str(self.gateway_url), "shards": self.recommended_shards,
                "session_start_limit": limit}

    async def _h_no_content(self, rec: Record) -> None:
        return None

    async def _h_get_channel(self, rec: Record) -> JSON:
        ch, g = self._channel(rec.channel_id or "")
        if ch is None:
            raise _ApiError(404, 10003, "Unknown Channel")
        if g is not None and not (
                p.channel_permissions(g, ch, self.bot_user["id"]) & p.VIEW_CHANNEL):
            raise _ApiError(403, 50001, "Missing Access")
        return ch

    async def _h_get_user(self, rec: Record) -> JSON:
        uid = rec.path.rsplit("/", 1)[1]
        if uid not in self.users:
            raise _ApiError(404, 10013, "Unknown User")
        return self.users[uid]

    async def _h_get_member(self, rec: Record) -> JSON:
        g = self.guilds.get(rec.guild_id or "")
        found = p.find_member(g, rec.path.rsplit("/", 1)[1]) if g else None
        if found is None:
            raise _ApiError(404, 10007, "Unknown Member")
        return found

    async def _h_open_dm(self, rec: Record) -> JSON:
        uid = str((rec.json or {}).get("recipient_id"))
        if uid not in self.users:
            raise _ApiError(400, 50033, "Invalid Recipient(s)")
        return self.dm_channel(self.users[uid])

    def _new_bot_message(self, channel_id: str, body: JSON, files: Sequence[UploadedFile], *,
                         msg_type: int = 0, webhook: bool = False) -> JSON:
        """Store and return the message Discord would create from a bot request body."""
        _, guild = self._channel(channel_id)
        attachments = [self.add_attachment(f.data, f.filename, f.content_type) for f in files]
        ref_id = (body.get("message_reference") or {}).get("message_id")
        msg = p.message(
            channel_id=channel_id, author=self.bot_user, content=body.get("content") or "",
            guild_id=guild["id"] if guild else None,
            member=p.find_member(guild, self.bot_user["id"]) if guild else None,
            embeds=body.get("embeds") or [], components=body.get("components") or [],
            attachments=attachments, flags=int(body.get("flags") or 0),
            type=msg_type, webhook_id=self.application["id"] if webhook else None,
        )
        if ref_id is not None:
            msg["type"] = 19
            msg["message_reference"] = {"type": 0, "message_id": str(ref_id),
                                        "channel_id": channel_id,
                                        "guild_id": guild["id"] if guild else None}
            msg["referenced_message"] = self.messages.get(str(ref_id))
        self.messages[msg["id"]] = msg
        return msg

    def _update_message(self, mid: str, body: JSON, files: Sequence[UploadedFile]) -> JSON:
        msg = self.messages.get(mid)
        if msg is None:
            raise _ApiError(404, 10008, "Unknown Message")
        for key, empty in (("content", ""), ("embeds", []), ("components", []), ("flags", 0)):
            if key in body:
                msg[key] = body[key] if body[key] is not None else empty
        if "attachments" in body or files:
            kept = {str(a.get("id")) for a in body.get("attachments") or []}
            msg["attachments"] = [a for a in msg["attachments"] if a["id"] in kept] + [
                self.add_attachment(f.data, f.filename, f.content_type) for f in files]
        msg["edited_timestamp"] = p.now_iso()
        return msg

    async def _h_create_message(self, rec: Record) -> JSON:
        ch, _ = self._channel(rec.channel_id or "")
        if ch is None:
            raise _ApiError(404, 10003, "Unknown Channel")
        body = rec.json or {}
        _check(_message_errors(body, has_files=bool(rec.files)))
        msg = self._new_bot_message(ch["id"], body, rec.files)
        rec.message, rec.message_id = msg, msg["id"]
        rec.guild_id = msg.get("guild_id")
        return msg

    async def _h_get_message(self, rec: Record) -> JSON:
        msg = self.messages.get(rec.message_id or "")
        if msg is None or msg["channel_id"] != rec.channel_id:
            raise _ApiError(404, 10008, "Unknown Message")
        return msg

    async def _h_edit_message(self, rec: Record) -> JSON:
        _check(_message_errors(rec.json or {}, edit=True))
        msg = self._update_message(rec.message_id or "", rec.json or {}, rec.files)
        rec.message = msg
        return msg

    async def _h_delete_message(self, rec: Record) -> None:
        if self.messages.pop(rec.message_id or "", None) is None:
            raise _ApiError(404, 10008, "Unknown Message")

    async def _h_sync_commands(self, rec: Record) -> list[JSON]:
        commands = rec.json or []
        _check(_command_errors(commands))
        out = []
        previous = {(c["name"], c.get("type", 1)): c["id"]
                    for c in self.commands.get(rec.guild_id, [])}
        for cmd in commands:
            out.append({
                "description": "", "options": [], "default_member_permissions": None,
                "nsfw": False, **cmd,
                "id": previous.get((cmd["name"], cmd.get("type", 1))) or p.snowflake(),
                "application_id": self.application["id"], "version": p.snowflake(),
                **({"guild_id": rec.guild_id} if rec.guild_id else {}),
            })
        self.commands[rec.guild_id] = out
        return out

    async def _h_get_commands(self, rec: Record) -> list[JSON]:
        return self.commands.get(rec.guild_id, [])

    def _interaction_for(self, token: str | None) -> _Interaction:
        for it in self._interactions.values():
            if it.payload["token"] == token:
                return it
        raise _ApiError(404, 10015, "Unknown Webhook")

    async def _h_callback(self, rec: Record) -> JSON:
        it = self._interactions.get(rec.interaction_id or "")
        if it is None or it.payload["token"] != rec.token:
            raise _ApiError(404, 10062, "Unknown interaction")
        age = rec.age = asyncio.get_running_loop().time() - it.created
        if self.interaction_timeout is not None and age > self.interaction_timeout:
            raise _ApiError(404, 10062, f"Unknown interaction (answered after {age:.2f}s)")
        if it.response_type is not None:
            raise _ApiError(400, 40060, "Interaction has already been acknowledged.")
        body = rec.json or {}
        rtype, data = int(body.get("type", 0)), body.get("data") or {}
        _check(_callback_errors(rtype, data, has_files=bool(rec.files)))
        rec.guild_id = it.guild_id
        rec.channel_id = it.channel_id
        msg: JSON | None = None
        source = (it.payload.get("message") or {}).get("id")
        if rtype == 4:
            msg = self._new_bot_message(it.channel_id, data, rec.files, msg_type=20, webhook=True)
        elif rtype == 5:
            flags = int(data.get("flags") or 0) | p.FLAG_LOADING
            msg = self._new_bot_message(it.channel_id, {"flags": flags}, (), msg_type=20,
                                        webhook=True)
            it.loading = True
        elif rtype in (6, 7):
            if source is None:
                raise _ApiError(400, 40060, f"callback type {rtype} needs a component message")
            msg = self._update_message(source, data, rec.files) if rtype == 7 else \
                self.messages.get(source)
        elif rtype not in (8, 9):
            raise _ApiError(400, 50035, f"unsupported interaction callback type {rtype}")
        it.response_type = rtype
        if msg is not None:
            it.original_message_id = msg["id"]
            rec.message, rec.message_id = msg, msg["id"]
        interaction_obj: JSON = {
            "id": it.id, "type": it.payload["type"],
            "response_message_loading": rtype == 5,
            "response_message_ephemeral": bool(int((msg or data).get("flags") or 0)
                                               & p.FLAG_EPHEMERAL),
        }
        if msg is not None:
            interaction_obj["response_message_id"] = msg["id"]
        resource: JSON = {"type": rtype}
        if msg is not None:
            resource["message"] = msg
        return {"interaction": interaction_obj, "resource": resource}

    async def _h_followup(self, rec: Record) -> JSON | None:
        it = self._interaction_for(rec.token)
        if it.response_type is None:
            raise _ApiError(404, 10015, "Unknown Webhook (the interaction was not answered)")
        body = rec.json or {}
        _check(_message_errors(body, has_files=bool(rec.files)))
        rec.interaction_id, rec.channel_id, rec.guild_id = it.id, it.channel_id, it.guild_id
        if it.loading and it.original_message_id:
            # The first follow-up after a "thinking" defer replaces the loading message.
            it.loading = False
            keep = int(self.messages[it.original_message_id]["flags"]) & p.FLAG_EPHEMERAL
            msg = self._update_message(it.original_message_id,
                                       {**body, "flags": int(body.get("flags") or 0) | keep},
                                       rec.files)
        else:
            msg = self._new_bot_message(it.channel_id, body, rec.files, msg_type=20, webhook=True)
        rec.message, rec.message_id = msg, msg["id"]
        return msg if rec.query.get("wait") in ("1", "true", "True") else None

    def _hook_message_id(self, rec: Record) -> str:
        it = self._interaction_for(rec.token)
        rec.interaction_id, rec.channel_id, rec.guild_id = it.id, it.channel_id, it.guild_id
        if rec.message_id == "@original":
            if it.original_message_id is None:
                raise _ApiError(404, 10008, "Unknown Message (no original response yet)")
            rec.message_id = it.original_message_id
        return rec.message_id or ""

    async def _h_get_hook_message(self, rec: Record) -> JSON:
        mid = self._hook_message_id(rec)
        if mid not in self.messages:
            raise _ApiError(404, 10008, "Unknown Message")
        return self.messages[mid]

    async def _h_edit_hook_message(self, rec: Record) -> JSON:
        mid = self._hook_message_id(rec)
        _check(_message_errors(rec.json or {}, edit=True))
        msg = self._update_message(mid, rec.json or {}, rec.files)
        msg["flags"] = int(msg.get("flags") or 0) & ~p.FLAG_LOADING
        it = self._interaction_for(rec.token)
        if mid == it.original_message_id:
            it.loading = False
        rec.message = msg
        return msg

    async def _h_delete_hook_message(self, rec: Record) -> None:
        mid = self._hook_message_id(rec)
        if self.messages.pop(mid, None) is None:
            raise _ApiError(404, 10008, "Unknown Message")


# ---------------------------------------------------------------------- Discord's limits


def _check(errors: list[str]) -> None:
    if errors:
        raise _ApiError(400, 50035, "Invalid Form Body", errors)


def _too_long(errors: list[str], where: str, value: Any, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        errors.append(f"{where}: {len(value)} characters, limit {limit}")


def _message_errors(body: JSON, *, has_files: bool = False, edit: bool = False) -> list[str]:
    """Message limits: content 2000; 10 embeds; title 256, description 4096, 25 fields
    (name 256, value 1024), footer 2048, author 256, 6000 in all; custom_id 100; 5 rows."""
    errors: list[str] = []
    _too_long(errors, "content", body.get("content"), 2000)
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors.append(f"embeds: {len(embeds)} embeds, limit 10")
    total = 0
    for i, e in enumerate(embeds):
        texts = [("title", e.get("title"), 256), ("description", e.get("description"), 4096),
                 ("footer.text", (e.get("footer") or {}).get("text"), 2048),
                 ("author.name", (e.get("author") or {}).get("name"), 256)]
        fields = e.get("fields") or []
        if len(fields) > 25:
            errors.append(f"embeds.{i}.fields: {len(fields)} fields, limit 25")
        for j, f in enumerate(fields):
            texts += [(f"fields.{j}.name", f.get("name"), 256),
                      (f"fields.{j}.value", f.get("value"), 1024)]
            if not f.get("name") or not f.get("value"):
                errors.append(f"embeds.{i}.fields.{j}: name and value must not be empty")
        for where, value, limit in texts:
            _too_long(errors, f"embeds.{i}.{where}", value, limit)
            total += len(value) if isinstance(value, str) else 0
    if total > 6000:
        errors.append(f"embeds: {total} characters in all, limit 6000")
    errors += _component_errors(body.get("components") or [])
    empty = not (body.get("content") or embeds or body.get("components") or has_files
                 or body.get("poll") or body.get("sticker_ids") or body.get("attachments"))
    if empty and not edit:
        errors.append("Cannot send an empty message")
    return errors


def _component_errors(components: list[JSON]) -> list[str]:
    errors: list[str] = []
    if len(components) > 5 and all(c.get("type") == 1 for c in components):
        errors.append(f"components: {len(components)} rows, limit 5")
    for c in p.walk_components(components):
        _too_long(errors, "custom_id", c.get("custom_id"), 100)
        _too_long(errors, "label", c.get("label"), 80)
        if c.get("type") == 1 and len(c.get("components") or []) > 5:
            errors.append("components: more than 5 items in an action row")
        if len(c.get("options") or []) > 25:
            errors.append(f"select {c.get('custom_id')!r}: more than 25 options")
    return errors


def _callback_errors(rtype: int, data: JSON, *, has_files: bool) -> list[str]:
    if rtype in (4, 7):
        return _message_errors(data, has_files=has_files, edit=rtype == 7)
    errors: list[str] = []
    if rtype == 8:
        choices = data.get("choices") or []
        if len(choices) > 25:
            errors.append(f"choices: {len(choices)} choices, limit 25")
        for i, ch in enumerate(choices):
            if not 1 <= len(ch.get("name", "")) <= 100:
                errors.append(f"choices.{i}.name: must be 1-100 characters")
            _too_long(errors, f"choices.{i}.value", ch.get("value"), 100)
    elif rtype == 9:
        if not 1 <= len(data.get("title") or "") <= 45:
            errors.append("modal title: must be 1-45 characters")
        if not data.get("custom_id") or len(data["custom_id"]) > 100:
            errors.append("modal custom_id: must be 1-100 characters")
        if not 1 <= len(data.get("components") or []) <= 5:
            errors.append("modal: 1-5 components")
        for c in p.walk_components(data.get("components") or []):
            _too_long(errors, "label", c.get("label"), 45)
            _too_long(errors, "placeholder", c.get("placeholder"), 100)
            _too_long(errors, "value", c.get("value"), 4000)
            _too_long(errors, "custom_id", c.get("custom_id"), 100)
            if int(c.get("max_length") or 0) > 4000:
                errors.append("text input max_length: limit 4000")
    return errors


_COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


def _command_errors(commands: list[JSON], where: str = "") -> list[str]:
    """Slash commands and options: names 1-32 lowercase, descriptions 1-100, at most 25
    options / choices, unique names, required options first. Context menus (command type 2/3):
    names 1-32 characters, no description."""
    errors: list[str] = []
    names = [(c.get("name"), c.get("type", 1)) for c in commands]
    if len(names) != len(set(names)):
        errors.append(f"{where or 'commands'}: duplicate names")
    for c in commands:
        name = c.get("name") or ""
        at = f"{where}{name}"
        context_menu = not where and c.get("type", 1) in (2, 3)
        if context_menu:
            if not 1 <= len(name) <= 32:
                errors.append(f"{at}: name must be 1-32 characters")
            continue
        if not _COMMAND_NAME.match(name) or name != name.lower():
            errors.append(f"{at}: name must be 1-32 lowercase letters, digits, - or _")
        if not 1 <= len(c.get("description") or "") <= 100:
            errors.append(f"{at}: description must be 1-100 characters")
        options = c.get("options") or []
        if len(options) > 25:
            errors.append(f"{at}: {len(options)} options, limit 25")
        choices = c.get("choices") or []
        if len(choices) > 25:
            errors.append(f"{at}: more than 25 choices")
        if any(not 1 <= len(ch.get("name") or "") <= 100 for ch in choices):
            errors.append(f"{at}: choice names must be 1-100 characters")
        seen_optional = False
        for o in options:
            if o.get("type") in (1, 2):
                continue
            if o.get("required") and seen_optional:
                errors.append(f"{at}: required option {o.get('name')!r} after an optional one")
            seen_optional = seen_optional or not o.get("required")
        errors += _command_errors(options, at + " ")
    return errors


def _websockets(bot: discord.Client) -> dict[int, discord.gateway.DiscordWebSocket | None]:
    """The bot's gateway connection for each shard it runs. An AutoShardedClient keeps one per
    shard in a private map; ``_get_websocket(shard_id=…)`` is the accessor discord.py itself
    sends each guild's requests through. A plain Client's one ``ws`` is its ``shard_id``
    (shard 0 unsharded)."""
    if isinstance(bot, discord.AutoShardedClient):
        return {shard_id: bot._get_websocket(shard_id=shard_id) for shard_id in bot.shards}
    return {bot.shard_id or 0: bot.ws}
