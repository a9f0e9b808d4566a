"""Runtime state that is not the knowledge base, in SQLite under the data directory.

What is stored, and why (the README repeats this for server owners):
- ``questions``: each question asked, when, in which channel, how it was answered (decision,
  entry, score). No author: nothing here says who asked. Moderators review unanswered ones.
- ``votes``: 👍/👎 on an answer. The voter is kept only as a salted hash of their Discord id,
  enough for "one vote per person per answer" and useless for finding who voted.
- ``revisions``: every change to the knowledge base: entry, action, who (moderator name and
  id, needed for traceability), when, the entry before and after. A revert reads from here.

All methods are synchronous and thread-safe (one connection, one lock); the Discord layer calls
them through ``asyncio.to_thread`` so the event loop never waits on the disk.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.core.answers import Answer

DATABASE_FILE = "bot.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    asked_at TEXT NOT NULL,
    source TEXT NOT NULL,
    channel_id INTEGER,
    question TEXT NOT NULL,
    decision TEXT NOT NULL,
    entry_id TEXT,
    score REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_decision ON questions (decision, asked_at);
CREATE TABLE IF NOT EXISTS votes (
    question_id INTEGER NOT NULL REFERENCES questions (id),
    voter TEXT NOT NULL,
    entry_id TEXT,
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    voted_at TEXT NOT NULL,
    PRIMARY KEY (question_id, voter)
);
CREATE TABLE IF NOT EXISTS revisions (
    id INTEGER PRIMARY KEY,
    entry_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    action TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX IF NOT EXISTS revisions_entry ON revisions (entry_id, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Decisions that count as "no confident answer" in the moderators' review.
UNANSWERED = ("did_you_mean", "not_covered")


def now_iso() -> str:
    """The current UTC time, to the second, as ISO 8601."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class Revision:
    """One recorded change of one entry."""

    id: int
    entry_id: str
    revision: int
    action: str
    changed_at: str
    changed_by: str
    before: dict[str, object] | None
    after: dict[str, object] | None


@dataclass(frozen=True, slots=True)
class UnansweredQuestion:
    question: str
    times: int
    last_asked: str


@dataclass(frozen=True, slots=True)
class Stats:
    questions: int
    unanswered: int
    top_entries: list[tuple[str, int]]
    downvoted: list[tuple[str, int, int]]  # entry, 👎 count, 👍 count


