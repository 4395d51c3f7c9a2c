"""seed() against real databases: PostgreSQL, SQLite (foreign keys on) and MariaDB.

Every assertion reads the rows back from the database, which enforces the constraints itself.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
import sqlalchemy as sa
from schemas import (
    CRM,
    Account,
    Author,
    BankAccount,
    Book,
    Booking,
    Category,
    CrmBase,
    CycleBase,
    Department,
    Edition,
    Employee,
    Engineer,
    InheritBase,
    KeysBase,
    Owner,
    Passport,
    Person,
    Profile,
    Shelf,
    ShopBase,
    Staff,
    Student,
    TreeBase,
    Warehouse,
    count,
    create,
    crm_models,
    enrollments,
    make_engine,
    not_null_cycle,
    on_sqlite_and_mariadb,
    on_sqlite_and_pg,
    orphans,
    rows,
    scalar,
)
from sqlalchemy.orm import Session

from sqlalchemy_syda import (
    ConstraintUnsatisfiableError,
    PlanError,
    SchemaError,
    SydaError,
    UnresolvableCycleError,
    WriteError,
    generate,
    seed,
)

CRM_TABLES = ["customers", "contacts", "products", "orders", "order_items"]
CRM_COUNTS = {crm_models.Customer: 40, crm_models.Contact: 120, crm_models.Product: 30, crm_models.Order: 100,
              crm_models.OrderItem: 300}


def dump(engine: sa.Engine, table: str, order: str = "id") -> list[tuple]:
    return rows(engine, f"SELECT * FROM {table} ORDER BY {order}")


def wipe(engine: sa.Engine, metadata: sa.MetaData) -> None:
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


# --- the seed document's CRM --------------------------------------------------------------------------


def test_crm_counts_integrity_uniqueness_and_realism(db_engine):
    CrmBase.metadata.create_all(db_engine)
    result = seed(db_engine, CRM_COUNTS, seed=7)

    assert result.counts == {"customers": 40, "contacts": 120, "products": 30, "orders": 100, "order_items": 300}
    assert {t: count(db_engine, t) for t in CRM_TABLES} == result.counts
    assert list(result.counts) .index("customers") < list(result.counts).index("orders")  # FK order
    for child, fk, parent in [("contacts", "customer_id", "customers"), ("orders", "customer_id", "customers"),
                              ("order_items", "order_id", "orders"), ("order_items", "product_id", "products")]:
        assert orphans(db_engine, child, fk, parent) == 0, f"{child}.{fk}"
    assert scalar(db_engine, "SELECT COUNT(DISTINCT email) FROM contacts") == 120
    assert scalar(db_engine, "SELECT COUNT(DISTINCT name) FROM customers") == 40
    assert scalar(db_engine, "SELECT COUNT(DISTINCT name) FROM products") == 30

    # realistic values, spot-checked
    contacts = rows(db_engine, "SELECT first_name, last_name, email, phone FROM contacts")
    assert all(re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", email) for _, _, email, _ in contacts)
    assert all(first[:1].isupper() and first.replace("-", "").replace("'", "").isalpha() for first, *_ in contacts)
    coherent = sum(first.lower() in email.lower() or last.lower() in email.lower() for first, last, email, _ in contacts)
    assert coherent >= 0.5 * len(contacts), "emails should mostly be built from the contact's name"
    assert all(phone is None or re.fullmatch(r"[+\d][\d\s().\-x]{6,19}", phone) for *_, phone in contacts)
    assert {r[0] for r in rows(db_engine, "SELECT status FROM customers")} <= {"Active", "Inactive", "Prospect", None}
    assert {r[0] for r in rows(db_engine, "SELECT status FROM orders")} <= \
        {"New", "Processing", "Shipped", "Delivered", "Cancelled", None}
    assert all(w is None or w.startswith(("http://", "https://"))
               for (w,) in rows(db_engine, "SELECT website FROM customers"))
    assert scalar(db_engine, "SELECT MIN(price) FROM products") > 0
    assert scalar(db_engine, "SELECT MIN(quantity) FROM order_items") >= 1
    assert scalar(db_engine, "SELECT MIN(unit_price) FROM order_items") > 0
    dates = [d if isinstance(d, dt.date) else dt.date.fromisoformat(d)
             for (d,) in rows(db_engine, "SELECT order_date FROM orders")]
    assert all(dt.date(2000, 1, 1) <= d <= dt.date.today() + dt.timedelta(days=366) for d in dates)
    assert len(set(dates)) > 50


def test_tables_given_by_name_are_read_from_the_database(db_engine):
    create(db_engine, Author, Book)
    result = seed(db_engine, {"books": 10, "authors": 5}, seed=2)
    assert result.counts == {"authors": 5, "books": 10}
    seed(db_engine, {"authors": 5, "books": 10}, seed=2)
    assert count(db_engine, "authors") == 10 and count(db_engine, "books") == 20
    assert scalar(db_engine, "SELECT COUNT(DISTINCT email) FROM authors") == 10
    assert orphans(db_engine, "books", "author_id", "authors") == 0
    with db_engine.begin() as conn:  # ids and sequences continue after the seeded rows
        conn.execute(sa.text("INSERT INTO authors (email, name) VALUES ('late@example.com', 'Late Comer')"))
    assert scalar(db_engine, "SELECT MAX(id) FROM authors") == 11


# --- self references ---------------------------------------------------------------------------------


@on_sqlite_and_pg
def test_nullable_self_reference_points_to_earlier_rows(db_engine):
    TreeBase.metadata.create_all(db_engine)
    seed(db_engine, {Category: 200}, seed=3)

    assert count(db_engine, "categories") == 200
    assert orphans(db_engine, "categories", "parent_id", "categories") == 0
    assert count(db_engine, "categories", "parent_id > id") == 0
    assert 0 < count(db_engine, "categories", "parent_id IS NULL") < 200  # roots exist, not only roots
    depth_two = scalar(db_engine, "SELECT COUNT(*) FROM categories c JOIN categories p ON c.parent_id = p.id "
                                  "WHERE p.parent_id IS NOT NULL")
    assert depth_two > 0


def test_not_null_self_reference_points_to_earlier_rows_or_itself(db_engine):
    TreeBase.metadata.create_all(db_engine)
    seed(db_engine, {Employee: 150}, seed=3)

    assert count(db_engine, "employees") == 150
    assert count(db_engine, "employees", "manager_id IS NULL") == 0
    assert count(db_engine, "employees", "manager_id > id") == 0
    assert orphans(db_engine, "employees", "manager_id", "employees") == 0
    assert count(db_engine, "employees", "id = 1 AND manager_id = 1") == 1  # the first row can only be its own
    depth_two = scalar(db_engine, "SELECT COUNT(*) FROM employees e JOIN employees m ON e.manager_id = m.id "
                                  "WHERE m.manager_id <> m.id")
    assert depth_two > 0


# --- FK cycles ------------------------------------------------------------------------------------------


def test_nullable_cycle_null_first_then_updated(db_engine):
    CycleBase.metadata.create_all(db_engine)
    result = seed(db_engine, {Department: 12, Staff: 60}, seed=1)

    dept = result.plan.table("departments")
    assert [fk.columns for fk in dept.deferred] == [("head_id",)]
    assert "NULL first, UPDATE after" in result.plan.describe()
    assert count(db_engine, "departments") == 12 and count(db_engine, "staff") == 60
    assert count(db_engine, "departments", "head_id IS NULL") == 0, "the deferred FK values were written by UPDATE"
    assert orphans(db_engine, "departments", "head_id", "staff") == 0
    assert orphans(db_engine, "staff", "department_id", "departments") == 0


@pytest.mark.postgres
def test_not_null_cycle_through_deferrable_constraints(pg_engine):
    md, husbands, wives = not_null_cycle(deferrable=True)
    md.create_all(pg_engine)
    result = seed(pg_engine, {husbands: 25, wives: 25}, seed=2)

    assert result.plan.deferred_constraints and not result.plan.altered_constraints
    assert "deferred check" in result.plan.describe()
    assert count(pg_engine, "husbands") == 25 and count(pg_engine, "wives") == 25
    assert orphans(pg_engine, "husbands", "wife_id", "wives") == 0
    assert orphans(pg_engine, "wives", "husband_id", "husbands") == 0
    assert count(pg_engine, "husbands", "wife_id IS NULL") == count(pg_engine, "wives", "husband_id IS NULL") == 0


@pytest.mark.postgres
def test_not_null_cycle_with_alter_constraints_restores_them(pg_engine):
    md, husbands, wives = not_null_cycle(deferrable=False)
    md.create_all(pg_engine)
    result = seed(pg_engine, {husbands: 20, wives: 20}, alter_constraints=True)

    assert result.plan.altered_constraints
    assert "made deferrable for the seed" in result.plan.describe()
    assert orphans(pg_engine, "husbands", "wife_id", "wives") == 0
    assert orphans(pg_engine, "wives", "husband_id", "husbands") == 0
    deferrable = rows(pg_engine, "SELECT conname, condeferrable, condeferred FROM pg_constraint WHERE contype = 'f' "
                                 "AND connamespace = CAST(current_schema() AS regnamespace) ORDER BY conname")
    assert deferrable == [("fk_husband_wife", False, False), ("fk_wife_husband", False, False)]


@pytest.mark.postgres
def test_not_null_cycle_without_a_way_out_on_postgres(pg_engine):
    md, husbands, wives = not_null_cycle(deferrable=False)
    md.create_all(pg_engine)
    with pytest.raises(UnresolvableCycleError) as info:
        seed(pg_engine, {husbands: 5, wives: 5})
    msg = str(info.value)
    assert "husbands" in msg and "wives" in msg and "wife_id" in msg
    assert "nullable" in msg and "DEFERRABLE" in msg and "alter_constraints=True" in msg
    assert count(pg_engine, "husbands") == count(pg_engine, "wives") == 0


@on_sqlite_and_mariadb
def test_not_null_cycle_is_unresolvable_without_postgres(db_engine):
    md, husbands, wives = not_null_cycle(deferrable=False)
    md.create_all(db_engine)
    with pytest.raises(UnresolvableCycleError, match=r"husbands -> wives -> husbands|wives -> husbands -> wives") \
            as info:
        seed(db_engine, {husbands: 5, wives: 5}, alter_constraints=True)
    assert "nullable" in str(info.value) and "PostgreSQL" in str(info.value)
    assert count(db_engine, "husbands") == 0


# --- composite keys, many-to-many, one-to-one, inheritance -------------------------------------------------


@on_sqlite_and_pg
def test_composite_primary_and_foreign_key(db_engine):
    create(db_engine, Warehouse, Shelf)
    seed(db_engine, {Warehouse: 12, Shelf: 80}, seed=4)

    assert count(db_engine, "warehouses") == 12 and count(db_engine, "shelves") == 80
    assert scalar(db_engine, "SELECT COUNT(*) FROM (SELECT DISTINCT region, site_no FROM warehouses) t") == 12
    assert scalar(db_engine, "SELECT COUNT(*) FROM shelves s LEFT JOIN warehouses w ON s.region = w.region "
                             "AND s.site_no = w.site_no WHERE w.region IS NULL") == 0
    used = scalar(db_engine, "SELECT COUNT(*) FROM (SELECT DISTINCT region, site_no FROM shelves) t")
    assert used > 1  # children spread over the parents, pairs taken together from one parent row


@on_sqlite_and_pg
def test_many_to_many_association_table_gets_unique_pairs(db_engine):
    create(db_engine, Student, KeysBase.metadata.tables["courses"], enrollments)
    result = seed(db_engine, {Student: 20, enrollments: 100, KeysBase.metadata.tables["courses"]: 10}, seed=5)

    assert result.counts["enrollments"] == count(db_engine, "enrollments") == 100
    assert scalar(db_engine, "SELECT COUNT(*) FROM (SELECT DISTINCT student_id, course_id FROM enrollments) t") == 100
    assert orphans(db_engine, "enrollments", "student_id", "students") == 0
    assert orphans(db_engine, "enrollments", "course_id", "courses") == 0


@on_sqlite_and_pg
def test_one_to_one_primary_key_fk_and_unique_fk(db_engine):
    create(db_engine, Account, Profile, Passport)
    seed(db_engine, {Account: 30, Profile: 20, Passport: 25}, seed=6)

    assert count(db_engine, "profiles") == 20 and count(db_engine, "passports") == 25
    assert scalar(db_engine, "SELECT COUNT(DISTINCT account_id) FROM profiles") == 20
    assert scalar(db_engine, "SELECT COUNT(DISTINCT account_id) FROM passports") == 25
    assert orphans(db_engine, "profiles", "account_id", "accounts") == 0
    assert orphans(db_engine, "passports", "account_id", "accounts") == 0


def test_one_to_one_with_too_few_parents_is_a_clear_error(sqlite_engine):
    create(sqlite_engine, Account, Profile)
    with pytest.raises(ConstraintUnsatisfiableError, match=r"one-to-one.*10 rows.*5"):
        seed(sqlite_engine, {Account: 5, Profile: 10})
    assert count(sqlite_engine, "accounts") == 0


def test_one_to_one_append_takes_new_parents(sqlite_engine):
    """A primary key that is also a foreign key gets parent keys, not a continued sequence."""
    create(sqlite_engine, Account, Profile)
    seed(sqlite_engine, {Account: 30, Profile: 20})
    seed(sqlite_engine, {Account: 10, Profile: 5}, seed=1)
    assert count(sqlite_engine, "profiles") == 25
    assert count(sqlite_engine, "profiles", "account_id > 30") == 5
    assert orphans(sqlite_engine, "profiles", "account_id", "accounts") == 0


@on_sqlite_and_pg
def test_joined_inheritance_seeds_the_parent_table(db_engine):
    InheritBase.metadata.create_all(db_engine)
    result = seed(db_engine, {Engineer: 12}, seed=8)

    assert result.counts == {"people": 12, "engineers": 12}
    assert "added" in result.plan.describe()
    assert {r[0] for r in rows(db_engine, "SELECT id FROM people")} == \
        {r[0] for r in rows(db_engine, "SELECT id FROM engineers")}
    assert {r[0] for r in rows(db_engine, "SELECT kind FROM people")} == {"engineer"}
    with Session(db_engine) as s:
        engineers = s.scalars(sa.select(Engineer)).all()
        assert len(engineers) == 12
        assert all(e.name and e.language for e in engineers)


def test_inheritance_base_class_rows_load_as_that_class(sqlite_engine):
    InheritBase.metadata.create_all(sqlite_engine)
    seed(sqlite_engine, {Person: 5})
    with Session(sqlite_engine) as s:
        people = s.scalars(sa.select(Person)).all()
    assert len(people) == 5 and {type(p) for p in people} == {Person}


# --- partial unique index, CHECK constraints ---------------------------------------------------------------


@on_sqlite_and_pg
def test_partial_unique_index_is_respected(db_engine):
    create(db_engine, Owner, BankAccount)
    seed(db_engine, {Owner: 20, BankAccount: 15}, seed=9)
    assert count(db_engine, "bank_accounts") == 15
    assert scalar(db_engine, "SELECT COUNT(*) FROM (SELECT owner_id FROM bank_accounts WHERE is_primary "
                             "GROUP BY owner_id HAVING COUNT(*) > 1) t") == 0


@on_sqlite_and_pg
def test_partial_unique_index_only_restricts_matching_rows(db_engine):
    create(db_engine, Owner, BankAccount)
    seed(db_engine, {Owner: 10, BankAccount: 60}, seed=9, chunk_size=7)
    assert count(db_engine, "bank_accounts") == 60
    assert scalar(db_engine, "SELECT COUNT(DISTINCT owner_id) FROM bank_accounts") <= 10
    assert scalar(db_engine, "SELECT COUNT(*) FROM (SELECT owner_id FROM bank_accounts WHERE is_primary "
                             "GROUP BY owner_id HAVING COUNT(*) > 1) t") == 0
    assert count(db_engine, "bank_accounts", "is_primary") >= 5  # the predicate still holds where it may


def test_partial_unique_index_does_not_depend_on_chunk_size():
    frames = [generate([Owner, BankAccount], {Owner: 10, BankAccount: 80}, seed=4, chunk_size=size)
              for size in (3, 17, 1000)]
    for other in frames[1:]:
        pd.testing.assert_frame_equal(frames[0]["bank_accounts"], other["bank_accounts"])


def test_check_constraints_are_respected(db_engine):
    create(db_engine, Booking)
    seed(db_engine, {Booking: 300}, seed=10)

    assert count(db_engine, "bookings") == 300
    assert count(db_engine, "bookings", "nights < 1 OR nights > 14") == 0
    assert count(db_engine, "bookings", "price <= 0 OR price >= 5000") == 0
    assert count(db_engine, "bookings", "status NOT IN ('new', 'paid', 'cancelled')") == 0
    assert count(db_engine, "bookings", "check_out <= check_in") == 0
    assert count(db_engine, "bookings", "discount > price") == 0
    assert count(db_engine, "bookings", "code NOT LIKE 'BK-%'") == 0
    assert scalar(db_engine, "SELECT COUNT(DISTINCT status) FROM bookings") == 3
    assert scalar(db_engine, "SELECT COUNT(DISTINCT nights) FROM bookings") >= 10


# --- existing rows ----------------------------------------------------------------------------------------


def test_append_twice_with_the_same_seed_continues_ids_and_unique_values(db_engine):
    ShopBase.metadata.create_all(db_engine)
    seed(db_engine, {Author: 10, Book: 30}, seed=1)
    seed(db_engine, {Author: 10, Book: 30}, seed=1)

    assert [r[0] for r in rows(db_engine, "SELECT id FROM authors ORDER BY id")] == list(range(1, 21))
    assert [r[0] for r in rows(db_engine, "SELECT id FROM books ORDER BY id")] == list(range(1, 61))
    assert scalar(db_engine, "SELECT COUNT(DISTINCT email) FROM authors") == 20
    assert scalar(db_engine, "SELECT COUNT(DISTINCT isbn) FROM books") == 60
    assert count(db_engine, "books", "id > 30 AND author_id <= 10") == 0  # new children, new parents
    assert orphans(db_engine, "books", "author_id", "authors") == 0
    with Session(db_engine) as s, s.begin():  # the database's own key generation continues after the seed
        s.add(Author(email="late@example.com", full_name="Late Comer"))
        s.flush()
        assert s.scalar(sa.select(sa.func.max(Author.id))) == 21


@on_sqlite_and_pg
def test_reuse_points_children_at_existing_parents_too(db_engine):
    ShopBase.metadata.create_all(db_engine)
    seed(db_engine, {Author: 10, Book: 20}, seed=1)
    seed(db_engine, {Author: 10, Book: 200}, seed=2, existing="reuse")

    assert count(db_engine, "authors") == 20 and count(db_engine, "books") == 220
    assert count(db_engine, "books", "id > 20 AND author_id <= 10") > 0  # pre-existing parents
    assert count(db_engine, "books", "id > 20 AND author_id > 10") > 0  # and the new ones
    assert orphans(db_engine, "books", "author_id", "authors") == 0


@on_sqlite_and_pg
def test_top_up_writes_only_the_missing_rows(db_engine):
    ShopBase.metadata.create_all(db_engine)
    seed(db_engine, {Author: 10, Book: 20}, seed=1)
    first = seed(db_engine, {Author: 25, Book: 20}, seed=3, existing="top-up")
    assert first.counts == {"authors": 15, "books": 0}
    assert count(db_engine, "authors") == 25 and count(db_engine, "books") == 20
    before = dump(db_engine, "authors")
    again = seed(db_engine, {Author: 25, Book: 20}, seed=3, existing="top-up")
    assert again.counts == {"authors": 0, "books": 0} and again.rows == 0
    assert dump(db_engine, "authors") == before


@on_sqlite_and_pg
def test_parents_outside_the_seed_are_sampled_from_existing_rows(db_engine):
    ShopBase.metadata.create_all(db_engine)
    with db_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO publishers (id, name) VALUES (100, 'Penguin'), (200, 'Vintage')"))
    result = seed(db_engine, {Author: 3, Book: 5, Edition: 40}, seed=11)

    assert "publishers" not in result.counts
    used = {r[0] for r in rows(db_engine, "SELECT DISTINCT publisher_id FROM editions")}
    assert used == {100, 200}
    assert count(db_engine, "publishers") == 2


@on_sqlite_and_pg
def test_not_null_parents_without_rows_are_added(db_engine):
    ShopBase.metadata.create_all(db_engine)
    result = seed(db_engine, {Edition: 12}, seed=12)

    text = result.plan.describe()
    for table in ("books", "publishers", "authors"):
        assert result.plan.table(table).added_for, table
        assert count(db_engine, table) == result.counts[table] >= 1
    assert "added: editions.book_id needs parent rows" in text
    assert "added: books.author_id needs parent rows" in text
    assert orphans(db_engine, "editions", "book_id", "books") == 0
    assert orphans(db_engine, "editions", "publisher_id", "publishers") == 0
    assert orphans(db_engine, "books", "author_id", "authors") == 0


# --- all or nothing ---------------------------------------------------------------------------------------


@on_sqlite_and_pg
def test_an_override_raising_midway_rolls_everything_back(db_engine):
    CrmBase.metadata.create_all(db_engine)

    def quantity(k: int) -> int:
        if k >= 50:
            raise RuntimeError(f"quantity generator exploded at row {k}")
        return 2

    with pytest.raises((RuntimeError, SydaError), match="exploded at row 50"):
        seed(db_engine, {crm_models.Customer: 20, crm_models.Product: 20, crm_models.Contact: 20,
                         crm_models.Order: 20, crm_models.OrderItem: 200},
             overrides={"order_items.quantity": quantity}, chunk_size=20)
    assert {t: count(db_engine, t) for t in CRM_TABLES} == dict.fromkeys(CRM_TABLES, 0)


@pytest.mark.postgres
def test_a_killed_connection_rolls_everything_back(pg_engine):
    CrmBase.metadata.create_all(pg_engine)
    killer = sa.create_engine(pg_engine.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    killed: list[bool] = []
    with pg_engine.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        conn.commit()

        def progress(table: str, done: int, total: int) -> None:
            if table == "order_items" and not killed:  # after the first batch of the last, largest table
                with killer.connect() as k:
                    killed.append(k.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar())

        try:
            with pytest.raises(SydaError) as info:
                seed(conn, {crm_models.Customer: 30, crm_models.Product: 30, crm_models.Contact: 30,
                            crm_models.Order: 60, crm_models.OrderItem: 20_000}, chunk_size=500, progress=progress)
        finally:
            killer.dispose()
    assert killed == [True], "the seeding backend was terminated"
    assert isinstance(info.value, WriteError)
    assert "order_items" in str(info.value)
    assert {t: count(pg_engine, t) for t in CRM_TABLES} == dict.fromkeys(CRM_TABLES, 0)


def _add_hidden_rule(engine: sa.Engine) -> str:
    """A rule only the database knows (added after the metadata): no order item can be written."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":  # SQLite cannot ALTER TABLE ... ADD CONSTRAINT
            conn.exec_driver_sql("CREATE TRIGGER trg_frozen_items BEFORE INSERT ON order_items "
                                 "BEGIN SELECT RAISE(ABORT, 'order items are frozen'); END")
            return "order items are frozen"
        conn.exec_driver_sql("ALTER TABLE order_items ADD CONSTRAINT ck_negative_qty CHECK (quantity < 0)")
        return "ck_negative_qty"


