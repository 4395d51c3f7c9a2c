"""Tests for sqlalchemy_syda.checks: parsing, compiling and evaluating CHECK constraints."""

from __future__ import annotations

import datetime
import doctest
import sqlite3
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from sqlalchemy_syda import checks
from sqlalchemy_syda.checks import (
    ColumnRule,
    LikePattern,
    Ordering,
    ResidualCheck,
    UnsupportedCheckError,
    check_columns,
    compile_checks,
    evaluate_check,
    like_regex,
    match_column,
    parse_check,
)
from sqlalchemy_syda.exceptions import ConstraintUnsatisfiableError, SydaError
from sqlalchemy_syda.specs import CheckSpec

COLUMNS = ["age", "status", "price", "start_date", "end_date", "code", "email", "name", "discount",
           "qty", "unit_price", "a", "b", "kind", "x", "y", "z", "d"]
DIALECTS = ["postgres", "sqlite", "mysql", None]


def compiled(*texts: str, dialect: str | None = "postgres", columns=COLUMNS):
    return compile_checks([CheckSpec(text, name=f"ck_{i}") for i, text in enumerate(texts)], columns, dialect)


def only_rule(text: str, dialect: str | None = "postgres") -> ColumnRule:
    result = compiled(text, dialect=dialect)
    assert not result.residual and not result.orderings, result
    (rule,) = result.rules.values()
    return rule


@pytest.mark.parametrize("module", [checks, checks.parse, checks.rules, checks.compiler, checks.values,
                                    checks.evaluate], ids=lambda m: m.__name__)
def test_module_docstring_examples_run(module):
    """Test that the examples in each module's docstring hold (and that there are some)."""
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("text", [
    "age >= 0 AND age < 150", "status IN ('a','b')", "end_date > start_date", "length(code) = 5",
    "email LIKE '%@%'", "char_length(name) >= 2", "discount BETWEEN 0 AND 100", "coalesce(a, 0) >= 0",
    "NOT (a IS NULL AND b IS NULL)", "(a IS NULL) OR (b > a)", "CAST(x AS INTEGER) > 1", "x::numeric > 1",
    "x ~ '^[A-Z]+$'", "t.age > 1",
])
def test_parse_check_reads_every_example_in_every_dialect(text, dialect):
    """Test that each example parses, falling back to generic SQL and PostgreSQL (for ``~``)."""
    assert parse_check(text, dialect) is not None


@pytest.mark.parametrize("text", ["x >", "", "   ", "x > 1; DROP TABLE t", "x > 1 y", "SELECT 1"])
def test_parse_check_rejects_what_is_not_one_condition(text):
    """Test that garbage, several statements and sqlglot's alias reading raise UnsupportedCheckError."""
    with pytest.raises(UnsupportedCheckError, match="cannot parse"):
        parse_check(text)


def test_unsupported_check_error_is_a_syda_error():
    """Test that UnsupportedCheckError belongs to the package's exception tree."""
    assert issubclass(UnsupportedCheckError, SydaError)


@pytest.mark.parametrize("dialect", ["postgresql", "postgresql+psycopg", "mariadb", "sqlite", "no-such-db"])
def test_parse_check_accepts_sqlalchemy_dialect_names(dialect):
    """Test that SQLAlchemy dialect names (and unknown ones) are understood or fall back."""
    assert isinstance(parse_check("x > 1", dialect), exp.GT)


def test_parse_check_is_cached():
    """Test that parsing the same text twice returns the same tree."""
    assert parse_check("age > 7", "sqlite") is parse_check("age > 7", "sqlite")


def test_check_columns_strips_qualifiers_and_keeps_spelling():
    """Test that referenced columns come back as written, without table names."""
    assert check_columns('t.age > 0 AND "Name" <> \'\' AND coalesce(a, b) > 0') == {"age", "Name", "a", "b"}


def test_match_column_prefers_exact_then_unique_case_insensitive():
    """Test exact, case-insensitive, ambiguous and missing matches."""
    assert match_column("Age", ["age", "Age"]) == "Age"
    assert match_column("AGE", ["age", "name"]) == "age"
    assert match_column("AGE", ["age", "Age"]) is None
    assert match_column("zzz", ["age"]) is None


# --------------------------------------------------------------------------- compile


