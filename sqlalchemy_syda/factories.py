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
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
import weakref
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from .exceptions import MissingDependencyError, PlanError, SchemaError

try:
    import factory
    from factory import enums as _enums
    from factory.alchemy import SQLAlchemyModelFactory, SQLAlchemyOptions
    from factory.base import FactoryMetaClass, OptionDefault
    from factory.declarations import BaseDeclaration
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without factory_boy
    raise MissingDependencyError(
        "sqlalchemy_syda.factories needs factory_boy, which is not installed: "
        "pip install 'sqlalchemy-syda[factory]'") from exc

__all__ = ["SydaFactory", "async_create", "async_create_batch", "factory_for"]

_BLOCK = 16
_ROW = "syda_row"
_SESSION_OVERRIDE: contextvars.ContextVar[Session | None] = contextvars.ContextVar("syda_factory_session",
                                                                                    default=None)


# --- rows -------------------------------------------------------------------------------------------

class _RowSource:
    """Row k of one table as ORM attribute values, from the table's generator (blocks cached)."""

    def __init__(self, table: sa.Table, mapper: Any, seed: int, overrides: Mapping[str, Any],
                 locale: str | None, capacity: int) -> None:
        from .introspect import table_spec

        self.spec = table_spec(table)
        self.seed, self.overrides, self.locale, self.capacity = seed, dict(overrides), locale, capacity
        self._recipes: dict[str | None, Any] = {}
        self.attr_of: dict[str, str] = {}
        for col in table.columns:
            try:
                self.attr_of[col.name] = mapper.get_property_by_column(col).key
            except sa.orm.exc.UnmappedColumnError:
                continue
        self._blocks: dict[tuple[str | None, int], list[dict[str, Any]]] = {}

    def row(self, k: int, dialect: str | None) -> dict[str, Any]:
        start = k - k % _BLOCK
        block = self._blocks.get((dialect, start))
        if block is None:
            block = self._blocks[(dialect, start)] = self._generate(start, dialect)
            if len(self._blocks) > 256:
                self._blocks.pop(next(iter(self._blocks)))
        return block[k - start]

    def recipe(self, dialect: str | None) -> Any:
        """The table's recipe, planned once per dialect as a seed of ``capacity`` rows (the factory's bulk
        threshold): every object of the factory draws from the same decisions."""
        if dialect not in self._recipes:
            from .generators.pools import DEFAULT_LOCALE
            from .recipe_planner import TableInputs, table_recipe

            self._recipes[dialect] = table_recipe(TableInputs(
                self.spec, self.capacity, 0, self.seed, self.locale or DEFAULT_LOCALE, dialect, self.overrides))
        return self._recipes[dialect]

    def _generate(self, start: int, dialect: str | None) -> list[dict[str, Any]]:
        from .run import column_values
        from .writers.executemany import python_values

        recipe = self.recipe(dialect)
        names = [c for c in recipe.output_columns if c not in recipe.wired]  # parents come from SubFactories
        batch = dict(zip(names, column_values(recipe, names, np.arange(start, start + _BLOCK))))
        columns = {}
        for name, values in batch.items():
            col = self.spec.column(name)
            columns[name] = [_model_value(col, v) for v in python_values(col, values)]
        return [{name: cells[i] for name, cells in columns.items()} for i in range(_BLOCK)]


def _model_value(col: Any, value: Any) -> Any:
    if value is None:
        return None
    if col.enum_class is not None and isinstance(value, str):
        if value in col.enum_class.__members__:
            return col.enum_class[value]
        return next((m for m in col.enum_class if m.value == value), value)
    if col.kind == "date" and hasattr(value, "date") and callable(value.date):
        return value.date()
    return value


class _Rows:
    """The next row number and the latest object made: per session and (model, seed), or per factory without one."""

    def __init__(self) -> None:
        self.next: int | None = None
        self.latest: Any = None


_ROWS: weakref.WeakKeyDictionary[Any, dict[tuple[Any, int], _Rows]] = weakref.WeakKeyDictionary()
"""Per live session (it goes with the session): the factories of a model and seed share its row numbers there."""


def _rows_state(cls: Any, session: Any) -> _Rows:
    """The rows of factory ``cls`` in ``session``; without a session, the factory's own (kept on the class)."""
    if session is None:
        state = cls.__dict__.get("_syda_rows")
        if state is None:
            state = _Rows()
            type.__setattr__(cls, "_syda_rows", state)
        return state
    return _ROWS.setdefault(session, {}).setdefault((cls._meta.model, cls._meta.syda_seed), _Rows())


