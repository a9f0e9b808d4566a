"""bot.core.safeyaml: YAML composed into line-numbered nodes, with bombs and oddities refused."""

import time

import pytest

from bot.core.safeyaml import (
    MAX_YAML_BYTES,
    MappingNode,
    ScalarNode,
    SequenceNode,
    YamlRefusedError,
    compose,
    line_of,
    mapping_fields,
)


def billion_laughs(levels: int = 10, fan_out: int = 10) -> str:
    """The classic alias bomb: expanded, it would hold fan_out ** levels strings."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * fan_out)}]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * fan_out)}]")
    return "\n".join(lines) + "\n"


def refused(text: str) -> YamlRefusedError:
    with pytest.raises(YamlRefusedError) as info:
        compose(text)
    return info.value


def test_alias_bomb_is_refused_quickly_with_a_line() -> None:
    text = billion_laughs()
    start = time.perf_counter()
    error = refused(text)
    assert time.perf_counter() - start < 1.0
    assert "alias" in error.problem.message
    assert 1 <= error.problem.line <= text.count("\n")


@pytest.mark.parametrize(
    "text",
    [
        "x: &a 1\ny: *a\n",
        "base: &base {k: v}\nother: *base\n",
        "- &item one\n- *item\n",
        "x: &a [1, 2]\ny: [*a]\n",
    ],
)
def test_plain_alias_is_refused(text: str) -> None:
    error = refused(text)
    assert "alias" in error.problem.message
    assert error.problem.line >= 1


def test_anchor_without_alias_is_accepted() -> None:
    root = compose("x: &a 1\ny: 2\n")
    assert isinstance(root, MappingNode)


def test_oversize_text_is_refused_before_parsing() -> None:
    text = "x: '" + "a" * MAX_YAML_BYTES + "'\n"
    error = refused(text)
    assert error.problem.line == 0
    assert "limit" in error.problem.message


def test_oversize_counts_bytes_not_characters() -> None:
    text = "x: '" + "é" * (MAX_YAML_BYTES // 2 + 1) + "'\n"  # fewer characters than the limit
    assert len(text) < MAX_YAML_BYTES
    assert "limit" in refused(text).problem.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("x: [1, 2\ny: 3\n", 2),
        ("x: 1\n  y: 2\n", 2),
        ("a: 1\nb: 2\nc: 'unclosed\n", 4),
        ("a: 1\n---\nb: 2\n", 2),  # two documents
        ("a: 1\n\tb: 2\n", 2),
    ],
)
def test_invalid_yaml_reports_its_line(text: str, line: int) -> None:
    error = refused(text)
    assert error.problem.message.startswith("invalid YAML")
    assert error.problem.line == line


@pytest.mark.parametrize("depth", [30, 1_000, 100_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    error = refused("[" * depth + "]" * depth)
    assert "nest" in error.problem.message


def test_deep_block_mapping_is_refused() -> None:
    text = "".join(" " * level + "k:\n" for level in range(40)) + " " * 40 + "v\n"
    assert "nest" in refused(text).problem.message


def test_moderate_nesting_is_accepted() -> None:
    assert compose("[" * 10 + "]" * 10) is not None


def test_normal_yaml_composes_with_lines() -> None:
    root = compose("version: 1\nentries:\n  - id: a\n    question: Who?\n")
    assert isinstance(root, MappingNode)
    fields = mapping_fields(root)
    assert [f.key for f in fields] == ["version", "entries"]
    entries = fields[1].node
    assert isinstance(entries, SequenceNode)
    entry = entries.value[0]
    assert line_of(entry) == 3
    question = mapping_fields(entry)[1].node
    assert isinstance(question, ScalarNode)
    assert (question.value, line_of(question)) == ("Who?", 4)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_document_is_none(text: str) -> None:
    assert compose(text) is None