@pytest.mark.parametrize("text, expected", [
    ("price > 0", {"lower": 0, "lower_inclusive": False, "upper": None}),
    ("discount BETWEEN 0 AND 100", {"lower": 0, "upper": 100, "lower_inclusive": True, "upper_inclusive": True}),
    ("5 < x", {"lower": 5, "lower_inclusive": False}),
    ("100 >= x", {"upper": 100, "upper_inclusive": True}),
    ("x > -5", {"lower": -5}),
    ("x <= 2.5", {"upper": 2.5, "upper_inclusive": True}),
    ("NOT (x > 5)", {"upper": 5, "upper_inclusive": True}),
    ("d >= '2020-01-01'", {"lower": "2020-01-01"}),
    ("d >= DATE '2020-01-01'", {"lower": "2020-01-01"}),
    ("status IN ('a','b')", {"allowed": ("a", "b")}),
    ("kind IN (1, 2, 3)", {"allowed": (1, 2, 3)}),
    ("x = 1.5", {"allowed": (1.5,)}),
    ("x = TRUE", {"allowed": (True,)}),
    ("kind NOT IN (1, 2)", {"forbidden": (1, 2)}),
    ("kind NOT IN (1, NULL)", {"forbidden": (1,)}),
    ("x <> ''", {"forbidden": ("",)}),
    ("x != 3", {"forbidden": (3,)}),
    ("NOT x = 'y'", {"forbidden": ("y",)}),
    ("x IS NOT NULL", {"not_null": True}),
    ("NOT (x IS NULL)", {"not_null": True}),
    ("length(code) = 5", {"min_length": 5, "max_length": 5}),
    ("char_length(name) >= 2", {"min_length": 2, "max_length": None}),
    ("character_length(name) > 2", {"min_length": 3}),
    ("length(code) < 10", {"max_length": 9}),
    ("length(code) BETWEEN 2 AND 8", {"min_length": 2, "max_length": 8}),
    ("length(code) >= -3", {"min_length": 0}),
    ("email LIKE '%@%'", {"like": (LikePattern("%@%"),)}),
    ("email ILIKE '%@%'", {"like": (LikePattern("%@%", case_sensitive=False),)}),
    ("code LIKE 'a!%%' ESCAPE '!'", {"like": (LikePattern("a!%%", "!"),)}),
    ("x ~ '^[A-Z]+$'", {"regex": ("^[A-Z]+$",)}),
    ("x ~* '^[a-z]+$'", {"regex": ("(?i)^[a-z]+$",)}),
    ('"Age" >= 0', {"column": "age", "lower": 0}),
    ("t.age > 1", {"column": "age", "lower": 1}),
    ("x::numeric > 1", {"lower": 1, "lower_inclusive": False}),
])
def test_compile_turns_a_comparison_into_a_column_rule(text, expected):
    """Test the rule compiled from each simple conjunct."""
    rule = only_rule(text)
    for attribute, value in expected.items():
        assert getattr(rule, attribute) == value, attribute
    assert rule.sources == (CheckSpec(text, name="ck_0"),)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_compile_is_not_null_in_every_dialect(dialect):
    """Test NOT NULL from ``IS NOT NULL``, which PostgreSQL parses as Is(negate=True), others as Not(Is)."""
    assert only_rule("x IS NOT NULL", dialect).not_null


@pytest.mark.parametrize("text, expected", [
    ("(price > (0)::numeric)", {"lower": 0, "lower_inclusive": False}),
    ("(amount >= 0::numeric)", {"column": "amount", "lower": 0}),
    ("((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
     {"allowed": ("a", "b")}),
    ("((status)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]))",
     {"allowed": ("a", "b")}),
    ("((kind = ANY (ARRAY[1, 2, 3])))", {"allowed": (1, 2, 3)}),
    ("((status)::text <> ALL ((ARRAY['x'::character varying])::text[]))", {"forbidden": ("x",)}),
    ("((email)::text ~~ '%@%'::text)", {"like": (LikePattern("%@%"),)}),
    ("((email)::text ~~* '%@%'::text)", {"like": (LikePattern("%@%", case_sensitive=False),)}),
    ("(length((code)::text) = 5)", {"min_length": 5, "max_length": 5}),
    ("(created_at >= '2020-01-01'::date)", {"lower": "2020-01-01"}),
    ("((code)::text ~ '^[A-Z]+$'::text)", {"regex": ("^[A-Z]+$",)}),
])
def test_compile_reads_postgresql_reflected_check_text(text, expected):
    """Test the forms PostgreSQL's pg_get_constraintdef returns (casts, ANY/ALL arrays, ~~)."""
    columns = [*COLUMNS, "amount", "created_at"]
    (rule,) = compiled(text, columns=columns).rules.values()
    for attribute, value in expected.items():
        assert getattr(rule, attribute) == value, attribute


def test_compile_splits_nested_conjunctions():
    """Test that ANDs nested in parentheses are flattened into one rule per column."""
    result = compiled("((age >= 0) AND (age < 150)) AND (x > 1 AND (y < 2 AND z = 3))")
    assert (result.rules["age"].lower, result.rules["age"].upper) == (0, 150)
    assert result.rules["x"].lower == 1
    assert result.rules["y"].upper == 2
    assert result.rules["z"].allowed == (3,)
    assert not result.residual


