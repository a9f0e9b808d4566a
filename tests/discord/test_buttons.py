"""Buttons under replies: did-you-mean and related questions, 👍/👎, and that they keep working
after the bot restarts (their state lives in the custom_id)."""

from __future__ import annotations

from pathlib import Path

from bot.core.service import Editor
from tests.discord.conftest import answer_log_id, pings_nobody, stored
from tests.standin.server import Record, StandinDiscord


async def _ask(standin: StandinDiscord, mention: str, question: str) -> Record:
    await standin.send_message(f"{mention} {question}")
    return await standin.wait_for("message")


# --------------------------------------------------------------------------- questions


async def test_did_you_mean_click_answers_the_clicker_privately(
        standin: StandinDiscord, running, mention: str) -> None:
    bob = standin.add_user("bob")
    async with running():
        unsure = await _ask(standin, mention, "cambodia sides")
        assert "qa:show:thailand" in unsure.custom_ids
        response = await standin.click(unsure, "qa:show:thailand", user=bob)
        await standin.assert_silent(kinds=("message", "edit"))  # nothing public, no edit
    assert response.response_type == 4 and response.ephemeral
    embed = response.embeds[0]
    assert embed["title"] == "What role did Thailand play?"
    assert "supporters throughout the 1980s" in embed["description"]
    assert embed["fields"][0]["name"] == "Source"
    assert any(i.startswith("qa:vote:up:") for i in response.custom_ids)


async def test_related_question_click_answers_privately(standin: StandinDiscord, running,
                                                        mention: str) -> None:
    async with running() as bot:
        answer = await _ask(standin, mention, "who sent the cable?")
        assert "qa:show:eagleburger" in answer.custom_ids
        response = await standin.click(answer, "qa:show:eagleburger")
        expected = bot.service.entry("eagleburger").answer
    assert response.response_type == 4 and response.ephemeral
    assert response.embeds[0]["title"] == "Who was Lawrence Eagleburger?"
    assert response.embeds[0]["description"] == expected
    assert pings_nobody(response)


async def test_button_of_a_removed_entry_says_so_privately(standin: StandinDiscord, running,
                                                           mention: str) -> None:
    async with running() as bot:
        answer = await _ask(standin, mention, "who sent the cable?")
        bot.service.remove("eagleburger", None, Editor("a test"))
        response = await standin.click(answer, "qa:show:eagleburger")
    assert response.response_type == 4 and response.ephemeral
    assert "There is no entry 'eagleburger'" in response.embeds[0]["description"]


# --------------------------------------------------------------------------- votes


async def test_thumbs_up_is_recorded(standin: StandinDiscord, running, mention: str) -> None:
    async with running() as bot:
        answer = await _ask(standin, mention, "who sent the cable?")
        log_id = answer_log_id(answer)
        response = await standin.click(answer, f"qa:vote:up:{log_id}")
        votes = stored(bot).votes_for(log_id)
    assert votes == (1, 0)
    assert response.response_type == 4 and response.ephemeral
    assert response.embeds[0]["description"].startswith("Thanks, your 👍 is recorded")


async def test_second_click_by_the_same_person_changes_the_vote(
        standin: StandinDiscord, running, mention: str) -> None:
    async with running() as bot:
        answer = await _ask(standin, mention, "who sent the cable?")
        log_id = answer_log_id(answer)
        await standin.click(answer, f"qa:vote:up:{log_id}")
        await standin.click(answer, f"qa:vote:up:{log_id}")
        assert stored(bot).votes_for(log_id) == (1, 0)  # the same vote twice counts once
        await standin.click(answer, f"qa:vote:down:{log_id}")
        assert stored(bot).votes_for(log_id) == (0, 1)


async def test_another_person_adds_a_vote(standin: StandinDiscord, running,
                                          mention: str) -> None:
    bob = standin.add_user("bob")
    async with running() as bot:
        answer = await _ask(standin, mention, "who sent the cable?")
        log_id = answer_log_id(answer)
        await standin.click(answer, f"qa:vote:down:{log_id}")
        await standin.click(answer, f"qa:vote:up:{log_id}", user=bob)
        assert stored(bot).votes_for(log_id) == (1, 1)


async def test_one_vote_per_person_per_entry(standin: StandinDiscord, running,
                                             mention: str) -> None:
    """Asking again and voting 👎 on each answer does not pile up 👎 on the entry."""
    async with running() as bot:
        answers = [await _ask(standin, mention, "who sent the cable?") for _ in range(5)]
        assert len({answer_log_id(a) for a in answers}) == 5
        for answer in answers:
            await standin.click(answer, f"qa:vote:down:{answer_log_id(answer)}")
        stats = stored(bot).stats(int(standin.guild["id"]))
        assert stored(bot).votes_for(answer_log_id(answers[-1])) == (0, 1)  # the last counts
    assert stats.downvoted == [("cable-sender", 1, 0)]


async def test_unsure_replies_have_no_vote_buttons(standin: StandinDiscord, running,
                                                   mention: str) -> None:
    async with running():
        unsure = await _ask(standin, mention, "cambodia sides")
    assert unsure.custom_ids
    assert not any(i.startswith("qa:vote:") for i in unsure.custom_ids)


# --------------------------------------------------------------------------- restarts


async def test_buttons_work_after_a_restart(standin: StandinDiscord, running,
                                            mention: str) -> None:
    async with running() as first_bot:
        answer = await _ask(standin, mention, "who sent the cable?")
        log_id = answer_log_id(answer)
    assert first_bot.is_closed()
    async with running() as second_bot:
        assert second_bot is not first_bot
        vote = await standin.click(answer, f"qa:vote:up:{log_id}")
        assert stored(second_bot).votes_for(log_id) == (1, 0)
        related = await standin.click(answer, "qa:show:eagleburger")
    assert vote.response_type == 4 and vote.ephemeral
    assert vote.embeds[0]["description"].startswith("Thanks, your 👍 is recorded")
    assert related.ephemeral and related.embeds[0]["title"] == "Who was Lawrence Eagleburger?"


async def test_topics_pages_turn_after_a_restart(standin: StandinDiscord, running) -> None:
    async with running():
        topics = await standin.invoke("topics")
    async with running():
        turned = await standin.click(topics, f"qa:topics:1:{standin.user['id']}")
    assert turned.response_type == 7
    stored = standin.messages[topics.message_id or ""]
    assert stored["embeds"][0]["footer"]["text"].startswith("Page 2 of")


async def test_vote_on_an_answer_the_store_does_not_know(standin: StandinDiscord, running,
                                                         mention: str, tmp_path: Path) -> None:
    """The click is thanked at once (no database before the reply); the log, which does not
    hold that answer (pruned, or another data folder), drops the vote."""
    async with running():
        answer = await _ask(standin, mention, "who sent the cable?")
    async with running(data_dir=tmp_path / "a-new-data-dir") as bot:
        response = await standin.click(answer, f"qa:vote:up:{answer_log_id(answer)}")
        assert stored(bot).votes_for(answer_log_id(answer)) == (0, 0)
        assert stored(bot).stats().downvoted == []
    assert response.ephemeral
    assert response.embeds[0]["description"].startswith("Thanks, your 👍 is recorded")
