"""Slash-command lookups (/ask with autocomplete, /topics, /source, /article) and the
"Answer with the article" message command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.core import render
from tests.discord.conftest import pings_nobody, referenced_id, stored
from tests.standin.server import StandinDiscord

MENU = "Answer with the article"


def _description_lines(record) -> list[str]:
    return record.embeds[0]["description"].splitlines()


# --------------------------------------------------------------------------- /ask


async def test_ask_answers_publicly_by_default(standin: StandinDiscord, running) -> None:
    async with running():
        response = await standin.invoke("ask", {"question": "who sent the cable?"})
    assert response.response_type == 4
    assert not response.ephemeral
    embed = response.embeds[0]
    assert embed["title"] == "Who sent the cable?"
    assert embed["fields"][0]["name"] == "Source"
    assert "qa:vote:up:" in " ".join(response.custom_ids)
    assert pings_nobody(response)


async def test_ask_private_answers_only_the_asker(standin: StandinDiscord, running) -> None:
    async with running():
        response = await standin.invoke("ask", {"question": "who sent the cable?",
                                                "private": True})
    assert response.response_type == 4
    assert response.ephemeral
    assert response.embeds[0]["title"] == "Who sent the cable?"


async def test_ask_over_500_characters_is_refused_privately(standin: StandinDiscord,
                                                            running) -> None:
    async with running() as bot:
        response = await standin.invoke("ask", {"question": "who sent the cable? " * 30})
        assert stored(bot).stats().questions == 0
    assert response.response_type == 4
    assert response.ephemeral
    assert response.embeds[0]["description"] == "Please ask in under 500 characters."


async def test_autocomplete_matches_what_is_typed(standin: StandinDiscord, running) -> None:
    async with running():
        response = await standin.autocomplete("ask", {"question": "eagleburger"},
                                              focused="question")
    assert response.response_type == 8
    names = [c["name"] for c in response.choices]
    assert names[0] == "Who was Lawrence Eagleburger?"
    assert "Who sent the cable?" in names[:3]
    assert all(c["name"] == c["value"] for c in response.choices)


async def test_autocomplete_when_empty_lists_questions_in_file_order(
        standin: StandinDiscord, running) -> None:
    async with running() as bot:
        response = await standin.autocomplete("ask", {"question": ""}, focused="question")
        first = [e.question for e in bot.service.kb.entries[:25]]
    assert response.response_type == 8
    assert [c["name"] for c in response.choices] == first


async def test_autocomplete_when_empty_puts_popular_questions_first(
        standin: StandinDiscord, running) -> None:
    async with running():
        for _ in range(2):
            await standin.invoke("ask", {"question": "who was lawrence eagleburger"})
        await standin.invoke("ask", {"question": "where did pol pot die"})
        response = await standin.autocomplete("ask", {"question": ""}, focused="question")
    names = [c["name"] for c in response.choices]
    assert names[:2] == ["Who was Lawrence Eagleburger?", "When and where did Pol Pot die?"]
    assert len(names) == 25 and len(set(names)) == 25


async def test_autocomplete_never_offers_more_than_25(standin: StandinDiscord,
                                                      running) -> None:
    async with running() as bot:
        assert len(bot.service.kb.entries) > 25
        for typed in ("e", "w", "pol", "the"):
            response = await standin.autocomplete("ask", {"question": typed},
                                                  focused="question")
            assert response.response_type == 8, response.errors
            assert 1 <= len(response.choices) <= 25


async def test_autocomplete_answers_even_when_it_fails(standin: StandinDiscord, running,
                                                      caplog: pytest.LogCaptureFixture,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> list[str]:
        raise RuntimeError("something broke")

    async with running():
        # The extension as loaded by the bot (discord.py loads its own module object).
        monkeypatch.setattr(sys.modules["bot.exts.lookup"], "autocomplete", broken)
        response = await standin.autocomplete("ask", {"question": "who"}, focused="question")
    assert response.response_type == 8 and response.choices == []
    assert any(r.getMessage().startswith("Autocomplete failed") for r in caplog.records)


LONG_QUESTION = ("What exactly did the September 1989 cable from the office of the deputy "
                 "secretary of state Lawrence Eagleburger ask the government in Beijing to do "
                 "about the senior Khmer Rouge leaders?")


def _add_long_entry(knowledge_dir: Path) -> None:
    with (knowledge_dir / "qa.yaml").open("a", encoding="utf-8") as f:
        f.write(f"""
  - id: long-question
    question: {LONG_QUESTION}
    answer: To encourage the unacceptable Khmer Rouge leaders to relocate to China.
    citations:
      - paragraph: 4
        quote: "It would be helpful to efforts to find a solution to this conflict if your
          government would strongly encourage these unacceptable Khmer Rouge leaders to
          relocate to China,"
