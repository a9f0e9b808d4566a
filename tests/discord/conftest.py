"""Fixtures for end-to-end tests: the project's real bot against the stand-in Discord.

Typical use::

    async def test_something(standin, running, mention, qa_channel):
        async with running(**qa_channel) as bot:
            await standin.send_message(f"{mention} who sent the cable?")
            reply = await standin.wait_for("message")

``running(**overrides)`` starts a new :class:`QABot` (settings from the ``settings`` fixture
with ``overrides`` applied; with ``shard_count`` a :class:`ShardedQABot`, as the runner picks);
entering it twice in one test restarts the bot on the same data directory and stand-in.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.client import QABot, create_bot
from bot.core.service import KnowledgeService
from bot.core.store import Store
from bot.settings import Settings
from tests.standin.conftest import standin  # noqa: F401 - the fixture, re-exported
from tests.standin.server import Record, StandinDiscord

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"

RunningBot = Callable[..., contextlib.AbstractAsyncContextManager[QABot]]


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A private copy of the knowledge directory, so tests may edit it."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, knowledge_dir: Path, standin: StandinDiscord  # noqa: F811
             ) -> Settings:
    """The bot's settings in tests: its knowledge and data in ``tmp_path``, and the
    stand-in's server as the one whose moderators may edit (``KB_GUILD_IDS``)."""
    return Settings(discord_token="standin-token", knowledge_dir=knowledge_dir,
                    data_dir=tmp_path / "data", cooldown_questions=1000,
                    reload_poll_seconds=0.2, kb_guild_ids=frozenset({int(standin.guild["id"])}))


@pytest.fixture
async def running(standin: StandinDiscord, settings: Settings  # noqa: F811
                  ) -> AsyncIterator[RunningBot]:
    """``async with running(**setting_overrides) as bot``: the real bot, connected and ready.

    The bot logs in with ``settings.discord_token`` (override ``discord_token`` to use
    another); it is closed when the block ends.
    """

    @contextlib.asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[QABot]:
        current = replace(settings, **overrides)
        bot = create_bot(current, KnowledgeService(current.knowledge_dir),
                         guild_ready_timeout=0.05)
        async with standin.run_bot(bot, token=current.discord_token or "standin-token"):
            yield bot

    yield start


@pytest.fixture
def mention(standin: StandinDiscord) -> str:  # noqa: F811
    """The text that mentions the bot user in a message (``<@id>``)."""
    return f"<@{standin.bot_user['id']}>"


@pytest.fixture
def qa_channel(standin: StandinDiscord) -> dict[str, Any]:  # noqa: F811
    """Setting overrides that make the stand-in's ``#general`` a Q&A channel:
    ``running(**qa_channel)``."""
    return {"qa_channel_ids": frozenset({int(standin.channel["id"])})}


def stored(bot: QABot) -> Store:
    """The bot's database once the question log has written what it queued."""
    assert bot.journal.flush(), "the question log did not catch up"
    return bot.store


_VOTE = re.compile(r"qa:vote:(?:up|down):(\d+)")


def answer_log_id(record: Record) -> int:
    """The question-log id of an answer, read from its 👍 button's custom_id."""
    for custom_id in record.custom_ids:
        if found := _VOTE.fullmatch(custom_id):
            return int(found[1])
    raise AssertionError(f"no vote buttons on this reply: {record.custom_ids}")


def referenced_id(record: Record) -> str | None:
    """The id of the message a reply refers to, as a string (discord.py sends an int)."""
    reference = record.message_reference
    return None if reference is None else str(reference["message_id"])


def pings_nobody(record: Record) -> bool:
    """True when the message's allowed_mentions ping nobody: no parsed mentions, no listed
    users or roles, and not the author of the message replied to."""
    allowed = record.allowed_mentions
    return (allowed is not None and allowed.get("parse") == [] and not allowed.get("users")
            and not allowed.get("roles") and not allowed.get("replied_user"))


async def outcome(standin: StandinDiscord, record: Record) -> Record:  # noqa: F811
    """What the bot finally answered an interaction with: the response itself or, when it
    deferred ("thinking…", type 5), its follow-up message."""
    if record.response_type != 5:
        return record
    return await standin.wait_for("followup", lambda r: r.token == record.token)
