"""The curated knowledge base: entries, their citations, and reading/validating/writing qa.yaml.

Every problem in a file is reported with its line, in the form ``python -m bot check`` prints,
and a knowledge base is only ever built from a file with no problems.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from bot.core.article import Article, load_article
from bot.core.errors import KnowledgeError, Problem
from bot.core.normalize import ENGLISH, EVERYDAY_WORDS, Normalizer, simplify, stem
from bot.core.safeyaml import (
    MAX_YAML_BYTES,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    YamlRefusedError,
    compose,
    line_of,
    mapping_fields,
)
from bot.core.text import fold
from bot.core.vocabulary import VOCABULARY_FILE, everyday_collisions, read_vocabulary

ARTICLE_FILE = "article.txt"
KNOWLEDGE_FILE = "qa.yaml"
SCHEMA_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_CHARS = 60
MAX_PHRASING_CHARS = 300
MAX_ANSWER_CHARS = 1500
MAX_QUOTE_CHARS = 1000

_INT_TAG = "tag:yaml.org,2002:int"
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_REQUIRED = ("id", "question", "answer", "citations")
_OPTIONAL = ("alternates", "yes_to", "no_to", "partial", "related", "tags", "revision",
             "updated_by", "updated_at")
_ENTRY_KEYS = frozenset(_REQUIRED + _OPTIONAL)


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


# --- reading -----------------------------------------------------------------------------------


class _Reader:
    """Walks a composed qa.yaml and collects entries and line-numbered problems."""

    def __init__(self, article: Article, normalizer: Normalizer) -> None:
        self.article = article
        self.normalizer = normalizer
        self.problems: list[Problem] = []
        self.invalid_ids: set[str] = set()  # ids of entries with other problems
        self.lines: dict[str, int] = {}  # entry id → the line it starts on

    def problem(self, node: Node | int, message: str) -> None:
        line = node if isinstance(node, int) else line_of(node)
        self.problems.append(Problem(line, message))

    def text(self, node: Node, what: str, limit: int) -> str | None:
        if not isinstance(node, ScalarNode):
            self.problem(node, f"{what} must be text")
            return None
        value = " ".join(str(node.value).split())
        if node.tag == _NULL_TAG or not value:
            self.problem(node, f"{what} is empty")
            return None
        if not node.style and node.end_mark.line > node.start_mark.line and (
                ": " in str(node.value) or " - " in str(node.value)):
            self.problem(node, f"{what} runs on into line {node.end_mark.line + 1}: is a line "
                         "below indented too far, or missing its '- ' or 'key:'?")
            return None
        if len(value) > limit:
            self.problem(node, f"{what} is {len(value)} characters; the limit is {limit}")
            return None
        return value

    def text_list(self, node: Node, what: str, limit: int) -> list[str]:
        if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{what} must be a list")
            return []
        values = (self.text(item, f"each of {what}", limit) for item in node.value)
        return [value for value in values if value is not None]

    def integer(self, node: Node, what: str) -> int | None:
        text = str(node.value).replace("_", "") if isinstance(node, ScalarNode) else ""
        if node.tag != _INT_TAG or not text.isascii() or not text.lstrip("+-").isdigit():
            self.problem(node, f"{what} must be a whole number")
            return None
        return int(text)

    def read(self, root: Node | None) -> list[Entry]:
        if not isinstance(root, MappingNode):
            self.problem(root.start_mark.line + 1 if root else 1, "the file must be a mapping "
                         "with 'version: 1' and 'entries:'")
            return []
        entries_node: Node | None = None
        for item in mapping_fields(root):
            if item.key == "version":
                if self.integer(item.node, "version") not in (None, SCHEMA_VERSION):
                    self.problem(item.node, f"unsupported version (expected {SCHEMA_VERSION})")
            elif item.key == "entries":
                entries_node = item.node
            else:
                self.problem(item.node, f"unknown top-level key {item.key!r}")
        if entries_node is None:
            self.problem(root, "the file has no 'entries:' list")
            return []
        if not isinstance(entries_node, SequenceNode):
            self.problem(entries_node, "'entries' must be a list")
            return []
        entries = [self.entry(node) for node in entries_node.value]
        valid = [entry for entry in entries if entry is not None]
        for node, entry in zip(entries_node.value, entries, strict=True):
            if entry is not None:
                self.lines.setdefault(entry.id, line_of(node))
        self.check_across(entries_node.value, entries)
        return valid

    def entry(self, node: Node) -> Entry | None:
        if not isinstance(node, MappingNode):
            self.problem(node, "each entry must be a mapping with id, question, answer, citations")
            return None
        before = len(self.problems)
        values: dict[str, object] = {}
        seen: set[str] = set()
        for item in mapping_fields(node):
            if item.key in seen:
                self.problem(item.node, f"key {item.key!r} appears twice in this entry")
                continue
            seen.add(item.key)
            if item.key not in _ENTRY_KEYS:
                self.problem(item.node, f"unknown key {item.key!r} (allowed: "
                             f"{', '.join(sorted(_ENTRY_KEYS))})")
                continue
            values[item.key] = self.value(item.key, item.node)
        for key in _REQUIRED:
            if key not in seen:
                self.problem(node, f"entry is missing {key!r}")
        if len(self.problems) > before or any(values.get(key) is None for key in _REQUIRED):
            if isinstance(values.get("id"), str):
                self.invalid_ids.add(values["id"])  # type: ignore[arg-type]
            return None
        return Entry(
            id=values["id"],  # type: ignore[arg-type]
            question=values["question"],  # type: ignore[arg-type]
            answer=values["answer"],  # type: ignore[arg-type]
            citations=tuple(values["citations"]),  # type: ignore[arg-type]
            alternates=tuple(values.get("alternates") or ()),  # type: ignore[arg-type]
            yes_to=tuple(values.get("yes_to") or ()),  # type: ignore[arg-type]
            no_to=tuple(values.get("no_to") or ()),  # type: ignore[arg-type]
            partial=bool(values.get("partial")),
            related=tuple(values.get("related") or ()),  # type: ignore[arg-type]
            tags=tuple(values.get("tags") or ()),  # type: ignore[arg-type]
            revision=values.get("revision") or 1,  # type: ignore[arg-type]
        )

    def value(self, key: str, node: Node) -> object:  # noqa: PLR0911 - one branch per key
        if key == "id":
            value = self.text(node, "id", MAX_ID_CHARS)
            if value is not None and not ID_PATTERN.match(value):
                self.problem(node, f"id {value!r} must be lowercase letters, digits and dashes")
                return None
            return value
        if key in ("question", "answer"):
            return self.text(node, key, MAX_PHRASING_CHARS if key == "question" else
                             MAX_ANSWER_CHARS)
        if key in ("alternates", "yes_to", "no_to"):
            return self.text_list(node, key, MAX_PHRASING_CHARS)
        if key in ("related", "tags"):
            return self.text_list(node, key, MAX_ID_CHARS)
        if key == "citations":
            return self.citations(node)
        if key == "partial":
            if node.tag != _BOOL_TAG:
                self.problem(node, "partial must be true or false")
                return None
            return str(node.value).lower() in ("true", "yes", "on")
        if key == "revision":
            revision = self.integer(node, "revision")
            if revision is not None and revision < 1:
                self.problem(node, "revision must be 1 or more")
                return None
            return revision
        # updated_by, updated_at: written by earlier versions; the history keeps them now.
        return self.text(node, key, MAX_PHRASING_CHARS)

    def citations(self, node: Node) -> list[Citation] | None:
        if not isinstance(node, SequenceNode) or not node.value:
            self.problem(node, "citations must be a non-empty list of {paragraph, quote}")
            return None
        citations = [self.citation(item) for item in node.value]
        if any(citation is None for citation in citations):
            return None
        return citations  # type: ignore[return-value]

    def citation(self, node: Node) -> Citation | None:
        if not isinstance(node, MappingNode):
            self.problem(node, "each citation must be a mapping with paragraph and quote")
            return None
        fields = {item.key: item.node for item in mapping_fields(node)}
        for key in fields.keys() - {"paragraph", "quote"}:
            self.problem(fields[key], f"unknown citation key {key!r} (allowed: paragraph, quote)")
        if "paragraph" not in fields or "quote" not in fields:
            self.problem(node, "a citation needs both 'paragraph' and 'quote'")
            return None
        paragraph = self.integer(fields["paragraph"], "paragraph")
        quote = self.text(fields["quote"], "quote", MAX_QUOTE_CHARS)
        if paragraph is None or quote is None:
            return None
        message = citation_problem(self.article, Citation(paragraph, quote))
        if message:
            self.problem(fields["quote"] if "not found" in message else fields["paragraph"],
                         message)
            return None
        return Citation(paragraph, quote)

    def check_across(self, nodes: list[Node], entries: list[Entry | None]) -> None:
        """Checks that need every entry: unique ids, unique phrasings, related ids exist."""
        ids: dict[str, int] = {}
        phrasings: dict[str, tuple[str, str]] = {}
        for node, entry in zip(nodes, entries, strict=True):
            if entry is None:
                continue
            if entry.id in ids:
                self.problem(node, f"duplicate id {entry.id!r} (first at line {ids[entry.id]})")
            ids.setdefault(entry.id, line_of(node))
            for phrasing in entry.phrasings:
                key = self.normalizer.phrasing_key(phrasing)
                if not key:
                    self.problem(node, f"phrasing {phrasing!r} has no words to match on")
                    continue
                owner = phrasings.get(key)
                if owner and owner[0] != entry.id:
                    self.problem(node, f"phrasing {phrasing!r} matches the same words as "
                                 f"{owner[1]!r} under entry {owner[0]!r}")
                phrasings.setdefault(key, (entry.id, phrasing))
        for node, entry in zip(nodes, entries, strict=True):
            for related in entry.related if entry else ():
                if related == entry.id:
                    self.problem(node, f"entry {entry.id!r} lists itself as related")
                elif related not in ids and related not in self.invalid_ids:
                    self.problem(node, f"related entry {related!r} does not exist")


def citation_problem(article: Article, citation: Citation) -> str | None:
    """Why a citation is not the article's own words, or None when it is."""
    last = len(article.paragraphs)
    if not 0 <= citation.paragraph <= last:
        return f"paragraph {citation.paragraph} is out of range (0–{last}; 0 is the title line)"
    quote = fold(citation.quote)
    if quote in article.paragraph(citation.paragraph).folded:
        return None
    elsewhere = [p.number for p in article.all_paragraphs if quote in p.folded]
    if elsewhere:
        return (f"quote not found in paragraph {citation.paragraph}; "
                f"it is in paragraph {elsewhere[0]}")
    return (f"quote not found verbatim in paragraph {citation.paragraph}: "
            f"{_first_difference(quote, article.paragraph(citation.paragraph).folded)}")


