"""Other writers next to a seed: ids are reserved before writing, so nobody gets a duplicate key.

Each writer is its own process on the real PostgreSQL / MariaDB server; the events in
:mod:`tests.reliability.concurrent_writers` make the other writer act while the seed's transaction is open.
"""

from __future__ import annotations

import multiprocessing

import pytest
import sqlalchemy as sa

from sqlalchemy_syda import seed
from tests.reliability.concurrent_writers import accounts_table, run_application, run_seed
from tests.schemas import make_engine

on_pg_and_mariadb = pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres),
                                                       pytest.param("mariadb", marks=pytest.mark.mariadb)],
                                            indirect=True)


def _results(processes, queue, n):
    out = [queue.get(timeout=60) for _ in range(n)]
    for p in processes:
        p.join(30)
    return out


def _ids(engine: sa.Engine, table: sa.Table) -> list[int]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.select(table.c.id))]


@on_pg_and_mariadb
def test_two_seeds_in_two_processes_at_once_both_commit(db_url):
    """Test two concurrent seeds: the second plans while the first has written a batch and is still open."""
    engine = make_engine(db_url)
    table = accounts_table(sa.MetaData())
    table.metadata.create_all(engine)
    seed(engine, {table: 10}, seed=7)  # rows already there: both seeds continue after id 10
    ctx = multiprocessing.get_context("spawn")
    queue, first_paused, second_done = ctx.Queue(), ctx.Event(), ctx.Event()
    first = ctx.Process(target=run_seed, args=(db_url, 500, 1, first_paused, second_done, queue))
    first.start()
    assert first_paused.wait(60), "the first seed never wrote its first batch"
    second = ctx.Process(target=run_seed, args=(db_url, 500, 2, None, None, queue))
    second.start()
    second.join(60)
    second_done.set()
    results = _results([first, second], queue, 2)
    assert results == [("ok", 500), ("ok", 500)], results
    ids = _ids(engine, table)
    assert len(ids) == len(set(ids)) == 1010
    engine.dispose()


@on_pg_and_mariadb
def test_an_application_inserting_through_the_sequence_while_a_seed_runs(db_url):
    """Test a seed (fk_checks='row') while an application inserts through the id sequence in another process:
    neither side gets a duplicate key, and the application's next insert after the seed works too."""
    engine = make_engine(db_url)
    table = accounts_table(sa.MetaData())
    table.metadata.create_all(engine)
    ctx = multiprocessing.get_context("spawn")
    queue, seed_paused, app_done = ctx.Queue(), ctx.Event(), ctx.Event()
    seeder = ctx.Process(target=run_seed, args=(db_url, 1000, 3, seed_paused, app_done, queue))
    app = ctx.Process(target=run_application, args=(db_url, 20, seed_paused, app_done, queue))
    seeder.start()
    app.start()
    results = dict((kind, detail) for kind, detail in _results([seeder, app], queue, 2) if kind == "error") or None
    assert results is None, results
    with engine.begin() as conn:
        after = conn.execute(table.insert().values(name="after the seed")).inserted_primary_key[0]
    ids = _ids(engine, table)
    assert len(ids) == len(set(ids)) == 1021
    assert after == max(ids)
    engine.dispose()


@on_pg_and_mariadb
def test_an_idle_database_gets_the_ids_it_always_got(db_url):
    """Test that the reservation changes nothing when nobody else writes: ids 1..n, then n+1.. after them."""
    engine = make_engine(db_url)
    table = accounts_table(sa.MetaData())
    table.metadata.create_all(engine)
    seed(engine, {table: 30}, seed=1)
    seed(engine, {table: 20}, seed=2)
    assert sorted(_ids(engine, table)) == list(range(1, 51))
    with engine.begin() as conn:
        assert conn.execute(table.insert().values(name="next")).inserted_primary_key[0] == 51
    engine.dispose()


@pytest.mark.postgres
def test_a_role_that_does_not_own_the_sequence(pg_engine, pg_schema_url):
    """Test a login role that is not the sequence's owner: with USAGE and UPDATE the ids are reserved without
    the sequence's lock and the seed commits; without them, one WriteError saying which GRANT is missing."""
    import uuid

    from sqlalchemy.engine import make_url

    from sqlalchemy_syda import WriteError

    table = accounts_table(sa.MetaData())
    table.metadata.create_all(pg_engine)
    role = f"syda_writer_{uuid.uuid4().hex[:8]}"
    with pg_engine.begin() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar()
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
        conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
        conn.exec_driver_sql(f'GRANT SELECT, INSERT ON accounts TO "{role}"')
    engine = make_engine(make_url(pg_schema_url).set(username=role).render_as_string(hide_password=False))
    try:
        with pytest.raises(WriteError, match=r"Cannot reserve the ids of accounts .*GRANT USAGE, UPDATE ON SEQUENCE"):
            seed(engine, {table: 5})
        with pg_engine.begin() as conn:
            conn.exec_driver_sql(f'GRANT USAGE, UPDATE ON SEQUENCE accounts_id_seq TO "{role}"')
        seed(engine, {table: 5})
        with engine.begin() as conn:
            assert conn.execute(table.insert().values(name="app")).inserted_primary_key[0] == 6
        assert sorted(_ids(pg_engine, table)) == list(range(1, 7))
    finally:
        engine.dispose()
        with pg_engine.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
