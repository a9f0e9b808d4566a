"""What the store's two databases, SQLite and PostgreSQL, have in common: a connection that
runs the store's SQL, the dialect where their SQL differs, and the errors of either."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from bot.core.errors import QAError


class StoreError(Exception):
    """The database failed (the PostgreSQL backend's errors, as one type)."""


class StoreUnavailableError(StoreError, QAError):
    """The database cannot be reached (a server down or restarting); it is tried again on
    the next use. Its message is for people: what failed is in ``__cause__``."""

    def __init__(self, what: str = "") -> None:
        super().__init__("The database cannot be reached just now, so nothing was read or "
                         "changed; try again in a moment." + (f" ({what})" if what else ""))


DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, StoreError)
"""What any database of the store may raise."""


class Dialect:
    """Where SQLite and PostgreSQL differ in the store's queries; the rest is the SQL both
    speak (``?`` placeholders are translated by the PostgreSQL connection)."""

    name = "sqlite"
    begin = "BEGIN IMMEDIATE"

    @staticmethod
    def unindexed(column: str) -> str:
        """The column, not usable through an index (SQLite's unary plus: a hint to scan)."""
        return f"+{column}"

    @staticmethod
    def group_concat(expression: str) -> str:
        return f"GROUP_CONCAT(DISTINCT {expression})"


class Connection(Protocol):
    """What the store needs of a database connection (``sqlite3.Connection`` has it)."""

    def execute(self, sql: str, parameters: Sequence[object] = ..., /) -> Any: ...
    def executemany(self, sql: str, parameters: Iterable[Sequence[object]], /) -> Any: ...
    def close(self) -> None: ...
