"""Offline (``alembic upgrade --sql``) seeding: synthetic rows rendered as INSERT statements.

There is no database to reflect in offline mode, so the columns come from the migration scripts
themselves: the tables that ``op.create_table`` declared earlier in the same ``--sql`` run (with the
``op.add_column`` / ``op.drop_column`` changes since, see :mod:`alembic_ext.journal`), a ``Table``
passed to ``op.seed`` (e.g. the one ``op.create_table`` returned), a typed ``sa.table(...)``, or
``columns=[sa.Column(...), ...]``. Rows come from the same recipes (:mod:`sqlalchemy_syda.recipe`) and row
engine as online seeding and are handed to Alembic's own ``bulk_insert`` with the typed table, which renders
(on PostgreSQL followed by ``SELECT setval(pg_get_serial_sequence('users', 'id'), ...)``)::

    >>> import io, os
    >>> from alembic.migration import MigrationContext
    >>> from alembic.operations import Operations
    >>> sql = io.StringIO()
    >>> op = Operations(MigrationContext.configure(dialect_name="sqlite", opts={"as_sql": True, "output_buffer": sql}))
    >>> users = op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
    ...                         sa.Column("name", sa.String(50), nullable=False), sa.Column("email", sa.String(120)))
    >>> saved, os.environ["SYDA_SEED"] = os.environ.get("SYDA_SEED"), "1"    # seeding is on (alembic_ext.switch)
    >>> op.seed("users", 3)
    {'users': 3}
    >>> _ = os.environ.pop("SYDA_SEED") if saved is None else os.environ.update(SYDA_SEED=saved)
    >>> print("\\n".join(line for line in sql.getvalue().splitlines() if line.startswith(("--", "INSERT"))))
    -- syda: 3 synthetic rows for users
    INSERT INTO users (id, name, email) VALUES (1, 'Harold Haley', 'harold.haley@aol.com');
    INSERT INTO users (id, name, email) VALUES (2, 'Tammie Savage', 'tammie_savage@proton.me');
    INSERT INTO users (id, name, email) VALUES (3, 'Arthur Bradshaw', 'arthur_bradshaw@gmail.com');

Limits, precisely:

- tables are taken to be empty when the run starts (nothing can be counted); row numbers, ids and
  unique values continue only after rows rendered earlier in the same run;
- a NOT NULL foreign key must point at a table seeded earlier in the same run (or in the same
  ``op.seed`` call); a nullable one to anything else is rendered NULL;
- foreign-key cycles (NULL first, UPDATE afterwards) are not rendered: seed them online;
- ``op.alter_column`` changes after ``op.create_table`` are not followed (types and nullability are
  the declared ones).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa

from .journal import journal_for

__all__ = ["declared_table", "render_seed", "render_seed_rows"]

_CHUNK = 10_000


class _Rendered:
    """Rows rendered so far for one table, as a key source for children's foreign keys."""

    def __init__(self) -> None:
        self.parts: list[Mapping[str, np.ndarray]] = []
        self._merged: dict[str, np.ndarray] | None = None

    @property
    def count(self) -> int:
        return sum(len(next(iter(p.values()))) for p in self.parts if p)

    def add(self, batch: Mapping[str, np.ndarray]) -> None:
        self.parts.append(dict(batch))
        self._merged = None

    def key_values(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray]:
        if self._merged is None:
            self._merged = {c: np.concatenate([p[c] for p in self.parts]) for c in self.parts[0]}
        return [self._merged[c][np.asarray(index)] for c in columns]


def declared_table(ctx: Any, ref: Any, *, schema: str | None = None,
                   columns: Sequence[sa.Column] | None = None) -> sa.Table:
    """The ``Table`` that offline mode generates rows for (see the module docstring for the sources)."""
    from sqlalchemy_syda.exceptions import SchemaError

    journal = journal_for(ctx)
    if columns is not None:
        name = ref if isinstance(ref, str) else ref.name
        return sa.Table(name, sa.MetaData(), *[c._copy() for c in columns], schema=schema)
    if isinstance(ref, sa.Table):  # the run's own version when it knows the table (later add_column)
        known = journal.table(ref.name, ref.schema)
        return ref if known is None else known
    if isinstance(ref, sa.TableClause):
        if any(isinstance(c.type, sa.types.NullType) for c in ref.columns):
            raise SchemaError(f"op.seed({ref.name!r}) offline: give every column of sa.table(...) a type, e.g. "
                              "sa.column('name', sa.String(50)).")
        return sa.Table(ref.name, sa.MetaData(), *[sa.Column(c.name, c.type) for c in ref.columns],
                        schema=ref.schema or schema)
    table = journal.table(ref, schema)
    if table is None:
        raise SchemaError(
            f"op.seed({ref!r}) in offline mode (--sql): there is no database to read the columns of {ref!r} "
            "from, and no op.create_table() earlier in this --sql run declared it. Seed the table in a "
            "revision of the same run that creates it, pass the Table that op.create_table() returned, or "
            "pass columns=[sa.Column(...), ...].")
    return table


