"""Fixtures for end-to-end tests: the project's real bot against the stand-in Discord."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.client import QABot
from bot.core.service import KnowledgeService
from bot.settings import Settings
from tests.standin.conftest import standin  # noqa: F401 - the fixture, re-exported
from tests.standin.server import StandinDiscord

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A private copy of the knowledge directory, so tests may edit it."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, knowledge_dir: Path) -> Settings:
    return Settings(discord_token="standin-token", knowledge_dir=knowledge_dir,
                    data_dir=tmp_path / "data", cooldown_questions=1000,
                    reload_poll_seconds=0.2)


BotFactory = Callable[..., "AsyncIterator[QABot]"]


@pytest.fixture
async def running(standin: StandinDiscord, settings: Settings  # noqa: F811
                  ) -> AsyncIterator[Callable[..., object]]:
    """``async with running(**setting_overrides) as bot``: the real bot, connected and ready."""
    import contextlib

    @contextlib.asynccontextmanager
    async def start(**overrides: object) -> AsyncIterator[QABot]:
        current = replace(settings, **overrides)
        bot = QABot(current, KnowledgeService(current.knowledge_dir), guild_ready_timeout=0.05)
        async with standin.run_bot(bot):
            yield bot

    return start
