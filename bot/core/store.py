"""Runtime state that is not the knowledge base, in SQLite under the data directory.

What is stored, and why (the README repeats this for server owners):
- ``questions``: each question asked, when, in which server and channel, how it was answered
  (decision, entry, score). No author: nothing here says who asked. Kept
  ``QUESTION_RETENTION_DAYS`` days.
- ``unanswered``: the questions that got no confident answer, counted per server (DMs apart),
  for the moderators' review.
- ``votes``: 👍/👎, one per person per entry. The voter is kept only as a salted hash of their
  Discord id, enough for "one vote per person" and useless for finding who voted.
- ``revisions``: every change to the knowledge base: entry, action, who (moderator name and
  id, needed for traceability), when, the entry before and after. A revert reads from here.

Writes of questions and votes come from one background writer (``journal``), in batches; the
moderators' reads use a connection of their own, so neither waits on the other (SQLite's WAL
mode lets one writer and many readers work at once). Answering never touches the database.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.core.database import (
    Connection,
    Dialect,
)

DATABASE_FILE = "bot.sqlite3"
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    asked_at TEXT NOT NULL,
    source TEXT NOT NULL,
    guild_id INTEGER,
    channel_id INTEGER,
    question TEXT NOT NULL,
    decision TEXT NOT NULL,
    entry_id TEXT,
    score REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_asked ON questions (asked_at);
CREATE INDEX IF NOT EXISTS questions_entry ON questions (guild_id, entry_id);
CREATE INDEX IF NOT EXISTS questions_day ON questions (substr(asked_at, 1, 10), decision, entry_id,
                                                       guild_id);
CREATE TABLE IF NOT EXISTS unanswered (
    guild_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    question TEXT NOT NULL,
    times INTEGER NOT NULL,
    last_asked TEXT NOT NULL,
    PRIMARY KEY (guild_id, key)
);
CREATE INDEX IF NOT EXISTS unanswered_top ON unanswered (guild_id, times DESC, last_asked DESC);
CREATE INDEX IF NOT EXISTS unanswered_age ON unanswered (last_asked);
CREATE TABLE IF NOT EXISTS votes (
    entry_id TEXT NOT NULL,
    voter TEXT NOT NULL,
    guild_id INTEGER NOT NULL,
    question_id INTEGER NOT NULL,
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    voted_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, voter)
);
CREATE INDEX IF NOT EXISTS votes_question ON votes (question_id);
CREATE TABLE IF NOT EXISTS signals (
    entry_id TEXT NOT NULL,
    key TEXT NOT NULL,
    phrasing TEXT NOT NULL,
    person TEXT NOT NULL,
    kind TEXT NOT NULL,
    guild_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (entry_id, key, person, kind)
);
CREATE TABLE IF NOT EXISTS verdicts (
    entry_id TEXT NOT NULL,
    key TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    PRIMARY KEY (entry_id, key)
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
DM = 0  # the "server" of direct messages and the terminal, in per-server tables


def now_iso() -> str:
    """The current UTC time, to the second, as ISO 8601."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def question_key(question: str) -> str:
    """A question as counted in the review: case and spacing folded."""
    return " ".join(question.casefold().split())


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """One question to log (built by ``journal`` with an id chosen there)."""

    id: int
    asked_at: str
    source: str
    guild_id: int | None
    channel_id: int | None
    question: str
    decision: str
    entry_id: str | None
    score: float


@dataclass(frozen=True, slots=True)
class VoteRecord:
    question_id: int
    voter: str  # already hashed
    value: int
    voted_at: str


@dataclass(frozen=True, slots=True)
class SignalRecord:
    """Someone's question tied to an entry by what they did: ``click`` (they picked it from
    "did you mean"), ``upvote`` (👍 on its answer), ``rephrased`` (they reached it right
    after a refusal) — each suggests the question as a phrasing — or ``downvote`` (👎: the
    pair is doubtful)."""

    entry_id: str
    phrasing: str
    person: str  # already hashed
    kind: str
    guild_id: int | None
    at: str


@dataclass(frozen=True, slots=True)
class Signal:
    entry_id: str
    key: str
    phrasing: str
    people: int
    kinds: frozenset[str]
    last: str


@dataclass(frozen=True, slots=True)
class Revision:
    """One recorded change of one entry; ``id`` is unique across all entries."""

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
class DayCount:
    """How many questions were asked on one UTC day (``YYYY-MM-DD``) with one decision and
    entry."""

    day: str
    decision: str
    entry_id: str | None
    count: int


