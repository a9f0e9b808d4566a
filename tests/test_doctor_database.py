"""``python -m bot doctor`` with ``DATABASE_URL``: one line says whether the database answers
and what it holds, or what to fix; the URL's password is never shown."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import psycopg
import pytest

from bot.core.kb_database import open_shared
from bot.core.knowledge import KnowledgeBase
from bot.core.store import Store
from bot.core.store_postgres import MIGRATIONS
from bot.doctor import Report, check_database
from bot.settings import Settings
from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[1]
SECRET = "hunter2-s3cret"


def with_password(url: str) -> str:
    """The URL with a password (the tests' server trusts every local connection, so any
    password is accepted: what matters is that it is never printed)."""
    return url.replace("postgresql://postgres@", f"postgresql://postgres:{SECRET}@")


def doctor(url: str, knowledge_dir: Path = ROOT / "knowledge") -> tuple[bool, list[str]]:
    out = io.StringIO()
    settings = Settings(knowledge_dir=knowledge_dir, database_url=url)
    passed = check_database(settings, Report(out))
    text = out.getvalue()
    assert SECRET not in text
    return passed, text.splitlines()


def seeded(postgres: PostgresServer) -> str:
    """A database as the bot leaves it at first start: migrated and seeded from qa.yaml."""
    url = postgres.new_database()
    store = Store.postgres(url)
    open_shared(ROOT / "knowledge", store, url).close()
    store.close()
    return url


def test_a_seeded_database_shows_its_schema_and_knowledge_base_versions(
        postgres: PostgresServer, kb: KnowledgeBase) -> None:
    url = seeded(postgres)
    passed, lines = doctor(with_password(url))
    database = url.rsplit("/", 1)[1]
    assert passed
    assert lines == [f"✓ database {database} on 127.0.0.1:{postgres.port} as postgres: "
                     f"reachable, schema version {len(MIGRATIONS)}, knowledge base version 1 "
                     f"({len(kb.entries)} entries)"]


def test_an_empty_database_is_fine_the_first_start_sets_it_up(
        postgres: PostgresServer) -> None:
    url = postgres.new_database()
    passed, lines = doctor(with_password(url))
    assert passed
    [line] = lines
    assert line.startswith("✓ database") and "schema version 0, no knowledge base yet" in line
    with psycopg.connect(url) as db:  # the doctor only read: nothing was created
        assert db.execute("SELECT to_regclass('schema_migrations')").fetchone() == (None,)


def test_an_unreachable_database_gets_its_fix_and_never_shows_the_password() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    passed, lines = doctor(f"postgresql://bot:{SECRET}@127.0.0.1:{port}/qa")
    assert not passed
    [line, fix] = lines
    assert line.startswith(f"✗ database qa on 127.0.0.1:{port} as bot: cannot be used (")
    assert "Connection refused" in line
    assert fix == ("  → start PostgreSQL, or correct DATABASE_URL (host, port, database, user, "
                   "password); the password is never shown")


def test_a_database_that_does_not_exist(postgres: PostgresServer) -> None:
    passed, lines = doctor(with_password(postgres.url("no_such_database")))
    assert not passed
    assert 'database "no_such_database" does not exist' in lines[0]
    assert lines[1].startswith("  → start PostgreSQL, or correct DATABASE_URL")


def test_a_schema_newer_than_this_bot(postgres: PostgresServer) -> None:
    url = seeded(postgres)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("INSERT INTO schema_migrations (version) VALUES (%s)",
                   (len(MIGRATIONS) + 1,))
    passed, [line, fix] = doctor(url)
    assert not passed
    assert line.endswith(f"schema version {len(MIGRATIONS) + 1}, newer than this bot's "
                         f"({len(MIGRATIONS)})")
    assert "same version of the bot in every process" in fix


def test_a_knowledge_base_that_does_not_load_with_this_article(
        postgres: PostgresServer, tmp_path: Path) -> None:
    """The database's knowledge base quotes an article that KNOWLEDGE_DIR does not hold."""
    url = seeded(postgres)
    other = tmp_path / "knowledge"
    other.mkdir()
    (other / "article.txt").write_text("Another headline September 5, 2011\n\n"
                                       "Elsewhere - Nothing that the entries quote.\n")
    passed, [line, fix] = doctor(url, other)
    assert not passed
    assert "knowledge base version 1 does not load: " in line
    assert "KNOWLEDGE_DIR" in fix


def test_without_database_url_there_is_no_database_line() -> None:
    out = io.StringIO()
    assert check_database(Settings(knowledge_dir=ROOT / "knowledge"), Report(out))
    assert out.getvalue() == ""


@pytest.mark.parametrize("url", [
    f"postgresql://bot:{SECRET}@127.0.0.1:notaport/qa",
    f"postgresql://bot:{SECRET}@[::1/qa",
])
def test_a_malformed_url_is_a_failure_without_the_password(url: str) -> None:
    passed, [line, _fix] = doctor(url)
    assert not passed and line.startswith("✗ database ") and "cannot be used" in line
