"""The entry form: what it shows of an entry and the draft it gives back."""

from dataclasses import replace

import pytest

from bot.core.drafts import Draft
from bot.core.errors import QAError
from bot.core.knowledge import KnowledgeBase
from bot.ui.modals import INPUT_LIMIT, EntryForm


def test_draft_splits_lines_and_paragraphs() -> None:
    form = EntryForm(" Who?  ", "a\n\n b \n", "An  answer.", "one\ntwo", "5, 10")
    assert form.draft() == Draft("Who?", "An answer.", ("one", "two"), ("a", "b"), (5, 10))
    with pytest.raises(QAError, match="whole numbers"):
        EntryForm("q", "", "a", "quote", "five").draft()


def test_an_entry_that_fits_is_shown_whole(kb: KnowledgeBase) -> None:
    entry = kb.by_id["cable-sender"]
    form = EntryForm.from_entry(entry)
    assert form.alternates.splitlines() == list(entry.alternates)
    assert (form.kept_alternates, form.kept_quotes) == (0, 0)
    assert form.draft().alternates == entry.alternates and not form.draft().add_alternates


def test_alternates_too_long_for_the_form_are_kept_not_cut(kb: KnowledgeBase) -> None:
    """Pre-filling only the first 4,000 characters once dropped the rest on save."""
    many = tuple(f"a long way of asking who sent the cable, number {n}" for n in range(120))
    entry = replace(kb.by_id["cable-sender"], alternates=many)
    assert len("\n".join(many)) > INPUT_LIMIT
    form = EntryForm.from_entry(entry)
    assert form.alternates == "" and form.kept_alternates == 120
    draft = replace(form, alternates="one more way").draft()
    assert draft.add_alternates and draft.alternates == ("one more way",)


def test_quotes_too_long_for_the_form_are_kept(kb: KnowledgeBase) -> None:
    entry = kb.by_id["cable-sender"]
    long = replace(entry, citations=entry.citations * 50)
    assert len("\n".join(c.quote for c in long.citations)) > INPUT_LIMIT
    form = EntryForm.from_entry(long)
    assert form.kept_quotes == 50 and form.quotes == ""
    assert form.draft().quotes is None  # None: keep the citations as they are
