"""Children per parent: fixed, (min, max), Poisson, Zipf, a share with none, and derived counts.

The distributions are measured where they end up: GROUP BY in the database after a real seed.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from schemas import Author, Book, CrmBase, ShopBase, count, crm_models, on_sqlite_and_pg, rows

from sqlalchemy_syda import Cardinality, PlanError, between, fixed, generate, histogram, poisson, seed, zipf
from sqlalchemy_syda.cardinality import parse_cardinality
from sqlalchemy_syda.streams import Stream

PER_AUTHOR = "SELECT a.id, COUNT(b.id) FROM authors a LEFT JOIN books b ON b.author_id = a.id GROUP BY a.id"


def books_per_author(engine: sa.Engine) -> list[int]:
    return [n for _, n in rows(engine, PER_AUTHOR)]


@pytest.fixture
def shop(db_engine):
    ShopBase.metadata.create_all(db_engine)
    return db_engine


# --- in the database ---------------------------------------------------------------------------------------

@on_sqlite_and_pg
def test_fixed_children_per_parent_and_a_derived_count(shop):
    result = seed(shop, {Author: 40, Book: None}, cardinality={Book.author_id: 3})
    assert result.counts["books"] == count(shop, "books") == 120
    assert Counter(books_per_author(shop)) == {3: 40}


@on_sqlite_and_pg
def test_given_both_counts_children_are_spread_in_the_same_proportions(shop):
    seed(shop, {Author: 40, Book: 80}, cardinality={"books.author_id": fixed(3)})
    assert Counter(books_per_author(shop)) == {2: 40}


@on_sqlite_and_pg
def test_a_range_gives_every_parent_min_to_max_children(shop):
    seed(shop, {Author: 200, Book: None}, cardinality={("books", "author_id"): (1, 4)}, seed=3)
    per = books_per_author(shop)
    assert set(per) == {1, 2, 3, 4}
    assert abs(np.mean(per) - 2.5) < 0.35


@on_sqlite_and_pg
def test_poisson_children_per_parent(shop):
    seed(shop, {Author: 600, Book: None}, cardinality={Author.books: poisson(3)}, seed=4)
    per = np.array(books_per_author(shop))
    assert len(per) == 600
    assert abs(per.mean() - 3) < 0.3
    assert 2.0 < per.var() < 4.0  # Poisson: variance == mean
    assert 0.01 < (per == 0).mean() < 0.10  # P(0) = e**-3 ~ 0.05
    assert per.max() >= 7


@on_sqlite_and_pg
def test_a_share_of_parents_without_children(shop):
    seed(shop, {Author: 500, Book: None}, cardinality={Book.author_id: fixed(2).with_zero(0.25)}, seed=5)
    per = Counter(books_per_author(shop))
    assert set(per) == {0, 2}
    assert abs(per[0] / 500 - 0.25) < 0.06


@on_sqlite_and_pg
def test_poisson_with_zero_children_given_as_a_dict(shop):
    seed(shop, {Author: 500, Book: None}, cardinality={Book.author_id: {"poisson": 3, "zero": 0.3}}, seed=6)
    per = np.array(books_per_author(shop))
    expected_zero = 0.3 + 0.7 * math.exp(-3)
    assert abs((per == 0).mean() - expected_zero) < 0.07
    assert abs(per[per > 0].mean() - 3 / (1 - math.exp(-3))) < 0.4  # the others: a zero-truncated Poisson


@on_sqlite_and_pg
def test_zipf_concentrates_children_on_few_parents(shop):
    seed(shop, {Author: 200, Book: 3000}, cardinality={Book.author_id: zipf(1.2)}, seed=7)
    per = np.sort(np.array(books_per_author(shop)))[::-1]
    assert per.sum() == 3000
    assert per[0] > 0.15 * 3000  # the most prolific author
    assert per[:20].sum() > 0.6 * 3000  # the top 10% write most books
    assert np.median(per) <= 5


@on_sqlite_and_pg
def test_derived_counts_down_a_chain(db_engine):
    """"3 orders per customer, 1-5 items per order", with no count for orders or items."""
    CrmBase.metadata.create_all(db_engine)
    result = seed(db_engine, {crm_models.Customer: 25, crm_models.Product: 10, crm_models.Order: None,
                              crm_models.OrderItem: None},
                  cardinality={crm_models.Order.customer_id: 3, "order_items.order_id": (1, 5)})
    assert result.counts["orders"] == count(db_engine, "orders") == 75
    assert Counter(n for _, n in rows(db_engine, "SELECT customer_id, COUNT(*) FROM orders GROUP BY customer_id")) \
        == {3: 25}
    items = [n for _, n in rows(db_engine, "SELECT order_id, COUNT(*) FROM order_items GROUP BY order_id")]
    assert len(items) == 75 and min(items) >= 1 and max(items) <= 5
    assert result.counts["order_items"] == count(db_engine, "order_items") == sum(items)


def test_every_way_of_naming_the_foreign_key_means_the_same(sqlite_engine):
    ShopBase.metadata.create_all(sqlite_engine)
    keys = [Book.author_id, Author.books, "books.author_id", ("books", "author_id"), Book.__table__.c.author_id]
    seen = []
    for key in keys:
        with sqlite_engine.begin() as conn:
            conn.execute(sa.delete(Book.__table__))
            conn.execute(sa.delete(Author.__table__))
        seed(sqlite_engine, {Author: 30, Book: None}, cardinality={key: (0, 3)}, seed=8)
        seen.append(rows(sqlite_engine, "SELECT id, author_id FROM books ORDER BY id"))
    assert all(s == seen[0] for s in seen)
    assert 0 < len(seen[0]) <= 90


def test_the_assignment_does_not_depend_on_the_chunk_size(sqlite_engine):
    ShopBase.metadata.create_all(sqlite_engine)
    seed(sqlite_engine, {Author: 50, Book: 400}, cardinality={Book.author_id: poisson(2)}, seed=9)
    whole = rows(sqlite_engine, "SELECT id, author_id FROM books ORDER BY id")
    with sqlite_engine.begin() as conn:
        conn.execute(sa.delete(Book.__table__))
        conn.execute(sa.delete(Author.__table__))
    seed(sqlite_engine, {Author: 50, Book: 400}, cardinality={Book.author_id: poisson(2)}, seed=9, chunk_size=33)
    assert rows(sqlite_engine, "SELECT id, author_id FROM books ORDER BY id") == whole


def _season_tables() -> tuple[sa.Table, sa.Table, sa.Table, sa.Table]:
    """Players and team-seasons (a composite key); salaries keyed by both FKs, stints by player, year and stint."""
    md = sa.MetaData()
    players = sa.Table("players", md, sa.Column("player_id", sa.String(12), primary_key=True))
    teams = sa.Table("teams", md, sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
                     sa.Column("team_id", sa.String(3), primary_key=True))
    salaries = sa.Table(
        "salaries", md, sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("team_id", sa.String(3), primary_key=True),
        sa.Column("player_id", sa.ForeignKey("players.player_id"), primary_key=True), sa.Column("salary", sa.Integer),
        sa.ForeignKeyConstraint(["year", "team_id"], ["teams.year", "teams.team_id"]))
    stints = sa.Table(
        "stints", md, sa.Column("player_id", sa.ForeignKey("players.player_id"), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("stint", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("team_id", sa.String(3), nullable=False),
        sa.ForeignKeyConstraint(["year", "team_id"], ["teams.year", "teams.team_id"]))
    return players, teams, salaries, stints


@pytest.mark.parametrize("chunk_size", [50_000, 97])
def test_foreign_keys_in_a_composite_primary_key_keep_their_children_per_parent(chunk_size):
    """Both fan-outs of a table whose primary key is made of two foreign keys (or of one, part of another and a
    column of its own) follow their cardinalities exactly, the key stays distinct and the two keys are not tied
    to each other (they were drawn uniformly from the combinations before)."""
    players, teams, salaries, stints = _season_tables()
    per_player, per_team = histogram([0, 1, 3, 7], [0.45, 0.25, 0.2, 0.1]), histogram([0, 20, 30], [0.3, 0.55, 0.15])  # 620 rows either way
    card = {"salaries.player_id": per_player, "salaries.year": per_team,
            "stints.player_id": per_player, "stints.year": per_team}
    out = generate([players, teams, salaries, stints], {"players": 400, "teams": 40, "salaries": None, "stints": None},
                   seed=5, cardinality=card, chunk_size=chunk_size)
    for name, pk in (("salaries", ["year", "team_id", "player_id"]), ("stints", ["player_id", "year", "stint"])):
        frame = out[name]
        assert not frame.duplicated(pk).any()
        by_player = frame.groupby("player_id").size().reindex(out["players"].player_id, fill_value=0)
        by_team = frame.groupby(["year", "team_id"]).size().reindex(
            pd.MultiIndex.from_frame(out["teams"][["year", "team_id"]]), fill_value=0)
        assert set(by_player) <= {0, 1, 3, 7} and abs((by_player == 0).mean() - 0.45) < 0.03
        assert set(by_team) <= {0, 20, 30} and abs((by_team == 0).mean() - 0.3) < 0.03
        teams_of = frame.groupby("player_id")["team_id"].nunique()
        assert (teams_of[by_player[by_player == 7].index] > 1).mean() > 0.9  # a player's rows spread over teams
    again = generate([players, teams, salaries, stints], {"players": 400, "teams": 40, "salaries": None,
                                                          "stints": None}, seed=5, cardinality=card)
    assert again["salaries"].equals(out["salaries"]) and again["stints"].equals(out["stints"])


@on_sqlite_and_pg
def test_a_primary_key_holding_part_of_a_foreign_key_stays_distinct(db_engine):
    """Test that ``(player_id, year, stint)`` with the foreign key ``(year, team_id)`` is distinct when written:
    distinct (player, team-season, stint) combinations were drawn, and two teams of one year with the same
    player and stint repeated the key (68 of 200 rows here)."""
    players, teams, _, stints = _season_tables()
    teams.append_constraint(sa.CheckConstraint("year BETWEEN 2010 AND 2011"))
    stints.append_constraint(sa.CheckConstraint("stint BETWEEN 1 AND 3"))
    metadata = sa.MetaData()
    for table in (players, teams, stints):
        table.to_metadata(metadata)
    metadata.create_all(db_engine)
    seed(db_engine, {"players": 40, "teams": 20, "stints": 200}, seed=1)
    assert count(db_engine, "stints") == 200
    assert rows(db_engine, "SELECT COUNT(*) FROM stints s LEFT JOIN teams t ON t.year = s.year "
                           "AND t.team_id = s.team_id WHERE t.year IS NULL") == [(0,)]


# --- the Cardinality object --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (3, fixed(3)),
    ((1, 5), between(1, 5)),
    ({"poisson": 2.5}, poisson(2.5)),
    ({"zipf": 1.3, "zero": 0.1}, zipf(1.3).with_zero(0.1)),
    ({"min": 2, "max": 4}, between(2, 4)),
    ({"range": (0, 2), "zero": 0.5}, between(0, 2).with_zero(0.5)),
    ({"fixed": 1}, fixed(1)),
    (poisson(1), poisson(1)),
])
def test_parse_cardinality(value, expected):
    assert parse_cardinality(value) == expected


@pytest.mark.parametrize("value, words", [
    (-1, "non-negative"),
    (True, "must be a number"),
    ("many", "Unknown cardinality"),
    ((5, 1), "empty or negative"),
    ({"poisson": -2}, "non-negative"),
    ({"zipf": 0}, "positive"),
    ({"fixed": 2, "zero": 1.0}, "[0, 1)"),
    ({"median": 3}, "Unknown cardinality"),
])
def test_bad_cardinalities_are_plan_errors(value, words):
    with pytest.raises(PlanError) as info:
        parse_cardinality(value)
    assert words in str(info.value)


def test_repr_reads_like_the_constructor():
    assert repr(fixed(3)) == "fixed(3)"
    assert repr(between(1, 5)) == "between(1, 5)"
    assert repr(poisson(2.5).with_zero(0.1)) == "poisson(2.5).with_zero(0.1)"
    assert repr(zipf(1.1)) == "zipf(1.1)"


def test_assign_gives_each_parent_its_count_and_does_not_depend_on_chunks():
    stream = Stream.root(1).child("test")
    card = between(0, 4)
    per_parent = card.counts(stream, 100)
    total = int(per_parent.sum())
    parents = card.assign(stream, np.arange(total), 100, total)
    assert np.array_equal(np.bincount(parents, minlength=100), per_parent)
    assert np.all(np.diff(parents) >= 0)  # children of one parent are consecutive rows
    parts = np.concatenate([card.assign(stream, np.arange(a, min(total, a + 17)), 100, total)
                            for a in range(0, total, 17)])
    assert np.array_equal(parts, parents)


def test_zipf_has_weights_but_no_counts_and_empty_parents_are_errors():
    stream = Stream.root(2)
    weights = zipf(1.5).weights(stream, 50)
    assert sorted(weights, reverse=True)[0] == 1.0 and weights.min() > 0
    assert not zipf(1.5).derives_count and fixed(1).derives_count
    with pytest.raises(PlanError, match="Zipf"):
        zipf(1.5).counts(stream, 10)
    with pytest.raises(PlanError, match="at least one parent"):
        fixed(2).assign(stream, np.arange(3), 0, 3)
    with pytest.raises(PlanError, match="zero children"):
        fixed(0).assign(stream, np.arange(3), 5, 3)
    assert isinstance(parse_cardinality(2), Cardinality)


def test_a_primary_key_of_two_foreign_keys_with_one_to_k_children_stays_distinct(sqlite_engine):
    """Test that order_items (order_id, product_id) as its primary key, with the default 1-5 items per order,
    writes distinct keys (the fan-out layout guessed each order's longest run of rows from its count, but a
    range from one child up lays rows out by another rule: 2 duplicate keys and a WriteError for these sizes),
    and that two ranges from one child up keep their children per parent and a distinct key too."""
    md = sa.MetaData()
    sa.Table("orders", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("products", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("order_items", md, sa.Column("order_id", sa.ForeignKey("orders.id"), primary_key=True),
             sa.Column("product_id", sa.ForeignKey("products.id"), primary_key=True), sa.Column("qty", sa.Integer))
    md.create_all(sqlite_engine)
    seed(sqlite_engine, {"orders": 12, "products": 36, "order_items": 198}, seed=37)
    assert count(sqlite_engine, "order_items") == 198
    assert rows(sqlite_engine, "SELECT COUNT(*) FROM order_items o LEFT JOIN orders p ON p.id = o.order_id "
                               "WHERE p.id IS NULL")[0][0] == 0

    link_md = sa.MetaData()
    a = sa.Table("a", link_md, sa.Column("id", sa.Integer, primary_key=True))
    b = sa.Table("b", link_md, sa.Column("id", sa.Integer, primary_key=True))
    link = sa.Table("link", link_md, sa.Column("a_id", sa.ForeignKey("a.id"), primary_key=True),
                    sa.Column("b_id", sa.ForeignKey("b.id"), primary_key=True))
    out = generate([a, b, link], {"a": 47, "b": 191, "link": 1923}, seed=0,
                   cardinality={"link.a_id": between(1, 2), "link.b_id": between(1, 3)})["link"]
    assert not out.duplicated(["a_id", "b_id"]).any()
    assert out.a_id.nunique() == 47 and out.b_id.nunique() == 191  # every parent has its children
