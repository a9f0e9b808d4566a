"""The command definitions the bot syncs at start-up, checked against Discord's limits, and
where they are synced (the configured guilds, instantly, or globally)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.command_sync import SYNC_FILE, payload_hash
from tests.discord.test_run import ROOT, SITECUSTOMIZE, TOKEN
from tests.standin.server import StandinDiscord

CHAT_INPUT, USER_MENU, MESSAGE_MENU = 1, 2, 3
SUBCOMMAND, SUBCOMMAND_GROUP = 1, 2
NAME = re.compile(r"^[-_\w]{1,32}$")


def _limit_problems(commands: list[dict[str, Any]]) -> list[str]:
    """Every way the payload breaks Discord's limits (DESIGN.md), as readable lines."""
    problems: list[str] = []
    if len(commands) > 100:
        problems.append(f"{len(commands)} chat-input commands, limit 100")

    def check_name(where: str, name: str) -> None:
        if not NAME.match(name) or name != name.lower():
            problems.append(f"{where}: name {name!r} is not 1-32 lowercase characters")

    def check_description(where: str, text: str | None) -> None:
        if not 1 <= len(text or "") <= 100:
            problems.append(f"{where}: description must be 1-100 characters, is {text!r}")

    def check_options(where: str, options: list[dict[str, Any]]) -> None:
        if len(options) > 25:
            problems.append(f"{where}: {len(options)} options, limit 25")
        names = [o["name"] for o in options]
        if len(names) != len(set(names)):
            problems.append(f"{where}: duplicate option names {names}")
        required_seen_after_optional = False
        optional_seen = False
        for option in options:
            at = f"{where} {option['name']}"
            check_name(at, option["name"])
            check_description(at, option.get("description"))
            if option["type"] in (SUBCOMMAND, SUBCOMMAND_GROUP):
                check_options(at, option.get("options") or [])
                continue
            if option.get("required") and optional_seen:
                required_seen_after_optional = True
            optional_seen = optional_seen or not option.get("required")
            choices = option.get("choices") or []
            if len(choices) > 25:
                problems.append(f"{at}: {len(choices)} choices, limit 25")
            for choice in choices:
                if not 1 <= len(choice["name"]) <= 100:
                    problems.append(f"{at}: choice name {choice['name']!r} not 1-100")
                if isinstance(choice["value"], str) and not 1 <= len(choice["value"]) <= 100:
                    problems.append(f"{at}: choice value {choice['value']!r} not 1-100")
            if option.get("autocomplete") and choices:
                problems.append(f"{at}: autocomplete and choices together")
            if int(option.get("max_length") or 0) > 6000:
                problems.append(f"{at}: max_length over 6000")
        if required_seen_after_optional:
            problems.append(f"{where}: a required option comes after an optional one")

    for command in commands:
        kind = command.get("type", CHAT_INPUT)
        name = command["name"]
        if kind == CHAT_INPUT:
            check_name(f"/{name}", name)
            check_description(f"/{name}", command.get("description"))
            check_options(f"/{name}", command.get("options") or [])
        elif kind in (USER_MENU, MESSAGE_MENU):
            if not 1 <= len(name) <= 32:
                problems.append(f"menu {name!r}: name must be 1-32 characters")
            if command.get("description") or command.get("options"):
                problems.append(f"menu {name!r}: no description or options allowed")
        else:
            problems.append(f"{name}: unknown command type {kind}")
    for kind in (CHAT_INPUT, USER_MENU, MESSAGE_MENU):
        names = [c["name"] for c in commands if c.get("type", CHAT_INPUT) == kind]
        if len(names) != len(set(names)):
            problems.append(f"duplicate names among type {kind}: {names}")
    return problems


def test_the_limit_checker_finds_problems() -> None:
    bad = [{"name": "Ask", "type": 1, "description": "x" * 101,
            "options": [{"name": "q", "type": 3, "description": "d", "required": False},
                        {"name": "r", "type": 3, "description": "", "required": True,
                         "choices": [{"name": "c" * 101, "value": "v"}] * 26}]},
           {"name": "m" * 33, "type": 3, "description": ""}]
    problems = " | ".join(_limit_problems(bad))
    for expected in ("/Ask: name", "/Ask: description", "/Ask r: description",
                     "26 choices", "choice name", "required option comes after",
                     "must be 1-32 characters"):
        assert expected in problems


async def test_synced_commands_are_within_discords_limits(standin: StandinDiscord,
                                                          running) -> None:
    async with running():
        sync = await standin.wait_for("command_sync")
    assert standin.records_of("rejected") == []
    assert _limit_problems(sync.commands) == []


async def test_the_lookup_commands_and_the_context_menu_are_synced(standin: StandinDiscord,
                                                                   running) -> None:
    async with running():
        sync = await standin.wait_for("command_sync")
    by_name = {c["name"]: c for c in sync.commands}
    assert {"ask", "topics", "source", "article"} <= set(by_name)
    assert all(by_name[n].get("type", 1) == CHAT_INPUT
               for n in ("ask", "topics", "source", "article"))
    menu = by_name["Answer with the article"]
    assert menu["type"] == MESSAGE_MENU
    ask = {o["name"]: o for o in by_name["ask"]["options"]}
    assert ask["question"]["required"] and ask["question"]["autocomplete"]
    assert ask["question"]["type"] == 3
    assert ask["private"]["type"] == 5 and not ask["private"].get("required")
    paragraph = by_name["source"]["options"][0]
    assert (paragraph["name"], paragraph["type"], paragraph["min_value"]) == ("paragraph", 4, 1)


