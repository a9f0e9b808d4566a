"""The bench's capacity step: answers per core, memory per process and question-log writes,
each beside its baseline; PostgreSQL measured only in a temporary database of its own."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import psycopg
import pytest

from bot import bench
from bot.bench import Latency, capacity_report, postgres_question_log
from bot.bench_report import Report
from bot.core.journal import BATCH
from bot.core.knowledge import KnowledgeBase
from bot.settings import Settings
from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[1]
OURS, NAIVE = Latency(90.0, 300.0, 125.0), Latency(900.0, 3000.0, 1000.0)


def databases(postgres: PostgresServer) -> set[str]:
    with psycopg.connect(postgres.url()) as db:
        return {row[0] for row in db.execute("SELECT datname FROM pg_database")}


def capacity(database_url: str | None, monkeypatch: pytest.MonkeyPatch,
             kb: KnowledgeBase) -> tuple[dict[str, object], str]:
    """The capacity step on 1,000 questions (``--quick``): its figures and its text."""
    monkeypatch.setattr(bench, "CAPACITY_ROWS", 5000)
    out = io.StringIO()
    report = Report(out)
    capacity_report(Settings(knowledge_dir=ROOT / "knowledge", database_url=database_url), kb,
                    OURS, NAIVE, report, quick=True)
    figures = json.loads(json.dumps(report.figures))  # all of it goes into --json
    return figures["capacity"], out.getvalue()


def test_capacity_with_sqlite_only_says_how_to_measure_postgresql(
        monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase) -> None:
    figures, text = capacity(None, monkeypatch, kb)
    cores = figures["cores"]
    assert figures["answers_per_second_per_core"] == pytest.approx(8000.0)
    assert figures["naive_wratio_per_second_per_core"] == pytest.approx(1000.0)
    assert figures["answers_per_second_this_machine"] == pytest.approx(8000.0 * cores)
    memory = figures["memory_mib"]
    bare, alone, bot = (memory[k]["rss_mib"] for k in ("bare_interpreter", "engine_alone",
                                                       "bot_process"))
    assert 0 < bare < alone < bot, memory  # discord.py and psycopg on top of the engine
    log = figures["question_log"]
    assert log["rows"] == 1000 and log["batch"] == BATCH and log["sqlite_per_second"] > 0
    assert log["postgresql_per_second"] is None
    assert text.startswith("Capacity (one process; sizing a deployment")
    assert "8,000 questions/s" in text and "ours 8.0× faster" in text
    assert f"(one process on each of its {cores} cores)" in text
    assert f"a bot process is {bot / bare:.1f}× that" in text
    assert "PostgreSQL            not measured: set DATABASE_URL to a scratch PostgreSQL " \
        "server" in text


def test_capacity_measures_postgresql_in_a_temporary_database_and_drops_it(
        monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase, postgres: PostgresServer) -> None:
    own = postgres.new_database()
    before = databases(postgres)
    figures, text = capacity(own, monkeypatch, kb)
    log = figures["question_log"]
    assert log["postgresql_per_second"] > 0
    assert "than SQLite (in a temporary database beside DATABASE_URL's)" in text
    assert databases(postgres) == before  # the temporary database is gone
    with psycopg.connect(own) as db:  # and the bot's own database was never written
        assert db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                          ).fetchone() == (0,)


def test_a_role_that_may_not_create_databases_is_told_what_to_do(
        postgres: PostgresServer, kb: KnowledgeBase) -> None:
    with psycopg.connect(postgres.url(), autocommit=True) as admin:
        admin.execute("CREATE ROLE bench_plain LOGIN NOCREATEDB")
    url = postgres.url().replace("postgres@", "bench_plain:pw-secret@")
    reason = postgres_question_log(url, kb, 10, Report(io.StringIO()))
    assert isinstance(reason, str) and "may not create a database" in reason
    assert "CREATEDB" in reason and "pw-secret" not in reason


def test_an_unreachable_database_is_no_figure_and_shows_no_password(
        kb: KnowledgeBase) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    reason = postgres_question_log(f"postgresql://bot:pw-secret@127.0.0.1:{port}/qa", kb, 10,
                                   Report(io.StringIO()))
    assert reason == ("the database cannot be used (OperationalError); see python -m bot "
                      "doctor")
