"""Questions asked in chat: mentions, Q&A channels, DMs; who is ignored; limits and cooldown."""

from __future__ import annotations

import pytest

from bot.core import render
from bot.exts.chat import TOO_LONG
from tests.discord.conftest import pings_nobody, referenced_id, stored
from tests.standin import payloads as p
from tests.standin.server import StandinDiscord

# --------------------------------------------------------------------------- mentions


async def test_mention_is_answered_with_the_cited_answer(standin: StandinDiscord, running,
                                                         mention: str) -> None:
    async with running() as bot:
        await standin.send_message(f"{mention} who sent the cable?")
        reply = await standin.wait_for("message")
        entry = bot.service.entry("cable-sender")
    [embed] = reply.embeds
    assert embed["title"] == entry.question == "Who sent the cable?"
    assert embed["description"] == entry.answer
    [citation] = entry.citations
    assert citation.paragraph == 5
    [source] = embed["fields"]
    assert source["name"] == "Source"
    assert source["value"] == (
        f"> {citation.quote}\n— paragraph 5 of “Leaked cable shows US sought China refuge for "
        "Pol Pot” (September 5, 2011)")
    assert embed["footer"]["text"].startswith("Confidence 100%")


async def test_mention_reply_refers_to_the_question(standin: StandinDiscord, running,
                                                    mention: str) -> None:
    async with running():
        question = await standin.send_message(f"{mention} who sent the cable?")
        reply = await standin.wait_for("message")
    assert referenced_id(reply) == question["id"]
    assert reply.channel_id == standin.channel["id"]
    assert standin.messages[reply.message_id or ""]["message_reference"]["message_id"] == \
        question["id"]


async def test_mention_reply_pings_nobody(standin: StandinDiscord, running,
                                          mention: str) -> None:
    async with running():
        await standin.send_message(f"{mention} who sent the cable?")
        reply = await standin.wait_for("message")
    assert reply.allowed_mentions == {"parse": [], "replied_user": False}
    assert pings_nobody(reply)


@pytest.mark.parametrize(("form", "asked"), [
    ("<@{id}> {q}", "{q}"),
    ("<@!{id}> {q}", "{q}"),  # the nickname form of a mention
    ("so, {q} <@{id}>", "so, {q}"),
])
async def test_the_mention_is_removed_from_the_question(standin: StandinDiscord, running,
                                                        form: str, asked: str) -> None:
    bot_id = standin.bot_user["id"]
    async with running():
        await standin.send_message(form.format(id=bot_id, q="who won the world cup?"))
        not_covered = await standin.wait_for("message")
        await standin.send_message(form.format(id=bot_id, q="who sent the cable?"))
        answered = await standin.wait_for("message")
    # A question the article does not cover is echoed as the title: without the mention.
    assert not_covered.embeds[0]["title"] == asked.format(q="who won the world cup?")
    # A known one matches as if the mention were not there.
    assert answered.embeds[0]["title"] == "Who sent the cable?"
    assert answered.embeds[0]["footer"]["text"].startswith("Confidence 100%")


async def test_a_mention_of_the_bots_own_role_counts_as_a_mention(standin: StandinDiscord,
                                                                  running) -> None:
    bot_role = next(r for r in standin.guild["roles"] if r["managed"])
    async with running() as bot:
        guild = bot.get_guild(int(standin.guild["id"]))
        assert guild is not None and guild.self_role is not None
        await standin.send_message(f"<@&{bot_role['id']}> who won the world cup?")
        not_covered = await standin.wait_for("message")
        await standin.send_message(f"<@&{bot_role['id']}> who sent the cable?")
        answered = await standin.wait_for("message")
    assert not_covered.embeds[0]["title"] == "who won the world cup?"
    assert answered.embeds[0]["footer"]["text"].startswith("Confidence 100%")
    assert pings_nobody(answered)


