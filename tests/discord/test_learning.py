"""The bot learns from the people asking: what they pick, 👍 and rephrase becomes suggested
phrasings that moderators accept in a click; 👎 marks a doubtful answer."""

from __future__ import annotations

import pytest
import yaml

from bot.core.knowledge import KNOWLEDGE_FILE
from tests.discord.conftest import answer_log_id, outcome, stored
from tests.standin import payloads as p
from tests.standin.server import StandinDiscord

VAGUE = "cambodia sides"


@pytest.fixture
def moderator(standin: StandinDiscord) -> dict:
    admins = standin.add_role("admins", permissions=p.MANAGE_GUILD)
    return standin.add_user("modone", roles=[admins])


def alternates_on_disk(knowledge_dir, entry_id: str) -> list[str]:
    entries = yaml.safe_load((knowledge_dir / KNOWLEDGE_FILE).read_text())["entries"]
    return next(e for e in entries if e["id"] == entry_id)["alternates"]


async def suggestions(standin: StandinDiscord, moderator: dict):
    return await outcome(standin, await standin.invoke("kb suggestions", user=moderator))


async def test_a_did_you_mean_click_becomes_a_suggestion_and_accepting_it_answers(
        standin, running, moderator, mention, knowledge_dir) -> None:
    async with running() as bot:
        await standin.send_message(f"{mention} {VAGUE}")
        unsure = await standin.wait_for("message")
        assert "qa:show:thailand" in unsure.custom_ids
        await standin.click(unsure, "qa:show:thailand")
        stored(bot)
        listing = await suggestions(standin, moderator)
        assert VAGUE in listing.embeds[0]["description"]
        assert "`thailand`" in listing.embeds[0]["description"]
        select, accept, _ = listing.custom_ids
        [option] = [o["value"] for row in listing.components for c in row["components"]
                    if c.get("custom_id") == select for o in c["options"]]
        await standin.select(listing, select, [option], user=moderator)
        done = await outcome(standin, await standin.click(listing, accept, user=moderator))
        assert f"“{VAGUE}” → `thailand`" in done.embeds[0]["description"]
        answer = bot.service.answer(VAGUE)
        again = await suggestions(standin, moderator)
    assert VAGUE in alternates_on_disk(knowledge_dir, "thailand")
    assert answer.answered and answer.entry.id == "thailand"
    assert "No suggestions waiting" in again.embeds[0]["description"]


async def test_thumbs_up_suggests_and_thumbs_down_doubts(standin, running, moderator,
                                                         mention) -> None:
    bob = standin.add_user("bob")
    async with running() as bot:
        question = "cable was put out by who exactly zq"
        await standin.send_message(f"{mention} who published the leaked cable?")
        plain = await standin.wait_for("message")
        await standin.send_message(f"{mention} {question}")
        reply = await standin.wait_for("message")
        assert reply.embeds[0]["title"] == "Who published the leaked cable?"
        await standin.click(reply, f"qa:vote:up:{answer_log_id(reply)}")
        await standin.click(plain, f"qa:vote:down:{answer_log_id(plain)}", user=bob)
        stored(bot)
        listing = await suggestions(standin, moderator)
    text = listing.embeds[0]["description"]
    assert question in text  # not yet a phrasing: suggested
    assert "who published the leaked cable?" not in text  # already a phrasing: not suggested
    doubtful = listing.embeds[0]["fields"][0]
    assert "who published the leaked cable?" in doubtful["value"]


async def test_a_rephrasing_after_a_refusal_is_suggested(standin, running, moderator,
                                                        mention) -> None:
    async with running() as bot:
        await standin.send_message(f"{mention} which diplomat drafted the beijing telex")
        await standin.wait_for("message")
        await standin.send_message(f"{mention} who sent the cable?")
        await standin.wait_for("message")
        stored(bot)
        listing = await suggestions(standin, moderator)
    assert "which diplomat drafted the beijing telex" in listing.embeds[0]["description"]
    assert "`cable-sender`" in listing.embeds[0]["description"]


async def test_rejected_suggestions_are_never_shown_again(standin, running, moderator,
                                                          mention) -> None:
    async with running() as bot:
        await standin.send_message(f"{mention} {VAGUE}")
        unsure = await standin.wait_for("message")
        await standin.click(unsure, unsure.custom_ids[0])
        stored(bot)
        listing = await suggestions(standin, moderator)
        select, _, reject = listing.custom_ids
        [option] = [o["value"] for row in listing.components for c in row["components"]
                    if c.get("custom_id") == select for o in c["options"]]
        await standin.select(listing, select, [option], user=moderator)
        await outcome(standin, await standin.click(listing, reject, user=moderator))
        await standin.send_message(f"{mention} {VAGUE}")  # clicked again by someone
        unsure = await standin.wait_for("message")
        await standin.click(unsure, unsure.custom_ids[0])
        stored(bot)
        again = await suggestions(standin, moderator)
    assert "No suggestions waiting" in again.embeds[0]["description"]


async def test_non_moderators_see_no_suggestions(standin, running) -> None:
    async with running():
        refused = await standin.invoke("kb suggestions")
    assert refused.ephemeral and "Only moderators" in refused.embeds[0]["description"]


async def test_unanswered_questions_asked_alike_are_attached_together(
        standin, running, moderator, knowledge_dir) -> None:
    qa = standin.add_text_channel("questions")
    alike = ["which diplomat drafted the beijing telex",
             "which diplomat drafted the beijing telex?!",
             "Which diplomat drafted the Beijing telex"]
    async with running(qa_channel_ids=frozenset({int(qa["id"])})) as bot:
        for question in alike:
            await standin.send_message(question, channel=qa)
        await standin.wait_until(lambda: stored(bot).unanswered(int(standin.guild["id"])))
        listing = await outcome(standin, await standin.invoke("kb unanswered", user=moderator))
        question_select, entry_select = listing.custom_ids
        await standin.select(listing, question_select, ["0"], user=moderator)
        await outcome(standin, await standin.select(listing, entry_select, ["cable-sender"],
                                                    user=moderator))
    assert "**3×** which diplomat drafted the beijing telex" in listing.embeds[0]["description"]
    assert "which diplomat drafted the beijing telex" in alternates_on_disk(knowledge_dir,
                                                                          "cable-sender")
