"""The knowledge base's model: entries, their citations, and the knowledge base over one article.

Also the names and limits every other part agrees on: the files of a knowledge directory, the
schema version of qa.yaml, what an id looks like and how long a phrasing, answer or quote may be.
Reading a file is ``kb_reading``, checking it ``validation``, writing it ``kb_writing``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bot.core.article import Article
from bot.core.normalize import ENGLISH, Normalizer

ARTICLE_FILE = "article.txt"
KNOWLEDGE_FILE = "qa.yaml"
SCHEMA_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_CHARS = 60
MAX_PHRASING_CHARS = 300
MAX_ANSWER_CHARS = 1500
MAX_QUOTE_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Citation:
    """The article's own words: a paragraph number (0 = title line) and a verbatim quote."""

    paragraph: int
    quote: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One curated question with its answer and citations."""

    id: str
    question: str
    answer: str
    citations: tuple[Citation, ...]
    alternates: tuple[str, ...] = ()
    # Yes/no questions this entry settles, by the reply they get: "did China take them in?" is
    # answered "No. …" with the entry's answer. They are phrasings of the entry too.
    yes_to: tuple[str, ...] = ()
    no_to: tuple[str, ...] = ()
    # True for an entry that says what the article does NOT tell ("The article does not say
    # how Pol Pot died. It says…"): its reply is the decision ``partial``, not an answer.
    partial: bool = False
    related: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    revision: int = 1

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The question, its alternates and its yes/no questions: everything the matcher
        indexes."""
        return (self.question, *self.alternates, *self.yes_to, *self.no_to)

    def to_dict(self) -> dict[str, object]:
        """The entry as it is written to qa.yaml (empty optional keys left out). Who changed
        it and when is in the history, not in the file: a change then touches only the lines
        it changes, and the revision."""
        data: dict[str, object] = {"id": self.id, "question": self.question}
        if self.alternates:
            data["alternates"] = list(self.alternates)
        if self.yes_to:
            data["yes_to"] = list(self.yes_to)
        if self.no_to:
            data["no_to"] = list(self.no_to)
        data["answer"] = self.answer
        if self.partial:
            data["partial"] = True
        data["citations"] = [{"paragraph": c.paragraph, "quote": c.quote} for c in self.citations]
        if self.related:
            data["related"] = list(self.related)
        if self.tags:
            data["tags"] = list(self.tags)
        data["revision"] = self.revision
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Entry:
        """An entry from ``to_dict``'s form, as the history records it (before and after each
        change)."""
        citations = tuple(Citation(int(c["paragraph"]), str(c["quote"]))  # type: ignore[index]
                          for c in data["citations"])  # type: ignore[union-attr]
        return cls(
            id=str(data["id"]), question=str(data["question"]), answer=str(data["answer"]),
            citations=citations,
            alternates=tuple(data.get("alternates", ())),  # type: ignore[arg-type]
            yes_to=tuple(data.get("yes_to", ())),  # type: ignore[arg-type]
            no_to=tuple(data.get("no_to", ())),  # type: ignore[arg-type]
            partial=bool(data.get("partial", False)),
            related=tuple(data.get("related", ())),  # type: ignore[arg-type]
            tags=tuple(data.get("tags", ())),  # type: ignore[arg-type]
            revision=int(data.get("revision", 1)),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class KnowledgeBase:
    """A validated set of entries over one article. Immutable: edits build a new one."""

    article: Article
    entries: tuple[Entry, ...]
    header: str = ""
    # Comment lines written just above an entry (section titles), kept when the file is saved.
    comments: dict[str, str] = field(default_factory=dict, compare=False)
    # How texts become terms: English plus the article's vocabulary (knowledge/vocabulary.yaml).
    normalizer: Normalizer = field(default=ENGLISH, compare=False, repr=False)
    by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {entry.id: entry for entry in self.entries})

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def with_entries(self, entries: Iterable[Entry]) -> KnowledgeBase:
        return replace(self, entries=tuple(entries))
