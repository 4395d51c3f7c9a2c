"""Read mapped classes, tables, metadata and live databases into specs.

This is the only module that looks inside SQLAlchemy (``sa.inspect``, the
``Inspector``, ``Table.constraints``). Everything after it reads the frozen
:mod:`sqlalchemy_syda.specs` dataclasses::

    >>> from sqlalchemy_syda.introspect import table_spec, table_specs, reflect_specs
    >>> spec = table_spec(Employee)
    >>> spec.doc
    'Company employee with their personal and professional details. ...'
    >>> spec.column("email")
    ColumnSpec(name='email', kind='string', length=100, nullable=False, unique=True, ...)
    >>> [s.name for s in table_specs(Base)]          # every model, plus m2m association tables
    ['departments', 'employees', 'employee_projects', ...]
    >>> specs = reflect_specs(engine, only=["orders"])  # a database without model code

Where each fact comes from:

- kind, length, precision, scale, timezone, enum values: the column's type; a
  ``TypeDecorator`` by what it is on every dialect and what its ``process_bind_param``
  accepts (:mod:`.type_kinds`); dialect types (``postgresql.INTEGER``, ``mysql.TINYINT``)
  by their class hierarchy.
- uniqueness: ``unique=True``, every ``UniqueConstraint`` and every unique ``Index``
  (``index=True, unique=True`` makes only an index); reflected ``Column.unique`` is
  always None, so reflected tables rely on constraints and indexes alone.
- CHECKs: the table's ``CheckConstraint`` objects *and* those given inline on a
  ``Column``, which SQLAlchemy keeps in ``Column.constraints``, not ``Table.constraints``.

Reflection adds what the generic reflection misses: SQLite's inline ``UNIQUE``
columns (only visible as ``sqlite_autoindex_*`` indexes) and MariaDB's column-level
CHECKs, including the ``json_valid()`` check that marks a ``JSON`` column, which
MariaDB otherwise reports as ``LONGTEXT``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import re
import warnings
from collections.abc import Iterable, Iterator
from inspect import cleandoc
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import exc as orm_exc
from sqlalchemy.orm import registry as orm_registry

from .exceptions import IntrospectionError
from .specs import CheckSpec, ColumnSpec, ForeignKeySpec, TableSpec, UniqueSpec
from .type_kinds import plain_kind, value_kind

__all__ = ["reflect_specs", "table_spec", "table_specs"]

_ACCEPTED = "a mapped class, Table, MetaData, declarative Base, Engine or Connection"

# Most specific first along a type's MRO: mysql.TINYINT is an Integer of 8 bits.
_INT_BITS: dict[type, int] = {
    mysql.TINYINT: 8,
    mysql.MEDIUMINT: 24,
    sa.SmallInteger: 16,
    sa.BigInteger: 64,
    sa.Integer: 32,
}

_UNIQUE_ORIGIN_RANK = {"column": 0, "constraint": 1, "index": 2}


# --------------------------------------------------------------------------- public


def table_spec(obj: Any) -> TableSpec:
    """Describe one mapped class or :class:`~sqlalchemy.Table`.

    :param obj: a declarative mapped class (``DeclarativeBase``, legacy
        ``declarative_base()``, ``registry().generate_base()`` or imperatively
        mapped) or a ``Table``. A single-table-inheritance subclass describes its
        parent's table, with ``model`` left as the subclass.
    :raises IntrospectionError: for anything else, e.g. an unmapped class or an instance.

    e.g.::

        spec = table_spec(Employee)
        spec.primary_key           # ('id',)
        spec.column("email").unique
    """
    if isinstance(obj, sa.Table):
        return _build(obj)
    return _build_mapped(_mapper_of(obj))


def table_specs(
    source: Any, *, only: Iterable[str] | None = None, metadata: sa.MetaData | None = None
) -> list[TableSpec]:
    """Describe several tables at once.

    :param source: one of

        - a declarative Base class: every mapped class of ``Base.registry``, plus the
          tables of ``Base.metadata`` that no class maps (m2m association tables);
        - a :class:`~sqlalchemy.MetaData`: all its tables, in definition order;
        - an :class:`~sqlalchemy.engine.Engine` or :class:`~sqlalchemy.engine.Connection`:
          the live database, see :func:`reflect_specs`;
        - a list or tuple of mapped classes, ``Table`` objects and table names; a name
          is looked up in the ``MetaData`` of the other items (or ``metadata=``), and a
          ``Table`` that one of the listed classes' registries maps is read through
          its class;
        - a single mapped class or ``Table``.
    :param only: keep just these tables, by table name, schema-qualified name or
        model class name; an unknown name raises.
    :param metadata: where table names of a list ``source`` are looked up.
    :raises IntrospectionError: for an unsupported source or an unknown name.
    """
    if isinstance(source, (Engine, Connection)):
        return reflect_specs(source, only=only)
    if isinstance(source, sa.MetaData):
        specs = [_build(t) for t in source.tables.values()]
    elif _is_declarative_base(source):
        specs = _base_specs(source)
    elif isinstance(source, (list, tuple)):
        specs = _list_specs(source, metadata)
    elif isinstance(source, (type, sa.Table)):
        specs = [table_spec(source)]
    else:
        raise IntrospectionError(
            f"Expected {_ACCEPTED}, or a list of mapped classes, Tables and table names; "
            f"got {_describe(source)}."
        )
    return _keep_only(specs, only)


def reflect_specs(
    bind: Engine | Connection, *, schema: str | None = None, only: Iterable[str] | None = None
) -> list[TableSpec]:
    """Reflect a live database into specs (no model code needed).

    Works on PostgreSQL, SQLite and MariaDB/MySQL, and on any dialect SQLAlchemy
    can reflect. Reflected tables have no docstrings; PostgreSQL and MariaDB
    keep table and column comments.

    :param bind: an ``Engine`` or a ``Connection`` (reflection then runs in its
        transaction).
    :param schema: the schema to read; the default schema when None.
    :param only: table names to read; tables they reference are not returned.
    :raises IntrospectionError: when the database cannot be reached or a table in
        ``only`` does not exist.
    """
    if not isinstance(bind, (Engine, Connection)):
        raise IntrospectionError(f"reflect_specs() needs an Engine or Connection; got {_describe(bind)}.")
    wanted = [only] if isinstance(only, str) else list(only) if only is not None else None
    url = bind.engine.url.render_as_string(hide_password=True)
    md = sa.MetaData()
    try:
        with _connection(bind) as conn, warnings.catch_warnings():
            # SQLite's expression indexes: _reflected_extras reads them from their DDL
            warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
            md.reflect(conn, schema=schema, only=wanted)
            tables = [t for t in md.tables.values() if t.schema == schema]
            if wanted is not None:
                tables = sorted((t for t in tables if t.name in wanted), key=lambda t: wanted.index(t.name))
            extras = {t: _reflected_extras(conn, t) for t in tables}
    except sa_exc.DBAPIError as e:
        raise IntrospectionError(
            f"Cannot read the database at {url}: {e.orig or e}. "
            "Check that the server is running and the URL, user and database are right."
        ) from e
    except sa_exc.InvalidRequestError as e:
        raise IntrospectionError(f"Cannot reflect {url}: {e}") from e
    return [_build(t, **extras[t]) for t in tables]


# ------------------------------------------------------------------ sources -> tables


def _mapper_of(obj: Any) -> Mapper[Any]:
    if not isinstance(obj, type):
        if isinstance(sa.inspect(type(obj), raiseerr=False), Mapper):
            raise IntrospectionError(
                f"Got an instance of {type(obj).__name__}; pass the class {type(obj).__name__} itself."
            )
        raise IntrospectionError(f"Expected {_ACCEPTED}; got {_describe(obj)}.")
    mapper: Any = sa.inspect(obj, raiseerr=False)
    if isinstance(mapper, Mapper):
        return mapper
    if _is_declarative_base(obj):
        raise IntrospectionError(
            f"class {obj.__name__} is a declarative Base, not a mapped table; "
            f"use table_specs({obj.__name__}) to read all its models."
        )
    abstract = " (it is __abstract__)" if obj.__dict__.get("__abstract__") else ""
    raise IntrospectionError(
        f"class {obj.__name__} is not mapped by SQLAlchemy{abstract}; "
        "did you forget __tablename__ / a DeclarativeBase?"
    )


def _is_declarative_base(obj: Any) -> bool:
    return (
        isinstance(obj, type)
        and isinstance(obj.__dict__.get("registry"), orm_registry)  # not inherited: abstract classes
        and isinstance(getattr(obj, "metadata", None), sa.MetaData)
        and not isinstance(sa.inspect(obj, raiseerr=False), Mapper)
    )


def _table_owners(registries: Iterable[orm_registry]) -> dict[sa.Table, Mapper[Any]]:
    """The mapper that owns each table; single-table subclasses defer to their parent."""
    owners: dict[sa.Table, Mapper[Any]] = {}
    for reg in registries:
        mappers = sorted(
            reg.mappers, key=lambda m: (len(m.class_.__mro__), m.class_.__qualname__)
        )  # parents first
        for m in mappers:
            if isinstance(m.local_table, sa.Table) and not m.single:
                owners.setdefault(m.local_table, m)
    return owners


def _base_specs(base: type) -> list[TableSpec]:
    owners = _table_owners([base.registry])  # type: ignore[attr-defined]
    tables = list(base.metadata.tables.values())  # type: ignore[attr-defined]
    tables += [t for t in owners if t not in set(tables)]
    return [_build_mapped(owners[t]) if t in owners else _build(t) for t in tables]


def _list_specs(items: list[Any] | tuple[Any, ...], metadata: sa.MetaData | None) -> list[TableSpec]:
    inspected: list[Any] = [sa.inspect(i, raiseerr=False) for i in items if isinstance(i, type)]
    mappers = [m for m in inspected if isinstance(m, Mapper)]
    owners = _table_owners({m.registry for m in mappers})
    contexts = [metadata] if metadata is not None else []
    contexts += [m.local_table.metadata for m in mappers if isinstance(m.local_table, sa.Table)]
    contexts += [i.metadata for i in items if isinstance(i, sa.Table)]
    specs: list[TableSpec] = []
    for item in items:
        if isinstance(item, str):
            item = _table_named(item, contexts)
        spec = (
            _build_mapped(owners[item]) if isinstance(item, sa.Table) and item in owners else table_spec(item)
        )
        if not any(s.table is spec.table and s.model is spec.model for s in specs):
            specs.append(spec)
    return specs


def _table_named(name: str, contexts: list[sa.MetaData]) -> sa.Table:
    if not contexts:
        raise IntrospectionError(
            f"Table name {name!r} needs a MetaData to be looked up in: list its mapped class or Table "
            f"instead, pass metadata=..., or use table_specs(metadata, only=[{name!r}])."
        )
    for md in dict.fromkeys(contexts):
        if name in md.tables:
            return md.tables[name]
        by_name = [t for t in md.tables.values() if t.name == name]
        if len(by_name) == 1:
            return by_name[0]
    known = sorted({key for md in contexts for key in md.tables})
    raise IntrospectionError(f"No table named {name!r}; known tables: {', '.join(known) or '(none)'}.")


def _keep_only(specs: list[TableSpec], only: Iterable[str] | None) -> list[TableSpec]:
    if only is None:
        return specs
    wanted = [only] if isinstance(only, str) else list(only)
    names = {n for s in specs for n in (s.name, s.fullname, s.model_name) if n}
    missing = [w for w in wanted if w not in names]
    if missing:
        raise IntrospectionError(
            f"only= names not found: {', '.join(map(repr, missing))}; known: {', '.join(sorted(names))}."
        )
    return [s for s in specs if {s.name, s.fullname, s.model_name} & set(wanted)]


def _describe(obj: Any) -> str:
    if isinstance(obj, type):
        return f"class {obj.__qualname__}"
    text = repr(obj)
    return f"<{type(obj).__name__} {text[:60] + '...' if len(text) > 60 else text}>"


# -------------------------------------------------------------------- reflection


@contextlib.contextmanager
def _connection(bind: Engine | Connection) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as conn:
            yield conn


def _reflected_extras(conn: Connection, table: sa.Table) -> dict[str, Any]:
    """What generic reflection misses, as keyword arguments for :func:`_build`."""
    if conn.dialect.name == "sqlite":
        indexes = sa.inspect(conn).get_indexes(table.name, schema=table.schema, include_auto_indexes=True)
        uniques = [
            UniqueSpec(columns=tuple(c for c in ix["column_names"] if c is not None), origin="constraint")
            for ix in indexes
            if (ix["name"] or "").startswith("sqlite_autoindex_") and None not in ix["column_names"]
        ]
        return {"extra_uniques": uniques + _sqlite_expression_uniques(conn, table)}
    if getattr(conn.dialect, "is_mariadb", False):
        return _mariadb_column_checks(conn, table)
    return {}


_UNIQUE_INDEX_SQL = re.compile(r"^\s*CREATE\s+UNIQUE\s+INDEX\s+.*?\bON\s+\S+\s*\((.*)\)\s*(WHERE\s+.*)?$",
                               re.IGNORECASE | re.DOTALL)


def _sqlite_expression_uniques(conn: Connection, table: sa.Table) -> list[UniqueSpec]:
    """Unique indexes over expressions (``lower(name)``), which SQLite's reflection skips, read from their DDL."""
    rows = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t "
                                "AND sql IS NOT NULL"), {"t": table.name}).all()
    found = []
    for name, sql in rows:
        match = _UNIQUE_INDEX_SQL.match(sql)
        if match is None or match.group(2):
            continue
        columns = _expression_columns(_split_top_level(match.group(1)), table)
        if columns is not None and any("(" in part for part in _split_top_level(match.group(1))):
            found.append(UniqueSpec(columns=columns, name=name, origin="index"))
    return found


