"""`python -m bot doctor` against the stand-in Discord: a healthy setup passes, and each
misconfiguration a newcomer meets gets its ✗ line with a fix, never showing the token."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sys
from dataclasses import replace
from pathlib import Path

import discord.http
import pytest

from bot.client import QABot
from bot.core.service import KnowledgeService
from bot.doctor import diagnose
from bot.settings import Settings
from tests.discord.test_run import SITECUSTOMIZE
from tests.postgres import PostgresServer
from tests.standin import payloads as p
from tests.standin.server import BotCrashedError, StandinDiscord

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gdoctr.doctor-secret-token-value"


@pytest.fixture
def doctor_settings(standin: StandinDiscord, tmp_path: Path) -> Settings:
    """A healthy setup: the right token, the stand-in's server, #general as a Q&A channel and
    a second channel as the moderator log."""
    standin.accepted_token = TOKEN
    mod_log = standin.add_text_channel("mod-log")
    return Settings(discord_token=TOKEN, guild_ids=(int(standin.guild["id"]),),
                    qa_channel_ids=frozenset({int(standin.channel["id"])}),
                    mod_log_channel_id=int(mod_log["id"]),
                    knowledge_dir=ROOT / "knowledge", data_dir=tmp_path / "data")


async def run_doctor(standin: StandinDiscord, settings: Settings) -> tuple[int, list[str]]:
    out = io.StringIO()
    with standin.patched():
        code = await diagnose(lambda: settings, out)
    return code, out.getvalue().splitlines()


def failures(lines: list[str]) -> list[tuple[str, str]]:
    """Each ✗ line with the fix line under it."""
    return [(line, lines[i + 1]) for i, line in enumerate(lines) if line.startswith("✗")]


async def test_a_healthy_setup_passes_every_check(standin: StandinDiscord,
                                                  doctor_settings: Settings) -> None:
    code, lines = await run_doctor(standin, doctor_settings)
    assert code == 0, lines
    assert all(line.startswith("✓") for line in lines), lines
    text = "\n".join(lines)
    for expected in ("settings", "DISCORD_TOKEN: set", "knowledge base", "DATA_DIR",
                     "Discord is reachable", "Discord accepted DISCORD_TOKEN",
                     "Message Content intent: enabled", "servers: the bot is in 1",
                     "#general in Standin Guild (QA_CHANNEL_IDS)",
                     "#mod-log in Standin Guild (MOD_LOG_CHANNEL_ID)"):
        assert expected in text, (expected, lines)
    assert (doctor_settings.data_dir.is_dir()
            and not list(doctor_settings.data_dir.iterdir())), "the probe file was left behind"
    assert {"login", "application", "fetch_guilds", "fetch_guild", "fetch_member",
            "fetch_channel"} <= {r.kind for r in standin.records}


async def test_with_database_url_the_database_is_checked_after_data_dir(
        standin: StandinDiscord, doctor_settings: Settings, postgres: PostgresServer) -> None:
    settings = replace(doctor_settings, database_url=postgres.new_database())
    code, lines = await run_doctor(standin, settings)
    assert code == 0, lines
    assert all(line.startswith("✓") for line in lines), lines
    [database] = [n for n, line in enumerate(lines) if line.startswith("✓ database ")]
    assert lines[database - 1].startswith("✓ DATA_DIR")
    assert "reachable, schema version 0, no knowledge base yet" in lines[database]


async def test_python_m_bot_doctor_runs_from_the_environment_alone(
        standin: StandinDiscord, doctor_settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "STANDIN_API": standin.api_base,
        "STANDIN_GATEWAY": str(standin.gateway_url),
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_GUILD_IDS": standin.guild["id"],
        "QA_CHANNEL_IDS": standin.channel["id"],
        "MOD_LOG_CHANNEL_ID": str(doctor_settings.mod_log_channel_id),
        "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        "DATA_DIR": str(tmp_path / "data"),
        "PYTHONIOENCODING": "utf-8",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "doctor", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    lines = out.decode().splitlines()
    assert process.returncode == 0, (lines, err.decode())
    assert len(lines) == 10 and all(line.startswith("✓") for line in lines), lines
    assert TOKEN not in out.decode() + err.decode()


async def test_embed_links_denied_in_the_qa_channel_is_named_with_its_fix(
        standin: StandinDiscord, doctor_settings: Settings) -> None:
    standin.add_overwrite(standin.channel, standin.guild, deny=p.EMBED_LINKS)
    code, lines = await run_doctor(standin, doctor_settings)
    assert code == 1
    [(line, fix)] = failures(lines)
    assert "#general" in line and "QA_CHANNEL_IDS" in line and "lacks Embed Links" in line
    assert "Send Messages" not in line
    assert fix.startswith("  → ") and "@standin-bot" in fix and "@everyone" in fix
    assert fix == ("  → in #general > Edit Channel > Permissions, allow for the bot's role "
                   "@standin-bot: Embed Links (denied to @everyone there)")
    assert any(line.startswith("✓ #mod-log") for line in lines), lines


async def test_a_deny_on_the_bots_own_role_is_traced_to_that_role(
        standin: StandinDiscord, doctor_settings: Settings) -> None:
    mod_log = standin.guild["channels"][-1]
    standin.add_overwrite(mod_log, standin.bot_role(), deny=p.SEND_MESSAGES)
    code, lines = await run_doctor(standin, doctor_settings)
    assert code == 1
    [(line, fix)] = failures(lines)
    # Without Send Messages Discord withholds embeds too; the fix names the root cause.
    assert "#mod-log" in line and "lacks Send Messages, Embed Links" in line
    assert "allow for the bot's role @standin-bot: Send Messages (denied to that role there)" \
        in fix
    assert "withholds Embed Links" in fix


async def test_a_channel_the_bot_cannot_see(standin: StandinDiscord,
                                            doctor_settings: Settings) -> None:
    standin.add_overwrite(standin.channel, standin.guild, deny=p.VIEW_CHANNEL)
    code, lines = await run_doctor(standin, doctor_settings)
    assert code == 1
    [(line, fix)] = failures(lines)
    assert f"channel {standin.channel['id']} (QA_CHANNEL_IDS): the bot cannot see it" in line
    assert "View Channel" in fix


async def test_an_unknown_channel_id(standin: StandinDiscord,
                                     doctor_settings: Settings) -> None:
    settings = replace(doctor_settings, mod_log_channel_id=int(p.snowflake()))
    code, lines = await run_doctor(standin, settings)
    [(line, fix)] = failures(lines)
    assert code == 1 and "MOD_LOG_CHANNEL_ID): no such channel" in line
    assert "Copy Channel ID" in fix


async def test_message_content_intent_disabled_on_the_application(
        standin: StandinDiscord, doctor_settings: Settings) -> None:
    standin.set_message_content_intent(False)
    code, lines = await run_doctor(standin, doctor_settings)
    assert code == 1
    [(line, fix)] = failures(lines)
    assert "Message Content intent: not enabled" in line
    assert "Privileged Gateway Intents" in fix and "MESSAGE_CONTENT_INTENT=false" in fix
    # What the doctor warns about is what the bot meets: Discord refuses its connection.
    bot = QABot(doctor_settings, KnowledgeService(doctor_settings.knowledge_dir),
                guild_ready_timeout=0.05)
    with pytest.raises(BotCrashedError) as crashed:
        async with standin.run_bot(bot, token=TOKEN):
            pass
    assert isinstance(crashed.value.__cause__, discord.PrivilegedIntentsRequired)


async def test_without_the_intent_setting_a_disabled_intent_is_no_failure(
        standin: StandinDiscord, doctor_settings: Settings) -> None:
    standin.set_message_content_intent(False)
    settings = replace(doctor_settings, message_content_intent=False)
    code, lines = await run_doctor(standin, settings)
    assert code == 0, lines
    assert any(line.startswith("! MESSAGE_CONTENT_INTENT=false") for line in lines), lines


async def test_a_wrong_token_is_refused_and_never_printed(
        standin: StandinDiscord, doctor_settings: Settings,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gwrong.a-revoked-token-value"
    code, lines = await run_doctor(standin, replace(doctor_settings, discord_token=wrong))
    assert code == 1
    [(line, fix)] = failures(lines)
    assert line.startswith("✗ Discord refused DISCORD_TOKEN")
    assert "Developer Portal (Bot > Reset Token)" in fix and ".env" in fix
    assert lines[-1].startswith("- skipped: intent, servers and channels")
    assert standin.records_of("rejected")[0].status == 401
    assert wrong not in "\n".join(lines) + caplog.text
    assert "revoked-token" not in "\n".join(lines) + caplog.text


async def test_a_malformed_token_skips_the_discord_login(
        standin: StandinDiscord, doctor_settings: Settings) -> None:
    code, lines = await run_doctor(standin, replace(doctor_settings, discord_token="Bot abc"))
    [(line, _)] = failures(lines)
    assert code == 1 and "DISCORD_TOKEN" in line and "abc" not in "\n".join(lines)
    assert not standin.records_of("login")


async def test_an_unwritable_data_dir(standin: StandinDiscord, doctor_settings: Settings,
                                      tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, lines = await run_doctor(standin, replace(doctor_settings,
                                                    data_dir=blocker / "data"))
    assert code == 1
    [(line, fix)] = failures(lines)
    assert line.startswith("✗ DATA_DIR") and "cannot be created" in line
    assert "DATA_DIR" in fix
    assert any("Discord accepted DISCORD_TOKEN" in line for line in lines), lines


async def test_a_broken_knowledge_base(standin: StandinDiscord, doctor_settings: Settings,
                                       tmp_path: Path) -> None:
    broken = tmp_path / "knowledge"
    broken.mkdir()
    (broken / "article.txt").write_bytes((ROOT / "knowledge" / "article.txt").read_bytes())
    (broken / "qa.yaml").write_text("version: 1\nentries: [oops\n")
    code, lines = await run_doctor(standin, replace(doctor_settings, knowledge_dir=broken))
    [(line, fix)] = failures(lines)
    assert code == 1 and line.startswith("✗ knowledge base") and "python -m bot check" in fix


async def test_a_server_the_bot_is_not_in_gets_an_invite_link(
        standin: StandinDiscord, doctor_settings: Settings) -> None:
    elsewhere = int(p.snowflake())
    settings = replace(doctor_settings, kb_guild_ids=frozenset({elsewhere}))
    code, lines = await run_doctor(standin, settings)
    [(line, fix)] = failures(lines)
    assert code == 1 and f"not in server {elsewhere} (named in KB_GUILD_IDS)" in line
    assert f"client_id={standin.application['id']}" in fix and f"guild_id={elsewhere}" in fix


async def test_a_bot_in_no_server(standin: StandinDiscord, doctor_settings: Settings) -> None:
    standin.guilds.clear()
    code, lines = await run_doctor(standin, replace(doctor_settings, guild_ids=()))
    [(line, fix)] = failures(lines)
    assert code == 1 and "in no server" in line
    assert "scope=bot+applications.commands" in fix
    assert lines[-1] == "- skipped: channel permissions (the bot is in no server)"


async def test_discord_unreachable(doctor_settings: Settings,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", "http://127.0.0.1:9/api/v10")
    out = io.StringIO()
    code = await diagnose(lambda: doctor_settings, out)
    lines = out.getvalue().splitlines()
    [(line, _)] = failures(lines)
    assert code == 1 and line.startswith("✗ Discord cannot be reached")
    assert lines[-1].startswith("- skipped: token, intent, servers and channels")


async def test_a_bad_setting_is_a_failure_and_stops_the_checks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    out = io.StringIO()
    code = await diagnose(lambda: Settings.load(env_file=None), out)
    lines = out.getvalue().splitlines()
    assert code == 1 and lines[0].startswith("✗ settings: LOG_LEVEL")
    assert lines[1].startswith("  → ") and lines[2].startswith("- skipped: every other check")


async def test_a_terminal_that_cannot_show_the_marks_gets_plain_ones(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    code = await diagnose(lambda: Settings.load(env_file=None), out)
    lines = raw.getvalue().decode("ascii").splitlines()
    assert code == 1 and lines[0].startswith("x settings: LOG_LEVEL")
    assert lines[1].startswith("  -> ")


async def test_a_missing_token_says_where_the_env_file_is_looked_for(
        standin: StandinDiscord, doctor_settings: Settings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, lines = await run_doctor(standin, replace(doctor_settings, discord_token=None))
    [(line, fix)] = failures(lines)
    assert code == 1 and "DISCORD_TOKEN is not set" in line
    assert f"this is {tmp_path}" in fix
    assert "- skipped: token, intent, servers and channels (DISCORD_TOKEN is missing or " \
        "malformed)" in lines
