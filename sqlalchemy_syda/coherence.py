"""Same-row coherence: columns whose values are made from other columns of the row.

After :mod:`.semantics` has given every column its meaning, :func:`link_columns` looks at the table
as a whole and rewires the columns that should read their neighbours:

- a product name next to a category column is drawn inside the row's category
  (``name`` in ``Home & Kitchen`` is a kettle or a skillet, never a fish);
- a website or domain next to a company name is made from that name
  (``Walker Logistics LLC`` -> ``https://www.walkerlogistics.com``);
- a description, notes, comment or bio column is written from the row's own values: the
  product's name and category, the company's name, industry and city, the person's name and job;
- the table's own words (docstring, comments, name) steer the product vocabulary where a built-in
  family fits: "Products of a cloud software company" gives software names and categories.

Only inferred decisions are rewired (never an override or an explicit generator), each with its
reason, so ``syda inspect`` shows what reads what::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> from sqlalchemy_syda.semantics import plan_columns
    >>> plans = plan_columns(table_spec(Product))
    >>> plans["name"].generator, plans["name"].reason
    (product_name(category='category'), "comment mentions 'product name'; within the row's category ('category')")
    >>> plans["description"].generator
    row_text('product', name='name', category='category')

and the rows agree with themselves::

    >>> from sqlalchemy_syda import generate
    >>> generate(Customer, 3, seed=1)[["name", "website"]]
                  name                          website
    0  Miller-Humphrey  https://www.miller-humphrey.com
    1   Cross-Lawrence   https://www.cross-lawrence.com
    2       Bean Foods        https://www.beanfoods.com
    >>> generate(Product, 1, seed=1).loc[0, ["name", "category", "description"]].tolist()
    ['Durable 4K Mini PC', 'Computers', 'Part of our Computers range, the Durable 4K Mini PC is made for remote work. Every unit is checked before it ships. Customers praise its build quality.']
"""

from __future__ import annotations

from dataclasses import replace

from .generators.base import SampledFrom
from .generators.choices import PoolChoice
from .generators.company import CompanyName, IndustryOfCompany
from .generators.internet import CompanyWebsite, DomainName, Url
from .generators.products import ProductCategory, ProductName, families_for_words
from .generators.row_text import RowText, roles_of
from .generators.text import Paragraphs
from .specs import TableSpec

__all__ = ["link_columns"]

_INFERRED = ("name", "comment", "info")
_TEXT_MEANINGS = {"description": (1, 3), "notes": (1, 2), "comment": (1, 2), "bio": (2, 4)}
_ROLES = {"industry": "industry", "city": "city", "job_title": "job", "status": "status",
          "order_status": "status", "categorical": "status"}


def link_columns(table: TableSpec, plans: dict) -> None:
    """Rewire ``plans`` (column -> :class:`~.semantics.ColumnPlan`) in place; see the module docstring."""
    meanings = _by_meaning(table, plans)
    _products(table, plans, meanings)
    _websites(table, plans, meanings)
    _industries(table, plans, meanings)
    _row_texts(table, plans, meanings)


def _by_meaning(table: TableSpec, plans: dict) -> dict[str, str]:
    """The first column of each meaning that has an inferred generator and is not a key."""
    out: dict[str, str] = {}
    for spec in table.columns:
        plan = plans[spec.name]
        if plan.generator is not None and plan.meaning and plan.source in _INFERRED and not spec.primary_key:
            out.setdefault(plan.meaning, spec.name)
    return out


def _context_words(table: TableSpec, *columns: str) -> set[str]:
    from .words import tokens

    words = set(tokens(table.description)) | set(tokens(table.name))
    for name in columns:
        words |= set(tokens(table.column(name).description))
    return words


def _category_column(table: TableSpec, plans: dict, meanings: dict[str, str]) -> str | None:
    """The product category column: by meaning, or a column named *category* with listed values (an enum)."""
    from .words import tokens

    if "product_category" in meanings:
        return meanings["product_category"]
    for spec in table.columns:
        plan = plans[spec.name]
        if isinstance(plan.generator, SampledFrom) and plan.source in ("type", "comment") and \
                {"category", "categories"} & set(tokens(spec.name)):
            return spec.name
    return None


