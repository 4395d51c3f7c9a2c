"""Column meaning inference: which generator each column gets, in which order of evidence, and why.

The order is: explicit override > ``info={"syda": ...}`` > comment/doc > column name > SQL type.
The seed document's CRM and HR models must get the decisions a reader of their comments expects.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import Boolean, Column, Date, Float, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import declarative_base

from examples.crm_models import Contact, Customer, Order, OrderItem, Product
from sqlalchemy_syda import generate
from sqlalchemy_syda.generators.address import AddressPart
from sqlalchemy_syda.generators.person import PersonPart
from sqlalchemy_syda.introspect import table_spec
from sqlalchemy_syda.semantics import explain, listed_values, number_hints, plan_columns, tokens

Base = declarative_base()


class Department(Base):
    """Organizational department that groups employees by business function.
    Departments are the primary organizational units within the company structure.
    """

    __tablename__ = "departments"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True,
                  comment="Official department name (e.g. Engineering, Marketing)")
    location = Column(String(100), comment="Primary office location of this department")
    budget = Column(Float, comment="Annual budget allocation in USD")


class Employee(Base):
    """Company employee with their personal and professional details.
    Each employee belongs to a specific department and has associated job information.
    """

    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    first_name = Column(String(50), nullable=False, comment="Employee's given name")
    last_name = Column(String(50), nullable=False, comment="Employee's family name")
    email = Column(String(100), nullable=False, unique=True, comment="Business email address for communication")
    department_id = Column(Integer, ForeignKey("departments.id"), comment="Department where employee works")
    role = Column(String(100), comment="Job title or position within the company")
    salary = Column(Float, comment="Annual salary in USD")


class Evidence(Base):
    """Columns whose sources of meaning disagree, to show which source wins."""

    __tablename__ = "evidence"
    id = Column(Integer, primary_key=True)
    contact = Column(String(100), info={"syda": "email"}, comment="Customer organization name")  # info > comment
    code = Column(String(100), comment="Customer organization name")  # comment > name ('code')
    phone_number = Column(String(100), comment="Email address of the owner")  # comment > name ('phone')
    qty = Column(Integer)  # name > type
    misc = Column(String(30))  # type only
    flagged = Column(Boolean)  # type only
    noted = Column(Text)  # type only
    doc_only = Column(String(100), doc="The city the parcel ships to")  # doc= counts like a comment


def plans(model):
    return plan_columns(table_spec(model))


def meanings(model) -> dict[str, str | None]:
    return {name: plan.meaning for name, plan in plans(model).items()}


# ------------------------------------------------------------------------------------ order of evidence


def test_override_beats_everything():
    """An override wins over an info hint, a comment and the name."""
    plan = plan_columns(table_spec(Evidence), overrides={"contact": "phone", "qty": 7})
    assert plan["contact"].source == "override" and "phone" in repr(plan["contact"].generator)
    assert plan["qty"].source == "override"
    frame = generate(Evidence, 50, seed=1, overrides={"contact": "phone", "qty": 7})
    assert frame["contact"].str.match(r"^\+1\d{10}$").all()
    assert (frame["qty"] == 7).all()


def test_info_hint_beats_the_comment():
    """info={'syda': 'email'} wins over the comment 'Customer organization name'."""
    plan = plans(Evidence)["contact"]
    assert (plan.source, plan.meaning) == ("info", "email")
    assert generate(Evidence, 50, seed=1)["contact"].str.contains("@").all()


def test_comment_beats_the_name():
    """A comment (or doc=) that names a meaning wins over the column name."""
    plan = plans(Evidence)
    assert (plan["code"].source, plan["code"].meaning) == ("comment", "company_name")
    assert (plan["phone_number"].source, plan["phone_number"].meaning) == ("comment", "email")
    assert (plan["doc_only"].source, plan["doc_only"].meaning) == ("comment", "city")


def test_name_beats_the_type():
    """'qty' is a quantity (small, mostly 1-3), not any integer."""
    plan = plans(Evidence)["qty"]
    assert (plan.source, plan.meaning) == ("name", "quantity")
    quantities = generate(Evidence, 500, seed=1)["qty"]
    assert quantities.between(1, 100).all() and (quantities <= 3).mean() > 0.5  # mostly one to three


def test_type_is_the_last_resort():
    """Names and comments that say nothing leave the SQL type to decide, within its limits."""
    plan = plans(Evidence)
    assert {plan[c].source for c in ("misc", "flagged", "noted")} == {"type"}
    frame = generate(Evidence, 200, seed=1)
    assert frame["misc"].dropna().str.len().max() <= 30
    assert set(frame["flagged"].dropna()) == {True, False}


# ------------------------------------------------------------------------------------ the seed document


def test_crm_customer_decisions():
    """Customer.name is a company, status exactly 'Active, Inactive, Prospect', website a URL, industry an industry."""
    m = meanings(Customer)
    assert m["name"] == "company_name"
    assert m["status"] == "categorical"
    assert (m["industry"], m["website"]) == ("industry", "url")
    frame = generate(Customer, 1000, seed=3)
    assert set(frame["status"].dropna()) == {"Active", "Inactive", "Prospect"}
    assert frame["name"].is_unique  # unique=True honoured on a company-name pool
    assert frame["website"].dropna().str.startswith("https://").all()


def test_crm_contact_product_order_decisions():
    """Contacts are people with a job title; products have names, categories, prices; orders the listed statuses."""
    contact = meanings(Contact)
    assert {k: contact[k] for k in ("first_name", "last_name", "email", "phone", "position")} == {
        "first_name": "first_name", "last_name": "last_name", "email": "email", "phone": "phone",
        "position": "job_title"}
    product = meanings(Product)
    assert (product["name"], product["category"], product["price"], product["description"]) == (
        "product_name", "product_category", "price", "description")
    order = meanings(Order)
    assert (order["status"], order["total_amount"]) == ("categorical", "amount")
    statuses = generate(Order, 1000, seed=3)["status"].dropna()
    assert set(statuses) == {"New", "Processing", "Shipped", "Delivered", "Cancelled"}
    item = meanings(OrderItem)
    assert (item["quantity"], item["unit_price"]) == ("quantity", "price")


def test_hr_models_of_the_seed_document():
    """Employee.role ('Job title or position within the company') is a job title; Department.name a department."""
    dept, emp = meanings(Department), meanings(Employee)
    assert dept["name"] == "department"  # "(e.g. Engineering, Marketing)" is an example, not a value list
    assert dept["location"] == "city"
    assert dept["budget"] == "budget"
    assert emp["role"] == "job_title"
    assert (emp["first_name"], emp["last_name"], emp["salary"]) == ("first_name", "last_name", "salary")
    assert plans(Employee)["department_id"].source == "foreign_key"
    frames = generate([Department, Employee], {Department: 8, Employee: 40}, seed=4)
    departments = frames["departments"]
    assert departments["name"].is_unique
    assert set(frames["employees"]["department_id"].dropna()) <= set(departments["id"])
    assert frames["employees"]["salary"].dropna().between(28000, 400000).all()


# ------------------------------------------------------------------------------------ ambiguous names


def _named(table_name: str, doc: str | None = None):
    attrs = {"__tablename__": table_name, "id": Column(Integer, primary_key=True), "name": Column(String(80)),
             "__doc__": doc}
    return type(f"M_{table_name}", (Base,), attrs)


@pytest.mark.parametrize("table_name, doc, meaning", [
    ("products", None, "product_name"),
    ("widgets", "A catalog entry: one item we sell.", "product_name"),
    ("people", None, "full_name"),
    ("patients", None, "full_name"),
    ("organizations", None, "company_name"),
    ("vendors", None, "company_name"),
    ("manufacturers", None, "company_name"),
    ("airlines", None, "company_name"),
    ("records", "Each record is a supplier we buy from.", "company_name"),
    ("units", "Organizational unit: one department.", "department"),
    ("cities", None, "city"),
])
def test_a_bare_name_column_takes_its_meaning_from_the_table(table_name, doc, meaning):
    """`name` means a product in `products`, a person in `people`, a company in `vendors`; the docstring
    settles a table name that says nothing."""
    assert meanings(_named(table_name, doc))["name"] == meaning


def test_the_docstrings_subject_decides():
    assert meanings(_named("org_units", "A department of the company."))["name"] == "department"


def test_table_name_outranks_the_docstring():
    """The table name is the stronger hint: `staff` described as 'works for a company' are people."""
    assert meanings(_named("staff", "Works for a company."))["name"] == "full_name"


# ------------------------------------------------------------------------------------ groups


class Shipment(Base):
    __tablename__ = "shipments"
    id = Column(Integer, primary_key=True)
    billing_city = Column(String(60))
    billing_state = Column(String(40))
    billing_zip = Column(String(10))
    shipping_city = Column(String(60))
    shipping_state = Column(String(40))
    shipping_zip = Column(String(10))
    customer_first_name = Column(String(40))
    customer_email = Column(String(100))
    agent_first_name = Column(String(40))
    agent_email = Column(String(100))
    country = Column(String(60))


def test_prefixes_make_separate_address_and_person_groups():
    """billing_* / shipping_* are two address groups, customer_* / agent_* two people."""
    plan = plans(Shipment)
    assert {plan[c].group for c in ("billing_city", "billing_state", "billing_zip")} == {"address:billing"}
    assert {plan[c].group for c in ("shipping_city", "shipping_state", "shipping_zip")} == {"address:shipping"}
    assert {plan[c].group for c in ("customer_first_name", "customer_email")} == {"person:customer"}
    assert {plan[c].group for c in ("agent_first_name", "agent_email")} == {"person:agent"}
    assert all(isinstance(plan[c].generator, AddressPart) for c in ("billing_zip", "shipping_zip"))
    assert all(isinstance(plan[c].generator, PersonPart) for c in ("customer_email", "agent_email"))


def test_each_group_is_one_person_or_one_address():
    """Within a group the parts agree (the e-mail is the first name's); across groups they differ."""
    frame = generate(Shipment, 500, seed=5).dropna()
    from sqlalchemy_syda.generators.pools import ascii_slug

    for prefix in ("customer", "agent"):
        assert all(email.startswith(ascii_slug(first)) for first, email in
                   zip(frame[f"{prefix}_first_name"], frame[f"{prefix}_email"]))
    assert (frame["customer_email"] != frame["agent_email"]).all()
    assert (frame["billing_city"] != frame["shipping_city"]).mean() > 0.9


# ------------------------------------------------------------------------------------ info options


class Tuned(Base):
    __tablename__ = "tuned"
    id = Column(Integer, primary_key=True)
    amount = Column(Numeric(10, 2), info={"syda": {"min": 5, "max": 10}})
    tier = Column(String(10), info={"syda": {"values": ["gold", "silver"], "weights": [0.9, 0.1], "null_rate": 0.5}})
    big_price = Column(Numeric(12, 2), info={"syda": {"type": "price", "min": 10000, "max": 20000}})
    label = Column(String(40), info={"syda": "company_name"})
    count_min = Column(Integer, nullable=False, info={"syda": {"type": "integer", "min": 3, "max": 4}})
    not_null_tier = Column(String(10), nullable=False, info={"syda": {"values": ["a"], "null_rate": 0.9}})
    signup = Column(Date, info={"syda": "created_at"})


def test_info_options_shape_the_values():
    """min/max bound numbers, values/weights pick from a list, null_rate adds NULLs only where allowed."""
    frame = generate(Tuned, 2000, seed=6)
    assert frame["amount"].between(5, 10).all()
    tiers = frame["tier"]
    assert 0.4 < tiers.isna().mean() < 0.6
    assert set(tiers.dropna()) == {"gold", "silver"} and (tiers == "gold").sum() > 4 * (tiers == "silver").sum()
    assert frame["count_min"].isin([3, 4]).all() and frame["count_min"].nunique() == 2
    assert frame["not_null_tier"].eq("a").all()  # null_rate is ignored on a NOT NULL column


def test_info_range_on_a_long_tailed_meaning_does_not_pile_up_on_the_minimum():
    """A price hinted to 10 000-20 000 spreads over the range (was: 46 % of the rows exactly 10 000)."""
    prices = generate(Tuned, 2000, seed=6)["big_price"].dropna()
    assert prices.between(10000, 20000).all()
    assert prices.value_counts().iloc[0] < 10
    assert prices.median() < 15000  # still long-tailed: most prices near the low end


def test_info_meaning_name():
    """A meaning name as the hint picks that meaning."""
    plan = plans(Tuned)
    assert (plan["label"].source, plan["label"].meaning) == ("info", "company_name")
    assert (plan["signup"].source, plan["signup"].meaning) == ("info", "created_at")


# ------------------------------------------------------------------------------------ explain()


class Ledger(Base):
    """A ledger entry."""

    __tablename__ = "ledger"
    id = Column(Integer, primary_key=True)
    employee_id = Column(Integer, ForeignKey("employees.id"), nullable=False)
    total = Column(Numeric(12, 2), sa.Computed("1"))
    created_at = Column(sa.DateTime, server_default=sa.func.now())
    note = Column(Text)
    email = Column(String(120), nullable=False)


def test_explain_rows():
    """One row per column in table order: type, generator (nullable rate included), source and reason."""
    rows = explain(table_spec(Ledger))
    assert [r["column"] for r in rows] == ["id", "employee_id", "total", "created_at", "note", "email"]
    assert all(set(r) == {"column", "type", "generator", "source", "reason"} for r in rows)
    by = {r["column"]: r for r in rows}
    assert by["id"]["generator"] == "sequence(1)" and by["id"]["source"] == "primary_key"
    assert by["employee_id"]["generator"] == "(parent keys)" and "employees.id" in by["employee_id"]["reason"]
    assert by["total"]["generator"] == "(database)" and "computed" in by["total"]["reason"]
    assert by["created_at"]["generator"] == "(database)" and "server default" in by["created_at"]["reason"]
    assert by["note"]["generator"].endswith(".nullable(0.3)") and by["note"]["source"] == "name"
    assert by["email"]["generator"] == "email()" and by["email"]["reason"] == "name mentions 'email'"
    assert by["email"]["type"] == "VARCHAR(120)"


def test_explain_follows_overrides():
    """explain() shows an override as the source."""
    rows = {r["column"]: r for r in explain(table_spec(Ledger), overrides={"note": "sentence"})}
    assert rows["note"]["source"] == "override" and "sentence" in rows["note"]["generator"]


def test_explain_shows_orderings():
    """end_date is drawn after start_date, and explain() says so."""
    rows = {r["column"]: r for r in explain(table_spec(sa.Table(
        "spans", sa.MetaData(), Column("id", Integer, primary_key=True), Column("start_date", Date),
        Column("end_date", Date))))}
    assert rows["end_date"]["generator"].startswith("after('start_date'")
    assert "after 'start_date'" in rows["end_date"]["reason"]


# ------------------------------------------------------------------------------------ the parsers


def test_tokens():
    """Names and comments split into lower-case words (camelCase, acronyms, possessives)."""
    assert tokens("createdAt") == ["created", "at"]
    assert tokens("HTTPStatusCode") == ["http", "status", "code"]
    assert tokens("Customer's primary industry") == ["customer", "primary", "industry"]
    assert tokens(None) == []


@pytest.mark.parametrize("comment, values", [
    ("Active, Inactive, Prospect", ["Active", "Inactive", "Prospect"]),
    ("New, Processing, Shipped, Delivered, Cancelled", ["New", "Processing", "Shipped", "Delivered", "Cancelled"]),
    ("Low | Medium | High", ["Low", "Medium", "High"]),
    ("Status: draft, sent, paid", ["draft", "sent", "paid"]),
    ("One of (S, M, L)", ["S", "M", "L"]),
    ("Active or Inactive", ["Active", "Inactive"]),
    ("Job title or position", None),
    ("Official department name (e.g. Engineering, Marketing)", None),
    ("Sizes such as S, M, L", None),
    ("Customer organization name", None),
    (None, None),
])
def test_listed_values(comment, values):
    """A comment that enumerates values is a list; a description or examples ('e.g.') is not."""
    assert listed_values(comment) == values


@pytest.mark.parametrize("comment, hints", [
    ("Score 0-100", {"min": 0.0, "max": 100.0}),
    ("Completion percentage", {"min": 0.0, "max": 100.0}),
    ("between 1 and 5", {"min": 1.0, "max": 5.0}),
    ("Product price in USD", {"scale": 2}),
    ("Amount in cents", {"scale": 0}),
    ("Created 2024-01-05", {}),
    ("Plain words", {}),
])
def test_number_hints(comment, hints):
    """Ranges, percentages and currencies in a comment bound and scale numbers (dates are not ranges)."""
    assert number_hints(comment) == hints


def test_business_email_in_a_comment_and_money_keeps_cents_in_wide_numerics():
    """Test "Business email address" -> a work address; an amount in a Numeric(10, 4) has cents, not 4 decimals."""
    md = sa.MetaData()
    table = sa.Table("payments", md, sa.Column("id", Integer, primary_key=True),
                     sa.Column("contact", String(100), comment="Business email address"),
                     sa.Column("amount", Numeric(10, 4), comment="Amount in USD"),
                     sa.Column("total", Numeric(10, 4)),
                     sa.Column("fx_rate", Numeric(10, 4), info={"syda": {"meaning": "amount", "scale": 4}}),
                     sa.Column("fee", Numeric(10, 1), comment="Fee in USD"))
    frame = generate(table, 300, seed=2)
    emails = frame.contact.dropna()
    free_mail = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "proton.me")
    assert not emails.str.endswith(free_mail).any()
    for column, decimals in (("amount", 2), ("total", 2), ("fee", 1)):
        values = frame[column].dropna().astype(float)
        assert ((values * 10 ** decimals).round(6) % 1 == 0).all(), column
    assert ((frame.fx_rate.dropna().astype(float) * 100).round(6) % 1 != 0).any()  # 4 decimals when asked


