"""The Discord bot: resources passed in, extensions loaded and commands synced at start-up."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.answers import Answer
from bot.core.conversation import Conversations
from bot.core.cooldown import Cooldown
from bot.core.errors import QAError
from bot.core.service import KnowledgeService
from bot.core.store import Store
from bot.settings import Settings
from bot.ui.buttons import PERSISTENT_ITEMS
from bot.ui.replies import NOBODY, UNEXPECTED, send_private

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.exts.chat", "bot.exts.lookup", "bot.exts.moderation", "bot.exts.reload")


def _survive_malformed(name: str, parser: Callable[[Any], None]) -> Callable[[Any], None]:
    """Wrap a gateway event parser so a malformed event is logged and skipped.

    discord.py lets an exception in a parser (say a MESSAGE_CREATE without ``id``) escape
    ``Client.start()``, which would end the bot over one bad event.
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

    def __init__(self, settings: Settings, service: KnowledgeService, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = settings.message_content_intent
        super().__init__(
            command_prefix=commands.when_mentioned,  # unused: no prefix commands
            intents=intents,
            allowed_mentions=NOBODY,
            help_command=None,
            **options,
        )
        self.settings = settings
        self.service = service
        self.cooldown = Cooldown(settings.cooldown_questions, settings.cooldown_seconds)
        # Each person's last question per channel, thread or DM, for follow-ups.
        self.conversations = Conversations(lambda: self.service.engine)
        self._store: Store | None = None
        self.tree.on_error = self.on_app_command_error
        parsers = self._connection.parsers
        for name, parser in list(parsers.items()):
            parsers[name] = _survive_malformed(name, parser)

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the data store opens in setup_hook")
        return self._store

    async def setup_hook(self) -> None:
        self._store = await asyncio.to_thread(Store.in_directory, self.settings.data_dir)
        self.service.store = self._store
        self.add_dynamic_items(*PERSISTENT_ITEMS)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync slash commands to the configured guilds (instant), or globally."""
        if self.settings.guild_ids:
            for guild_id in self.settings.guild_ids:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("Synced %d commands to guild %d", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("Synced %d global commands (they can take a while to appear)", len(synced))

    async def on_ready(self) -> None:
        log.info("Connected as %s (%s) to %d server(s)", self.user,
                 self.user.id if self.user else "?", len(self.guilds))

    async def on_message(self, message: discord.Message) -> None:
        """Prefix commands are not used: questions are handled by the chat extension."""

    async def close(self) -> None:
        await super().close()
        if self._store is not None:
            await asyncio.to_thread(self._store.close)
            self._store = None

    async def log_question(self, answer: Answer, source: str, channel_id: int | None) -> int:
        """Record a question (no author) and log one line about it; returns its log id."""
        log.info("question source=%s channel=%s decision=%s entry=%s score=%.1f", source,
                 channel_id, answer.decision.value, answer.entry.id if answer.entry else "-",
                 answer.score)
        return await asyncio.to_thread(self.store.log_question, answer, source, channel_id)

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
            log.error("Error in command %s", interaction.command and interaction.command.name,
                      exc_info=original)
            message = UNEXPECTED
        try:
            await send_private(interaction, message, error=True)
        except discord.HTTPException:
            log.exception("Could not report an error to the user")