async def test_a_mention_of_another_role_is_not_a_mention_of_the_bot(
        standin: StandinDiscord, running) -> None:
    readers = standin.add_role("readers")
    async with running():
        await standin.send_message(f"<@&{readers['id']}> who sent the cable?")
        await standin.assert_silent()


async def test_a_mention_alone_gets_the_usage_hint(standin: StandinDiscord, running,
                                                   mention: str) -> None:
    async with running():
        await standin.send_message(mention)
        reply = await standin.wait_for("message")
    assert reply.embeds[0]["description"] == render.EMPTY
    assert reply.components == []


async def test_without_a_mention_outside_qa_channels_nothing_happens(
        standin: StandinDiscord, running) -> None:
    async with running() as bot:
        await standin.send_message("who sent the cable?")
        await standin.assert_silent()
        assert stored(bot).stats().questions == 0


# --------------------------------------------------------------------------- Q&A channels


async def test_qa_channel_answers_without_a_mention(standin: StandinDiscord, running,
                                                    qa_channel: dict) -> None:
    async with running(**qa_channel):
        question = await standin.send_message("who sent the cable?")
        reply = await standin.wait_for("message")
    assert reply.embeds[0]["title"] == "Who sent the cable?"
    assert referenced_id(reply) == question["id"]
    assert pings_nobody(reply)


def _add_thread(standin: StandinDiscord, parent: dict) -> dict:
    """A public thread in ``parent``, known to the stand-in (channels) and to discord.py
    (GUILD_CREATE's threads); call before the bot connects."""
    thread = {
        "id": p.snowflake(), "type": 11, "guild_id": standin.guild["id"],
        "parent_id": parent["id"], "owner_id": standin.user["id"], "name": "a thread",
        "last_message_id": None, "rate_limit_per_user": 0, "message_count": 0,
        "member_count": 1, "flags": 0,
        "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                            "archive_timestamp": p.now_iso(), "locked": False},
    }
    standin.guild["channels"].append(thread)  # discord.py skips threads in this list
    standin.guild["threads"].append(thread)
    return thread


async def test_qa_channel_threads_are_answered_without_a_mention(
        standin: StandinDiscord, running, qa_channel: dict) -> None:
    thread = _add_thread(standin, standin.channel)
    async with running(**qa_channel) as bot:
        assert bot.get_channel(int(thread["id"])) is not None
        question = await standin.send_message("who sent the cable?", channel=thread)
        reply = await standin.wait_for("message")
    assert reply.channel_id == thread["id"]
    assert referenced_id(reply) == question["id"]
    assert reply.embeds[0]["title"] == "Who sent the cable?"


async def test_qa_channel_stays_quiet_when_unsure_and_logs_it(
        standin: StandinDiscord, running, qa_channel: dict) -> None:
    vague = "cambodia sides"
    async with running(**qa_channel) as bot:
        await standin.send_message(vague)
        await standin.assert_silent()
        unanswered = stored(bot).unanswered(int(standin.guild["id"]))
    assert [(u.question, u.times) for u in unanswered] == [(vague, 1)]


async def test_without_message_content_intent_only_mentions_are_answered(
        standin: StandinDiscord, running, qa_channel: dict, mention: str) -> None:
    async with running(message_content_intent=False, **qa_channel) as bot:
        assert not bot.intents.message_content
        await standin.send_message("who sent the cable?")  # blanked by "Discord"
        await standin.assert_silent()
        await standin.send_message(f"{mention} who sent the cable?")
        reply = await standin.wait_for("message")
    assert reply.embeds[0]["title"] == "Who sent the cable?"


# --------------------------------------------------------------------------- off-topic, DMs