def test_explain_takes_a_model_or_a_table():
    by_model = explain(Contact)
    by_table = explain(Contact.__table__)
    assert [r["column"] for r in by_model] == [r["column"] for r in by_table]
    assert next(r for r in by_table if r["column"] == "email")["generator"].startswith("email()")


def test_name_parts_with_the_noun_first_are_person_names():
    """Lahman's ``nameFirst`` / ``nameLast`` / ``nameGiven`` are a person's names (they were a generic ``name``:
    made-up titles)."""
    people = sa.Table("people", sa.MetaData(), sa.Column("playerID", String(9), primary_key=True),
                      *(sa.Column(c, String(40)) for c in ("nameFirst", "nameLast", "nameGiven")))
    m = meanings(people)
    assert (m["nameFirst"], m["nameLast"], m["nameGiven"]) == ("first_name", "last_name", "first_name")


def test_a_bare_title_of_a_person_is_their_job_title_and_fits_its_column():
    """Chinook's ``employee.title`` ("Sales Manager") was a person's full name ("Shelia Irwin"), and job titles
    longer than ``VARCHAR(30)`` were cut ("Outdoor activities/education m"): in a table of people (by its name
    or its docstring's subject) a bare ``title`` is the job title, drawn among the titles that fit; a book's
    title stays a title."""
    md = sa.MetaData()
    employee = sa.Table("employee", md, sa.Column("id", Integer, primary_key=True), sa.Column("name", String(60)),
                        sa.Column("title", String(30)))
    staff = sa.Table("staff_directory", md, sa.Column("id", Integer, primary_key=True),
                     sa.Column("title", String(80)), comment="Every person working here.")
    books = sa.Table("books", md, sa.Column("id", Integer, primary_key=True), sa.Column("title", String(80)))
    assert meanings(employee)["title"] == meanings(staff)["title"] == "job_title"
    assert meanings(books)["title"] == "title"
    from sqlalchemy_syda.generators.pools import get_pools

    pool = set(get_pools("en_US").get("job_titles").tolist())
    titles = generate(employee, 3000, seed=1).title.dropna()
    assert set(titles) <= pool and titles.nunique() > 100  # whole titles of the pool, none cut
    assert titles.str.len().max() <= 30 and max(map(len, pool)) > 30
