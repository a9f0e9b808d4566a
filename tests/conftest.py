"""Shared fixtures for the core and CLI tests: the real article, knowledge base and engine.

They are built once per session (parsing the knowledge base and building the indexes is the
expensive part) and are immutable, so sharing them between tests is safe.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.core.answers import AnswerEngine
from bot.core.article import Article, load_article
from bot.core.kb_reading import load_knowledge_base
from bot.core.knowledge import ARTICLE_FILE, KnowledgeBase
from bot.core.store import Store
from tests.postgres import PostgresServer, running_server

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def knowledge_dir() -> Path:
    """The project's real ``knowledge/`` directory (read it, never write to it)."""
    return ROOT / "knowledge"


@pytest.fixture(scope="session")
def article(knowledge_dir: Path) -> Article:
    return load_article(knowledge_dir / ARTICLE_FILE)


@pytest.fixture(scope="session")
def kb(knowledge_dir: Path) -> KnowledgeBase:
    return load_knowledge_base(knowledge_dir)


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> AnswerEngine:
    return AnswerEngine.build(kb)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole session (see ``tests/postgres.py``)."""
    with running_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Store]:
    """Opens a new, empty store of each backend in turn: the store's tests run against both
    (PostgreSQL: a fresh database on the session's server)."""
    opened: list[Store] = []

    def make() -> Store:
        if request.param == "sqlite":
            store = Store(tmp_path / f"bot-{len(opened)}.sqlite3")
        else:
            store = Store.postgres(request.getfixturevalue("postgres").new_database())
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
