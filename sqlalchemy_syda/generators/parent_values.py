"""Values that read the row's parent: a time not before the parent's, a value carried from the parent.

The row engine puts the parent's column next to the row's own columns under a reference name
(:func:`parent_ref`: ``"customer_id->created_at"``), read from the parent row the foreign key points at
(the parent's engine computes it for that row, or the rows already in the database give it), so the value
is a function of the row and its parent row only: the same at any chunk size::

    >>> import numpy as np
    >>> ref = parent_ref(("customer_id",), "created_at")
    >>> gen = AfterParent(DateRange("2024-01-01", "2024-12-31"), (ref,), ("customer_id",), ("customers.created_at",))
    >>> gen
    after_parent(date_range('2024-01-01', '2024-12-31'), 'customers.created_at')
    >>> parents = np.array(["2024-06-01", "2024-12-01", "2024-03-01"], dtype="datetime64[D]")
    >>> ctx = GenContext(Stream.root(1), Stream.root(1), columns={ref: parents})
    >>> bool((gen.generate(ctx, np.arange(3)) >= parents).all())
    True
    >>> FromParent(DecimalRange(1, 9, scale=2), parent_ref(("product_id",), "price"), ("product_id",),
    ...            "products.price").generate(GenContext(Stream.root(1), Stream.root(1),
    ...            columns={"product_id->price": np.array([4.5, 7.25])}), np.arange(2)).tolist()
    [4.5, 7.25]

Where the parent value is missing (a NULL foreign key, a NULL parent value) the row keeps its own value.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..streams import Stream  # noqa: F401  (the module example)
from .base import GenContext, Generator, call_repr
from .numbers import DecimalRange  # noqa: F401  (the module example)
from .temporal import ANCHOR, DateRange, datetime64  # noqa: F401  (DateRange: the module example)

__all__ = ["AfterParent", "AtParentDomain", "FromParent", "domain_of", "parent_ref", "parse_ref"]


def parent_ref(fk_columns: tuple[str, ...], column: str) -> str:
    """The name under which the row engine gives a generator the parent's ``column`` (through ``fk_columns``)."""
    return f"{','.join(fk_columns)}->{column}"


def parse_ref(name: str) -> tuple[tuple[str, ...], str] | None:
    """``"customer_id->created_at"`` -> ``(("customer_id",), "created_at")``; None for a plain column name."""
    if "->" not in name:
        return None
    fk, column = name.split("->", 1)
    return tuple(fk.split(",")), column


def _as_time(values: np.ndarray, unit: str) -> np.ndarray:
    """Dates or timestamps (datetime64, or objects read from a database) as ``datetime64[unit]`` (NaT for NULL)."""
    if values.dtype.kind == "M":
        return values.astype(f"datetime64[{unit}]")
    converted = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce", utc=True)
    return converted.dt.tz_localize(None).to_numpy().astype(f"datetime64[{unit}]")


class AfterParent(Generator):
    """The inner generator's time, moved into ``[parent's time, end]`` where it came before the parent's
    (the latest of several parents); ``end`` is the inner range's end (or the anchor 'now'), and at most
    ``upper`` (the column's CHECK bound): where the parent's time is past it, the row keeps its own time."""

    def __init__(self, inner: Generator, refs: tuple[str, ...], fk_columns: tuple[str, ...],
                 labels: tuple[str, ...], upper: object = None, upper_inclusive: bool = True) -> None:
        self.inner, self.refs, self.labels, self.upper = inner, tuple(refs), tuple(labels), upper
        self.upper_inclusive = upper_inclusive
        self.depends_on = tuple(dict.fromkeys(inner.depends_on + tuple(fk_columns) + self.refs))
        self._repr = f"after_parent({inner!r}, {', '.join(repr(x) for x in self.labels)})"

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        own = self.inner.generate(ctx, rows)
        if own.dtype.kind != "M":
            return own
        unit = np.datetime_data(own.dtype)[0]
        parent = None
        for ref in self.refs:
            value = _as_time(np.asarray(ctx.columns[ref]), unit)
            parent = value if parent is None else np.where(np.isnat(parent) | (value > parent), value, parent)
        end = np.datetime64(_end(self.inner) or ANCHOR, unit)
        if self.upper is not None:  # the column's own CHECK bound wins over the parent
            bound = datetime64(self.upper, unit)
            end = min(end, bound if self.upper_inclusive else bound - np.timedelta64(1, unit))
        late = ~np.isnat(own) & ~np.isnat(parent) & (own < parent) & (parent <= end)
        if not late.any():
            return own
        span = (end - parent[late]).astype(np.int64)
        u = ctx.stream.child("after_parent").uniform(rows[late])
        out = own.copy()
        step = np.minimum(np.floor(u * (span + 1)).astype(np.int64), span)
        out[late] = parent[late] + step.astype(f"timedelta64[{unit}]")
        return out


