"""The Discord round trip of ``python -m bot bench``: the real bot over a stand-in Discord.

The stand-in Discord of the tests (``tests.standin``, an aiohttp server on 127.0.0.1) and the
real ``QABot`` run in one event loop; the bot works on a temporary copy of the knowledge
directory and a temporary data directory (never the real ``data/``). For each of ``messages``
mention questions, sent one at a time, the time from dispatching MESSAGE_CREATE to the
stand-in receiving the reply POST is measured. The same is measured for a trivial discord.py
bot that replies "ok" to every mention, so the bot's own cost shows as a ratio: everything
else (the library, the loopback sockets, the stand-in) is in both figures.

The stand-in only exists in a source checkout: elsewhere one "skipped: …" line is printed.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import discord

from bot.bench import percentile
from bot.settings import Settings

if TYPE_CHECKING:
    from tests.standin.server import Record, StandinDiscord

WARM_UP = 5
TARGET_MEDIAN_MS = 20.0


@dataclass(frozen=True)
class RoundTrips:
    median_ms: float
    p99_ms: float

    def __str__(self) -> str:
        return f"median {self.median_ms:6.2f} ms   p99 {self.p99_ms:6.2f} ms"


def _summary(samples: list[float]) -> RoundTrips:
    ordered = sorted(samples)
    return RoundTrips(statistics.median(ordered) * 1000, percentile(ordered, 0.99) * 1000)


class _OkBot(discord.Client):
    """The baseline: replies "ok" to every mention, as a reply pinging nobody."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents=intents, guild_ready_timeout=0.05,
                         allowed_mentions=discord.AllowedMentions.none())

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.user is None or self.user not in message.mentions:
            return
        await message.reply("ok", mention_author=False)


def _timed_standin() -> StandinDiscord:
    """A stand-in that notes when each request of the bot arrived (``arrived[id(record)]``)."""
    from tests.standin.server import StandinDiscord  # noqa: PLC0415 - only in a checkout

    class TimedStandin(StandinDiscord):
        def __init__(self) -> None:
            super().__init__(timeout=10.0)
            self.arrived: dict[int, float] = {}

        def _add(self, record: Record) -> Record:
            self.arrived[id(record)] = time.perf_counter()
            return super()._add(record)

    return TimedStandin()


async def _round_trips(bot: discord.Client, questions: list[str], messages: int) -> list[float]:
    """Seconds from MESSAGE_CREATE dispatched to reply POST received, one per question."""
    standin: Any = _timed_standin()
    samples: list[float] = []
    async with standin, standin.run_bot(bot, token="bench-token"):  # noqa: S106 - not a secret
        mention = f"<@{standin.bot_user['id']}>"
        for number in range(WARM_UP + messages):
            text = f"{mention} {questions[number % len(questions)]}"
            start = time.perf_counter()
            sent = await standin.send_message(text)
            reply = await standin.wait_for("message")
            reference = reply.message_reference or {}
            if str(reference.get("message_id")) != sent["id"]:
                raise RuntimeError(f"the reply does not answer message {sent['id']}: {reply}")
            if number >= WARM_UP:
                samples.append(standin.arrived[id(reply)] - start)
    return samples


def _questions(settings: Settings) -> list[str]:
    """Every entry's question and first alternate, and a few the article does not cover."""
    from bot.core.kb_reading import load_knowledge_base  # noqa: PLC0415

    kb = load_knowledge_base(settings.knowledge_dir)
    asked: list[str] = []
    for entry in kb.entries:
        asked.append(entry.question)
        asked.extend(entry.alternates[:1])
    off_topic = ["when was pol pot born", "what is the capital of france?",
                 "who won the football yesterday"]
    mixed: list[str] = []
    for number, question in enumerate(asked, start=1):
        mixed.append(question)
        if number % 10 == 0:  # one in eleven is not covered by the article
            mixed.append(off_topic[number // 10 % len(off_topic)])
    return mixed


async def _measure(settings: Settings, messages: int) -> tuple[RoundTrips, RoundTrips]:
    from bot.client import QABot  # noqa: PLC0415 - imports the extensions
    from bot.core.service import KnowledgeService  # noqa: PLC0415

    questions = _questions(settings)
    bot = QABot(settings, KnowledgeService(settings.knowledge_dir), guild_ready_timeout=0.05)
    ours = _summary(await _round_trips(bot, questions, messages))
    baseline = _summary(await _round_trips(_OkBot(), questions, messages))
    return ours, baseline


def discord_round_trip(settings: Settings, out: TextIO, messages: int = 200) -> None:
    """Measure and print the round trip of the real bot and of the trivial baseline bot."""
    try:
        import tests.standin.server  # noqa: F401, PLC0415 - only in a source checkout
    except ImportError as exc:
        out.write(f"Discord round trip: skipped: the stand-in Discord (tests.standin) cannot "
                  f"be imported ({exc}); run the bench from a source checkout.\n")
        return
    with tempfile.TemporaryDirectory(prefix="qa-bench-discord-") as tmp:
        knowledge = Path(tmp) / "knowledge"
        shutil.copytree(settings.knowledge_dir, knowledge)
        bench_settings = replace(
            settings, discord_token="bench-token", knowledge_dir=knowledge,  # noqa: S106
            data_dir=Path(tmp) / "data", guild_ids=(), qa_channel_ids=frozenset(),
            mod_log_channel_id=None, message_content_intent=True, cooldown_seconds=0.0)
        ours, baseline = asyncio.run(_measure(bench_settings, messages))
    out.write(
        f"Discord round trip over a stand-in on 127.0.0.1 ({messages} mention questions, "
        "MESSAGE_CREATE dispatched → reply POST received)\n"
        f"  QABot                 {ours}   (target median <= {TARGET_MEDIAN_MS:.0f} ms)\n"
        f"  trivial 'ok' bot      {baseline}\n"
        f"  ratio                 median {ours.median_ms / baseline.median_ms:5.1f}x     "
        f"p99 {ours.p99_ms / baseline.p99_ms:5.1f}x\n\n")
