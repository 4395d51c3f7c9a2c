"""What a ``seed()`` call asks for, resolved against the schema: specs, counts, overrides, cardinalities.

Keys may be mapped classes, ``Table`` objects, table names (reflected) or TableSpecs; columns may be
named as ``Model.attr``, a ``Column``, ``"table.column"`` or ``("table", "column")``::

    >>> with engine.connect() as conn:                  # "orders" is reflected from the database
    ...     specs, counts = specs_and_counts(requested({Customer: 10, "orders": 30}, None), conn)
    >>> [s.name for s in specs], counts
    (['customers', 'orders'], {'customers': 10, 'orders': 30})
    >>> cardinalities({Order.customer_id: 3}, specs), cardinalities({"orders.customer_id": (1, 5)}, specs)
    ({('orders', ('customer_id',)): fixed(3)}, {('orders', ('customer_id',)): between(1, 5)})

Parents that a NOT NULL foreign key needs but nobody seeds (and that have no rows) are added, and the
discriminator of mapped inheritance gets the seeded class's identity::

    >>> with engine.connect() as conn:
    ...     specs, counts = specs_and_counts(requested({Order: 30}, None), conn)
    ...     specs, counts, added = add_missing_parents(conn, specs, counts, True)
    >>> counts, added
    ({'orders': 30, 'customers': 10}, {'customers': 'orders.customer_id needs parent rows'})
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import sqlalchemy as sa

from .cardinality import Cardinality, parse_cardinality
from .constraints import unique_sets, unique_within
from .exceptions import PlanError, SchemaError
from .mapped_classes import class_spec_or_none
from .specs import ForeignKeySpec, TableSpec

__all__ = ["add_missing_parents", "cardinalities", "find_table", "overrides_by_table", "referred_table",
           "requested", "specs_and_counts", "with_discriminators"]


def requested(models: Any, rows: int | None) -> list[tuple[Any, int | None]]:
    """``(model | table | name, count)`` pairs from ``{Model: n}`` or ``[Model, ...]`` with ``rows=n``."""
    if models is None:
        raise SchemaError("seed() needs models: {Model: n, ...} or [Model, ...] with rows=n.")
    items = list(models.items()) if isinstance(models, Mapping) else [(m, rows) for m in _as_list(models)]
    for key, _ in items:
        _check_table_key(key)
    return items


def _check_table_key(key: Any) -> None:
    """A key of ``models`` names a table: a mapped class, a ``Table``, a table name or a TableSpec."""
    if isinstance(key, sa.Column) or (hasattr(key, "property") and hasattr(key, "class_")):
        name = f"{key.table.fullname}.{key.name}" if isinstance(key, sa.Column) else \
            f"{key.class_.__name__}.{key.key}"
        raise SchemaError(f"{name} is a column, not a table: name tables by their model, Table or name "
                          f"({{Customer: 10}}); a column's values go in overrides={{{name}: value}}.")
    if isinstance(key, (str, TableSpec, sa.Table, type)):
        return
    cls = type(key)
    if hasattr(cls, "__mapper__") or hasattr(cls, "__table__"):
        raise SchemaError(f"Got an instance of {cls.__name__} as a table key; pass the class {cls.__name__} itself.")
    raise SchemaError(f"Cannot seed {key!r} ({cls.__name__}): name tables by a mapped class, a Table or a table "
                      "name, e.g. {Customer: 10, 'orders': 30}.")


def specs_and_counts(items: list[tuple[Any, int | None]], conn: sa.Connection) -> tuple[list[TableSpec], dict]:
    from .introspect import reflect_specs, table_spec

    specs: list[TableSpec] = []
    counts: dict[str, int | None] = {}
    names = [k for k, _ in items if isinstance(k, str)]
    reflected = {s.fullname: s for s in reflect_specs(conn, only=names)} if names else {}
    for key, count in items:
        if isinstance(key, TableSpec):
            spec = key
        elif isinstance(key, str):
            spec = reflected.get(key) or next((s for s in reflected.values() if s.name == key), None)
            if spec is None:
                raise SchemaError(f"Table {key!r} does not exist in the database; create it first (e.g. "
                                  "metadata.create_all or alembic upgrade).")
        else:
            spec = table_spec(key)
            if not conn.dialect.has_table(conn, spec.name, schema=spec.schema):
                of = f" (of {spec.display_name})" if spec.display_name != spec.name else ""
                raise SchemaError(f"Table {spec.fullname!r}{of} does not exist in the database; create it first "
                                  "(e.g. metadata.create_all or alembic upgrade).")
        if spec.fullname in counts:
            raise SchemaError(f"{spec.display_name!r} is listed twice.")
        if count is not None and (not isinstance(count, (int, np.integer)) or isinstance(count, bool) or count < 0):
            raise PlanError(f"Row count for {spec.display_name!r} must be a non-negative integer; got {count!r}.")
        specs.append(spec)
        counts[spec.fullname] = None if count is None else int(count)
    return specs, counts


def _as_list(models: Any) -> list:
    if isinstance(models, (list, tuple, set)):
        return list(models)
    return [models]


def _column_target(key: Any, specs: list[TableSpec]) -> tuple[TableSpec, str | None]:
    """``Model.attr``, a Column, ``"table.column"``, ``("table", "column")`` or a column name only one of the
    tables has -> (spec, column name)."""
    table = column = None
    if isinstance(key, str) and "." in key:
        table, column = key.rsplit(".", 1)
    elif isinstance(key, tuple) and len(key) == 2:
        table, column = key
    elif isinstance(key, sa.Column):
        table, column = key.table.fullname, key.name
    elif hasattr(key, "property") and hasattr(key, "class_"):  # InstrumentedAttribute
        from .mapped_classes import class_spec

        owner = class_spec(key.class_)
        rel = owner.relationship(key.key)
        if rel is not None:
            for local, remote in rel.pairs:
                table, column = remote if rel.direction == "ONETOMANY" else local
                return find_table(table, specs), column
        if owner.columns_of(key.key):
            table, column = owner.columns_of(key.key)[0]
    if table is None and isinstance(key, str):  # a bare column name: fine when one table of the seed has it
        having = [s for s in specs if s.has_column(key)]
        if len(having) == 1:
            return having[0], having[0].column(key).name
        where = (f"; {', '.join(repr(s.fullname) for s in having)} all have it" if having else
                 f"; none of {', '.join(repr(s.fullname) for s in specs)} has it")
        raise SchemaError(f"Cannot tell which column {key!r} means{where}. Use 'table.column', Model.column or a "
                          "Column.")
    if table is None:
        raise SchemaError(f"Cannot tell which column {key!r} means; use Model.column, a Column or 'table.column'.")
    spec = find_table(table, specs)
    if not spec.has_column(column):
        raise SchemaError(f"{spec.display_name!r} has no column {column!r}.")
    return spec, spec.column(column).name


def find_table(name: Any, specs: list[TableSpec]) -> TableSpec:
    for s in specs:
        if s.matches(name):
            return s
    raise SchemaError(f"{name!r} is not among the seeded tables ({', '.join(s.display_name for s in specs)}).")


def cardinalities(cardinality: Mapping | None, specs: list[TableSpec]) -> dict:
    out: dict[tuple[str, tuple[str, ...]], Cardinality] = {}
    for key, value in (cardinality or {}).items():
        spec, column = _column_target(key, specs)
        fk = next((f for f in spec.foreign_keys if column in f.columns), None)
        if fk is None:
            raise SchemaError(f"cardinality key {key!r}: {spec.fullname}.{column} is not a foreign key.")
        out[(spec.fullname, fk.columns)] = parse_cardinality(value)
    return out


def overrides_by_table(overrides: Mapping | None, specs: list[TableSpec],
                       single: TableSpec | None = None) -> dict[str, dict[str, Any]]:
    """``{table fullname: {column: override}}``; with ``single`` (one model generated), plain column names
    (``{"status": "active"}``) are that model's columns."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in (overrides or {}).items():
        if isinstance(value, Mapping) and not (isinstance(key, str) and "." in key) and \
                not (single is not None and isinstance(key, str) and single.has_column(key)) and \
                not (isinstance(key, str) and not any(s.matches(key) for s in specs)
                     and any(s.has_column(key) for s in specs)):  # a JSON column's dict under a bare name
            spec = find_table(key, specs)
            out.setdefault(spec.fullname, {}).update(value)
        elif single is not None and isinstance(key, str) and "." not in key:
            out.setdefault(single.fullname, {})[key] = value  # an unknown name is refused by the planner
        else:
            spec, column = _column_target(key, specs)
            out.setdefault(spec.fullname, {})[column] = value
    return out


