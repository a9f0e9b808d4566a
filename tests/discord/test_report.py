"""``/kb report``: a moderator gets the report of this server's questions as a private file,
through the real client and the stand-in Discord."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import report
from bot.core.store import QuestionRecord
from bot.exts import moderation
from tests.discord.conftest import outcome, stored
from tests.html_tree import parse
from tests.standin import payloads as p
from tests.standin.server import StandinDiscord

ELSEWHERE = "a question asked in another server"


@pytest.fixture
def moderator(standin: StandinDiscord) -> dict:
    admins = standin.add_role("admins", permissions=p.MANAGE_GUILD)
    return standin.add_user("modone", roles=[admins])


async def test_moderator_gets_this_servers_report_as_a_private_file(standin, running, moderator,
                                                                    mention) -> None:
    async with running() as bot:
        for _ in range(2):
            await standin.send_message(f"{mention} who sent the cable?")
            await standin.wait_for("message")
        now = datetime.now(UTC).replace(microsecond=0)
        stored(bot).write([QuestionRecord(n, now.isoformat(), "mention", 987654321, 1, ELSEWHERE,
                                          "not_covered", None, 0.0) for n in (1, 2)])
        first = await standin.invoke("kb report", user=moderator)
        assert first.response_type == 5 and first.ephemeral  # "thinking…", before any I/O
        done = await outcome(standin, first)
    assert done.ephemeral
    [attached] = done.files
    assert attached.filename in {f"report-{day:%Y-%m-%d}.html"  # midnight may have passed
                                 for day in (now, datetime.now(UTC))}
    tree = parse(attached.data.decode("utf-8"))
    assert "2 questions" in tree.by_id("summary").text  # this server's only
    assert "this server only" in tree.by_id("made").text
    assert ELSEWHERE not in tree.text
    [row] = tree.by_id("most-asked").rows()
    assert "cable-sender" in row[0] and row[1] == "2"
    assert tree.by_id("s-5-0").attrs["data-answered"] == "2"


async def test_days_are_a_choice(standin, running, moderator) -> None:
    async with running():
        done = await outcome(standin, await standin.invoke("kb report", {"days": 3},
                                                           user=moderator))
    [attached] = done.files
    assert "(3 days, UTC)" in parse(attached.data.decode("utf-8")).by_id("made").text


async def test_others_are_refused(standin, running) -> None:
    async with running():
        refused = await standin.invoke("kb report")
        assert refused.ephemeral and not refused.files
        assert "Only moderators" in refused.embeds[0]["description"]


async def test_a_page_too_large_for_discord_is_not_sent(standin, running, moderator,
                                                        monkeypatch) -> None:
    # The extension is loaded (and imports ``build``) when the bot starts.
    monkeypatch.setattr(report, "build", lambda *_: "x" * (moderation.MAX_ATTACHMENT_BYTES + 1))
    async with running():
        done = await outcome(standin, await standin.invoke("kb report", user=moderator))
    assert done.ephemeral and not done.files
    assert "python -m bot report" in done.embeds[0]["description"]
