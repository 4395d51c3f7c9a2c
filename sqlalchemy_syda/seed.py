"""``seed()``: fill a real database, in FK order, in one transaction, at bulk-load speed.

It runs the pipeline end to end: specs from the models, a :class:`~.plan.SeedPlan`, a
:class:`~.generate.TableGenerator` per table and a writer (COPY on PostgreSQL through psycopg 3,
executemany elsewhere), all on the caller's connection::

    >>> result = seed(engine, {Customer: 10_000, Order: 30_000}, seed=42)
    >>> result.counts
    {'customers': 10000, 'orders': 30000}
    >>> with Session(engine) as s, s.begin():
    ...     seed(s, [Customer, Order], rows=100)           # rolls back with the session

All or nothing: given an Engine it opens and commits its own transaction; given a Connection or
Session that is already in a transaction it works inside a SAVEPOINT, so a failure leaves the
database exactly as it was and the caller's transaction usable. Errors from the database come back
as :class:`~.exceptions.WriteError` naming the table, the constraint and a sample row.
"""

from __future__ import annotations

import contextlib
import math
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa

from .cardinality import Cardinality, parse_cardinality
from .constraints import unique_sets
from .exceptions import PlanError, SchemaError, SydaError, WriteError
from .generate import ArrayKeys, KeySource, TableGenerator
from .generators.numbers import Sequence as SequenceGen
from .generators.pools import DEFAULT_LOCALE
from .plan import SeedPlan, TablePlan, plan_seed
from .prefetch import prefetch
from .specs import ForeignKeySpec, TableSpec
from .writers.base import Writer, writer_for

__all__ = ["SeedResult", "seed"]

EXISTING_MODES = ("append", "reuse", "top-up")


@dataclass
class SeedResult:
    """What a seed did: rows per table, seconds per table, the plan, and (dry run) the SQL it would run."""

    counts: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    plan: SeedPlan | None = None
    dry_run: bool = False
    sql: list[str] = field(default_factory=list)
    keys: dict[str, list[tuple]] = field(default_factory=dict)
    """Primary keys of the written rows per table (only with ``return_keys=True``)."""

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def __repr__(self) -> str:
        what = "planned" if self.dry_run else f"in {self.seconds:.2f}s"
        return f"SeedResult({self.counts}, {what})"


# --- binding -------------------------------------------------------------------------------------

@contextlib.contextmanager
def _transaction(bind: Any) -> Iterator[sa.Connection]:
    """A connection inside an all-or-nothing scope (own transaction, or a savepoint in the caller's)."""
    from sqlalchemy.orm import Session

    if isinstance(bind, Session):
        bind.flush()
        conn = _connect(bind.connection, bind.get_bind)
        _begin_sqlite(conn)
        with _all_or_nothing(conn.begin_nested()):
            yield conn
        return
    if isinstance(bind, sa.Engine):
        conn = _connect(bind.connect, lambda: bind)
        with conn, _all_or_nothing(conn.begin()):
            yield conn
        return
    if isinstance(bind, sa.Connection):
        if bind.in_transaction():
            _begin_sqlite(bind)
            trans = bind.begin_nested()
        else:
            trans = bind.begin()
        with _all_or_nothing(trans):
            yield bind
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
def _all_or_nothing(trans: sa.Transaction) -> Iterator[None]:
    """Commit ``trans`` (a transaction or a savepoint) on success, roll it back on any failure.

    When the connection itself is gone (a killed backend, a network failure) the rollback fails too;
    that must not replace the error that caused it (the server discards the transaction by itself).
    """
    try:
        yield
    except BaseException as exc:
        try:
            trans.rollback()
        except sa.exc.SQLAlchemyError as rollback_exc:
            exc.add_note(f"(rolling back failed as well: {str(rollback_exc).splitlines()[0]})")
        raise
    try:
        trans.commit()
    except sa.exc.DBAPIError as exc:
        raise WriteError(f"Committing the seed failed: {str(exc.orig).strip()}. Nothing was written.") from exc


