"""What a template sees for one document: the row, its child rows and the parent rows it points at.

For an ``invoices`` row: its columns by name (``{{ number }}``, also ``{{ row.number }}``), its
children as lists named after their table (``{% for line in invoice_lines %}``), and each parent an
FK points at as a dict named after the parent table (``{{ customers.name }}``)::

    >>> from sqlalchemy_syda import generate
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> specs = table_specs([Customer, Order, OrderItem])
    >>> frames = generate(specs, {"customers": 3, "orders": 5, "order_items": 12}, seed=1)
    >>> links = links_from_specs(specs, "orders")
    >>> [(link.kind, link.table, link.columns) for link in links]
    [('parent', 'customers', ('customer_id',)), ('child', 'order_items', ('order_id',))]
    >>> contexts = document_contexts(frames, "orders", links, dates={"orders": {"order_date"}})
    >>> order = contexts[0]
    >>> order["id"], order["order_date"], order["customers"]["name"]
    (1, datetime.date(2025, 8, 23), 'Miller-Humphrey')
    >>> [(line["quantity"], line["unit_price"]) for line in order["order_items"]]
    [(1, 27.53), (3, 50.88), (1, 28.68), (2, 52.46), (3, 34.6)]

Values are plain Python (numpy scalars unwrapped, NaN/NaT as None, timestamps as ``datetime``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...exceptions import TemplateError

__all__ = ["Link", "document_contexts", "links_from_specs"]


@dataclass(frozen=True)
class Link:
    """A child table whose ``columns`` point at the document table's ``ref_columns`` (kind ``child``),
    or a parent table the document table's ``columns`` point at (kind ``parent``)."""

    kind: str
    table: str
    columns: tuple[str, ...]
    ref_columns: tuple[str, ...]


def links_from_specs(specs: Sequence[Any], table: str) -> list[Link]:
    """Children and parents of ``table`` among ``specs``, from their foreign keys."""
    links = []
    for spec in specs:
        for fk in spec.foreign_keys:
            if fk.ref_table == table and spec.fullname != table:
                links.append(Link("child", spec.fullname, fk.columns, fk.ref_columns))
            if spec.fullname == table and fk.ref_table != table:
                links.append(Link("parent", fk.ref_table, fk.columns, fk.ref_columns))
    return links


def document_contexts(frames: Mapping[str, Any], table: str, links: Sequence[Link],
                      dates: Mapping[str, set[str]] | None = None) -> list[dict[str, Any]]:
    """One context per row of ``frames[table]``, in row order; ``dates``: per table, the DATE columns
    (given as ``datetime.date``, not as a timestamp at midnight)."""
    if table not in frames:
        raise TemplateError(f"No rows for table {table!r}: the data has {sorted(frames)}.")
    dates = dates or {}

    def _records(name: str) -> list[dict[str, Any]]:
        return _rows_of(frames[name], dates.get(name, set()))

    rows = _records(table)
    contexts = [{**row, "row": row} for row in rows]
    for link in links:
        if link.table not in frames:
            continue
        related = _records(link.table)
        if link.kind == "child":
            groups: dict[tuple, list[dict]] = {}
            for child in related:
                groups.setdefault(tuple(child.get(c) for c in link.columns), []).append(child)
            for ctx, row in zip(contexts, rows):
                ctx[link.table] = groups.get(tuple(row.get(c) for c in link.ref_columns), [])
        else:
            index = {tuple(p.get(c) for c in link.ref_columns): p for p in related}
            for ctx, row in zip(contexts, rows):
                ctx[link.table] = index.get(tuple(row.get(c) for c in link.columns))
    return contexts


def _rows_of(frame: Any, dates: set[str]) -> list[dict[str, Any]]:
    columns = [str(c) for c in frame.columns]
    records = [dict(zip(columns, map(_plain, values))) for values in frame.itertuples(index=False, name=None)]
    for name in dates & set(columns):
        for record in records:
            if isinstance(record[name], dt.datetime):
                record[name] = record[name].date()
    return records


def _plain(value: Any) -> Any:
    if value is None or value.__class__.__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
