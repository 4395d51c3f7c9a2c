"""One ``Table`` (with the mapper that maps it, if any) -> a :class:`~.specs.TableSpec`.

Where each fact comes from: the type (:mod:`.type_facts`); uniqueness from ``unique=True``, every
``UniqueConstraint`` and every unique ``Index`` (an expression index counts when its expressions are
columns or case folds of one, ``lower(name)``); CHECKs from the table's ``CheckConstraint`` objects *and*
those given inline on a ``Column`` (SQLAlchemy keeps those in ``Column.constraints``); words from the
class docstring, comments and ``doc``; attribute names from the mapper::

    >>> spec = build_spec(Contact.__table__, mapper=Contact.__mapper__)
    >>> spec.primary_key, spec.foreign_keys[0].ref_table, spec.column("email").unique
    (('id',), 'customers', True)
    >>> [u.columns for u in build_spec(Contact.__table__).uniques]
    [('email',)]
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from inspect import cleandoc
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import exc as orm_exc

from .exceptions import IntrospectionError
from .specs import CheckSpec, ColumnSpec, ForeignKeySpec, TableSpec, UniqueSpec
from .type_facts import type_facts, type_repr

__all__ = ["build_mapped_spec", "build_spec", "expression_columns", "split_top_level"]

_UNIQUE_ORIGIN_RANK = {"column": 0, "constraint": 1, "index": 2}


def build_mapped_spec(mapper: Mapper[Any]) -> TableSpec:
    """The spec of the table a mapper maps (with its attribute names and the class docstring)."""
    table = mapper.local_table
    if not isinstance(table, sa.Table):
        raise IntrospectionError(
            f"class {mapper.class_.__name__} is mapped to {type(table).__name__}, not a Table; "
            "only classes mapped to a single table can be read."
        )
    return build_spec(table, mapper=mapper)


def _class_doc(cls: type) -> str | None:
    doc = cls.__dict__.get("__doc__")
    if not isinstance(doc, str):
        return None
    if dataclasses.is_dataclass(cls) and doc.startswith(f"{cls.__name__}("):
        return None  # the signature dataclasses writes when a class has no docstring
    return cleandoc(doc) or None


def build_spec(
    table: sa.Table,
    *,
    mapper: Mapper[Any] | None = None,
    extra_uniques: Iterable[UniqueSpec] = (),
    extra_checks: Iterable[CheckSpec] = (),
    json_columns: Iterable[str] = (),
) -> TableSpec:
    """The spec of ``table``; reflection passes what generic reflection misses as ``extra_*``."""
    pk = tuple(c.name for c in table.primary_key.columns)
    fks = sorted(
        table.foreign_key_constraints, key=lambda f: _positions(table, [e.parent for e in f.elements])
    )
    fk_specs = tuple(_fk_spec(f) for f in fks)
    uniques = _uniques(table, pk, extra_uniques)
    unique_alone = {u.columns[0] for u in uniques if len(u.columns) == 1 and u.where is None}
    references = {
        f.columns[0]: (f.ref_table, f.ref_columns[0]) for f in reversed(fk_specs) if len(f.columns) == 1
    }
    try:
        auto = table.autoincrement_column
    except sa_exc.ArgumentError:
        auto = None
    columns = tuple(
        _column_spec(
            col,
            mapper=mapper,
            autoincrement=auto is col or col.identity is not None,
            unique=bool(col.unique) or col.name in unique_alone,
            references=references.get(col.name),
            json=col.name in set(json_columns),
        )
        for col in table.columns
    )
    model = mapper.class_ if mapper is not None else None
    return TableSpec(
        name=table.name,
        columns=columns,
        schema=table.schema,
        doc=_class_doc(model) if model is not None else None,
        comment=table.comment,
        primary_key=pk,
        foreign_keys=fk_specs,
        uniques=uniques,
        checks=_checks(table) + tuple(extra_checks),
        hint=table.info.get("syda"),
        model_name=model.__name__ if model is not None else None,
        model=model,
        table=table,
    )


def _column_spec(
    col: sa.Column[Any],
    *,
    mapper: Mapper[Any] | None,
    autoincrement: bool,
    unique: bool,
    references: tuple[str, str] | None,
    json: bool,
) -> ColumnSpec:
    prop = _property_of(mapper, col)
    facts = type_facts(col.type)
    if json:
        facts.update(kind="json", length=None)
    return ColumnSpec(
        name=col.name,
        key=col.key,
        attr=prop.key if prop is not None else None,
        type_repr=type_repr(col.type),
        nullable=bool(col.nullable),
        primary_key=col.primary_key,
        autoincrement=autoincrement,
        identity_always=col.identity is not None and bool(col.identity.always),
        computed=col.computed is not None,
        server_default=_server_default(col),
        has_default=col.default is not None,
        unique=unique,
        comment=col.comment,
        doc=col.doc or getattr(prop, "doc", None),
        hint=col.info.get("syda"),
        references=references,
        sa_type=col.type,
        **facts,
    )


def _property_of(mapper: Mapper[Any] | None, col: sa.Column[Any]) -> Any:
    if mapper is None:
        return None
    # A single-table hierarchy maps some columns only on a sibling subclass.
    for m in (mapper, *mapper.base_mapper.self_and_descendants):
        try:
            return m.get_property_by_column(col)
        except orm_exc.UnmappedColumnError:
            continue
    return None


def _sql_text(expr: Any) -> str | None:
    """SQL text of a default, CHECK or WHERE clause, as the DDL would render it."""
    if isinstance(expr, str):
        return expr
    if isinstance(expr, sa.TextClause):
        return expr.text
    try:
        return str(expr.compile(compile_kwargs={"literal_binds": True, "include_table": False}))
    except Exception:
        try:
            return str(expr)
        except Exception:
            return None


def _server_default(col: sa.Column[Any]) -> str | None:
    sd = col.server_default
    if not isinstance(sd, sa.DefaultClause):  # None, Identity, Computed, a bare FetchedValue
        return None
    return _sql_text(sd.arg)


def _name(name: Any) -> str | None:
    return str(name) if isinstance(name, str) else None  # drops the _NONE_NAME sentinel


def _positions(table: sa.Table, columns: Iterable[Any]) -> tuple[int, ...]:
    order = {c.name: i for i, c in enumerate(table.columns)}
    return tuple(order.get(getattr(c, "name", c), len(order)) for c in columns)


def _fk_spec(fkc: sa.ForeignKeyConstraint) -> ForeignKeySpec:
    targets = [_fk_target(e) for e in fkc.elements]
    return ForeignKeySpec(
        columns=tuple(e.parent.name for e in fkc.elements),
        ref_table=targets[0][0],
        ref_columns=tuple(col for _, col in targets),
        name=_name(fkc.name),
        nullable=all(e.parent.nullable for e in fkc.elements),
        deferrable=fkc.deferrable,
        initially=fkc.initially,
        use_alter=bool(fkc.use_alter),
        ondelete=fkc.ondelete,
    )


def _fk_target(fk: sa.ForeignKey) -> tuple[str, str]:
    try:
        col = fk.column
        return col.table.fullname, col.name
    except (sa_exc.NoReferencedTableError, sa_exc.NoReferencedColumnError):
        table, _, column = fk.target_fullname.rpartition(".")
        return table, column


def _uniques(table: sa.Table, pk: tuple[str, ...], extra: Iterable[UniqueSpec]) -> tuple[UniqueSpec, ...]:
    found: list[UniqueSpec] = list(extra)
    for uc in table.constraints:
        if isinstance(uc, sa.UniqueConstraint) and not isinstance(uc, sa.PrimaryKeyConstraint):
            found.append(
                UniqueSpec(
                    columns=tuple(c.name for c in uc.columns),
                    name=_name(uc.name),
                    nulls_distinct=not uc.dialect_kwargs.get("postgresql_nulls_not_distinct"),
                    origin="column" if getattr(uc, "_column_flag", False) else "constraint",
                )
            )
    for ix in table.indexes:
        if not ix.unique:
            continue
        if len(ix.expressions) != len(ix.columns) or not all(isinstance(e, sa.Column) for e in ix.expressions):
            # an expression index: honoured when its expressions are columns or case folds of one (lower(name))
            columns = expression_columns([_sql_text(e) or "" for e in ix.expressions], table)
            if columns is None:
                continue
            found.append(UniqueSpec(columns=columns, name=_name(ix.name), origin="index"))
            continue
        where = ix.dialect_kwargs.get("postgresql_where")
        if where is None:
            where = ix.dialect_kwargs.get("sqlite_where")
        found.append(
            UniqueSpec(
                columns=tuple(c.name for c in ix.columns),
                name=_name(ix.name),
                where=_sql_text(where) if where is not None else None,
                nulls_distinct=not ix.dialect_kwargs.get("postgresql_nulls_not_distinct"),
                origin="index",
            )
        )
    rank = _UNIQUE_ORIGIN_RANK
    # named before unnamed, so a reflected constraint keeps its name over an SQLite autoindex
    found.sort(
        key=lambda u: (rank.get(u.origin, 3), _positions(table, u.columns), u.name is None, u.name or "")
    )
    kept: dict[tuple[frozenset[str], str | None], UniqueSpec] = {}
    for u in found:
        key = (frozenset(u.columns), u.where)
        if u.columns and key not in kept and not (u.where is None and set(u.columns) == set(pk)):
            kept[key] = u
    return tuple(kept.values())


def _checks(table: sa.Table) -> tuple[CheckSpec, ...]:
    owned: list[tuple[sa.CheckConstraint, str | None]] = []
    for c in table.constraints:
        if isinstance(c, sa.CheckConstraint):
            cols = list(c.columns)
            owned.append((c, cols[0].name if len(cols) == 1 else None))
    for col in table.columns:  # inline Column(..., CheckConstraint(...)) stays on the column
        owned += [(c, col.name) for c in col.constraints if isinstance(c, sa.CheckConstraint)]
    specs: dict[int, CheckSpec] = {}
    for c, column in owned:
        text = _sql_text(c.sqltext)
        if text is not None:
            specs.setdefault(id(c), CheckSpec(sqltext=text, name=_name(c.name), column=column))
    return tuple(
        sorted(specs.values(), key=lambda s: (_positions(table, [s.column or ""]), s.name or "", s.sqltext))
    )


def split_top_level(text: str) -> list[str]:
    """``"a, f(b, c)"`` -> ``["a", "f(b, c)"]``: the comma-separated parts outside parentheses."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        depth += (ch == "(") - (ch == ")")
        current += ch
    return [p for p in (*parts, current.strip()) if p]


_CASE_FOLD = re.compile(r'^(?:lower|upper|trim|ltrim|rtrim)\s*\(\s*\(?\s*["`\[]?(\w+)["`\]]?\s*\)?'
                        r'(?:\s*::\s*[\w ]+)?\s*\)$', re.IGNORECASE)


_BARE = re.compile(r'^["`\[]?(\w+)["`\]]?$')


def expression_columns(expressions: list[str], table: sa.Table) -> tuple[str, ...] | None:
    """The columns of a unique index whose expressions are columns or case folds of one (``lower(name)``):
    distinct values of those columns then make the index hold. None for any other expression."""
    out = []
    for text in expressions:
        match = _CASE_FOLD.match(text.strip()) or _BARE.match(text.strip())
        if match is None or match.group(1) not in table.c:
            return None
        out.append(match.group(1))
    return tuple(out)
