"""Moderators edit the knowledge base from Discord, through the real client and stand-in."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from bot.core.knowledge import KNOWLEDGE_FILE
from tests.discord.conftest import outcome, stored
from tests.standin import payloads as p
from tests.standin.server import StandinDiscord


@pytest.fixture
def mods(standin: StandinDiscord) -> tuple[dict, dict, dict]:
    """Two moderators: one by Manage Server, one by a role (passed as moderator_role_ids)."""
    admin_role = standin.add_role("admins", permissions=p.MANAGE_GUILD)
    first = standin.add_user("modone", roles=[admin_role])
    mod_role = standin.add_role("moderators")
    second = standin.add_user("modtwo", roles=[mod_role])
    return first, second, mod_role


def on_disk(knowledge_dir: Path) -> dict[str, dict]:
    entries = yaml.safe_load((knowledge_dir / KNOWLEDGE_FILE).read_text())["entries"]
    return {e["id"]: e for e in entries}


async def submitted(standin: StandinDiscord, modal, values: dict, **kw):
    """Submit a form and return the bot's final answer to it."""
    return await outcome(standin, await standin.submit_modal(modal, values, **kw))


NEW_ANSWER = "Lawrence Eagleburger's office sent the cable in September 1989."


async def test_edit_through_modal(standin, running, mods, knowledge_dir) -> None:
    first, _, _ = mods
    async with running() as bot:
        modal = await standin.invoke("kb edit", {"entry": "cable-sender"}, user=first)
        assert modal.response_type == 9
        done = await submitted(standin, modal, {"answer": NEW_ANSWER}, user=first)
        assert done.ephemeral, done.json
        assert bot.service.kb.by_id["cable-sender"].revision == 2
        assert on_disk(knowledge_dir)["cable-sender"]["answer"] == NEW_ANSWER
        assert bot.service.answer("who sent the cable").text == NEW_ANSWER


async def test_kb_test_shows_the_matches_and_the_confidence_privately(standin, running,
                                                                      mods) -> None:
    first, _, _ = mods
    async with running() as bot:
        shown = await standin.invoke("kb test", {"question": "who sent the cable"}, user=first)
        assert shown.ephemeral, shown.json
        matches, public = shown.embeds
        lines = matches["description"].splitlines()
        assert "**cable-sender**" in lines[0]
        engine = bot.service.engine
        chance = engine.chance("who sent the cable", engine.candidates("who sent the cable", 5))
        assert lines[-1].startswith(f"Confidence model: {chance:.0%} that **cable-sender**")
        assert "confidence model" in matches["footer"]["text"]
        assert "Eagleburger" in public["description"]


async def test_two_moderators_same_entry_one_saved_one_told(standin, running, mods,
                                                            knowledge_dir) -> None:
    first, second, role = mods
    async with running(moderator_role_ids=frozenset({int(role["id"])})):
        one = await standin.invoke("kb edit", {"entry": "cable-sender"}, user=first)
        two = await standin.invoke("kb edit", {"entry": "cable-sender"}, user=second)
        ours = "First moderator: Lawrence Eagleburger's office sent it."
        theirs = "Second moderator: Lawrence Eagleburger's office sent it."
        await submitted(standin, one, {"answer": ours}, user=first)
        refused = await submitted(standin, two, {"answer": theirs}, user=second)
        assert refused.ephemeral
        assert "was changed by modone" in refused.embeds[0]["description"]
        assert on_disk(knowledge_dir)["cable-sender"]["answer"] == ours
        reopened = await standin.click(refused, refused.custom_ids[0], user=second)
        answer = next(c for row in reopened.body["components"] for c in row["components"]
                      if c["custom_id"] == "answer")
        assert answer["value"] == theirs  # nothing the second moderator typed is lost


async def test_non_moderator_refused(standin, running, knowledge_dir) -> None:
    before = (knowledge_dir / KNOWLEDGE_FILE).read_text()
    async with running():
        for command, options in [("kb add", {}), ("kb edit", {"entry": "cable-sender"}),
                                 ("kb alias", {"entry": "cable-sender", "phrase": "x y z"}),
                                 ("kb remove", {"entry": "cable-sender"}), ("kb reload", {}),
                                 ("kb export", {}), ("kb stats", {}), ("kb unanswered", {}),
                                 ("kb history", {"entry": "cable-sender"}),
                                 ("kb revert", {"entry": "cable-sender", "change": 1}),
                                 ("kb test", {"question": "who sent the cable"}),
                                 ("kb import", {"file": standin.add_attachment(b"x", "qa.yaml")})]:
            record = await standin.invoke(command, options)
            assert record.ephemeral, command
            assert "Only moderators" in record.embeds[0]["description"], command
    assert (knowledge_dir / KNOWLEDGE_FILE).read_text() == before


async def test_fifty_concurrent_aliases(standin, running, mods, knowledge_dir) -> None:
    first, _, _ = mods
    async with running():
        phrases = [f"cable sender variant number {n} zq{n}x" for n in range(50)]
        responses = await asyncio.gather(*(
            standin.invoke("kb alias", {"entry": "cable-sender", "phrase": phrase}, user=first)
            for phrase in phrases))
        results = [await outcome(standin, r) for r in responses]
        assert all("now asks" in r.embeds[0]["description"] for r in results)
    alternates = on_disk(knowledge_dir)["cable-sender"]["alternates"]
    assert all(ph in alternates for ph in phrases)