def _first_difference(quote: str, paragraph: str) -> str:
    """Where a quote leaves the paragraph's words: 'from “Eaglebuger” (the article has
    “Eagleburger”)', or the quote's start when even its first word is not there."""
    words = quote.split()
    matched = 0
    while matched < len(words) and " ".join(words[: matched + 1]) in paragraph:
        matched += 1
    if matched == 0:
        return f"it starts with “{words[0] if words else ''}”, which is not in that paragraph"
    prefix = " ".join(words[:matched])
    after = paragraph[paragraph.index(prefix) + len(prefix):].split()
    theirs = f" (the article has “{after[0]}”)" if after else " (the paragraph ends there)"
    return f"after “{' '.join(words[max(0, matched - 3):matched])}” it has " \
           f"“{words[matched]}”{theirs}"


def _entry_comments(text: str, lines: dict[str, int]) -> dict[str, str]:
    """The comment lines of each entry: those directly above it (blank lines between are
    allowed), then those written inside it, which move above it when the file is rewritten
    (the canonical form has no place for them inside) rather than being lost."""
    rows = text.splitlines()
    above = {line: _comments_above(rows, line) for line in lines.values()}
    starts = sorted(lines.values())
    comments = {}
    for entry_id, line in lines.items():
        following = next((s for s in starts if s > line), None)
        end = len(rows) if following is None else above[following][1]
        inside = [row.strip() for row in rows[line:end] if row.strip().startswith("#")]
        found = above[line][0] + [f"  {row}" for row in inside]
        if found:
            comments[entry_id] = "\n".join(found)
    return comments


