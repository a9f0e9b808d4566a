"""Sharding (``SHARD_COUNT``, ``SHARD_IDS``): one process running several shards, and several
processes each running their own, against the stand-in Discord's shards."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.client import QABot, ShardedQABot
from tests.discord.conftest import stored
from tests.discord.processes import bot_process, read_until, standin_env, terminate
from tests.standin import payloads as p
from tests.standin.server import StandinDiscord

QUESTION = "who sent the cable?"
NOT_SYNCED = "Commands not synced by this process"


@pytest.fixture
def guilds(standin: StandinDiscord) -> list[p.JSON]:
    """A guild on shard 0 and one on shard 1, of two shards."""
    return [standin.add_guild(f"On shard {shard}", shard=(shard, 2)) for shard in (0, 1)]


def shards_of(count: int, ids: tuple[int, ...], tmp_path: Path) -> dict[str, Any]:
    """Setting overrides for a bot running the shards ``ids`` of ``count``, with a data
    directory of its own (each process has one until they share PostgreSQL)."""
    return {"shard_count": count, "shard_ids": ids,
            "data_dir": tmp_path / f"data-{'-'.join(map(str, ids))}"}


async def ask_in(standin: StandinDiscord, guild: p.JSON, mention: str) -> None:
    """Ask in ``guild``'s #general, wait for the answer there, and check nothing else came."""
    channel = guild["channels"][0]
    await standin.send_message(f"{mention} {QUESTION}", channel=channel)
    reply = await standin.wait_for("message")
    assert reply.channel_id == channel["id"]
    assert reply.embeds[0]["title"] == "Who sent the cable?"
    await standin.assert_silent()  # answered once: no other bot or shard answered too


async def test_one_process_runs_both_shards_and_logs_each_questions_shard(
        standin: StandinDiscord, running, mention: str, guilds: list[p.JSON], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.client")
    async with running(**shards_of(2, (0, 1), tmp_path)) as bot:
        assert isinstance(bot, ShardedQABot) and set(bot.shards) == {0, 1}
        for guild in guilds:
            await ask_in(standin, guild, mention)
    questions = [r.getMessage() for r in caplog.records if r.getMessage().startswith("question")]
    assert [line.split()[2:4] for line in questions] == [
        [f"guild={guilds[0]['id']}", "shard=0"], [f"guild={guilds[1]['id']}", "shard=1"]]
    assert len(standin.records_of("command_sync")) == 1  # it runs shard 0: it syncs


async def test_two_processes_each_answer_only_their_own_shards_guilds(
        standin: StandinDiscord, running, mention: str, guilds: list[p.JSON], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.client")
    async with running(**shards_of(2, (0,), tmp_path)) as zero, \
            running(**shards_of(2, (1,), tmp_path)) as one:
        bots: list[QABot] = [zero, one]
        for guild, bot, other in zip(guilds, bots, bots[::-1], strict=True):
            assert bot.get_guild(int(guild["id"])) is not None
            assert other.get_guild(int(guild["id"])) is None  # not even in its cache
            await ask_in(standin, guild, mention)
            assert stored(bot).stats(int(guild["id"])).questions == 1
            assert stored(other).stats(int(guild["id"])).questions == 0
        assert stored(one).stats().questions == 1 and stored(zero).stats().questions == 1
    assert len(standin.records_of("command_sync")) == 1  # the one running shard 0
    assert [r.getMessage() for r in caplog.records if NOT_SYNCED in r.getMessage()] == [
        f"{NOT_SYNCED} (shards 1): the one running shard 0 syncs them"]


async def test_two_bot_processes_share_the_shards_and_stop_on_sigterm(
        standin: StandinDiscord, guilds: list[p.JSON], tmp_path: Path) -> None:
    """What an operator runs on two machines: the same settings but SHARD_IDS, through the
    environment only."""
    common = {"SHARD_COUNT": "2", "QA_CHANNEL_IDS": ",".join(g["channels"][0]["id"]
                                                              for g in guilds),
              "DISCORD_GUILD_IDS": ",".join(g["id"] for g in guilds)}
    envs = [standin_env(standin, tmp_path, SHARD_IDS=str(shard),
                        DATA_DIR=str(tmp_path / f"data-{shard}"), **common) for shard in (0, 1)]
    async with bot_process(envs[0], tmp_path) as zero, bot_process(envs[1], tmp_path) as one:
        started = await asyncio.gather(*(read_until(process, "Connected as")
                                         for process in (zero, one)))
        for guild in guilds:
            await standin.send_message(QUESTION, channel=guild["channels"][0])
            reply = await standin.wait_for("message", timeout=10)
            assert reply.channel_id == guild["channels"][0]["id"]
        outputs = [text + await terminate(process)
                   for text, process in zip(started, (zero, one), strict=True)]
    assert (zero.returncode, one.returncode) == (0, 0), outputs
    for shard, (guild, output) in enumerate(zip(guilds, outputs, strict=True)):
        assert f"on shards {shard} of 2" in output and "Shutting down" in output
        questions = [line for line in output.splitlines() if "question source=" in line]
        assert len(questions) == 1 and f"guild={guild['id']} shard={shard} " in questions[0]
    assert "Synced" in outputs[0] and NOT_SYNCED not in outputs[0]
    assert "Synced" not in outputs[1] and NOT_SYNCED in outputs[1]
    synced = standin.records_of("command_sync")
    assert sorted(r.guild_id for r in synced) == sorted(g["id"] for g in guilds)


async def test_one_shard_setting_alone_is_one_line_and_exit_2(tmp_path: Path,
                                                              standin: StandinDiscord) -> None:
    env = standin_env(standin, tmp_path, SHARD_COUNT="2")
    async with bot_process(env, tmp_path) as process:
        output, _ = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 2
    assert output.decode().splitlines() == [
        "error: SHARD_COUNT is set but SHARD_IDS is not: set both (this process runs the "
        "SHARD_IDS shards of SHARD_COUNT) or neither (one process)"]
