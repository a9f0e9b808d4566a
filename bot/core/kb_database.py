"""The knowledge base in PostgreSQL, shared by every process of a sharded bot.

The database holds the newest version of ``qa.yaml`` (one row: its text and a version number
that every save increases) beside the history of every entry. A save locks that row, so two
moderators on two machines are served one after the other, each on the newest version, and
nothing is overwritten; the new version and its history records commit together, with a
NOTIFY that the other processes LISTEN for, so they answer from it at once (their periodic
check catches a notification lost while they were disconnected).

A new database is seeded from ``KNOWLEDGE_DIR/qa.yaml``; ``python -m bot import`` and
``export`` move a file in and out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.core.database import StoreError
from bot.core.errors import KnowledgeError, Problem
from bot.core.kb_reading import load_knowledge_base
from bot.core.kb_sources import Record, StaleVersionError, Version
from bot.core.knowledge import KNOWLEDGE_FILE, KnowledgeBase
from bot.core.service import KnowledgeService
from bot.core.store import Store, now_iso
from bot.core.store_postgres import PostgresConnection, migrate, wait_for_notify

log = logging.getLogger(__name__)

CHANNEL = "knowledge"
SEEDED_BY = "KNOWLEDGE_DIR/qa.yaml (first start)"
RETRY_SECONDS = (0.5, 1, 2, 5)  # between attempts to listen again, then every 5 s


class DatabaseSource:
    """The ``knowledge`` row of the PostgreSQL database at ``url``."""

    label = "the database"
    settles = False
    records_outside_changes = True

    def __init__(self, url: str) -> None:
        self.url = url
        self._write = PostgresConnection(url)
        self._read = PostgresConnection(url)
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        migrate(self._write)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- a first start -------------------------------------------------------------------

    def seed(self, kb: KnowledgeBase, text: str) -> bool:
        """Make ``text`` (valid: ``kb`` is it, read) the knowledge base of an empty database,
        with one history record per entry; False when the database had one already (another
        process may have seeded it at the same moment: only one does)."""
        with self._transaction() as db:
            inserted = db.execute(
                "INSERT INTO knowledge (id, version, text, saved_at) VALUES (1, 1, ?, ?) "
                "ON CONFLICT DO NOTHING RETURNING version", (text, now_iso())).fetchone()
            if inserted is None:
                return False
            for entry in kb.entries:
                Store.record_revision(db, entry.id, entry.revision, "seed",
                                      changed_by=SEEDED_BY, before=None, after=entry.to_dict())
        return True

    # --- KnowledgeSource -------------------------------------------------------------------

    def peek(self) -> Hashable:
        with self._read_lock:
            row = self._read.execute("SELECT version FROM knowledge WHERE id = 1").fetchone()
        return None if row is None else int(row[0])

    def read(self) -> Version:
        with self._read_lock:
            row = self._read.execute("SELECT text, version FROM knowledge WHERE id = 1"
                                     ).fetchone()
        if row is None:
            raise KnowledgeError(self.label, [Problem(0, "the database holds no knowledge base "
                                                         "yet (it is seeded at first start)")])
        return Version(row[0], int(row[1]))

    @contextmanager
    def locked(self) -> Iterator[Version]:
        """The newest version, its row locked until the block ends: a save in another process
        waits for this one."""
        with self._transaction() as db:
            row = db.execute("SELECT text, version FROM knowledge WHERE id = 1 FOR UPDATE"
                             ).fetchone()
            yield Version(row[0], int(row[1]))

    def save(self, base: Version, text: str, store: Store | None, record: Record) -> Version:
        """Inside ``locked()``: the next version, its history and the notification commit
        together."""
        version = int(base.token) + 1  # type: ignore[call-overload]
        db = self._write
        updated = db.execute("UPDATE knowledge SET version = ?, text = ?, saved_at = ? "
                             "WHERE id = 1 AND version = ?", (version, text, now_iso(),
                                                               base.token)).rowcount
        if updated != 1:
            raise StaleVersionError
        record(db)
        db.execute("SELECT pg_notify(?, ?)", (CHANNEL, str(version)))
        return Version(text, version)

    @contextmanager
    def _transaction(self) -> Iterator[PostgresConnection]:
        with self._write_lock:
            self._write.execute("BEGIN")
            try:
                yield self._write
            except BaseException:
                self._rollback()
                raise
            self._write.execute("COMMIT")

    def _rollback(self) -> None:
        try:
            self._write.execute("ROLLBACK")
        except StoreError:  # the connection is gone, and the transaction with it
            log.debug("No rollback: the connection to the database was lost")

    # --- other processes' saves --------------------------------------------------------------

    def follow(self, heard: Callable[[], None]) -> None:
        """Call ``heard`` (from a thread of its own) whenever another process saves a new
        version, listening again after a lost connection."""
        self._thread = threading.Thread(target=self._listen, args=(heard,),
                                        name="knowledge-listener", daemon=True)
        self._thread.start()

    def _listen(self, heard: Callable[[], None]) -> None:
        failures = 0

        def listening() -> None:
            nonlocal failures
            if failures:
                log.info("Hearing of knowledge-base changes again")
                heard()  # whatever was saved while nobody listened
            failures = 0

        while not self._stop.is_set():
            try:
                wait_for_notify(self.url, CHANNEL, self._stop, heard, listening)
            except StoreError as error:
                if not failures:
                    log.warning("Not hearing of knowledge-base changes from other processes "
                                "(%s); trying again, and checking every few seconds", error)
                failures += 1
                self._stop.wait(RETRY_SECONDS[min(failures, len(RETRY_SECONDS)) - 1])
                heard()  # the periodic check, while notifications cannot be heard

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self._write.close()
        self._read.close()


def open_shared(directory: Path, store: Store, url: str) -> KnowledgeService:
    """The knowledge service of one process of a bot whose knowledge base lives in the
    database at ``url``; an empty database is first seeded from ``directory``'s qa.yaml
    (validated as ``check`` does: an invalid file seeds nothing)."""
    source = DatabaseSource(url)
    try:
        if source.peek() is None:
            kb = load_knowledge_base(directory)
            if source.seed(kb, (directory / KNOWLEDGE_FILE).read_text(encoding="utf-8")):
                log.info("Seeded the database's knowledge base from %s", directory)
        return KnowledgeService(directory, store, source)
    except BaseException:
        source.close()
        raise