def _comments_above(rows: list[str], line: int) -> tuple[list[str], int]:
    """The comment rows right above a 1-based line, and the 0-based row where they start."""
    above: list[str] = []
    start = line - 1
    for number in range(line - 2, -1, -1):
        row = rows[number]
        if row.strip().startswith("#"):
            above.append(row)
            start = number
        elif row.strip() or above:
            break
    return list(reversed(above)), start


def _header_comment(text: str) -> str:
    """The comment lines at the top of a file, kept when the file is rewritten."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def parse_knowledge(text: str, article: Article, filename: str,
                    normalizer: Normalizer = ENGLISH) -> KnowledgeBase:
    """Build a knowledge base from qa.yaml text; raise KnowledgeError listing every problem.

    Two phrasings that the matcher cannot tell apart (same terms) are refused when they
    belong to different entries.
    """
    try:
        root = compose(text)
    except YamlRefusedError as exc:
        raise KnowledgeError(filename, [exc.problem]) from None
    reader = _Reader(article, normalizer)
    entries = reader.read(root)
    if reader.problems:
        raise KnowledgeError(filename, sorted(reader.problems, key=lambda p: p.line))
    return KnowledgeBase(article=article, entries=tuple(entries), header=_header_comment(text),
                         comments=_entry_comments(text, reader.lines), normalizer=normalizer)


def read_knowledge(path: Path, article: Article, normalizer: Normalizer = ENGLISH
                   ) -> KnowledgeBase:
    """Read and validate a qa.yaml file."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:  # refuse before reading it into memory
            problem = Problem(0, f"the file is {size:,} bytes; the limit is {MAX_YAML_BYTES:,}")
            raise KnowledgeError(str(path), [problem])
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(str(path), [Problem(0, "the file does not exist")]) from None
    except UnicodeDecodeError as exc:
        raise KnowledgeError(str(path), [Problem(0, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise KnowledgeError(str(path), [Problem(0, f"cannot read ({exc.strerror})")]) from None
    return parse_knowledge(text, article, str(path), normalizer)


def load_normalizer(directory: Path) -> Normalizer:
    """English plus the article's vocabulary from a knowledge directory, if it has one."""
    return Normalizer(read_vocabulary(directory / VOCABULARY_FILE, simplify))


def load_knowledge_base(directory: Path) -> KnowledgeBase:
    """The article, its vocabulary and the knowledge base from a knowledge directory,
    validated."""
    return read_knowledge(directory / KNOWLEDGE_FILE, load_article(directory / ARTICLE_FILE),
                          load_normalizer(directory))


# --- coverage ------------------------------------------------------------------------------------


def uncited_sentences(kb: KnowledgeBase) -> list[tuple[int, str]]:
    """Article sentences that no citation covers, as (paragraph number, sentence).

    A citation covers a sentence when the quote spans at least half of the sentence's text.
    """
    quotes: dict[int, list[str]] = {}
    for entry in kb.entries:
        for citation in entry.citations:
            quotes.setdefault(citation.paragraph, []).append(fold(citation.quote))
    missing = []
    for paragraph in kb.article.all_paragraphs:
        folded = paragraph.folded
        spans = [(start, start + len(q)) for q in quotes.get(paragraph.number, [])
                 if (start := folded.find(q)) >= 0]
        for sentence in paragraph.sentences:
            start = folded.find(fold(sentence))
            end = start + len(fold(sentence))
            covered = max((min(end, b) - max(start, a) for a, b in spans), default=0)
            if covered * 2 < end - start:
                missing.append((paragraph.number, sentence))
    return missing


def vocabulary_warnings(kb: KnowledgeBase) -> list[Problem]:
    """Everyday words the vocabulary rewrites into the article's own terms (see
    ``vocabulary.everyday_collisions``); the article's terms are those its text reduces to."""
    article_terms = frozenset(word for paragraph in kb.article.all_paragraphs
                              for word in kb.normalizer.terms(paragraph.text))
    return everyday_collisions(kb.normalizer.article_vocabulary, article_terms, EVERYDAY_WORDS,
                               stem)


# --- writing -------------------------------------------------------------------------------------


_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_PLAIN_UNSAFE_START = frozenset("-?:,[]{}#&*!|>'\"%@`")


def _scalar(text: str) -> str:
    """A string as YAML writes it in this file: plain when it reads back as the same string,
    single-quoted when it is printable, double-quoted (with escapes) otherwise."""
    if (text and text[0] not in _PLAIN_UNSAFE_START and text == text.strip()
            and ": " not in text and " #" not in text and not text.endswith(":")
            and text.isprintable()
            and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG):
        return text
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


def _entry_lines(entry: Entry) -> Iterator[str]:
    """One entry in the file's canonical form: keys in a fixed order, one list item per line,
    no line folding, so that changing one phrasing changes one line."""
    for key, value in entry.to_dict().items():
        prefix = "  - " if key == "id" else "    "
        if isinstance(value, list) and key == "citations":
            yield f"{prefix}{key}:"
            for citation in value:
                yield f"      - paragraph: {citation['paragraph']}"
                yield f"        quote: {_scalar(citation['quote'])}"
        elif isinstance(value, list):
            yield f"{prefix}{key}:"
            yield from (f"      - {_scalar(item)}" for item in value)
        elif isinstance(value, bool):
            yield f"{prefix}{key}: {'true' if value else 'false'}"
        elif isinstance(value, int):
            yield f"{prefix}{key}: {value}"
        else:
            yield f"{prefix}{key}: {_scalar(value)}"


def dump_knowledge(kb: KnowledgeBase) -> str:
    """qa.yaml text for a knowledge base: its header comment, then one block per entry, each
    after the comment that stood above it."""
    parts = [kb.header + "\n" if kb.header else "", f"version: {SCHEMA_VERSION}\nentries:\n"]
    for entry in kb.entries:
        if entry.id in kb.comments:
            parts.append("\n" + kb.comments[entry.id] + "\n")
        parts.append("\n" + "\n".join(_entry_lines(entry)) + "\n")
    return "".join(parts)
