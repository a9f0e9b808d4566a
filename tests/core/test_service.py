"""The knowledge service: changes validated, saved atomically, recorded, reversible."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core import kb_sources
from bot.core import service as service_module
from bot.core.drafts import Draft
from bot.core.errors import ConflictError, KnowledgeError, QAError
from bot.core.service import Editor, KnowledgeService
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
    assert edited.revision == 2
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

    def full_disk(path: Path, text: str, unchanged: object = None) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kb_sources, "atomic_write_text", full_disk)
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
    [removal] = service.history("thailand")
    restored = service.revert("thailand", removal.id, BOB)
    assert (restored.question, restored.answer, restored.alternates, restored.citations) == (
        original.question, original.answer, original.alternates, original.citations)
    assert restored.revision == original.revision + 1
    assert [r.action for r in service.history("thailand")] == ["revert", "remove"]


def test_hand_edit_is_reloaded_once_settled_and_a_broken_one_keeps_the_last_good(
        service) -> None:
    path = service.path
    path.write_text(path.read_text().replace("The office of Lawrence Eagleburger,",
                                             "The office (by hand) of Lawrence Eagleburger,"))
    assert service.reload_if_changed() is None  # just changed: it may still be being written
    changes = service.reload_if_changed()
    assert changes is not None and [c.entry_id for c in changes] == ["cable-sender"]
    assert service.history("cable-sender")[0].changed_by == "qa.yaml on disk"
    path.write_text("version: 1\nentries: [oops\n")
    assert service.reload_if_changed() is None
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


# --- a hand edit while the bot saves --------------------------------------------------------


HAND = ("The office of Lawrence Eagleburger,", "The office (edited by hand) of Lawrence "
        "Eagleburger,")


@pytest.mark.parametrize("attempt", range(20))
def test_a_hand_edit_during_a_save_is_never_lost(service, monkeypatch, attempt: int) -> None:
    """The hand edit lands after the save read the file and before it replaces it: both the
    hand edit and the moderator's change end up in the file, and the history has both."""
    real_dump = service_module.dump_knowledge
    edits = []

    def dump_while_someone_edits(kb):  # called between reading the file and replacing it
        if not edits:
            edits.append(attempt)
            service.path.write_text(service.path.read_text().replace(*HAND), encoding="utf-8")
        return real_dump(kb)

    monkeypatch.setattr(service_module, "dump_knowledge", dump_while_someone_edits)
    service.add_alternate("cable-date", f"race test phrasing {attempt} zq", ALICE)
    text = service.path.read_text()
    assert HAND[1] in text and f"race test phrasing {attempt} zq" in text
    assert "(edited by hand)" in service.entry("cable-sender").answer
    assert [r.changed_by for r in service.history("cable-sender")] == ["qa.yaml on disk"]
    assert [r.action for r in service.history("cable-date")] == ["alias"]


def test_a_form_opened_before_a_hand_edit_is_refused(service) -> None:
    opened = service.entry("cable-sender").revision  # a moderator opens the edit form
    path = service.path
    path.write_text(path.read_text().replace(*HAND), encoding="utf-8")
    service.reload()
    assert service.entry("cable-sender").revision > opened
    with pytest.raises(ConflictError):
        service.edit("cable-sender", draft_of(service, "cable-sender", answer="Mine."), opened,
                     ALICE)
    assert "(edited by hand)" in service.entry("cable-sender").answer
    ids = [r.id for r in service.history("cable-sender")]
    assert len(ids) == len(set(ids))


def test_revert_undoes_a_change_by_its_id(service) -> None:
    original = service.entry("cable-date").answer
    first = service.edit("cable-date", draft_of(service, "cable-date", answer="One: 1989."), 1,
                         ALICE)
    service.edit("cable-date", draft_of(service, "cable-date", answer="Two: 1989."),
                 first.revision, BOB)
    second, one = service.history("cable-date")
    assert service.revert("cable-date", second.id, ALICE).answer == "One: 1989."
    assert service.revert("cable-date", one.id, ALICE).answer == original
    with pytest.raises(QAError, match="No change #"):
        service.revert("cable-sender", one.id, ALICE)  # a change of another entry


def test_temporary_files_of_a_killed_save_are_removed_at_start(tmp_path: Path) -> None:
    directory = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", directory)
    leftover = directory / ".qa.yaml.abc123.tmp"
    leftover.write_text("half a file")
    KnowledgeService(directory, Store(":memory:"))
    assert not leftover.exists()


def test_an_import_that_would_grow_past_the_limit_is_refused_at_preview(service) -> None:
    """Just under 1 MB, but the revision stamps on every changed entry would pass it."""
    text = service.export_text().replace("    revision: 1\n", "")
    padding = 1_000_000 - len(text.encode()) - 100
    marker = "      - Whose office did the cable come from?\n"
    filler = "".join(f"      - pad {n:06d} {'x' * 40}\n" for n in range(padding // 60))
    text = text.replace(marker, marker + filler, 1)
    assert len(text.encode()) <= 1_000_000
    with pytest.raises(QAError, match="revision stamps"):
        service.preview_import(text)