def test_compile_like_is_case_insensitive_on_sqlite_and_mysql():
    """Test that LIKE follows the database: case-insensitive on SQLite and MySQL."""
    assert only_rule("email LIKE '%@X%'", "sqlite").like == (LikePattern("%@X%", case_sensitive=False),)
    assert only_rule("email LIKE '%@X%'", "mysql").like[0].regex.fullmatch("a@x.org")
    assert not only_rule("email LIKE '%@X%'", "postgres").like[0].regex.fullmatch("a@x.org")


def test_mysql_length_counts_bytes_so_only_its_lower_bound_compiles():
    """Test that MySQL LENGTH (bytes) gives a minimum character length but no maximum."""
    assert only_rule("length(code) >= 2", "mysql").min_length == 2
    assert compiled("length(code) <= 10", dialect="mysql").residual
    assert only_rule("char_length(code) <= 10", "mysql").max_length == 10


@pytest.mark.parametrize("text, ordering", [
    ("end_date > start_date", Ordering("start_date", "end_date", True)),
    ("start_date < end_date", Ordering("start_date", "end_date", True)),
    ("end_date >= start_date", Ordering("start_date", "end_date", False)),
    ("a <= b", Ordering("a", "b", False)),
    ("NOT (a >= b)", Ordering("a", "b", True)),
])
def test_compile_column_comparisons_into_orderings(text, ordering):
    """Test that comparing two columns yields an Ordering, lesser first, with its source."""
    result = compiled(text)
    assert result.orderings == (ordering,)
    assert result.orderings[0].source.sqltext == text
    assert not result.rules and not result.residual


@pytest.mark.parametrize("text", [
    "qty * unit_price <= 100000", "coalesce(a, 0) >= 0", "NOT (a IS NULL AND b IS NULL)",
    "(a IS NULL) OR (b > a)", "lower(code) = code", "CAST(x AS INTEGER) > 1", "x IN (1, NULL)",
    "x = NULL", "a = b", "x > y + 5", "x NOT LIKE 'a%'", "x NOT BETWEEN 1 AND 2", "zzz > 1", "x IS NULL",
    "x BETWEEN SYMMETRIC 1 AND 5", "length(code) <> 3", "x IN (SELECT 1)", "x = ANY (ARRAY[y, 2])",
])
def test_compile_keeps_what_it_cannot_honour_as_residual(text):
    """Test that OR, NOT over AND, arithmetic, functions and unknown columns stay residual."""
    result = compiled(text)
    assert not result.rules and not result.orderings
    (residual,) = result.residual
    assert isinstance(residual, ResidualCheck)
    assert residual.name == "ck_0" and residual.check.sqltext == text


def test_residual_conjuncts_keep_their_own_sql_and_columns():
    """Test that only the conjunct that cannot compile is residual, with the columns it uses."""
    result = compiled("price > 0 AND (discount IS NULL OR discount < PRICE) AND lower(code) = code")
    assert result.rules["price"].lower == 0
    assert [r.sqltext for r in result.residual] == ["discount IS NULL OR discount < PRICE", "LOWER(code) = code"]
    assert result.residual[0].columns == {"discount", "price"}
    columns = {"discount": np.array([1.0, 5.0, np.nan]), "price": np.array([2.0, 2.0, 2.0])}
    assert evaluate_check(result.residual[0], columns).tolist() == [True, False, True]


def test_compile_puts_unparseable_checks_aside():
    """Test that a CHECK sqlglot cannot read is listed as unparsed and the rest still compiles."""
    broken = CheckSpec("x > AND", name="ck_broken")
    result = compile_checks([broken, CheckSpec("x > 1")], ["x"])
    assert result.unparsed == (broken,)
    assert result.rules["x"].lower == 1


def test_compile_merges_bounds_from_several_checks():
    """Test that the tightest lower and upper bounds win, and both sources are kept."""
    rule = compiled("x > 0", "x >= 5", "x < 100", "x <= 50").rules["x"]
    assert (rule.lower, rule.lower_inclusive, rule.upper, rule.upper_inclusive) == (5, True, 50, True)
    assert [s.name for s in rule.sources] == ["ck_0", "ck_1", "ck_2", "ck_3"]
    assert compiled("x >= 5", "x > 5").rules["x"].lower_inclusive is False


def test_compile_filters_allowed_values_by_every_other_rule():
    """Test that an IN-set is intersected and filtered by bounds, forbidden values, lengths and LIKE."""
    assert compiled("x IN (1, 5, 10, 20)", "x BETWEEN 2 AND 10").rules["x"].allowed == (5, 10)
    assert compiled("x BETWEEN 2 AND 10", "x IN (1, 5, 10, 20)").rules["x"].allowed == (5, 10)
    assert compiled("x IN (1, 2, 3)", "x IN (2, 3, 4)", "x <> 3").rules["x"].allowed == (2,)
    rule = compiled("code IN ('ab', 'abc', 'xbcd', 'abcd')", "length(code) >= 3", "code LIKE 'a%'").rules["code"]
    assert rule.allowed == ("abc", "abcd")


