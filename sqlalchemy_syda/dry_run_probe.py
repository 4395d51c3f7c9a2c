"""What a dry run checks beyond planning: it generates the last new row of every table.

A plan alone can look fine for a seed that must fail: ten rows for a UNIQUE column with three possible
values, a ``top-up`` past what a UNIQUE column can still hold, a one-to-one child with more rows than its
parent. Generating one row per table (the last one, which needs the most distinct values; rows are a pure
function of their number) raises what the seed would raise, before anything is written. The probe costs a
few rows whatever the counts: a UNIQUE column whose free values cannot run out next to rows already there
keeps its first draw (the seed would move it if the table holds it), and a column computed from more than
:data:`~.engine.rows.PROBE_CHILDREN` children (an aggregate, a first-child flag) is left NULL with its CHECKs,
so the probed row is not always the row the seed writes, and the engines stay in probing mode (a seed builds
its own)::

    >>> import sqlalchemy as sa
    >>> roles = sa.Table("roles", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
    ...                  sa.Column("name", sa.Enum("admin", "staff", "guest"), unique=True))
    >>> from sqlalchemy_syda import generate
    >>> probe_last_rows(engines_for(generate(roles, 10, dry_run=True)))
    Traceback (most recent call last):
    ...
    sqlalchemy_syda.exceptions.ConstraintUnsatisfiableError: UNIQUE on 'roles.name' cannot hold 10 rows: ...
"""

from __future__ import annotations

from collections.abc import Mapping

from .engine.rows import RowEngine
from .run import engines_for

__all__ = ["engines_for", "probe_last_rows"]


def probe_last_rows(engines: Mapping[str, RowEngine]) -> None:
    """Generate the last new row of each table (raises what generating the whole table would raise).

    The engines are put in probing mode first (children read their parents' rows through them): the
    probe costs what a few rows cost, whatever the counts, also next to rows already in the tables."""
    for engine in engines.values():
        engine.probing = True
    for engine in engines.values():
        if engine.count:
            engine.batch(engine.count - 1, engine.count)