@pytest.mark.parametrize("route", ["mention", "dm"])
async def test_off_topic_question_gets_the_article_does_not_cover_it(
        standin: StandinDiscord, running, mention: str, route: str) -> None:
    async with running():
        if route == "dm":
            await standin.send_dm("who won the world cup?")
        else:
            await standin.send_message(f"{mention} who won the world cup?")
        reply = await standin.wait_for("message")
    assert reply.embeds[0]["description"] == render.NOT_COVERED
    assert reply.components == []  # nothing close to offer, and no votes on a non-answer
    assert pings_nobody(reply)


@pytest.mark.parametrize("route", ["mention", "dm"])
async def test_unsure_question_offers_did_you_mean_buttons(standin: StandinDiscord, running,
                                                           mention: str, route: str) -> None:
    question = "cambodia sides"
    async with running() as bot:
        if route == "dm":
            await standin.send_dm(question)
        else:
            await standin.send_message(f"{mention} {question}")
        reply = await standin.wait_for("message")
        suggestions = bot.service.answer(question).suggestions
    assert suggestions, "the question should be one the bot is unsure of"
    embed = reply.embeds[0]
    assert embed["description"].startswith(render.DID_YOU_MEAN)
    assert f"**1.** {suggestions[0].question}" in embed["description"]
    assert reply.custom_ids == [f"qa:show:{s.entry_id}" for s in suggestions]
    labels = [c["label"] for c in p.walk_components(reply.components) if c.get("type") == 2]
    assert labels[0] == suggestions[0].question


async def test_dm_is_answered_in_the_dm(standin: StandinDiscord, running) -> None:
    async with running():
        question = await standin.send_dm("who sent the cable?")
        reply = await standin.wait_for("message")
    assert reply.channel_id == standin.dm_channel(standin.user)["id"]
    assert reply.embeds[0]["title"] == "Who sent the cable?"
    assert referenced_id(reply) == question["id"]
    assert pings_nobody(reply)


# --------------------------------------------------------------------------- who is ignored


async def test_messages_from_other_bots_are_ignored(standin: StandinDiscord, running,
                                                    qa_channel: dict, mention: str) -> None:
    robot = standin.add_user("robot", bot=True)
    async with running(**qa_channel) as bot:
        await standin.send_message("who sent the cable?", author=robot)
        await standin.send_message(f"{mention} who sent the cable?", author=robot)
        await standin.send_dm("who sent the cable?", author=robot)
        await standin.assert_silent()
        assert stored(bot).stats().questions == 0


async def test_the_bots_own_messages_are_ignored(standin: StandinDiscord, running,
                                                 qa_channel: dict, mention: str) -> None:
    async with running(**qa_channel) as bot:
        await standin.send_message(f"{mention} who sent the cable?", author=standin.bot_user)
        await standin.assert_silent()
        assert stored(bot).stats().questions == 0


async def test_webhook_messages_are_ignored(standin: StandinDiscord, running,
                                            qa_channel: dict) -> None:
    async with running(**qa_channel) as bot:
        data = p.message(channel_id=standin.channel["id"], guild_id=standin.guild["id"],
                         author=p.user("hook"), content="who sent the cable?",
                         webhook_id=p.snowflake())
        await standin.dispatch("MESSAGE_CREATE", data)
        await standin.assert_silent()
        assert stored(bot).stats().questions == 0


# --------------------------------------------------------------------------- @everyone


async def test_everyone_in_a_qa_channel_is_answered_pinging_nobody(
        standin: StandinDiscord, running, qa_channel: dict) -> None:
    async with running(**qa_channel):
        # The owner may mention everyone, so "Discord" flags this message mention_everyone.
        question = await standin.send_message("@everyone who sent the cable",
                                              author=standin.owner)
        assert question["mention_everyone"]
        reply = await standin.wait_for("message")
    assert reply.embeds[0]["title"] == "Who sent the cable?"
    assert reply.allowed_mentions == {"parse": [], "replied_user": False}


