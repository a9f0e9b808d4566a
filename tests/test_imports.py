"""The package's shape: ``bot`` never imports the tests, and its modules import each other
without cycles (counting imports inside functions and under ``TYPE_CHECKING``: a cycle hidden
in a function is still a cycle), and the core never imports discord.py."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bot"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module an import statement anywhere in the file names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


MODULES = {_module_name(path): _imports(path) for path in PACKAGE.rglob("*.py")}


def _graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports (``from bot.ui import x`` counts as
    ``bot.ui.x`` when that is a module)."""
    return {name: {target for target in imported if target in MODULES and target != name}
            for name, imported in MODULES.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_is_read() -> None:
    graph = _graph()
    assert "bot.core.answers" in graph["bot.cli"]
    assert "bot.client" in graph["bot.exts.chat"]


def test_no_import_cycles() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, " → ".join(cycle or [])


def test_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_the_package_never_imports_the_tests(module: str) -> None:
    assert not {name for name in MODULES[module] if name.split(".")[0] == "tests"}


@pytest.mark.parametrize("module", sorted(name for name in MODULES if name.startswith("bot.core")))
def test_the_core_never_imports_discord(module: str) -> None:
    assert not {name for name in MODULES[module] if name.split(".")[0] == "discord"}
