"""bot.core.store and bot.core.journal: the question log, votes, retention, a failing disk."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.core.answers import Answer, Decision
from bot.core.database import StoreUnavailableError
from bot.core.journal import Journal
from bot.core.store import Store
from bot.core.store_postgres import MIGRATIONS


def answer(question: str, entry: str | None = None,
           decision: Decision = Decision.ANSWERED) -> Answer:
    from bot.core.knowledge import Citation, Entry  # noqa: PLC0415 - only for test values

    found = Entry(entry, "Q?", "A.", (Citation(1, "x"),)) if entry else None
    return Answer(question, decision if entry else Decision.DID_YOU_MEAN, 90.0, found)


@pytest.fixture
def journal(new_store: Callable[[], Store]) -> Iterator[Journal]:
    log = Journal(new_store())
    log.start()
    yield log
    log.close()


def test_ids_are_unique_and_increasing(journal: Journal) -> None:
    ids = [journal.question(answer("who sent it", "cable-sender"), "mention", 1, 2)
           for _ in range(1000)]
    assert ids == sorted(set(ids))


def test_questions_are_written_by_the_thread_with_their_server(journal: Journal) -> None:
    journal.question(answer("the telex", None), "mention", 111, 2)
    journal.question(answer("the telex", None), "channel", 111, 3)
    journal.question(answer("a dm question", None), "dm", None, 4)
    assert journal.flush()
    store = journal.store
    assert [(q.question, q.times) for q in store.unanswered(111)] == [("the telex", 2)]
    assert [q.question for q in store.unanswered(None)] == ["a dm question"]
    assert store.unanswered(222) == []
    assert store.stats(111).questions == 2 and store.stats().questions == 3


def test_one_vote_per_person_per_entry(journal: Journal) -> None:
    asked = [journal.question(answer("who sent it", "cable-sender"), "mention", 1, 2)
             for _ in range(3)]
    for question_id in asked:
        journal.vote(question_id, user_id=42, value=-1)
    journal.vote(asked[0], user_id=43, value=1)
    journal.vote(999, user_id=44, value=-1)  # an answer the log does not hold: dropped
    assert journal.flush()
    assert journal.store.stats(1).downvoted == [("cable-sender", 1, 1)]


def test_popular_counts_what_was_asked(journal: Journal) -> None:
    for entry, times in (("b", 1), ("a", 3)):
        for _ in range(times):
            journal.question(answer("q", entry), "slash", 1, 2)
    assert journal.popular[:2] == ["a", "b"]


def test_a_failing_disk_is_told_once_and_nothing_blocks(new_store, monkeypatch) -> None:
    told = []
    journal = Journal(new_store(), on_trouble=told.append)
    journal.start()

    def full(records: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(journal.store, "write", full)
    for _ in range(5):
        journal.question(answer("who sent it", "cable-sender"), "mention", 1, 2)
        assert journal.flush()
    assert len(told) == 1 and "disk is full" in told[0]
    monkeypatch.undo()
    journal.question(answer("who sent it", "cable-sender"), "mention", 1, 2)
    assert journal.flush() and journal.store.stats().questions == 1
    journal.close()


def test_prune_forgets_old_questions_in_chunks(new_store) -> None:
    store = new_store()
    journal = Journal(store, clock=lambda: 1_000_000_000.0)  # 2001: old
    for _ in range(25):
        journal.question(answer("old", None), "mention", 1, 2)
    journal.start()
    assert journal.flush()
    journal.close()
    assert store.prune("2020-01-01T00:00:00+00:00", chunk=10) == 25
    assert store.stats().questions == 0 and store.unanswered(1) == []


def test_an_old_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE questions (id INTEGER PRIMARY KEY, asked_at TEXT NOT NULL, source TEXT
            NOT NULL, channel_id INTEGER, question TEXT NOT NULL, decision TEXT NOT NULL,
            entry_id TEXT, score REAL NOT NULL);
        CREATE TABLE votes (question_id INTEGER NOT NULL, voter TEXT NOT NULL, entry_id TEXT,
            value INTEGER NOT NULL, voted_at TEXT NOT NULL, PRIMARY KEY (question_id, voter));
        CREATE TABLE revisions (id INTEGER PRIMARY KEY, entry_id TEXT NOT NULL, revision
            INTEGER NOT NULL, action TEXT NOT NULL, changed_at TEXT NOT NULL, changed_by TEXT
            NOT NULL, before TEXT, after TEXT);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO questions VALUES (1, '2026-01-01T00:00:00+00:00', 'mention', 5, 'huh',
            'not_covered', NULL, 10.0);
        INSERT INTO questions VALUES (2, '2026-01-01T00:00:00+00:00', 'mention', 5, 'who',
            'answered', 'cable-sender', 90.0);
        INSERT INTO votes VALUES (2, 'v1', 'cable-sender', -1, '2026-01-01T00:00:00+00:00');
    """)
    old.commit()
    old.close()
    store = Store(path)
    assert [q.question for q in store.unanswered(None)] == ["huh"]
    assert store.stats().downvoted == [("cable-sender", 1, 0)]
    assert store.votes_for(2) == (0, 1)
    store.close()


# --- PostgreSQL: several processes, a server that goes away ----------------------------------


def test_processes_starting_together_migrate_once(postgres) -> None:
    url = postgres.new_database()
    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: Store.postgres(url), range(4)))
    versions = stores[0]._write.execute("SELECT version FROM schema_migrations "
                                        "ORDER BY version").fetchall()
    assert [row[0] for row in versions] == list(range(1, len(MIGRATIONS) + 1))
    assert len({store.voter(1) for store in stores}) == 1  # one salt for every process
    for store in stores:
        store.close()


def test_a_restarted_server_is_reconnected_to(postgres) -> None:
    store = Store.postgres(postgres.new_database())
    journal = Journal(store)
    journal.question(answer("before", None), "mention", 1, 2)
    journal.start()
    assert journal.flush()
    postgres.stop()
    try:
        with pytest.raises(StoreUnavailableError):
            store.stats()
        journal.question(answer("while down", None), "mention", 1, 2)
        assert journal.flush()  # dropped with a warning, never blocking
    finally:
        postgres.start()
    journal.question(answer("after", None), "mention", 1, 2)
    assert journal.flush()
    assert sorted(q.question for q in store.unanswered(1)) == ["after", "before"]
    journal.close()
    store.close()
