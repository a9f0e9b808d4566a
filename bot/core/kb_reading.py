"""Reading qa.yaml: a knowledge base built from the file's text, or every problem in it.

Every problem is reported with its line, in the form ``python -m bot check`` prints, and a
knowledge base is only ever built from a file with no problems. The comments above entries and
at the top of the file are kept, so that writing the file back (``kb_writing``) keeps them.
Also loading a whole knowledge directory: the article, its vocabulary and qa.yaml.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.article import Article, load_article
from bot.core.errors import KnowledgeError, Problem
from bot.core.knowledge import (
    ARTICLE_FILE,
    ID_PATTERN,
    KNOWLEDGE_FILE,
    MAX_ANSWER_CHARS,
    MAX_ID_CHARS,
    MAX_PHRASING_CHARS,
    MAX_QUOTE_CHARS,
    SCHEMA_VERSION,
    Citation,
    Entry,
    KnowledgeBase,
)
from bot.core.normalize import ENGLISH, Normalizer, simplify
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
from bot.core.validation import citation_problem, problems_across
from bot.core.vocabulary import VOCABULARY_FILE
from bot.core.vocabulary_file import read_vocabulary

_INT_TAG = "tag:yaml.org,2002:int"
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_REQUIRED = ("id", "question", "answer", "citations")
_OPTIONAL = ("alternates", "yes_to", "no_to", "partial", "related", "tags", "revision",
             "updated_by", "updated_at")
_ENTRY_KEYS = frozenset(_REQUIRED + _OPTIONAL)


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
        self.problems.extend(problems_across(
            [(line_of(node), entry) for node, entry in zip(entries_node.value, entries,
                                                           strict=True)],
            self.normalizer, self.invalid_ids))
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
