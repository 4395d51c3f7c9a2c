"""Coherence across tables, measured in SQL on the seeded database (issue #11).

On the CRM, a clinic and a marketplace (examples/): no child dated before its parent, carried values equal
to the parent's, aggregates equal to the sum of the children, one primary/default flag per parent, orders
without items rare; on SQLite, PostgreSQL and MariaDB. Rules are shown, turned off and declared.
"""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

from examples import clinic_models, crm_models, marketplace_models
from sqlalchemy_syda import SchemaError, generate, seed
from sqlalchemy_syda.relations import plan_relations

CRM_COUNTS = {"customers": 150, "contacts": 400, "products": 80, "orders": 500, "order_items": 1400}
CLINIC_COUNTS = {"patients": 120, "emergency_contacts": 250, "treatments": 30, "appointments": 300,
                 "invoices": 300, "invoice_lines": 700, "payments": 320}
MARKET_COUNTS = {"sellers": 40, "payout_accounts": 90, "listings": 300, "orders": 700, "payments": 700}


def _scalar(conn, sql: str) -> int:
    return int(conn.execute(sa.text(sql)).scalar() or 0)


def _fk_join(child: str, parent: str, via, ref) -> str:
    return " AND ".join(f"{child}.{c} = {parent}.{r}" for c, r in zip(via, ref))


def _violations(conn, plan) -> dict[str, int]:
    """Per relation of the plan: rows of the seeded database that break it (measured in SQL)."""
    out = {}
    for tp in plan.tables:
        table = tp.spec.fullname
        for rel in tp.recipe.relations:
            key = f"{table}: {rel.describe()}"
            if rel.kind in ("after_parent", "from_parent"):
                fk = next(f for f in tp.spec.foreign_keys if f.columns == rel.via)
                on = _fk_join("c", "p", rel.via, fk.ref_columns)
                test = f"c.{rel.column} < p.{rel.source}" if rel.kind == "after_parent" else \
                    f"c.{rel.column} <> p.{rel.source}"
                out[key] = _scalar(conn, f"SELECT COUNT(*) FROM {table} c JOIN {rel.other} p ON {on} WHERE {test}")
            elif rel.kind == "aggregate":
                child = plan.table(rel.other).spec
                fk = next(f for f in child.foreign_keys if f.columns == rel.via)
                on = _fk_join("c", "p", rel.via, fk.ref_columns)
                expr = "COUNT(*)" if rel.source == "count(*)" else \
                    "SUM(" + rel.source[4:-1].replace("quantity", "c.quantity").replace("unit_price", "c.unit_price") + ")"
                total = f"COALESCE((SELECT {expr} FROM {rel.other} c WHERE {on}), 0)"
                out[key] = _scalar(conn, f"SELECT COUNT(*) FROM {table} p WHERE ABS(p.{rel.column} - {total}) > "
                                         f"0.01 + 0.00001 * ABS({total})")
            elif rel.kind == "exactly_one":
                groups = ", ".join(rel.via)
                out[key] = _scalar(conn, f"SELECT COUNT(*) FROM (SELECT {groups} FROM {table} GROUP BY {groups} "
                                         f"HAVING SUM(CASE WHEN {rel.column} THEN 1 ELSE 0 END) <> 1) s")
    return out


def _fresh(engine, base) -> None:
    base.metadata.drop_all(engine)
    base.metadata.create_all(engine)


def test_crm_is_coherent_as_a_database(db_engine):
    _fresh(db_engine, crm_models.Base)
    result = seed(db_engine, CRM_COUNTS, seed=5)
    with db_engine.connect() as conn:
        # the issue's own measurements, written out
        assert _scalar(conn, "SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
                             "WHERE o.order_date < c.created_at") == 0
        assert _scalar(conn, "SELECT COUNT(*) FROM order_items i JOIN products p ON p.id = i.product_id "
                             "WHERE i.unit_price <> p.price") == 0
        assert _scalar(conn, "SELECT COUNT(*) FROM orders o WHERE ABS(COALESCE(o.total_amount, -1) - COALESCE(("
                             "SELECT SUM(i.quantity * i.unit_price) FROM order_items i WHERE i.order_id = o.id), 0))"
                             " > 0.01 + 0.00001 * ABS(o.total_amount)") == 0
        assert _scalar(conn, "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i "
                             "WHERE i.order_id = o.id)") == 0
        assert _scalar(conn, "SELECT COUNT(*) FROM (SELECT customer_id FROM contacts GROUP BY customer_id "
                             "HAVING SUM(CASE WHEN is_primary THEN 1 ELSE 0 END) <> 1) s") == 0
        assert _scalar(conn, "SELECT COUNT(*) FROM contacts WHERE is_primary") == \
            _scalar(conn, "SELECT COUNT(DISTINCT customer_id) FROM contacts")
        items = _scalar(conn, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM order_items GROUP BY order_id) s")
        assert 2 <= items <= 5  # 1-5 items per order (from the names)
        mails = conn.execute(sa.text("SELECT c.email, u.website FROM contacts c JOIN customers u "
                                     "ON u.id = c.customer_id")).all()
        violations = _violations(conn, result.plan)
    from sqlalchemy_syda.generators.parent_values import domain_of

    at_site = [(mail, site) for mail, site in mails if site]
    assert len(at_site) > 300 and all(mail.endswith("@" + domain_of(site)) for mail, site in at_site)
    assert len({m for m, _ in mails}) == len(mails) == CRM_COUNTS["contacts"]  # still UNIQUE
    assert len(violations) == 4 and set(violations.values()) == {0}, violations