class Store:
    """The SQLite database: question log, votes and knowledge-base revisions."""

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'voter_salt'").fetchone()
            if row is None:
                self._salt = secrets.token_hex(16)
                self._db.execute("INSERT INTO meta VALUES ('voter_salt', ?)", (self._salt,))
            else:
                self._salt = row["value"]

    @classmethod
    def in_directory(cls, data_dir: Path) -> Store:
        return cls(data_dir / DATABASE_FILE)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # --- question log ---------------------------------------------------------------------

    def log_question(self, answer: Answer, source: str, channel_id: int | None) -> int:
        """Record one question and how it was answered; returns its id."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO questions (asked_at, source, channel_id, question, decision, "
                "entry_id, score) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now_iso(), source, channel_id, answer.question[:500], answer.decision.value,
                 answer.entry.id if answer.entry else None, answer.score),
            )
            return int(cursor.lastrowid or 0)

    def popular_entries(self, limit: int) -> list[str]:
        """Entry ids most often answered, most first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT entry_id FROM questions WHERE entry_id IS NOT NULL "
                "GROUP BY entry_id ORDER BY COUNT(*) DESC, entry_id LIMIT ?", (limit,)).fetchall()
        return [row["entry_id"] for row in rows]

    def unanswered(self, limit: int = 25) -> list[UnansweredQuestion]:
        """Recent questions with no confident answer, most frequent first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT question, COUNT(*) AS times, MAX(asked_at) AS last_asked "  # noqa: S608
                f"FROM questions WHERE decision IN ({','.join('?' * len(UNANSWERED))}) "
                "GROUP BY lower(question) ORDER BY times DESC, last_asked DESC LIMIT ?",
                (*UNANSWERED, limit),
            ).fetchall()
        return [UnansweredQuestion(r["question"], r["times"], r["last_asked"]) for r in rows]

    # --- votes ----------------------------------------------------------------------------

    def _voter(self, user_id: int) -> str:
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()

    def vote(self, question_id: int, user_id: int, value: int) -> bool:
        """Record a vote; a second vote by the same person on the same answer replaces the
        first. Returns False when the question is unknown."""
        with self._lock:
            row = self._db.execute("SELECT entry_id FROM questions WHERE id = ?",
                                   (question_id,)).fetchone()
            if row is None:
                return False
            self._db.execute(
                "INSERT INTO votes (question_id, voter, entry_id, value, voted_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (question_id, voter) DO UPDATE SET "
                "value = excluded.value, voted_at = excluded.voted_at",
                (question_id, self._voter(user_id), row["entry_id"], value, now_iso()),
            )
            return True

    def votes_for(self, question_id: int) -> tuple[int, int]:
        """(👍, 👎) counts for one answer."""
        with self._lock:
            row = self._db.execute(
                "SELECT SUM(value > 0) AS up, SUM(value < 0) AS down FROM votes "
                "WHERE question_id = ?", (question_id,)).fetchone()
        return int(row["up"] or 0), int(row["down"] or 0)

    def stats(self, limit: int = 10) -> Stats:
        with self._lock:
            total, unanswered = self._db.execute(
                f"SELECT COUNT(*), SUM(decision IN ({','.join('?' * len(UNANSWERED))})) "  # noqa: S608
                "FROM questions", UNANSWERED).fetchone()
            top = self._db.execute(
                "SELECT entry_id, COUNT(*) AS n FROM questions WHERE entry_id IS NOT NULL "
                "GROUP BY entry_id ORDER BY n DESC, entry_id LIMIT ?", (limit,)).fetchall()
            down = self._db.execute(
                "SELECT entry_id, SUM(value < 0) AS down, SUM(value > 0) AS up FROM votes "
                "WHERE entry_id IS NOT NULL GROUP BY entry_id HAVING down > 0 "
                "ORDER BY down DESC, entry_id LIMIT ?", (limit,)).fetchall()
        return Stats(int(total), int(unanswered or 0), [(r[0], r[1]) for r in top],
                     [(r[0], r[1], r[2]) for r in down])

    # --- revisions ------------------------------------------------------------------------

    @staticmethod
    def record_revision(db: sqlite3.Connection, entry_id: str, revision: int, action: str, *,
                        changed_by: str, before: dict[str, object] | None,
                        after: dict[str, object] | None) -> int:
        """Record a change inside a ``transaction()``; returns the revision record's id."""
        cursor = db.execute(
            "INSERT INTO revisions (entry_id, revision, action, changed_at, changed_by, before, "
            "after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry_id, revision, action, now_iso(), changed_by,
             json.dumps(before) if before is not None else None,
             json.dumps(after) if after is not None else None),
        )
        return int(cursor.lastrowid or 0)

    def history(self, entry_id: str, limit: int = 25) -> list[Revision]:
        """Changes of one entry, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM revisions WHERE entry_id = ? ORDER BY id DESC LIMIT ?",
                (entry_id, limit)).fetchall()
        return [_revision(row) for row in rows]

    def revision(self, revision_id: int) -> Revision | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM revisions WHERE id = ?",
                                   (revision_id,)).fetchone()
        return _revision(row) if row else None

    def last_change(self, entry_id: str) -> Revision | None:
        history = self.history(entry_id, limit=1)
        return history[0] if history else None


def _revision(row: sqlite3.Row) -> Revision:
    return Revision(
        id=row["id"], entry_id=row["entry_id"], revision=row["revision"], action=row["action"],
        changed_at=row["changed_at"], changed_by=row["changed_by"],
        before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]) if row["after"] else None,
    )
