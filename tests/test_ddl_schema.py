"""Tests for sqlalchemy_syda.ddl_schema: CREATE TABLE text -> specs, and rows the same DDL accepts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sqlalchemy_syda import generate, seed
from sqlalchemy_syda.ddl_schema import ddl_metadata, ddl_specs
from sqlalchemy_syda.exceptions import SchemaError
from sqlalchemy_syda.schema_files import parse_schema_text

SHOP = """
-- a shop
CREATE TABLE customers (
    id SERIAL PRIMARY KEY,
    email VARCHAR(120) NOT NULL UNIQUE,
    age INT CHECK (age >= 18 AND age < 100),
    tier VARCHAR(10) NOT NULL CHECK (tier IN ('free', 'pro', 'team')),
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE orders (
    id BIGINT,
    customer_id INT NOT NULL REFERENCES customers (id),
    total NUMERIC(10, 2) NOT NULL,
    note TEXT,
    PRIMARY KEY (id),
    CONSTRAINT uq_orders UNIQUE (customer_id, total),
    CONSTRAINT ck_total CHECK (total > 0)
);
"""


def test_ddl_reads_types_keys_and_constraints() -> None:
    users, orders = ddl_specs(SHOP)
    assert (users.name, orders.name) == ("customers", "orders")
    assert users.column("email").length == 120 and users.column("email").unique and not users.column("email").nullable
    assert orders.column("total").precision == 10 and orders.column("total").scale == 2
    assert orders.primary_key == ("id",) and not orders.column("id").nullable
    assert [(fk.columns, fk.ref_table, fk.ref_columns) for fk in orders.foreign_keys] == \
        [(("customer_id",), "customers", ("id",))]
    assert {c.name for c in orders.checks} == {"ck_total"}
    assert any(u.columns == ("customer_id", "total") for u in orders.uniques)


def test_rows_from_ddl_are_accepted_by_the_same_ddl_on_sqlite(tmp_path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'shop.db'}")
    sa.event.listen(engine, "connect", lambda c, _: c.execute("PRAGMA foreign_keys=ON"))
    ddl_metadata(SHOP).create_all(engine)  # the tables as SQLAlchemy renders them for SQLite
    seed(engine, {"customers": 50, "orders": 200}, seed=1)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id")
                            ).scalar() == 200
        assert conn.execute(sa.text("SELECT count(DISTINCT tier) FROM customers")).scalar() == 3
    frames = generate(ddl_specs(SHOP), {"customers": 20, "orders": 40}, seed=1)
    assert frames["orders"]["customer_id"].isin(frames["customers"]["id"]).all()
    assert frames["customers"]["age"].dropna().between(18, 99).all()
    engine.dispose()


def test_parse_schema_text_tells_sql_from_yaml_and_json() -> None:
    assert [s.name for s in parse_schema_text(SHOP).specs] == ["customers", "orders"]
    assert [s.name for s in parse_schema_text('{"id": "number", "email": "email"}', default_name="u").specs] == ["u"]
    yaml_text = "tables:\n  a:\n    id: number\ncounts: {a: 3}\n"
    assert parse_schema_text(yaml_text).counts == {"a": 3}


@pytest.mark.parametrize(("ddl", "message"), [
    ("", "empty"),
    ("SELECT 1", "Only CREATE TABLE statements"),
    ("CREATE TABLE t (id INT REFERENCES missing (id))", "does not create"),
    ("CREATE TABLE t (id INT, PRIMARY KEY (nope))", "does not have"),
    ("CREATE TABLE t (id INT); CREATE TABLE t (id INT)", "created twice"),
    ("CREATE TABLE t (geom GEOMETRY)", "not read from DDL"),
    ("CREATE TABLE t (id INT", "could not be parsed"),
])
def test_bad_ddl_gets_a_clear_error(ddl, message) -> None:
    with pytest.raises(SchemaError, match=message):
        ddl_metadata(ddl)
