"""Writers next to a seed, each in its own process: another seed, an application inserting through the sequence.

The functions run in a ``spawn`` process and report ``("ok", detail)`` or ``("error", message)`` on a queue;
events order them so that the other writer acts while the seed's transaction is open (its first batch
written, the rest to come), which is when a seed that had not reserved its ids collides.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

WAIT = 8.0
"""Seconds a paused seed waits for the other writer before it goes on (the other writer may be blocked)."""


def accounts_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table("accounts", metadata, sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(60), nullable=False), mysql_engine="InnoDB")


def run_seed(url: str, rows: int, seed_value: int, paused, resume, out) -> None:
    """Seed ``rows`` accounts in batches of 100; after the first batch set ``paused`` and wait for ``resume``."""
    from sqlalchemy_syda import seed

    def progress(table: str, done: int, total: int) -> None:
        if paused is not None and not paused.is_set():
            paused.set()
            resume.wait(WAIT)

    engine = sa.create_engine(url, poolclass=NullPool)
    table = accounts_table(sa.MetaData())
    try:
        result = seed(engine, {table: rows}, seed=seed_value, chunk_size=100, fk_checks="row", progress=progress)
        out.put(("ok", result.counts["accounts"]))
    except Exception as exc:  # reported to the test, which fails with it
        out.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        if paused is not None:
            paused.set()
        engine.dispose()


def run_application(url: str, inserts: int, start, done, out) -> None:
    """After ``start``: ``inserts`` INSERTs through the id sequence, each its own transaction (waits ≤ 3 s)."""
    engine = sa.create_engine(url, poolclass=NullPool)
    table = accounts_table(sa.MetaData())
    ids = []
    try:
        start.wait(WAIT)
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SET lock_timeout = '3s'")
            else:
                conn.exec_driver_sql("SET SESSION innodb_lock_wait_timeout = 3")
            conn.commit()
            for i in range(inserts):
                with conn.begin():
                    ids.append(conn.execute(table.insert().values(name=f"app {i}")).inserted_primary_key[0])
        out.put(("ok", ids))
    except Exception as exc:
        out.put(("error", f"{type(exc).__name__}: {str(exc).splitlines()[0]}"))
    finally:
        done.set()
        engine.dispose()
