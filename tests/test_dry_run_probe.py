"""A dry run checks what the seed would refuse at the cost of a few rows, whatever the counts (issue #12).

Its probe generates the last new row of every table. Next to rows already in a table, the exact assignment of
new UNIQUE values to the rows whose value is taken scans every new row; the probe skips that scan only where the
free values cannot run out, and a parent's aggregate over more than a million children is left to the seed.
"""

import sqlalchemy as sa

from examples.crm_models import Base
from sqlalchemy_syda import seed
from sqlalchemy_syda.dry_run_probe import probe_last_rows
from sqlalchemy_syda.engine.rows import PROBE_CHILDREN
from sqlalchemy_syda.introspect import table_specs
from sqlalchemy_syda.planner import plan_seed
from sqlalchemy_syda.run import engines_for


def _in_queries(engine: sa.Engine) -> list[str]:
    """The ``... IN (...)`` lookups of taken UNIQUE values the engine sends from now on."""
    sent: list[str] = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if " IN (" in statement and statement.lstrip().upper().startswith("SELECT"):
            sent.append(statement)

    return sent


def _codes() -> tuple[sa.MetaData, sa.Table]:
    md = sa.MetaData()
    return md, sa.Table("codes", md, sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("code", sa.String(12), nullable=False, unique=True),
                        sa.Column("serial", sa.Integer, nullable=False, unique=True))


def test_a_big_dry_run_next_to_existing_rows_asks_the_database_about_a_few_values(sqlite_engine):
    """Test that a dry run of 3M new rows next to 10 rows asks the database about a few values at most
    (it used to send every new row's UNIQUE value, 3M values in 600 queries per column, before answering)."""
    md, codes = _codes()
    md.create_all(sqlite_engine)
    seed(sqlite_engine, {codes: 10}, seed=1)
    sent = _in_queries(sqlite_engine)
    result = seed(sqlite_engine, {codes: 3_000_000}, seed=2, dry_run=True)
    assert result.dry_run and result.counts == {"codes": 3_000_000}
    assert len(sent) <= 4, len(sent)
    with sqlite_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM codes")).scalar_one() == 10  # a dry run writes nothing


def test_a_dry_run_leaves_a_big_aggregate_to_the_seed_and_a_small_one_computed():
    """Test that the probe computes orders.total_amount (the sum of its items) up to PROBE_CHILDREN items and
    leaves it NULL past that, instead of walking every item row."""
    specs = table_specs(list(Base.metadata.sorted_tables))
    for items, computed in ((2_000, True), (PROBE_CHILDREN + 1, False)):
        counts = {"customers": 10, "contacts": 10, "products": 10, "orders": 1_000, "order_items": items}
        engines = engines_for(plan_seed(specs, counts))
        probe_last_rows(engines)
        orders = engines["orders"]
        assert ("total_amount" in orders.not_probed) is not computed
        last = orders.batch(orders.count - 1, orders.count)["total_amount"][0]
        assert (last is not None) is computed
