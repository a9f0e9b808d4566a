"""The store and the knowledge service the settings name, for every command that needs them:
SQLite in ``DATA_DIR`` and ``qa.yaml`` in ``KNOWLEDGE_DIR``, or both in the PostgreSQL
database at ``DATABASE_URL``."""

from __future__ import annotations

from bot.core.service import KnowledgeService
from bot.core.store import Store
from bot.settings import Settings


def open_store(settings: Settings) -> Store:
    return Store.open(settings.data_dir, settings.database_url)


def open_service(settings: Settings, store: Store | None) -> KnowledgeService:
    """The knowledge service; with a database, its knowledge base is the database's (seeded
    from ``qa.yaml`` when empty)."""
    if settings.database_url and store is not None:
        from bot.core.kb_database import open_shared  # noqa: PLC0415 - imports psycopg

        return open_shared(settings.knowledge_dir, store, settings.database_url)
    return KnowledgeService(settings.knowledge_dir, store)