@pytest.mark.parametrize("texts, column", [
    (("x > 10", "x < 5"), "x"),
    (("x >= 5 AND x < 5",), "x"),
    (("x BETWEEN 10 AND 1",), "x"),
    (("x IN (1, 2)", "x > 5"), "x"),
    (("status IN ('a')", "status <> 'a'"), "status"),
    (("length(code) > 5 AND length(code) < 3",), "code"),
    (("length(code) < 0",), "code"),
    (("code IN ('abc')", "code ~ '^[0-9]+$'"), "code"),
])
def test_compile_raises_on_contradictions_naming_constraint_and_column(texts, column):
    """Test that rules leaving no value raise ConstraintUnsatisfiableError naming name, SQL and column."""
    with pytest.raises(ConstraintUnsatisfiableError) as raised:
        compiled(*texts)
    message = str(raised.value)
    assert f"'{column}'" in message
    assert f"ck_{len(texts) - 1}" in message and texts[-1] in message


def test_compile_raises_when_bounds_make_an_ordering_impossible():
    """Test that ``a < b`` with a >= 10 and b <= 5 is reported with all three constraints."""
    with pytest.raises(ConstraintUnsatisfiableError, match="ck_0.*ck_1.*ck_2|ck_2.*ck_0.*ck_1"):
        compiled("a >= 10", "b <= 5", "a < b")
    assert compiled("a >= 1", "b <= 5", "a < b").orderings


def test_compile_leaves_bounds_of_different_types_to_the_verifier():
    """Test that comparing a number bound with a text bound makes the later conjunct residual."""
    result = compiled("x > 0", "x > 'abc'")
    assert result.rules["x"].lower == 0
    assert [r.sqltext for r in result.residual] == ["x > 'abc'"]


def test_column_rule_admits():
    """Test ColumnRule.admits against bounds, forbidden values, lengths and patterns."""
    rule = compiled("code > 'b'", "code <> 'bz'", "length(code) BETWEEN 2 AND 3", "code LIKE '_z%'",
                    "code ~ 'z$'").rules["code"]
    assert rule.admits("cz")
    assert not rule.admits("bz")
    assert not rule.admits("az")
    assert not rule.admits("czzz")
    assert not rule.admits("cza")
    assert not compiled("x IN (1, 2)").rules["x"].admits(3)


@pytest.mark.parametrize("pattern, escape, matches, misses", [
    ("%@%", None, ["a@b", "@", "x\n@\ny"], ["ab"]),
    ("a_c", None, ["abc", "a.c"], ["ac", "abbc"]),
    ("50!%", "!", ["50%"], ["500"]),
    ("a.b*", None, ["a.b*"], ["axb*", "a.bb"]),
])
def test_like_regex(pattern, escape, matches, misses):
    """Test the LIKE-to-regex translation: wildcards, escapes and regex metacharacters."""
    regex = like_regex(pattern, escape)
    assert all(regex.fullmatch(m) for m in matches)
    assert not any(regex.fullmatch(m) for m in misses)


# --------------------------------------------------------------------------- evaluate

NUMS = np.array([-5, 0, 3, 10, 200])
WORDS = np.array(["apple", "Banana", "", "cherry pie", None], dtype=object)