def _begin_sqlite(conn: sa.Connection) -> None:
    """Open the caller's SQLite transaction for real before a SAVEPOINT goes inside it.

    pysqlite (and aiosqlite) begin a transaction lazily, at the first INSERT; a SAVEPOINT issued before
    that is the outermost one, and its RELEASE commits, so the caller's rollback would not undo the seed.
    """
    if conn.dialect.name != "sqlite":
        return
    raw = conn.connection.driver_connection
    if getattr(raw, "in_transaction", True) is False:
        conn.exec_driver_sql("BEGIN")


# --- inputs ----------------------------------------------------------------------------------------

def _table_key(key: Any) -> Any:
    """A mapped class, Table, TableSpec or table name -> something _match can compare."""
    return key


def _specs_and_counts(models: Any, rows: int | None, conn: sa.Connection) -> tuple[list[TableSpec], dict]:
    from .introspect import reflect_specs, table_spec

    if models is None:
        raise SchemaError("seed() needs models: {Model: n, ...} or [Model, ...] with rows=n.")
    items = list(models.items()) if isinstance(models, Mapping) else [(m, rows) for m in _as_list(models)]
    specs: list[TableSpec] = []
    counts: dict[str, int | None] = {}
    names = [k for k, _ in items if isinstance(k, str)]
    reflected = {s.fullname: s for s in reflect_specs(conn, only=names)} if names else {}
    for key, count in items:
        if isinstance(key, TableSpec):
            spec = key
        elif isinstance(key, str):
            spec = reflected.get(key) or next((s for s in reflected.values() if s.name == key), None)
            if spec is None:
                raise SchemaError(f"Table {key!r} does not exist in the database; create it first (e.g. "
                                  "metadata.create_all or alembic upgrade).")
        else:
            spec = table_spec(key)
            if not conn.dialect.has_table(conn, spec.name, schema=spec.schema):
                of = f" (of {spec.display_name})" if spec.display_name != spec.name else ""
                raise SchemaError(f"Table {spec.fullname!r}{of} does not exist in the database; create it first "
                                  "(e.g. metadata.create_all or alembic upgrade).")
        if spec.fullname in counts:
            raise SchemaError(f"{spec.display_name!r} is listed twice.")
        if count is not None and (not isinstance(count, (int, np.integer)) or isinstance(count, bool) or count < 0):
            raise PlanError(f"Row count for {spec.display_name!r} must be a non-negative integer; got {count!r}.")
        specs.append(spec)
        counts[spec.fullname] = None if count is None else int(count)
    return specs, counts


def _as_list(models: Any) -> list:
    if isinstance(models, (list, tuple, set)):
        return list(models)
    return [models]


def _column_target(key: Any, specs: list[TableSpec]) -> tuple[TableSpec, str | None]:
    """``Model.attr``, a Column, ``"table.column"`` or ``("table", "column")`` -> (spec, column name)."""
    table = column = None
    if isinstance(key, str) and "." in key:
        table, column = key.rsplit(".", 1)
    elif isinstance(key, tuple) and len(key) == 2:
        table, column = key
    elif isinstance(key, sa.Column):
        table, column = key.table.fullname, key.name
    elif hasattr(key, "property") and hasattr(key, "class_"):  # InstrumentedAttribute
        from sqlalchemy.orm import RelationshipProperty

        prop = key.property
        if isinstance(prop, RelationshipProperty):
            for local, remote in prop.local_remote_pairs:
                if prop.direction.name == "ONETOMANY":
                    return _find(remote.table.fullname, specs), remote.name
                return _find(local.table.fullname, specs), local.name
        col = prop.columns[0]
        table, column = col.table.fullname, col.name
    if table is None:
        raise SchemaError(f"Cannot tell which column {key!r} means; use Model.column, a Column or 'table.column'.")
    spec = _find(table, specs)
    if not spec.has_column(column):
        raise SchemaError(f"{spec.display_name!r} has no column {column!r}.")
    return spec, spec.column(column).name


def _find(name: Any, specs: list[TableSpec]) -> TableSpec:
    for s in specs:
        if name in (s.fullname, s.name, s.model_name) or name is s.model or name is s.table:
            return s
    raise SchemaError(f"{name!r} is not among the seeded tables ({', '.join(s.display_name for s in specs)}).")


