"""Realism at scale, judged the way a person opening the database would: with SQL on seeded tables.

UNIQUE names of companies, people, products and titles, user names: no numeric suffix ("Walker and
Sons 3") up to a million distinct values; product names agree with their row's category (checked
against the family vocabulary loaded into the same database); descriptions name their row;
websites come from the company's own name; the table's docstring steers the product vocabulary.
The million-row checks run on the generators themselves (vectorised, a few seconds); the SQL
checks seed 10,000 rows on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sqlalchemy_syda import generate, seed
from sqlalchemy_syda.generators.base import GenContext
from sqlalchemy_syda.generators.company import CompanyName
from sqlalchemy_syda.generators.formats import Formats
from sqlalchemy_syda.generators.person import PersonPart
from sqlalchemy_syda.generators.pools import get_pools
from sqlalchemy_syda.generators.product_vocabulary import FAMILIES
from sqlalchemy_syda.generators.products import ProductCategory, ProductName, family_of_category
from sqlalchemy_syda.generators.titles import Titles
from sqlalchemy_syda.streams import Stream

MILLION = 1_000_000
ENDS_IN_NUMBER = re.compile(r"\d$")

metadata = sa.MetaData()
customers = sa.Table(
    "customers", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True, comment="Customer organization name"),
    sa.Column("industry", sa.String(50)),
    sa.Column("website", sa.String(100)),
    sa.Column("notes", sa.Text),
)
people = sa.Table(
    "people", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("first_name", sa.String(50), nullable=False),
    sa.Column("last_name", sa.String(50), nullable=False),
    sa.Column("full_name", sa.String(120), nullable=False, unique=True),
    sa.Column("username", sa.String(80), nullable=False, unique=True),
)
products = sa.Table(
    "products", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True, comment="Product name"),
    sa.Column("category", sa.String(50), comment="Product category"),
    sa.Column("description", sa.Text, comment="Detailed product description"),
)
projects = sa.Table(
    "projects", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(120), nullable=False, unique=True),
)


def ctx_for(rows: int, locale: str = "en_US", columns: dict | None = None) -> GenContext:
    return GenContext(Stream.root(7).child("column"), Stream.root(7), pools=get_pools(locale), n_total=rows,
                      table="t", columns=columns or {})


# ------------------------------------------------------------------------------- a million distinct


@pytest.mark.parametrize("make", [
    pytest.param(CompanyName, id="company_name"),
    pytest.param(lambda: PersonPart("full_name"), id="full_name"),
    pytest.param(lambda: PersonPart("username"), id="username"),
    pytest.param(lambda: PersonPart("email"), id="email"),
    pytest.param(ProductName, id="product_name"),
    pytest.param(Titles, id="title"),
])
def test_a_million_unique_values_have_no_numeric_suffix(make):
    """Test that a million UNIQUE values are distinct and none ends in a number (the old pools: 97.7 % did)."""
    gen = make()
    ctx = ctx_for(MILLION)
    assert gen.capacity(ctx) >= MILLION
    values = gen.unique().generate(ctx, np.arange(MILLION))
    assert len(set(values.tolist())) == MILLION
    suffixed = [v for v in values.tolist() if ENDS_IN_NUMBER.search(v.split("@")[0])]
    assert suffixed == []


def test_product_names_within_categories_stay_distinct_at_a_million():
    """Test a million UNIQUE product names drawn inside their row's category: distinct, each from its family."""
    rows = np.arange(MILLION)
    ctx = ctx_for(MILLION)
    categories = ProductCategory().generate(ctx, rows)
    names = ProductName(category="category").unique().generate(ctx_for(MILLION, columns={"category": categories}),
                                                                rows)
    assert len(set(names.tolist())) == MILLION
    sample = np.random.default_rng(0).choice(MILLION, 20_000, replace=False)
    assert all(any(noun in names[i] for noun in family_of_category(categories[i]).nouns) for i in sample)


@pytest.mark.parametrize("locale", ["en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL"])
def test_company_names_of_every_locale_reach_a_million(locale):
    """Test that each locale's company names (its legal forms and trade words) hold a million distinct values."""
    ctx = ctx_for(MILLION, locale)
    gen = CompanyName()
    assert gen.capacity(ctx) >= MILLION
    sample = gen.at(ctx, np.random.default_rng(1).choice(gen.domain(ctx), 200_000, replace=False))
    assert len(set(sample.tolist())) == len(sample)
    assert not any(ENDS_IN_NUMBER.search(v) for v in sample.tolist())


