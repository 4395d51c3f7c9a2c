"""SQL DDL text (``CREATE TABLE ...``) read into the same specs as models give.

The statements are parsed with sqlglot (PostgreSQL, MySQL, SQLite or generic syntax), turned into
SQLAlchemy ``Table`` objects on a fresh ``MetaData`` (types with their lengths and precision, NOT
NULL, defaults, primary keys, UNIQUE, CHECK, foreign keys, identity and computed columns) and read
by :func:`~.introspect.table_specs`, so a DDL schema gets exactly what the same tables declared as
models would. Nothing is executed::

    >>> specs = ddl_specs('''
    ...     CREATE TABLE users (id SERIAL PRIMARY KEY, email VARCHAR(120) NOT NULL UNIQUE,
    ...                         age INT CHECK (age >= 18));
    ...     CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id INT NOT NULL REFERENCES users (id),
    ...                          total NUMERIC(10, 2));
    ... ''')
    >>> [s.name for s in specs], specs[0].column("email").length
    (['users', 'orders'], 120)
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlglot
from sqlglot import exp

from .exceptions import SchemaError
from .specs import TableSpec

__all__ = ["ddl_metadata", "ddl_specs"]

_DIALECTS = ("postgres", "mysql", "sqlite", None)
_INTEGER = {"INT": sa.Integer, "INTEGER": sa.Integer, "MEDIUMINT": sa.Integer, "UINT": sa.Integer,
            "SMALLINT": sa.SmallInteger, "TINYINT": sa.SmallInteger, "USMALLINT": sa.SmallInteger,
            "UTINYINT": sa.SmallInteger, "BIGINT": sa.BigInteger, "UBIGINT": sa.BigInteger,
            "SERIAL": sa.Integer, "SMALLSERIAL": sa.SmallInteger, "BIGSERIAL": sa.BigInteger}
_SERIAL = {"SERIAL", "SMALLSERIAL", "BIGSERIAL"}
_STRING = {"VARCHAR", "NVARCHAR", "CHAR", "NCHAR", "BPCHAR", "CITEXT"}
_TEXT = {"TEXT", "MEDIUMTEXT", "LONGTEXT", "TINYTEXT", "CLOB"}
_SIMPLE = {"FLOAT": sa.Float, "DOUBLE": sa.Float, "REAL": sa.Float, "BOOLEAN": sa.Boolean, "DATE": sa.Date,
           "DATETIME": sa.DateTime, "TIMESTAMP": sa.DateTime, "TIMESTAMPNTZ": sa.DateTime, "TIME": sa.Time,
           "INTERVAL": sa.Interval, "UUID": sa.Uuid, "JSON": sa.JSON, "JSONB": sa.JSON, "BLOB": sa.LargeBinary,
           "BINARY": sa.LargeBinary, "VARBINARY": sa.LargeBinary, "LONGBLOB": sa.LargeBinary,
           "MEDIUMBLOB": sa.LargeBinary, "TINYBLOB": sa.LargeBinary}


def ddl_specs(text: str) -> list[TableSpec]:
    """The tables of ``CREATE TABLE`` statements, as specs (in the order written)."""
    from .introspect import table_specs

    metadata = ddl_metadata(text)
    return table_specs(list(metadata.tables.values()))


def ddl_metadata(text: str) -> sa.MetaData:
    """``CREATE TABLE`` statements -> a ``MetaData`` holding their tables (nothing is executed)."""
    if not isinstance(text, str) or not text.strip():
        raise SchemaError("The DDL text is empty; send CREATE TABLE statements.")
    statements = _parse(text)
    creates = [s for s in statements if isinstance(s, exp.Create) and str(s.args.get("kind", "")).upper() == "TABLE"]
    others = [s for s in statements if s is not None and s not in creates]
    if others:
        raise SchemaError(f"Only CREATE TABLE statements are read; this DDL also has: {others[0].sql()[:80]!r}. "
                          "Leave out other statements (indexes other than UNIQUE, inserts, grants).")
    if not creates:
        raise SchemaError("The DDL text has no CREATE TABLE statement.")
    metadata = sa.MetaData()
    names = {_table_name(c) for c in creates}
    for create in creates:
        _table(create, metadata, names)
    return metadata


def _parse(text: str) -> list[exp.Expression | None]:
    errors = []
    for dialect in _DIALECTS:
        try:
            return sqlglot.parse(text, read=dialect)
        except sqlglot.errors.SqlglotError as exc:
            errors.append(str(exc).splitlines()[0])
    raise SchemaError(f"The DDL text could not be parsed: {errors[0]}.")


def _table_name(create: exp.Create) -> str:
    table = create.this.this if isinstance(create.this, exp.Schema) else create.this
    return table.name


def _ident(node: Any) -> str:
    return node.name if hasattr(node, "name") and node.name else node.sql()


def _table(create: exp.Create, metadata: sa.MetaData, names: set[str]) -> sa.Table:
    if not isinstance(create.this, exp.Schema):
        raise SchemaError(f"CREATE TABLE {_table_name(create)!r} has no column list (CREATE TABLE ... AS SELECT "
                          "cannot be read); list its columns.")
    name = _table_name(create)
    if name in metadata.tables:
        raise SchemaError(f"Table {name!r} is created twice in the DDL.")
    columns: list[sa.Column] = []
    constraints: list[Any] = []
    for item in create.this.expressions:
        if isinstance(item, exp.ColumnDef):
            columns.append(_column(name, item, names))
        else:
            constraints.append(_constraint(name, item, None, names))
    if not columns:
        raise SchemaError(f"Table {name!r} has no columns.")
    known = {c.name for c in columns}
    for constraint in constraints:
        missing = [c for c in getattr(constraint, "_pending_colargs", []) if isinstance(c, str) and c not in known]
        if missing:
            raise SchemaError(f"A constraint of table {name!r} names column(s) {missing} that the table does not "
                              f"have; its columns: {', '.join(known)}.")
    return sa.Table(name, metadata, *columns, *constraints)


def _column(table: str, item: exp.ColumnDef, names: set[str]) -> sa.Column:
    col = item.name
    kind = item.args.get("kind")
    if kind is None:
        raise SchemaError(f"Column {table}.{col} has no type; give it one (INTEGER, VARCHAR(100), ...).")
    type_name = kind.this.name if hasattr(kind.this, "name") else str(kind.this)
    sa_type = _type(table, col, type_name, kind)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    if type_name in _SERIAL:
        kwargs["autoincrement"] = True
    for constraint in item.args.get("constraints") or []:
        c = constraint.args.get("kind")
        if isinstance(c, exp.PrimaryKeyColumnConstraint):
            kwargs["primary_key"] = True
        elif isinstance(c, exp.NotNullColumnConstraint):
            kwargs["nullable"] = bool(c.args.get("allow_null"))
        elif isinstance(c, exp.UniqueColumnConstraint):
            kwargs["unique"] = True
        elif isinstance(c, exp.CheckColumnConstraint):
            args.append(sa.CheckConstraint(c.this.sql()))
        elif isinstance(c, exp.DefaultColumnConstraint):
            kwargs["server_default"] = sa.text(c.this.sql())
        elif isinstance(c, exp.Reference):
            args.append(sa.ForeignKey(_reference(table, c, names)[0][0]))
        elif isinstance(c, exp.GeneratedAsIdentityColumnConstraint):
            args.append(sa.Identity(always=bool(c.args.get("this"))))
        elif isinstance(c, exp.ComputedColumnConstraint):
            args.append(sa.Computed(c.this.sql(), persisted=bool(c.args.get("persisted"))))
        elif isinstance(c, exp.AutoIncrementColumnConstraint):
            kwargs["autoincrement"] = True
        elif isinstance(c, exp.CommentColumnConstraint):
            kwargs["comment"] = c.this.name
    if kwargs.get("primary_key"):
        kwargs["nullable"] = False
    return sa.Column(col, sa_type, *args, **kwargs)


def _params(kind: exp.DataType) -> list[int]:
    out = []
    for p in kind.expressions:
        value = p.this if isinstance(p, exp.DataTypeParam) else p
        try:
            out.append(int(value.name if hasattr(value, "name") else str(value)))
        except (TypeError, ValueError):
            continue
    return out


def _type(table: str, col: str, type_name: str, kind: exp.DataType) -> Any:
    params = _params(kind)
    if type_name in _INTEGER:
        return _INTEGER[type_name]()
    if type_name in _STRING:
        return sa.String(params[0] if params else None)
    if type_name in _TEXT:
        return sa.Text()
    if type_name in ("DECIMAL", "NUMERIC", "MONEY", "BIGDECIMAL"):
        return sa.Numeric(*(params[:2] or [12, 2]))
    if type_name == "TIMESTAMPTZ" or type_name == "TIMESTAMPLTZ":
        return sa.DateTime(timezone=True)
    if type_name == "ENUM":
        values = [e.name for e in kind.expressions if isinstance(e, exp.Literal)]
        if values:
            return sa.Enum(*values, name=f"{table}_{col}")
    if type_name in _SIMPLE:
        return _SIMPLE[type_name]()
    raise SchemaError(f"Column {table}.{col} has the SQL type {kind.sql()!r}, which is not read from DDL; use "
                      "an integer, numeric, float, boolean, char/varchar/text, date/time/timestamp, interval, "
                      "uuid, json or binary type.")


def _reference(table: str, ref: exp.Reference, names: set[str]) -> tuple[list[str], str]:
    schema = ref.this
    target = schema.this.name if isinstance(schema, exp.Schema) else schema.name
    if target not in names:
        raise SchemaError(f"Table {table!r} references table {target!r}, which the DDL does not create; add its "
                          f"CREATE TABLE (tables: {', '.join(sorted(names))}).")
    cols = [_ident(e) for e in schema.expressions] if isinstance(schema, exp.Schema) else []
    if not cols:
        raise SchemaError(f"Table {table!r} references {target!r} without naming the column(s); write "
                          f"REFERENCES {target} (id).")
    return [f"{target}.{c}" for c in cols], target


def _constraint(table: str, item: exp.Expression, name: str | None, names: set[str]) -> Any:
    if isinstance(item, exp.Constraint):
        inner = item.expressions
        if len(inner) != 1:
            raise SchemaError(f"Constraint {item.name!r} of table {table!r} could not be read: {item.sql()[:80]!r}.")
        return _constraint(table, inner[0], item.name, names)
    if isinstance(item, exp.PrimaryKey):
        return sa.PrimaryKeyConstraint(*[_ident(e) for e in item.expressions], name=name)
    if isinstance(item, exp.ForeignKey):
        targets, _ = _reference(table, item.args["reference"], names)
        local = [_ident(e) for e in item.expressions]
        if len(local) != len(targets):
            raise SchemaError(f"A foreign key of table {table!r} has {len(local)} column(s) but references "
                              f"{len(targets)}.")
        return sa.ForeignKeyConstraint(local, targets, name=name)
    if isinstance(item, exp.UniqueColumnConstraint):
        schema = item.this
        cols = [_ident(e) for e in schema.expressions] if isinstance(schema, exp.Schema) else []
        return sa.UniqueConstraint(*cols, name=name)
    if isinstance(item, exp.CheckColumnConstraint):
        return sa.CheckConstraint(item.this.sql(), name=name)
    raise SchemaError(f"Table {table!r}: cannot read {item.sql()[:80]!r}; the DDL may hold columns, PRIMARY KEY, "
                      "FOREIGN KEY, UNIQUE and CHECK constraints.")