def test_a_constraint_only_the_database_knows_gives_a_write_error(db_engine):
    CrmBase.metadata.create_all(db_engine)
    rule = _add_hidden_rule(db_engine)
    with pytest.raises(WriteError) as info:
        seed(db_engine, CRM, rows=30)
    msg = str(info.value)
    assert "order_items" in msg and rule in msg
    assert re.search(r"'quantity': \d+", msg), "a sample row is shown"
    assert "Nothing was written" in msg
    assert {t: count(db_engine, t) for t in CRM_TABLES} == dict.fromkeys(CRM_TABLES, 0)


def test_a_failing_seed_inside_the_callers_transaction_rolls_back_to_its_savepoint(db_engine):
    CrmBase.metadata.create_all(db_engine)
    _add_hidden_rule(db_engine)
    with Session(db_engine) as s, s.begin():
        s.add(crm_models.Customer(name="Keep Me Inc"))
        s.flush()
        with pytest.raises(WriteError):
            seed(s, CRM, rows=20)
        assert s.scalars(sa.select(crm_models.Customer.name)).all() == ["Keep Me Inc"]
        s.add(crm_models.Product(name="Widget", price=3.5))  # the session is still usable
    assert [r[0] for r in rows(db_engine, "SELECT name FROM customers")] == ["Keep Me Inc"]
    assert [r[0] for r in rows(db_engine, "SELECT name FROM products")] == ["Widget"]
    assert count(db_engine, "contacts") == count(db_engine, "orders") == 0


