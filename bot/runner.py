"""``python -m bot run``: check the settings, load the knowledge base, connect, shut down
cleanly on SIGINT/SIGTERM; ``python -m bot sync``: log in, sync the slash commands, stop.
The token is never printed or logged."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Coroutine
from typing import Any

import aiohttp
import discord

from bot.client import QABot, create_bot
from bot.core.database import DATABASE_ERRORS, StoreUnavailableError
from bot.core.errors import QAError
from bot.resources import open_service, open_store
from bot.settings import Settings

log = logging.getLogger("bot")

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2


def token_problem(token: str | None) -> str | None:
    """Why a token cannot be a Discord bot token, or None. The token itself is never shown."""
    if not token:
        return ("DISCORD_TOKEN is not set: put it in the environment or in .env "
                "(see .env.example).")
    if token.lower().startswith(("bot ", "bearer ")):
        return "DISCORD_TOKEN must be the token alone, without a 'Bot ' prefix."
    if any(c.isspace() or not c.isprintable() or c in "\"'" for c in token):
        return "DISCORD_TOKEN is malformed: it contains spaces, quotes or control characters."
    return None


def setup_logging(level: str) -> None:
    """Log lines on stderr, coloured only on a terminal (discord.py also colours when it
    guesses Docker, which fills ``docker logs`` and journald with escape codes)."""
    handler = logging.StreamHandler()
    plain = None if handler.stream.isatty() else logging.Formatter(
        "[{asctime}] [{levelname:<8}] {name}: {message}", "%Y-%m-%d %H:%M:%S", style="{")
    discord.utils.setup_logging(handler=handler, level=getattr(logging, level), root=True,
                                **({"formatter": plain} if plain else {}))
    # discord.http and discord.webhook log interaction tokens at DEBUG; the gateway is chatty.
    for name in ("discord.http", "discord.webhook", "discord.gateway"):
        logging.getLogger(name).setLevel(max(logging.INFO, getattr(logging, level)))


async def _serve(bot: QABot, token: str) -> None:
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    async with bot:
        runner = asyncio.create_task(bot.start(token))
        stopper = asyncio.create_task(stopping.wait())
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("Shutting down")
            await bot.close()
        stopper.cancel()
        await runner  # re-raises a login or connection failure


def run_bot(settings: Settings) -> int:
    """Start the bot; the exit code says whether a restart may help (see the README)."""
    bot = _prepare(settings)
    if isinstance(bot, int):
        return bot
    return _connect(_serve(bot, settings.discord_token or ""))


def sync_commands(settings: Settings) -> int:
    """Log in (no gateway), sync the slash commands everywhere, log out."""
    bot = _prepare(settings)
    if isinstance(bot, int):
        return bot
    bot.force_sync = True
    return _connect(_log_in(bot, settings.discord_token or ""))


async def _log_in(bot: QABot, token: str) -> None:
    async with bot:
        await bot.login(token)  # runs setup_hook, which syncs


def _prepare(settings: Settings) -> QABot | int:
    """The bot, ready to connect, or the exit code of a configuration that cannot work."""
    problem = token_problem(settings.discord_token)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings.log_level)
    try:
        store = open_store(settings)
    except StoreUnavailableError as exc:
        print(f"error: DATABASE_URL: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (OSError, *DATABASE_ERRORS) as exc:
        print(f"error: DATABASE_URL cannot be used ({exc})." if settings.database_url else
              f"error: DATA_DIR {settings.data_dir} cannot be used ({exc}): make it a folder "
              "the bot may create and write to.", file=sys.stderr)
        return EXIT_CONFIG
    try:
        service = open_service(settings, store)
    except StoreUnavailableError as exc:
        store.close()
        print(f"error: DATABASE_URL: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except QAError as exc:
        store.close()
        print(f"error: the knowledge base cannot be loaded:\n{exc}", file=sys.stderr)
        return EXIT_CONFIG
    return create_bot(settings, service, store)


def _connect(session: Coroutine[Any, Any, None]) -> int:
    """Run a Discord session; its failures become one line and an exit code."""
    try:
        asyncio.run(session)
    except discord.LoginFailure:
        print("error: Discord refused DISCORD_TOKEN (invalid or revoked token).",
              file=sys.stderr)
        return EXIT_CONFIG
    except discord.PrivilegedIntentsRequired:
        print("error: the Message Content intent is not enabled for this bot: enable it in "
              "the Developer Portal (Bot > Privileged Gateway Intents) or set "
              "MESSAGE_CONTENT_INTENT=false.", file=sys.stderr)
        return EXIT_CONFIG
    except (OSError, aiohttp.ClientError, TimeoutError, discord.GatewayNotFound,
            discord.DiscordServerError) as exc:
        print(f"error: Discord cannot be reached ({type(exc).__name__}: {exc}); a restart "
              "may cure it.", file=sys.stderr)
        return EXIT_FAILED
    log.info("Stopped")
    return EXIT_OK
