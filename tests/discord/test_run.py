"""`python -m bot run` as its users start it: a real process, configured only through the
environment, talking to the stand-in Discord, stopped with SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.standin.server import StandinDiscord

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.standin-secret-token-value"

# Loaded by Python at start-up (sitecustomize): points discord.py at the stand-in, exactly what
# a test harness outside the project would do. The project itself never changes these.
SITECUSTOMIZE = """
import os, discord.gateway, discord.http, yarl
discord.http.Route.BASE = os.environ["STANDIN_API"]
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["STANDIN_GATEWAY"])
"""


async def test_run_answers_and_stops_cleanly_on_sigterm(standin: StandinDiscord,
                                                       tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "STANDIN_API": standin.api_base,
        "STANDIN_GATEWAY": str(standin.gateway_url),
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_GUILD_IDS": standin.guild["id"],
        "QA_CHANNEL_IDS": standin.channel["id"],
        "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        "DATA_DIR": str(tmp_path / "data"),
        "LOG_LEVEL": "DEBUG",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        sync = await standin.wait_for("command_sync", timeout=20)
        assert sync.guild_id == standin.guild["id"]
        await standin.wait_until(lambda: standin.identify_count > 0, timeout=10)
        await asyncio.sleep(0.3)  # READY, then GUILD_CREATE and the guild-ready wait
        await standin.send_message("who sent the cable?")  # a Q&A channel: no mention
        reply = await standin.wait_for("message", timeout=10)
        assert reply.embeds[0]["title"] == "Who sent the cable?"
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=15)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    text = output.decode()
    assert process.returncode == 0, text
    assert TOKEN not in text and "standin-secret" not in text
    assert "question source=channel" in text and "Shutting down" in text
    assert (tmp_path / "data" / "bot.sqlite3").is_file()


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