@on_sqlite_and_pg
def test_a_seed_inside_the_callers_transaction_rolls_back_with_it(db_engine):
    """Also on SQLite, where pysqlite would otherwise commit when the outermost SAVEPOINT is released."""
    ShopBase.metadata.create_all(db_engine)
    with Session(db_engine) as s:
        s.begin()
        seed(s, {Author: 5, Book: 5})
        assert s.scalar(sa.select(sa.func.count()).select_from(Author)) == 5
        s.rollback()
    with db_engine.connect() as conn:
        conn.begin()
        seed(conn, {Author: 5, Book: 5})
        conn.rollback()
    assert count(db_engine, "authors") == count(db_engine, "books") == 0


# --- dry run ------------------------------------------------------------------------------------------------


@on_sqlite_and_pg
def test_dry_run_writes_nothing_and_shows_the_plan(db_engine):
    CycleBase.metadata.create_all(db_engine)
    result = seed(db_engine, {Department: 7, Staff: 30}, dry_run=True)

    assert result.dry_run and result.counts == {"departments": 7, "staff": 30}
    assert count(db_engine, "departments") == count(db_engine, "staff") == 0
    text = result.plan.describe()
    assert text.index("departments") < text.index("staff")
    assert re.search(r"departments\s+7 rows", text) and re.search(r"staff\s+30 rows", text)
    assert "head_id -> staff [NULL first, UPDATE after]" in text
    sql = "\n".join(result.sql)
    verb = "COPY" if db_engine.dialect.name == "postgresql" else "INSERT INTO"
    assert sql.count(verb) == 2 and "UPDATE" in sql and "head_id" in sql
    assert "7 rows" in sql and "30 rows" in sql