def add_missing_parents(conn, specs: list[TableSpec], counts: dict, add: bool):
    """Parents of NOT NULL foreign keys that are neither seeded nor have rows are seeded too."""
    from .introspect import table_spec

    added: dict[str, str] = {}
    names = {s.fullname for s in specs}
    todo = list(specs)
    while todo:
        spec = todo.pop()
        for fk in spec.foreign_keys:
            if fk.ref_table in names or fk.nullable or fk.ref_table == spec.fullname:
                continue
            parent_table = referred_table(spec, fk)
            if parent_table is None:
                continue
            has_rows = conn.execute(sa.select(sa.literal(1)).select_from(parent_table).limit(1)).first()
            if has_rows or not add:
                continue
            parent = table_spec(parent_table)
            child_count = counts.get(spec.fullname) or 10
            one_to_one = bool(unique_within(fk.columns, unique_sets(spec)))
            # a one-to-one child (joined inheritance, a unique FK) needs a parent row per row
            counts[parent.fullname] = max(1, child_count if one_to_one else math.ceil(child_count / 3))
            added[parent.fullname] = f"{spec.fullname}.{', '.join(fk.columns)} needs parent rows"
            names.add(parent.fullname)
            specs.append(parent)
            todo.append(parent)
    return specs, counts, added


def with_discriminators(over: dict[str, dict[str, Any]], specs: list[TableSpec]) -> dict[str, dict[str, Any]]:
    """Mapped inheritance: the discriminator column holds the seeded class's polymorphic identity.

    Seeding ``Engineer(Person)`` writes ``people.kind = 'engineer'`` (also when ``people`` was added as a
    parent), so the rows load as the class that was seeded; the most derived seeded class wins, and an
    explicit override always does.
    """
    names = {s.fullname for s in specs}
    chosen: dict[str, tuple[int, str, Any]] = {}
    for spec in specs:
        mapped = class_spec_or_none(spec.model)
        if mapped is None or mapped.polymorphic_identity is None or mapped.polymorphic_on is None:
            continue
        depth = len(mapped.lineage)
        fullname, column = mapped.polymorphic_on
        if fullname not in names:
            continue
        if fullname not in chosen or chosen[fullname][0] < depth:
            chosen[fullname] = (depth, column, mapped.polymorphic_identity)
    if not chosen:
        return over
    out = {name: dict(cols) for name, cols in over.items()}
    for fullname, (_, column, identity) in chosen.items():
        out.setdefault(fullname, {}).setdefault(column, identity)
    return out


def referred_table(spec: TableSpec, fk: ForeignKeySpec) -> sa.Table | None:
    if spec.table is None:
        return None
    for c in spec.table.foreign_key_constraints:
        if tuple(col.name for col in c.columns) == fk.columns:
            return c.referred_table
    return None