""")


async def test_autocomplete_choices_fit_in_100_characters(standin: StandinDiscord, running,
                                                          knowledge_dir: Path) -> None:
    _add_long_entry(knowledge_dir)
    assert len(LONG_QUESTION) > 100
    async with running() as bot:
        assert bot.service.kb.get("long-question") is not None
        response = await standin.autocomplete("ask", {"question": "deputy secretary beijing"},
                                              focused="question")
        assert response.response_type == 8, response.errors
        long_choice = next(c for c in response.choices if c["name"].startswith("What exactly"))
        for choice in response.choices:
            assert 1 <= len(choice["name"]) <= 100 and 1 <= len(choice["value"]) <= 100
        assert long_choice["name"].endswith("…")
        # The cut-down value still finds the entry when the command runs.
        answer = await standin.invoke("ask", {"question": long_choice["value"]})
    assert answer.embeds[0]["title"] == LONG_QUESTION


# --------------------------------------------------------------------------- /topics


def _topics(bot) -> list[str]:
    """The questions /topics lists: every entry but those saying what the article lacks."""
    return [e.question for e in bot.service.kb.entries if not e.partial]


def _pages(bot) -> int:
    return -(-len(_topics(bot)) // 10)


async def test_topics_first_page_has_ten_questions_and_next(standin: StandinDiscord,
                                                            running) -> None:
    async with running() as bot:
        response = await standin.invoke("topics")
        questions, pages = _topics(bot)[:10], _pages(bot)
    assert response.response_type == 4 and not response.ephemeral
    assert _description_lines(response) == [f"**{n}.** {q}"
                                            for n, q in enumerate(questions, start=1)]
    assert response.embeds[0]["footer"]["text"].startswith(f"Page 1 of {pages}")
    assert response.custom_ids == [f"qa:topics:1:{standin.user['id']}"]
    assert pings_nobody(response)


async def test_topics_next_by_the_invoker_edits_the_message(standin: StandinDiscord,
                                                            running) -> None:
    async with running() as bot:
        first = await standin.invoke("topics")
        second = await standin.click(first, f"qa:topics:1:{standin.user['id']}")
        questions, pages = _topics(bot)[10:20], _pages(bot)
    assert second.response_type == 7
    assert second.message_id == first.message_id
    stored = standin.messages[first.message_id or ""]
    assert stored["embeds"][0]["footer"]["text"].startswith(f"Page 2 of {pages}")
    assert stored["embeds"][0]["description"].splitlines()[0] == f"**11.** {questions[0]}"
    assert [c["custom_id"] for c in stored["components"][0]["components"]] == [
        f"qa:topics:0:{standin.user['id']}", f"qa:topics:2:{standin.user['id']}"]


async def test_topics_next_by_someone_else_sends_a_private_copy(standin: StandinDiscord,
                                                                running) -> None:
    bob = standin.add_user("bob")
    async with running() as bot:
        first = await standin.invoke("topics")
        copy = await standin.click(first, f"qa:topics:1:{standin.user['id']}", user=bob)
        pages = _pages(bot)
    assert copy.response_type == 4 and copy.ephemeral
    assert copy.embeds[0]["footer"]["text"].startswith(f"Page 2 of {pages}")
    assert copy.custom_ids == [f"qa:topics:0:{bob['id']}", f"qa:topics:2:{bob['id']}"]
    # alice's message still shows page 1.
    stored = standin.messages[first.message_id or ""]
    assert stored["embeds"][0]["footer"]["text"].startswith(f"Page 1 of {pages}")


async def test_topics_last_page_has_no_next(standin: StandinDiscord, running) -> None:
    owner = standin.user["id"]
    async with running() as bot:
        pages = _pages(bot)
        message = await standin.invoke("topics")
        for page in range(1, pages):
            await standin.click(message, f"qa:topics:{page}:{owner}")
        last = _topics(bot)[(pages - 1) * 10:]
    stored = standin.messages[message.message_id or ""]
    assert stored["embeds"][0]["footer"]["text"].startswith(f"Page {pages} of {pages}")
    assert stored["embeds"][0]["description"].splitlines() == [
        f"**{n}.** {q}" for n, q in enumerate(last, start=(pages - 1) * 10 + 1)]
    ids = [c["custom_id"] for row in stored["components"] for c in row["components"]]
    assert ids == [f"qa:topics:{pages - 2}:{owner}"]  # "◀ Previous" only


# --------------------------------------------------------------------------- /source, /article


async def test_source_quotes_the_paragraph(standin: StandinDiscord, running) -> None:
    async with running():
        response = await standin.invoke("source", {"paragraph": 5})
    assert response.response_type == 4 and not response.ephemeral
    embed = response.embeds[0]
    assert embed["title"] == "Paragraph 5 of 12"
    assert embed["description"] == ("> The September 1989 cable came from the office of then "
                                    "deputy secretary of state Lawrence Eagleburger.")
    assert "Leaked cable shows US sought China refuge for Pol Pot" in embed["footer"]["text"]


async def test_source_out_of_range_names_the_valid_range(standin: StandinDiscord,
                                                         running) -> None:
    async with running():
        response = await standin.invoke("source", {"paragraph": 99})
    assert response.response_type == 4 and response.ephemeral
    assert response.embeds[0]["description"] == (
        "There is no paragraph 99: the article has paragraphs 1 to 12.")


async def test_article_shows_headline_date_dateline_and_paragraphs(standin: StandinDiscord,
                                                                   running) -> None:
    async with running():
        response = await standin.invoke("article")
    embed = response.embeds[0]
    assert embed["title"] == "Leaked cable shows US sought China refuge for Pol Pot"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields == {"Date": "September 5, 2011", "Dateline": "Phnom Penh",
                      "Paragraphs": "12"}
    assert embed["description"].startswith("Phnom Penh - A US State Department cable")


# --------------------------------------------------------------------------- context menu


async def test_context_menu_replies_publicly_to_the_target(standin: StandinDiscord,
                                                           running) -> None:
    bob = standin.add_user("bob")
    async with running():
        target = await standin.send_message("who sent the cable?", author=bob)
        await standin.assert_silent()  # not a Q&A channel, no mention: not answered by itself
        deferred = await standin.invoke_message_command(MENU, target)
        reply = await standin.wait_for("message")
        told = await standin.wait_for("followup")
    assert deferred.response_type == 5 and deferred.ephemeral
    assert referenced_id(reply) == target["id"]
    assert reply.embeds[0]["title"] == "Who sent the cable?"
    assert reply.allowed_mentions == {"parse": [], "replied_user": False}
    assert not reply.ephemeral
    assert told.content == "Answered, as a reply to that message."
    assert told.message_id == deferred.message_id and told.ephemeral


async def test_context_menu_on_off_topic_message_answers_the_invoker_only(
        standin: StandinDiscord, running) -> None:
    bob = standin.add_user("bob")
    async with running():
        target = await standin.send_message("who won the world cup?", author=bob)
        response = await standin.invoke_message_command(MENU, target)
        await standin.assert_silent(kinds=("message", "followup"))
    assert response.response_type == 4 and response.ephemeral
    assert response.embeds[0]["description"] == render.NOT_COVERED
    assert response.message_reference is None


async def test_context_menu_where_the_bot_cannot_post_answers_privately(
        standin: StandinDiscord, running) -> None:
    bob = standin.add_user("bob")
    async with running():
        target = await standin.send_message("who sent the cable?", author=bob)
        standin.fail_next("message", status=403, code=50013, message="Missing Permissions")
        deferred = await standin.invoke_message_command(MENU, target)
        told = await standin.wait_for("followup")
        await standin.assert_silent(kinds=("message",))
    assert deferred.response_type == 5 and deferred.ephemeral
    assert told.ephemeral and told.message_id == deferred.message_id
    assert told.content.startswith("I can't post")
    assert told.embeds[0]["title"] == "Who sent the cable?"


async def test_context_menu_reply_refused_by_discord_still_answers_privately(
        standin: StandinDiscord, running) -> None:
    bob = standin.add_user("bob")
    async with running():
        target = await standin.send_message("who sent the cable?", author=bob)
        standin.fail_next("message", status=404, code=10008, message="Unknown Message")
        deferred = await standin.invoke_message_command(MENU, target)
        told = await standin.wait_for("followup")  # not left "thinking" forever
    assert deferred.response_type == 5
    assert told.ephemeral and told.message_id == deferred.message_id
    assert told.content.startswith("I couldn't post my reply to that message")
    assert told.embeds[0]["title"] == "Who sent the cable?"