def _end(gen: Generator):
    """The last value of a date range inside ``gen`` (through its wrappers), if it has one."""
    seen = 0
    while gen is not None and seen < 8:
        end = getattr(gen, "end", None)
        if isinstance(end, np.datetime64):
            return end
        gen = getattr(gen, "inner", None) or getattr(gen, "fallback", None)
        seen += 1
    return None


class FromParent(Generator):
    """The parent's value (``discount``: a share of rows gets up to that much off, rounded like the column)."""

    def __init__(self, inner: Generator, ref: str, fk_columns: tuple[str, ...], label: str,
                 discount: tuple[float, float] | None = None, scale: int | None = None) -> None:
        self.inner, self.ref, self.label, self.discount, self.scale = inner, ref, label, discount, scale
        self.depends_on = tuple(dict.fromkeys(inner.depends_on + tuple(fk_columns) + (ref,)))
        self._repr = call_repr("from_parent", label, discount=discount)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        own = self.inner.generate(ctx, rows)
        parent = np.asarray(ctx.columns[self.ref])
        if parent.dtype == object:
            missing = pd.isna(pd.Series(parent, dtype=object)).to_numpy()
        elif parent.dtype.kind in "fcM":
            missing = pd.isna(parent)
        else:
            missing = np.zeros(len(parent), dtype=bool)
        if own.dtype.kind in "fi" and parent.dtype == object:
            parent = pd.to_numeric(pd.Series(parent, dtype=object), errors="coerce").to_numpy(dtype=np.float64)
        out = np.where(missing, own, parent) if own.dtype.kind in "fib" and parent.dtype.kind in "fib" else \
            _object_where(missing, own, parent)
        if self.discount is not None and out.dtype.kind == "f":
            share, largest = self.discount
            stream = ctx.stream.child("discount")
            off = stream.bernoulli(rows, share) & ~missing
            cut = stream.child("size").uniform(rows) * largest
            out = np.where(off, out * (1.0 - cut), out)
            if self.scale is not None:
                out = np.round(out, self.scale)
        return out


_HOST = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*://)?(?:[^@/\s]*@)?(?:www\.)?([^/:?#\s]+)", re.IGNORECASE)


def domain_of(site: object) -> str | None:
    """``"https://www.walker-logistics.com/about"`` -> ``"walker-logistics.com"`` (None for no site)."""
    if not isinstance(site, str):
        return None
    m = _HOST.match(site)
    host = m.group(1).lower() if m else ""
    return host if "." in host.strip(".") else None


class AtParentDomain(Generator):
    """The inner e-mail's local part at the domain of the parent's website (the inner value where the parent
    has none)."""

    def __init__(self, inner: Generator, ref: str, fk_columns: tuple[str, ...], label: str) -> None:
        self.inner, self.ref, self.label = inner, ref, label
        self.depends_on = tuple(dict.fromkeys(inner.depends_on + tuple(fk_columns) + (ref,)))
        self._repr = f"at_domain_of({inner!r}, {label!r})"
        self._domains: dict = {}  # site -> domain, kept across batches (a cache of a pure function)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        own = np.asarray(self.inner.generate(ctx, rows), dtype=object)
        domains = self._domains if len(self._domains) < 200_000 else {}
        out = []
        for mail, site in zip(own.tolist(), np.asarray(ctx.columns[self.ref], dtype=object).tolist()):
            try:
                domain = domains[site]
            except KeyError:
                domain = domains[site] = domain_of(site)
            except TypeError:  # an unhashable value: not a site
                domain = None
            out.append(f"{mail.rsplit('@', 1)[0]}@{domain}" if domain is not None and isinstance(mail, str)
                       and "@" in mail else mail)
        return np.array(out, dtype=object) if out else own


def _object_where(missing: np.ndarray, own: np.ndarray, parent: np.ndarray) -> np.ndarray:
    out = np.asarray(own, dtype=object).copy()
    take = ~missing
    out[take] = np.asarray(parent, dtype=object)[take]
    return out
