"""deploy/: the container's entrypoint run for real (with a stand-in ``python``), and the
Dockerfile, compose file and systemd unit read for what the README promises of them. (No
Docker daemon or systemd runs in CI, so the image itself is not built here.)"""

import configparser
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
ENTRYPOINT = DEPLOY / "entrypoint.sh"


def _fake_python(folder: Path, body: str) -> dict[str, str]:
    """A ``python`` first on PATH that runs ``body`` (sh) instead of the bot."""
    fake = folder / "python"
    fake.write_text(f"#!/bin/sh\n{body}\n")
    fake.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.parametrize(("command", "bot_exit", "container_exit"), [
    ("run", 0, 0),
    ("run", 1, 1),  # Discord unreachable: restart-on-failure restarts
    ("run", 2, 0),  # a configuration error: left stopped
    ("doctor", 1, 1),
    ("check", 2, 2),  # only `run` is mapped
])
def test_entrypoint_exit_codes(tmp_path: Path, command: str, bot_exit: int,
                               container_exit: int) -> None:
    env = _fake_python(tmp_path, f'echo "bot $*"; exit {bot_exit}')
    done = subprocess.run(["sh", str(ENTRYPOINT), command], env=env, capture_output=True,
                          text=True, timeout=30, check=False)
    assert done.returncode == container_exit
    assert done.stdout.strip() == f"bot -m bot {command}"
    assert ("configuration error" in done.stderr) == (command == "run" and bot_exit == 2)


def test_entrypoint_passes_sigterm_on_and_waits(tmp_path: Path) -> None:
    """``docker stop`` sends SIGTERM to the entrypoint: the bot must get it and stop
    cleanly, and the container's exit code is the bot's."""
    marker = tmp_path / "stopped"
    env = _fake_python(tmp_path, (
        f"trap 'echo clean > {marker}; exit 0' TERM\n"
        "echo ready\n"
        "while true; do sleep 0.05; done"))
    process = subprocess.Popen(["sh", str(ENTRYPOINT), "run"], env=env,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    deadline = time.monotonic() + 5
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)  # polling the file system for the child's last write
    assert marker.read_text().strip() == "clean"


def test_dockerfile_runs_as_a_user_with_volumes() -> None:
    lines = [line.strip() for line in (DEPLOY / "Dockerfile").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    volumes = next(line for line in lines if line.startswith("VOLUME "))
    assert "/app/knowledge" in volumes and "/app/data" in volumes
    assert any(line.startswith("FROM ") and "slim" in line for line in lines)
    assert 'ENTRYPOINT ["bot-entrypoint"]' in lines and 'CMD ["run"]' in lines
    env = " ".join(line for line in lines if line.startswith(("ENV", "KNOWLEDGE_DIR", "DATA")))
    assert "KNOWLEDGE_DIR=/app/knowledge" in env and "DATA_DIR=/app/data" in env


def test_compose_restarts_on_failure_with_both_volumes() -> None:
    service = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]["bot"]
    assert service["restart"] == "on-failure"
    assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    targets = {volume.split(":")[1] for volume in service["volumes"]}
    assert targets == {"/app/knowledge", "/app/data"}
    assert service["env_file"] == "../.env"


def test_systemd_unit_restarts_on_1_but_not_on_2() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign] - keys keep their case
    unit.read(DEPLOY / "bot.service")
    service = unit["Service"]
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"].split() == ["2"]
    assert service["ExecStart"].endswith("python -m bot run")
    assert service["User"] != "root"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """``systemd-analyze verify`` reads every directive (paths and users of the machine it
    will run on are not checked: they do not exist here)."""
    unit = tmp_path / "article-qa-bot.service"
    unit.write_text((DEPLOY / "bot.service").read_text())
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)],
                          capture_output=True, text=True, timeout=60, check=False)
    problems = [line for line in done.stderr.splitlines()
                if "Unknown" in line or "Invalid" in line or "Failed to parse" in line]
    assert not problems, done.stderr


def test_compose_scale_runs_two_shards_on_one_healthy_postgres() -> None:
    """Two bot processes, one shard each, wait for PostgreSQL to be healthy and reach it with
    the password from .env: no secret is written in the file."""
    compose = yaml.safe_load((DEPLOY / "compose.scale.yaml").read_text())
    services = compose["services"]
    database = services["postgres"]
    assert database["image"] == "postgres:15"
    assert "pg_isready" in " ".join(database["healthcheck"]["test"])
    [volume] = [v for v in database["volumes"] if v.endswith(":/var/lib/postgresql/data")]
    assert volume.split(":")[0] in compose["volumes"]  # a named volume, not the container's
    environment = database["environment"]
    assert environment["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")

    bots = {name: service for name, service in services.items() if name != "postgres"}
    assert sorted(service["environment"]["SHARD_IDS"] for service in bots.values()) == ["0", "1"]
    data_volumes = set()
    for service in bots.values():
        env = service["environment"]
        assert env["SHARD_COUNT"] == "2"
        assert service["restart"] == "on-failure"
        assert service["env_file"] == "../.env"
        assert service["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        url = re.fullmatch(r"postgresql://(\w+):(\$\{POSTGRES_PASSWORD:\?[^}]*\})@postgres:5432/"
                           r"(\w+)", env["DATABASE_URL"])
        assert url, env["DATABASE_URL"]  # the password comes from .env, never from the file
        assert (url[1], url[3]) == (environment["POSTGRES_USER"], environment["POSTGRES_DB"])
        mounts = {volume.split(":")[1]: volume.split(":") for volume in service["volumes"]}
        assert mounts["/app/knowledge"][2:] == ["ro"]
        data_volumes.add(mounts["/app/data"][0])
    assert len(data_volumes) == len(bots), "each process its own DATA_DIR"
    assert "\nPOSTGRES_PASSWORD=\n" in (DEPLOY.parent / ".env.example").read_text()