async def test_added_entry_answers(standin, running, mods, knowledge_dir) -> None:
    first, _, _ = mods
    async with running() as bot:
        modal = await standin.invoke("kb add", user=first)
        done = await submitted(standin, modal, {
            "question": "Which adjective sums up the cable view of the leaders?",
            "alternates": "adjective for the leaders in the memo\nunacceptable leaders label",
            "answer": "The cable called the senior Khmer Rouge leaders 'unacceptable'.",
            "quotes": "these unacceptable Khmer Rouge leaders"}, user=first)
        assert done.ephemeral and "Added" in done.embeds[0]["footer"]["text"], done.json
        added = bot.service.kb.by_id["which-adjective-sums-up-the-cable-view-of-the-lead"]
        assert added.citations[0].paragraph == 4  # found from the quote
        answer = bot.service.answer("Which adjective sums up the cable view of the leaders?")
        assert answer.entry is not None and answer.entry.id == added.id
    assert added.id in on_disk(knowledge_dir)


async def test_bad_quote_is_refused_and_text_kept(standin, running, mods, knowledge_dir) -> None:
    first, _, _ = mods
    before = (knowledge_dir / KNOWLEDGE_FILE).read_text()
    async with running():
        modal = await standin.invoke("kb edit", {"entry": "cable-sender"}, user=first)
        refused = await submitted(standin, modal, {"quotes": "Eagleburger wrote it himself."},
                                             user=first)
        assert "not in the article" in refused.embeds[0]["description"]
        reopened = await standin.click(refused, refused.custom_ids[0], user=first)
        assert reopened.response_type == 9
        quotes = next(c for row in reopened.body["components"] for c in row["components"]
                      if c["custom_id"] == "quotes")
        assert quotes["value"] == "Eagleburger wrote it himself."
    assert (knowledge_dir / KNOWLEDGE_FILE).read_text() == before


async def test_revert_restores_exactly(standin, running, mods) -> None:
    first, _, _ = mods
    async with running() as bot:
        original = bot.service.kb.by_id["cable-date"]
        modal = await standin.invoke("kb edit", {"entry": "cable-date"}, user=first)
        await submitted(standin, modal, {"answer": "The cable was sent in 1989."}, user=first)
        assert bot.service.kb.by_id["cable-date"].answer == "The cable was sent in 1989."
        [edit] = bot.service.history("cable-date")
        reverted = await outcome(standin, await standin.invoke(
            "kb revert", {"entry": "cable-date", "change": edit.id}, user=first))
        assert reverted.ephemeral and "Reverted" in reverted.embeds[0]["footer"]["text"]
        now = bot.service.kb.by_id["cable-date"]
        assert (now.question, now.alternates, now.answer, now.citations, now.related) == (
            original.question, original.alternates, original.answer, original.citations,
            original.related)
        assert now.revision == 3
        history = await outcome(standin, await standin.invoke(
            "kb history", {"entry": "cable-date"}, user=first))
        assert "revert" in history.embeds[0]["description"]


async def test_remove_asks_and_only_its_moderator_confirms(standin, running, mods) -> None:
    first, second, role = mods
    async with running(moderator_role_ids=frozenset({int(role["id"])})) as bot:
        asked = await standin.invoke("kb remove", {"entry": "thailand"}, user=first)
        confirm = asked.custom_ids[0]
        other = await standin.click(asked, confirm, user=second)
        assert other.ephemeral and "thailand" in bot.service.kb.by_id
        stranger = await standin.click(asked, confirm)
        assert "Only moderators" in stranger.embeds[0]["description"]
        click = await standin.click(asked, confirm, user=first)
        assert click.response_type == 7 and click.components == []  # the buttons go away
        done = await standin.wait_for("followup", lambda r: r.token == click.token)
        assert "Removed `thailand`" in done.embeds[0]["description"]
        assert "thailand" not in bot.service.kb.by_id
        assert all("thailand" not in e.related for e in bot.service.kb.entries)


@pytest.mark.parametrize(("name", "data", "why"), [
    ("broken.yaml", b"version: 1\nentries: [\n", "invalid YAML"),
    ("bomb.yaml", b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "aliases"),
    ("wrong.yaml", b"version: 1\nentries:\n  - id: x\n    question: Who?\n    answer: Nobody.\n"
     b"    citations:\n      - paragraph: 5\n        quote: Not in the article at all.\n",
     "quote not found"),
    ("latin1.yaml", "version: 1 # caf\xe9".encode("latin-1"), "not UTF-8"),
])
async def test_bad_import_changes_nothing(standin, running, mods, knowledge_dir, name, data,
                                          why) -> None:
    first, _, _ = mods
    before = (knowledge_dir / KNOWLEDGE_FILE).read_text()
    async with running():
        attachment = standin.add_attachment(data, name)
        record = await standin.invoke("kb import", {"file": attachment}, user=first)
        reply = record if record.embeds else await standin.wait_for("followup")
        assert why in reply.embeds[0]["description"], reply.json
        assert not reply.custom_ids  # no confirm button
    assert (knowledge_dir / KNOWLEDGE_FILE).read_text() == before


