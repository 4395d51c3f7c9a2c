"""Schemas the partition tests seed: the CRM, and one with a self-reference, a nullable cycle, a composite
foreign key and UNIQUE columns; helpers that measure a database in SQL (an md5 over every row of a table)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, ForeignKeyConstraint, Integer, String, Table, UniqueConstraint

GRAPH = sa.MetaData()

nodes = Table(  # a self-reference (a tree) with a UNIQUE code
    "nodes", GRAPH,
    Column("id", Integer, primary_key=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("label", String(60), nullable=False),
    Column("parent_id", Integer, ForeignKey("nodes.id"), nullable=True),
)
teams = Table(  # a nullable cycle: teams.lead_id -> members.id, members.team_id -> teams.id
    "teams", GRAPH,
    Column("id", Integer, primary_key=True),
    Column("name", String(60), nullable=False),
    Column("lead_id", Integer, ForeignKey("members.id", use_alter=True, name="fk_team_lead"), nullable=True),
)
members = Table(
    "members", GRAPH,
    Column("id", Integer, primary_key=True),
    Column("email", String(120), nullable=False, unique=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("node_id", Integer, ForeignKey("nodes.id"), nullable=False),
)
sites = Table(  # a composite primary key ...
    "sites", GRAPH,
    Column("region", String(8), primary_key=True),
    Column("site_no", Integer, primary_key=True),
    Column("city", String(80), nullable=False),
)
racks = Table(  # ... and a composite foreign key to it
    "racks", GRAPH,
    Column("id", Integer, primary_key=True),
    Column("region", String(8), nullable=False),
    Column("site_no", Integer, nullable=False),
    Column("serial", String(24), nullable=False),
    Column("note", String(200)),
    ForeignKeyConstraint(["region", "site_no"], ["sites.region", "sites.site_no"], name="fk_rack_site"),
    UniqueConstraint("serial", name="uq_rack_serial"),
)

GRAPH_COUNTS = {"nodes": 700, "teams": 150, "members": 900, "sites": 250, "racks": 1_000}
CRM_COUNTS = {"customers": 400, "contacts": 700, "products": 300, "orders": 900, "order_items": 1_500}


def table_md5(conn, table: str) -> tuple[int, str]:
    """Rows and the md5 over every row of ``table`` (its text form, in primary-key order)."""
    order = {"sites": "region, site_no"}.get(table, "id")
    return tuple(conn.execute(sa.text(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY {order}), '')) "
                                      f"FROM {table} t")).one())


def database_md5(engine: sa.Engine, tables) -> dict[str, tuple[int, str]]:
    with engine.connect() as conn:
        return {t: table_md5(conn, t) for t in tables}


def staging_left(engine: sa.Engine) -> list[str]:
    """Staging tables of any run still in the database."""
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE tablename LIKE 'syda_stage_%'"))
                    .scalars())
