"""A stand-in Discord server for offline end-to-end tests of the discord.py bot.

See :mod:`tests.standin.server` (the server and recording API) and
:mod:`tests.standin.payloads` (builders for Discord JSON objects).
"""

from tests.standin.server import (
    REPLY_KINDS,
    BotCrashedError,
    Record,
    StandinDiscord,
    StandinTimeoutError,
)

__all__ = ["REPLY_KINDS", "BotCrashedError", "Record", "StandinDiscord", "StandinTimeoutError"]
