"""Outgrowing one process, end to end: two ``python -m bot run`` processes, each running one
of two shards, sharing one PostgreSQL database, against the stand-in Discord with one guild
per shard. Configured only through the environment, as an operator would."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest

from tests.discord.processes import bot_process, read_until, standin_env, terminate
from tests.postgres import PostgresServer
from tests.standin import payloads as p
from tests.standin.server import Record, StandinDiscord, StandinTimeoutError

QUESTION = "who sent the cable?"
WITHIN = 2.0  # seconds: an edit made through one process is answered by the other


@pytest.fixture
def guilds(standin: StandinDiscord) -> list[p.JSON]:
    """A guild on shard 0 and one on shard 1, of two shards."""
    return [standin.add_guild(f"On shard {shard}", shard=(shard, 2)) for shard in (0, 1)]


@pytest.fixture
def database(postgres: PostgresServer) -> str:
    return postgres.new_database()


Processes = list[asyncio.subprocess.Process]


@pytest.fixture
def start(standin: StandinDiscord, guilds: list[p.JSON], database: str, tmp_path: Path):
    """``async with start(0, 1) as processes``: one bot process per shard id given, ready."""
    ids = ",".join(g["id"] for g in guilds)
    common = {"SHARD_COUNT": "2", "DATABASE_URL": database, "DISCORD_GUILD_IDS": ids,
              "KB_GUILD_IDS": ids, "QA_CHANNEL_IDS": ",".join(
                  g["channels"][0]["id"] for g in guilds),
              "COOLDOWN_SECONDS": "0", "RELOAD_POLL_SECONDS": "1"}

    @contextlib.asynccontextmanager
    async def running(*shards: int) -> AsyncIterator[Processes]:
        async with contextlib.AsyncExitStack() as stack:
            processes = [await stack.enter_async_context(bot_process(standin_env(
                standin, tmp_path, SHARD_IDS=str(shard),
                DATA_DIR=str(tmp_path / f"data-{shard}"), **common), tmp_path))
                for shard in shards]
            await asyncio.gather(*(read_until(process, "Connected as")
                                   for process in processes))
            yield processes
    return running


async def ask(standin: StandinDiscord, guild: p.JSON, question: str = QUESTION,
              wait: float = 10) -> Record:
    """A question in ``guild``'s Q&A channel; the bot's reply there."""
    channel = guild["channels"][0]
    sent = await standin.send_message(question, channel=channel)
    reply = await standin.wait_for(
        "message", lambda r: (r.message_reference or {}).get("message_id") in (
            sent["id"], int(sent["id"])), timeout=wait)
    assert reply.channel_id == channel["id"]
    return reply


async def alias(standin: StandinDiscord, guild: p.JSON, phrase: str) -> Record:
    """``/kb alias`` by the owner (a moderator everywhere) in ``guild``: the final reply."""
    record = await standin.invoke("kb alias", {"entry": "cable-sender", "phrase": phrase},
                                  user=standin.owner, channel=guild["channels"][0])
    if record.response_type != 5:
        return record
    return await standin.wait_for("followup", lambda r: r.token == record.token, timeout=30)


async def answered_within(standin: StandinDiscord, guild: p.JSON, phrase: str,
                          seconds: float = WITHIN) -> float:
    """How long until ``phrase``, asked in ``guild``, is answered as "Who sent the cable?"
    (asked again until then; fails after ``seconds``). Until the process has taken up the
    change, the phrase is not covered, which a Q&A channel meets with silence."""
    start = time.monotonic()
    while (left := seconds - (time.monotonic() - start)) > 0:
        with contextlib.suppress(StandinTimeoutError):
            reply = await ask(standin, guild, phrase, wait=min(left, 0.5))
            if reply.embeds[0]["title"] == "Who sent the cable?":
                return time.monotonic() - start
    raise AssertionError(f"{phrase!r} not answered within {seconds} s")


def knowledge_text(database: str) -> str:
    with psycopg.connect(database) as db:
        row = db.execute("SELECT text FROM knowledge WHERE id = 1").fetchone()
    assert row is not None
    return str(row[0])


async def test_two_processes_one_database(start, standin: StandinDiscord,
                                          guilds: list[p.JSON], database: str) -> None:
    async with start(0, 1) as processes:
        for guild in guilds:  # each answers its own guild (its log below says only it)
            assert (await ask(standin, guild)).embeds[0]["title"] == "Who sent the cable?"

        # An alias added in one guild is answered in the other within 2 s.
        phrase = "which zebra bureau typed up the telex"
        done = await alias(standin, guilds[0], phrase)
        assert "now asks" in done.embeds[0]["description"]
        await answered_within(standin, guilds[1], phrase)

        # Twenty concurrent edits spread over both processes all land.
        phrases = [f"concurrent alias number {n} zq{n}" for n in range(20)]
        finals = await asyncio.gather(*(alias(standin, guilds[n % 2], phrase)
                                        for n, phrase in enumerate(phrases)))
        assert all("now asks" in r.embeds[0]["description"] for r in finals), [
            r.embeds[0]["description"] for r in finals]
        outputs = [await terminate(process) for process in processes]
    text = knowledge_text(database)
    assert all(phrase in text for phrase in [*phrases, "which zebra bureau typed up the telex"])
    assert all(process.returncode == 0 for process in processes), outputs
    for guild, output in zip(guilds, outputs, strict=True):
        asked = [line for line in output.splitlines() if "question source=" in line]
        assert asked and all(f"guild={guild['id']} " in line for line in asked)
    with psycopg.connect(database) as db:
        aliases = db.execute("SELECT count(*) FROM revisions WHERE action = 'alias'").fetchone()
    assert aliases is not None and aliases[0] == 21


async def test_a_process_killed_during_a_save_loses_nothing(
        start, standin: StandinDiscord, guilds: list[p.JSON], database: str) -> None:
    async with start(0, 1) as (zero, one):
        await alias(standin, guilds[0], "an alias saved before the kill zq1")
        before = knowledge_text(database)
        pending = asyncio.ensure_future(standin.invoke(
            "kb alias", {"entry": "cable-sender", "phrase": "an alias during the kill zq2"},
            user=standin.owner, channel=guilds[0]["channels"][0]))
        await standin.wait_until(pending.done)  # "thinking…": the save has begun
        zero.send_signal(signal.SIGKILL)
        await zero.wait()
        after = knowledge_text(database)
        # All or nothing: the old version, or the new one with its history record.
        with psycopg.connect(database) as db:
            recorded = db.execute("SELECT count(*) FROM revisions WHERE after LIKE %s",
                                  ("%during the kill zq2%",)).fetchone()
        assert recorded is not None
        assert (after == before and recorded[0] == 0) or (
            "an alias during the kill zq2" in after and recorded[0] == 1)
        assert "an alias saved before the kill zq1" in after
        # The survivor answers, and edits, as before.
        assert (await ask(standin, guilds[1])).embeds[0]["title"] == "Who sent the cable?"
        done = await alias(standin, guilds[1], "which okapi bureau typed up the telex")
        assert "now asks" in done.embeds[0]["description"]
        await terminate(one)
    async with start(0):  # the killed one comes back on the same database
        await answered_within(standin, guilds[0], "which okapi bureau typed up the telex",
                              seconds=0.1)  # the first answer: it starts from the database


async def test_the_database_restarted_under_load(start, standin: StandinDiscord,
                                                 guilds: list[p.JSON],
                                                 postgres: PostgresServer) -> None:
    async with start(0, 1) as processes:
        restart = asyncio.ensure_future(asyncio.to_thread(postgres.restart))
        answered = 0
        while not restart.done():  # questions keep coming while the server restarts
            for guild in guilds:
                reply = await ask(standin, guild)
                answered += reply.embeds[0]["title"] == "Who sent the cable?"
        await restart
        assert answered >= 2
        done = await alias(standin, guilds[1], "which quagga bureau typed up the telex")
        assert "now asks" in done.embeds[0]["description"], done.embeds[0]["description"]
        await answered_within(standin, guilds[0], "which quagga bureau typed up the telex")
        for process in processes:
            await terminate(process)