@pytest.mark.parametrize("text, columns, expected", [
    ("x > 0", {"x": NUMS}, [False, False, True, True, True]),
    ("x >= 0 AND x < 150", {"x": NUMS}, [False, True, True, True, False]),
    ("0 < x", {"x": NUMS}, [False, False, True, True, True]),
    ("x = 3 OR x = 10", {"x": NUMS}, [False, False, True, True, False]),
    ("x <> 0", {"x": NUMS}, [True, False, True, True, True]),
    ("NOT x = 0", {"x": NUMS}, [True, False, True, True, True]),
    ("x BETWEEN 0 AND 10", {"x": NUMS}, [False, True, True, True, False]),
    ("x NOT BETWEEN 0 AND 10", {"x": NUMS}, [True, False, False, False, True]),
    ("x BETWEEN SYMMETRIC 10 AND 0", {"x": NUMS}, [False, True, True, True, False]),
    ("x IN (1, 3, 200)", {"x": NUMS}, [False, False, True, False, True]),
    ("x NOT IN (1, 3, 200)", {"x": NUMS}, [True, True, False, True, False]),
    ("x = ANY (ARRAY[0, 3])", {"x": NUMS}, [False, True, True, False, False]),
    ("x <> ALL (ARRAY[0, 3])", {"x": NUMS}, [True, False, False, True, True]),
    ("x % 2 = 0", {"x": NUMS}, [False, True, False, True, True]),
    ("x * 2 + 1 > 6", {"x": NUMS}, [False, False, True, True, True]),
    ("x - 1 >= 2", {"x": NUMS}, [False, False, True, True, True]),
    ("-x < 0", {"x": NUMS}, [False, False, True, True, True]),
    ("abs(x) = 5", {"x": NUMS}, [True, False, False, False, False]),
    ("x / 2 = 1", {"x": NUMS}, [False, False, True, False, False]),
    ("x / 2.0 = 1.5", {"x": NUMS}, [False, False, True, False, False]),
    ("CAST(x AS REAL) / 2 = 1.5", {"x": NUMS}, [False, False, True, False, False]),
    ("x::numeric > 3", {"x": NUMS}, [False, False, False, True, True]),
    ("CAST(x AS TEXT) = '10'", {"x": NUMS}, [False, False, False, True, False]),
    ("x > '5'", {"x": NUMS}, [False, False, False, True, True]),
    ("x", {"x": NUMS}, [True, False, True, True, True]),
    ("length(s) >= 5", {"s": WORDS}, [True, True, False, True, True]),
    ("char_length(s) = 0", {"s": WORDS}, [False, False, True, False, True]),
    ("s LIKE 'a%'", {"s": WORDS}, [True, False, False, False, True]),
    ("s LIKE '_a%'", {"s": WORDS}, [False, True, False, False, True]),
    ("s NOT LIKE '%e'", {"s": WORDS}, [False, True, True, False, True]),
    ("s ILIKE 'b%'", {"s": WORDS}, [False, True, False, False, True]),
    ("s LIKE '%!%%' ESCAPE '!'", {"s": np.array(["5%", "5"], dtype=object)}, [True, False]),
    ("s ~ '^[a-z]+$'", {"s": WORDS}, [True, False, False, False, True]),
    ("s ~* '^[a-z]+$'", {"s": WORDS}, [True, True, False, False, True]),
    ("s !~ 'an'", {"s": WORDS}, [True, False, True, True, True]),
    ("lower(s) = s", {"s": WORDS}, [True, False, True, True, True]),
    ("upper(s) <> s", {"s": WORDS}, [True, True, False, True, True]),
    ("trim(s) = s", {"s": np.array([" a", "a", "a ", "\ta"], dtype=object)}, [False, True, False, True]),
    ("ltrim(s) = 'a'", {"s": np.array([" a", "a ", "xa"], dtype=object)}, [True, False, False]),
    ("trim(BOTH 'x' FROM s) = 'a'", {"s": np.array(["xax", "a ", "xa"], dtype=object)}, [True, False, True]),
    ("s || '!' = 'apple!'", {"s": WORDS}, [True, False, False, False, True]),
    ("s IN ('apple', '')", {"s": WORDS}, [True, False, True, False, True]),
    ("s > 'B' AND s < 'b'", {"s": WORDS}, [True, True, False, False, True]),
    ("s <> ''", {"s": WORDS}, [True, True, False, True, True]),
    ('"S" <> \'\'', {"s": WORDS}, [True, True, False, True, True]),
    ("t.s <> ''", {"s": WORDS}, [True, True, False, True, True]),
    ("coalesce(s, 'zz') <> 'zz'", {"s": WORDS}, [True, True, True, True, False]),
    ("coalesce(s, NULL, 'q') = 'q'", {"s": WORDS}, [False, False, False, False, True]),
    ("s IS NOT NULL", {"s": WORDS}, [True, True, True, True, False]),
    ("s IS NULL", {"s": WORDS}, [False, False, False, False, True]),
    ("1 = 1", {"s": WORDS}, [True] * 5),
    ("1 = 0", {"s": WORDS}, [False] * 5),
])
def test_evaluate_each_construct(text, columns, expected):
    """Test the evaluator on one construct at a time (NULL rows pass)."""
    assert evaluate_check(text, columns, dialect="postgres").tolist() == expected