def render_seed(ctx: Any, tables: Mapping[sa.Table, int | None], options: Mapping[str, Any]) -> dict[str, int]:
    """Render INSERTs for ``{Table: n}``; returns the rows rendered per table."""
    from sqlalchemy_syda.exceptions import PlanError, SchemaError
    from sqlalchemy_syda.introspect import table_spec
    from sqlalchemy_syda.planner import plan_seed

    journal = journal_for(ctx)
    specs = [table_spec(t) for t in tables]
    by_name = {s.fullname: t for s, t in zip(specs, tables)}
    existing = options.get("existing", "top-up")
    counts: dict[str, int | None] = {}
    for spec, n in zip(specs, tables.values()):
        done = journal.rendered.get(spec.fullname, 0)
        counts[spec.fullname] = n if n is None or existing != "top-up" else max(0, n - done)
    plan = plan_seed(specs, counts, dialect=ctx.dialect.name, seed=options.get("seed", 0))
    if plan.deferred_constraints or any(tp.deferred for tp in plan.tables):
        cycle = " -> ".join(plan.cycles[0]) if plan.cycles else "?"
        raise PlanError(f"op.seed offline (--sql) cannot render a foreign-key cycle ({cycle}): it needs NULL "
                        "first and an UPDATE after every insert. Seed these tables online.")
    overrides = _table_overrides(options.get("overrides"), specs)
    out: dict[str, int] = {}
    for tp in plan.tables:
        spec = tp.spec
        over = dict(overrides.get(spec.fullname, {}))
        for fk in spec.foreign_keys:
            if fk.ref_table in journal.generated or fk.ref_table == spec.fullname or fk.ref_table in by_name:
                continue
            if not fk.nullable:
                raise SchemaError(
                    f"op.seed({spec.name!r}) offline (--sql): {spec.name}.{', '.join(fk.columns)} must point at "
                    f"rows of {fk.ref_table!r}, which this --sql run has not seeded; seed {fk.ref_table!r} first "
                    "(in the same op.seed call or earlier in the run), or override the column.")
            for col in fk.columns:
                over.setdefault(col, None)
        out[spec.fullname] = _render(ctx, by_name[spec.fullname], spec, tp.count, options, over)
    return out


def render_seed_rows(ctx: Any, table: sa.Table, rows: Sequence[Mapping[str, Any]], options: Mapping[str, Any]
                     ) -> int:
    """Render INSERTs for given rows, generating the columns they leave out."""
    from sqlalchemy_syda.introspect import table_spec

    from .given_rows import GivenRows

    spec = table_spec(table)
    given = GivenRows(spec, rows)
    over = dict(_table_overrides(options.get("overrides"), [spec]).get(spec.fullname, {}))
    return _render(ctx, table, spec, len(given.rows), options, over, given)


def _render(ctx: Any, table: sa.Table, spec: Any, count: int, options: Mapping[str, Any],
            overrides: Mapping[str, Any], given: Any = None) -> int:
    from sqlalchemy_syda.generators.pools import DEFAULT_LOCALE
    from sqlalchemy_syda.recipe_planner import TableInputs, table_recipe
    from sqlalchemy_syda.run import recipe_batches
    from sqlalchemy_syda.writers.executemany import python_values

    journal = journal_for(ctx)
    if not count:
        return 0
    parents = {fk.ref_table: journal.generated[fk.ref_table] for fk in spec.foreign_keys
               if fk.ref_table != spec.fullname and fk.ref_table in journal.generated}
    recipe = table_recipe(TableInputs(
        spec, count, journal.rendered.get(spec.fullname, 0), options.get("seed", 0),
        options.get("locale") or DEFAULT_LOCALE, ctx.dialect.name, overrides,
        parent_rows={ref: source.count for ref, source in parents.items()}))
    rendered = journal.generated.setdefault(spec.fullname, _Rendered())
    ctx.impl.static_output(f"-- syda: {count} synthetic rows for {spec.fullname}")
    for start, batch in zip(range(0, count, _CHUNK), recipe_batches(recipe, parents, _CHUNK)):
        if given is not None:
            batch = given.apply(batch, start)
        keys = [spec.column(c).column_key for c in batch]
        cells = [python_values(spec.column(c), values) for c, values in batch.items()]
        ctx.impl.bulk_insert(table, [dict(zip(keys, row)) for row in zip(*cells)], multiinsert=False)
        rendered.add(batch)
    journal.rendered[spec.fullname] = journal.rendered.get(spec.fullname, 0) + count
    if ctx.dialect.name == "postgresql":
        _move_sequences(ctx, table, spec)
    return count


def _move_sequences(ctx: Any, table: sa.Table, spec: Any) -> None:
    """Explicit ids were written: move serial / identity sequences past them (as online seeding does)."""
    prep = ctx.dialect.identifier_preparer
    target = prep.format_table(table)
    for name in spec.primary_key:
        col = spec.column(name)
        if col.kind == "integer" and col.autoincrement:
            quoted = prep.quote(name)
            ctx.impl.static_output(
                f"SELECT setval(pg_get_serial_sequence('{target}', '{name}'), (SELECT max({quoted}) FROM {target}));")


def _table_overrides(overrides: Mapping | None, specs: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """``{"table": {"col": v}}`` / ``{"table.col": v}`` -> per table fullname (offline has no models)."""
    from sqlalchemy_syda.exceptions import SchemaError

    out: dict[str, dict[str, Any]] = {}
    for key, value in (overrides or {}).items():
        name = key.name if isinstance(key, sa.Table) else key
        if isinstance(value, Mapping) and not (isinstance(name, str) and "." in name):
            table, cols = name, dict(value)
        elif isinstance(name, str) and "." in name:
            table, col = name.rsplit(".", 1)
            cols = {col: value}
        else:
            raise SchemaError(f"overrides key {key!r}: use 'table.column' or {{'table': {{'column': value}}}}.")
        spec = next((s for s in specs if table in (s.name, s.fullname)), None)
        if spec is None:
            raise SchemaError(f"overrides name {table!r}, which is not among the seeded tables.")
        out.setdefault(spec.fullname, {}).update(cols)
    return out
