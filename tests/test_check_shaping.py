"""CHECKs that shape values instead of only verifying them: remainders (``level % 3 = 0``) and minimum lengths.

Before, such rows were drawn again until they passed; a rule most draws fail (two in three for ``% 3 = 0``,
nearly all for ``length(name) >= 10``) ran out of draws. The database enforces every CHECK below.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from schemas import make_engine

from sqlalchemy_syda import generate, seed
from sqlalchemy_syda.checks import compile_checks, sql_remainder
from sqlalchemy_syda.exceptions import ConstraintUnsatisfiableError
from sqlalchemy_syda.specs import CheckSpec


def _rules(*texts: str, columns=("level", "x")):
    return compile_checks([CheckSpec(t, f"ck{i}") for i, t in enumerate(texts)], columns, "postgresql")


@pytest.mark.parametrize("text", ["level % 3 = 0", "MOD(level, 3) = 0", "(level % 3) = 0", "0 = level % 3",
                                  "level % -3 = 0"])
def test_remainder_checks_compile_into_a_rule(text):
    compiled = _rules(text)
    assert compiled.rules["level"].modulo == ((3, 0),) and not compiled.residual


def test_remainder_rules_admit_what_sql_admits():
    rule = _rules("level % 4 = 1").rules["level"]
    assert [v for v in range(-9, 10) if rule.admits(v)] == [1, 5, 9]
    negative = _rules("level % 4 = -1").rules["level"]
    assert [v for v in range(-9, 10) if negative.admits(v)] == [-9, -5, -1]
    assert [sql_remainder(v, 3) for v in (-7, 7, -6)] == [-1, 1, 0]


@pytest.mark.parametrize("texts", [("level % 3 = 3",), ("level % 2 = 0", "level % 2 = 1")])
def test_impossible_remainders_are_refused_with_the_constraint_named(texts):
    with pytest.raises(ConstraintUnsatisfiableError, match="remainder of a division"):
        _rules(*texts)


def test_other_remainder_comparisons_stay_verified():
    compiled = _rules("level % 3 <> 0", "level % x = 0")
    assert "level" not in compiled.rules and len(compiled.residual) == 2


md = sa.MetaData()
SHAPED = sa.Table(
    "shaped", md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("level", sa.Integer, sa.CheckConstraint("level % 3 = 0", name="level_step"), nullable=False),
    sa.Column("floor_no", sa.Integer, sa.CheckConstraint("MOD(floor_no, 4) = 1 AND floor_no BETWEEN 1 AND 60")),
    sa.Column("ticket", sa.Integer, sa.CheckConstraint("ticket % 7 = 2"), unique=True),
    sa.Column("pack_size", sa.Integer, sa.CheckConstraint("pack_size % 6 = 0 AND pack_size > 0")),
    sa.Column("username", sa.String(20), sa.CheckConstraint("length(username) >= 12"), unique=True,
              nullable=False),
    sa.Column("nickname", sa.String(30), sa.CheckConstraint("length(nickname) > 9")),
    sa.Column("code", sa.String(6), sa.CheckConstraint("length(code) = 6"), unique=True),
    sa.Column("bio", sa.Text, sa.CheckConstraint("length(bio) >= 400")),
)


def _assert_shaped(frame) -> None:
    assert (frame.level % 3 == 0).all()
    floors = frame.floor_no.dropna().astype(int)
    assert (floors % 4 == 1).all() and floors.between(1, 60).all()
    tickets = frame.ticket.dropna().astype(int)
    assert (tickets % 7 == 2).all() and tickets.is_unique
    packs = frame.pack_size.dropna().astype(int)
    assert (packs % 6 == 0).all() and (packs > 0).all()
    assert frame.username.str.len().between(12, 20).all() and frame.username.is_unique
    assert (frame.nickname.dropna().str.len() > 9).all()
    codes = frame.code.dropna()
    assert (codes.str.len() == 6).all() and codes.is_unique
    assert (frame.bio.dropna().str.len() >= 400).all()


def test_generated_values_meet_the_shaping_checks():
    frame = generate(SHAPED, 500, seed=7)
    _assert_shaped(frame)
    assert frame.level.nunique() > 10  # still spread over the range, not one value
    # the same rows whatever the chunk size
    assert generate(SHAPED, 500, seed=7, chunk_size=37).equals(frame)


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_the_database_accepts_the_shaped_rows(db, sqlite_url, request):
    url = sqlite_url if db == "sqlite" else request.getfixturevalue("pg_schema_url")
    engine = make_engine(url)
    md.create_all(engine)
    seed(engine, {SHAPED: 400}, seed=3)
    with engine.connect() as conn:
        frame = __import__("pandas").read_sql(sa.select(SHAPED), conn)
    engine.dispose()
    assert len(frame) == 400
    _assert_shaped(frame)


def test_a_unique_integer_widens_down_to_its_check_when_the_usual_range_is_too_small():
    """Found by the property tests: CHECK (-26 <= x <= 24) UNIQUE over 25 rows; the meaning's range was 1-24."""
    table = sa.Table("t0", sa.MetaData(), sa.Column("k1", sa.Integer, primary_key=True),
                     sa.Column("c0_integer", sa.Integer, sa.CheckConstraint("c0_integer >= -26 AND c0_integer <= 24"),
                               unique=True, nullable=False))
    values = generate(table, 25, seed=0)["c0_integer"]
    assert values.is_unique and values.between(-26, 24).all()
    wide = sa.Table("t1", sa.MetaData(), sa.Column("k1", sa.Integer, primary_key=True),
                    sa.Column("code", sa.Integer, unique=True))
    codes = generate(wide, 5000, seed=0)["code"].dropna()
    assert codes.is_unique and len(codes) > 4000 and (codes > 0).all()