async def test_oversized_import_refused(standin, running, mods, knowledge_dir) -> None:
    first, _, _ = mods
    before = (knowledge_dir / KNOWLEDGE_FILE).read_text()
    async with running():
        attachment = standin.add_attachment(b"#" * 2_000_000, "huge.yaml")
        record = await standin.invoke("kb import", {"file": attachment}, user=first)
        assert "limit" in record.embeds[0]["description"]
    assert (knowledge_dir / KNOWLEDGE_FILE).read_text() == before


async def test_import_applies_on_confirm(standin, running, mods, knowledge_dir) -> None:
    first, _, _ = mods
    text = (knowledge_dir / KNOWLEDGE_FILE).read_text().replace(
        "The office of Lawrence Eagleburger, then US deputy secretary of state, sent the cable",
        "Lawrence Eagleburger's office sent the cable")
    async with running() as bot:
        record = await standin.invoke("kb import", {"file": standin.add_attachment(
            text.encode(), "qa.yaml")}, user=first)
        preview = await standin.wait_for("followup")
        assert "cable-sender" in preview.embeds[0]["description"]
        assert bot.service.kb.by_id["cable-sender"].revision == 1  # not yet
        await standin.click(preview, preview.custom_ids[0], user=first)
        await standin.wait_until(lambda: bot.service.kb.by_id["cable-sender"].revision == 2)
        assert record.ephemeral
    assert on_disk(knowledge_dir)["cable-sender"]["answer"].startswith("Lawrence")


async def test_hand_edit_reloads_and_broken_edit_keeps_last_good(standin, running,
                                                                 knowledge_dir) -> None:
    log_channel = standin.add_text_channel("mod-log")
    path = knowledge_dir / KNOWLEDGE_FILE
    async with running(mod_log_channel_id=int(log_channel["id"])) as bot:
        path.write_text(path.read_text().replace("sent the cable in September 1989",
                                                 "sent the cable in September 1989 (edited)"))
        await standin.wait_until(
            lambda: "(edited)" in bot.service.kb.by_id["cable-sender"].answer, timeout=5)
        notice = await standin.wait_for("message", lambda r: r.channel_id == log_channel["id"])
        assert "Reloaded" in notice.embeds[0]["description"]
        path.write_text("version: 1\nentries: [broken\n")
        warning = await standin.wait_for("message", lambda r: r.channel_id == log_channel["id"])
        assert "problems" in warning.embeds[0]["description"]
        assert bot.service.answer("who sent the cable").entry.id == "cable-sender"


async def test_kb_is_not_offered_in_dms(standin, running) -> None:
    async with running():
        synced = [c for c in (await standin.wait_for("command_sync")).commands
                  if c["name"] == "kb"]
    assert synced and synced[0]["contexts"] == [0] and synced[0]["dm_permission"] is False
    assert int(synced[0]["default_member_permissions"]) == p.MANAGE_GUILD


async def test_unanswered_question_attached_as_alternate(standin, running, mods) -> None:
    first, _, _ = mods
    qa = standin.add_text_channel("questions")
    async with running(qa_channel_ids=frozenset({int(qa["id"])})) as bot:
        question = "which diplomat drafted the beijing telex"
        assert not bot.service.answer(question).answered  # not yet: "telex" is unknown
        await standin.send_message(question, channel=qa)
        await standin.wait_until(lambda: stored(bot).unanswered(int(standin.guild["id"])))
        listing = await outcome(standin, await standin.invoke("kb unanswered", user=first))
        assert question in listing.embeds[0]["description"]
        question_select, entry_select = listing.custom_ids
        stranger = await standin.select(listing, question_select, ["0"])
        assert "Only moderators" in stranger.embeds[0]["description"]
        await standin.select(listing, question_select, ["0"], user=first)
        picked = await outcome(standin, await standin.select(listing, entry_select,
                                                             ["cable-sender"], user=first))
        assert picked.ephemeral and "now asks" in picked.embeds[0]["description"]
        assert question in bot.service.kb.by_id["cable-sender"].alternates
        assert bot.service.answer(question).entry.id == "cable-sender"


async def test_form_submitted_after_losing_the_role_is_refused(standin, running, mods,
                                                               knowledge_dir) -> None:
    _, second, role = mods
    before = (knowledge_dir / KNOWLEDGE_FILE).read_text()
    async with running(moderator_role_ids=frozenset({int(role["id"])})):
        modal = await standin.invoke("kb edit", {"entry": "cable-sender"}, user=second)
        p.find_member(standin.guild, second["id"])["roles"].remove(role["id"])
        refused = await submitted(standin, modal, {"answer": NEW_ANSWER}, user=second)
        assert refused.ephemeral
        assert "Only moderators" in refused.embeds[0]["description"]
    assert (knowledge_dir / KNOWLEDGE_FILE).read_text() == before
