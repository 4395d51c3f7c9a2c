"""Foreign keys of new rows: which parent row each child row gets, and that row's key values.

A child row's parent is drawn from its own row number (counter-based): uniformly, one-to-one through
a keyed permutation, or as its :class:`~..cardinality.Cardinality` says; a self-reference points at
an earlier row of the same run (the first row, and a share of rows when nullable, are roots)::

    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.run import engines_for
    >>> plan = plan_seed(table_specs([Customer, Order]), {"customers": 3, "orders": 8})
    >>> orders = engines_for(plan)["orders"]
    >>> fk = orders.recipe.foreign_key("customer_id")
    >>> index, nulls = orders.parents.assign(np.arange(8), fk)      # parent row of each order
    >>> bool(((0 <= index) & (index < 3)).all()), bool(nulls.any())
    (True, False)
    >>> values = {}
    >>> orders.parents.fill(np.arange(8), fk, values)               # their keys
    >>> sorted(set(values["customer_id"].tolist())) <= [1, 2, 3]
    True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ..exceptions import ConstraintUnsatisfiableError, PlanError, SchemaError
from ..recipe import ForeignKeyRecipe, TableRecipe
from ..streams import KeyedPermutation, Stream
from .keys import KeySource, VirtualKeys

__all__ = ["ParentKeys"]


class ParentKeys:
    """The parent key sources of one table's foreign keys, and the assignment of child rows to them."""

    def __init__(self, recipe: TableRecipe, sources: Mapping[str, KeySource], stream: Stream,
                 own_keys: Callable[[Sequence[str], np.ndarray], list[np.ndarray]],
                 fanout: Mapping[tuple[str, ...], np.ndarray] | None = None) -> None:
        self.recipe, self.stream, self._own_keys = recipe, stream, own_keys
        self._sources = sources
        self._fanout = dict(fanout or {})
        """Per FK columns: children before each parent block (the first pass), computed once per engine."""
        self._virtual = {fk.parent: VirtualKeys(fk.parent_rows or 1) for fk in recipe.foreign_keys
                         if fk.kind == "virtual"}

    def fanout_inputs(self, fkr: ForeignKeyRecipe):
        """What the first pass of ``fkr``'s cardinality needs: (cardinality, its stream, parent rows), or None when
        its children are not laid out by per-parent counts."""
        card = fkr.cardinality
        if card is None or not card.has_fanout or fkr.kind == "self":
            return None
        parents = self.domain(fkr)
        if parents == 0:
            return None
        return card, self.stream.child("fk", *fkr.fk.columns).child("cardinality"), parents

    def source(self, fkr: ForeignKeyRecipe) -> KeySource | None:
        """Where ``fkr`` points (None: the table itself)."""
        if fkr.kind == "self":
            return None
        if fkr.kind == "virtual":
            return self._virtual[fkr.parent]
        try:
            return self._sources[fkr.parent]
        except KeyError:
            raise PlanError(f"{self.recipe.name}.{', '.join(fkr.columns)}: no keys of {fkr.parent!r} were given "
                            "to the run.") from None

    def domain(self, fkr: ForeignKeyRecipe) -> int:
        """Parent rows a child of ``fkr`` can point at."""
        source = self.source(fkr)
        return self.recipe.count if source is None else source.count

    def assign(self, rows: np.ndarray, fkr: ForeignKeyRecipe) -> tuple[np.ndarray, np.ndarray]:
        """Parent row index of every row, and a mask of rows whose FK is NULL."""
        fk = fkr.fk
        offset, count = self.recipe.offset, self.recipe.count
        stream = self.stream.child("fk", *fk.columns)
        nulls = np.zeros(len(rows), dtype=bool)
        source = self.source(fkr)
        if source is None:  # self-reference: point to an earlier row of this run
            new = rows - offset
            index = np.floor(stream.uniform(rows) * new).astype(np.int64)
            roots = new == 0
            if fk.nullable:
                roots |= stream.child("root").bernoulli(rows, 0.15)
                nulls = roots
            return np.where(roots, new, index), nulls
        parents = source.count
        if parents == 0:
            if fk.nullable:
                return np.zeros(len(rows), dtype=np.int64), np.ones(len(rows), dtype=bool)
            raise PlanError(f"{self.recipe.name}.{', '.join(fk.columns)} needs rows in {fk.ref_table!r}, "
                            "which has none. Seed the parent table too (or give it a count).")
        if fkr.cardinality is not None:
            card, card_stream = fkr.cardinality, stream.child("cardinality")
            prefix = None
            if card.has_fanout:
                prefix = self._fanout.get(fk.columns)
                if prefix is None:
                    prefix = self._fanout[fk.columns] = card.fanout_prefix(card_stream, parents)
            return card.assign(card_stream, rows - offset, parents, count, prefix), nulls
        if fkr.one_to_one:
            if count > parents:
                raise ConstraintUnsatisfiableError(
                    f"{self.recipe.name}.{', '.join(fk.columns)} is a one-to-one key to {fk.ref_table!r}: "
                    f"{count} rows need at least as many parent rows, but there are {parents}.")
            return KeyedPermutation(parents, stream)(rows - offset), nulls
        return stream.integers(rows, 0, parents), nulls

    def fill(self, rows: np.ndarray, fkr: ForeignKeyRecipe, values: dict[str, np.ndarray],
             index: np.ndarray | None = None) -> None:
        """Set the FK columns of ``fkr`` in ``values`` (``index``: parent rows chosen elsewhere, e.g. jointly)."""
        if index is None:
            index, nulls = self.assign(rows, fkr)
        else:
            nulls = np.zeros(len(rows), dtype=bool)
        fk = fkr.fk
        if nulls.all():  # e.g. an optional FK to a table without rows: nothing to look up
            for col in fk.columns:
                values[col] = np.full(len(rows), None, dtype=object)
            return
        source = self.source(fkr)
        if source is None:
            wired = self.recipe.wired
            if any(c in wired and wired[c].fk is fk for c in fk.ref_columns):
                raise SchemaError(f"{self.recipe.name}: foreign key {fk.columns} references itself.")
            keys = [np.asarray(v) for v in self._own_keys(list(fk.ref_columns), index)]
        else:
            keys = source.key_values(fk.ref_columns, index)
        for col, key in zip(fk.columns, keys):
            key = np.asarray(key)
            if nulls.any():
                key = key.astype(object)
                key[nulls] = None
            values[col] = key