def test_people_get_middle_initials_only_when_the_names_run_out():
    """Test that 10k people have no middle initial, while a million use initials to stay distinct without numbers."""
    small = PersonPart("full_name").generate(ctx_for(10_000), np.arange(10_000))
    assert not any(". " in v for v in small.tolist())
    first, last = len(get_pools().first_names), len(get_pools().last_names)
    assert first * last > 300_000  # the locale's whole lists, not a sample of them
    large = PersonPart("full_name").generate(ctx_for(MILLION), np.arange(200_000))
    share = np.mean([bool(re.fullmatch(r"\S+ [A-Z]\. \S+", v)) for v in large.tolist()])
    assert 0.2 < share < 0.8


def test_past_the_capacity_values_get_a_number_and_capacity_says_where():
    """Test the documented fallback: a tiny vocabulary gives its distinct values, then numbered laps."""
    gen = Formats((("{a} {b}", 1),), "tiny", vocabulary={"a": ("Red", "Blue"), "b": ("Fox", "Owl", "Cat")})
    ctx = ctx_for(20)
    assert gen.capacity(ctx) == 6
    values = gen.unique().generate(ctx, np.arange(20)).tolist()
    assert len(set(values)) == 20
    plain = [v for v in values if not ENDS_IN_NUMBER.search(v)]
    assert len(plain) <= 6 and set(plain) <= {f"{a} {b}" for a in ("Red", "Blue") for b in ("Fox", "Owl", "Cat")}


def test_the_recipe_says_when_names_will_carry_a_number():
    """Test that describe() of a table whose UNIQUE column needs more values than its generator has names
    the capacity and the suffix in the column's reason."""
    from sqlalchemy_syda import table_specs
    from sqlalchemy_syda.recipe_planner import TableInputs, table_recipe

    table = sa.Table("staff", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("job_title", sa.String(80), unique=True, nullable=False))
    spec = table_specs([table])[0]
    rows = {r["column"]: r for r in table_recipe(TableInputs(spec, 5_000)).describe()}
    assert "numeric suffix" in rows["job_title"]["reason"]
    rows = {r["column"]: r for r in table_recipe(TableInputs(spec, 50)).describe()}
    assert "numeric suffix" not in rows["job_title"]["reason"]


# ------------------------------------------------------------------------------- in the database


@pytest.fixture(scope="module")
def vocabulary_rows() -> list[dict]:
    return [{"category": c, "noun": n} for f in FAMILIES.values() for c in f.categories for n in f.nouns]


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_seeded_database_reads_as_real(engine: sa.Engine, vocabulary_rows: list[dict]) -> None:
    """Test, in SQL on 10,000 seeded rows per table: no name ends in a number, every product's name is a noun of
    its own category, every description names its product, every website is made from its company's name."""
    metadata.create_all(engine)
    seed(engine, {t: 10_000 for t in metadata.sorted_tables}, seed=3)
    vocab = sa.Table("vocab", sa.MetaData(), sa.Column("category", sa.String(50)), sa.Column("noun", sa.String(50)))
    vocab.create(engine)
    ends_in_digit = "SUM(CASE WHEN substr({col}, length({col})) BETWEEN '0' AND '9' THEN 1 ELSE 0 END)"
    with engine.begin() as conn:
        conn.execute(vocab.insert(), vocabulary_rows)
        for table, column in (("customers", "name"), ("people", "full_name"), ("people", "username"),
                              ("products", "name"), ("projects", "title")):
            count, suffixed = conn.execute(sa.text(
                f"SELECT COUNT(*), {ends_in_digit.format(col=column)} FROM {table}")).one()
            assert (count, suffixed) == (10_000, 0), f"{table}.{column}"
        wrong_family = conn.execute(sa.text(
            "SELECT COUNT(*) FROM products p WHERE p.category IS NOT NULL AND NOT EXISTS ("
            "  SELECT 1 FROM vocab v WHERE v.category = p.category AND p.name LIKE '%' || v.noun || '%')")).scalar()
        categorised = conn.execute(sa.text("SELECT COUNT(*) FROM products WHERE category IS NOT NULL")).scalar()
        assert categorised > 9_000 and wrong_family == 0
        unnamed = conn.execute(sa.text(
            "SELECT COUNT(*) FROM products WHERE description IS NOT NULL AND "
            "position(name IN description) = 0" if engine.dialect.name == "postgresql" else
            "SELECT COUNT(*) FROM products WHERE description IS NOT NULL AND instr(description, name) = 0")).scalar()
        assert unnamed == 0
        # the first word of the company's name (letters only) is in its website
        first_word = ("lower(replace(replace(split_part(name, ' ', 1), ',', ''), '''', ''))"
                      if engine.dialect.name == "postgresql" else
                      "lower(replace(replace(substr(name, 1, instr(name || ' ', ' ') - 1), ',', ''), '''', ''))")
        websites, foreign = conn.execute(sa.text(
            f"SELECT COUNT(*), SUM(CASE WHEN website LIKE '%' || {first_word} || '%' THEN 0 ELSE 1 END) "
            "FROM customers WHERE website IS NOT NULL")).one()
        assert websites > 8_000 and foreign == 0
        notes, unnamed_notes = conn.execute(sa.text(
            "SELECT COUNT(*), SUM(CASE WHEN notes LIKE '%' || name || '%' THEN 0 ELSE 1 END) FROM customers "
            "WHERE notes IS NOT NULL")).one()
        assert notes > 5_000 and unnamed_notes == 0


