"""The engine's generators for learned columns: pure, vectorised, counter-based like every other.

* :class:`LearnedColumn` -- draws from one marginal (:mod:`.marginals`) with its own stream;
* :class:`CopulaColumn` -- one column of a Gaussian copula: the row's latent normal from the table's
  streams (:func:`.copula.latent`), then the column's inverse marginal CDF; stratified copulas read the
  stratifying column (``depends_on``) and use that stratum's marginal and row of the Cholesky factor;
* :class:`GapAfter` -- a datetime that the data always showed after another column (``shipped >=
  ordered``): the base column plus a gap from the learned gap distribution.

::

    >>> from sqlalchemy_syda import learn
    >>> from sqlalchemy_syda.generators.base import GenContext
    >>> from sqlalchemy_syda.learn import recipe_inputs
    >>> from sqlalchemy_syda.learn.marginals import fit_number
    >>> from sqlalchemy_syda.streams import Stream
    >>> table_stream = Stream.root(1).child("penguins")
    >>> body_mass = LearnedColumn("number", fit_number(penguins["body_mass_g"]), "float")
    >>> body_mass, body_mass.generate(GenContext(table_stream.child("column", "body_mass_g"), table_stream), np.arange(3))
    (learned('number'), array([5075., 3900., 5575.]))

The generators a learned profile hands the engine, and one copula column drawn for rows whose species
were drawn first::

    >>> generators = recipe_inputs(learn(penguins, name="penguins"))["penguins"].generators
    >>> bill, reason = generators["bill_length_mm"]
    >>> bill
    copula('number', stratified_by='species').nullable(0.00581395)
    >>> species = np.array(["Adelie", "Gentoo", "Chinstrap"], dtype=object)
    >>> bill.generate(GenContext(table_stream.child("column", "bill_length_mm"), table_stream,
    ...                          columns={"species": species}), np.arange(3))
    array([41.3, 48.1, 48.8])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..generators.base import GenContext, Generator, call_repr
from .copula import latent, special
from .marginals import _key, _plain, inverse, seconds_to_datetime, to_epoch_seconds

__all__ = ["CopulaColumn", "CopulaGroup", "ByRow", "FromParent", "GapAfter", "LearnedColumn", "ParsedTimestamps", "TextKeys"]


class LearnedColumn(Generator):
    """Values from one learned marginal, independent of the other columns."""

    def __init__(self, family: str, params: dict[str, Any], dtype: str, name: str = "learned") -> None:
        self.family, self.params, self.dtype = family, params, dtype
        self._repr = call_repr(name, family)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return _cast(inverse(self.family, self.params, ctx.stream.uniform(rows), self.dtype), self.dtype)


@dataclass(frozen=True)
class CopulaGroup:
    """One stratum of a copula column: the stratifier's values it covers (None: every other value),
    the column's row of the Cholesky factor and its marginal in that stratum."""

    when: tuple | None
    lrow: np.ndarray
    params: dict[str, Any]


