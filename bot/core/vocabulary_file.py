"""Reading and checking ``knowledge/vocabulary.yaml`` (see ``vocabulary``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.core.errors import KnowledgeError, Problem
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
from bot.core.vocabulary import Variant, Vocabulary

SCHEMA_VERSION = 1
_RULE_KEYS = frozenset({"words", "not_after", "not_before"})


class _Reader:
    def __init__(self, simplify: Callable[[str], str]) -> None:
        self.simplify = simplify
        self.problems: list[Problem] = []
        self.seen: dict[tuple[str, ...], tuple[str, int]] = {}

    def problem(self, node: Node | int, message: str) -> None:
        self.problems.append(Problem(node if isinstance(node, int) else line_of(node), message))

    def words(self, node: Node, what: str) -> tuple[str, ...]:
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            self.problem(node, f"{what} must be a word or phrase")
            return ()
        words = tuple(self.simplify(str(node.value)).split())
        if not words:
            self.problem(node, f"{what} {node.value!r} has no words")
        return words

    def word_set(self, node: Node, what: str) -> frozenset[str]:
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{what} must be a list of words")
            return frozenset()
        return frozenset(w for item in node.value for w in self.words(item, f"each of {what}"))

    def read(self, root: Node | None) -> list[Variant]:
        if not isinstance(root, MappingNode):
            self.problem(root.start_mark.line + 1 if root else 1,
                         "the file must be a mapping with 'version: 1' and 'terms:'")
            return []
        terms_node = None
        for item in mapping_fields(root):
            if item.key == "version":
                if str(item.node.value) != str(SCHEMA_VERSION):
                    self.problem(item.node, f"unsupported version (expected {SCHEMA_VERSION})")
            elif item.key == "terms":
                terms_node = item.node
            else:
                self.problem(item.node, f"unknown top-level key {item.key!r}")
        if not isinstance(terms_node, MappingNode):
            self.problem(terms_node or root, "'terms' must be a mapping of term: [variants]")
            return []
        variants = []
        for item in mapping_fields(terms_node):
            term = tuple(self.simplify(item.key).split())
            if not term:
                self.problem(item.node, f"term {item.key!r} has no words")
                continue
            if not isinstance(item.node, SequenceNode) or not item.node.value:
                self.problem(item.node, f"term {item.key!r} needs a list of variants")
                continue
            variants += [v for node in item.node.value if (v := self.variant(node, term))]
        return variants

    def variant(self, node: Node, term: tuple[str, ...]) -> Variant | None:
        rules: dict[str, Node] = {"words": node}
        if isinstance(node, MappingNode):
            rules = {item.key: item.node for item in mapping_fields(node)}
            for key in rules.keys() - _RULE_KEYS:
                self.problem(rules[key], f"unknown key {key!r} (allowed: words, not_after, "
                             "not_before)")
            if "words" not in rules:
                self.problem(node, "a variant with limits needs 'words'")
                return None
        words = self.words(rules["words"], "a variant")
        if not words:
            return None
        owner = self.seen.get(words)
        if owner and owner[0] != " ".join(term):
            self.problem(node, f"variant {' '.join(words)!r} is already a variant of "
                         f"{owner[0]!r} (line {owner[1]})")
            return None
        self.seen[words] = (" ".join(term), line_of(node))
        return Variant(
            words, term,
            self.word_set(rules["not_after"], "not_after") if "not_after" in rules else
            frozenset(),
            self.word_set(rules["not_before"], "not_before") if "not_before" in rules else
            frozenset(),
            line_of(node),
        )


def parse_vocabulary(text: str, filename: str, simplify: Callable[[str], str]) -> Vocabulary:
    """A vocabulary from YAML text; raise KnowledgeError listing every problem."""
    try:
        root = compose(text)
    except YamlRefusedError as exc:
        raise KnowledgeError(filename, [exc.problem]) from None
    reader = _Reader(simplify)
    variants = reader.read(root)
    if reader.problems:
        raise KnowledgeError(filename, sorted(reader.problems, key=lambda p: p.line))
    return Vocabulary(tuple(variants))


def read_vocabulary(path: Path, simplify: Callable[[str], str]) -> Vocabulary:
    """The vocabulary file of a knowledge folder; an article without one has none."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise KnowledgeError(str(path), [Problem(
                0, f"the file is {size:,} bytes; the limit is {MAX_YAML_BYTES:,}")])
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Vocabulary()
    except UnicodeDecodeError as exc:
        raise KnowledgeError(str(path), [Problem(0, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise KnowledgeError(str(path), [Problem(0, f"cannot read ({exc.strerror})")]) from None
    return parse_vocabulary(text, str(path), simplify)
