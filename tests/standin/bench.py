"""The Discord round trip: ``python -m tests.standin.bench [--messages N] [--json]``.

It lives beside the stand-in Discord it needs (an aiohttp server on 127.0.0.1), so the bot's
package never imports the tests. The stand-in and the real ``QABot`` run in one event loop;
the bot works on a temporary copy of the knowledge directory and a temporary data directory
(never the real ``data/``). For each of ``messages`` mention questions, sent one at a time,
the time from dispatching MESSAGE_CREATE to the stand-in receiving the reply POST is
measured. The same is measured for a trivial discord.py bot that replies "ok" to every
mention, so the bot's own cost shows as a ratio: everything else (the library, the loopback
sockets, the stand-in) is in both figures.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import discord

from bot.bench import percentile
from bot.bench_report import Report
from bot.client import QABot
from bot.core.service import KnowledgeService
from bot.settings import Settings
from tests.standin.server import Record, StandinDiscord

WARM_UP = 5
LEGEND = """\
Legend
  median, p99     the time within which 50 % and 99 % of replies arrived
  trivial bot     a discord.py bot that replies "ok" to every mention: the library, the
                  sockets and the stand-in cost the same in both, so the difference is the
                  bot's own work
"""
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
    async with standin, standin.run_bot(bot, token="bench-token"):
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
    questions = _questions(settings)
    bot = QABot(settings, KnowledgeService(settings.knowledge_dir), guild_ready_timeout=0.05)
    ours = _summary(await _round_trips(bot, questions, messages))
    baseline = _summary(await _round_trips(_OkBot(), questions, messages))
    return ours, baseline


def discord_round_trip(settings: Settings, report: Report, messages: int = 200) -> None:
    """Measure and report the round trip of the real bot and of the trivial baseline bot."""
    with tempfile.TemporaryDirectory(prefix="qa-bench-discord-") as tmp:
        knowledge = Path(tmp) / "knowledge"
        shutil.copytree(settings.knowledge_dir, knowledge)
        bench_settings = replace(
            settings, discord_token="bench-token", knowledge_dir=knowledge,
            data_dir=Path(tmp) / "data", guild_ids=(), qa_channel_ids=frozenset(),
            mod_log_channel_id=None, message_content_intent=True, cooldown_seconds=0.0)
        with report.step(f"{messages} questions to the bot, then to the baseline"):
            ours, baseline = asyncio.run(_measure(bench_settings, messages))
    report.figure("discord_round_trip", messages=messages, qabot=asdict(ours),
                  ok_bot=asdict(baseline))
    report.write(
        f"Discord round trip over a stand-in on 127.0.0.1 ({messages} mention questions, "
        "MESSAGE_CREATE dispatched → reply POST received)\n"
        f"  QABot                 {ours}\n"
        f"  trivial 'ok' bot      {baseline}\n"
        f"  QABot takes           median {ours.median_ms / baseline.median_ms:4.1f}× and "
        f"p99 {ours.p99_ms / baseline.p99_ms:4.1f}× the trivial bot's time (everything but "
        "the answering is in both)\n\n")
    report.target("Discord round trip, median", f"{ours.median_ms:.1f} ms",
                  f"<= {TARGET_MEDIAN_MS:.0f} ms", ours.median_ms <= TARGET_MEDIAN_MS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.standin.bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200, help="questions per bot")
    parser.add_argument("--json", action="store_true", help="the figures as one JSON object")
    args = parser.parse_args(argv)
    report = Report(sys.stdout, as_json=args.json, legend=LEGEND,
                    progress=sys.stderr if sys.stderr.isatty() else None)
    discord_round_trip(Settings.load(), report, args.messages)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