@pytest.mark.parametrize("text, expected", [
    ("a > 0", [True, False, True, True]),
    ("a > 0 AND b > 0", [True, False, False, True]),
    ("a > 0 OR b > 0", [True, True, True, True]),
    ("NOT (a > 0)", [False, True, True, True]),
    ("a > 0 AND b IS NOT NULL", [True, False, True, False]),
    ("a IN (1, NULL)", [True, True, True, True]),
    ("a NOT IN (1, NULL)", [False, True, True, True]),
    ("a = NULL", [True, True, True, True]),
    ("NOT (a IS NULL AND b IS NULL)", [True, True, True, False]),
    ("(a IS NULL) OR (b > a)", [False, True, True, True]),
    ("a IS NOT DISTINCT FROM b", [True, False, False, True]),
    ("a IS DISTINCT FROM b", [False, True, True, False]),
    ("(a > 0) IS TRUE", [True, False, False, False]),
    ("(a > 0) IS NOT FALSE", [True, False, True, True]),
    ("coalesce(a, b, 7) = 7", [False, False, False, True]),
    ("a + b > 0", [True, True, True, True]),
    ("a - b > 0", [False, False, True, True]),
])
def test_evaluate_three_valued_logic(text, expected):
    """Test SQL's three-valued logic: only a FALSE result fails a row."""
    columns = {"a": np.array([1, -1, 0, 0]), "b": np.array([1.0, 2.0, -3.0, np.nan])}
    nulls = {"a": np.array([False, False, True, True])}
    assert evaluate_check(text, columns, nulls).tolist() == expected


def test_evaluate_dates_against_string_literals():
    """Test datetime64 and date-object columns compared with '2020-01-01' literals and each other."""
    starts = np.array(["2019-12-31", "2020-01-01", "2020-06-01", "NaT"], dtype="datetime64[D]")
    ends = np.array([datetime.date(2020, 1, 1), datetime.date(2019, 1, 1), None, datetime.date(2000, 1, 1)],
                    dtype=object)
    columns = {"start_date": starts, "end_date": ends}
    assert evaluate_check("start_date >= '2020-01-01'", columns).tolist() == [False, True, True, True]
    assert evaluate_check("start_date >= DATE '2020-01-01'", columns).tolist() == [False, True, True, True]
    assert evaluate_check("(start_date >= '2020-01-01'::date)", columns, dialect="postgres").tolist() == [
        False, True, True, True]
    assert evaluate_check("start_date BETWEEN '2020-01-01' AND '2020-03-01'", columns).tolist() == [
        False, True, False, True]
    assert evaluate_check("end_date > start_date", columns).tolist() == [True, False, True, True]
    assert evaluate_check("start_date <= CURRENT_DATE", columns).tolist() == [True] * 4


def test_evaluate_timestamps_with_time_of_day():
    """Test datetime objects and datetime64[us] against timestamp literals."""
    moments = np.array([datetime.datetime(2020, 1, 1, 9), datetime.datetime(2020, 1, 1, 11)], dtype=object)
    assert evaluate_check("t > '2020-01-01 10:00:00'", {"t": moments}).tolist() == [False, True]
    as_numpy = moments.astype("datetime64[us]")
    assert evaluate_check("t::date = '2020-01-01'", {"t": as_numpy}).tolist() == [True, True]


def test_evaluate_decimal_objects():
    """Test that Decimal objects in object arrays (with None) compare as numbers."""
    prices = np.array([Decimal("10.50"), Decimal("-0.01"), None, Decimal("0")], dtype=object)
    assert evaluate_check("price > 0", {"price": prices}).tolist() == [True, False, True, False]
    assert evaluate_check("price * 2 = 21", {"price": prices}).tolist() == [True, False, True, False]


def test_evaluate_booleans_and_mixed_objects():
    """Test bool arrays, object arrays of bools and 0/1 comparisons."""
    flags = np.array([True, False, True])
    assert evaluate_check("active", {"active": flags}).tolist() == [True, False, True]
    assert evaluate_check("active = TRUE", {"active": flags}).tolist() == [True, False, True]
    assert evaluate_check("active IN (0, 1)", {"active": flags}).tolist() == [True, True, True]
    objects = np.array([True, None, False], dtype=object)
    assert evaluate_check("NOT active", {"active": objects}).tolist() == [False, True, True]
    assert evaluate_check("x > 1", {"x": np.array([1, 2.5, None], dtype=object)}).tolist() == [False, True, True]
    empty = np.array([None, None], dtype=object)
    assert evaluate_check("x > 1 AND length(x) < 0", {"x": empty}).tolist() == [True, True]


def test_evaluate_accepts_specs_trees_and_residuals():
    """Test every accepted form of the check argument."""
    columns = {"x": np.array([1, -1])}
    for check in ("x > 0", CheckSpec("x > 0", name="ck"), parse_check("x > 0"),
                  compiled("x * 2 > 0").residual[0]):
        assert evaluate_check(check, columns).tolist() == [True, False]


def test_evaluate_integer_division_and_modulo_follow_the_dialect():
    """Test truncating integer division, C-style modulo and NULL on division by zero."""
    x = {"x": np.array([-7, 7, 7])}
    assert evaluate_check("x / 2 = -3", x, dialect="sqlite").tolist() == [True, False, False]
    assert evaluate_check("x / 2 = -3.5", x).tolist() == [True, False, False]
    assert evaluate_check("x % 3 = -1", x, dialect="postgres").tolist() == [True, False, False]
    assert evaluate_check("x / 0 = 1", x, dialect="sqlite").tolist() == [True, True, True]
    assert evaluate_check("5.5 % 2 = 1.0", x, dialect="sqlite").tolist() == [True, True, True]
    assert evaluate_check("5.5 % 2 = 1.5", x, dialect="postgres").tolist() == [True, True, True]


