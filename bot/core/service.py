"""The knowledge base as a living thing: answering, editing, saving, history and reloading.

One ``KnowledgeService`` owns the current ``AnswerEngine``. Every change goes through one lock:
it builds the new knowledge base, validates it exactly as ``python -m bot check`` does, records
the change in the store and writes ``qa.yaml`` atomically in one transaction, and only then
swaps the new engine in (a single attribute assignment, so readers see the old engine or the
new one). If anything fails, nothing on disk or in memory changes.

Concurrent edits never overwrite each other silently: each entry carries a revision, and an
edit made from an older revision is refused with who changed it and when. A file changed by
hand on disk is reloaded before any change is applied over it.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.core.answers import Answer, AnswerEngine
from bot.core.article import load_article
from bot.core.drafts import Draft, draft_citations, slugify
from bot.core.errors import ConflictError, NotFoundError, QAError
from bot.core.kb_reading import load_normalizer, parse_knowledge
from bot.core.kb_sources import FileSource, KnowledgeSource, StaleVersionError, Version
from bot.core.kb_writing import dump_knowledge
from bot.core.knowledge import ARTICLE_FILE, KNOWLEDGE_FILE, Entry, KnowledgeBase
from bot.core.safeyaml import MAX_YAML_BYTES
from bot.core.store import Revision, Store

log = logging.getLogger(__name__)

HAND_EDIT = "qa.yaml on disk"
SAVE_ATTEMPTS = 3  # a hand edit during a save is reloaded and the change made again


@dataclass(frozen=True, slots=True)
class Editor:
    """Who makes a change: a display name and an id (a Discord user id, or 0)."""

    name: str
    id: int = 0

    def __str__(self) -> str:
        return f"{self.name} ({self.id})" if self.id else self.name


@dataclass(frozen=True, slots=True)
class Change:
    """What a change did to one entry (``before`` is None for an added entry, ``after`` for a
    removed one)."""

    entry_id: str
    action: str
    before: Entry | None
    after: Entry | None


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file would change, computed against one version of the base."""

    knowledge: KnowledgeBase
    base_text: str
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