@pytest.mark.parametrize("module, counts", [(clinic_models, CLINIC_COUNTS), (marketplace_models, MARKET_COUNTS)],
                         ids=["clinic", "marketplace"])
def test_clinic_and_marketplace_are_coherent(db_engine, module, counts):
    if module is clinic_models and db_engine.dialect.name == "mysql":
        pytest.skip("MariaDB has no partial indexes: the clinic's one-primary-contact index would be a plain UNIQUE")
    _fresh(db_engine, module.Base)
    result = seed(db_engine, counts, seed=11)
    kinds = sorted(r.kind for tp in result.plan.tables for r in tp.recipe.relations)
    assert {"after_parent", "from_parent", "aggregate", "exactly_one"} <= set(kinds)
    with db_engine.connect() as conn:
        violations = _violations(conn, result.plan)
        assert violations and set(violations.values()) == {0}, violations
        if module is clinic_models:  # a payment after its invoice, after its appointment, after registering
            assert _scalar(conn, "SELECT COUNT(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                                 "JOIN appointments a ON a.id = i.appointment_id JOIN patients t ON t.id = a.patient_id "
                                 "WHERE p.paid_at < i.issued_at OR i.issued_at < a.scheduled_at "
                                 "OR a.scheduled_at < t.registered_at") == 0
            assert _scalar(conn, "SELECT COUNT(*) FROM invoices i WHERE line_count <> (SELECT COUNT(*) FROM "
                                 "invoice_lines l WHERE l.invoice_id = i.id)") == 0
            assert _scalar(conn, "SELECT COUNT(*) FROM invoices i WHERE line_count = 0") == 0
        else:
            assert _scalar(conn, "SELECT COUNT(*) FROM sellers s WHERE listing_count <> (SELECT COUNT(*) FROM "
                                 "listings l WHERE l.seller_id = s.id)") == 0
            assert _scalar(conn, "SELECT COUNT(*) FROM listings l JOIN sellers s ON s.id = l.seller_id "
                                 "WHERE l.ship_from_country <> s.country OR l.currency <> s.currency") == 0
            assert _scalar(conn, "SELECT COUNT(DISTINCT currency) FROM orders") > 1  # carried, not one constant


def test_without_relations_the_same_measurements_fail(sqlite_engine):
    """The checks above can fail: with the inferred rules off, the CRM has the issue's defects again."""
    _fresh(sqlite_engine, crm_models.Base)
    result = seed(sqlite_engine, CRM_COUNTS, seed=5, relations=False)
    assert all(not tp.recipe.relations for tp in result.plan.tables)
    with sqlite_engine.connect() as conn:
        bad = [n for n in _violations_of_crm(conn) if n > 0]
    assert len(bad) == 4


def _violations_of_crm(conn) -> list[int]:
    return [
        _scalar(conn, "SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
                      "WHERE o.order_date < c.created_at"),
        _scalar(conn, "SELECT COUNT(*) FROM order_items i JOIN products p ON p.id = i.product_id "
                      "WHERE i.unit_price <> p.price"),
        _scalar(conn, "SELECT COUNT(*) FROM orders o WHERE ABS(COALESCE(o.total_amount, -1) - COALESCE(("
                      "SELECT SUM(i.quantity * i.unit_price) FROM order_items i WHERE i.order_id = o.id), 0)) > 0.01"),
        _scalar(conn, "SELECT COUNT(*) FROM (SELECT customer_id FROM contacts GROUP BY customer_id "
                      "HAVING SUM(CASE WHEN is_primary THEN 1 ELSE 0 END) <> 1) s"),
    ]


