"""Every module docstring's example runs (doctest), so the examples newcomers read are true.

Each module's examples run with the module's own names plus a small shared namespace: ``np``, ``pd``,
``sa``, the CRM models of ``examples/crm_models.py`` (``Base``, ``Customer``, ``Contact``, ``Product``,
``Order``, ``OrderItem``, ``MODELS``), ``engine``, a fresh SQLite database with the CRM tables created,
``tmp``, an empty directory (a ``Path``) for the files an example writes, ``penguins``, the real
344-row Palmer penguins table (palmerpenguins) as a DataFrame, to learn from, ``shop_xlsx``, the
bytes of a small Excel workbook (a Customers table, Orders that reference it, a formula column), and
``ctx``, the :class:`~sqlalchemy_syda.generators.base.GenContext` a generator draws with (the streams of
seed 1 for a column named ``value``, the default locale's pools).
An example that needs a server (PostgreSQL, an LLM) shows it as a literal block (``::``) instead of ``>>>``.
"""

from __future__ import annotations

import doctest
import functools
import importlib
import io
from pathlib import Path

import numpy as np
import palmerpenguins
import pandas as pd
import pytest
import sqlalchemy as sa

import alembic_ext
import sqlalchemy_syda
from examples import crm_models
from sqlalchemy_syda.generators.base import GenContext
from sqlalchemy_syda.streams import Stream

_OPTIONAL = ("service", "scale")  # packages whose extras may be missing in a bare install


def _modules() -> list[str]:
    """Every module file of the two packages, namespace packages (``generators/``) included, which
    ``pkgutil.walk_packages`` does not enter; Alembic's script templates are data, not modules."""
    names = []
    for package in (sqlalchemy_syda, alembic_ext):
        root = Path(package.__file__).parent
        for path in root.rglob("*.py"):
            parts = path.relative_to(root.parent).with_suffix("").parts
            if "templates" in parts[1:-1] or "__pycache__" in parts:
                continue
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(names)


@functools.cache
def _penguins() -> pd.DataFrame:
    return palmerpenguins.load_penguins()


@functools.cache
def _shop_workbook() -> bytes:
    """Customers (a named table, a list validation) and Orders (customer ids validated against the
    customers, total = qty * price as a formula), as a person would keep them in Excel."""
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table

    book = openpyxl.Workbook()
    customers = book.active
    customers.title = "Customers"
    customers.append(["customer_id", "name", "tier"])
    names = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth"]
    for i, name in enumerate(names):
        customers.append([f"C{101 + i}", name, ("gold", "silver", "bronze")[i % 3]])
    tiers = DataValidation(type="list", formula1='"gold,silver,bronze"')
    tiers.add(f"C2:C{len(names) + 1}")
    customers.add_data_validation(tiers)
    customers.add_table(Table(displayName="CustomerTable", ref=f"A1:C{len(names) + 1}"))
    orders = book.create_sheet("Orders")
    orders.append(["order_id", "customer_id", "qty", "price", "total"])
    for i in range(12):
        orders.append([1000 + i, f"C{101 + (i * 5) % len(names)}", 1 + (i * 7) % 9, 4.5 + (i * 37) % 120 / 4,
                       f"=C{i + 2}*D{i + 2}"])
    ids = DataValidation(type="list", formula1=f"=Customers!$A$2:$A${len(names) + 1}")
    ids.add("B2:B13")
    orders.add_data_validation(ids)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _namespace(tmp: Path) -> dict:
    engine = sa.create_engine(f"sqlite:///{tmp / 'examples.db'}")
    crm_models.Base.metadata.create_all(engine)
    table_stream = Stream.root(1).child("example")
    ns = {"np": np, "pd": pd, "sa": sa, "engine": engine, "tmp": tmp, "penguins": _penguins().copy(),
          "shop_xlsx": _shop_workbook(), "ctx": GenContext(table_stream.child("column", "value"), table_stream)}
    ns.update({name: getattr(crm_models, name)
               for name in ("Base", "Customer", "Contact", "Product", "Order", "OrderItem", "MODELS")})
    return ns


def _run(name: str, tmp: Path) -> tuple[int, int, str]:
    module = importlib.import_module(name)
    doc = module.__doc__ or ""
    globs = {**vars(module), **_namespace(tmp)}
    test = doctest.DocTestParser().get_doctest(doc, globs, name, getattr(module, "__file__", None), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    try:
        runner.run(test, out=report.append)
    finally:
        globs["engine"].dispose()
    return runner.failures, runner.tries, "".join(report)


@pytest.mark.parametrize("name", _modules())
def test_module_docstring_examples_run(name: str, tmp_path: Path) -> None:
    if any(part in _OPTIONAL for part in name.split(".")[1:2]):
        pytest.importorskip(name)
    failures, tries, report = _run(name, tmp_path)
    assert not failures, report