async def test_commands_are_synced_globally_without_guild_ids(standin: StandinDiscord,
                                                              running) -> None:
    async with running():
        syncs = standin.records_of("command_sync")
    assert len(syncs) == 1
    assert syncs[0].guild_id is None
    assert syncs[0].path == f"/applications/{standin.application['id']}/commands"
    assert {c["name"] for c in standin.commands[None]} >= {"ask", "Answer with the article"}


async def test_commands_are_synced_to_the_configured_guild(standin: StandinDiscord,
                                                           running) -> None:
    guild_id = standin.guild["id"]
    async with running(guild_ids=(int(guild_id),)):
        syncs = standin.records_of("command_sync")
        # The guild copy is what runs: /ask works through it.
        answer = await standin.invoke("ask", {"question": "who sent the cable?"})
    assert [s.guild_id for s in syncs] == [guild_id]
    assert _limit_problems(syncs[0].commands) == []
    names = {c["name"] for c in standin.commands[guild_id]}
    assert {"ask", "topics", "source", "article", "Answer with the article"} <= names
    assert None not in standin.commands  # nothing synced globally
    assert answer.embeds[0]["title"] == "Who sent the cable?"


async def test_commands_are_synced_to_each_configured_guild(standin: StandinDiscord,
                                                            running) -> None:
    other = standin.add_guild("Other Guild")
    ids = (int(standin.guild["id"]), int(other["id"]))
    async with running(guild_ids=ids):
        syncs = standin.records_of("command_sync")
    assert sorted(s.guild_id for s in syncs) == sorted(str(i) for i in ids)


# --- syncing only what changed ----------------------------------------------------------------


async def test_a_restart_with_the_same_commands_does_not_sync_again(
        standin: StandinDiscord, running, settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.client")
    async with running(guild_ids=(int(standin.guild["id"]),)):
        await standin.wait_for("command_sync")
    async with running(guild_ids=(int(standin.guild["id"]),)) as bot:
        await bot.wait_until_ready()
    assert len(standin.records_of("command_sync")) == 1
    assert "Commands unchanged since the last sync" in caplog.text
    assert (settings.data_dir / SYNC_FILE).is_file()


async def test_changed_commands_are_synced_at_the_next_start(
        standin: StandinDiscord, running, settings) -> None:
    async with running():
        await standin.wait_for("command_sync")
    recorded = json.loads((settings.data_dir / SYNC_FILE).read_text())
    (settings.data_dir / SYNC_FILE).write_text(json.dumps(dict.fromkeys(recorded, "0" * 64)))
    async with running():
        await standin.wait_for("command_sync")  # the second one: the first was consumed
    assert len(standin.records_of("command_sync")) == 2


async def test_another_target_is_synced_even_when_one_is_recorded(
        standin: StandinDiscord, running) -> None:
    async with running():  # global
        await standin.wait_for("command_sync")
    async with running(guild_ids=(int(standin.guild["id"]),)):
        sync = await standin.wait_for("command_sync")
    assert sync.guild_id == standin.guild["id"]


def test_the_hash_ignores_order_and_sees_any_change() -> None:
    one = [{"name": "ask", "type": 1, "description": "Ask"}, {"name": "Ask about", "type": 3}]
    assert payload_hash(1, one) == payload_hash(1, list(reversed(one)))
    assert payload_hash(1, one) != payload_hash(2, one)  # another application
    changed = [{**one[0], "description": "Ask a question"}, one[1]]
    assert payload_hash(1, one) != payload_hash(1, changed)


async def test_python_m_bot_sync_forces_a_sync(standin: StandinDiscord, tmp_path: Path) -> None:
    """The real command, configured through the environment: it syncs although the hash
    file says nothing changed, and stops by itself."""
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    data = tmp_path / "data"
    data.mkdir()
    target = f"guild {standin.guild['id']}"
    (data / SYNC_FILE).write_text(json.dumps({target: "anything"}))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
           "STANDIN_API": standin.api_base, "STANDIN_GATEWAY": str(standin.gateway_url),
           "DISCORD_TOKEN": TOKEN, "DISCORD_GUILD_IDS": standin.guild["id"],
           "KNOWLEDGE_DIR": str(ROOT / "knowledge"), "DATA_DIR": str(data)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sync", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    text = output.decode()
    assert process.returncode == 0, text
    assert [r.guild_id for r in standin.records_of("command_sync")] == [standin.guild["id"]]
    assert re.search(rf"Synced \d+ commands \({target}\)", text), text
    assert json.loads((data / SYNC_FILE).read_text())[target] != "anything"
    assert standin.identify_count == 0  # logged in over REST only, no gateway session
    assert TOKEN not in text