def test_children_of_parents_already_in_the_database_follow_them(db_engine):
    """Parents written by an earlier seed: the rules read the columns they need from the database."""
    _fresh(db_engine, crm_models.Base)
    seed(db_engine, [crm_models.Customer, crm_models.Product], rows=60, seed=1)
    result = seed(db_engine, {crm_models.Order: 200, crm_models.OrderItem: 500}, seed=2)
    assert {r.kind for tp in result.plan.tables for r in tp.recipe.relations} >= {"after_parent", "from_parent",
                                                                                   "aggregate"}
    with db_engine.connect() as conn:
        assert _violations_of_crm(conn)[:3] == [0, 0, 0]


def test_top_up_updates_only_the_new_parents(sqlite_engine):
    _fresh(sqlite_engine, crm_models.Base)
    models = [crm_models.Customer, crm_models.Product, crm_models.Order, crm_models.OrderItem]
    seed(sqlite_engine, models, rows=50, seed=1)
    with sqlite_engine.begin() as conn:
        conn.execute(sa.text("UPDATE orders SET total_amount = -7 WHERE id = 1"))  # the user's own row
    seed(sqlite_engine, {"customers": 50, "products": 50, "orders": 80, "order_items": 200}, seed=1, existing="top-up")
    with sqlite_engine.connect() as conn:
        assert _scalar(conn, "SELECT total_amount FROM orders WHERE id = 1") == -7
        assert _scalar(conn, "SELECT COUNT(*) FROM orders WHERE id > 50 AND ABS(total_amount - (SELECT "
                             "SUM(quantity * unit_price) FROM order_items i WHERE i.order_id = orders.id)) > 0.01") == 0


def test_generate_keeps_the_same_rules_in_the_frames():
    frames = generate(crm_models.MODELS, CRM_COUNTS, seed=3)
    orders, items = frames["orders"].set_index("id"), frames["order_items"]
    customers, products = frames["customers"].set_index("id"), frames["products"].set_index("id")
    assert (orders.order_date >= customers.created_at.reindex(orders.customer_id).to_numpy()).all()
    assert (items.unit_price.to_numpy() == products.price.reindex(items.product_id).to_numpy()).all()
    sums = (items.quantity * items.unit_price).groupby(items.order_id).sum().reindex(orders.index).fillna(0)
    assert ((orders.total_amount - sums).abs() < 0.01).all()
    assert (frames["contacts"].groupby("customer_id").is_primary.sum() == 1).all()


def test_same_seed_same_data_at_any_chunk_size():
    a = generate(clinic_models.MODELS, CLINIC_COUNTS, seed=9, chunk_size=37)
    b = generate(clinic_models.MODELS, CLINIC_COUNTS, seed=9)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_rules_are_shown_with_their_reasons(sqlite_engine):
    _fresh(sqlite_engine, crm_models.Base)
    result = seed(sqlite_engine, crm_models.MODELS, rows=20, dry_run=True)
    text = result.plan.describe()
    assert "relation (inferred): order_date >= customers.created_at (via customer_id)" in text
    assert "total_amount = sum(quantity * unit_price) of order_items" in text
    assert "'unit_price' ('Price per unit at time of order') is the price the row's products had" in text
    assert "order_id: between(1, 5) per orders" in text
    assert not any("UPDATE" in s for s in result.sql)  # computed with the rows: no UPDATE afterwards
    reasons = {r["column"]: r["reason"] for r in result.plan.table("contacts").recipe.describe()}
    assert "exactly one row per customers" in reasons["is_primary"]


def test_inspect_prints_the_relations(sqlite_url):
    from click.testing import CliRunner

    from sqlalchemy_syda.cli import main

    engine = sa.create_engine(sqlite_url)
    crm_models.Base.metadata.create_all(engine)
    out = CliRunner().invoke(main, ["inspect", "--url", sqlite_url])
    assert out.exit_code == 0, out.output
    assert "relation (inferred): unit_price = products.price (via product_id)" in out.output


