"""The Discord bot: resources passed in, extensions loaded and commands synced at start-up."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_sync import SyncRecord, payload_hash
from bot.core.answers import Answer
from bot.core.conversation import Conversations
from bot.core.cooldown import Cooldown
from bot.core.errors import QAError
from bot.core.journal import Journal
from bot.core.service import KnowledgeService
from bot.core.store import Store
from bot.resources import open_store
from bot.settings import Settings
from bot.ui.replies import NOBODY, post_to_mod_log, send_private, unexpected

log = logging.getLogger(__name__)
T = TypeVar("T")

SLOW_DOWN = "You're asking quickly: give me {seconds:.0f} s and ask again."
EXTENSIONS = ("bot.exts.chat", "bot.exts.lookup", "bot.exts.moderation", "bot.exts.reload")


def _survive_malformed(name: str, parser: Callable[[Any], None]) -> Callable[[Any], None]:
    """Wrap a gateway event parser so a malformed event is logged and skipped.

    discord.py lets an exception in a parser (say a MESSAGE_CREATE without ``id``) escape
    ``Client.start()``, which would end the bot over one bad event. It offers no hook for
    this, so the parsers in its private ``ConnectionState.parsers`` are wrapped; the version
    range in pyproject.toml is the one this was checked with, and tests/discord/test_faults.py
    fails if an upgrade moves or bypasses the table.
    """
    @functools.wraps(parser)
    def parse(data: Any) -> None:
        try:
            parser(data)
        except Exception:
            log.exception("Skipped a malformed %s event from the gateway", name)
    return parse


class QABot(commands.Bot):
    """Answers questions about the article. Everything it needs is passed in."""

    def __init__(self, settings: Settings, service: KnowledgeService,
                 store: Store | None = None, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = settings.message_content_intent
        # The bot never joins voice: no "PyNaCl/davey is not installed" warning at start-up.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,  # unused: no prefix commands
            intents=intents,
            allowed_mentions=NOBODY,
            help_command=None,
            **options,
        )
        self.settings = settings
        self.service = service
        self.force_sync = False  # set by `python -m bot sync`
        # Their DEBUG lines carry interaction tokens (in URLs, in raw gateway events): never
        # below INFO.
        for name in ("discord.http", "discord.webhook", "discord.gateway"):
            logger = logging.getLogger(name)
            logger.setLevel(max(logging.INFO, logger.getEffectiveLevel()))
        self.cooldown = Cooldown(settings.cooldown_questions, settings.cooldown_seconds)
        # Each person's last question per channel, thread or DM, for follow-ups.
        self.conversations = Conversations(lambda: self.service.engine)
        self._store = store
        self._journal: Journal | None = None
        # Knowledge-base saves run one at a time on a thread of their own, so a queue of
        # them never takes the threads that answering or reading need.
        self._editing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-save")
        self.tree.on_error = self.on_app_command_error
        parsers = self._connection.parsers
        for name, parser in list(parsers.items()):
            parsers[name] = _survive_malformed(name, parser)

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the data store opens in setup_hook")
        return self._store

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            raise RuntimeError("the question log starts in setup_hook")
        return self._journal

    async def edit(self, call: Callable[..., T], *args: object) -> T:
        """Run a knowledge-base change on the saving thread."""
        return await asyncio.get_running_loop().run_in_executor(self._editing, call, *args)

    async def setup_hook(self) -> None:
        if self._store is None:
            self._store = await asyncio.to_thread(open_store, self.settings)
        self.service.store = self._store
        self.service.follow()  # a database tells of other processes' saves
        self._journal = Journal(self._store,
                                retention_days=self.settings.question_retention_days,
                                on_trouble=self._report_trouble)
        await asyncio.to_thread(self._journal.start)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands()

    @property
    def running_shards(self) -> tuple[int, ...]:
        """The shards this process runs: the unsharded bot's one connection is shard 0."""
        return (0,)

    def shard_of(self, guild_id: int | None) -> int:
        """The shard a server's events arrive on, by Discord's rule; DMs arrive on shard 0."""
        if guild_id is None or not self.shard_count:
            return 0
        return (guild_id >> 22) % self.shard_count

    async def sync_commands(self) -> None:
        """Sync slash commands to the configured guilds (instant), or globally, where they
        changed since the last sync (``force_sync``: everywhere). Of several processes
        sharing the shards only the one running shard 0 syncs: the others would sync the same
        commands again, spending Discord's daily budget of syncs."""
        if 0 not in self.running_shards and not self.force_sync:
            log.info("Commands not synced by this process (shards %s): the one running shard 0 "
                     "syncs them", _listed(self.running_shards))
            return
        record = await asyncio.to_thread(SyncRecord, self.settings.data_dir)
        targets: list[discord.Object | None] = [
            discord.Object(guild_id) for guild_id in self.settings.guild_ids] or [None]
        for guild in targets:
            if guild is not None:
                self.tree.copy_global_to(guild=guild)
            where = f"guild {guild.id}" if guild else "global"
            digest = payload_hash(self.application_id, [
                command.to_dict(self.tree) for command in self.tree.get_commands(guild=guild)])
            if not self.force_sync and record.unchanged(where, digest):
                log.info("Commands unchanged since the last sync (%s): not synced "
                         "(python -m bot sync forces it)", where)
                continue
            synced = await self.tree.sync(guild=guild)
            await asyncio.to_thread(record.synced, where, digest)
            log.info("Synced %d commands (%s)%s", len(synced), where,
                     "" if guild else ": global commands can take a while to appear")

    async def on_ready(self) -> None:
        log.info("Connected as %s (%s) to %d server(s)%s", self.user,
                 self.user.id if self.user else "?", len(self.guilds),
                 f" on shards {_listed(self.running_shards)} of {self.shard_count}"
                 if self.shard_count else "")

    async def on_message(self, message: discord.Message) -> None:
        """Prefix commands are not used: questions are handled by the chat extension."""

    async def close(self) -> None:
        await super().close()
        if self._journal is not None:
            await asyncio.to_thread(self._journal.close)
            self._journal = None
        await asyncio.to_thread(self.service.close)
        if self._store is not None:
            await asyncio.to_thread(self._store.close)
            self._store = None
        self._editing.shutdown(wait=False)

    def log_question(self, answer: Answer, source: str, guild_id: int | None,
                     channel_id: int | None) -> int:
        """Queue a question for the log (no author) and log one line about it; returns its
        log id. Nothing here waits on the disk."""
        log.info("question source=%s guild=%s shard=%d channel=%s decision=%s entry=%s "
                 "score=%.1f", source, guild_id or "-", self.shard_of(guild_id), channel_id,
                 answer.decision.value, answer.entry.id if answer.entry else "-", answer.score)
        return self.journal.question(answer, source, guild_id, channel_id)

    def ask(self, user_id: int, place: int | None, guild_id: int | None, question: str
            ) -> Answer:
        """A question in a person's conversation in one place (a channel, thread or DM); when
        it reached an entry right after one that got no answer, that one is suggested as a
        way of asking the entry."""
        conversation = self.conversations.get((user_id, place))
        answer = conversation.ask(question)
        if conversation.rephrased and answer.entry is not None:
            self.journal.signal(answer.entry.id, conversation.rephrased, user_id, "rephrased",
                                guild_id)
        return answer

    def limited(self, user_id: int) -> str | None:
        """The per-person limit, for every way of asking: None when allowed, else what to
        say (once per flood; an empty string asks for silence)."""
        wait = self.cooldown.hit(user_id)
        if wait is None:
            return None
        if self.cooldown.first_refusal(user_id, wait):
            return SLOW_DOWN.format(seconds=wait)
        return ""

    def _report_trouble(self, message: str) -> None:
        """From the question log's thread: tell the moderator log channel, once."""
        if not self.loop.is_closed():
            asyncio.run_coroutine_threadsafe(
                self.notify_moderators(f"⚠️ Question log: {message}"), self.loop)

    async def notify_moderators(self, text: str) -> None:
        """A notice in the moderator log channel (``MOD_LOG_CHANNEL_ID``), when one is set."""
        await post_to_mod_log(self, self.settings.mod_log_channel_id, text)

    async def on_app_command_error(self, interaction: discord.Interaction,
                                   error: app_commands.AppCommandError) -> None:
        """Checks that fail and domain errors become private messages; the rest is logged."""
        original = getattr(error, "original", error)
        if isinstance(error, app_commands.CheckFailure):
            message = str(error) or "You can't use this command here."
        elif isinstance(original, discord.HTTPException):
            log.exception("Discord refused a reply", exc_info=original)
            return
        elif isinstance(original, QAError):
            message = str(original)
        else:
            await unexpected(interaction, original)
            return
        try:
            await send_private(interaction, message, error=True)
        except discord.HTTPException:
            log.exception("Could not report an error to the user")


