"""Tables whose storage engine has no transactions (MariaDB / MySQL MyISAM, Aria, MEMORY, ...).

A seed is all-or-nothing because it writes in one transaction; rows written to a MyISAM table stay
whatever happens to that transaction. So before writing, the seed asks the database which of its
tables cannot roll back, and refuses to start unless the caller allows it; when allowed and the seed
then fails, its error says which rows stayed instead of claiming a rollback. On MariaDB, with an
``events`` table in MyISAM::

    with non_transactional_guard(conn, specs, allowed=False):   # NonTransactionalTableError: This table
        write_everything()                                      # uses a storage engine without transactions ...
    with non_transactional_guard(conn, specs, allowed=True):    # proceeds; a failure says
        write_everything()                                      # "5000 rows written to 'events' (MyISAM) remain"

PostgreSQL and SQLite tables are always transactional: the guard asks them nothing::

    >>> from sqlalchemy_syda.introspect import table_specs
    >>> with engine.connect() as conn:
    ...     print(non_transactional_tables(conn, table_specs(MODELS)))
    ...     with non_transactional_guard(conn, table_specs(MODELS), allowed=False):
    ...         print("writing")
    {}
    writing
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence

import sqlalchemy as sa

from .exceptions import NonTransactionalTableError, SydaError
from .specs import TableSpec

__all__ = ["non_transactional_guard", "non_transactional_tables"]

_ROLLED_BACK = re.compile(r"Nothing was written( \(the seed rolled back\))?\.")


def non_transactional_tables(conn: sa.Connection, specs: Sequence[TableSpec]) -> dict[str, str]:
    """``{table: storage engine}`` for the tables of ``specs`` that cannot roll back (MariaDB / MySQL only)."""
    if conn.dialect.name not in ("mysql", "mariadb") or not specs:
        return {}
    default = conn.exec_driver_sql("SELECT DATABASE()").scalar()
    wanted = {(s.schema or default, s.name): s.fullname for s in specs}
    rows = conn.execute(sa.text(
        "SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.ENGINE FROM information_schema.TABLES t "
        "JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE "
        "WHERE e.TRANSACTIONS <> 'YES' AND t.TABLE_SCHEMA IN :schemas AND t.TABLE_NAME IN :names"
    ).bindparams(sa.bindparam("schemas", expanding=True), sa.bindparam("names", expanding=True)),
        {"schemas": sorted({schema for schema, _ in wanted}), "names": sorted({name for _, name in wanted})})
    return {wanted[(schema, name)]: engine for schema, name, engine in rows if (schema, name) in wanted}


@contextlib.contextmanager
def non_transactional_guard(conn: sa.Connection, specs: Sequence[TableSpec], *, allowed: bool) -> Iterator[None]:
    """Refuse to write into tables that cannot roll back, unless ``allowed``; then keep errors honest."""
    tables = non_transactional_tables(conn, specs)
    if tables and not allowed:
        listed = ", ".join(f"{name!r} ({engine})" for name, engine in tables.items())
        first, engine = next(iter(tables.items()))
        raise NonTransactionalTableError(
            f"{'These tables use storage engines' if len(tables) > 1 else 'This table uses a storage engine'} "
            f"without transactions: {listed}. A seed that failed could not roll back what it wrote there. "
            f"Convert {'them' if len(tables) > 1 else 'it'} (ALTER TABLE {first} ENGINE=InnoDB), or allow it "
            "(seed(..., allow_non_transactional=True); CLI: --allow-non-transactional) knowing that a failure "
            "leaves the rows written so far. Nothing was written.")
    if not tables:
        yield
        return
    specs_by_name = {s.fullname: s for s in specs}
    before = {name: _count(conn, specs_by_name[name]) for name in tables}
    try:
        yield
    except Exception as exc:
        remain = _what_remains(conn, specs_by_name, tables, before)
        if isinstance(exc, SydaError) and exc.args and _ROLLED_BACK.search(str(exc.args[0])):
            exc.args = (_ROLLED_BACK.sub(remain, str(exc.args[0])),) + exc.args[1:]
        else:
            exc.add_note(remain)
        raise


def _count(conn: sa.Connection, spec: TableSpec) -> int | None:
    try:
        return conn.execute(sa.select(sa.func.count()).select_from(sa.table(spec.name, schema=spec.schema))).scalar()
    except sa.exc.DBAPIError:
        return None


def _what_remains(conn: sa.Connection, specs: dict[str, TableSpec], tables: dict[str, str],
                  before: dict[str, int | None]) -> str:
    """What the rollback cannot undo, counted in the tables themselves."""
    parts = []
    for name, engine in tables.items():
        after = _count(conn, specs[name])
        if after is None or before[name] is None:
            parts.append(f"{name!r} ({engine}) keeps the rows written before the failure")
        elif after != before[name]:
            parts.append(f"{after - before[name]} rows written to {name!r} ({engine}) remain")
    if not parts:
        return "Nothing was written (the seed rolled back before reaching the tables without transactions)."
    return ("The rest was rolled back, but tables without transactions cannot be: " + "; ".join(parts)
            + ". Delete them yourself if they must go.")
