"""The knowledge service: changes validated, saved atomically, recorded, reversible."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core import service as service_module
from bot.core.errors import ConflictError, KnowledgeError, QAError
from bot.core.knowledge import KNOWLEDGE_FILE
from bot.core.service import Draft, Editor, KnowledgeService
from bot.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
ALICE, BOB = Editor("alice", 1), Editor("bob", 2)


@pytest.fixture
def service(tmp_path: Path) -> KnowledgeService:
    directory = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", directory)
    return KnowledgeService(directory, Store(":memory:"))


def draft_of(service: KnowledgeService, entry_id: str, **changes: object) -> Draft:
    entry = service.entry(entry_id)
    fields = {"question": entry.question, "answer": entry.answer,
              "quotes": tuple(c.quote for c in entry.citations),
              "alternates": entry.alternates, **changes}
    return Draft(**fields)  # type: ignore[arg-type]


def test_edit_is_saved_recorded_and_answers(service: KnowledgeService) -> None:
    edited = service.edit("cable-date", draft_of(service, "cable-date",
                                                 answer="The cable is from September 1989."),
                          1, ALICE)
    assert edited.revision == 2 and edited.updated_by == str(ALICE)
    assert "The cable is from September 1989." in service.path.read_text()
    assert service.answer("when was the cable sent").text == "The cable is from September 1989."
    [record] = service.history("cable-date")
    assert (record.action, record.changed_by, record.revision) == ("edit", str(ALICE), 2)
    assert record.before["answer"] != record.after["answer"]


def test_edit_from_an_older_revision_is_refused_with_who_and_when(service) -> None:
    service.edit("cable-date", draft_of(service, "cable-date", answer="First: 1989."), 1, ALICE)
    text = service.path.read_text()
    with pytest.raises(ConflictError, match="changed by alice"):
        service.edit("cable-date", draft_of(service, "cable-date", answer="Second: 1989."), 1,
                     BOB)
    assert service.path.read_text() == text
    assert service.entry("cable-date").answer == "First: 1989."


def test_a_failed_write_changes_nothing(service, monkeypatch) -> None:
    before = service.path.read_text()

    def full_disk(path: Path, text: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(service_module, "atomic_write_text", full_disk)
    with pytest.raises(QAError, match="No space left on device"):
        service.add_alternate("cable-date", "cable month and year", ALICE)
    assert service.path.read_text() == before
    assert "cable month and year" not in service.entry("cable-date").alternates
    assert service.history("cable-date") == []  # the record was rolled back


def test_invalid_change_is_refused_with_the_reason(service) -> None:
    other = service.entry("cable-sender").alternates[0]
    with pytest.raises(KnowledgeError, match="matches the same words"):
        service.add_alternate("cable-date", other, ALICE)
    with pytest.raises(QAError, match="not in the article"):
        service.add(Draft("Who is Bob?", "Bob is nobody.", ("Bob was here.",)), ALICE)


def test_remove_then_revert_brings_the_entry_back_exactly(service) -> None:
    original = service.entry("thailand")
    service.remove("thailand", original.revision, ALICE)
    assert service.kb.get("thailand") is None
    assert all("thailand" not in e.related for e in service.kb.entries)
    restored = service.revert("thailand", original.revision, BOB)
    assert (restored.question, restored.answer, restored.alternates, restored.citations) == (
        original.question, original.answer, original.alternates, original.citations)
    assert restored.revision == original.revision + 1
    assert [r.action for r in service.history("thailand")] == ["revert", "remove"]


def test_hand_edit_is_reloaded_and_a_broken_one_keeps_the_last_good(service) -> None:
    path = service.path
    path.write_text(path.read_text().replace("The office of Lawrence Eagleburger,",
                                             "The office (by hand) of Lawrence Eagleburger,"))
    changes = service.reload_if_changed()
    assert changes is not None and [c.entry_id for c in changes] == ["cable-sender"]
    assert service.history("cable-sender")[0].changed_by == "qa.yaml on disk"
    path.write_text("version: 1\nentries: [oops\n")
    with pytest.raises(KnowledgeError):
        service.reload_if_changed()
    assert "(by hand)" in service.answer("who sent the cable").text
    with pytest.raises(KnowledgeError):  # a change is not written over a broken hand edit
        service.add_alternate("cable-date", "month the cable went out", ALICE)
    assert path.read_text() == "version: 1\nentries: [oops\n"


def test_import_plan_and_stale_plan(service) -> None:
    rename = ("question: What happened to Ta Mok?", "question: What became of Ta Mok?")
    text = service.export_text().replace(*rename)
    plan = service.preview_import(text)
    assert plan.changed == ("ta-mok-fate",) and not plan.added and not plan.removed
    service.add_alternate("cable-date", "month the cable went out zq", ALICE)  # the base moves on
    with pytest.raises(ConflictError):
        service.apply_import(plan, BOB)
    fresh = service.preview_import(service.export_text().replace(*rename))
    service.apply_import(fresh, BOB)
    assert service.entry("ta-mok-fate").question == "What became of Ta Mok?"
    assert service.history("ta-mok-fate")[0].action == "import"


def test_draft_from_text_splits_lines_and_paragraphs() -> None:
    draft = Draft.from_text(" Who?  ", "a\n\n b \n", "An  answer.", "one\ntwo", "5, 10")
    assert draft == Draft("Who?", "An answer.", ("one", "two"), ("a", "b"), (5, 10))
    with pytest.raises(QAError, match="whole numbers"):
        Draft.from_text("q", "", "a", "quote", "five")
    assert KNOWLEDGE_FILE == "qa.yaml"