def test_unique_columns_whose_values_become_codes_still_meet_a_minimum_length(sqlite_url):
    """Found in review: too-long UNIQUE values became '~0' codes, shorter than the CHECK's minimum."""
    table = sa.Table("accounts", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("username", sa.String(12), nullable=False, unique=True),
                     sa.Column("city", sa.String(10), nullable=False, unique=True),
                     sa.CheckConstraint("length(username) >= 6"), sa.CheckConstraint("length(city) >= 5"))
    engine = make_engine(sqlite_url)
    table.metadata.create_all(engine)
    seed(engine, {table: 3000}, seed=1)  # SQLite enforces both CHECKs
    with engine.connect() as conn:
        shortest = conn.execute(sa.text("SELECT min(length(username)), min(length(city)), "
                                        "count(DISTINCT username), count(DISTINCT city) FROM accounts")).one()
    engine.dispose()
    assert shortest[0] >= 6 and shortest[1] >= 5 and shortest[2:] == (3000, 3000)


def test_several_remainder_rules_combine_over_their_least_common_multiple(sqlite_url):
    from sqlalchemy_syda.constraints import combined_remainder

    assert combined_remainder(((2, 0), (3, 0))) == (6, 0)
    assert combined_remainder(((4, 1), (3, 2))) == (12, 5)          # 5, 17, 29, ...
    assert combined_remainder(((4, -1), (3, -2))) == (12, -5)       # -5, -17, ...
    table = sa.Table("packs", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("qty", sa.Integer, sa.CheckConstraint("qty % 2 = 0 AND qty % 3 = 0 AND qty > 0"),
                               nullable=False),
                     sa.Column("lot", sa.Integer, sa.CheckConstraint("lot % 4 = 1 AND lot % 3 = 2"), unique=True))
    engine = make_engine(sqlite_url)
    table.metadata.create_all(engine)
    seed(engine, {table: 500}, seed=1)  # SQLite checks both
    with engine.connect() as conn:
        lots = [r[0] for r in conn.execute(sa.text("SELECT lot FROM packs WHERE lot IS NOT NULL"))]
    engine.dispose()
    assert lots and all(v % 12 == 5 for v in lots) and len(set(lots)) == len(lots)


def test_a_check_ordering_against_the_names_wins_without_a_cycle():
    """Test ``CHECK (due_date < start_date)``: the names say a due date follows the start, the CHECK the other
    way round; the CHECK wins (it was a SchemaError, "depend on each other in a cycle", found by the random
    schemas of test_generate_properties)."""
    md = sa.MetaData()
    t = sa.Table("t0", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("due_date", sa.Date, nullable=False), sa.Column("start_date", sa.Date, nullable=False),
                 sa.CheckConstraint("due_date < start_date"))
    frame = generate(t, 300, seed=1)
    assert (frame.due_date < frame.start_date).all() and frame.due_date.nunique() > 100
