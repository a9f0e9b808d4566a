"""Shared fixtures for the core and CLI tests: the real article, knowledge base and engine.

They are built once per session (parsing the knowledge base and building the indexes is the
expensive part) and are immutable, so sharing them between tests is safe.
"""

from pathlib import Path

import pytest

from bot.core.answers import AnswerEngine
from bot.core.article import Article, load_article
from bot.core.kb_reading import load_knowledge_base
from bot.core.knowledge import ARTICLE_FILE, KnowledgeBase

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
