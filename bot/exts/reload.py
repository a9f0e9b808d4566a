"""Hand edits: when qa.yaml changes on disk, reload it within a few seconds (with a database,
the same check takes up what another process saved, should its notification be lost).

An invalid file is not loaded: the bot keeps answering from the last good knowledge base, logs
each problem and reports them to the moderator log channel.
"""

from __future__ import annotations

import asyncio
import logging

from discord.ext import commands, tasks

from bot.client import QABot
from bot.core.database import StoreUnavailableError
from bot.core.errors import KnowledgeError

log = logging.getLogger(__name__)


class Reloader(commands.Cog):
    """Polls the file's modification time and size (cheap), and reloads when they change."""

    def __init__(self, bot: QABot) -> None:
        self.bot = bot
        self._reported: str | None = None  # the last error text reported, to say it once
        self.watch.change_interval(seconds=bot.settings.reload_poll_seconds)
        self.watch.start()

    async def cog_unload(self) -> None:
        self.watch.cancel()

    @tasks.loop(seconds=2.0)
    async def watch(self) -> None:
        try:
            changes = await asyncio.to_thread(self.bot.service.reload_if_changed)
        except StoreUnavailableError:
            return  # the database is away: the store has said so, and this check goes on
        except KnowledgeError as exc:
            text = str(exc)
            if text != self._reported:
                self._reported = text
                for problem in exc.problems:
                    log.error("Not reloaded: %s", problem.format(exc.filename))
                await self.bot.notify_moderators(
                    "⚠️ `qa.yaml` changed on disk but has problems, so I kept "
                    f"answering from the last good version:\n```\n{text[:1500]}\n```")
            return
        except Exception:
            log.exception("Checking qa.yaml for changes failed")
            return
        if changes is None:
            return
        self._reported = None
        ids = ", ".join(c.entry_id for c in changes) or "no entry"
        if self.bot.service.source.records_outside_changes:  # another process saved it
            log.info("Took up the knowledge base another process saved: %s", ids)
            return
        log.info("Reloaded qa.yaml after a change on disk: %s", ids)
        await self.bot.notify_moderators(
            f"🔄 Reloaded `qa.yaml` after a change on disk ({len(changes)} "
            f"entr{'y' if len(changes) == 1 else 'ies'} changed: {ids[:1500]}).")

    @watch.before_loop
    async def before_watch(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: QABot) -> None:
    await bot.add_cog(Reloader(bot))
