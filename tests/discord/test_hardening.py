"""The breaks an adversarial review found, each driven through the real client and stand-in:
private questions, dropped edits, missed deadlines, a failing disk, side-stepped limits, one
server ruling the others, and errors nobody planned for."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import replace

import pytest
import yaml

from bot.core.answers import AnswerEngine
from bot.core.knowledge import KNOWLEDGE_FILE
from bot.ui import moderation as moderation_views
from bot.ui.modals import INPUT_LIMIT
from tests.discord.conftest import outcome, stored
from tests.standin import payloads as p
from tests.standin.server import StandinDiscord

MENU = "Answer with the article"


@pytest.fixture
def moderator(standin: StandinDiscord) -> dict:
    admins = standin.add_role("admins", permissions=p.MANAGE_GUILD)
    return standin.add_user("modone", roles=[admins])


def on_disk(knowledge_dir) -> dict[str, dict]:
    entries = yaml.safe_load((knowledge_dir / KNOWLEDGE_FILE).read_text())["entries"]
    return {e["id"]: e for e in entries}


# --- 1. private questions ------------------------------------------------------------------


async def test_kb_autocomplete_offers_nothing_to_non_moderators(standin, running, moderator,
                                                                mention) -> None:
    async with running() as bot:
        await standin.send_dm("which diplomat drafted the beijing telex")  # unanswered, in a DM
        await standin.send_message(f"{mention} cambodia sides")
        await standin.wait_for("message")
        await standin.wait_for("message")
        assert bot.journal.flush()  # both questions logged before the lists are read
        phrase = await standin.autocomplete("kb alias", {"entry": "cable-sender", "phrase": ""},
                                            focused="phrase")
        entry = await standin.autocomplete("kb edit", {"entry": "cab"}, focused="entry")
        as_moderator = await standin.autocomplete(
            "kb alias", {"entry": "cable-sender", "phrase": ""}, focused="phrase",
            user=moderator)
    assert phrase.choices == [] and entry.choices == []
    offered = [c["name"] for c in as_moderator.choices]
    assert offered == ["cambodia sides"]  # this server's, not the DM


# --- 2. an edit never drops data -----------------------------------------------------------


async def test_an_entry_too_long_for_the_form_keeps_every_alternate(
        standin, running, moderator, knowledge_dir) -> None:
    path = knowledge_dir / KNOWLEDGE_FILE
    many = [f"a long way of asking who sent that cable, number {n}" for n in range(100)]
    text = path.read_text().replace("      - Whose office did the cable come from?\n", "".join(
        f"      - {a}\n" for a in ["Whose office did the cable come from?", *many]), 1)
    path.write_text(text)
    before = on_disk(knowledge_dir)["cable-sender"]["alternates"]
    assert len("\n".join(before)) > INPUT_LIMIT
    async with running():
        modal = await standin.invoke("kb edit", {"entry": "cable-sender"}, user=moderator)
        fields = {c["custom_id"]: c for row in modal.body["components"]
                  for c in row["components"]}
        assert fields["alternates"].get("value") in (None, "")
        assert "stay" in fields["alternates"]["label"]
        done = await outcome(standin, await standin.submit_modal(
            modal, {"answer": "Eagleburger's office sent the cable in September 1989.",
                    "alternates": "who typed up the cable"}, user=moderator))
    assert done.ephemeral and "edited" in done.embeds[0]["footer"]["text"].lower()
    after = on_disk(knowledge_dir)["cable-sender"]["alternates"]
    assert after == [*before, "who typed up the cable"]


# --- 4. the 3-second deadline ----------------------------------------------------------------


async def test_ask_answers_at_once_while_forty_saves_wait(standin, running, moderator) -> None:
    async with running():
        saves = [asyncio.create_task(standin.invoke(
            "kb alias", {"entry": "cable-sender", "phrase": f"queued phrasing {n} zq{n}"},
            user=moderator)) for n in range(40)]
        # Every save has had its "thinking…" and waits for the saving thread.
        await standin.wait_until(lambda: len(standin.records_of("interaction_response")) >= 40)
        ask = await standin.invoke("ask", {"question": "who sent the cable?"})
        deferred = await asyncio.gather(*saves)
        finished = [await outcome(standin, record) for record in deferred]
    assert ask.response_type == 4 and ask.age is not None and ask.age < 0.5
    assert all(r.age is not None and r.age < 3 for r in deferred)  # "thinking…" at once
    assert all("now asks" in r.embeds[0]["description"] for r in finished)


# --- 5. a full or read-only disk --------------------------------------------------------------


async def test_a_full_disk_does_not_silence_the_bot(standin, running, mention,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    log_channel = standin.add_text_channel("mod-log")

    def full(records: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    caplog.set_level(logging.WARNING)
    async with running(mod_log_channel_id=int(log_channel["id"])) as bot:
        bot.store.write = full  # type: ignore[method-assign]
        replies = []
        for _ in range(3):
            await standin.send_message(f"{mention} who sent the cable?")
            replies.append(await standin.wait_for("message", lambda r: r.channel_id
                                                  != log_channel["id"]))
        ask = await standin.invoke("ask", {"question": "when did pol pot die?"})
        assert bot.journal.flush()
        notice = await standin.wait_for("message", lambda r: r.channel_id == log_channel["id"])
        await standin.assert_silent(kinds=("message",))
    assert all(r.embeds[0]["title"] == "Who sent the cable?" for r in replies)
    assert ask.embeds[0]["title"] == "When and where did Pol Pot die?"
    warnings = [r for r in caplog.records if r.getMessage().startswith("Question log:")]
    assert len(warnings) == 1 and "disk is full" in warnings[0].getMessage()
    assert "Question log" in notice.embeds[0]["description"]


# --- 6. limits everywhere --------------------------------------------------------------------


async def test_the_limit_covers_ask_the_menu_and_buttons(standin, running, mention) -> None:
    bob = standin.add_user("bob")
    async with running(cooldown_questions=2, cooldown_seconds=60):
        first = await standin.invoke("ask", {"question": "who sent the cable?"})
        await standin.invoke("ask", {"question": "when was the cable sent?"})
        third = await standin.invoke("ask", {"question": "who published the cable?"})
        target = await standin.send_message("who published the cable?", author=bob)
        menu = await standin.invoke_message_command(MENU, target)
        button = await standin.click(first, "qa:show:eagleburger")
    assert third.ephemeral and "asking quickly" in third.embeds[0]["description"]
    for refused in (menu, button):
        assert refused.ephemeral and refused.response_type == 4
        assert "Slow down" in refused.embeds[0]["description"]


async def test_the_menu_answers_privately_where_the_member_may_not_post(standin,
                                                                       running) -> None:
    everyone = standin.guild["roles"][0]
    everyone["permissions"] = str(int(everyone["permissions"]) & ~p.SEND_MESSAGES)
    bob = standin.add_user("bob")
    async with running():
        target = await standin.send_message("who sent the cable?", author=bob)
        response = await standin.invoke_message_command(MENU, target)
        await standin.assert_silent(kinds=("message",))
    assert response.ephemeral and response.embeds[0]["title"] == "Who sent the cable?"


# --- 7. one server does not rule the others ---------------------------------------------------


async def test_only_the_chosen_servers_edit_and_each_sees_its_own_questions(
        standin, running, moderator, knowledge_dir) -> None:
    other = standin.add_guild("someone else's server")
    other_channel = other["channels"][0]
    owner_of_other = standin.add_user("them", guild=other)  # Manage Server there: the owner
    other["owner_id"] = owner_of_other["id"]
    before = (knowledge_dir / KNOWLEDGE_FILE).read_text()
    async with running() as bot:
        await standin.send_message("cambodia sides",
                                   channel=standin.channel)
        await standin.send_message(f"<@{standin.bot_user['id']}> the telex and the memo",
                                   channel=other_channel, author=owner_of_other)
        await standin.wait_for("message")
        refused = await standin.invoke("kb alias", {"entry": "cable-sender", "phrase": "x y"},
                                       user=owner_of_other, channel=other_channel)
        theirs = stored(bot).unanswered(int(other["id"]))
        ours = stored(bot).unanswered(int(standin.guild["id"]))
        stats = stored(bot).stats(int(other["id"]))
    assert refused.ephemeral and "KB_GUILD_IDS" in refused.embeds[0]["description"]
    assert (knowledge_dir / KNOWLEDGE_FILE).read_text() == before
    assert [q.question for q in theirs] == ["the telex and the memo"]
    assert "the telex and the memo" not in [q.question for q in ours]
    assert stats.questions == 1


async def test_without_chosen_servers_only_the_owner_edits(standin, running, moderator) -> None:
    async with running(kb_guild_ids=frozenset()):
        refused = await standin.invoke("kb alias", {"entry": "cable-sender", "phrase": "x y z"},
                                       user=moderator)
        owner = await outcome(standin, await standin.invoke(
            "kb alias", {"entry": "cable-sender", "phrase": "owner's own phrasing zq"},
            user=standin.owner))
    assert "KB_GUILD_IDS" in refused.embeds[0]["description"]
    assert "now asks" in owner.embeds[0]["description"]


# --- 8. smaller breaks -----------------------------------------------------------------------


async def test_a_moderator_view_disables_itself_when_it_times_out(
        standin, running, moderator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moderation_views, "CONFIRM_SECONDS", 0.3)
    async with running():
        asked = await standin.invoke("kb remove", {"entry": "thailand"}, user=moderator)
        edit = await standin.wait_for("edit")
    assert asked.custom_ids
    buttons = [c for row in edit.json["components"] for c in row["components"]]
    assert buttons and all(b["disabled"] for b in buttons)  # nobody clicks into the void


async def test_the_webhook_log_never_shows_interaction_tokens(
        standin, running, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with running(log_level="DEBUG"):
        response = await standin.invoke("ask", {"question": "who sent the cable?"})
    assert response.token and all(response.token not in r.getMessage() for r in caplog.records)


# --- 9. errors nobody planned for ------------------------------------------------------------


async def test_an_unexpected_error_is_reported_with_a_reference(
        standin, running, caplog: pytest.LogCaptureFixture) -> None:
    log_channel = standin.add_text_channel("mod-log")
    async with running(mod_log_channel_id=int(log_channel["id"])) as bot:
        def broken(question: str) -> object:
            raise ZeroDivisionError("a bug")

        bot.ask = lambda user, place, guild, question: broken(question)  # type: ignore[method-assign]
        response = await standin.invoke("ask", {"question": "who sent the cable?"})
        notice = await standin.wait_for("message", lambda r: r.channel_id == log_channel["id"])
        second = await standin.invoke("ask", {"question": "who sent the cable?"})
        await standin.assert_silent(kinds=("message",))  # one notice a minute at most
    text = response.embeds[0]["description"]
    assert response.ephemeral and "Something went wrong" in text
    ref = text.split("ref `")[1].split("`")[0]
    logged = [r for r in caplog.records if ref in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert ref in notice.embeds[0]["description"]
    assert "ref `" in second.embeds[0]["description"]


async def test_entry_autocomplete_survives_an_add_made_meanwhile(
        standin, running, moderator, monkeypatch: pytest.MonkeyPatch) -> None:
    """An add swaps the engine while the autocomplete runs: it reads one engine throughout."""
    async with running() as bot:
        service = bot.service
        before = service.engine
        entry = replace(before.kb.by_id["cable-sender"], id="cable-sender-again",
                        question="Whose staff drafted the telegram again?", alternates=())
        after = AnswerEngine.build(before.kb.with_entries([*before.kb.entries, entry]))
        monkeypatch.setattr(type(service), "engine", property(lambda _: after))
        response = await standin.autocomplete("kb edit", {"entry": "whose staff drafted"},
                                              focused="entry", user=moderator)
    assert response.kind == "interaction_response" and response.choices
    assert response.choices[0]["value"] == "cable-sender-again"