# --- declarations -----------------------------------------------------------------------------------

class _NextRow(BaseDeclaration):
    """The row number of the object being made (a hidden parameter: ``syda_row``)."""

    def evaluate(self, instance: Any, step: Any, extra: Any) -> int:
        cls = step.builder.factory_meta.factory
        session = _session_of(cls)
        state = _rows_state(cls, _sync(session))
        if state.next is None:
            state.next = _table_rows(session, cls._meta.model) if step.builder.strategy == _enums.CREATE_STRATEGY \
                else 0
        k = state.next
        state.next += 1
        return k


class _Column(BaseDeclaration):
    """One column's value of row ``syda_row``."""

    def __init__(self, table: str, column: str) -> None:
        super().__init__()
        self.table, self.column = table, column

    def evaluate(self, instance: Any, step: Any, extra: Any) -> Any:
        cls = step.builder.factory_meta.factory
        k = getattr(instance, _ROW)
        return _source(cls, self.table).row(int(k), _dialect(_session_of(cls)))[self.column]


class _Parent(factory.SubFactory):
    """A SubFactory to a syda factory of ``model``, made on first use and bound like the child."""

    def __init__(self, model: type, **defaults: Any) -> None:
        super().__init__("sqlalchemy_syda.factories.SydaFactory", **defaults)
        self.model = model

    def evaluate(self, instance: Any, step: Any, extra: Any) -> Any:
        child = step.builder.factory_meta.factory
        return step.recurse(_parent_factory(child, self.model), extra, force_sequence=None)


class _SelfKey(BaseDeclaration):
    """A NOT NULL self-reference, as ``(is_root, key)``: the latest object of the model in the session,
    else the row itself (the first row points at itself: key and reference get the same explicit value)."""

    def __init__(self, ref_attr: str) -> None:
        super().__init__()
        self.ref_attr = ref_attr

    def evaluate(self, instance: Any, step: Any, extra: Any) -> tuple[bool, Any]:
        cls = step.builder.factory_meta.factory
        state = _rows_state(cls, _sync(_session_of(cls)))
        if state.latest is not None:
            return False, getattr(state.latest, self.ref_attr)
        return True, _root_key(cls)


def _root_key(cls: Any) -> Any:
    session = _session_of(cls)
    spec_table = sa.inspect(cls._meta.model).local_table
    pk = list(spec_table.primary_key.columns)
    if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
        raise SchemaError(f"{cls._meta.model.__name__}: a NOT NULL self-reference needs an integer key to point the "
                          "first row at itself; pass the foreign key explicitly.")
    if session is None or isinstance(session, AsyncSession):
        return 1
    if session.get_bind().dialect.name == "postgresql":  # take the id from the sequence, so it stays in step
        key = session.scalar(sa.text("SELECT nextval(pg_get_serial_sequence(:t, :c))"),
                             {"t": spec_table.fullname, "c": pk[0].name})
        if key is not None:
            return int(key)
    return int(session.scalar(sa.select(sa.func.coalesce(sa.func.max(pk[0]), 0))) or 0) + 1


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
            auto, hidden = _declarations(model)
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
        session = _session_of(cls)
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
        _rows_state(cls, session).latest = obj
        return obj

    @classmethod
    def create_batch(cls, size: int, **kwargs: Any) -> list[Any]:
        """``size`` objects written; from ``Meta.syda_bulk_threshold`` on through one bulk ``seed()``."""
        session = _session_of(cls)
        if size >= cls._meta.syda_bulk_threshold and isinstance(session, Session):
            overrides = _bulk_overrides(cls, kwargs)
            if overrides is not None:
                return _bulk_create(cls, session, size, overrides)
        return super().create_batch(size, **kwargs)

    @classmethod
    def reset_sequence(cls, value: int | None = None, force: bool = False) -> None:
        """factory_boy's sequence reset; also restarts syda's row numbers for the model (after the table's rows)."""
        super().reset_sequence(value, force)
        states = [state for rows in list(_ROWS.values()) for (model, _seed), state in rows.items()
                  if model is cls._meta.model]
        for state in states + [_rows_state(cls, None)]:
            state.next, state.latest = value, None


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
        with _bound(sync_session):
            return factory_cls.create_batch(size, **kwargs)

    return await session.run_sync(work)