@pytest.fixture
def engine(request: pytest.FixtureRequest):
    from schemas import make_engine

    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "pg_schema_url"}[request.param])
    engine = make_engine(url)
    yield engine
    engine.dispose()


# ------------------------------------------------------------------------------- the schema's own words


class Base(DeclarativeBase):
    pass


class CloudProduct(Base):
    """Products of a cloud software company: subscriptions sold per seat."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True, comment="Product name")
    category: Mapped[str | None] = mapped_column(sa.String(40), comment="Product category")
    description: Mapped[str | None] = mapped_column(sa.Text, comment="Product description")


def test_docstring_steers_the_product_vocabulary_without_an_llm():
    """Test that "products of a cloud software company" gives software categories and software product names."""
    frame = generate(CloudProduct, 2_000, seed=5)
    software = FAMILIES["software"]
    assert set(frame["category"].dropna()) <= set(software.categories)
    assert frame["category"].nunique() == len(software.categories)
    assert frame["name"].map(lambda n: any(noun in n for noun in software.nouns)).all()
    described = frame.dropna(subset=["description"])
    assert described.apply(lambda r: r["name"] in r["description"], axis=1).all()


def test_user_categories_map_to_families_by_their_words():
    """Test that a user's own category names (an enum) find their family through keywords, the rest the general one."""
    table = sa.Table("items", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("title", sa.String(80), comment="Product name"),
                     sa.Column("category", sa.Enum("Kitchenware", "Laptops", "Dog beds", "Widgets", name="cat"),
                               nullable=False))
    frame = generate(table, 3_000, seed=2)
    expected = {"Kitchenware": "home_kitchen", "Laptops": "computers", "Dog beds": "pets", "Widgets": "general"}
    for category, family in expected.items():
        names = frame.loc[frame["category"] == category, "title"]
        assert len(names) > 100
        assert names.map(lambda n, f=family: any(noun in n for noun in FAMILIES[f].nouns)).all(), category


def test_row_coherence_does_not_depend_on_the_chunk_size():
    """Test that names drawn inside their category, descriptions and websites are the same in any chunking."""
    whole = generate([customers, products], 3_000, seed=11)
    pieces = generate([customers, products], 3_000, seed=11, chunk_size=777)
    for name in ("customers", "products"):
        assert whole[name].equals(pieces[name])


def test_industry_follows_the_company_name():
    """Test that a customer called 'Walker Logistics LLC' is in Logistics: the industry column reads the name's
    trade word, and names without one keep the usual mix of industries."""
    from sqlalchemy_syda.generators.company import _INDUSTRY_OF_LINE

    frame = generate(customers, 3_000, seed=8).dropna(subset=["industry"])
    traded = frame[frame["name"].map(lambda n: any(w in _INDUSTRY_OF_LINE for w in n.replace(",", " ").split()))]
    assert len(traded) > 500
    for name, industry in zip(traded["name"], traded["industry"]):
        word = next(w for w in name.replace(",", " ").split() if w in _INDUSTRY_OF_LINE)
        assert industry == _INDUSTRY_OF_LINE[word], (name, industry)
    assert frame["industry"].nunique() > 20


def test_notes_without_a_name_to_mention_read_as_working_notes():
    """Test that an order's notes are working notes (some naming its status), not random words."""
    from sqlalchemy_syda.generators.row_text import _MORE, _TEMPLATES

    orders = sa.Table("orders", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("status", sa.String(20), comment="New, Shipped, Delivered"),
                      sa.Column("notes", sa.Text))
    frame = generate(orders, 2_000, seed=4).dropna()
    stock = set(_MORE["note"])
    status_lead = [t.split("{status}")[0] for t in _TEMPLATES["note"] if "{status}" in t and "{name}" not in t]
    named = frame.apply(lambda r: r["status"].lower() in r["notes"], axis=1)
    assert named.mean() > 0.3
    first = frame["notes"].map(lambda n: n.split(". ")[0] + ("" if n.split(". ")[0].endswith(".") else "."))
    assert all(f in stock or any(f.startswith(lead) for lead in status_lead) for f in first)