def _split_top_level(text: str) -> list[str]:
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


def _expression_columns(expressions: list[str], table: sa.Table) -> tuple[str, ...] | None:
    """The columns of a unique index whose expressions are columns or case folds of one (``lower(name)``):
    distinct values of those columns then make the index hold. None for any other expression."""
    out = []
    for text in expressions:
        match = _CASE_FOLD.match(text.strip()) or _BARE.match(text.strip())
        if match is None or match.group(1) not in table.c:
            return None
        out.append(match.group(1))
    return tuple(out)


_JSON_VALID = re.compile(r"^\s*json_valid\(\s*`?(\w+)`?\s*\)\s*$", re.IGNORECASE)


def _mariadb_column_checks(conn: Connection, table: sa.Table) -> dict[str, Any]:
    """MariaDB keeps column-level CHECKs (and JSON's ``json_valid``) out of SHOW CREATE's table checks."""
    sql = sa.text(
        "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = COALESCE(:schema, DATABASE()) AND TABLE_NAME = :table AND LEVEL = 'Column'"
    )
    try:
        rows = conn.execute(sql, {"schema": table.schema, "table": table.name}).all()
    except sa_exc.DBAPIError:  # a server without information_schema.CHECK_CONSTRAINTS.LEVEL
        return {}
    json_columns, checks = set(), []
    for column, clause in rows:
        match = _JSON_VALID.match(clause)
        if match and match.group(1) == column:
            json_columns.add(column)
        else:
            checks.append(CheckSpec(sqltext=clause, column=column))
    return {"extra_checks": checks, "json_columns": json_columns}


