"""``create_batch(n)`` through one bulk ``seed()`` when nothing needs objects made one at a time.

:func:`bulk_overrides` decides: plain column values and persisted parent objects become column overrides
of the seed; traits, lazy declarations of your own, post-generation hooks, deep arguments (``team__name``)
or a transient parent send the batch down factory_boy's object path (None). :func:`bulk_create` seeds
the rows and loads them back as objects::

    >>> from sqlalchemy_syda.factories import factory_for
    >>> bulk_overrides(factory_for(Customer), {"status": "Active"})
    {'status': 'Active'}
    >>> bulk_overrides(factory_for(Customer), {"name": factory.Faker("company")}) is None
    True
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import factory  # noqa: F401 - the module example's factory.Faker
import sqlalchemy as sa
from factory.declarations import BaseDeclaration
from sqlalchemy.orm import Session

from .factory_rows import rows_state
from .mapped_classes import class_spec, identity_key

__all__ = ["bulk_create", "bulk_overrides"]


def bulk_overrides(cls: Any, kwargs: Mapping[str, Any]) -> dict[str, Any] | None:
    """Column overrides for the bulk path, or None when something needs the object-by-object path."""
    meta = cls._meta
    if meta.sqlalchemy_get_or_create or list(meta.post_declarations) or set(meta.parameters) - cls._syda_auto:
        return None
    mapped = class_spec(meta.model)
    columns = {attr: mapped.sa_column(*cols[0]) for attr, cols in mapped.columns.items() if cols}
    relationships = {r.key: r for r in mapped.relationships}
    out: dict[str, Any] = dict(meta.syda_overrides)
    for name, decl in meta.declarations.items():
        if name in cls._syda_auto:
            continue
        if isinstance(decl, BaseDeclaration) or name not in columns:
            return None
        out[columns[name].name] = _stored(columns[name], decl)
    for name, value in kwargs.items():
        if isinstance(value, BaseDeclaration) or "__" in name:
            return None
        if name in columns:
            out[columns[name].name] = _stored(columns[name], value)
        elif name in relationships and relationships[name].direction == "MANYTOONE" and value is not None:
            if identity_key(value) is None:
                return None  # a transient parent: it must be saved by the object path
            parent = class_spec(type(value))
            for (_, local), remote in relationships[name].pairs:
                out[local] = getattr(value, parent.attribute(*remote))
        else:
            return None
    return out


def _stored(column: sa.Column, value: Any) -> Any:
    """An Enum member as the database stores it (its name, or its value with values_callable)."""
    if isinstance(value, enum.Enum) and isinstance(column.type, sa.Enum):
        return value.name if value.name in column.type.enums else value.value
    return value


def bulk_create(cls: Any, session: Session, size: int, overrides: Mapping[str, Any]) -> list[Any]:
    """``size`` rows of the factory's model written by one ``seed()``, returned as loaded objects."""
    from .seed import seed

    model = cls._meta.model
    session.flush()
    kw = {"locale": cls._meta.syda_locale} if cls._meta.syda_locale else {}
    result = seed(session, {model: size}, seed=cls._meta.syda_seed, overrides={model: dict(overrides)},
                  return_keys=True, **kw)
    mapped = class_spec(model)
    plan = result.plan.table(mapped.table)
    state = rows_state(cls, session)
    state.next = max(state.next or 0, plan.existing + size)
    objects = _load(session, model, result.keys.get(mapped.table, []))
    if objects:
        state.latest = objects[-1]
    return objects


def _load(session: Session, model: type, keys: list[tuple]) -> list[Any]:
    mapped = class_spec(model)
    pk = [mapped.sa_column(*c) for c in mapped.primary_key]
    attrs = [mapped.attribute(*c) for c in mapped.primary_key]
    out: list[Any] = []
    for start in range(0, len(keys), 500):
        part = [tuple(k) for k in keys[start:start + 500]]
        cond = pk[0].in_([k[0] for k in part]) if len(pk) == 1 else sa.tuple_(*pk).in_(part)
        found = {tuple(getattr(o, a) for a in attrs): o for o in session.scalars(sa.select(model).where(cond))}
        out.extend(found[k] for k in part if k in found)
    return out