class KnowledgeService:
    """Owns the knowledge base's source, the current answer engine and the change history."""

    def __init__(self, directory: Path, store: Store | None = None,
                 source: KnowledgeSource | None = None) -> None:
        self.directory = directory
        self.path = directory / KNOWLEDGE_FILE
        self.store = store
        self.source = source or FileSource(directory)
        self.article = load_article(directory / ARTICLE_FILE)
        self.normalizer = load_normalizer(directory)  # vocabulary.yaml: read at start only
        self._lock = threading.Lock()
        self._version = self.source.read()
        self._seen = self._version.token
        self._engine = AnswerEngine.build(self._parse(self._version.text))

    # --- reading --------------------------------------------------------------------------

    @property
    def engine(self) -> AnswerEngine:
        return self._engine

    @property
    def kb(self) -> KnowledgeBase:
        return self._engine.kb

    def answer(self, question: str) -> Answer:
        return self._engine.answer(question)

    def entry(self, entry_id: str) -> Entry:
        entry = self.kb.get(entry_id)
        if entry is None:
            raise NotFoundError(f"There is no entry {entry_id!r}.")
        return entry

    def export_text(self) -> str:
        """The knowledge base as qa.yaml text, as its source holds it."""
        return self._version.text

    def _parse(self, text: str) -> KnowledgeBase:
        return parse_knowledge(text, self.article, str(self.path), self.normalizer)

    # --- reloading ------------------------------------------------------------------------

    def reload_if_changed(self) -> list[Change] | None:
        """Reload when the source holds a newer version; a file only once it has stopped
        changing (the same size and time as at the last look: an editor may still be
        writing it).

        Returns the changes (None when there is nothing to reload yet). Raises KnowledgeError
        when the new version is invalid: the last good knowledge base stays in use.
        """
        with self._lock:
            token = self.source.peek()
            if token == self._version.token:
                return None
            if self.source.settles and token != self._seen:
                self._seen = token  # changed since the last look: wait for it to settle
                return None
            return self._adopt(self.source.read())

    def reload(self) -> list[Change]:
        """Read the source again now (``/kb reload``)."""
        with self._lock:
            return self._adopt(self.source.read()) or []

    def _adopt(self, version: Version) -> list[Change] | None:
        """Make ``version`` the current one (under the lock). A hand edit of the file is
        recorded; a version another process saved was recorded by it."""
        if version.text == self._version.text:
            self._version = self._seen_version(version)
            return None
        kb = self._parse(version.text)
        changes = _diff(self.kb, kb, "hand edit")
        if not self.source.records_outside_changes:
            # Entries a hand edit changed get new revisions, past any recorded: a form opened
            # on the old version is then refused instead of overwriting the hand edit.
            changes = [replace(c, after=replace(c.after, revision=max(
                c.after.revision, self._last_revision(c.entry_id),
                c.before.revision if c.before else 0) + 1)) if c.after else c
                for c in changes]
            stamped = {c.entry_id: c.after for c in changes if c.after is not None}
            kb = kb.with_entries(stamped.get(e.id, e) for e in kb.entries)
            if self.store is not None and changes:
                with self.store.transaction() as db:
                    _record_all(db, changes, HAND_EDIT)
        self._version = self._seen_version(version)
        self._engine = AnswerEngine.build(kb)
        return changes

    def follow(self) -> None:
        """Take up versions other processes save as soon as the source tells (a database
        does; a file is watched by the caller)."""
        self.source.follow(self._heard)

    def _heard(self) -> None:
        try:
            self.reload_if_changed()
        except QAError as error:  # unavailable, or an invalid version: the last good stays
            log.warning("Could not take up a new version of the knowledge base: %s", error)

    def close(self) -> None:
        self.source.close()

    def _seen_version(self, version: Version) -> Version:
        self._seen = version.token
        return version

    # --- changing -------------------------------------------------------------------------

    def _commit(self, build: Callable[[KnowledgeBase], tuple[list[Entry], list[Change]]],
                editor: Editor) -> list[Change]:
        """Apply a change under the lock: validate, record, save atomically, then swap.

        The change is built on the newest version: one saved meanwhile (a hand edit, or
        another process's change) is adopted first, and never overwritten unseen. If it
        still lands between building and saving (a hand edit: files cannot be locked), the
        change is made again on top of it, or refused if it no longer applies.
        """
        with self._lock:
            for _ in range(SAVE_ATTEMPTS):
                with self.source.locked() as newest:
                    if newest.token != self._version.token:
                        self._adopt(newest)
                    entries, changes = build(self.kb)
                    stamped = {c.entry_id: c.after for c in changes if c.after is not None}
                    entries = [stamped.get(e.id, e) for e in entries]
                    text = dump_knowledge(self.kb.with_entries(entries))
                    kb = self._parse(text)  # exactly the validation of `python -m bot check`
                    try:
                        saved = self.source.save(newest, text, self.store, functools.partial(
                            _record_all, changes=changes, who=str(editor)))
                    except StaleVersionError:
                        continue
                self._version = self._seen_version(saved)
                self._engine = AnswerEngine.build(kb)
                return changes
        raise QAError(f"{self.source.label} kept changing while saving; nothing was saved. "
                      "Please try again.")

    @staticmethod
    def _revised(entry: Entry, revision: int) -> Entry:
        """The entry at a new revision (who and when go to the history)."""
        return replace(entry, revision=revision)

    def add(self, draft: Draft, editor: Editor) -> Entry:
        if draft.quotes is None:
            raise QAError("Give at least one quote: the article's own words that back the "
                          "answer.")
        citations = draft_citations(self.article, draft)

        def build(kb: KnowledgeBase) -> tuple[list[Entry], list[Change]]:
            base = slugify(draft.question)
            entry_id, n = base, 2
            while entry_id in kb.by_id:
                entry_id, n = f"{base}-{n}", n + 1
            entry = self._revised(Entry(entry_id, draft.question, draft.answer, citations,
                                        draft.alternates), 1)
            return [*kb.entries, entry], [Change(entry_id, "add", None, entry)]

        return self._after(self._commit(build, editor))

    def edit(self, entry_id: str, draft: Draft, base_revision: int, editor: Editor) -> Entry:
        citations = None if draft.quotes is None else draft_citations(self.article, draft)

        def build(kb: KnowledgeBase) -> tuple[list[Entry], list[Change]]:
            current = self._current(kb, entry_id, base_revision)
            alternates = draft.alternates
            if draft.add_alternates:
                alternates = tuple(dict.fromkeys((*current.alternates, *draft.alternates)))
            entry = self._revised(replace(current, question=draft.question, answer=draft.answer,
                                          alternates=alternates,
                                          citations=citations or current.citations),
                                  current.revision + 1)
            return list(kb.entries), [Change(entry_id, "edit", current, entry)]

        return self._after(self._commit(build, editor))

    def add_alternate(self, entry_id: str, phrase: str, editor: Editor) -> Entry:
        phrase = " ".join(phrase.split())
        if not phrase:
            raise QAError("The phrasing is empty.")

        def build(kb: KnowledgeBase) -> tuple[list[Entry], list[Change]]:
            current = self._current(kb, entry_id, None)
            if phrase.casefold() in (p.casefold() for p in current.phrasings):
                raise QAError(f"“{phrase}” is already a phrasing of {entry_id!r}.")
            entry = self._revised(replace(current, alternates=(*current.alternates, phrase)),
                                  current.revision + 1)
            return list(kb.entries), [Change(entry_id, "alias", current, entry)]

        return self._after(self._commit(build, editor))

    def add_alternates(self, wanted: dict[str, list[str]], editor: Editor, action: str = "alias"
                       ) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
        """Add phrasings to several entries in one change. A phrasing another entry is
        already asked by (the same words, to the matcher) is not added but reported, with why.
        Returns (added, refused) as (entry id, phrasing[, why])."""
        added: list[tuple[str, str]] = []
        refused: list[tuple[str, str, str]] = []
        key = self.normalizer.phrasing_key

        def build(kb: KnowledgeBase) -> tuple[list[Entry], list[Change]]:
            added.clear()
            refused.clear()
            owners = {key(p): e.id for e in kb.entries for p in e.phrasings}
            changes = []
            for entry_id, phrasings in wanted.items():
                current = self._current(kb, entry_id, None)
                new = []
                for phrasing in (" ".join(p.split()) for p in phrasings):
                    words = key(phrasing)
                    owner = owners.get(words)
                    if not words:
                        refused.append((entry_id, phrasing, "it has no words to match on"))
                    elif owner not in (None, entry_id):
                        refused.append((entry_id, phrasing, f"{owner!r} is already asked "
                                                            "this way"))
                    elif owner is None:
                        owners[words] = entry_id
                        new.append(phrasing)
                        added.append((entry_id, phrasing))
                if new:
                    entry = self._revised(replace(current, alternates=(*current.alternates,
                                                                       *new)),
                                          current.revision + 1)
                    changes.append(Change(entry_id, action, current, entry))
            return list(kb.entries), changes

        self._commit(build, editor)
        return list(added), list(refused)

    def remove(self, entry_id: str, base_revision: int | None, editor: Editor) -> Entry:
        def build(kb: KnowledgeBase) -> tuple[list[Entry], list[Change]]:
            current = self._current(kb, entry_id, base_revision)
            others = [e for e in kb.entries if e.id != entry_id]
            # Keep the remaining entries valid: drop links to the removed one.
            changes = [Change(entry_id, "remove", current, None)]
            for entry in others:
                if entry_id in entry.related:
                    related = tuple(r for r in entry.related if r != entry_id)
                    after = self._revised(replace(entry, related=related), entry.revision + 1)
                    changes.append(Change(entry.id, "unlink", entry, after))
            return others, changes

        return self._commit(build, editor)[0].before  # type: ignore[return-value]

    def revert(self, entry_id: str, change_id: int, editor: Editor) -> Entry:
        """Undo a recorded change (``/kb history`` shows their ids) and those after it: the
        entry comes back as it was just before that change (a removal undone brings back
        what it removed). Saved as a new revision, itself recorded."""
        target = self._state_before(entry_id, change_id)

        def build(kb: KnowledgeBase) -> tuple[list[Entry], list[Change]]:
            current = kb.get(entry_id)
            number = max(current.revision if current else 0, self._last_revision(entry_id)) + 1
            entry = self._revised(target, number)
            if current is None:
                return [*kb.entries, entry], [Change(entry_id, "revert", None, entry)]
            return list(kb.entries), [Change(entry_id, "revert", current, entry)]

        return self._after(self._commit(build, editor))

    def history(self, entry_id: str, limit: int = 25) -> list[Revision]:
        if self.store is None:
            return []
        return self.store.history(entry_id, limit)

    def preview_import(self, text: str) -> ImportPlan:
        """Validate a whole file and say what it would change; nothing is applied yet."""
        kb = parse_knowledge(text, self.article, "the imported file", self.normalizer)
        with self._lock:
            current, base_text = self.kb, self._version.text
        changes = _diff(current, kb, "import")
        # The file as it will be written, with the stamps an import adds to what it changes:
        # it must still be within the limit, or the import would fail only on confirm.
        stamped = {c.entry_id: self._revised(c.after, _next_revision(c))
                   for c in changes if c.after is not None}
        written = dump_knowledge(kb.with_entries(stamped.get(e.id, e) for e in kb.entries))
        size = len(written.encode("utf-8"))
        if size > MAX_YAML_BYTES:
            raise QAError(f"Once the changed entries carry their revision stamps the file would "
                          f"be {size:,} bytes; the limit is {MAX_YAML_BYTES:,}. Nothing was "
                          "changed.")
        return ImportPlan(
            knowledge=kb,
            base_text=base_text,
            added=tuple(c.entry_id for c in changes if c.before is None),
            changed=tuple(c.entry_id for c in changes if c.before and c.after),
            removed=tuple(c.entry_id for c in changes if c.after is None),
        )

    def apply_import(self, plan: ImportPlan, editor: Editor) -> list[Change]:
        """Apply a previewed import, all or nothing, unless the base changed since."""

        def build(kb: KnowledgeBase) -> tuple[list[Entry], list[Change]]:
            if self._version.text != plan.base_text:
                raise ConflictError("The knowledge base changed since this import was "
                                    "previewed; nothing was imported. Run the import again.")
            changes = _diff(kb, plan.knowledge, "import")
            return list(plan.knowledge.entries), [
                replace(c, after=self._revised(c.after, _next_revision(c)))
                if c.after else c for c in changes]

        return self._commit(build, editor)

    # --- helpers --------------------------------------------------------------------------

    def _after(self, changes: list[Change]) -> Entry:
        after = changes[0].after
        assert after is not None
        return after

    def _current(self, kb: KnowledgeBase, entry_id: str, base_revision: int | None) -> Entry:
        current = kb.get(entry_id)
        if current is None:
            raise NotFoundError(f"There is no entry {entry_id!r} (it may have been removed).")
        if base_revision is not None and current.revision != base_revision:
            last = self.store.last_change(entry_id) if self.store else None
            who = last.changed_by if last else "someone"
            when = f" at {last.changed_at}" if last else ""
            raise ConflictError(
                f"“{current.question}” was changed by {who}{when} (now revision "
                f"{current.revision}; you started from revision {base_revision}). Your change "
                "was not saved, so nothing of theirs is lost: reopen the entry to see it.")
        return current

    def _last_revision(self, entry_id: str) -> int:
        last = self.store.last_change(entry_id) if self.store else None
        return last.revision if last else 0

    def _state_before(self, entry_id: str, change_id: int) -> Entry:
        """The entry as it was just before one recorded change."""
        record = self.store.revision(change_id) if self.store else None
        if record is None or record.entry_id != entry_id:
            raise NotFoundError(f"No change #{change_id} of {entry_id!r} in the history "
                                "(see /kb history).")
        if record.before is None:
            raise QAError(f"Change #{change_id} added {entry_id!r}: there is nothing before "
                          "it to go back to (/kb remove takes the entry out).")
        return Entry.from_dict(record.before)


def _next_revision(change: Change) -> int:
    return (change.before.revision if change.before else 0) + 1


def _diff(old: KnowledgeBase, new: KnowledgeBase, action: str) -> list[Change]:
    """Per-entry changes from one knowledge base to another (ignoring revision stamps)."""
    def content(entry: Entry) -> Entry:
        return replace(entry, revision=1)

    changes = []
    for entry in new.entries:
        before = old.get(entry.id)
        if before is None or content(before) != content(entry):
            changes.append(Change(entry.id, action, before, entry))
    changes.extend(Change(e.id, action, e, None) for e in old.entries if e.id not in new.by_id)
    return changes


def _record_all(db: object, changes: list[Change], who: str) -> None:
    for change in changes:
        _record(db, change, who)


def _record(db: object, change: Change, who: str) -> None:
    revision = change.after.revision if change.after else change.before.revision  # type: ignore[union-attr]
    Store.record_revision(db, change.entry_id, revision, change.action,  # type: ignore[arg-type]
                          changed_by=who,
                          before=change.before.to_dict() if change.before else None,
                          after=change.after.to_dict() if change.after else None)