@dataclass(frozen=True, slots=True)
class Stats:
    questions: int
    unanswered: int
    top_entries: list[tuple[str, int]]
    downvoted: list[tuple[str, int, int]]  # entry, people who voted 👎, people who voted 👍


_UP = "SUM(CASE WHEN value > 0 THEN 1 ELSE 0 END)"
_DOWN = "SUM(CASE WHEN value < 0 THEN 1 ELSE 0 END)"


class Store:
    """The database: SQLite in the data directory, or PostgreSQL (``Store.open``).
    Thread-safe: one connection for writes, one for reads, each under its own lock."""

    def __init__(self, path: Path | str) -> None:
        memory = str(path) == ":memory:"  # for tests: shared by this store's two connections
        target = f"file:store-{secrets.token_hex(8)}?mode=memory&cache=shared" if memory else (
            str(path))

        def connect() -> sqlite3.Connection:
            connection = sqlite3.connect(target, check_same_thread=False,
                                         isolation_level=None, uri=memory)
            connection.row_factory = sqlite3.Row
            return connection

        write = connect()
        if not memory:
            write.execute("PRAGMA journal_mode=WAL")
        write.execute("PRAGMA synchronous=NORMAL")
        _migrate_sqlite(write)
        self._setup(write, connect(), Dialect())

    def _setup(self, write: Connection, read: Connection, dialect: Dialect) -> None:
        """Take the connections of a migrated database, and its salt for voters."""
        self._write, self._read, self._dialect = write, read, dialect
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        with self.transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'voter_salt'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta (key, value) VALUES ('voter_salt', ?) "
                           "ON CONFLICT DO NOTHING", (secrets.token_hex(16),))
                row = db.execute("SELECT value FROM meta WHERE key = 'voter_salt'").fetchone()
        self._salt = str(row[0])

    @classmethod
    def postgres(cls, url: str) -> Store:
        """A store in the PostgreSQL database at ``url`` (migrated to this version)."""
        from bot.core.store_postgres import connect_postgres  # noqa: PLC0415 - psycopg

        store = cls.__new__(cls)
        write, read, dialect = connect_postgres(url)
        store._setup(write, read, dialect)
        return store

    @classmethod
    def open(cls, data_dir: Path, database_url: str | None = None) -> Store:
        """The store the settings name: PostgreSQL at ``DATABASE_URL``, else SQLite in
        ``DATA_DIR``."""
        return cls.postgres(database_url) if database_url else cls.in_directory(data_dir)

    @classmethod
    def in_directory(cls, data_dir: Path) -> Store:
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(data_dir / DATABASE_FILE)

    @property
    def dialect(self) -> Dialect:
        return self._dialect

    def close(self) -> None:
        with self._write_lock, self._read_lock:
            self._read.close()
            self._write.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._write_lock:
            self._write.execute(self._dialect.begin)
            try:
                yield self._write
            except BaseException:
                self._write.execute("ROLLBACK")
                raise
            self._write.execute("COMMIT")

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self._read_lock:
            yield self._read

    # --- writes (from the journal's thread) -------------------------------------------------

    def voter(self, user_id: int) -> str:
        """A person's vote key: a salted hash of their id."""
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()

    def write(self, records: Iterable[QuestionRecord | VoteRecord | SignalRecord]) -> None:
        """Write a batch of questions and votes, in order, in one transaction.

        A vote counts once per person per entry (a later vote on the same entry replaces it);
        a vote on an answer the log does not hold (pruned, or never logged) is dropped.
        """
        with self.transaction() as db:
            for record in records:
                if isinstance(record, QuestionRecord):
                    db.execute(
                        "INSERT INTO questions (id, asked_at, source, guild_id, "
                        "channel_id, question, decision, entry_id, score) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        (record.id, record.asked_at, record.source, record.guild_id,
                         record.channel_id, record.question, record.decision, record.entry_id,
                         record.score))
                    if record.decision in UNANSWERED:
                        db.execute(
                            "INSERT INTO unanswered (guild_id, key, question, times, last_asked) "
                            "VALUES (?, ?, ?, 1, ?) ON CONFLICT (guild_id, key) DO UPDATE SET "
                            "times = unanswered.times + 1, last_asked = excluded.last_asked",
                            (record.guild_id or DM, question_key(record.question),
                             record.question, record.asked_at))
                    continue
                if isinstance(record, SignalRecord):
                    db.execute(
                        "INSERT INTO signals (entry_id, key, phrasing, person, kind, guild_id, at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, key, person, kind) "
                        "DO UPDATE SET at = excluded.at, phrasing = excluded.phrasing",
                        (record.entry_id, question_key(record.phrasing), record.phrasing,
                         record.person, record.kind, record.guild_id or DM, record.at))
                    continue
                row = db.execute("SELECT entry_id, guild_id, question, decision FROM questions "
                                 "WHERE id = ?", (record.question_id,)).fetchone()
                if row is None or row["entry_id"] is None:
                    continue
                if row["decision"] == "answered":  # 👍 suggests the question, 👎 doubts it
                    db.execute(
                        "INSERT INTO signals (entry_id, key, phrasing, person, kind, guild_id, "
                        "at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, key, person, "
                        "kind) DO UPDATE SET at = excluded.at",
                        (row["entry_id"], question_key(row["question"]), row["question"],
                         record.voter, "upvote" if record.value > 0 else "downvote",
                         row["guild_id"] or DM, record.voted_at))
                    db.execute("DELETE FROM signals WHERE entry_id = ? AND key = ? AND person = ? "
                               "AND kind = ?", (row["entry_id"], question_key(row["question"]),
                                                record.voter,
                                                "downvote" if record.value > 0 else "upvote"))
                db.execute(
                    "INSERT INTO votes (entry_id, voter, guild_id, question_id, value, voted_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, voter) DO UPDATE SET "
                    "guild_id = excluded.guild_id, question_id = excluded.question_id, "
                    "value = excluded.value, voted_at = excluded.voted_at",
                    (row["entry_id"], record.voter, row["guild_id"] or DM, record.question_id,
                     record.value, record.voted_at))

    def prune(self, before: str, chunk: int = 10_000) -> int:
        """Forget questions (and their unanswered counts) last asked before ``before``, an
        ISO time; votes stay, they count people, not questions. A chunk at a time, so a
        large prune never holds the database for long. Returns questions removed."""
        removed = 0
        while True:
            with self.transaction() as db:
                count = db.execute(
                    "DELETE FROM questions WHERE id IN (SELECT id FROM questions WHERE "
                    "asked_at < ? LIMIT ?)", (before, chunk)).rowcount
            removed += count
            if count < chunk:
                break
        with self.transaction() as db:
            db.execute("DELETE FROM unanswered WHERE last_asked < ?", (before,))
        return removed

    # --- reads (moderators, autocomplete) ---------------------------------------------------

    def entry_counts(self) -> dict[str, int]:
        """How many logged questions each entry answered."""
        with self._reading() as db:
            rows = db.execute("SELECT entry_id, COUNT(*) FROM questions WHERE entry_id IS NOT "
                              "NULL GROUP BY entry_id").fetchall()
        return {row[0]: row[1] for row in rows}

    def unanswered(self, guild_id: int | None = None, limit: int = 25
                   ) -> list[UnansweredQuestion]:
        """The questions of one server (None: DMs) that got no confident answer, most asked
        first."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT question, times, last_asked FROM unanswered WHERE guild_id = ? "
                "ORDER BY times DESC, last_asked DESC LIMIT ?",
                (guild_id or DM, limit)).fetchall()
        return [UnansweredQuestion(r["question"], r["times"], r["last_asked"]) for r in rows]

    def votes_for(self, question_id: int) -> tuple[int, int]:
        """(👍, 👎) counts of the votes last cast on one answer."""
        with self._reading() as db:
            row = db.execute(
                f"SELECT {_UP} AS up, {_DOWN} AS down FROM votes "  # noqa: S608
                "WHERE question_id = ?", (question_id,)).fetchone()
        return int(row["up"] or 0), int(row["down"] or 0)

    def stats(self, guild_id: int | None = None, limit: int = 10) -> Stats:
        """One server's figures (None: all questions, as the terminal sees them)."""
        where, args = ("WHERE guild_id = ?", (guild_id,)) if guild_id else ("", ())
        votes_where = "WHERE guild_id = ?" if guild_id else ""
        with self._reading() as db:
            total = db.execute(f"SELECT COUNT(*) FROM questions {where}", args).fetchone()[0]  # noqa: S608
            unanswered = db.execute(
                f"SELECT COALESCE(SUM(times), 0) FROM unanswered "  # noqa: S608
                f"{'WHERE guild_id = ?' if guild_id else ''}", args).fetchone()[0]
            top = db.execute(
                f"SELECT entry_id, COUNT(*) AS n FROM questions {where} "  # noqa: S608
                f"{'AND' if guild_id else 'WHERE'} entry_id IS NOT NULL "
                "GROUP BY entry_id ORDER BY n DESC, entry_id LIMIT ?", (*args, limit)).fetchall()
            down = db.execute(
                f"SELECT entry_id, {_DOWN} AS down, {_UP} AS up FROM votes "  # noqa: S608
                f"{votes_where} GROUP BY entry_id HAVING {_DOWN} > 0 ORDER BY down DESC, entry_id "
                "LIMIT ?", (*args, limit)).fetchall()
        return Stats(int(total), int(unanswered), [(r[0], r[1]) for r in top],
                     [(r[0], r[1], r[2]) for r in down])

    # --- the report (``bot.report``): aggregates, whatever the size of the log ---------------

    def _since(self, query: str, server: str, since: str, guild_id: int | None,
               *more: object) -> list[Any]:
        """Run a report query whose first parameter is ``since``; its ``{server}`` becomes
        ``AND <server> = ?`` for one server's rows (``guild_id``), nothing for all."""
        where = f"AND {server} = ?" if guild_id else ""
        with self._reading() as db:
            return db.execute(query.format(server=where),
                              (since, guild_id, *more) if guild_id else (since, *more)).fetchall()

    def day_counts(self, since: str, guild_id: int | None = None) -> list[DayCount]:
        """Questions per day, decision and entry from the day ``since`` (``YYYY-MM-DD``) on;
        one server's, or all (None). One pass along the ``questions_day`` index, in its order
        (no sorting); the server is checked in the index too (``+guild_id`` keeps SQLite from
        reading the table through the per-server index instead)."""
        rows = self._since(
            "SELECT substr(asked_at, 1, 10), decision, entry_id, COUNT(*) FROM questions "
            "WHERE substr(asked_at, 1, 10) >= ? {server} GROUP BY 1, 2, 3",
            self._dialect.unindexed("guild_id"),
            since, guild_id)
        return [DayCount(*row) for row in rows]

    def votes_by_entry(self, since: str, guild_id: int | None = None
                       ) -> dict[str, tuple[int, int]]:
        """(👍, 👎) per entry: people whose vote, cast since ``since``, is that (one vote per
        person per entry); one server's or all (None)."""
        rows = self._since(f"SELECT entry_id, {_UP}, {_DOWN} FROM votes "  # noqa: S608
                           "WHERE voted_at >= ? {server} GROUP BY entry_id", "guild_id",
                           since, guild_id)
        return {row[0]: (int(row[1]), int(row[2])) for row in rows}

    def unanswered_since(self, since: str, guild_id: int | None = None, limit: int = 200
                         ) -> list[UnansweredQuestion]:
        """The most asked questions that got no confident answer and were asked since
        ``since``, counted as ``/kb unanswered`` counts them (over the whole log); one
        server's, or all (None: DMs included, the same question in two servers counted
        once, with both counts). The whole table is read rather than the rows the age index
        finds: at a million questions, reading them through it is the slower way."""
        rows = self._since(
            "SELECT MIN(question), SUM(times) AS n, MAX(last_asked) FROM unanswered "  # noqa: S608
            f"WHERE {self._dialect.unindexed('last_asked')} >= ? {{server}} GROUP BY key "
            "ORDER BY n DESC, key LIMIT ?", "guild_id", since, guild_id, limit)
        return [UnansweredQuestion(row[0], int(row[1]), row[2]) for row in rows]

    def recent_changes(self, limit: int = 10) -> list[Revision]:
        """The last changes to the knowledge base, any entry, newest first."""
        with self._reading() as db:
            rows = db.execute("SELECT * FROM revisions ORDER BY id DESC LIMIT ?",
                              (limit,)).fetchall()
        return [_revision(row) for row in rows]

    # --- suggestions ----------------------------------------------------------------------

    def question_of(self, question_id: int) -> tuple[str, str | None, int | None] | None:
        """(question, entry id, server) of a logged question, if the log still holds it."""
        with self._reading() as db:
            row = db.execute("SELECT question, entry_id, guild_id FROM questions WHERE id = ?",
                             (question_id,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def signals(self, guild_id: int | None = None) -> list[Signal]:
        """Every (entry, phrasing) someone tied together and no moderator decided on, with
        how many distinct people did and how; one server's, or all (None: the terminal)."""
        where = "AND s.guild_id = ?" if guild_id else ""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT s.entry_id, s.key, MAX(s.phrasing), COUNT(DISTINCT s.person), "  # noqa: S608
                f"{self._dialect.group_concat('s.kind')}, MAX(s.at) FROM signals s "
                f"LEFT JOIN verdicts v "
                f"ON v.entry_id = s.entry_id AND v.key = s.key WHERE v.verdict IS NULL {where} "
                "GROUP BY s.entry_id, s.key",
                (guild_id,) if guild_id else ()).fetchall()
        return [Signal(r[0], r[1], r[2], r[3], frozenset(r[4].split(",")), r[5]) for r in rows]

    def decide(self, pairs: Iterable[tuple[str, str]], verdict: str, by: str) -> None:
        """Remember moderators' verdicts on (entry, phrasing key) pairs: never suggested again."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO verdicts (entry_id, key, verdict, decided_at, decided_by) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (entry_id, key) DO UPDATE SET "
                "verdict = excluded.verdict, "
                "decided_at = excluded.decided_at, decided_by = excluded.decided_by",
                [(entry, key, verdict, now_iso(), by) for entry, key in pairs])

    # --- revisions ------------------------------------------------------------------------

    @staticmethod
    def record_revision(db: Connection, entry_id: str, revision: int, action: str, *,
                        changed_by: str, before: dict[str, object] | None,
                        after: dict[str, object] | None) -> int:
        """Record a change inside a ``transaction()``; returns the revision record's id."""
        row = db.execute(
            "INSERT INTO revisions (entry_id, revision, action, changed_at, changed_by, before, "
            "after) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (entry_id, revision, action, now_iso(), changed_by,
             json.dumps(before) if before is not None else None,
             json.dumps(after) if after is not None else None),
        ).fetchone()
        return int(row[0])

    def history(self, entry_id: str, limit: int = 25) -> list[Revision]:
        """Changes of one entry, newest first."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT * FROM revisions WHERE entry_id = ? ORDER BY id DESC LIMIT ?",
                (entry_id, limit)).fetchall()
        return [_revision(row) for row in rows]

    def revision(self, revision_id: int) -> Revision | None:
        with self._reading() as db:
            row = db.execute("SELECT * FROM revisions WHERE id = ?", (revision_id,)).fetchone()
        return _revision(row) if row else None

    def last_change(self, entry_id: str) -> Revision | None:
        history = self.history(entry_id, limit=1)
        return history[0] if history else None


def _migrate_sqlite(db: sqlite3.Connection) -> None:
    """Bring an older database to this schema (version 1 had no servers, one vote per
    answer and no unanswered counts)."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if version < SCHEMA_VERSION and "questions" in tables:
        db.execute("BEGIN IMMEDIATE")
        columns = {r[1] for r in db.execute("PRAGMA table_info(questions)")}
        if "guild_id" not in columns:
            db.execute("ALTER TABLE questions ADD COLUMN guild_id INTEGER")
        if "votes" in tables and "question_id" in {
                r[1] for r in db.execute("PRAGMA table_info(votes)")} and "guild_id" not in {
                r[1] for r in db.execute("PRAGMA table_info(votes)")}:
            db.execute("ALTER TABLE votes RENAME TO votes_v1")
        _create(db)  # the new tables and indexes
        if "votes" in tables:
            db.execute(
                "INSERT OR REPLACE INTO votes (entry_id, voter, guild_id, question_id, "
                "value, voted_at) SELECT entry_id, voter, 0, question_id, value, voted_at "
                "FROM votes_v1 WHERE entry_id IS NOT NULL ORDER BY voted_at")
            db.execute("DROP TABLE votes_v1")
        db.execute(
            f"INSERT INTO unanswered (guild_id, key, question, times, last_asked) "  # noqa: S608
            f"SELECT 0, lower(question), MIN(question), COUNT(*), MAX(asked_at) FROM "
            f"questions WHERE decision IN ({','.join('?' * len(UNANSWERED))}) "
            "GROUP BY lower(question)", UNANSWERED)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    else:
        _create(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _create(db: sqlite3.Connection) -> None:
    """The schema's tables and indexes, one statement at a time (``executescript`` would
    commit an open transaction first)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def _revision(row: Any) -> Revision:
    return Revision(
        id=row["id"], entry_id=row["entry_id"], revision=row["revision"], action=row["action"],
        changed_at=row["changed_at"], changed_by=row["changed_by"],
        before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]) if row["after"] else None,
    )