async def test_everyone_with_a_mention_is_answered_pinging_nobody(
        standin: StandinDiscord, running, mention: str) -> None:
    async with running():
        await standin.send_message(f"{mention} @everyone who sent the cable",
                                   author=standin.owner)
        reply = await standin.wait_for("message")
    assert reply.embeds[0]["title"] == "Who sent the cable?"
    assert reply.embeds[0]["footer"]["text"].startswith("Confidence 100%")
    assert pings_nobody(reply)


async def test_everyone_alone_is_not_a_mention_of_the_bot(standin: StandinDiscord,
                                                          running) -> None:
    async with running():
        question = await standin.send_message("@everyone who sent the cable",
                                              author=standin.owner)
        assert question["mention_everyone"]
        await standin.send_message("@here who sent the cable", author=standin.owner)
        await standin.assert_silent()


# --------------------------------------------------------------------------- limits


async def test_too_long_question_gets_a_short_note_and_is_not_matched(
        standin: StandinDiscord, running, mention: str) -> None:
    long_question = "who sent the cable? " * 30
    assert len(long_question) > 500
    async with running() as bot:
        await standin.send_message(f"{mention} {long_question}")
        reply = await standin.wait_for("message")
        assert stored(bot).stats().questions == 0  # never matched nor logged
    assert reply.embeds[0]["description"] == TOO_LONG
    assert reply.components == []
    assert pings_nobody(reply)


async def test_long_unknown_question_is_cut_to_fit_the_embed(standin: StandinDiscord,
                                                             running, mention: str) -> None:
    question = "what did the weather forecast say about " + "rain and wind " * 32
    assert 256 < len(question) <= 500
    async with running():
        await standin.send_message(f"{mention} {question}")
        reply = await standin.wait_for("message")  # a refused (400) reply would time out
    title = reply.embeds[0]["title"]
    assert 200 < len(title) <= 256 and title.endswith("…")
    assert question.startswith(title[:-1])


async def test_third_quick_question_gets_a_slow_down_note(standin: StandinDiscord, running,
                                                          mention: str) -> None:
    async with running(cooldown_questions=2, cooldown_seconds=60):
        for _ in range(2):
            await standin.send_message(f"{mention} who sent the cable?")
            assert (await standin.wait_for("message")).embeds[0]["title"] == \
                "Who sent the cable?"
        third = await standin.send_message(f"{mention} who sent the cable?")
        note = await standin.wait_for("message")
    assert note.embeds[0]["description"].startswith("You're asking quickly: give me ")
    assert "title" not in note.embeds[0]
    assert note.components == []
    assert referenced_id(note) == third["id"]
    assert pings_nobody(note)


async def test_cooldown_is_per_person(standin: StandinDiscord, running, mention: str) -> None:
    bob = standin.add_user("bob")
    async with running(cooldown_questions=2, cooldown_seconds=60):
        for _ in range(3):
            await standin.send_message(f"{mention} who sent the cable?")
            await standin.wait_for("message")
        await standin.send_message(f"{mention} who sent the cable?", author=bob)
        bobs = await standin.wait_for("message")
    assert bobs.embeds[0]["title"] == "Who sent the cable?"


async def test_cooldown_is_silent_in_a_qa_channel(standin: StandinDiscord, running,
                                                  qa_channel: dict) -> None:
    async with running(cooldown_questions=2, cooldown_seconds=60, **qa_channel):
        for _ in range(2):
            await standin.send_message("who sent the cable?")
            await standin.wait_for("message")
        await standin.send_message("who sent the cable?")
        await standin.assert_silent()


async def test_a_flood_gets_one_slow_down_note(standin: StandinDiscord, running,
                                               mention: str) -> None:
    async with running(cooldown_questions=2, cooldown_seconds=60):
        for _ in range(2):
            await standin.send_message(f"{mention} who sent the cable?")
            await standin.wait_for("message")
        for _ in range(5):
            await standin.send_message(f"{mention} who sent the cable?")
        note = await standin.wait_for("message")
        await standin.assert_silent()
    assert note.embeds[0]["description"].startswith("You're asking quickly")
