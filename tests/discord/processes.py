"""`python -m bot run` as a real process, configured only through the environment and pointed
at the stand-in Discord the way a test harness outside the project would."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
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


def standin_env(standin: StandinDiscord, directory: Path, **settings: str) -> dict[str, str]:
    """The environment of a bot process talking to ``standin`` (its sitecustomize is written
    to ``directory``), with the token, the project's knowledge base and ``settings``."""
    (directory / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(directory), str(ROOT)]),
            "STANDIN_API": standin.api_base, "STANDIN_GATEWAY": str(standin.gateway_url),
            "DISCORD_TOKEN": TOKEN, "KNOWLEDGE_DIR": str(ROOT / "knowledge"), **settings}


@contextlib.asynccontextmanager
async def bot_process(env: dict[str, str], cwd: Path
                      ) -> AsyncIterator[asyncio.subprocess.Process]:
    """``python -m bot run`` with its output (stdout and stderr together) piped; killed on
    exit if the test left it running."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def read_until(process: asyncio.subprocess.Process, marker: str) -> str:
    """The process's output up to and including the line holding ``marker``."""
    assert process.stdout is not None
    seen = ""
    while marker not in seen:
        line = await asyncio.wait_for(process.stdout.readline(), timeout=20)
        if not line:
            raise AssertionError(f"the bot stopped before {marker!r}:\n{seen}")
        seen += line.decode()
    return seen


async def terminate(process: asyncio.subprocess.Process) -> str:
    """Send SIGTERM and return the rest of the output once the process has ended."""
    process.send_signal(signal.SIGTERM)
    output, _ = await asyncio.wait_for(process.communicate(), timeout=15)
    return output.decode()
