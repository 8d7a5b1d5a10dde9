"""Layers point one way: core and sync import no feature, and no two features import each
other, even through a third. Every import counts, also one inside a function; a name only a
type checker reads (under ``if TYPE_CHECKING:``) is no import at run time."""

import ast
from pathlib import Path

import pytest

SERVER = Path(__file__).resolve().parent.parent / "server"
FEATURES = {"audit", "auth", "contacts", "demo", "home", "org", "people", "push", "pwa", "referrals",
            "services", "gatherings", "outreach", "signals", "buddies", "calendar", "privacy",
            "welcome"}


def _run_time(tree: ast.AST):
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        yield node
        todo.extend(ast.iter_child_nodes(node))


def _imported(path: Path) -> set[str]:
    """The top-level packages of server/ that one module imports."""
    package = ["server", *path.relative_to(SERVER).parts[:-1]]
    found: set[str] = set()
    for node in _run_time(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            target = [*base, *(node.module or "").split(".")] if node.module else base
            names = [target[1]] if len(target) > 1 else [a.name for a in node.names]
            found.update(names if target[:1] == ["server"] else [])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names
                         if a.name.startswith("server."))
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in SERVER.rglob("*.py"):
        parts = path.relative_to(SERVER).parts
        if len(parts) > 1:
            graph.setdefault(parts[0], set()).update(_imported(path) - {parts[0]})
    return graph


@pytest.mark.parametrize("layer", ["core", "sync"])
def test_lower_layers_import_no_feature(layer):
    assert _graph()[layer] & FEATURES == set()


def test_core_imports_nothing_of_the_app_but_core():
    assert _graph()["core"] == set()


def _reaches(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph.get(todo.pop(), set()) & FEATURES:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_import_circle_between_features():
    graph = _graph()
    circles = sorted(f for f in FEATURES if f in _reaches(graph, f))
    assert circles == []