@pytest.mark.postgres
def test_dry_run_shows_deferred_constraints(pg_engine):
    md, husbands, wives = not_null_cycle(deferrable=True)
    md.create_all(pg_engine)
    result = seed(pg_engine, {husbands: 3, wives: 4}, dry_run=True)
    assert "deferred check" in result.plan.describe()
    assert count(pg_engine, "husbands") == 0


# --- parallel workers and determinism ------------------------------------------------------------------------


@pytest.mark.postgres
def test_two_workers_write_byte_identical_data(pg_engine):
    CrmBase.metadata.create_all(pg_engine)
    counts = {crm_models.Customer: 800, crm_models.Product: 60, crm_models.Contact: 800, crm_models.Order: 800,
              crm_models.OrderItem: 3000}

    def digest() -> dict[str, str]:
        return {t: scalar(pg_engine, f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {t} t")
                for t in CRM_TABLES}

    seed(pg_engine, counts, seed=5, chunk_size=500, workers=1)
    one = digest()
    wipe(pg_engine, CrmBase.metadata)
    seed(pg_engine, counts, seed=5, chunk_size=500, workers=2)
    assert digest() == one
    assert None not in one.values()


@on_sqlite_and_pg
def test_same_seed_same_database_whatever_the_chunk_size(db_engine):
    CrmBase.metadata.create_all(db_engine)
    counts = {crm_models.Customer: 20, crm_models.Contact: 40, crm_models.Product: 10, crm_models.Order: 40,
              crm_models.OrderItem: 100}
    seed(db_engine, counts, seed=21)
    first = {t: dump(db_engine, t) for t in CRM_TABLES}
    wipe(db_engine, CrmBase.metadata)
    seed(db_engine, counts, seed=21, chunk_size=7)
    assert {t: dump(db_engine, t) for t in CRM_TABLES} == first
    wipe(db_engine, CrmBase.metadata)
    seed(db_engine, counts, seed=22)
    other = {t: dump(db_engine, t) for t in CRM_TABLES}
    assert other["contacts"] != first["contacts"] and other["customers"] != first["customers"]


# --- errors -----------------------------------------------------------------------------------------------------


def test_bad_input_gets_the_right_error(sqlite_engine):
    ShopBase.metadata.create_all(sqlite_engine)
    cases = [
        (lambda: seed(sqlite_engine, {Author: -1}), PlanError, ["Author", "non-negative", "-1"]),
        (lambda: seed(sqlite_engine, [Author], rows=-5), PlanError, ["non-negative", "-5"]),
        (lambda: seed(sqlite_engine, {Author: 2.5}), PlanError, ["integer", "2.5"]),
        (lambda: seed(sqlite_engine, {"no_such_table": 3}), SchemaError, ["no_such_table"]),
        (lambda: seed(sqlite_engine, {int: 3}), SchemaError, ["int", "not mapped"]),
        (lambda: seed(sqlite_engine, {Category: 3}), SchemaError, ["categories", "does not exist", "create"]),
        (lambda: seed(sqlite_engine, {Author: 3}, overrides={"authors.nope": 1}), SchemaError, ["Author", "nope"]),
        (lambda: seed(sqlite_engine, {Author: 3}, overrides={Author: {"nope": 1}}), SchemaError, ["nope", "email"]),
        (lambda: seed(sqlite_engine, {Author: 3}, overrides={"books.title": "x"}), SchemaError,
         ["books", "not among the seeded tables"]),
        (lambda: seed(sqlite_engine, {Author: 3, Book: 3}, cardinality={"books.nope": 2}), SchemaError,
         ["Book", "nope"]),
        (lambda: seed(sqlite_engine, {Author: 3, Book: 3}, cardinality={Book.title: 2}), SchemaError,
         ["books.title", "not a foreign key"]),
        (lambda: seed(sqlite_engine, {Author: 3, Book: 3}, cardinality={Book.author_id: "lots"}), PlanError,
         ["lots", "poisson"]),
        (lambda: seed(sqlite_engine, {Author: 3}, existing="replace"), SchemaError,
         ["replace", "append", "reuse", "top-up"]),
        (lambda: seed(sqlite_engine, {Author: 3}, workers=0), PlanError, ["workers"]),
        (lambda: seed(sqlite_engine, {Author: 3}, chunk_size=0), PlanError, ["chunk_size"]),
        (lambda: seed(sqlite_engine, {Author: 3, "authors": 2}), SchemaError, ["twice"]),
        (lambda: seed(sqlite_engine), SchemaError, ["models"]),
        (lambda: seed("sqlite://", {Author: 3}), SchemaError, ["Engine, Connection or Session", "str"]),
    ]
    for call, error, words in cases:
        with pytest.raises(error) as info:
            call()
        for word in words:
            assert word in str(info.value), (word, str(info.value))
    assert count(sqlite_engine, "authors") == 0


@pytest.mark.parametrize("url", ["postgresql+psycopg://postgres@127.0.0.1:1/nowhere",
                                 "mysql+pymysql://root@127.0.0.1:1/nowhere"])
def test_an_unreachable_database_is_a_write_error(url):
    engine = make_engine(url)
    with pytest.raises(WriteError) as info:
        seed(engine, {Author: 3})
    msg = str(info.value)
    assert "Cannot connect" in msg and "127.0.0.1:1" in msg and "Is the database running" in msg
    with pytest.raises(WriteError, match="Cannot connect"), Session(engine) as s:
        seed(s, {Author: 3})


def test_a_table_the_database_fills_entirely_gets_its_rows(db_engine):
    """Found in review: every column has a server default, so batches had no columns and nothing was written."""
    md = sa.MetaData()
    pings = sa.Table("pings", md, sa.Column("at", sa.DateTime, server_default=sa.func.now(), nullable=False),
                     sa.Column("n", sa.Integer, server_default="7"))
    md.create_all(db_engine)
    result = seed(db_engine, {pings: 5}, seed=1)
    assert result.counts == {"pings": 5} and count(db_engine, "pings") == 5
    assert count(db_engine, "pings", "n = 7") == 5