def _cardinalities(cardinality: Mapping | None, specs: list[TableSpec]) -> dict:
    out: dict[tuple[str, tuple[str, ...]], Cardinality] = {}
    for key, value in (cardinality or {}).items():
        spec, column = _column_target(key, specs)
        fk = next((f for f in spec.foreign_keys if column in f.columns), None)
        if fk is None:
            raise SchemaError(f"cardinality key {key!r}: {spec.fullname}.{column} is not a foreign key.")
        out[(spec.fullname, fk.columns)] = parse_cardinality(value)
    return out


def _overrides(overrides: Mapping | None, specs: list[TableSpec]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, value in (overrides or {}).items():
        if isinstance(value, Mapping) and not (isinstance(key, str) and "." in key):
            spec = _find(key, specs)
            out.setdefault(spec.fullname, {}).update(value)
        else:
            spec, column = _column_target(key, specs)
            out.setdefault(spec.fullname, {})[column] = value
    return out


# --- the database side --------------------------------------------------------------------------------

def _existing_facts(conn: sa.Connection, spec: TableSpec) -> tuple[int, dict[str, int]]:
    table = _sa_table(spec)
    count = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    starts = {}
    fk_columns = {c for fk in spec.foreign_keys for c in fk.columns}
    if count and len(spec.primary_key) == 1 and spec.column(spec.primary_key[0]).kind == "integer" \
            and spec.primary_key[0] not in fk_columns:  # a key that is also an FK takes its parent's values
        pk = spec.primary_key[0]
        starts[pk] = int(conn.execute(sa.select(sa.func.max(table.c[pk]))).scalar_one() or 0) + 1
    return int(count), starts


def _sa_table(spec: TableSpec) -> sa.Table:
    if spec.table is not None:
        return spec.table
    md = sa.MetaData()
    return sa.Table(spec.name, md, *[sa.Column(c.name) for c in spec.columns], schema=spec.schema)


def _existing_keys(conn: sa.Connection, spec: TableSpec, columns: tuple[str, ...]) -> ArrayKeys:
    table = _sa_table(spec)
    rows = conn.execute(sa.select(*[table.c[c] for c in columns])).all()
    arrays = {c: np.array([r[i] for r in rows], dtype=object) for i, c in enumerate(columns)}
    for c in columns:
        if spec.column(c).kind == "integer":
            arrays[c] = arrays[c].astype(np.int64)
    return ArrayKeys(arrays)


class _CombinedKeys:
    """Existing rows first, then the new rows of this seed."""

    def __init__(self, old: ArrayKeys, new: TableGenerator) -> None:
        self.old, self.new = old, new

    @property
    def count(self) -> int:
        return self.old.count + self.new.count

    def key_values(self, columns, index):
        index = np.asarray(index)
        is_old = index < self.old.count
        if is_old.all():
            return self.old.key_values(columns, index)
        new = self.new.key_values(columns, np.where(is_old, 0, index - self.old.count))
        if not is_old.any():
            return new
        old = self.old.key_values(columns, np.where(is_old, index, 0))
        return [np.where(is_old, o, n) for o, n in zip(old, new)]


def _write_error(exc: Exception, spec: TableSpec, batch: Mapping[str, np.ndarray] | None) -> WriteError:
    orig = getattr(exc, "orig", exc)
    constraint = getattr(getattr(orig, "diag", None), "constraint_name", None) or _constraint_in(str(orig))
    sample = {}
    if batch:
        sample = {k: (v[0].item() if hasattr(v[0], "item") else v[0]) for k, v in batch.items() if len(v)}
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    where = f" (constraint {constraint})" if constraint else ""
    return WriteError(f"Writing {spec.fullname!r} failed{where}: {text}. Nothing was written (the seed rolled "
                      f"back). First row of the failing batch: {sample}")


_CONSTRAINT_PATTERNS = (
    re.compile(r"(?:UNIQUE|CHECK|NOT NULL) constraint failed: ([\w.]+)"),     # SQLite
    re.compile(r"CONSTRAINT [`\"]?([\w$]+)[`\"]? FOREIGN KEY"),                # MariaDB / MySQL FK
    re.compile(r"for key '([^']+)'"),                                         # MariaDB / MySQL duplicate key
    re.compile(r"CONSTRAINT [`\"]?([\w$]+)[`\"]? failed"),                   # MariaDB CHECK
    re.compile(r"(FOREIGN KEY) constraint failed"),                          # SQLite FK (unnamed)
)


def _constraint_in(message: str) -> str | None:
    """The constraint a driver's error message names (SQLite and MariaDB have no structured field)."""
    for pattern in _CONSTRAINT_PATTERNS:
        m = pattern.search(message)
        if m:
            return m.group(1)
    return None


def _is_database_error(conn: sa.Connection, exc: Exception) -> bool:
    """Raised by the database or its driver (not by generation or a user callback)."""
    dbapi_error = getattr(conn.dialect.loaded_dbapi, "Error", None)
    return isinstance(exc, sa.exc.DBAPIError) or (dbapi_error is not None and isinstance(exc, dbapi_error))


def _deferred_update(conn: sa.Connection, spec: TableSpec, fk: ForeignKeySpec, keys: list[np.ndarray],
                     values: list[np.ndarray]) -> None:
    from .writers.executemany import python_values

    table = _sa_table(spec)
    pk = spec.primary_key
    if not pk:
        raise PlanError(f"{spec.fullname!r} closes an FK cycle but has no primary key to UPDATE it by.")
    stmt = table.update().where(*[table.c[c] == sa.bindparam(f"k_{c}") for c in pk]).values(
        {c: sa.bindparam(f"v_{c}") for c in fk.columns})
    key_lists = [python_values(spec.column(c), k) for c, k in zip(pk, keys)]
    val_lists = [python_values(spec.column(c), v) for c, v in zip(fk.columns, values)]
    params = [{**{f"k_{c}": kv[i] for c, kv in zip(pk, key_lists)},
               **{f"v_{c}": vv[i] for c, vv in zip(fk.columns, val_lists)}} for i in range(len(keys[0]))]
    for start in range(0, len(params), 10_000):
        conn.execute(stmt, params[start:start + 10_000])


def _pg_constraint_name(conn: sa.Connection, spec: TableSpec, fk: ForeignKeySpec) -> str:
    if fk.name:
        return fk.name
    row = conn.execute(sa.text(
        "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = CAST(:t AS regclass) "
        "AND confrelid = CAST(:r AS regclass)"), {"t": spec.fullname, "r": fk.ref_table}).first()
    if row is None:
        raise PlanError(f"Cannot find the foreign key {spec.fullname}.{fk.columns} in the database.")
    return row[0]


# --- the function ----------------------------------------------------------------------------------

def seed(bind: Any, models: Any = None, *, rows: int | None = None, seed: int | None = 0,
         overrides: Mapping | None = None, cardinality: Mapping | None = None, existing: str = "append",
         dry_run: bool = False, chunk_size: int = 20_000, locale: str = DEFAULT_LOCALE,
         alter_constraints: bool = False, workers: int = 1, writer: Writer | None = None,
         add_parents: bool = True, progress: Callable[[str, int, int], None] | None = None,
         return_keys: bool = False, llm: Any = None) -> SeedResult:
    """Generate rows for ``models`` and write them through ``bind``.

    :param bind: an Engine, Connection or Session (sync; for async use ``AsyncSeedSession`` or
        ``await session.run_sync(lambda s: seed(s, ...))``).
    :param models: ``{Model | Table | "table": n}``, or a list of them with ``rows=n``.
    :param seed: same seed, same data.
    :param overrides: ``{Model: {"col": value}}``, ``{Model.col: value}`` or ``{"table.col": value}``; a value
        is a generator name, a Generator, a constant or a callable.
    :param cardinality: children per parent, keyed by FK column or relationship:
        ``{Order.customer_id: 3, "order_items.order_id": (1, 5), Comment.post_id: zipf(1.1)}``.
    :param existing: ``"append"`` (default: continue ids and row numbers after existing rows; parents that are not
        seeded are sampled from the database), ``"reuse"`` (children also point at existing parent rows) or
        ``"top-up"`` (write only what is missing to reach n rows; like ``"reuse"``, new children also point at
        the parent rows already there).
    :param dry_run: plan only; the result holds the plan and a SQL preview, nothing is written.
    :param alter_constraints: PostgreSQL only: make NOT NULL cycle constraints deferrable for the seed.
    :param workers: processes generating in parallel (writing stays in the caller's transaction).
    :param progress: called as ``progress(table, rows_written_so_far, rows_total)`` after each batch.
    :param return_keys: collect the primary keys of the written rows in ``result.keys``.
    :param llm: the optional LLM (an :class:`~.llm.LLM`, an ``LLMConfig``, ``"env"``, ...): it writes the
        text-like columns, which enter as overrides (user overrides win); keys and FKs stay the engine's.
    """
    if existing not in EXISTING_MODES:
        raise SchemaError(f"existing={existing!r}; choose one of {', '.join(EXISTING_MODES)}.")
    if not isinstance(workers, int) or workers < 1:
        raise PlanError(f"workers must be a positive integer; got {workers!r}.")
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise PlanError(f"chunk_size must be a positive integer; got {chunk_size!r}.")
    started = time.perf_counter()
    with _transaction(bind) as conn:
        specs, counts = _specs_and_counts(models, rows, conn)
        card = _cardinalities(cardinality, specs)
        over = _overrides(overrides, specs)
        dialect = conn.dialect.name
        specs, counts, added = _add_missing_parents(conn, specs, counts, add_parents)
        over = _with_discriminators(over, specs)
        existing_rows: dict[str, int] = {}
        key_starts: dict[str, dict[str, int]] = {}
        for spec in specs:
            n_old, starts = _existing_facts(conn, spec)
            existing_rows[spec.fullname] = n_old
            key_starts[spec.fullname] = starts
            if existing == "top-up" and counts.get(spec.fullname) is not None:
                counts[spec.fullname] = max(0, counts[spec.fullname] - n_old)
        plan = plan_seed(specs, counts, dialect=dialect, cardinality=card, existing=existing_rows,
                         key_starts=key_starts, alter_constraints=alter_constraints, seed=seed, added=added)
        if dry_run:
            return SeedResult(plan.counts, plan=plan, dry_run=True, sql=_preview(conn, plan),
                              seconds=time.perf_counter() - started)
        if llm is not None:
            over = _with_llm(llm, plan, over, seed=seed, locale=locale)
        keys: dict[str, list[tuple]] = {} if return_keys else None  # type: ignore[assignment]
        timings = _execute(conn, plan, seed=seed, overrides=over, existing=existing, chunk_size=chunk_size,
                           locale=locale, workers=workers, writer=writer, progress=progress, keys=keys)
    return SeedResult(plan.counts, timings, time.perf_counter() - started, plan, keys=keys or {})


def _with_llm(llm: Any, plan: SeedPlan, over: dict[str, dict[str, Any]], *, seed, locale) -> dict[str, dict[str, Any]]:
    """The LLM's values as per-column overrides (user overrides win; new rows continue after existing ones)."""
    from .llm.source import resolve_llm

    source = resolve_llm(llm)
    if source is None:
        return over
    return source.overrides([(tp.spec, tp.count, over.get(tp.spec.fullname, {})) for tp in plan.tables],
                            seed=seed, locale=locale, offsets={tp.spec.fullname: tp.existing for tp in plan.tables})


def _add_missing_parents(conn, specs: list[TableSpec], counts: dict, add: bool):
    """Parents of NOT NULL foreign keys that are neither seeded nor have rows are seeded too."""
    from .introspect import table_spec

    added: dict[str, str] = {}
    names = {s.fullname for s in specs}
    todo = list(specs)
    while todo:
        spec = todo.pop()
        for fk in spec.foreign_keys:
            if fk.ref_table in names or fk.nullable or fk.ref_table == spec.fullname:
                continue
            parent_table = _referred_table(spec, fk)
            if parent_table is None:
                continue
            has_rows = conn.execute(sa.select(sa.literal(1)).select_from(parent_table).limit(1)).first()
            if has_rows or not add:
                continue
            parent = table_spec(parent_table)
            child_count = counts.get(spec.fullname) or 10
            one_to_one = any(set(u) == set(fk.columns) for u in unique_sets(spec))
            # a one-to-one child (joined inheritance, a unique FK) needs a parent row per row
            counts[parent.fullname] = max(1, child_count if one_to_one else math.ceil(child_count / 3))
            added[parent.fullname] = f"{spec.fullname}.{', '.join(fk.columns)} needs parent rows"
            names.add(parent.fullname)
            specs.append(parent)
            todo.append(parent)
    return specs, counts, added


def _with_discriminators(over: dict[str, dict[str, Any]], specs: list[TableSpec]) -> dict[str, dict[str, Any]]:
    """Mapped inheritance: the discriminator column holds the seeded class's polymorphic identity.

    Seeding ``Engineer(Person)`` writes ``people.kind = 'engineer'`` (also when ``people`` was added as a
    parent), so the rows load as the class that was seeded; the most derived seeded class wins, and an
    explicit override always does.
    """
    names = {s.fullname for s in specs}
    chosen: dict[str, tuple[int, str, Any]] = {}
    for spec in specs:
        mapper = getattr(spec.model, "__mapper__", None)
        if mapper is None or mapper.polymorphic_identity is None:
            continue
        depth = len(list(mapper.iterate_to_root()))
        column = mapper.polymorphic_on
        table = getattr(column, "table", None)
        fullname = getattr(table, "fullname", None)
        if fullname not in names or not isinstance(column, sa.Column):
            continue
        if fullname not in chosen or chosen[fullname][0] < depth:
            chosen[fullname] = (depth, column.name, mapper.polymorphic_identity)
    if not chosen:
        return over
    out = {name: dict(cols) for name, cols in over.items()}
    for fullname, (_, column, identity) in chosen.items():
        out.setdefault(fullname, {}).setdefault(column, identity)
    return out


def _referred_table(spec: TableSpec, fk: ForeignKeySpec) -> sa.Table | None:
    if spec.table is None:
        return None
    for c in spec.table.foreign_key_constraints:
        if tuple(col.name for col in c.columns) == fk.columns:
            return c.referred_table
    return None


def _generators(plan: SeedPlan, conn, *, seed, overrides, existing, locale) -> dict[str, TableGenerator]:
    registry: dict[str, KeySource] = {}
    gens: dict[str, TableGenerator] = {}
    for tp in plan.tables:
        spec = tp.spec
        over = dict(overrides.get(spec.fullname, {}))
        for col, start in tp.key_starts.items():
            over.setdefault(col, SequenceGen(start - tp.existing))
        gens[spec.fullname] = TableGenerator(spec, tp.count, seed=seed, locale=locale, overrides=over,
                                             parents=registry, dialect=conn.dialect.name, row_offset=tp.existing,
                                             cardinality=tp.cardinality, avoid=_taken_values(conn, tp))
    seeded = set(gens)
    for tp in plan.tables:
        for fk in tp.spec.foreign_keys:
            ref = fk.ref_table
            if ref in registry or ref == tp.spec.fullname:
                continue
            if ref in seeded:
                parent_plan = plan.table(ref)
                # top-up: a parent that is already full (0 new rows) must still serve its children
                if existing in ("reuse", "top-up") and parent_plan.existing:
                    registry[ref] = _CombinedKeys(_existing_keys(conn, parent_plan.spec, fk.ref_columns), gens[ref])
                else:
                    registry[ref] = gens[ref]
            else:
                parent = _referred_table(tp.spec, fk)
                if parent is None:
                    continue
                from .introspect import table_spec

                registry[ref] = _existing_keys(conn, table_spec(parent), fk.ref_columns)
    return gens


def _taken_values(conn, tp: TablePlan) -> dict[str, set]:
    """Values (tuples for composite keys) already in the table's UNIQUE columns: new rows must not repeat them."""
    if not tp.existing or not tp.count:
        return {}
    from .constraints import unique_sets

    fk_cols = {c for fk in tp.spec.foreign_keys for c in fk.columns}
    table = _sa_table(tp.spec)
    taken = {}
    for cols in unique_sets(tp.spec):
        name = cols[0]
        if len(cols) > 1:  # composite (an association table's key): the tuples already there
            rows = conn.execute(sa.select(*[table.c[c] for c in cols])).all()
            taken[tuple(cols)] = {tuple(r) for r in rows if None not in r}
            continue
        if name in fk_cols or name in tp.key_starts:
            continue
        values = conn.execute(sa.select(table.c[name]).where(table.c[name].is_not(None))).scalars().all()
        kind = tp.spec.column(name).kind
        taken[name] = {str(v) if kind == "uuid" else v for v in values}
    return taken


def _execute(conn, plan: SeedPlan, *, seed, overrides, existing, chunk_size, locale, workers,
             writer: Writer | None, progress=None, keys: dict | None = None) -> dict[str, float]:
    writer = writer or writer_for(conn)
    gens = _generators(plan, conn, seed=seed, overrides=overrides, existing=existing, locale=locale)
    timings: dict[str, float] = {}
    names = []
    for table, fk in plan.altered_constraints:
        name = _pg_constraint_name(conn, plan.table(table).spec, fk)
        conn.exec_driver_sql(f'ALTER TABLE {_quoted(conn, plan.table(table).spec)} ALTER CONSTRAINT "{name}" '
                             "DEFERRABLE INITIALLY DEFERRED")
    for table, fk in plan.deferred_constraints:
        names.append(_pg_constraint_name(conn, plan.table(table).spec, fk))
    if names:
        conn.exec_driver_sql("SET CONSTRAINTS " + ", ".join(f'"{n}"' for n in names) + " DEFERRED")
    pending: list[tuple[TablePlan, ForeignKeySpec, list, list]] = []
    for tp in plan.tables:
        t0 = time.perf_counter()
        gen = gens[tp.spec.fullname]
        held: dict[ForeignKeySpec, tuple[list, list]] = {fk: ([], []) for fk in tp.deferred}
        source = _batches(gen, chunk_size, workers)
        if workers == 1:  # worker processes already run ahead; a thread on top would only fork from it
            source = prefetch(source)
        batches = _observe(_hold_deferred(source, tp, held), tp, progress, keys)
        try:
            writer.write(conn, tp.spec, batches)
        except SydaError:
            raise
        except Exception as exc:  # the driver's own error: name table, constraint, row
            if not _is_database_error(conn, exc):
                raise  # e.g. a user's override or progress callback: their own exception, rolled back
            raise _write_error(exc, tp.spec, writer.last_batch) from exc
        for fk, (held_keys, held_vals) in held.items():  # not `keys`: that is the return_keys collector
            if held_keys:
                pending.append((tp, fk, [np.concatenate(k) for k in zip(*held_keys)],
                                [np.concatenate(v) for v in zip(*held_vals)]))
        timings[tp.spec.fullname] = time.perf_counter() - t0
    for tp, fk, held_keys, held_vals in pending:
        try:
            _deferred_update(conn, tp.spec, fk, held_keys, held_vals)
        except Exception as exc:
            raise _write_error(exc, tp.spec, None) from exc
    if conn.dialect.name == "postgresql":
        try:
            if names:
                conn.exec_driver_sql("SET CONSTRAINTS " + ", ".join(f'"{n}"' for n in names) + " IMMEDIATE")
        except Exception as exc:
            raise _write_error(exc, plan.table(plan.deferred_constraints[0][0]).spec, None) from exc
        for table, fk in plan.altered_constraints:
            name = _pg_constraint_name(conn, plan.table(table).spec, fk)
            conn.exec_driver_sql(f'ALTER TABLE {_quoted(conn, plan.table(table).spec)} ALTER CONSTRAINT "{name}" '
                                 "NOT DEFERRABLE")
    _reset_sequences(conn, plan)
    return timings


def _observe(batches, tp: TablePlan, progress, keys: dict | None):
    """Report progress and collect primary keys as batches go by."""
    done = 0
    for batch in batches:
        if keys is not None and tp.spec.primary_key:
            from .writers.executemany import python_values

            cols = [python_values(tp.spec.column(c), batch[c]) for c in tp.spec.primary_key]
            keys.setdefault(tp.spec.fullname, []).extend(zip(*cols))
        yield batch
        done += len(next(iter(batch.values()))) if batch else 0
        if progress is not None:
            progress(tp.spec.fullname, done, tp.count)


def _hold_deferred(batches, tp: TablePlan, held: dict):
    """Keep the values of cycle-closing FKs aside and write NULL in their place."""
    for batch in batches:
        for fk, (keys, vals) in held.items():
            keys.append([batch[c] for c in tp.spec.primary_key])
            vals.append([batch[c].copy() for c in fk.columns])
            for c in fk.columns:
                col = np.empty(len(batch[c]), dtype=object)
                batch[c] = col
        yield batch


def _quoted(conn, spec: TableSpec) -> str:
    from .writers.postgresql_copy import quote_table

    return quote_table(conn, spec)


def _batches(gen: TableGenerator, chunk_size: int, workers: int):
    if workers > 1 and gen.count > chunk_size and not gen.partials:  # partial uniques need row order
        from .parallel import parallel_batches

        yield from parallel_batches(gen, chunk_size, workers)
        return
    for start in range(0, gen.count, chunk_size):
        yield gen.batch(start, min(gen.count, start + chunk_size))


def _reset_sequences(conn, plan: SeedPlan) -> None:
    """Move sequences past the ids written explicitly, so the application's next INSERT gets a free id.

    PostgreSQL: serial / identity columns (``pg_get_serial_sequence``) and explicit ``Sequence(...)``
    defaults; MariaDB: explicit sequences (AUTO_INCREMENT moves by itself); SQLite has none.
    """
    dialect = conn.dialect.name
    if dialect not in ("postgresql", "mysql", "mariadb"):
        return
    for tp in plan.tables:
        if not tp.count:
            continue
        for name in tp.spec.primary_key:
            col = tp.spec.column(name)
            if col.kind != "integer":
                continue
            table = _quoted(conn, tp.spec)
            seq = _explicit_sequence(conn, tp.spec, name)
            if seq is None and dialect == "postgresql" and col.autoincrement:
                seq = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                   {"t": table, "c": name}).scalar()
            if not seq:
                continue
            top = conn.execute(sa.text(f"SELECT max({conn.dialect.identifier_preparer.quote(name)}) "
                                       f"FROM {table}")).scalar()
            if top is None:
                continue
            if dialect == "postgresql":
                conn.execute(sa.text("SELECT setval(:s, :v)"), {"s": seq, "v": int(top)})
            else:
                conn.exec_driver_sql(f"SELECT SETVAL({seq}, {int(top)})")