# ------------------------------------------------------------------- table -> spec


def _build_mapped(mapper: Mapper[Any]) -> TableSpec:
    table = mapper.local_table
    if not isinstance(table, sa.Table):
        raise IntrospectionError(
            f"class {mapper.class_.__name__} is mapped to {type(table).__name__}, not a Table; "
            "only classes mapped to a single table can be read."
        )
    return _build(table, mapper=mapper)


def _class_doc(cls: type) -> str | None:
    doc = cls.__dict__.get("__doc__")
    if not isinstance(doc, str):
        return None
    if dataclasses.is_dataclass(cls) and doc.startswith(f"{cls.__name__}("):
        return None  # the signature dataclasses writes when a class has no docstring
    return cleandoc(doc) or None


def _build(
    table: sa.Table,
    *,
    mapper: Mapper[Any] | None = None,
    extra_uniques: Iterable[UniqueSpec] = (),
    extra_checks: Iterable[CheckSpec] = (),
    json_columns: Iterable[str] = (),
) -> TableSpec:
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
    facts = _type_facts(col.type)
    if json:
        facts.update(kind="json", length=None)
    return ColumnSpec(
        name=col.name,
        key=col.key,
        attr=prop.key if prop is not None else None,
        type_repr=_type_repr(col.type),
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


_HOLDS = {("array", "json"), ("inet", "string"), ("inet", "text"), ("macaddr", "string"), ("macaddr", "text"),
          ("uuid", "string"), ("json", "text"), ("array", "text")}
"""``(a, b)``: a value of kind ``a`` is also a value a column of kind ``b`` stores (a list is a JSON document)."""


def _variant_choice(type_: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """Of a type and its ``with_variant`` types (``JSON`` but ``ARRAY`` on PostgreSQL, ``String`` but ``INET``), the
    most specific one whose values every other one stores too, so every backend gets the same values."""
    variants = list(getattr(type_, "_variant_mapping", {}).values())
    if not variants:
        return type_
    from .type_kinds import _SPECIFIC

    options = [(plain_kind(t) or (_kind(t)[0], t))[0] for t in (type_, *variants)]
    ranked = sorted(range(len(options)), key=lambda i: _SPECIFIC.index(options[i]) if options[i] in _SPECIFIC
                    else len(_SPECIFIC))
    for i in ranked:
        if all(o == options[i] or (options[i], o) in _HOLDS for o in options):
            return (type_, *variants)[i]
    return type_


def _type_facts(type_: sa.types.TypeEngine[Any]) -> dict[str, Any]:
    """kind, length, precision, scale, timezone, int_bits, enum_values, enum_class of a type."""
    type_ = _variant_choice(type_)
    kind, t = _kind(type_)
    facts: dict[str, Any] = {"kind": kind}
    if kind in ("string", "text", "enum", "binary", "other"):
        length = getattr(t, "length", None)
        facts["length"] = length if isinstance(length, int) else None
    if kind in ("float", "decimal"):
        facts["precision"] = getattr(t, "precision", None)
        facts["scale"] = getattr(t, "scale", None)
    if kind in ("datetime", "time"):
        facts["timezone"] = bool(getattr(t, "timezone", False))
    if kind == "integer":
        facts["int_bits"] = next((_INT_BITS[c] for c in type(t).__mro__ if c in _INT_BITS), None)
    if kind == "array" and getattr(t, "item_type", None) is not None:
        item = t.item_type() if isinstance(t.item_type, type) else t.item_type
        facts["item"] = ColumnSpec("item", sa_type=item, nullable=False, **_type_facts(item))
    if isinstance(t, sa.Enum):
        facts["enum_values"] = tuple(t.enums)
        facts["enum_class"] = t.enum_class
    elif isinstance(type_, sa.TypeDecorator) and (keys := _choice_keys(type_)):
        facts["enum_values"] = keys
    return facts


def _choice_keys(type_: sa.TypeDecorator) -> tuple[Any, ...] | None:
    """The stored keys of a TypeDecorator that carries its ``choices`` (sqlalchemy-utils' ``ChoiceType``: pairs
    ``(key, label)`` or an ``enum.Enum`` class), which the column holds and nothing else."""
    choices = getattr(type_, "choices", None)
    if isinstance(choices, type) and issubclass(choices, enum.Enum):
        return tuple(m.value for m in choices) or None
    if isinstance(choices, (list, tuple)) and choices and \
            all(isinstance(c, (list, tuple)) and len(c) == 2 for c in choices):
        return tuple(k for k, _ in choices)
    return None


def _kind(type_: sa.types.TypeEngine[Any]) -> tuple[str, sa.types.TypeEngine[Any]]:
    """The kind of a type and the type whose facts apply (see :mod:`.type_kinds` for TypeDecorators)."""
    t = type_
    for _ in range(10):
        found = plain_kind(t)
        if found is not None:
            return found
        if isinstance(t, sa.TypeDecorator):
            kind, storage = value_kind(t)
            return kind, storage if storage is not None else t
        try:
            generic = t.as_generic()
        except (NotImplementedError, TypeError):  # SQLAlchemy's answer for a type with no generic equivalent
            break
        if type(generic) is type(t):
            break
        t = generic
    return "other", type_


def _type_repr(type_: sa.types.TypeEngine[Any]) -> str:
    try:
        return str(type_)
    except Exception:  # some dialect types cannot compile without their dialect
        return type(type_).__name__


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
            columns = _expression_columns([_sql_text(e) or "" for e in ix.expressions], table)
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