class ShardedQABot(QABot, discord.AutoShardedClient):
    """The bot running some of the shards of a sharded bot (``SHARD_COUNT``, ``SHARD_IDS``),
    one gateway connection each, while other processes run the others.

    Built like ``commands.AutoShardedBot`` (``BotBase, AutoShardedClient``), with QABot in
    front: the method order is ShardedQABot, QABot, commands.Bot, BotBase, …,
    AutoShardedClient, Client, so QABot's hooks run and AutoShardedClient connects.
    """

    @property
    def running_shards(self) -> tuple[int, ...]:
        if self.shard_ids is not None:
            return tuple(self.shard_ids)
        return tuple(range(self.shard_count or 0))  # no ids given: every shard of the count


def create_bot(settings: Settings, service: KnowledgeService, store: Store | None = None,
               **options: Any) -> QABot:
    """The bot the settings ask for: with ``SHARD_COUNT`` (and ``SHARD_IDS``), a
    :class:`ShardedQABot` running those shards of that count; otherwise the one-connection
    :class:`QABot`."""
    if settings.shard_count is None:
        return QABot(settings, service, store, **options)
    shard_ids = list(settings.shard_ids) if settings.shard_ids is not None else None
    return ShardedQABot(settings, service, store, shard_count=settings.shard_count,
                        shard_ids=shard_ids, **options)


def _listed(shards: tuple[int, ...]) -> str:
    return ", ".join(map(str, shards))
