"""The post-migration hook: after each upgrade step, seed what the schema at that revision needs.

One line in env.py (``syda alembic init`` writes an env.py that already has it)::

    import alembic_ext
    context.configure(connection=connection, target_metadata=target_metadata,
                      on_version_apply=alembic_ext.on_version_apply)

After every upgrade step, inside that step's transaction, and only when the environment switch is
on (:mod:`alembic_ext.switch`: dev/test, never production by default), it

1. backfills new NOT NULL columns on existing rows (:mod:`alembic_ext.backfill`);
2. tops up the tables the revision declares (``SEED = {"users": 100}``), the tables configured in
   ``[syda] tables`` (that exist at this revision), and the tables this step created
   (``[syda] new_tables`` rows each);
3. tops up association tables (a key made of two or more foreign keys) to ``[syda] association``
   links per row of their larger parent.

Everything works from the database as it is at that revision (reflected through the migration's
connection), never from today's models, so old revisions seed correctly. All counts are targets
(``existing="top-up"``): running the same upgrade again, or the hook twice, adds nothing.
Downgrades and ``alembic stamp`` are skipped. In offline mode (``--sql``) the declared counts are
rendered as INSERTs for the tables the run created; backfill and association top-ups need a
database and are skipped (with a comment in the SQL). An association table is one whose key is made
of two or more foreign keys::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> tags = sa.MetaData()
    >>> _ = sa.Table("posts", tags, sa.Column("id", sa.Integer, primary_key=True))
    >>> _ = sa.Table("tags", tags, sa.Column("id", sa.Integer, primary_key=True))
    >>> post_tags = sa.Table("post_tags", tags, sa.Column("post_id", sa.ForeignKey("posts.id"), primary_key=True),
    ...                      sa.Column("tag_id", sa.ForeignKey("tags.id"), primary_key=True))
    >>> is_association(table_spec(post_tags)), is_association(table_spec(tags.tables["posts"]))
    (True, False)

To configure in code instead of alembic.ini: ``on_version_apply=SeedHook(SeedSettings(tables={"users": 50}))``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from alembic.operations import ops

from .journal import journal_for
from .ops import SeedOp, SeedRowsOp
from .settings import SeedSettings, revision_declarations
from .switch import seeding_enabled

__all__ = ["SeedHook", "is_association", "on_version_apply"]

log = logging.getLogger("alembic.syda")


class SeedHook:
    """An ``on_version_apply`` callable; settings come from the Alembic config unless given here."""

    def __init__(self, settings: SeedSettings | None = None) -> None:
        self.settings = settings
        self._told: set[int] = set()

    def __call__(self, *, ctx: Any, step: Any, heads: Any = None, run_args: Any = None) -> None:
        step_ops = journal_for(ctx).take_step()
        if step.is_stamp or not step.is_upgrade:
            return
        switch = seeding_enabled(ctx)
        if not switch:
            if id(ctx) not in self._told:
                self._told.add(id(ctx))
                log.info("syda: post-migration seeding is off (%s)", switch.reason)
            return
        settings = self.settings or SeedSettings.load(ctx.config)
        revision = step.up_revision
        declared, options = revision_declarations(getattr(revision, "module", None))
        declared = {t: n for t, n in declared.items() if t not in settings.exclude}
        scripted = {_name(t) for o in step_ops if isinstance(o, SeedOp) for t in o.counts} | \
            {_name(o.table) for o in step_ops if isinstance(o, SeedRowsOp)}
        created = [o.table_name for o in step_ops if isinstance(o, ops.CreateTableOp)]
        added = [o for o in step_ops if isinstance(o, ops.AddColumnOp) and o.table_name not in created]
        unsized = [t for t in created if t not in scripted]  # new tables the script did not seed itself
        if ctx.as_sql:
            _offline_step(ctx, settings, declared, options, unsized, added)
            return
        _online_step(ctx.connection, settings, declared, options, unsized, added,
                     revision_id=step.up_revision_id, version_table=ctx.version_table)

    def __repr__(self) -> str:
        return f"SeedHook({self.settings!r})" if self.settings else "SeedHook()"


on_version_apply = SeedHook()
"""The hook with settings from alembic.ini / pyproject.toml: ``context.configure(..., on_version_apply=on_version_apply)``."""


def is_association(spec: Any) -> bool:
    """A link table: its key (primary key, or a composite UNIQUE without one) is two or more foreign keys."""
    fk_of = {c: fk for fk in spec.foreign_keys for c in fk.columns}
    keys = [spec.primary_key] if spec.primary_key else [u.columns for u in spec.uniques if len(u.columns) > 1]
    for key in keys:
        if key and all(c in fk_of for c in key) and len({fk_of[c].ref_table for c in key}) >= 2:
            return True
    return False


def _name(table: Any) -> str:
    return table if isinstance(table, str) else table.name


def _online_step(conn: sa.Connection, settings: SeedSettings, declared: Mapping[str, int],
                 options: Mapping[str, Any], created: list[str], added: list[Any], *, revision_id: str | None,
                 version_table: str) -> None:
    from sqlalchemy_syda import reflect_specs, seed
    from sqlalchemy_syda.exceptions import SchemaError

    from .backfill import backfill_column

    specs = {s.name: s for s in reflect_specs(conn) if s.name != version_table and s.name not in settings.exclude}
    missing = [t for t in declared if t not in specs]
    if missing:
        raise SchemaError(f"SEED of revision {revision_id} names {missing[0]!r}, which does not exist at that "
                          f"revision (tables: {', '.join(sorted(specs)) or 'none'}).")
    seed_value = options.get("seed", settings.seed)
    extra = {"locale": settings.locale} if settings.locale else {}
    if settings.backfill:
        for operation in added:
            spec = specs.get(operation.table_name)
            if spec is not None:
                done = backfill_column(conn, spec, operation.column, seed=seed_value, **extra)
                if done:
                    log.info("syda: backfilled %s.%s on %d existing rows", spec.name, operation.column.name, done)
    targets: dict[str, int] = {t: n for t, n in settings.tables.items() if t in specs}
    targets.update(declared)
    if settings.new_tables:
        for name in created:
            if name in specs and name not in targets and not is_association(specs[name]):
                targets[name] = settings.new_tables
    run = {**extra, **options, "seed": seed_value, "existing": "top-up"}
    if targets:
        result = seed(conn, {specs[t]: n for t, n in targets.items()}, **run)
        _report(revision_id, result.counts)
    if settings.association > 0:
        links = _association_targets(conn, specs, settings.association, skip=set(targets))
        if links:
            result = seed(conn, {specs[t]: n for t, n in links.items()}, **run)
            _report(revision_id, result.counts)


def _association_targets(conn: sa.Connection, specs: Mapping[str, Any], ratio: float, skip: set[str]
                         ) -> dict[str, int]:
    """Links per association table: ``ratio`` per row of the larger parent, at most every combination."""
    out = {}
    for name, spec in specs.items():
        if name in skip or not is_association(spec):
            continue
        key = spec.primary_key or next(u.columns for u in spec.uniques if len(u.columns) > 1)
        parents = {fk.ref_table for fk in spec.foreign_keys if set(fk.columns) <= set(key)}
        sizes = [_count(conn, specs, p) for p in parents]
        if not sizes or not all(sizes):
            continue
        out[name] = min(math.prod(sizes), math.ceil(ratio * max(sizes)))
    return out


def _count(conn: sa.Connection, specs: Mapping[str, Any], name: str) -> int:
    spec = specs.get(name)
    if spec is None:
        return 0
    return int(conn.execute(sa.select(sa.func.count()).select_from(spec.table)).scalar_one())


def _report(revision_id: str | None, counts: Mapping[str, int]) -> None:
    written = {t: n for t, n in counts.items() if n}
    if written:
        log.info("syda: seeded after %s: %s", revision_id,
                 ", ".join(f"{t} +{n}" for t, n in written.items()))


def _offline_step(ctx: Any, settings: SeedSettings, declared: Mapping[str, int], options: Mapping[str, Any],
                  created: list[str], added: list[Any]) -> None:
    from sqlalchemy_syda.introspect import table_spec

    from .offline import render_seed

    journal = journal_for(ctx)
    targets = {t: n for t, n in settings.tables.items() if journal.table(t) is not None}
    unknown = [t for t in declared if journal.table(t) is None]
    targets.update({t: n for t, n in declared.items() if t not in unknown})
    if settings.new_tables:
        for name in created:
            table = journal.table(name)
            if table is not None and name not in targets and not is_association(table_spec(table)):
                targets[name] = settings.new_tables
    targets = {t: n for t, n in targets.items() if t not in settings.exclude}
    for name in [t for t in targets if t not in declared]:  # automatic ones: skip what cannot be rendered
        missing = [fk.ref_table for fk in table_spec(journal.table(name)).foreign_keys if not fk.nullable
                   and fk.ref_table not in journal.generated and fk.ref_table not in targets and fk.ref_table != name]
        if missing:
            del targets[name]
            ctx.impl.static_output(f"-- syda: {name} not seeded: offline mode has no rows of {missing[0]} to "
                                   "point at (it was not seeded in this --sql run)")
    if unknown:
        ctx.impl.static_output(f"-- syda: SEED of {', '.join(unknown)} skipped: offline mode knows only the "
                               "tables created in this --sql run")
    extra = {"locale": settings.locale} if settings.locale else {}
    run = {**extra, **options, "seed": options.get("seed", settings.seed), "existing": "top-up"}
    if targets:
        render_seed(ctx, {journal.table(t): n for t, n in targets.items()}, run)
    if settings.association > 0:  # parents' sizes: the rows this run rendered
        links = {}
        for table in journal.metadata.tables.values():
            spec = table_spec(table)
            if table.name in targets or table.name in settings.exclude or not is_association(spec):
                continue
            key = set(spec.primary_key or next(u.columns for u in spec.uniques if len(u.columns) > 1))
            sizes = [journal.rendered.get(fk.ref_table, 0) for fk in spec.foreign_keys if set(fk.columns) <= key]
            if sizes and all(sizes):
                links[table] = min(math.prod(sizes), math.ceil(settings.association * max(sizes)))
        if links:
            render_seed(ctx, links, run)
    if added and settings.backfill:
        ctx.impl.static_output("-- syda: backfilling new NOT NULL columns needs a database; skipped offline")
