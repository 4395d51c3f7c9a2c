"""Several related tables: per table a profile without its keys, per foreign key the fan-out.

For each relationship the profile keeps the full children-per-parent histogram **including the parents
with no children** (a left join from the parent, filled with 0), the share of children whose foreign key
is NULL and the share of orphans (a key that matches no parent row: real exports have them; a seed into
a database with enforced foreign keys never writes them). Keys themselves are never learned: primary and
foreign key columns are the engine's::

    >>> from sqlalchemy_syda import generate, learn, poisson
    >>> real = generate([Customer, Order], {Customer: 50}, seed=1,         # stands in for a real export
    ...                 cardinality={Order.customer_id: poisson(2).with_zero(0.2)})
    >>> profile = learn({"customers": real["customers"], "orders": real["orders"]},
    ...                 foreign_keys=[("orders", "customer_id", "customers", "id")])
    >>> fan_out = profile.relationships[0]
    >>> fan_out.histogram, fan_out.null_share, fan_out.orphan_share
    ({'counts': [0, 1, 2, 3, 4], 'parents': [15, 11, 8, 9, 7]}, 0.0, 0.0)
    >>> [(c.name, c.model) for c in profile.table("orders").columns]
    [('id', 'key'), ('customer_id', 'key'), ('order_date', 'datetime'), ('status', 'category'), ('total_amount', 'number')]
    >>> synthetic = profile.sample(seed=1)
    >>> len(synthetic["orders"]), set(synthetic["orders"]["customer_id"]) <= set(synthetic["customers"]["id"])
    (82, True)

``learn(engine)`` does the same for every table of a live database, with the foreign keys its schema declares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from ..exceptions import LearnError
from .columns import key_params
from .conditioning import condition_on_parents, copied_from_parents, reference_values
from .frame import fit_frame
from .profile import ColumnProfile, Profile, RelationshipProfile, TableProfile

__all__ = ["fit_relationship", "learn_database", "learn_tables", "normalise_foreign_keys"]


def normalise_foreign_keys(foreign_keys: Iterable[Any]) -> list[dict[str, Any]]:
    """``("orders", "customer_id", "customers", "id")`` or dicts -> ``{"table", "columns", "ref_table",
    "ref_columns"}`` dicts (columns as lists)."""
    out = []
    for fk in foreign_keys or ():
        if isinstance(fk, Mapping):
            table, cols, ref, ref_cols = fk["table"], fk["columns"], fk["ref_table"], fk["ref_columns"]
        else:
            try:
                table, cols, ref, ref_cols = fk
            except (TypeError, ValueError):
                raise LearnError(f"a foreign key is (child table, column(s), parent table, column(s)); got {fk!r}.") \
                    from None
        cols = [cols] if isinstance(cols, str) else list(cols)
        ref_cols = [ref_cols] if isinstance(ref_cols, str) else list(ref_cols)
        if len(cols) != len(ref_cols):
            raise LearnError(f"foreign key {table}.{cols} -> {ref}.{ref_cols}: as many columns on both sides, please.")
        out.append({"table": str(table), "columns": cols, "ref_table": str(ref), "ref_columns": ref_cols})
    return out


def _keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    if len(columns) == 1:
        return frame[columns[0]]
    return pd.Series(list(zip(*(frame[c].tolist() for c in columns))), index=frame.index)


def fit_relationship(child: pd.DataFrame, parent: pd.DataFrame, fk: dict[str, Any]) -> RelationshipProfile:
    """Children per parent (zeros included), NULL and orphan shares of one foreign key."""
    cols, ref_cols = fk["columns"], fk["ref_columns"]
    for frame, names, table in ((child, cols, fk["table"]), (parent, ref_cols, fk["ref_table"])):
        missing = [c for c in names if c not in frame.columns]
        if missing:
            raise LearnError(f"foreign key {fk['table']}.{cols} -> {fk['ref_table']}.{ref_cols}: table {table!r} "
                             f"has no column {', '.join(map(repr, missing))}.")
    nulls = child[cols].isna().any(axis=1).to_numpy()
    keys = _keys(child.loc[~nulls], cols)
    parent_keys = _keys(parent, ref_cols)
    per_parent = keys.value_counts()
    known = per_parent.index.isin(parent_keys)
    orphans = int(per_parent[~known].sum())
    counts = per_parent[known].reindex(pd.Index(parent_keys.drop_duplicates()), fill_value=0).to_numpy()
    values, parents = np.unique(counts, return_counts=True)
    n = len(child)
    return RelationshipProfile(fk["table"], tuple(cols), fk["ref_table"], tuple(ref_cols),
                               {"counts": values.astype(int).tolist(), "parents": parents.astype(int).tolist()},
                               float(nulls.mean()) if n else 0.0, orphans / n if n else 0.0)


def learn_tables(frames: Mapping[str, pd.DataFrame], foreign_keys: Iterable[Any] = (),
                 primary_keys: Mapping[str, Iterable[str]] | None = None, *, source: dict | None = None,
                 rows: Mapping[str, int] | None = None, relationships: Iterable[RelationshipProfile] | None = None,
                 **options: Any) -> Profile:
    """A multi-table profile from ``{table: DataFrame}`` and the foreign keys between them."""
    if not frames:
        raise LearnError("learn() got no tables.")
    fks = normalise_foreign_keys(foreign_keys)
    for fk in fks:
        for name in (fk["table"], fk["ref_table"]):
            if name not in frames:
                raise LearnError(f"foreign key {fk['table']}.{fk['columns']} -> {fk['ref_table']}: there is no table "
                                 f"{name!r} among {', '.join(map(repr, frames))}.")
    pks = {t: list(v) for t, v in (primary_keys or {}).items()}
    tables = []
    for name, frame in frames.items():
        if not isinstance(frame, pd.DataFrame):
            raise LearnError(f"table {name!r}: expected a DataFrame, got {type(frame).__name__}.")
        own_fks = [fk for fk in fks if fk["table"] == name]
        pk = pks.get(name) or _guess_primary_key(name, frame, fks)
        keys = {c: "primary key" for c in pk}
        for fk in own_fks:
            for c in fk["columns"]:
                keys.setdefault(c, f"foreign key to {fk['ref_table']}")
        data = frame.drop(columns=[c for c in keys if c in frame.columns])
        if len(data.columns):
            learned = fit_frame(data, name, rows=(rows or {}).get(name), **options)
        else:
            learned = TableProfile(name, int((rows or {}).get(name, len(frame))), ())
        by_name = {c.name: c for c in learned.columns}
        fk_columns = {c for fk in own_fks for c in fk["columns"]}
        columns = tuple(by_name[c] if c in by_name else
                        ColumnProfile(c, _dtype(frame[c]), "key", 0.0,
                                      {"kind": _dtype(frame[c])} if c in fk_columns else
                                      key_params(_dtype(frame[c]), frame[c], options.get("rare", 5)),
                                      reason=f"{keys[c]}: keys are the engine's") for c in frame.columns)
        tables.append(replace(learned, columns=columns, primary_key=tuple(pk),
                              foreign_keys=tuple({k: v for k, v in fk.items() if k != "table"} for fk in own_fks)))
    rels = tuple(relationships) if relationships is not None else \
        tuple(fit_relationship(frames[fk["table"]], frames[fk["ref_table"]], fk) for fk in fks)
    rare, quantiles = options.get("rare", 5), options.get("quantiles", 101)
    tables, by_row = reference_values(tables, frames, fks, rare)
    tables = condition_on_parents(tables, frames, fks, rare, quantiles, options.get("smoothing", 1.0))
    tables = copied_from_parents(tables, frames, fks)
    rels = tuple(replace(r, histogram=dict(r.histogram, by_row=by_row[(r.child, tuple(r.columns))]))
                 if (r.child, tuple(r.columns)) in by_row else r for r in rels)
    total = sum(len(f) for f in frames.values())
    return Profile(tuple(tables), rels, source or {"kind": "dataframes", "rows_read": total}).canonical()


def _dtype(values: pd.Series) -> str:
    from .columns import column_dtype

    return column_dtype(values)


def _guess_primary_key(name: str, frame: pd.DataFrame, fks: list[dict[str, Any]]) -> list[str]:
    """The columns other tables reference, or a distinct ``id`` column; none otherwise."""
    referenced = next((fk["ref_columns"] for fk in fks if fk["ref_table"] == name), None)
    if referenced:
        return list(referenced)
    for col in frame.columns:
        if str(col).lower() in ("id", f"{name.lower()}_id", f"{name.lower()}id") and frame[col].is_unique:
            return [col]
    return []


def learn_database(bind: Any, tables: Iterable[str] | None = None, *, schema: str | None = None,
                   sample_rows: int = 50_000, **options: Any) -> Profile:
    """Every table of a live database (or ``tables``), with its primary and foreign keys from the schema.

    Tables up to ``sample_rows`` rows are read whole; larger ones are profiled with SQL aggregates and a
    sample (see :mod:`.sql`). Fan-outs are always counted in SQL.
    """
    from ..introspect import reflect_specs
    from .sql import read_sample, refine_with_aggregates, relationship_sql, table_rows

    only = list(tables) if tables is not None else None
    specs = reflect_specs(bind, schema=schema, only=only)
    if not specs:
        raise LearnError("the database has no tables to learn from" + (f" among {only}" if only else "") + ".")
    names = {s.fullname for s in specs}
    frames: dict[str, pd.DataFrame] = {}
    counts: dict[str, int] = {}
    reflected: dict[str, sa.Table] = {}
    connection = bind.connect() if isinstance(bind, sa.Engine) else bind
    try:
        metadata = sa.MetaData()
        for spec in specs:
            table = sa.Table(spec.name, metadata, schema=spec.schema, autoload_with=connection)
            reflected[spec.fullname] = table
            counts[spec.fullname] = table_rows(connection, table)
            frames[spec.fullname] = read_sample(connection, table, counts[spec.fullname], sample_rows)
        fks = [(s.fullname, list(fk.columns), fk.ref_table, list(fk.ref_columns))
               for s in specs for fk in s.foreign_keys if fk.ref_table in names]
        rels = [relationship_sql(connection, reflected[c], cols, reflected[p], refs) for c, cols, p, refs in fks]
        pks = {s.fullname: list(s.primary_key) for s in specs if s.primary_key}
        sampled = [name for name in frames if len(frames[name]) < counts[name]]
        source = {"kind": "database", "dialect": connection.dialect.name, "tables": len(frames),
                  "rows": sum(counts.values()), "rows_read": sum(len(f) for f in frames.values()),
                  "method": "aggregates + TABLESAMPLE" if sampled and connection.dialect.name == "postgresql"
                  else "sample" if sampled else "full read", "sampled_tables": sampled}
        profile = learn_tables(frames, fks, pks, source=source, rows=counts, relationships=rels, **options)
        rare, quantiles = options.get("rare", 5), options.get("quantiles", 101)
        for name in sampled:
            refined = refine_with_aggregates(connection, reflected[name], profile.table(name), rows=counts[name],
                                             rare=rare, quantiles=quantiles)
            profile = profile.replace_table(refined)
    finally:
        if connection is not bind:
            connection.close()
    return profile.canonical()
