"""The same seed on a Dask LocalCluster (worker processes, loopback only): identical tables and files whatever
the number of partitions, identical to the single-process seed, and all or nothing when a partition fails or a
worker dies. Measured in SQL: an md5 over every row of every table."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from cluster_schemas import CRM_COUNTS, GRAPH, GRAPH_COUNTS, database_md5, staging_left
from sqlalchemy.pool import NullPool

from examples.crm_models import MODELS
from examples.crm_models import Base as CrmBase
from sqlalchemy_syda import ClusterError, generate, poisson, seed
from sqlalchemy_syda.scale import partitions as scale_partitions
from sqlalchemy_syda.scale.partitions import Partition
from sqlalchemy_syda.scale.staging import drop_staging, new_run_id, write_staging_partition

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CRM_CARD = {"orders.customer_id": poisson(2)}


@pytest.fixture(scope="module")
def client():
    """Two single-threaded worker processes on 127.0.0.1; a task whose worker dies is retried once."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as c:
            yield c


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 100 rows (the client cuts the partitions; workers get explicit row ranges)."""
    monkeypatch.setattr(scale_partitions, "BLOCK_ROWS", 100)


@pytest.fixture
def schemas(_pg_shared_database):
    """A factory of fresh PostgreSQL schemas (URL with that search_path), all dropped after the test."""
    admin = sa.create_engine(_pg_shared_database, poolclass=NullPool)
    made = []

    def make(metadata) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        made.append(name)
        url = _pg_shared_database.update_query_dict({"options": f"-csearch_path={name}"})
        engine = sa.create_engine(url, poolclass=NullPool)
        metadata.create_all(engine)
        engine.dispose()
        return url.render_as_string(hide_password=False)

    yield make
    with admin.begin() as conn:
        for name in made:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                                 "current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                                 "AND query NOT LIKE '%pg_terminate_backend%'"))
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    admin.dispose()


def _seed_here(url: str, models, **kwargs):
    """The single-process seed (it takes an Engine, not a URL)."""
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        return seed(engine, models, **kwargs)
    finally:
        engine.dispose()


def _md5(url: str, tables) -> dict:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        return database_md5(engine, tables)
    finally:
        engine.dispose()


CASES = {
    "crm": (CrmBase.metadata, {m: CRM_COUNTS[m.__tablename__] for m in MODELS}, CRM_CARD, list(CRM_COUNTS)),
    "graph": (GRAPH, {GRAPH.tables[t]: n for t, n in GRAPH_COUNTS.items()}, None, list(GRAPH_COUNTS)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_1_3_7_partitions_give_the_single_process_tables(case, client, schemas, small_blocks):
    metadata, counts, card, tables = CASES[case]
    single = schemas(metadata)
    _seed_here(single, counts, seed=11, cardinality=card)
    expected = _md5(single, tables)
    assert all(n > 0 for n, _ in expected.values())
    progress: dict[str, list[int]] = {}
    for n in (1, 3, 7):
        url = schemas(metadata)
        result = seed(url, counts, seed=11, cardinality=card, cluster=client, partitions=n,
                      progress=lambda t, done, total: progress.setdefault(t, []).append(done))
        assert result.counts == {t: expected[t][0] for t in tables if t in result.counts}
        assert _md5(url, tables) == expected, n
        engine = sa.create_engine(url, poolclass=NullPool)
        assert staging_left(engine) == []
        engine.dispose()
    assert progress["racks" if case == "graph" else "order_items"][-1] == expected[
        "racks" if case == "graph" else "order_items"][0]


def test_sequences_move_past_the_published_ids(client, schemas, small_blocks):
    url = schemas(GRAPH)
    seed(url, {GRAPH.tables["nodes"]: 250}, cluster=client, partitions=3)
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        new = conn.execute(sa.text("INSERT INTO nodes (code, label) VALUES ('zz', 'z') RETURNING id")).scalar()
    engine.dispose()
    assert new == 251


def test_parquet_on_the_cluster_is_identical_across_partition_counts(client, tmp_path, small_blocks):
    single = generate(MODELS, CRM_COUNTS, seed=3, cardinality=CRM_CARD, partitions=1, output_dir=tmp_path / "local")
    for n in (3, 7):
        dirs = generate(MODELS, CRM_COUNTS, seed=3, cardinality=CRM_CARD, cluster=client, partitions=n,
                        output_dir=tmp_path / str(n))
        for table, folder in dirs.items():
            assert len(list(folder.glob("*.parquet"))) == min(n, -(-CRM_COUNTS[table] // 100))
            assert pq.read_table(folder).equals(pq.read_table(single[table])), (n, table)


def test_a_retried_partition_replaces_its_staging_rows(schemas):
    from sqlalchemy_syda.introspect import table_specs
    from sqlalchemy_syda.planner import plan_seed

    url = schemas(GRAPH)
    plan = plan_seed(table_specs([GRAPH.tables["nodes"]]), {"nodes": 300}, dialect="postgresql")
    run = new_run_id()
    part = Partition("nodes", 1, 3, 100, 200)
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        for _ in range(2):  # a retry, or a speculative second copy of the task
            assert write_staging_partition(url, plan, part, run) == 100
        with engine.connect() as conn:
            assert conn.execute(sa.text(f"SELECT count(*), min(id), max(id) FROM syda_stage_{run}_000_00001")).one() \
                == (100, 101, 200)
        assert drop_staging(engine, run) == 1
        assert staging_left(engine) == []
    finally:
        engine.dispose()


# --- faults -------------------------------------------------------------------------------------------------

def _fails_late(k: int) -> str:
    """An override that raises for the rows of a late partition (a user's bug)."""
    if k >= 850:
        raise ValueError(f"no note for row {k}")
    return f"note {k}"


def _on_a_worker() -> bool:
    try:
        distributed.get_worker()
    except ValueError:
        return False
    return True


def _kills_its_worker(marker: str):
    def note(k: int) -> str:
        if k >= 850 and _on_a_worker() and (marker == "always" or not os.path.exists(marker)):
            if marker != "always":
                Path(marker).touch()
            os._exit(1)  # the worker process dies mid-partition
        return f"note {k}"
    return note


def _prefilled(schemas) -> tuple[str, dict]:
    url = schemas(GRAPH)
    _seed_here(url, {GRAPH.tables["sites"]: 20, GRAPH.tables["nodes"]: 30}, seed=1)
    return url, _md5(url, list(GRAPH_COUNTS))


COUNTS = {GRAPH.tables[t]: n for t, n in GRAPH_COUNTS.items()}


def test_a_partition_that_raises_leaves_the_tables_as_they_were(client, schemas, small_blocks):
    """The override's error is the package's own (a SydaError keeps its class), with the partition in a note."""
    from sqlalchemy_syda import SydaError

    url, before = _prefilled(schemas)
    with pytest.raises(SydaError, match=r"no note for row 85\d") as raised:
        seed(url, COUNTS, cluster=client, partitions=7, overrides={"racks.note": _fails_late})
    assert "(on the Dask cluster, in partition 7 of 7 of 'racks' (rows 800..999))" in raised.value.__notes__
    assert _md5(url, list(GRAPH_COUNTS)) == before
    engine = sa.create_engine(url, poolclass=NullPool)
    assert staging_left(engine) == []
    engine.dispose()


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("this exception cannot be pickled")


def _fails_unpicklably(k: int) -> str:
    if k >= 850:
        raise _Unpicklable(f"no note for row {k}")
    return f"note {k}"


def test_an_unpicklable_user_exception_keeps_the_override_error_class(client, schemas, small_blocks):
    """Dask pickles an exception with its cause (tblib): the OverrideError, whose cause is the user's exception,
    could not travel and arrived as a ClusterError quoting ``Exception: OverrideError(...)``."""
    from sqlalchemy_syda import OverrideError

    url, before = _prefilled(schemas)
    with pytest.raises(OverrideError, match=r"racks\.note raised _Unpicklable: no note for row 850 "
                                            r"\(rows 800\.\.999\)") as raised:
        seed(url, COUNTS, cluster=client, partitions=7, overrides={"racks.note": _fails_unpicklably})
    assert "(on the Dask cluster, in partition 7 of 7 of 'racks' (rows 800..999))" in raised.value.__notes__
    assert _md5(url, list(GRAPH_COUNTS)) == before


def test_a_worker_killed_every_time_leaves_the_tables_as_they_were(client, schemas, small_blocks):
    url, before = _prefilled(schemas)
    with pytest.raises(ClusterError) as raised:
        seed(url, COUNTS, cluster=client, partitions=7, overrides={"racks.note": _kills_its_worker("always")})
    # Dask gives up on every task that ran on the dying workers and cannot tell which one killed them: the error
    # names the first it reports and lists the others; the culprit is always among them
    message = str(raised.value)
    assert message.startswith("A Dask worker died running partition"), message
    assert "partition 7 of 7 of 'racks' (rows 800..999)" in message
    assert message.endswith("nothing was published.")
    assert _md5(url, list(GRAPH_COUNTS)) == before
    engine = sa.create_engine(url, poolclass=NullPool)
    assert staging_left(engine) == []
    engine.dispose()
    client.wait_for_workers(2, timeout=60)


def test_a_worker_killed_once_is_retried_and_the_seed_is_the_same(client, schemas, small_blocks, tmp_path):
    reference = schemas(GRAPH)
    _seed_here(reference, COUNTS, seed=2, overrides={"racks.note": _kills_its_worker(str(tmp_path / "never"))})
    url = schemas(GRAPH)
    marker = tmp_path / "died"
    seed(url, COUNTS, seed=2, cluster=client, partitions=7, overrides={"racks.note": _kills_its_worker(str(marker))})
    assert marker.exists()  # a worker did die
    assert _md5(url, list(GRAPH_COUNTS)) == _md5(reference, list(GRAPH_COUNTS))
    client.wait_for_workers(2, timeout=60)


def test_a_sqlite_url_is_refused_before_anything_runs(tmp_path):
    from sqlalchemy_syda import PlanError

    with pytest.raises(PlanError, match="stages partitions in PostgreSQL.*workers=N"):
        seed(f"sqlite:///{tmp_path / 'x.db'}", COUNTS, cluster="local:1")


def test_an_unreachable_scheduler_is_a_cluster_error(schemas):
    """(``localhost:1`` is an address, not ``local:N``: it once started a LocalCluster of 1 worker.)"""
    url = schemas(GRAPH)
    with pytest.raises(ClusterError, match="Cannot reach the Dask scheduler at localhost:1"):
        seed(url, COUNTS, cluster="localhost:1")


@pytest.mark.parametrize("bad", ["local:0", object()])
def test_a_bad_cluster_is_a_cluster_error(bad, schemas):
    from sqlalchemy_syda.scale.cluster import cluster_client

    with pytest.raises(ClusterError, match="local:N"), cluster_client(bad):
        pass


def test_syda_seed_dask_runs_on_the_scheduler_and_prints_the_steps(client, schemas, small_blocks):
    from click.testing import CliRunner

    from sqlalchemy_syda.cli import main

    url, reference = schemas(CrmBase.metadata), schemas(CrmBase.metadata)
    _seed_here(reference, {m: 250 for m in MODELS}, seed=6)
    result = CliRunner().invoke(main, ["seed", "--url", url, "--models", "examples.crm_models:Base", "--rows", "250",
                                       "--seed", "6", "--dask", client.scheduler.address, "--partitions", "3"])
    assert result.exit_code == 0, result.output
    assert "(publish)" in result.output and "order_items" in result.output
    assert _md5(url, list(CRM_COUNTS)) == _md5(reference, list(CRM_COUNTS))
    bad = CliRunner().invoke(main, ["seed", "--url", url, "--rows", "5", "--partitions", "3"])
    assert bad.exit_code == 2 and "--partitions needs --dask" in bad.output


def test_a_not_null_cycle_publishes_through_deferred_constraints(client, schemas, small_blocks):
    from schemas import not_null_cycle

    md, husbands, wives = not_null_cycle(deferrable=True)
    single, url = schemas(md), schemas(md)
    _seed_here(single, {husbands: 300, wives: 300}, seed=8)
    result = seed(url, {husbands: 300, wives: 300}, seed=8, cluster=client, partitions=3)
    assert result.plan.deferred_constraints
    assert _md5(url, ["husbands", "wives"]) == _md5(single, ["husbands", "wives"])


def test_columns_the_database_fills_are_left_to_it_by_the_publish(client, schemas, small_blocks):
    """A GENERATED ALWAYS identity key, a NOT NULL column with a server default and a computed column: the
    staging tables hold only the columns the seed writes, and the publish overrides the identity."""
    md = sa.MetaData()
    events = sa.Table("events", md, sa.Column("id", sa.Integer, sa.Identity(always=True), primary_key=True),
                      sa.Column("kind", sa.String(20), nullable=False),
                      sa.Column("made", sa.DateTime, nullable=False, server_default=sa.func.now()),
                      sa.Column("twice", sa.Integer, sa.Computed("id * 2", persisted=True)))
    single, url = schemas(md), schemas(md)
    _seed_here(single, {events: 350}, seed=4)
    seed(url, {events: 350}, seed=4, cluster=client, partitions=3)
    fingerprint = "SELECT count(*), md5(string_agg(id || ':' || kind || ':' || twice, '|' ORDER BY id)), " \
                  "count(made) FROM events"
    engines = [sa.create_engine(u, poolclass=NullPool) for u in (single, url)]
    try:
        with engines[0].connect() as a, engines[1].begin() as b:
            assert a.execute(sa.text(fingerprint)).one() == b.execute(sa.text(fingerprint)).one()
            assert b.execute(sa.text("INSERT INTO events (kind) VALUES ('x') RETURNING id")).scalar() == 351
    finally:
        for e in engines:
            e.dispose()


def test_appending_after_existing_rows_gives_the_single_process_tables(client, schemas, small_blocks):
    """Existing keys and UNIQUE values are read on the client and shipped to the workers with the plan."""
    urls = []
    for _ in range(2):
        url = schemas(GRAPH)
        _seed_here(url, {GRAPH.tables["sites"]: 40, GRAPH.tables["nodes"]: 120, GRAPH.tables["racks"]: 90}, seed=1)
        urls.append(url)
    _seed_here(urls[0], COUNTS, seed=2, existing="reuse")
    seed(urls[1], COUNTS, seed=2, existing="reuse", cluster=client, partitions=5)
    expected = _md5(urls[0], list(GRAPH_COUNTS))
    assert expected["racks"][0] == 90 + GRAPH_COUNTS["racks"]
    assert _md5(urls[1], list(GRAPH_COUNTS)) == expected


def test_a_session_or_connection_is_refused_and_a_dry_run_writes_nothing(schemas):
    from sqlalchemy_syda import PlanError

    url = schemas(GRAPH)
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn, pytest.raises(PlanError, match="needs a database URL or an Engine"):
            seed(conn, COUNTS, cluster="local:1")
        result = seed(engine, COUNTS, cluster="local:1", dry_run=True)  # plans; no cluster is started
        assert result.dry_run and result.counts["racks"] == GRAPH_COUNTS["racks"]
        assert any("COPY" in line for line in result.sql)
        assert database_md5(engine, ["racks"])["racks"][0] == 0
    finally:
        engine.dispose()
