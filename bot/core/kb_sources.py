"""Where the knowledge base lives: ``qa.yaml`` on disk (the embedded default), or a database
shared by several processes (``bot/core/kb_database.py``).

A source hands out versions of the knowledge base as ``qa.yaml`` text with a token that names
the version (the file's time and size, or the database's version number), and saves a new
version together with its history records, unless the version it was built on is no longer
the newest: then ``StaleVersionError`` is raised and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bot.core.atomic import FileChangedError, atomic_write_text, remove_leftovers
from bot.core.errors import KnowledgeError, Problem, QAError
from bot.core.knowledge import KNOWLEDGE_FILE
from bot.core.store import Store

Record = Callable[[Any], None]
"""Writes the history of a change, given the store's open transaction."""


class StaleVersionError(Exception):
    """The version a change was built on is no longer the newest: nothing was saved."""


@dataclass(frozen=True)
class Version:
    text: str
    token: Hashable


class KnowledgeSource(Protocol):
    label: str
    """How people call it in messages: "qa.yaml", "the database"."""
    settles: bool
    """True when a new version may still be being written when first seen (a file an editor
    saves), so it is read only once it has stopped changing."""
    records_outside_changes: bool
    """True when a version made elsewhere comes with its own history (another process wrote
    it); False when it is a hand edit the service must record itself."""

    def peek(self) -> Hashable:
        """The newest version's token, cheaply."""

    def read(self) -> Version:
        """The newest version."""

    def locked(self) -> AbstractContextManager[Version]:
        """The newest version, with no other writer until the block ends."""

    def save(self, base: Version, text: str, store: Store | None, record: Record) -> Version:
        """Save ``text`` as the version after ``base`` and record its history in ``store``,
        atomically; StaleVersionError when ``base`` is not the newest any more."""

    def follow(self, heard: Callable[[], None]) -> None:
        """Call ``heard`` when a new version is saved elsewhere, if the source can tell."""

    def close(self) -> None: ...


class FileSource:
    """``qa.yaml`` in the knowledge directory, written atomically."""

    label = KNOWLEDGE_FILE
    settles = True
    records_outside_changes = False

    def __init__(self, directory: Path) -> None:
        self.path = directory / KNOWLEDGE_FILE
        remove_leftovers(self.path)  # temporary files of a save that was killed

    def peek(self) -> Hashable:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def read(self) -> Version:
        try:
            token = self.peek()
            return Version(self.path.read_text(encoding="utf-8"), token)
        except (OSError, UnicodeDecodeError) as exc:
            raise KnowledgeError(str(self.path), [Problem(0, f"cannot read the file: {exc}")]
                                 ) from None

    @contextmanager
    def locked(self) -> Iterator[Version]:
        """The file as it is now. Hand edits cannot be locked out: ``save`` looks again."""
        yield self.read()

    def save(self, base: Version, text: str, store: Store | None, record: Record) -> Version:
        """The history is committed only if the file is replaced (and the other way round:
        the file is replaced inside the store's transaction)."""
        def unchanged() -> bool:
            try:
                return self.path.read_text(encoding="utf-8") == base.text
            except (OSError, UnicodeDecodeError):
                return False

        try:
            if store is not None:
                with store.transaction() as db:
                    record(db)
                    atomic_write_text(self.path, text, unchanged)
            else:
                atomic_write_text(self.path, text, unchanged)
        except FileChangedError:
            raise StaleVersionError from None
        except OSError as exc:
            raise QAError(f"Could not save {self.path.name} ({exc.strerror or exc}); "
                          "nothing was changed.") from exc
        return Version(text, self.peek())

    def follow(self, heard: Callable[[], None]) -> None:
        """A file cannot tell: the bot's watcher looks at it every few seconds."""

    def close(self) -> None:
        """Nothing is held open."""
