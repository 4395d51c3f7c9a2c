"""The partition functions without a cluster: block-aligned ranges, and rows that do not depend on the cut."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from cluster_schemas import CRM_COUNTS, GRAPH, GRAPH_COUNTS

from examples.crm_models import MODELS
from sqlalchemy_syda import PlanError, between, fixed, generate, histogram, poisson
from sqlalchemy_syda.cardinality import FANOUT_BLOCK
from sqlalchemy_syda.introspect import table_specs
from sqlalchemy_syda.planner import plan_seed
from sqlalchemy_syda.run import engines_for, into_frames
from sqlalchemy_syda.scale import partitions as scale_partitions
from sqlalchemy_syda.scale.fanout import first_pass
from sqlalchemy_syda.scale.partitions import generate_partition, partition_ranges, plan_partitions
from sqlalchemy_syda.streams import Stream


def _plans():
    crm = plan_seed(table_specs(MODELS), CRM_COUNTS, dialect="postgresql", seed=5,
                    cardinality={("orders", ("customer_id",)): poisson(2)})
    graph = plan_seed(table_specs(list(GRAPH.sorted_tables)), GRAPH_COUNTS, dialect="postgresql", seed=5)
    return {"crm": crm, "graph": graph}


PLANS = _plans()


def test_ranges_are_whole_blocks_covering_the_table_once():
    for count in (0, 1, 99, 100, 101, 1_000, 1_234):
        for n in (1, 3, 7, 50):
            ranges = partition_ranges(count, n, block_rows=100)
            assert [r for r in ranges if r[1] <= r[0]] == []
            assert sum(b - a for a, b in ranges) == count
            assert all(a % 100 == 0 for a, _ in ranges) and all(b % 100 == 0 or b == count for _, b in ranges)
            assert len(ranges) == min(n, -(-count // 100))
            assert [a for a, _ in ranges[1:]] == [b for _, b in ranges[:-1]]


@pytest.mark.parametrize("bad", [0, -2, 1.5, True])
def test_a_bad_partition_count_is_a_plan_error(bad):
    with pytest.raises(PlanError, match="partitions must be a positive integer"):
        partition_ranges(10, bad)


@pytest.mark.parametrize("name", sorted(PLANS))
def test_the_plan_is_plain_data_that_survives_pickling(name):
    plan = PLANS[name]
    again = pickle.loads(pickle.dumps(plan))
    for tp in plan.tables:
        t = tp.spec.fullname
        assert generate_partition(again, t, 0, tp.count).equals(generate_partition(plan, t, 0, tp.count))


@pytest.mark.parametrize("name", sorted(PLANS))
def test_partitions_concatenate_to_the_single_process_frames(name):
    plan = PLANS[name]
    whole = into_frames(plan, engines_for(plan))
    for n in (1, 3, 7):
        parts = plan_partitions(plan, n, block_rows=100)
        for tp in plan.tables:
            t = tp.spec.fullname
            mine = [p for p in parts if p.table == t]
            assert len(mine) == (1 if tp.recipe.verified_uniques else min(n, -(-tp.count // 100)))
            frame = pd.concat([generate_partition(plan, t, p.start, p.stop) for p in mine], ignore_index=True)
            assert frame.equals(whole[t]), (name, n, t)


def test_a_row_ordered_table_is_one_partition_and_refuses_a_cut():
    import sqlalchemy as sa

    md = sa.MetaData()
    t = sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer),
                 sa.Column("b", sa.Integer), sa.Index("ix_t_ab", "a", "b", unique=True, postgresql_where=sa.text("a > 0")))
    plan = plan_seed(table_specs([t]), {"t": 500}, dialect="postgresql")
    if not plan.table("t").recipe.verified_uniques:
        pytest.skip("this unique index is built into the generators here; nothing is verified in row order")
    assert [(p.start, p.stop) for p in plan_partitions(plan, 4, block_rows=100)] == [(0, 500)]
    with pytest.raises(PlanError, match="row order"):
        list(scale_partitions.partition_batches(plan, "t", 100, 200))


def test_parquet_in_process_is_identical_across_partition_counts(tmp_path, monkeypatch):
    monkeypatch.setattr(scale_partitions, "BLOCK_ROWS", 100)
    single = generate(list(GRAPH.sorted_tables), GRAPH_COUNTS, seed=9)
    for n in (1, 3, 7):
        dirs = generate(list(GRAPH.sorted_tables), GRAPH_COUNTS, seed=9, partitions=n, output_dir=tmp_path / str(n))
        for table, folder in dirs.items():
            files = sorted(folder.glob("*.parquet"))
            assert len(files) == min(n, -(-GRAPH_COUNTS[table] // 100))
            read = pq.read_table(folder)
            assert read.column_names == list(single[table].columns)
            for column in read.column_names:
                assert read.column(column).to_pylist() == _plain(single[table][column]), (n, table, column)
    first = {t: pq.read_table(tmp_path / "1" / t) for t in GRAPH_COUNTS}
    for n in (3, 7):
        for t in GRAPH_COUNTS:
            assert pq.read_table(tmp_path / str(n) / t).equals(first[t]), (n, t)


def _plain(series: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in series.tolist()]


def test_a_second_run_into_the_same_directory_leaves_no_stale_files(tmp_path, monkeypatch):
    monkeypatch.setattr(scale_partitions, "BLOCK_ROWS", 100)
    generate(list(GRAPH.sorted_tables), GRAPH_COUNTS, seed=9, partitions=7, output_dir=tmp_path)
    dirs = generate(list(GRAPH.sorted_tables), GRAPH_COUNTS, seed=9, partitions=2, output_dir=tmp_path)
    assert len(list(dirs["racks"].glob("*.parquet"))) == 2
    assert pq.read_table(dirs["racks"]).num_rows == GRAPH_COUNTS["racks"]


def test_partitioned_frames_equal_generate():
    frames = generate(MODELS, CRM_COUNTS, seed=4, partitions=3)
    assert all(frames[t].equals(f) for t, f in generate(MODELS, CRM_COUNTS, seed=4).items())


@pytest.mark.parametrize("card", [fixed(2), between(0, 4), poisson(1.5), poisson(0.5).with_zero(0.3),
                                  histogram([0, 1, 3, 8], [0.1, 0.4, 0.3, 0.2])], ids=repr)
def test_children_find_their_parent_block_from_the_first_pass(card):
    """With the block prefixes, a chunk of children computes only its parents' blocks, and gets the parents a
    running total over every parent gives (parents spanning three blocks of the first pass)."""
    stream = Stream.root(3).child("t")
    parents = 2 * FANOUT_BLOCK + 1_234
    counts = card.counts(stream, parents)
    running = np.cumsum(counts)
    prefix = card.fanout_prefix(stream, parents)
    assert len(prefix) == 4 and prefix[-1] == running[-1]
    for children in (int(running[-1]), int(running[-1]) // 3 + 1):
        position = np.arange(children) if children == running[-1] else \
            np.floor(np.arange(children) * (running[-1] / children)).astype(np.int64)
        expected = np.minimum(np.searchsorted(running, position, side="right"), parents - 1)
        got = np.concatenate([card.assign(stream, np.arange(a, min(children, a + 7_777)), parents, children,
                                          prefix=prefix)
                              for a in range(0, children, 7_777)])
        assert (got == expected).all()
        assert (card.assign(stream, np.arange(children), parents, children) == expected).all()


def test_the_first_pass_prefixes_give_the_rows_a_run_without_them_gives():
    plan = PLANS["crm"]
    data = first_pass(None, plan)
    assert "orders" in data.fanout  # the poisson(2) of the test, besides what relations infer
    for table, prefixes in data.fanout.items():
        for prefix in prefixes.values():
            assert prefix[0] == 0 and (np.diff(prefix) >= 0).all()
        n = plan.table(table).count
        with_pass = engines_for(plan, data)[table].batch(0, n)
        without = engines_for(plan)[table].batch(0, n)
        assert all(with_pass[c].tolist() == without[c].tolist() for c in without), table


def test_partitions_without_a_cluster_is_a_plan_error_for_seed():
    from sqlalchemy_syda import seed

    with pytest.raises(PlanError, match="partitions= cuts a seed for a cluster; pass cluster= too"):
        seed(None, MODELS, rows=5, partitions=3)
