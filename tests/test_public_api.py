"""The public surface: __init__ re-exports only, with a sorted, complete __all__."""

import ast
import subprocess
import sys
from pathlib import Path

import sqlalchemy_syda


def test_all_is_sorted_and_unique():
    assert sqlalchemy_syda.__all__ == sorted(set(sqlalchemy_syda.__all__))


def test_every_name_in_all_exists():
    missing = [n for n in sqlalchemy_syda.__all__ if not hasattr(sqlalchemy_syda, n)]
    assert missing == []


def test_init_only_reexports():
    """Test that __init__ holds re-exports only: imports, the lazy table, __all__ and the PEP 562 hooks."""
    tree = ast.parse(Path(sqlalchemy_syda.__file__).read_text())
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "Import", "Assign", "AnnAssign", "If", "FunctionDef", "ClassDef"}
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert functions <= {"__getattr__", "__dir__"}


def test_lazy_table_and_type_checking_imports_agree_with_all():
    """Test that every public name is in the lazy table (or imported at once), and in the TYPE_CHECKING imports."""
    tree = ast.parse(Path(sqlalchemy_syda.__file__).read_text())
    eager = {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
             for alias in node.names}
    checking = next(node for node in tree.body if isinstance(node, ast.If))
    typed = {(node.module, alias.name) for node in checking.body for alias in node.names}
    lazy = {(module.lstrip("."), name) for module, names in sqlalchemy_syda._LAZY.items() for name in names}
    assert typed == lazy
    assert set(sqlalchemy_syda.__all__) == ({name for _, name in lazy} | eager) - {"__version__", "annotations",
                                                                                   "TYPE_CHECKING", "Any"}


def test_import_is_cheap_and_names_load_on_use():
    """Test that ``import sqlalchemy_syda`` loads neither numpy, pandas nor SQLAlchemy, and that a name loads
    its module on first use; ``seed``, ``generate`` and ``learn`` stay functions after their modules load."""
    code = (
        "import sys, sqlalchemy_syda as s\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'pandas', 'sqlalchemy', 'sqlglot'))\n"
        "import sqlalchemy_syda.seed, sqlalchemy_syda.generate, sqlalchemy_syda.learn\n"
        "from sqlalchemy_syda import seed, generate, learn\n"
        "print(heavy, [type(f).__name__ + ' ' + f.__name__ for f in (s.seed, s.generate, s.learn, seed)])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] ['function seed', 'function generate', 'function learn', 'function seed']"


def test_unknown_name_is_an_attribute_error():
    """Test that a name the package does not export raises AttributeError (hasattr and getattr defaults work)."""
    assert not hasattr(sqlalchemy_syda, "no_such_name")
    assert "seed" in dir(sqlalchemy_syda)


def test_design_names_are_public():
    for name in ("seed", "generate", "SydaMixin", "SeedSession", "SeedSessionMixin", "AsyncSeedSession",
                 "SydaError", "register_generator", "generator_for"):
        assert name in sqlalchemy_syda.__all__
