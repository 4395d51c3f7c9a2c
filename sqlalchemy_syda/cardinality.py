"""How many children each parent row gets: fixed, a range, Poisson, Zipf, and a share with none.

Per-parent child counts are drawn from the parent's row number (counter-based, like every value),
so the assignment of child row *k* to a parent never depends on chunking::

    >>> cardinality={Order.customer_id: poisson(3).with_zero(0.1)}   # ~3 orders per customer, 10% with none
    >>> cardinality={"order_items.order_id": (1, 5)}                  # 1-5 items per order
    >>> cardinality={Product.id: zipf(1.1)}                          # a few parents get most children
    >>> cardinality={Order.customer_id: histogram([0, 1, 10, 12], [0.02, 0.1, 0.5, 0.38])}  # learned from data

With a fixed, range or Poisson cardinality the child count can be left out: it is derived as the sum
of the per-parent counts ("3 orders per customer"). Given both, children are spread over parents in
the same proportions; a range from one up gives every parent at least one child when there are enough.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .exceptions import PlanError
from .streams import KeyedPermutation, Stream

__all__ = ["FANOUT_BLOCK", "Cardinality", "between", "fixed", "histogram", "parse_cardinality", "poisson", "zipf"]


FANOUT_BLOCK = 65_536
"""Parent rows per block of the first pass (:meth:`Cardinality.fanout_prefix`)."""


@dataclass(frozen=True)
class Cardinality:
    """Children per parent: ``kind`` is ``fixed``, ``range``, ``poisson``, ``zipf`` or ``histogram`` (counts
    ``values`` with shares ``shares``, zeros included: what a profile learned from real data).

    (``rows_from``, internal: child row *j* belongs to parent row ``a + j``; a joined-inheritance subclass
    table over its block of the parent table's rows, see :mod:`.inheritance`.)
    """

    kind: str
    """(``per_row``, internal: parent row *k* gets ``values[k % len(values)]`` children; the rows of a learned
    reference table, see :mod:`.learn.conditioning`.)"""
    a: float = 0.0
    b: float = 0.0
    zero: float = 0.0
    """Probability that a parent has no children at all."""
    values: tuple[int, ...] = ()
    shares: tuple[float, ...] = ()
    null: float = 0.0
    """Share of child rows whose foreign key is NULL (a nullable FK; what a profile learned as NULL FKs and
    orphans, which a seed writes as NULLs): the other rows are spread over the parents as the counts say."""

    def with_null(self, p: float) -> Cardinality:
        if not 0 <= p < 1:
            raise PlanError(f"the share of children with a NULL foreign key must be in [0, 1); got {p!r}")
        return replace(self, null=float(p))

    def self_reference(self, stream: Stream, new: np.ndarray, rows: int) -> tuple[np.ndarray, np.ndarray]:
        """Parent row (among ``rows`` rows of the same table) of each of the rows ``new``, always an earlier row,
        with the per-parent counts laid out breadth first: the row with the most children first, its children
        next, and so on; rows left over (and row 0) are roots. Returns ``(index, roots)``."""
        counts = np.sort(self.counts(stream, rows))[::-1] if rows else np.zeros(0, dtype=np.int64)
        cumsum = np.cumsum(counts)
        new = np.asarray(new, dtype=np.int64)
        parent = np.searchsorted(cumsum, new - 1, side="right").astype(np.int64)
        roots = (new == 0) | (parent >= new)
        return np.where(roots, new, parent), roots

    def with_zero(self, p: float) -> Cardinality:
        if not 0 <= p < 1:
            raise PlanError(f"the share of parents without children must be in [0, 1); got {p!r}")
        return replace(self, zero=p)

    def __repr__(self) -> str:
        if self.kind == "rows_from":
            return f"rows_from({int(self.a)})"
        if self.kind == "per_row":
            return f"per_row({len(self.values)} parents, {sum(self.values)} children)"
        if self.kind == "histogram":
            mean = float(np.dot(self.values, self.shares))
            zero = sum(s for v, s in zip(self.values, self.shares) if v == 0)
            text = f"histogram(mean={mean:.3g}, max={max(self.values)}, zeros={zero:.3g})"
            return text + (f".with_zero({self.zero:g})" if self.zero else "")
        args = {"fixed": f"{int(self.a)}", "range": f"{int(self.a)}, {int(self.b)}", "poisson": f"{self.a:g}",
                "zipf": f"{self.a:g}"}[self.kind]
        text = f"{'between' if self.kind == 'range' else self.kind}({args})"
        return text + (f".with_zero({self.zero:g})" if self.zero else "")

    @property
    def derives_count(self) -> bool:
        """True when the child count follows from the parent count (not Zipf)."""
        return self.kind not in ("zipf", "rows_from")

    def counts(self, stream: Stream, parents: int) -> np.ndarray:
        """Children of each parent (int64 array of length ``parents``)."""
        return self.counts_at(stream, np.arange(parents, dtype=np.int64), parents)

    def counts_at(self, stream: Stream, rows: np.ndarray, parents: int) -> np.ndarray:
        """Children of parent rows ``rows`` (of ``parents``): each from its own row number, so any slice of
        :meth:`counts` can be computed alone."""
        rows = np.asarray(rows, dtype=np.int64)
        if self.kind == "fixed":
            out = np.full(len(rows), int(self.a), dtype=np.int64)
        elif self.kind == "range":
            out = stream.integers(rows, int(self.a), int(self.b) + 1)
        elif self.kind == "poisson":
            out = _poisson(stream, rows, self.a)
        elif self.kind == "histogram":
            out = self._quota_counts(stream, rows, parents)
        elif self.kind == "per_row":
            out = np.asarray(self.values, dtype=np.int64)[rows % len(self.values)]
        else:
            raise PlanError("a Zipf cardinality has no per-parent counts; give the child table a row count")
        if self.zero:
            out = np.where(stream.child("zero").bernoulli(rows, self.zero), 0, out)
        return out

    def _quota_counts(self, stream: Stream, rows: np.ndarray, parents: int) -> np.ndarray:
        """The histogram laid out exactly: ``round(share * parents)`` parents get each count (largest
        remainders), spread over the parents by a keyed permutation (so no parent's count depends on chunking)."""
        if parents == 0 or not len(rows):
            return np.zeros(len(rows), dtype=np.int64)
        shares = np.asarray(self.shares, dtype=np.float64)
        exact = shares * parents
        quotas = np.floor(exact).astype(np.int64)
        short = parents - int(quotas.sum())
        if short > 0:
            quotas[np.argsort(-(exact - quotas), kind="stable")[:short]] += 1
        slot = KeyedPermutation(parents, stream.child("histogram"))(rows)
        return np.asarray(self.values, dtype=np.int64)[np.searchsorted(np.cumsum(quotas), slot, side="right")]

    @property
    def has_fanout(self) -> bool:
        """True when children follow per-parent counts (fixed, range, Poisson, histogram): what
        :meth:`fanout_prefix` sums."""
        return self.kind in ("fixed", "range", "poisson", "histogram")

    def block_totals(self, stream: Stream, parents: int, first: int, stop: int) -> np.ndarray:
        """Children of each parent block ``first`` .. ``stop - 1`` (blocks of :data:`FANOUT_BLOCK` parent rows)."""
        block = FANOUT_BLOCK
        return np.array([int(self.counts_at(stream, np.arange(b * block, min(parents, (b + 1) * block)), parents).sum())
                         for b in range(first, stop)], dtype=np.int64)

    def fanout_prefix(self, stream: Stream, parents: int) -> np.ndarray:
        """Children before each parent block: ``[0, t0, t0 + t1, ...]`` (length blocks + 1), the first pass
        that lets a child row find its parent by computing only the counts of that parent's block."""
        totals = self.block_totals(stream, parents, 0, -(-parents // FANOUT_BLOCK))
        return np.concatenate([[0], np.cumsum(totals)]).astype(np.int64)

    def weights(self, stream: Stream, parents: int) -> np.ndarray:
        """Relative share of children per parent."""
        if self.kind == "zipf":
            rank = KeyedPermutation(parents, stream.child("rank"))(np.arange(parents)) + 1
            w = 1.0 / rank.astype(np.float64) ** self.a
            if self.zero:
                w = np.where(stream.child("zero").bernoulli(np.arange(parents), self.zero), 0.0, w)
            return w
        return self.counts(stream, parents).astype(np.float64)

    def assign(self, stream: Stream, rows: np.ndarray, parents: int, children: int,
               counts: np.ndarray | None = None, prefix: np.ndarray | None = None) -> np.ndarray:
        """Parent index of each child row in ``rows`` (of ``children`` in all); ``counts``: :meth:`counts` of the
        same stream and parents, computed once by a caller that assigns many batches; or ``prefix``: the
        :meth:`fanout_prefix` computed once by a first pass (e.g. on a cluster), so that only the blocks of the
        parents asked for are computed. Both give the same parents."""
        if parents == 0:
            raise PlanError("children need at least one parent row")
        if self.kind == "rows_from":
            return np.asarray(rows, dtype=np.int64) + int(self.a)
        if self.kind == "zipf":
            cdf = np.cumsum(self.weights(stream, parents))
            if cdf[-1] <= 0:
                raise PlanError(f"{self!r}: every parent was drawn without children")
            u = stream.child("pick").uniform(rows) * cdf[-1]
            return np.minimum(np.searchsorted(cdf, u, side="right"), parents - 1).astype(np.int64)
        if self._at_least_one(parents, children):
            counts = self.counts(stream, parents) if counts is None else counts
            return _at_least_one(counts, rows, parents, children)
        if prefix is None:
            counts = self.counts(stream, parents) if counts is None else counts
            cumsum = np.cumsum(counts)
            total = int(cumsum[-1]) if parents else 0
            if total == 0:
                raise PlanError(f"{self!r} gave every parent zero children, but {children} children were asked for")
            position = rows if children == total else np.floor(rows * (total / max(children, 1))).astype(np.int64)
            return np.minimum(np.searchsorted(cumsum, position, side="right"), parents - 1).astype(np.int64)
        total = int(prefix[-1]) if parents else 0
        if total == 0:
            raise PlanError(f"{self!r} gave every parent zero children, but {children} children were asked for")
        rows = np.asarray(rows, dtype=np.int64)
        position = rows if children == total else np.floor(rows * (total / max(children, 1))).astype(np.int64)
        blocks, block = len(prefix) - 1, FANOUT_BLOCK
        if blocks != -(-parents // block):
            raise PlanError(f"a fan-out prefix of {blocks} blocks does not fit {parents} parent rows")
        home = np.searchsorted(prefix[1:], position, side="right")  # the parent block whose children hold it
        out = np.full(len(position), parents - 1, dtype=np.int64)
        for b in np.unique(home).tolist():
            if b >= blocks:
                continue  # past the last child: the last parent, as before
            first = b * block
            local = prefix[b] + np.cumsum(self.counts_at(stream, np.arange(first, min(parents, first + block)), parents))
            sel = home == b
            out[sel] = first + np.searchsorted(local, position[sel], side="right")
        return np.minimum(out, parents - 1)

    def _at_least_one(self, parents: int, children: int) -> bool:
        """A range from one child up, with children enough for every parent: laid out by :func:`_at_least_one`."""
        return self.kind == "range" and self.a >= 1 and not self.zero and children >= parents

    def largest_run(self, counts: np.ndarray, children: int) -> int:
        """The most consecutive child rows (of ``children``) one parent gets in :meth:`assign`'s layout by
        ``counts`` (:meth:`counts` of the same stream): what keeps two keys laid out this way apart."""
        parents, total = len(counts), int(counts.sum())
        if self._at_least_one(parents, children):
            return int(np.diff(np.r_[0, _at_least_one_ends(counts, parents, children)]).max())
        return int(counts.max()) if total == children else -(-int(counts.max()) * children // total) + 1

    def derived_count(self, stream: Stream, parents: int) -> int:
        return int(self.counts(stream, parents).sum())


def _at_least_one(counts: np.ndarray, rows: np.ndarray, parents: int, children: int) -> np.ndarray:
    """A range with a minimum of one child and at least as many children as parents: every parent gets one,
    the rest are spread in proportion to each parent's drawn count above one (so "1-5 items per order" with
    fewer items than the range's mean still leaves no order empty)."""
    ends = _at_least_one_ends(counts, parents, children)
    return np.minimum(np.searchsorted(ends, np.asarray(rows, dtype=np.int64), side="right"), parents - 1).astype(np.int64)


def _at_least_one_ends(counts: np.ndarray, parents: int, children: int) -> np.ndarray:
    """Where each parent's children end in :func:`_at_least_one`'s layout (parent ``p``: rows ``ends[p - 1]`` ..
    ``ends[p] - 1``)."""
    extra = children - parents
    weights = (counts - 1).astype(np.float64)
    if weights.sum() <= 0:
        weights = np.ones(parents)
    return np.arange(1, parents + 1) + np.rint(extra * np.cumsum(weights) / weights.sum()).astype(np.int64)


def _poisson(stream: Stream, rows: np.ndarray, mean: float) -> np.ndarray:
    """Poisson draws by inverting the CDF (vectorised over rows; fine for means up to a few hundred)."""
    u = stream.child("poisson").uniform(rows)
    k = np.zeros(len(rows), dtype=np.int64)
    p = np.exp(-mean)
    cdf = np.full(len(rows), p)
    todo = u > cdf
    i = 0
    while todo.any() and i < 10 * mean + 50:
        i += 1
        p = p * mean / i
        k[todo] += 1
        cdf = cdf + p
        todo &= u > cdf
    return k


def fixed(n: int) -> Cardinality:
    """Exactly ``n`` children per parent."""
    return Cardinality("fixed", int(n))


def between(lo: int, hi: int) -> Cardinality:
    """Uniformly ``lo``..``hi`` children per parent."""
    if hi < lo or lo < 0:
        raise PlanError(f"cardinality range ({lo}, {hi}) is empty or negative")
    return Cardinality("range", int(lo), int(hi))


def poisson(mean: float) -> Cardinality:
    """Poisson-distributed children per parent with the given mean."""
    if mean < 0:
        raise PlanError(f"a Poisson mean must be non-negative; got {mean}")
    return Cardinality("poisson", float(mean))


def zipf(s: float = 1.1) -> Cardinality:
    """Children concentrated on few parents: share of parent of rank r is proportional to 1/r**s."""
    if s <= 0:
        raise PlanError(f"a Zipf exponent must be positive; got {s}")
    return Cardinality("zipf", float(s))


def histogram(values: Any, shares: Any) -> Cardinality:
    """Children per parent drawn from an observed distribution: ``values[i]`` children with share ``shares[i]``."""
    vals = [int(v) for v in values]
    weights = [float(w) for w in shares]
    if not vals or len(vals) != len(weights) or min(vals) < 0 or min(weights) < 0 or sum(weights) <= 0:
        raise PlanError("a histogram cardinality needs as many non-negative counts as shares, with a positive total; "
                        f"got {values!r} and {shares!r}")
    total = sum(weights)
    return Cardinality("histogram", values=tuple(vals), shares=tuple(w / total for w in weights))


def parse_cardinality(value: Any) -> Cardinality:
    """``3`` -> fixed(3); ``(1, 5)`` -> between(1, 5); ``{"poisson": 3, "zero": 0.1}``; a Cardinality."""
    if isinstance(value, Cardinality):
        return value
    if isinstance(value, bool):
        raise PlanError(f"cardinality must be a number, (min, max), a dict or a Cardinality; got {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise PlanError(f"a fixed cardinality must be non-negative; got {value}")
        return fixed(value)
    if isinstance(value, tuple) and len(value) == 2:
        return between(*value)
    if isinstance(value, dict):
        zero = float(value.get("zero", 0.0))
        for key, make in (("fixed", fixed), ("poisson", poisson), ("zipf", zipf)):
            if key in value:
                return make(value[key]).with_zero(zero)
        if "range" in value or ("min" in value and "max" in value):
            lo, hi = value.get("range", (value.get("min"), value.get("max")))
            return between(lo, hi).with_zero(zero)
    raise PlanError(f"Unknown cardinality {value!r}. Use n, (min, max), {{'poisson': mean}}, {{'zipf': s}}, "
                    "optionally with 'zero': p, or fixed()/between()/poisson()/zipf().")
