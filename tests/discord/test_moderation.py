"""Moderators edit the knowledge base from Discord, through the real client and stand-in."""

from __future__ import annotations

import asyncio

import pytest
import yaml

from bot.core.knowledge import KNOWLEDGE_FILE
from tests.standin import payloads as p
from tests.standin.server import StandinDiscord


@pytest.fixture
def mods(standin: StandinDiscord) -> tuple[dict, dict]:
    """Two moderators: one by Manage Server, one by a moderator role."""
    admin_role = standin.add_role("admins", permissions=p.MANAGE_GUILD)
    first = standin.add_user("modone", roles=[admin_role])
    mod_role = standin.add_role("moderators")
    second = standin.add_user("modtwo", roles=[mod_role])
    return first, second, mod_role


def on_disk(knowledge_dir) -> dict:
    return {e["id"]: e for e in yaml.safe_load((knowledge_dir / KNOWLEDGE_FILE).read_text())["entries"]}


async def test_edit_through_modal(standin, running, mods, knowledge_dir) -> None:
    first, _, _ = mods
    async with running() as bot:
        modal = await standin.invoke("kb edit", {"entry": "cable-sender"}, user=first)
        assert modal.response_type == 9
        done = await standin.submit_modal(modal, {"answer": "Lawrence Eagleburger's office sent the cable in September 1989."}, user=first)
        assert done.ephemeral, done.json
        assert bot.service.kb.by_id["cable-sender"].revision == 2
        assert on_disk(knowledge_dir)["cable-sender"]["answer"].startswith("Lawrence")
        assert bot.service.answer("who sent the cable").text.startswith("Lawrence")


async def test_conflict(standin, running, mods, knowledge_dir) -> None:
    first, second, role = mods
    async with running(moderator_role_ids=frozenset({int(role["id"])})) as bot:
        one = await standin.invoke("kb edit", {"entry": "cable-sender"}, user=first)
        two = await standin.invoke("kb edit", {"entry": "cable-sender"}, user=second)
        saved = await standin.submit_modal(one, {"answer": "First moderator's answer: Lawrence Eagleburger's office sent it."}, user=first)
        refused = await standin.submit_modal(two, {"answer": "Second moderator's answer: Lawrence Eagleburger's office sent it."}, user=second)
        print(saved.json); print(refused.json)
        assert "changed by" in refused.embeds[0]["description"]
        assert on_disk(knowledge_dir)["cable-sender"]["answer"].startswith("First")
        assert "Reopen" in str(refused.components)


async def test_non_moderator_refused(standin, running, knowledge_dir) -> None:
    before = (knowledge_dir / KNOWLEDGE_FILE).read_text()
    async with running():
        for command, options in [("kb add", {}), ("kb edit", {"entry": "cable-sender"}),
                                 ("kb alias", {"entry": "cable-sender", "phrase": "x y z"}),
                                 ("kb remove", {"entry": "cable-sender"}), ("kb reload", {}),
                                 ("kb export", {}), ("kb stats", {}), ("kb unanswered", {}),
                                 ("kb history", {"entry": "cable-sender"}),
                                 ("kb revert", {"entry": "cable-sender", "revision": 1}),
                                 ("kb test", {"question": "who sent the cable"})]:
            record = await standin.invoke(command, options)
            assert record.ephemeral and "Only moderators" in record.embeds[0]["description"], (command, record.json)
    assert (knowledge_dir / KNOWLEDGE_FILE).read_text() == before


async def test_fifty_concurrent_aliases(standin, running, mods, knowledge_dir) -> None:
    first, _, _ = mods
    async with running():
        phrases = [f"cable sender variant number {n} zq{n}x" for n in range(50)]
        results = await asyncio.gather(*(standin.invoke("kb alias", {"entry": "cable-sender", "phrase": ph}, user=first) for ph in phrases))
        assert all(r.ephemeral for r in results)
    alternates = on_disk(knowledge_dir)["cable-sender"]["alternates"]
    assert all(ph in alternates for ph in phrases)
