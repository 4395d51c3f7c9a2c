"""The public surface: __init__ re-exports only, with a sorted, complete __all__."""

import ast
from pathlib import Path

import sqlalchemy_syda


def test_all_is_sorted_and_unique():
    assert sqlalchemy_syda.__all__ == sorted(set(sqlalchemy_syda.__all__))


def test_every_name_in_all_exists():
    missing = [n for n in sqlalchemy_syda.__all__ if not hasattr(sqlalchemy_syda, n)]
    assert missing == []


def test_init_only_reexports():
    tree = ast.parse(Path(sqlalchemy_syda.__file__).read_text())
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "Assign"}
    imported = {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    assert set(sqlalchemy_syda.__all__) <= imported


def test_design_names_are_public():
    for name in ("seed", "generate", "SydaMixin", "SeedSession", "SeedSessionMixin", "AsyncSeedSession",
                 "SydaError", "register_generator", "generator_for"):
        assert name in sqlalchemy_syda.__all__
