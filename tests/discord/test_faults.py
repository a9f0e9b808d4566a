"""Gateway and REST faults the bot must ride out, and what it writes to the log."""

from __future__ import annotations

import logging
import re

import pytest

from bot.client import QABot
from bot.core.service import KnowledgeService
from tests.standin.server import StandinDiscord

QUESTION_LINE = re.compile(
    r"^question source=(?P<source>\w+) guild=(?P<guild>\d+|-) shard=0 "
    r"channel=(?P<channel>\d+|None) "
    r"decision=(?P<decision>\w+) entry=(?P<entry>[a-z0-9-]+) score=(?P<score>\d+\.\d)$")


# --------------------------------------------------------------------------- gateway


async def test_op7_reconnect_resumes_and_still_answers(standin: StandinDiscord, running,
                                                       mention: str) -> None:
    async with running() as bot:
        session_id = standin.session_id
        await standin.reconnect()
        assert standin.resume_count == 1 and standin.identify_count == 1
        assert standin.gateway_log[-1]["op"] == 6
        assert standin.gateway_log[-1]["d"]["session_id"] == session_id
        assert standin.session_id == session_id
        await standin.send_message(f"{mention} who sent the cable?")
        reply = await standin.wait_for("message")
        assert not bot.is_closed()
    assert reply.embeds[0]["title"] == "Who sent the cable?"


async def test_message_sent_while_disconnected_is_replayed_and_answered(
        standin: StandinDiscord, running, mention: str) -> None:
    async with running():
        await standin.drop_connection(4000)
        question = await standin.send_message(f"{mention} who sent the cable?")
        await standin.wait_resumed()
        reply = await standin.wait_for("message")
        await standin.assert_silent()  # answered once, not twice
    assert standin.identify_count == 1 and standin.resume_count == 1
    assert reply.embeds[0]["title"] == "Who sent the cable?"
    assert str(reply.message_reference["message_id"]) == question["id"]


async def test_invalid_session_reidentifies_and_still_answers(standin: StandinDiscord,
                                                              running, mention: str) -> None:
    async with running():
        await standin.invalidate_session(resumable=False)
        assert standin.identify_count == 2
        await standin.send_message(f"{mention} who sent the cable?")
        reply = await standin.wait_for("message")
    assert reply.embeds[0]["title"] == "Who sent the cable?"


async def test_malformed_message_create_is_logged_and_skipped(
        standin: StandinDiscord, running, mention: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.client")
    async with running() as bot:
        await standin.dispatch_malformed()
        await standin.send_message(f"{mention} who sent the cable?")
        reply = await standin.wait_for("message")  # raises BotCrashedError if the bot died
        assert not bot.is_closed()
    assert reply.embeds[0]["title"] == "Who sent the cable?"
    skipped = [r for r in caplog.records
               if r.getMessage() == "Skipped a malformed MESSAGE_CREATE event from the gateway"]
    assert len(skipped) == 1
    assert skipped[0].exc_info is not None and skipped[0].exc_info[0] is KeyError


def test_every_gateway_parser_is_guarded(settings) -> None:
    """The private table the guard wraps is still where, and what, it was: an event name to
    its parser, for every event, on the client's connection state."""
    bot = QABot(settings, KnowledgeService(settings.knowledge_dir))
    parsers = bot._connection.parsers
    assert {"MESSAGE_CREATE", "INTERACTION_CREATE", "READY", "GUILD_CREATE"} <= set(parsers)
    for name, parser in parsers.items():
        assert parser.__name__ == f"parse_{name.lower()}"
        assert parser.__wrapped__ is not parser  # the guard, around discord.py's own parser


# --------------------------------------------------------------------------- REST


async def test_rate_limited_reply_arrives_exactly_once(standin: StandinDiscord, running,
                                                       mention: str) -> None:
    async with running():
        standin.fail_next("message", status=429, retry_after=0.05)
        await standin.send_message(f"{mention} who sent the cable?")
        reply = await standin.wait_for("message")
        await standin.assert_silent()
    assert reply.embeds[0]["title"] == "Who sent the cable?"
    assert [r.of_kind for r in standin.records_of("fault")] == ["message"]
    assert len(standin.records_of("message")) == 1


# --------------------------------------------------------------------------- logging


async def test_one_info_line_per_question(standin: StandinDiscord, running, mention: str,
                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with running():
        await standin.send_message(f"{mention} who sent the cable?")
        await standin.wait_for("message")
        await standin.send_dm("who won the world cup?")
        await standin.wait_for("message")
        await standin.invoke("ask", {"question": "cambodia sides"})
    lines = [r for r in caplog.records if r.getMessage().startswith("question ")]
    assert all(r.levelno == logging.INFO for r in lines)
    parsed = [QUESTION_LINE.match(r.getMessage()) for r in lines]
    assert all(parsed), [r.getMessage() for r in lines]
    assert [(m["source"], m["decision"], m["entry"]) for m in parsed if m] == [
        ("mention", "answered", "cable-sender"),
        ("dm", "not_covered", "-"),
        ("slash", "did_you_mean", "-"),
    ]
    first = parsed[0]
    assert first is not None
    assert first["channel"] == standin.channel["id"] and first["score"] == "100.0"


async def test_the_token_never_appears_in_the_log(standin: StandinDiscord, running,
                                                  mention: str,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-token.do-not-log-this"
    caplog.set_level(logging.DEBUG)
    async with running(discord_token=token):
        await standin.reconnect()  # a RESUME sends the token again
        await standin.send_message(f"{mention} who sent the cable?")
        await standin.wait_for("message")
        await standin.invoke("ask", {"question": "who sent the cable?"})
    identify = next(f for f in standin.gateway_log if f.get("op") == 2)
    assert identify["d"]["token"] == token  # the bot did use it
    assert caplog.records  # DEBUG logging was captured
    assert token not in caplog.text
    assert "do-not-log-this" not in caplog.text
