"""factory_boy factories whose values come from the same generators as bulk seeding.

``pip install 'sqlalchemy-syda[factory]'``. A factory's declarations are made from the model: every
column gets the value row *k* of the model's recipe (:mod:`sqlalchemy_syda.recipe`) gives,
where *k* is a row counter shared by all syda factories of the model in one session (starting after
the rows already in the table). So ``UserFactory()`` and ``seed(session, {User: n}, seed=s)`` give the
same values for the same seed, and UNIQUE columns stay unique across calls::

    from sqlalchemy_syda.factories import SydaFactory, factory_for, async_create_batch

    UserFactory = factory_for(User, session=session)             # a SQLAlchemyModelFactory subclass
    user = UserFactory()                                           # one row, flushed
    users = UserFactory.build_batch(3)                             # transient objects
    UserFactory.create_batch(5, status="active")                   # overrides as usual

    class OrderFactory(SydaFactory):                               # or as a class, with your own declarations
        class Meta:
            model = Order
            sqlalchemy_session = session                           # any factory_boy Meta option
            syda_seed = 7                                          # syda's: seed, overrides, locale, bulk_threshold
        class Params:
            shipped = factory.Trait(status="Shipped")
        notes = factory.Faker("sentence")                          # your declarations win

    OrderFactory(shipped=True)                                     # traits as factory_boy users expect
    OrderFactory.create_batch(10_000)                              # over the threshold: one bulk seed()
    await async_create_batch(OrderFactory, 10, async_session)      # AsyncSession (run_sync under the hood)

What is generated, per column:

- values: the column's generator (semantics, constraints, overrides in ``Meta.syda_overrides``);
  ``syda_row=k`` picks the row explicitly (``UserFactory(syda_row=0)`` is bulk row 0);
- integer autoincrement keys, computed and server-default columns: left to the database;
- a NOT NULL foreign key: its parent through a ``SubFactory`` made the same way (on the relationship
  when the model has one, otherwise on the key column); nullable foreign keys stay NULL;
- a NOT NULL self-reference: the latest object of the model made in the session, or the row itself
  (no infinite recursion); a nullable one stays NULL; a NOT NULL cycle between tables is refused.

``create_batch(n)`` with ``n >= Meta.syda_bulk_threshold`` (default 100) writes through
:func:`sqlalchemy_syda.seed` (COPY / executemany) and returns the objects loaded back, when nothing
needs one object at a time: no traits, lazy declarations or post-generation hooks of your own, and
only plain column values or persisted parent objects as arguments. Its children then point at
existing parents (or parents seeded with them) instead of one new parent each.

This module is the factory class; its parts are modules of their own: :mod:`.factory_declarations` (what
a model's factory declares), :mod:`.factory_rows` (row *k* of the recipe, the row numbers handed out),
:mod:`.factory_sessions` (which session a factory writes to) and :mod:`.factory_bulk` (the bulk path).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from .exceptions import MissingDependencyError, SchemaError

try:
    import factory  # noqa: F401 - checked here, so that a missing factory_boy is one clear error
    from factory.alchemy import SQLAlchemyModelFactory, SQLAlchemyOptions
    from factory.base import FactoryMetaClass, OptionDefault
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without factory_boy
    raise MissingDependencyError(
        "sqlalchemy_syda.factories needs factory_boy, which is not installed: "
        "pip install 'sqlalchemy-syda[factory]'") from exc

from .factory_bulk import bulk_create, bulk_overrides  # after the factory_boy check
from .factory_declarations import declarations
from .factory_rows import restart, rows_state
from .factory_sessions import bound, session_of

__all__ = ["SydaFactory", "async_create", "async_create_batch", "factory_for"]


# --- the factory class --------------------------------------------------------------------------------

class _SydaOptions(SQLAlchemyOptions):
    def _build_default_options(self) -> list[Any]:
        return super()._build_default_options() + [
            OptionDefault("syda_seed", 0, inherit=True),
            OptionDefault("syda_overrides", {}, inherit=True),
            OptionDefault("syda_locale", None, inherit=True),
            OptionDefault("syda_bulk_threshold", 100, inherit=True),
        ]


class _SydaFactoryMeta(FactoryMetaClass):
    """Adds the model's declarations (the ones the class does not declare itself) before factory_boy reads them."""

    def __new__(mcs, class_name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        meta = attrs.get("Meta")
        model = getattr(meta, "model", None)
        abstract = getattr(meta, "abstract", False)
        inherited = {}
        for base in bases:
            base_meta = getattr(base, "_meta", None)
            if base_meta is not None:
                inherited.update(base_meta.declarations)
                model = model or base_meta.model
        if model is not None and not abstract:
            params = attrs.get("Params")
            param_attrs = {k: v for k, v in vars(params).items() if not k.startswith("__")} if params else {}
            declared = set(attrs) | set(inherited) | set(param_attrs)
            auto, hidden = declarations(model)
            added = set()
            for name, decl in auto.items():
                if name not in declared:
                    attrs[name] = decl
                    added.add(name)
            for name, decl in hidden.items():
                if name not in declared:
                    param_attrs[name] = decl
                    added.add(name)
            attrs["Params"] = type("Params", (), param_attrs)
            attrs["_syda_auto"] = frozenset(added).union(*(getattr(b, "_syda_auto", frozenset()) for b in bases))
        return super().__new__(mcs, class_name, bases, attrs)


class SydaFactory(SQLAlchemyModelFactory, metaclass=_SydaFactoryMeta):
    """Base class of syda factories: ``class UserFactory(SydaFactory): class Meta: model = User``.

    Meta options besides factory_boy's: ``syda_seed`` (int, default 0), ``syda_overrides``
    (``{column: value | generator name | callable}``), ``syda_locale``, ``syda_bulk_threshold``
    (``create_batch`` sizes from which the bulk path is taken; default 100). Persistence defaults to
    ``"flush"`` so that keys are there for children.
    """

    _options_class = _SydaOptions
    _syda_auto: frozenset[str] = frozenset()

    class Meta:
        abstract = True
        sqlalchemy_session_persistence = "flush"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        session = session_of(cls)
        if session is None:
            raise SchemaError(f"{cls.__name__} has no session: pass session= to factory_for(), set "
                              "Meta.sqlalchemy_session, or use .build() for objects that are not saved.")
        if isinstance(session, AsyncSession):
            raise SchemaError(f"{cls.__name__} is bound to an AsyncSession: use "
                              f"await async_create({cls.__name__}, ...) / async_create_batch(...).")
        if cls._meta.sqlalchemy_get_or_create:
            obj = cls._get_or_create(model_class, session, args, kwargs)
        else:
            obj = cls._save(model_class, session, args, kwargs)
        rows_state(cls, session).latest = obj
        return obj

    @classmethod
    def create_batch(cls, size: int, **kwargs: Any) -> list[Any]:
        """``size`` objects written; from ``Meta.syda_bulk_threshold`` on through one bulk ``seed()``."""
        session = session_of(cls)
        if size >= cls._meta.syda_bulk_threshold and isinstance(session, Session):
            overrides = bulk_overrides(cls, kwargs)
            if overrides is not None:
                return bulk_create(cls, session, size, overrides)
        return super().create_batch(size, **kwargs)

    @classmethod
    def reset_sequence(cls, value: int | None = None, force: bool = False) -> None:
        """factory_boy's sequence reset; also restarts syda's row numbers for the model (after the table's rows)."""
        super().reset_sequence(value, force)
        restart(cls, value)

    @classmethod
    def syda_parent_factory(cls, model: type) -> Any:
        """The factory this one makes its ``model`` parents with (made on first use, bound like this one)."""
        parents = cls.__dict__.get("_syda_parents")
        if parents is None:
            parents = {}
            type.__setattr__(cls, "_syda_parents", parents)
        if model not in parents:
            made = factory_for(model, seed=cls._meta.syda_seed, locale=cls._meta.syda_locale,
                               bulk_threshold=cls._meta.syda_bulk_threshold,
                               persistence=cls._meta.sqlalchemy_session_persistence)
            type.__setattr__(made, "_syda_follow", cls)
            parents[model] = made
        return parents[model]


def factory_for(model: type, session: Any = None, *, seed: int = 0, overrides: Mapping[str, Any] | None = None,
                locale: str | None = None, bulk_threshold: int = 100, persistence: str | None = "flush",
                base: type = SydaFactory, **declarations: Any) -> Any:
    """A :class:`SydaFactory` subclass for ``model``.

    :param session: a ``Session``, a ``scoped_session`` or session factory (called per create), an
        ``AsyncSession`` (then use :func:`async_create` / :func:`async_create_batch`), or None (build only).
    :param seed: same seed, same values as ``seed(session, {model: n}, seed=seed)``.
    :param overrides: per column, as for ``seed()``: a value, a generator name, a callable, a list.
    :param declarations: factory_boy declarations of your own (they win over the generated ones).
    """
    meta: dict[str, Any] = {"model": model, "syda_seed": seed, "syda_overrides": dict(overrides or {}),
                            "syda_locale": locale, "syda_bulk_threshold": bulk_threshold,
                            "sqlalchemy_session_persistence": persistence}
    if isinstance(session, (Session, AsyncSession)):
        meta["sqlalchemy_session"] = session
    elif callable(session):
        meta["sqlalchemy_session_factory"] = session
    elif session is not None:
        raise SchemaError(f"factory_for({model.__name__}): session must be a Session, AsyncSession or a callable "
                          f"returning one; got {session!r}.")
    return type(f"{model.__name__}Factory", (base,), {"Meta": type("Meta", (), meta), **declarations})


# --- async --------------------------------------------------------------------------------------------

async def async_create(factory_cls: Any, session: AsyncSession | None = None, **kwargs: Any) -> Any:
    """``await async_create(UserFactory, async_session, name="x")``: one object, created through ``run_sync``."""
    return (await async_create_batch(factory_cls, 1, session, **kwargs))[0]


async def async_create_batch(factory_cls: Any, size: int, session: AsyncSession | None = None,
                             **kwargs: Any) -> list[Any]:
    """``await async_create_batch(UserFactory, 10, async_session)``: factory_boy on an ``AsyncSession``.

    The factory (and the parent factories it uses) run inside ``session.run_sync``, on the async
    session's own sync session; the bulk path works the same way.
    """
    session = session if session is not None else factory_cls._meta.sqlalchemy_session
    if not isinstance(session, AsyncSession):
        raise SchemaError(f"async_create_batch({factory_cls.__name__}, ...) needs an AsyncSession (as argument or "
                          f"the factory's Meta.sqlalchemy_session); got {session!r}.")

    def work(sync_session: Session) -> list[Any]:
        with bound(sync_session):
            return factory_cls.create_batch(size, **kwargs)

    return await session.run_sync(work)
