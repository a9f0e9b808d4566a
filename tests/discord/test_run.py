"""`python -m bot run` as its users start it: a real process, configured only through the
environment, talking to the stand-in Discord, stopped with SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

import discord
import pytest

from bot.runner import setup_logging
from tests.discord.processes import (
    ROOT,
    SITECUSTOMIZE,
    TOKEN,
    bot_process,
    read_until,
    standin_env,
    terminate,
)
from tests.standin.server import StandinDiscord


async def test_run_answers_and_stops_cleanly_on_sigterm(standin: StandinDiscord,
                                                       tmp_path: Path) -> None:
    env = standin_env(standin, tmp_path, DISCORD_GUILD_IDS=standin.guild["id"],
                      QA_CHANNEL_IDS=standin.channel["id"], DATA_DIR=str(tmp_path / "data"),
                      LOG_LEVEL="DEBUG")
    async with bot_process(env, tmp_path) as process:
        sync = await standin.wait_for("command_sync", timeout=20)
        assert sync.guild_id == standin.guild["id"]
        started = await read_until(process, "Connected as")  # on_ready: guilds are in
        await standin.send_message("who sent the cable?")  # a Q&A channel: no mention
        reply = await standin.wait_for("message", timeout=10)
        assert reply.embeds[0]["title"] == "Who sent the cable?"
        text = started + await terminate(process)
    assert process.returncode == 0, text
    assert TOKEN not in text and "standin-secret" not in text
    assert "question source=channel" in text and "Shutting down" in text
    assert (tmp_path / "data" / "bot.sqlite3").is_file()
    # Logs for a file or a journal: no colour codes, no warning about voice it never uses.
    assert "\x1b[" not in text
    assert "PyNaCl" not in text and "davey" not in text


def test_logs_have_no_colour_off_a_terminal_even_in_docker(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py colours its logs whenever it guesses Docker; ``docker logs`` is no
    terminal."""
    monkeypatch.setattr(discord.utils, "is_docker", lambda: True)
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    try:
        setup_logging("INFO")
        added = [h for h in root.handlers if h not in before]
        assert len(added) == 1
        record = logging.LogRecord("bot", logging.WARNING, __file__, 1, "hello", None, None)
        line = added[0].format(record)
        assert "\x1b[" not in line and "WARNING" in line and "hello" in line
    finally:
        for handler in root.handlers:
            if handler not in before:
                root.removeHandler(handler)
        root.setLevel(level)


async def test_run_with_a_malformed_token_says_so_and_exits_2(tmp_path: Path) -> None:
    env = {**os.environ, "DISCORD_TOKEN": "not a token", "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0] and "not a token" not in lines[0]
    assert out == b""


def _run_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": TOKEN,
            "KNOWLEDGE_DIR": str(ROOT / "knowledge"), "DATA_DIR": str(tmp_path / "data"),
            **extra}


async def _run(env: dict[str, str], cwd: Path) -> tuple[int, list[str]]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    return process.returncode or 0, err.decode().strip().splitlines()


async def test_an_unusable_data_dir_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    code, lines = await _run(_run_env(tmp_path, DATA_DIR=str(blocked / "data")), tmp_path)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("error: DATA_DIR") and "Traceback" not in \
        lines[0]


async def test_discord_unreachable_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """Nothing listens on the port: a restart policy may retry later (exit 1, not 2)."""
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = _run_env(tmp_path, STANDIN_API="http://127.0.0.1:9/api/v10",
                   STANDIN_GATEWAY="ws://127.0.0.1:9/",
                   PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    code, lines = await _run(env, tmp_path)
    errors = [line for line in lines if line.startswith("error:")]
    assert code == 1, lines
    assert errors and "Discord cannot be reached" in errors[0]
    assert not any("Traceback" in line for line in lines)
    assert TOKEN not in "\n".join(lines)


async def test_a_broken_knowledge_base_is_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "knowledge"
    broken.mkdir()
    (broken / "article.txt").write_bytes((ROOT / "knowledge" / "article.txt").read_bytes())
    (broken / "qa.yaml").write_text("version: 1\nentries: [oops\n")
    code, lines = await _run(_run_env(tmp_path, KNOWLEDGE_DIR=str(broken)), tmp_path)
    assert code == 2 and lines[0].startswith("error: the knowledge base cannot be loaded")