def _explicit_sequence(conn, spec: TableSpec, column: str) -> str | None:
    """The quoted name of a ``Sequence`` the model declares as the column's default, if any."""
    if spec.table is None or column not in spec.table.c:
        return None
    default = spec.table.c[column].default
    if not isinstance(default, sa.Sequence):
        return None
    prep = conn.dialect.identifier_preparer
    name = prep.quote(default.name)
    schema = default.schema or spec.schema
    return f"{prep.quote_schema(schema)}.{name}" if schema else name


def _preview(conn, plan: SeedPlan) -> list[str]:
    out = []
    copy = conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"
    prep = conn.dialect.identifier_preparer
    for tp in plan.tables:
        cols = [c.name for c in tp.spec.columns if not c.filled_by_database]
        target = _quoted(conn, tp.spec)
        col_list = ", ".join(prep.quote(c) for c in cols)
        if copy:
            out.append(f"COPY {target} ({col_list}) FROM STDIN;  -- {tp.count} rows")
        else:
            out.append(f"INSERT INTO {target} ({col_list}) VALUES (...);  -- executemany, {tp.count} rows")
        for fk in tp.deferred:
            out.append(f"UPDATE {target} SET {', '.join(fk.columns)} = ... WHERE <primary key> = ...;  "
                       "-- closes an FK cycle")
    return out
