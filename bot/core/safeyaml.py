"""Reading YAML safely, into node trees that remember their line numbers.

PyYAML's safe loader still expands aliases, so a few hundred bytes of nested aliases (an "alias
bomb") can build billions of objects. Here the document is only *composed* (aliases stay shared
references, nothing is expanded), and the walk that reads it refuses any node seen twice, which
is exactly what an alias is. Files over a size limit are refused before parsing.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from bot.core.errors import Problem

try:  # libyaml is ~10x faster; the pure-Python loader gives the same nodes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_YAML_BYTES = 1_000_000
# What people usually did when the parser says this.
_HINTS = {
    "mapping values are not allowed here": (
        " (is this line indented too far, or does a text on it contain ': ' and need "
        "quotes?)"),
    "mapping values are not allowed in this context": (
        " (is this line indented too far, or does a text on it contain ': ' and need "
        "quotes?)"),
    "did not find expected '-' indicator": " (is this line indented differently from the "
                                            "items above it?)",
    "did not find expected key": " (is this line indented differently from the keys above "
                                 "it?)",
}
_MAX_DEPTH = 20

Node = yaml.Node
MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode


class YamlRefusedError(Exception):
    """The text is not YAML this project accepts; ``problem`` says why, at which line."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.message)


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_mark.line + 1


def compose(text: str) -> Node | None:
    """Compose YAML text into a node tree, refusing oversize input, aliases and deep nesting."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_YAML_BYTES:
        raise YamlRefusedError(
            Problem(0, f"the file is {size:,} bytes; the limit is {MAX_YAML_BYTES:,}")
        )
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        reason = exc.problem or exc.context or "invalid YAML"
        hint = _HINTS.get(reason, "")
        raise YamlRefusedError(Problem(line, f"invalid YAML: {reason}{hint}")) from None
    except yaml.YAMLError as exc:
        raise YamlRefusedError(Problem(0, f"invalid YAML: {exc}")) from None
    except RecursionError:
        raise YamlRefusedError(Problem(0, "invalid YAML: nested too deeply")) from None
    if root is not None:
        _refuse_aliases(root)
    return root


def _refuse_aliases(root: Node) -> None:
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise YamlRefusedError(
                Problem(line_of(node), "anchors and aliases (&, *) are not allowed in this file")
            )
        seen.add(id(node))
        if depth > _MAX_DEPTH:
            raise YamlRefusedError(Problem(line_of(node), "the YAML is nested too deeply"))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


@dataclass(frozen=True, slots=True)
class Field:
    """A mapping key with its value node, for reading entries with line numbers."""

    key: str
    node: Node


def mapping_fields(node: MappingNode) -> list[Field]:
    """The key/value pairs of a mapping node, keys as text."""
    return [Field(str(key.value), value) for key, value in node.value]