@contextlib.contextmanager
def _bound(session: Session) -> Iterator[None]:
    token = _SESSION_OVERRIDE.set(session)
    try:
        yield
    finally:
        _SESSION_OVERRIDE.reset(token)


# --- helpers of the factory class ---------------------------------------------------------------------

def _declarations(model: type) -> tuple[dict[str, Any], dict[str, Any]]:
    """(declarations, hidden parameters) generated for ``model``."""
    mapper = sa.inspect(model)
    tables = [t for t in mapper.tables if isinstance(t, sa.Table)]
    polymorphic_on = mapper.polymorphic_on
    decls: dict[str, Any] = {}
    hidden: dict[str, Any] = {_ROW: _NextRow()}
    fk_handled: set[sa.Column] = set()
    local = mapper.local_table
    for table in tables:
        for fkc in table.foreign_key_constraints:
            cols = list(fkc.columns)
            referred = fkc.referred_table
            fk_handled.update(cols)
            if referred is not table and referred in tables:
                continue  # joined inheritance: the ORM sets the key from the base row
            if all(c.nullable for c in cols):
                continue
            if referred is table and table is local:
                _self_reference(mapper, fkc, decls, hidden)
                continue
            parent = _mapped_class(mapper, referred)
            if parent is None:
                raise SchemaError(f"{model.__name__}.{', '.join(c.name for c in cols)} needs a row of "
                                  f"{referred.name!r}, which no mapped class maps; pass the key explicitly.")
            _refuse_cycle(model, parent)
            rel = next((r for r in mapper.relationships if r.direction.name == "MANYTOONE"
                        and {c.name for c in r.local_columns} == {c.name for c in cols}), None)
            if rel is not None:
                decls[rel.key] = _Parent(parent)
            else:
                name = f"syda_parent_{'_'.join(c.name for c in cols)}"
                hidden[name] = _Parent(parent)
                for col, elem in zip(cols, fkc.elements):
                    key = mapper.get_property_by_column(col).key
                    ref_key = sa.inspect(parent).get_property_by_column(elem.column).key
                    decls[key] = factory.SelfAttribute(f"{name}.{ref_key}")
    for table in tables:
        for col in table.columns:
            if col in fk_handled or col is polymorphic_on or col.computed is not None:
                continue
            if col.primary_key and (col.autoincrement is True or (col.autoincrement == "auto" and
                                                                  col is table.autoincrement_column)):
                continue
            if col.server_default is not None or col.identity is not None:
                continue
            try:
                key = mapper.get_property_by_column(col).key
            except sa.orm.exc.UnmappedColumnError:
                continue
            decls.setdefault(key, _Column(table.fullname, col.name))
    return decls, hidden


def _self_reference(mapper: Any, fkc: sa.ForeignKeyConstraint, decls: dict[str, Any],
                    hidden: dict[str, Any]) -> None:
    if len(fkc.elements) != 1:
        raise SchemaError(f"{mapper.class_.__name__}: a NOT NULL composite self-reference is not generated; "
                          "pass its columns explicitly.")
    col, ref = fkc.elements[0].parent, fkc.elements[0].column
    ref_attr = mapper.get_property_by_column(ref).key
    name = f"syda_self_{col.name}"
    hidden[name] = _SelfKey(ref_attr)
    decls[mapper.get_property_by_column(col).key] = factory.LazyAttribute(lambda o: getattr(o, name)[1])
    if ref.primary_key:  # the root's own key; later rows leave it to the database
        decls[ref_attr] = factory.LazyAttribute(lambda o: getattr(o, name)[1] if getattr(o, name)[0] else None)


def _mapped_class(mapper: Any, table: sa.Table) -> type | None:
    for m in mapper.registry.mappers:
        if m.local_table is table and not m.inherits:
            return m.class_
    return None


def _refuse_cycle(model: type, parent: type) -> None:
    """A NOT NULL FK path from ``parent`` back to ``model`` would make SubFactories recurse forever."""
    seen, todo = set(), [sa.inspect(parent).local_table]
    target = sa.inspect(model).local_table
    while todo:
        table = todo.pop()
        if table in seen:
            continue
        seen.add(table)
        for fkc in table.foreign_key_constraints:
            if any(c.nullable for c in fkc.columns) or fkc.referred_table is table:
                continue
            if fkc.referred_table is target:
                raise PlanError(f"{model.__name__} and {parent.__name__} need each other through NOT NULL foreign "
                                "keys; factories cannot make either first. Make one key nullable, or pass a "
                                "parent object explicitly.")
            todo.append(fkc.referred_table)