def test_one_rule_turned_off_keeps_the_others():
    rules = plan_relations([s for s in _crm_specs()], {}, {"orders.order_date": None,
                                                            crm_models.Contact.is_primary: False})
    described = [r.describe() for rels in rules.values() for r in rels]
    assert not any("order_date" in d or "is_primary" in d for d in described)
    assert any("unit_price = products.price" in d for d in described)
    frames = generate(crm_models.MODELS, CRM_COUNTS, seed=3, relations={"orders.order_date": None})
    orders, customers = frames["orders"], frames["customers"].set_index("id")
    assert (orders.order_date < customers.created_at.reindex(orders.customer_id).to_numpy()).sum() > 50


def _crm_specs():
    from sqlalchemy_syda.introspect import table_specs

    return table_specs(crm_models.MODELS)


def test_a_declared_discount_and_info_declarations(db_engine):
    Base = declarative_base()

    class Account(Base):
        __tablename__ = "accounts"
        id = sa.Column(sa.Integer, primary_key=True)
        opened_on = sa.Column(sa.Date, nullable=False)
        tally = sa.Column(sa.Integer, nullable=False, info={"syda": {"relation": "count(visits)"}})

    class Visit(Base):
        __tablename__ = "visits"
        id = sa.Column(sa.Integer, primary_key=True)
        account_id = sa.Column(sa.Integer, sa.ForeignKey("accounts.id"), nullable=False)
        seen_on = sa.Column(sa.Date, nullable=False, info={"syda": {"relation": None}})  # inferred rule off
        fee = sa.Column(sa.Float, nullable=False)
        price = sa.Column(sa.Float, nullable=False)

    class Product(Base):
        __tablename__ = "products"
        id = sa.Column(sa.Integer, primary_key=True)
        price = sa.Column(sa.Float, nullable=False)

    class Line(Base):
        __tablename__ = "sale_lines"
        id = sa.Column(sa.Integer, primary_key=True)
        product_id = sa.Column(sa.Integer, sa.ForeignKey("products.id"), nullable=False)
        sold_for = sa.Column(sa.Float, nullable=False)

    Base.metadata.create_all(db_engine)
    result = seed(db_engine, {Account: 30, Visit: 200, Product: 20, Line: 400}, seed=4, relations={
        Line.sold_for: {"from": "products.price", "discount": (0.5, 0.2)}})
    rules = {(tp.spec.fullname, r.column): r for tp in result.plan.tables for r in tp.recipe.relations}
    assert rules[("accounts", "tally")].declared == "info"
    assert rules[("sale_lines", "sold_for")].declared == "option"
    assert ("visits", "seen_on") not in rules and ("visits", "price") not in rules  # off; no parent price
    with db_engine.connect() as conn:
        assert _scalar(conn, "SELECT COUNT(*) FROM accounts a WHERE tally <> (SELECT COUNT(*) FROM visits v "
                             "WHERE v.account_id = a.id)") == 0
        q = "SELECT COUNT(*) FROM sale_lines l JOIN products p ON p.id = l.product_id WHERE "
        assert _scalar(conn, q + "l.sold_for > p.price * 1.0001 OR l.sold_for < p.price * 0.7999") == 0
        discounted = _scalar(conn, q + "l.sold_for < p.price * 0.9999")
        assert 120 < discounted < 280  # about half the lines


@pytest.mark.parametrize("value, message", [
    ("after nowhere.created_at", "'nowhere' is not among the seeded tables"),
    ("after customers.born", "'customers' has no column 'born'"),
    ("from products.price", "'orders' has no foreign key to 'products'"),
    ("sometimes", "cannot read 'sometimes'"),
    ({"from": "customers.created_at", "discount": 3}, "discount must be"),
    (42, "expected a string"),
])
def test_bad_declarations_say_what_to_write(value, message):
    with pytest.raises(SchemaError, match=message):
        generate(crm_models.MODELS, 5, relations={"orders.order_date": value})


def test_relations_must_be_a_mapping_or_a_bool():
    with pytest.raises(SchemaError, match="relations must be True, False or a mapping"):
        generate(crm_models.MODELS, 5, relations="off")
    with pytest.raises(SchemaError, match="relations key 'orders.nope'"):
        generate(crm_models.MODELS, 5, relations={"orders.nope": None})