def _products(table: TableSpec, plans: dict, meanings: dict[str, str]) -> None:
    name, category = meanings.get("product_name"), _category_column(table, plans, meanings)
    cat_spec = table.column(category) if category else None
    families = families_for_words(_context_words(table, *(c for c in (name, category) if c)))
    if category and isinstance(plans[category].generator, ProductCategory) and families:
        plan = plans[category]
        plans[category] = replace(plan, generator=ProductCategory(families),
                                  reason=f"{plan.reason}; the table's words point to {', '.join(families)}")
    if not name or not isinstance(plans[name].generator, ProductName):
        return
    plan = plans[name]
    if category and not (cat_spec is not None and cat_spec.unique):
        plans[name] = replace(plan, generator=ProductName(category=category, families=families or None),
                              reason=f"{plan.reason}; within the row's category ({category!r})")
    elif families:
        plans[name] = replace(plan, generator=ProductName(families=families),
                              reason=f"{plan.reason}; the table's words point to {', '.join(families)}")


def _websites(table: TableSpec, plans: dict, meanings: dict[str, str]) -> None:
    company = meanings.get("company_name")
    if not company or not isinstance(plans[company].generator, CompanyName):
        return
    for meaning, form, kind in (("url", "url", Url), ("domain", "domain", DomainName)):
        column = meanings.get(meaning)
        if column is None or table.column(column).unique or not isinstance(plans[column].generator, kind):
            continue  # a UNIQUE website keeps its own enumerable generator
        plan = plans[column]
        plans[column] = replace(plan, generator=CompanyWebsite(company, form),
                                reason=f"{plan.reason}; made from the company name {company!r}")


def _industries(table: TableSpec, plans: dict, meanings: dict[str, str]) -> None:
    company, industry = meanings.get("company_name"), meanings.get("industry")
    if not company or not industry or not isinstance(plans[company].generator, CompanyName) or \
            not isinstance(plans[industry].generator, PoolChoice) or table.column(industry).unique:
        return
    plan = plans[industry]
    plans[industry] = replace(plan, generator=IndustryOfCompany(company, plan.generator),
                              reason=f"{plan.reason}; the company name's trade word where it has one ({company!r})")


def _row_texts(table: TableSpec, plans: dict, meanings: dict[str, str]) -> None:
    subjects = [(m, kind) for m, kind in (("product_name", "product"), ("company_name", "company"),
                                          ("full_name", "person")) if m in meanings]
    for spec in table.columns:
        plan = plans[spec.name]
        if plan.meaning not in _TEXT_MEANINGS or plan.source not in _INFERRED or \
                not isinstance(plan.generator, Paragraphs) or spec.unique:
            continue
        if not subjects:  # notes of a row with nothing to name (an order): working notes, its status if it has one
            if plan.meaning == "notes":
                roles = {role: meanings[m] for m, role in _ROLES.items() if role == "status" and m in meanings
                         and meanings[m] != spec.name}
                plans[spec.name] = replace(plan, generator=RowText("note", dict(list(roles.items())[:1]), (1, 2)),
                                           reason=f"{plan.reason}; working notes" + (
                                               f" naming the row's {next(iter(roles.values()))!r}" if roles else ""))
            continue
        subject, kind = subjects[0]
        if plan.meaning == "bio" and "full_name" in meanings:
            subject, kind = "full_name", "person"
        elif plan.meaning in ("notes", "comment"):
            kind = "note"
        roles = {"name": meanings[subject]}
        if kind == "product" and (category := _category_column(table, plans, meanings)):
            roles["category"] = category
        if kind == "person" and "company_name" in meanings:
            roles["company"] = meanings["company_name"]
        for meaning, role in _ROLES.items():
            if meaning in meanings and role not in roles and meanings[meaning] != spec.name:
                roles[role] = meanings[meaning]
        roles = {r: c for r, c in roles.items() if r in roles_of(kind)}
        generator = RowText(kind, roles, _TEXT_MEANINGS[plan.meaning])
        plans[spec.name] = replace(plan, generator=generator, reason=(
            f"{plan.reason}; written from the row's {', '.join(repr(c) for c in dict.fromkeys(roles.values()))}"))
