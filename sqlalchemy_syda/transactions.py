"""All or nothing: the connection a seed writes through, and the scope that undoes it on failure.

Given an Engine, a seed opens and commits its own transaction; given a Connection or Session that
is already in a transaction, it works inside a SAVEPOINT, so a failure leaves the database as it was
and the caller's transaction usable. A Connection with no transaction open gets one, as SQLAlchemy's
autobegin would give it at the first statement: the rows are in it and the caller commits them
(``conn.commit()``); when the seed fails, that transaction is rolled back and the connection is as it
was::

    >>> from sqlalchemy.orm import Session
    >>> customers = Customer.__table__
    >>> with Session(engine) as session:
    ...     session.add(Customer(id=1, name="Acme"))                     # the caller's own pending work
    ...     try:
    ...         with all_or_nothing_connection(session) as conn:         # a SAVEPOINT in the session's transaction
    ...             _ = conn.execute(sa.insert(customers), {"id": 2, "name": "Globex"})
    ...             _ = conn.execute(sa.insert(customers), {"id": 3, "name": "Acme"})   # violates UNIQUE
    ...     except sa.exc.IntegrityError:
    ...         pass
    ...     session.scalars(sa.select(Customer.name)).all()              # Globex undone, Acme kept
    ['Acme']
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa

from .dialects import dialect_for
from .exceptions import SchemaError, WriteError

__all__ = ["all_or_nothing_connection"]


@contextlib.contextmanager
def all_or_nothing_connection(bind: Any) -> Iterator[sa.Connection]:
    """A connection inside an all-or-nothing scope (own transaction, or a savepoint in the caller's)."""
    from sqlalchemy.orm import Session

    if isinstance(bind, Session):
        bind.flush()
        conn = _connect(bind.connection, bind.get_bind)
        dialect_for(conn).begin_before_savepoint(conn)
        with _all_or_nothing(conn.begin_nested()):
            yield conn
        return
    if isinstance(bind, sa.Engine):
        conn = _connect(bind.connect, lambda: bind)
        with conn, _all_or_nothing(conn.begin(), own=True):
            yield conn
        return
    if isinstance(bind, sa.Connection):
        began = not bind.in_transaction()
        if began:  # what SQLAlchemy's autobegin would do: the connection's transaction, the caller commits it
            bind.begin()
        try:
            dialect_for(bind).begin_before_savepoint(bind)
            with _all_or_nothing(bind.begin_nested()):
                yield bind
        except BaseException:
            if began:  # the transaction held nothing but the seed: the connection is left as it was
                with contextlib.suppress(sa.exc.SQLAlchemyError):
                    bind.rollback()
            raise
        return
    raise SchemaError(f"seed() needs an Engine, Connection or Session to write to; got {type(bind).__name__}.")


def _connect(connect: Callable[[], sa.Connection], engine: Callable[[], Any]) -> sa.Connection:
    try:
        return connect()
    except sa.exc.OperationalError as exc:
        url = getattr(engine(), "url", None)
        url = url.render_as_string(hide_password=True) if url is not None else "the database"
        raise WriteError(f"Cannot connect to {url}: {exc.orig}. Is the database running and the URL right?")\
            from None


@contextlib.contextmanager
def _all_or_nothing(trans: sa.Transaction, own: bool = False) -> Iterator[None]:
    """Commit ``trans`` (a transaction or a savepoint) on success, roll it back on any failure.

    When the connection itself is gone (a killed backend, a network failure) or stuck (a COPY cut by
    Ctrl-C) the rollback fails too; that must not replace the error that caused it. A connection the seed
    opened itself (``own``) is then invalidated (closed, never reused): the server discards the transaction by
    itself. A caller's own connection is left to the caller (its transaction may still be alive).
    """
    try:
        yield
    except BaseException as exc:
        try:
            trans.rollback()
        except sa.exc.SQLAlchemyError as rollback_exc:
            exc.add_note(f"(rolling back failed as well: {str(rollback_exc).splitlines()[0]})")
            # A connection that cannot roll back (stuck in a COPY cut by Ctrl-C, or gone) is closed, not
            # handed back to the pool, whose reset would fail again and log a traceback; closing it makes
            # the server discard the transaction.
            if own:
                with contextlib.suppress(Exception):
                    trans.connection.invalidate()
        raise
    try:
        trans.commit()
    except sa.exc.DBAPIError as exc:
        raise WriteError(f"Committing the seed failed: {str(exc.orig).strip()}. Nothing was written.") from exc
