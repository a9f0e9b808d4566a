"""The command definitions the bot syncs at start-up, checked against Discord's limits, and
where they are synced (the configured guilds, instantly, or globally)."""

from __future__ import annotations

import re
from typing import Any

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