def test_a_failed_seed_leaves_the_database_as_it_was(sqlite_engine):
    """The UPDATEs run in the seed's transaction: a failure in one rolls everything back."""
    _fresh(sqlite_engine, crm_models.Base)
    seed(sqlite_engine, {"customers": 20, "contacts": 30}, seed=1)
    with sqlite_engine.begin() as conn:
        conn.execute(sa.text("CREATE TRIGGER no_new_primary BEFORE UPDATE OF is_primary ON contacts "
                             "BEGIN SELECT RAISE(ABORT, 'no new primaries'); END"))
    from sqlalchemy_syda import WriteError

    with pytest.raises(WriteError, match="relations written after the rows"):  # contacts there: the UPDATE
        seed(sqlite_engine, {"customers": 20, "contacts": 60}, seed=2)
    with sqlite_engine.connect() as conn:
        assert _scalar(conn, "SELECT COUNT(*) FROM contacts") == 30 and _scalar(conn, "SELECT COUNT(*) FROM customers") == 20


def test_rows_already_there_get_the_update_path(db_engine):
    """Children already in the table (exactly-one) or a foreign key from an override (aggregates): the rules
    are written by one set-based UPDATE after the rows, on every database."""
    _fresh(db_engine, crm_models.Base)
    seed(db_engine, {"customers": 20, "contacts": 30}, seed=1)
    result = seed(db_engine, {"customers": 20, "contacts": 60}, seed=2)
    assert any("UPDATE" in s for s in seed(db_engine, {"customers": 1, "contacts": 1}, dry_run=True).sql)
    seed(db_engine, {"products": 10, "orders": 5, "order_items": 40}, seed=3,
         overrides={"order_items.order_id": lambda k: 1 if k % 2 else 2})
    with db_engine.connect() as conn:
        assert _scalar(conn, "SELECT COUNT(*) FROM (SELECT customer_id FROM contacts GROUP BY customer_id "
                             "HAVING SUM(CASE WHEN is_primary THEN 1 ELSE 0 END) <> 1) s") == 0
        assert _scalar(conn, "SELECT COUNT(*) FROM contacts WHERE is_primary") == \
            _scalar(conn, "SELECT COUNT(DISTINCT customer_id) FROM contacts")
        assert _scalar(conn, "SELECT COUNT(*) FROM orders WHERE id > 2 AND total_amount <> 0") == 0
        assert _violations_of_crm(conn)[2] == 0
    assert result.counts["contacts"] == 60


def test_clinic_partial_unique_index_on_the_flag_is_in_the_database(pg_engine):
    _fresh(pg_engine, clinic_models.Base)
    seed(pg_engine, CLINIC_COUNTS, seed=2)
    with pg_engine.connect() as conn:
        assert _scalar(conn, "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'one_primary_contact' "
                             "AND indexdef LIKE '%WHERE is_primary%'") == 1
        assert _scalar(conn, "SELECT COUNT(*) FROM emergency_contacts WHERE is_primary") == \
            _scalar(conn, "SELECT COUNT(DISTINCT patient_id) FROM emergency_contacts")


def test_emails_at_few_domains_stay_unique(sqlite_engine):
    """Thousands of contacts at five customers: local parts repeat at a domain and are drawn again."""
    _fresh(sqlite_engine, crm_models.Base)
    seed(sqlite_engine, {"customers": 5, "contacts": 3000}, seed=8,
         overrides={"customers.website": lambda k: f"https://www.firm{k}.example.com"})
    with sqlite_engine.connect() as conn:
        assert _scalar(conn, "SELECT COUNT(DISTINCT email) FROM contacts") == 3000
        assert _scalar(conn, "SELECT COUNT(*) FROM contacts c JOIN customers u ON u.id = c.customer_id "
                             "WHERE c.email NOT LIKE '%@' || substr(u.website, 13)") == 0


def test_a_childs_own_check_wins_over_its_parents_time(db_engine):
    """Regression (found by the random-schema property test): a child date with CHECK (d <= '2002-12-31') under
    parents created in 2023-2025 keeps its own date instead of being moved past its CHECK."""
    Base = declarative_base()

    class Owner(Base):
        __tablename__ = "owners"
        id = sa.Column(sa.Integer, primary_key=True)
        created_at = sa.Column(sa.Date, nullable=False)

    class Item(Base):
        __tablename__ = "items"
        __table_args__ = (sa.CheckConstraint("made_on >= '2000-01-01' AND made_on <= '2002-12-31'", name="ck_made"),
                          sa.CheckConstraint("sold_on < '2024-06-01'", name="ck_sold"))
        id = sa.Column(sa.Integer, primary_key=True)
        owner_id = sa.Column(sa.Integer, sa.ForeignKey("owners.id"), nullable=False)
        made_on = sa.Column(sa.Date, nullable=False)
        sold_on = sa.Column(sa.Date, nullable=False)

    Base.metadata.create_all(db_engine)
    seed(db_engine, {Owner: 50, Item: 400}, seed=3)
    with db_engine.connect() as conn:
        assert _scalar(conn, "SELECT COUNT(*) FROM items WHERE made_on > '2002-12-31' OR sold_on >= '2024-06-01'") == 0
        late = _scalar(conn, "SELECT COUNT(*) FROM items i JOIN owners o ON o.id = i.owner_id "
                             "WHERE i.sold_on < o.created_at AND o.created_at < '2024-06-01'")
        assert late == 0  # where the CHECK leaves room, the parent's time is still followed


