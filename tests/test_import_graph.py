"""The package's import graph: no import cycles, and planning imports nothing that executes SQL.

Every module of ``sqlalchemy_syda`` is parsed with ``ast``; each import (at module level and inside
functions, absolute and relative) of another ``sqlalchemy_syda`` module is an edge. Imports under
``if TYPE_CHECKING:`` are left out: they exist for annotations and never run. Importing a submodule also
runs its package's ``__init__``; that is not counted as an edge (every module would then import the
whole package), but an explicit ``from .writers import writer_for`` is an edge to ``writers/__init__``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest

import sqlalchemy_syda

PACKAGE = "sqlalchemy_syda"
ROOT = Path(sqlalchemy_syda.__file__).parent

KNOWN_CYCLES: tuple[frozenset[str], ...] = ()
"""Import cycles that exist today, as the sets of modules in them (strongly connected components).

A cycle found must lie inside one of these; a new one, or a module joining one, fails the test. The
engine rewrite (issue #10) emptied it: the package has no import cycle, and a new one fails the test.
"""


def module_names(root: Path = ROOT, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (``pkg.sub`` for ``pkg/sub/__init__.py``)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join([package, *parts])] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree`` except the bodies of ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                stack.extend(child.orelse)
            else:
                stack.append(child)


def imports_of(name: str, path: Path, modules: Iterable[str]) -> set[str]:
    """The package's modules that module ``name`` (at ``path``) imports, anywhere in its code."""
    known = set(modules)
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[:len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # ``import sqlalchemy_syda.x.y`` names a module or a parent
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(root: Path = ROOT, package: str = PACKAGE) -> dict[str, set[str]]:
    modules = module_names(root, package)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: Mapping[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[frozenset[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def closure(graph: Mapping[str, set[str]], start: str) -> set[str]:
    """Every module ``start`` imports, directly or through others."""
    seen, todo = set(), [start]
    while todo:
        for target in graph[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


_SQL_CALLS = {"execute", "exec_driver_sql", "executemany", "copy_to_table"}


def executes_sql(path: Path) -> bool:
    """Whether a module calls a connection's or cursor's ``execute``/``exec_driver_sql``/... anywhere."""
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _SQL_CALLS
               for node in ast.walk(ast.parse(path.read_text())))


GRAPH = import_graph()


def _describe(component: frozenset[str]) -> str:
    edges = [f"{a} -> {b}" for a in sorted(component) for b in sorted(GRAPH[a] & component)]
    return "{" + ", ".join(sorted(component)) + "}: " + "; ".join(edges)


# --- the graph itself -----------------------------------------------------------------------------------


def test_the_graph_reads_imports_everywhere_in_a_module(tmp_path):
    """Test that module-level, function-level, relative and absolute imports are edges, TYPE_CHECKING ones not."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .leaf import thing\n")
    (pkg / "sub" / "leaf.py").write_text("def f():\n    from .. import top\n    import pkg.other\n")
    (pkg / "top.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .other import x\n"
                                "from pkg.sub import leaf\n")
    (pkg / "other.py").write_text("import os\n")
    graph = import_graph(pkg, "pkg")
    assert graph == {"pkg": set(), "pkg.sub": {"pkg.sub.leaf"}, "pkg.sub.leaf": {"pkg.top", "pkg.other"},
                     "pkg.top": {"pkg.sub.leaf"}, "pkg.other": set()}
    assert cycles(graph) == [frozenset({"pkg.sub.leaf", "pkg.top"})]


def test_cycles_finds_each_strongly_connected_component():
    """Test a three-module cycle, a separate pair and an acyclic tail."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"f"}, "f": {"e"}}
    assert sorted(map(sorted, cycles(graph))) == [["a", "b", "c"], ["e", "f"]]


# --- the package --------------------------------------------------------------------------------------------


def test_no_new_import_cycles():
    """Test that every import cycle in the package lies inside a known one (KNOWN_CYCLES)."""
    new = [c for c in cycles(GRAPH) if not any(c <= known for known in KNOWN_CYCLES)]
    assert not new, "new import cycles:\n" + "\n".join(map(_describe, new))


def test_known_cycles_still_exist():
    """Test that each KNOWN_CYCLES entry still holds a cycle, so that a removed cycle is struck off the list."""
    found = cycles(GRAPH)
    gone = [known for known in KNOWN_CYCLES if not any(c <= known for c in found)]
    assert not gone, "no longer cycles, remove them from KNOWN_CYCLES: " + "; ".join(str(sorted(k)) for k in gone)


@pytest.mark.parametrize("package", ["sqlalchemy_syda.writers", "sqlalchemy_syda.checks", "sqlalchemy_syda.dialects"])
def test_packages_have_no_cycle_inside(package):
    """Test that the writers, checks and dialects packages import each other's modules without a cycle."""
    inside = [c for c in cycles(GRAPH) if any(m == package or m.startswith(package + ".") for m in c)]
    assert not inside, "\n".join(map(_describe, inside))


def test_planning_imports_nothing_that_executes_sql():
    """Test that plan.py, directly or not, imports no module that runs SQL (dialects, writers, seed, ...)."""
    modules = module_names()
    running = sorted(m for m in closure(GRAPH, "sqlalchemy_syda.plan") | {"sqlalchemy_syda.plan"}
                     if executes_sql(modules[m]))
    assert running == []


def test_the_sql_detector_sees_the_dialect_modules():
    """Test that the detector above can fail: the modules that run the seed's SQL are recognised."""
    modules = module_names()
    for name in ("sqlalchemy_syda.dialects.base", "sqlalchemy_syda.dialects.postgresql",
                 "sqlalchemy_syda.writers.executemany", "sqlalchemy_syda.existing_rows"):
        assert executes_sql(modules[name]), name