def test_evaluate_like_case_follows_the_dialect():
    """Test that LIKE ignores ASCII case on SQLite only, not on PostgreSQL."""
    s = {"s": np.array(["ABC", "abc", "Äbc"], dtype=object)}
    assert evaluate_check("s LIKE 'a%'", s, dialect="sqlite").tolist() == [True, True, False]
    assert evaluate_check("s LIKE 'a%'", s, dialect="postgresql").tolist() == [False, True, False]


def test_evaluate_is_vectorised_over_many_rows():
    """Test a million rows in one call, with NULLs from a mask and NaN."""
    rng = np.random.default_rng(0)
    x = rng.integers(-100, 100, 1_000_000)
    y = rng.normal(size=1_000_000)
    y[::7] = np.nan
    null = x % 5 == 0
    result = evaluate_check("x BETWEEN -50 AND 50 AND y < 1.5", {"x": x, "y": y}, {"x": null})
    x_false = ~null & ((x < -50) | (x > 50))
    y_false = ~np.isnan(y) & (y >= 1.5)
    np.testing.assert_array_equal(result, ~(x_false | y_false))


@pytest.mark.parametrize("text, columns, construct", [
    ("octet_length(s) = 3", {"s": WORDS}, "octet_length"),
    ("s = 3", {"s": WORDS}, "string"),
    ("x IN (SELECT 1)", {"x": NUMS}, "subquery"),
    ("x > 1", {"y": NUMS}, "'x'"),
    ("s SIMILAR TO 'a%'", {"s": WORDS}, "SIMILARTO"),
    ("length(x) > 1", {"x": NUMS}, "text"),
    ("s LIKE t", {"s": WORDS, "t": WORDS}, "pattern"),
    ("x > 1", {"x": np.array([b"a"], dtype=object)}, "bytes"),
    ("x > 1", {"x": np.array([1], dtype="timedelta64[s]")}, "timedelta64"),
])
def test_evaluate_raises_unsupported_naming_the_construct(text, columns, construct):
    """Test that unknown functions, operators, types and columns raise UnsupportedCheckError."""
    with pytest.raises(UnsupportedCheckError, match=construct) as raised:
        evaluate_check(text, columns)
    assert text in str(raised.value)


# --------------------------------------------------------------------------- against SQLite


def sqlite_passes(check: str, rows: list[tuple]) -> list[bool]:
    """What SQLite decides per row: CHECK passes unless the expression is 0 (NULL passes)."""
    with sqlite3.connect(":memory:") as connection:
        connection.execute("CREATE TABLE t (a INTEGER, b REAL, s TEXT)")
        connection.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
        result = connection.execute(f"SELECT ({check}) IS NOT 0 FROM t ORDER BY rowid").fetchall()
    return [bool(passed) for (passed,) in result]


def as_columns(rows: list[tuple]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    a, b, s = zip(*rows, strict=True) if rows else ((), (), ())
    nulls = {"a": np.array([v is None for v in a], dtype=bool)}
    columns = {
        "a": np.array([0 if v is None else v for v in a], dtype=np.int64),
        "b": np.array([np.nan if v is None else v for v in b], dtype=np.float64),
        "s": np.array(s, dtype=object),
    }
    return columns, nulls


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


ALPHABET = "aAbB1 %_'"
texts = st.text(ALPHABET, max_size=4)
small_ints = st.integers(-12, 12)
quarters = st.integers(-40, 40).map(lambda k: k / 4)


def parenthesised(*parts: str) -> str:
    return "(" + " ".join(parts) + ")"


text_expressions = st.recursive(
    st.one_of(st.just("s"), texts.map(sql_text)),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["lower", "upper", "trim"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, inner).map(lambda t: parenthesised(t[0], "||", t[1])),
        st.tuples(inner, inner).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
    ),
    max_leaves=3,
)


def numeric_expressions(leaves: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%"]), inner).map(lambda t: parenthesised(*t)),
            inner.map(lambda e: f"-({e})"),
            inner.map(lambda e: f"abs({e})"),
            st.tuples(inner, inner).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
        ),
        max_leaves=4,
    )


# coalesce only joins operands of one type: SQLite types each row on its own, numpy each column
integer_expressions = numeric_expressions(st.one_of(
    st.just("a"), small_ints.map(str), text_expressions.map(lambda t: f"length({t})")))