def _source(cls: Any, table: str) -> _RowSource:
    sources = cls.__dict__.get("_syda_sources")
    if sources is None:
        sources = {}
        type.__setattr__(cls, "_syda_sources", sources)
    if table not in sources:
        mapper = sa.inspect(cls._meta.model)
        sa_table = next(t for t in mapper.tables if isinstance(t, sa.Table) and t.fullname == table)
        sources[table] = _RowSource(sa_table, mapper, cls._meta.syda_seed, cls._meta.syda_overrides,
                                    cls._meta.syda_locale, max(1, cls._meta.syda_bulk_threshold))
    return sources[table]


def _parent_factory(child: Any, model: type) -> Any:
    parents = child.__dict__.get("_syda_parents")
    if parents is None:
        parents = {}
        type.__setattr__(child, "_syda_parents", parents)
    if model not in parents:
        made = factory_for(model, seed=child._meta.syda_seed, locale=child._meta.syda_locale,
                           bulk_threshold=child._meta.syda_bulk_threshold,
                           persistence=child._meta.sqlalchemy_session_persistence)
        type.__setattr__(made, "_syda_follow", child)
        parents[model] = made
    return parents[model]


def _session_of(cls: Any) -> Any:
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


def _sync(session: Any) -> Any:
    return session.sync_session if isinstance(session, AsyncSession) else session


def _dialect(session: Any) -> str | None:
    if session is None:
        return None
    try:
        return _sync(session).get_bind().dialect.name
    except Exception:  # noqa: BLE001 - an unbound session: no dialect-specific rules
        return None


def _table_rows(session: Any, model: type) -> int:
    if session is None or isinstance(session, AsyncSession):
        return 0
    table = sa.inspect(model).local_table
    return int(session.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def _bulk_overrides(cls: Any, kwargs: Mapping[str, Any]) -> dict[str, Any] | None:
    """Column overrides for the bulk path, or None when something needs the object-by-object path."""
    meta = cls._meta
    if meta.sqlalchemy_get_or_create or list(meta.post_declarations) or set(meta.parameters) - cls._syda_auto:
        return None
    mapper = sa.inspect(meta.model)
    columns = {p.key: p.columns[0] for p in mapper.column_attrs}
    relationships = {r.key: r for r in mapper.relationships}
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
        elif name in relationships and relationships[name].direction.name == "MANYTOONE" and value is not None:
            state = sa.inspect(value, raiseerr=False)
            if state is None or state.key is None:
                return None  # a transient parent: it must be saved by the object path
            for local, remote in relationships[name].local_remote_pairs:
                out[local.name] = getattr(value, sa.inspect(type(value)).get_property_by_column(remote).key)
        else:
            return None
    return out


def _stored(column: sa.Column, value: Any) -> Any:
    """An Enum member as the database stores it (its name, or its value with values_callable)."""
    if isinstance(value, enum.Enum) and isinstance(column.type, sa.Enum):
        return value.name if value.name in column.type.enums else value.value
    return value


def _bulk_create(cls: Any, session: Session, size: int, overrides: Mapping[str, Any]) -> list[Any]:
    from .seed import seed

    model = cls._meta.model
    session.flush()
    kw = {"locale": cls._meta.syda_locale} if cls._meta.syda_locale else {}
    result = seed(session, {model: size}, seed=cls._meta.syda_seed, overrides={model: dict(overrides)},
                  return_keys=True, **kw)
    table = sa.inspect(model).local_table
    plan = result.plan.table(table.fullname)
    state = _rows_state(cls, session)
    state.next = max(state.next or 0, plan.existing + size)
    objects = _load(session, model, result.keys.get(table.fullname, []))
    if objects:
        state.latest = objects[-1]
    return objects


def _load(session: Session, model: type, keys: list[tuple]) -> list[Any]:
    mapper = sa.inspect(model)
    pk = list(mapper.primary_key)
    out: list[Any] = []
    for start in range(0, len(keys), 500):
        part = [tuple(k) for k in keys[start:start + 500]]
        cond = pk[0].in_([k[0] for k in part]) if len(pk) == 1 else sa.tuple_(*pk).in_(part)
        found = {tuple(mapper.primary_key_from_instance(o)): o for o in session.scalars(sa.select(model).where(cond))}
        out.extend(found[k] for k in part if k in found)
    return out