def test_the_cli_turns_the_relations_off(sqlite_url):
    from click.testing import CliRunner

    from sqlalchemy_syda.cli import main

    args = ["plan", "--url", sqlite_url, "--models", "examples.crm_models:Base", "--create-tables", "--rows", "10"]
    on, off = CliRunner().invoke(main, args), CliRunner().invoke(main, [*args, "--no-relations"])
    assert on.exit_code == 0 == off.exit_code, on.output + off.output
    assert "relation (inferred)" in on.output and "relation (" not in off.output


def test_schema_files_declare_and_turn_off_relations():
    from sqlalchemy_syda.schema_files import parse_schema_text

    schema = parse_schema_text("""
tables:
  baskets:
    id: number
    opened: {type: date, relation: null}
    worth: {type: price, relation: "sum(basket_lines.price)"}
  basket_lines:
    id: number
    basket_id: {type: foreign_key, references: baskets.id}
    price: {type: price}
    added: {type: date, relation: "after baskets.opened"}
""", fmt="yaml")
    frames = generate(schema.specs, {"baskets": 30, "basket_lines": 90}, seed=2)
    baskets, lines = frames["baskets"].set_index("id"), frames["basket_lines"]
    sums = lines.groupby("basket_id").price.sum().reindex(baskets.index).fillna(0)
    assert ((baskets.worth - sums).abs() < 0.01).all()
    assert (lines.added.to_numpy() >= baskets.opened.reindex(lines.basket_id).to_numpy()).all()
    rules = {r.column: r for r in plan_relations(schema.specs, {}, None)["basket_lines"]}
    assert rules["added"].declared == "info"


def test_two_workers_write_the_same_coherent_data(tmp_path):
    """Workers are forked processes: what the parents keep for their children is not shared with them, and
    the values come out the same all the same."""
    from schemas import make_engine

    rows = {}
    for workers in (1, 2):
        engine = make_engine(f"sqlite:///{tmp_path / f'w{workers}.db'}")
        crm_models.Base.metadata.create_all(engine)
        seed(engine, CRM_COUNTS, seed=6, workers=workers, chunk_size=150)
        with engine.connect() as conn:
            rows[workers] = {t: conn.execute(sa.text(f"SELECT * FROM {t} ORDER BY id")).all() for t in CRM_COUNTS}
            assert _violations_of_crm(conn) == [0, 0, 0, 0]
        engine.dispose()
    assert rows[1] == rows[2]


def test_no_rule_through_a_foreign_key_cycle(db_engine):
    """Two tables that point at each other (a nullable cycle): neither reads the other's rows (that would
    read its own rows back), and the seed goes through."""
    Base = declarative_base()

    class Team(Base):
        __tablename__ = "teams"
        id = sa.Column(sa.Integer, primary_key=True)
        created_at = sa.Column(sa.DateTime, nullable=False)
        captain_id = sa.Column(sa.Integer, sa.ForeignKey("players.id", use_alter=True), nullable=True)

    class Player(Base):
        __tablename__ = "players"
        id = sa.Column(sa.Integer, primary_key=True)
        team_id = sa.Column(sa.Integer, sa.ForeignKey("teams.id"), nullable=False)
        created_at = sa.Column(sa.DateTime, nullable=False)
        is_primary = sa.Column(sa.Boolean, nullable=False)

    class LineItem(Base):
        __tablename__ = "line_items"
        id = sa.Column(sa.Integer, primary_key=True)
        player_id = sa.Column(sa.Integer, sa.ForeignKey("players.id"), nullable=False)

    rules = plan_relations([t for t in _specs(Team, Player, LineItem)], {}, None)
    assert rules["teams"] == () and rules["players"] == () and rules["line_items"] == ()
    Base.metadata.create_all(db_engine)
    assert seed(db_engine, {Team: 10, Player: 40}, seed=1).counts == {"teams": 10, "players": 40}


def _specs(*models):
    from sqlalchemy_syda.introspect import table_specs

    return table_specs(list(models))
