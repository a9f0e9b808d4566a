"""The knowledge base in PostgreSQL, shared by several processes (each one here is a
``KnowledgeService`` with its own connections, as each ``python -m bot run`` has)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.core.database import StoreUnavailableError
from bot.core.drafts import Draft
from bot.core.errors import ConflictError, QAError
from bot.core.kb_database import SEEDED_BY, open_shared
from bot.core.kb_reading import load_knowledge_base
from bot.core.service import Editor, KnowledgeService
from bot.core.store import Store
from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[2]
ALICE, BOB = Editor("alice", 1), Editor("bob", 2)
WITHIN = 2.0  # seconds: a change made in one process is answered by the others


@pytest.fixture
def database(postgres: PostgresServer) -> str:
    return postgres.new_database()


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", directory)
    return directory


Process = Callable[[], KnowledgeService]


@pytest.fixture
def process(database: str, knowledge: Path) -> Iterator[Process]:
    """Starts one more "process" on the shared database, following the others' saves."""
    started: list[tuple[KnowledgeService, Store]] = []

    def start() -> KnowledgeService:
        store = Store.postgres(database)
        service = open_shared(knowledge, store, database)
        service.follow()
        started.append((service, store))
        return service

    yield start
    for service, store in started:
        service.close()
        store.close()


def until(condition: Callable[[], bool], seconds: float = WITHIN) -> float:
    """How long ``condition`` took to hold (fails after ``seconds``)."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, "not within the time allowed"
        time.sleep(0.01)
    return time.monotonic() - start


def test_an_empty_database_is_seeded_once_from_qa_yaml(process: Process,
                                                       knowledge: Path) -> None:
    in_file = len(load_knowledge_base(knowledge).entries)
    first = process()
    (knowledge / "qa.yaml").write_text("version: 1\nentries: [broken\n")  # never read again
    second = process()
    assert first.export_text() == second.export_text()
    assert len(first.kb.entries) == in_file > 0
    [seeded] = first.history("cable-sender")
    assert (seeded.action, seeded.changed_by) == ("seed", SEEDED_BY)


def test_an_invalid_qa_yaml_seeds_nothing(database: str, knowledge: Path) -> None:
    (knowledge / "qa.yaml").write_text("version: 1\nentries: [broken\n")
    store = Store.postgres(database)
    with pytest.raises(QAError):
        open_shared(knowledge, store, database)
    assert store.history("cable-sender") == []
    store.close()


def test_a_change_in_one_process_is_answered_by_the_other_within_2_s(process: Process) -> None:
    one, other = process(), process()
    assert not other.answer("which telex did the zebra office write").answered
    one.add_alternate("cable-sender", "which telex did the zebra office write", ALICE)
    until(lambda: other.answer("which telex did the zebra office write").answered)
    assert other.entry("cable-sender").revision == one.entry("cable-sender").revision
    [change, _seed] = other.history("cable-sender")
    assert (change.action, change.changed_by) == ("alias", str(ALICE))


def test_a_form_opened_in_one_process_is_refused_after_a_save_in_the_other(
        process: Process) -> None:
    one, other = process(), process()
    opened = other.entry("cable-date").revision
    one.edit("cable-date", _draft(one, "cable-date", "First: 1989."), opened, ALICE)
    with pytest.raises(ConflictError, match="alice"):
        other.edit("cable-date", _draft(other, "cable-date", "Second: 1989."), opened, BOB)
    until(lambda: other.entry("cable-date").answer == "First: 1989.")


def test_concurrent_edits_over_two_processes_all_land(process: Process) -> None:
    services = [process(), process()]
    phrasings = [f"concurrent phrasing number {n} zq{n}" for n in range(10)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: services[n % 2].add_alternate(
            "cable-sender", phrasings[n], Editor(f"mod{n}", n)), range(10)))
    for service in services:
        until(lambda s=service: set(phrasings) <= set(s.entry("cable-sender").alternates))
    history = services[0].history("cable-sender", limit=30)
    assert len([r for r in history if r.action == "alias"]) == 10
    assert len({r.revision for r in history}) == len(history)  # each one its own revision


def test_the_database_down_answers_go_on_edits_refused_then_resume(
        process: Process, postgres: PostgresServer) -> None:
    one, other = process(), process()
    postgres.stop()
    try:
        assert one.answer("who sent the cable?").answered  # from memory
        with pytest.raises(StoreUnavailableError, match="cannot be reached"):
            one.add_alternate("cable-sender", "asked while the database was down", ALICE)
    finally:
        postgres.start()
    assert "asked while the database was down" not in one.entry("cable-sender").alternates
    one.add_alternate("cable-sender", "asked once the database was back", ALICE)
    until(lambda: "asked once the database was back" in other.entry("cable-sender").alternates,
          seconds=10)  # the listener reconnects with a back-off


def _draft(service: KnowledgeService, entry_id: str, answer: str) -> Draft:
    entry = service.entry(entry_id)
    return Draft(entry.question, answer, None, entry.alternates)