class CopulaColumn(Generator):
    """One column of a (possibly stratified) Gaussian copula."""

    def __init__(self, column: str, family: str, dtype: str, groups: list[CopulaGroup],
                 stratify: str | None = None, parent: tuple[tuple[str, ...], str] | None = None) -> None:
        special()  # fail early when the learn extra is missing
        self.column, self.family, self.dtype, self.groups, self.stratify = column, family, dtype, groups, stratify
        self.parent = parent
        """``(fk columns, parent column)``: the stratifier is the parent row's value (see :mod:`.conditioning`)."""
        # the parent's value is read through the foreign key: drawn first (a joint key draws its parent rows)
        self.depends_on = (stratify,) if stratify and parent is None else tuple(parent[0]) if parent else ()
        self._lookup = {_key(v): g for g, group in enumerate(groups) if group.when for v in group.when}
        self._default = next((g for g, group in enumerate(groups) if group.when is None), 0)
        self._repr = call_repr("copula", family, stratified_by=stratify)

    def _group_of(self, values: np.ndarray) -> np.ndarray:
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
        table = np.array([self._lookup.get(_key(_plain(u)), self._default) for u in uniques] +
                         [self._lookup.get(_key(None), self._default)], dtype=np.int64)
        return table[codes]  # code -1 (NULL) picks the last entry

    def _stratifier(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        if self.parent is None:
            return ctx.columns[self.stratify]
        values = ctx.parent_values(self.parent[0], (self.parent[1],), rows) if ctx.parent_values else None
        return values[0] if values is not None else np.full(len(rows), None, dtype=object)  # None: pooled group

    def _uniforms(self, ctx: GenContext, rows: np.ndarray, group: CopulaGroup) -> np.ndarray:
        """The copula's uniforms; on a redraw (a UNIQUE value taken, a CHECK failed: the engine then hands a
        retry stream, not the column's own) fresh draws from that stream, so the new value can differ."""
        if ctx.stream.key != ctx.table_stream.child("column", ctx.spec.name).key:
            return ctx.stream.uniform(rows)
        return special().ndtr(latent(ctx.table_stream, rows, group.lrow))

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        if self.stratify is None or len(self.groups) == 1:
            group = self.groups[0]
            return _cast(inverse(self.family, group.params, self._uniforms(ctx, rows, group), self.dtype), self.dtype)
        which = self._group_of(self._stratifier(ctx, rows))
        parts, where = [], []
        for g, group in enumerate(self.groups):
            hit = np.flatnonzero(which == g)
            if not len(hit):
                continue
            u = self._uniforms(ctx, rows[hit], group)
            parts.append(_cast(inverse(self.family, group.params, u, self.dtype), self.dtype))
            where.append(hit)
        if len(parts) == 1:
            return parts[0]
        values = np.concatenate(parts) if len({p.dtype for p in parts}) == 1 else \
            np.concatenate([p.astype(object) for p in parts])
        out = np.empty_like(values)
        out[np.concatenate(where)] = values
        return out


class ByRow(Generator):
    """A reference table's values laid out by row: row *k* gets ``values[k % len(values)]`` (its parent rows
    line up with the ``per_row`` children counts of the foreign keys into it)."""

    def __init__(self, values: list[Any]) -> None:
        self.values = np.asarray(values, dtype=object)
        self._repr = call_repr("by_row", f"{len(values)} values")

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self.values[np.asarray(rows, dtype=np.int64) % len(self.values)]


class FromParent(Generator):
    """A column that restates its parent row's ``column`` (through the foreign key ``fk``): that value, or the
    ``inner`` generator's where the run has no parent row to read (a parent outside the run, a NULL key)."""

    def __init__(self, fk: tuple[str, ...], column: str, inner: Generator) -> None:
        self.fk, self.column, self.inner = tuple(fk), column, inner
        self.depends_on = tuple(dict.fromkeys([*self.fk, *inner.depends_on]))
        self._repr = f"{inner!r}.from_parent({column!r})"

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        own = self.inner.generate(ctx, rows)
        found = ctx.parent_values(self.fk, (self.column,), rows) if ctx.parent_values else None
        if found is None:
            return own
        values = np.asarray(found[0])
        missing = pd.isna(values)
        if not missing.any():
            return values
        out = np.asarray(own).astype(object)
        out[~missing] = values[~missing]
        return out


class GapAfter(Generator):
    """``base + gap``: the gap drawn from the learned distribution of (column - base), never negative."""

    def __init__(self, base: str, gaps: dict[str, Any], dtype: str) -> None:
        self.base, self.gaps, self.dtype = base, gaps, dtype
        self.depends_on = (base,)
        self._repr = call_repr("after", base)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        base = to_epoch_seconds(pd.Series(ctx.columns[self.base]))
        gap = np.maximum(inverse("number", self.gaps, ctx.stream.uniform(rows)), 0.0)
        secs = base + gap
        missing = np.isnan(secs)
        out = seconds_to_datetime(np.where(missing, 0.0, secs), self.gaps.get("resolution", 1), self.dtype == "date")
        if missing.any():
            out = out.copy()
            out[missing] = np.datetime64("NaT")
        return out


class TextKeys(Generator):
    """Distinct text keys ``"1"``, ``"2"``, ... for a table whose primary key is a string (never the real keys)."""

    distinct_rows = True
    _repr = "text_keys()"

    def domain(self, ctx: GenContext) -> int | None:
        return 1 << 62

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return (np.asarray(index, dtype=np.int64) + 1).astype(str).astype(object)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self.at(ctx, rows)


class ParsedTimestamps(Generator):
    """Text values of a learned column parsed into the datetimes (or dates) a ``DateTime`` / ``Date`` column takes."""

    def __init__(self, inner: Generator, kind: str, column: str) -> None:
        self.inner, self.kind, self.column = inner, kind, column
        self.depends_on = tuple(inner.depends_on)
        self._repr = f"{inner!r}.parsed_as({kind!r})"

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        from ..exceptions import LearnError

        values = pd.Series(np.asarray(self.inner.generate(ctx, rows), dtype=object))
        present = values.notna()
        parsed = pd.to_datetime(values[present].astype(str), format="ISO8601", errors="coerce", utc=True)
        if parsed.isna().any():
            bad = values[present][parsed.isna()].iloc[0]
            raise LearnError(f"column {self.column} is a {self.kind} column, but the profile learned it as text and "
                             f"made {bad!r}, which is not a date; learn the data again with the column read as a "
                             "date (CSV: ISO dates and timestamps are), or give the column an override.")
        parsed = parsed.dt.tz_convert(None)
        out = np.full(len(values), None, dtype=object)
        out[present.to_numpy()] = parsed.dt.date.to_numpy() if self.kind == "date" else parsed.dt.to_pydatetime()
        return out


def _cast(values: np.ndarray, dtype: str) -> np.ndarray:
    """Categories of an integer column come back as int64; booleans as bool when no NULL is among them."""
    if dtype == "integer" and values.dtype.kind == "f" and not np.isnan(values).any():
        return values.astype(np.int64)
    if dtype == "boolean" and values.dtype == object and not any(v is None for v in values.tolist()):
        return values.astype(bool)
    return values
