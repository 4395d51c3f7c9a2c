"""Which session a syda factory writes to, and its dialect: the factory's Meta, an async override, or its child's.

A factory made for a parent (a ``SubFactory``) has no session of its own: it follows the factory it makes
parents for. ``async_create_batch`` runs a factory on an ``AsyncSession``'s sync session, set here for the
duration of the call (:func:`bound`)::

    >>> from sqlalchemy.orm import Session
    >>> from sqlalchemy_syda.factories import factory_for
    >>> with Session(engine) as s:
    ...     CustomerFactory = factory_for(Customer, session=s)
    ...     session_of(CustomerFactory) is s, dialect(s)
    (True, 'sqlite')
    >>> session_of(factory_for(Customer)) is None, dialect(None)
    (True, None)
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

__all__ = ["bound", "dialect", "session_of", "sync"]

_SESSION_OVERRIDE: contextvars.ContextVar[Session | None] = contextvars.ContextVar("syda_factory_session",
                                                                                    default=None)


@contextlib.contextmanager
def bound(session: Session) -> Iterator[None]:
    """Every factory writes to ``session`` inside the block (the sync session of an ``AsyncSession``)."""
    token = _SESSION_OVERRIDE.set(session)
    try:
        yield
    finally:
        _SESSION_OVERRIDE.reset(token)


def session_of(cls: Any) -> Any:
    """The session a factory writes to: async override, its Meta, or the factory it makes parents for."""
    override = _SESSION_OVERRIDE.get()
    if override is not None:
        return override
    while cls is not None:
        meta = cls._meta
        if meta.sqlalchemy_session is not None:
            return meta.sqlalchemy_session
        if meta.sqlalchemy_session_factory is not None:
            return meta.sqlalchemy_session_factory()
        cls = cls.__dict__.get("_syda_follow")
    return None


def sync(session: Any) -> Any:
    """The sync ``Session`` behind an ``AsyncSession`` (anything else as it is)."""
    return session.sync_session if isinstance(session, AsyncSession) else session


def dialect(session: Any) -> str | None:
    """The dialect name of the session's bind, None without a (bound) session."""
    if session is None:
        return None
    try:
        return sync(session).get_bind().dialect.name
    except Exception:  # noqa: BLE001 - an unbound session: no dialect-specific rules
        return None