real_expressions = numeric_expressions(st.one_of(st.just("b"), quarters.map(str)))
numbers = st.one_of(integer_expressions, real_expressions,
                    st.tuples(integer_expressions, st.sampled_from(["+", "*"]), real_expressions)
                    .map(lambda t: parenthesised(*t)))
comparators = st.sampled_from(["<", "<=", ">", ">=", "=", "<>", "!="])
literal_lists = st.lists(st.one_of(small_ints.map(str), st.just("NULL")), min_size=1, max_size=3)


def leaf_conditions() -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(numbers, comparators, numbers).map(lambda t: parenthesised(*t)),
        st.tuples(text_expressions, comparators, text_expressions).map(lambda t: parenthesised(*t)),
        st.tuples(numbers, st.sampled_from(["BETWEEN", "NOT BETWEEN"]), numbers, numbers)
        .map(lambda t: parenthesised(t[0], t[1], t[2], "AND", t[3])),
        st.tuples(integer_expressions, st.sampled_from(["IN", "NOT IN"]), literal_lists)
        .map(lambda t: parenthesised(t[0], t[1], "(" + ", ".join(t[2]) + ")")),
        st.tuples(text_expressions, st.sampled_from(["IN", "NOT IN"]), st.lists(texts, min_size=1, max_size=3))
        .map(lambda t: parenthesised(t[0], t[1], "(" + ", ".join(map(sql_text, t[2])) + ")")),
        st.tuples(text_expressions, st.sampled_from(["LIKE", "NOT LIKE"]), texts)
        .map(lambda t: parenthesised(t[0], t[1], sql_text(t[2]))),
        st.tuples(st.one_of(numbers, text_expressions), st.sampled_from(["IS NULL", "IS NOT NULL"]))
        .map(lambda t: parenthesised(*t)),
        st.sampled_from(["a", "b"]),
    )


conditions = st.recursive(
    leaf_conditions(),
    lambda inner: st.one_of(
        inner.map(lambda c: f"NOT {c}"),
        st.tuples(inner, st.sampled_from(["AND", "OR"]), inner).map(lambda t: parenthesised(*t)),
    ),
    max_leaves=4,
)
table_rows = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(-15, 15)),
              st.one_of(st.none(), st.floats(-20, 20, allow_nan=False, width=32).map(float), quarters),
              st.one_of(st.none(), texts)),
    min_size=1, max_size=12,
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(check=conditions, rows=table_rows)
def test_evaluate_agrees_with_sqlite(check, rows):
    """Test random CHECK expressions over random rows with NULLs: evaluate_check matches SQLite row by row."""
    columns, nulls = as_columns(rows)
    assert evaluate_check(check, columns, nulls, dialect="sqlite").tolist() == sqlite_passes(check, rows)


@pytest.mark.parametrize("check", [
    "a >= 0 AND a < 10", "s IN ('a', 'b')", "b > a", "length(s) = 1", "s LIKE 'A%'", "a IS NOT NULL",
    "NOT (a IS NULL AND b IS NULL)", "(a IS NULL) OR (b > a)", "lower(s) = s", "coalesce(a, 0) >= 0",
    "a * b <= 10", "s <> ''", "NOT s = 'b'", "a BETWEEN 0 AND 5", "a IN (1, 2, 3)", "a % 2 = 0",
])
def test_compiled_rules_and_evaluation_agree_with_sqlite_check_constraints(check):
    """Test against real CHECK constraints: SQLite accepts a row exactly when evaluate_check passes it,
    and every row that the compiled rules admit is accepted."""
    rows = [(a, b, s) for a in (None, -1, 0, 1, 2, 7, 12) for b in (None, -0.5, 1.5, 8.0)
            for s in (None, "", "a", "A", "b", "ab")]
    accepted = []
    with sqlite3.connect(":memory:") as connection:
        connection.execute(f"CREATE TABLE t (a INTEGER, b REAL, s TEXT, CHECK ({check}))")
        for row in rows:
            try:
                connection.execute("INSERT INTO t VALUES (?, ?, ?)", row)
                accepted.append(True)
            except sqlite3.IntegrityError:
                accepted.append(False)
    columns, nulls = as_columns(rows)
    assert evaluate_check(check, columns, nulls, dialect="sqlite").tolist() == accepted

    rules = compile_checks([CheckSpec(check)], ["a", "b", "s"], "sqlite")
    if rules.residual:
        return
    for row, ok in zip(rows, accepted, strict=True):
        values = dict(zip("abs", row, strict=True))
        admitted = all(
            (values[name] is None and not rule.not_null)
            or (values[name] is not None and rule.admits(values[name]))
            for name, rule in rules.rules.items()
        ) and all(
            values[o.lesser] is None or values[o.greater] is None
            or (values[o.lesser] < values[o.greater] if o.strict else values[o.lesser] <= values[o.greater])
            for o in rules.orderings
        )
        assert admitted == ok, (row, rules)
