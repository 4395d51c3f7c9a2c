"""Foreign keys of new rows: which parent row each child row gets, and that row's key values.

A child row's parent is drawn from its own row number (counter-based): uniformly, one-to-one through
a keyed permutation, or as its :class:`~..cardinality.Cardinality` says; a self-reference points at
an earlier row of the same run (the first row, and a share of rows when nullable, are roots).

Children counted per parent are laid out by parent (a parent's children take consecutive *layout
positions*), and each row takes its position from a keyed permutation, one per foreign key
(:func:`~..streams.block_permutation` over blocks of :data:`LAYOUT_WINDOW` rows; one block up to
:data:`LAYOUT_WHOLE` rows): a table read in id order
shows the customers of its orders mixed (not 1, 1, 1, 2, 2, ...) and a customer's orders spread over the
table, two counted keys of one table are not tied to each other, and a chunk of rows still touches few
parent blocks (a cluster's partition computes only the blocks it touches).
Rows that are parts of their parent keep its rows consecutive, as they are written together: the foreign
key leads the primary key, deletes cascade, or the table is named for the parent's parts (``order_items``
of ``orders``, ``invoice_line`` of ``invoice``; not ``customer_reviews``)::

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
from ..streams import KeyedPermutation, Stream, block_permutation
from .keys import ArrayKeys, CombinedKeys, KeySource, VirtualKeys

__all__ = ["LAYOUT_WHOLE", "LAYOUT_WINDOW", "ParentKeys", "index_name"]

LAYOUT_WINDOW = 4096
"""Rows of a foreign key counted per parent take their layout positions from a permutation of blocks of this
many, shuffled inside each block ..."""
LAYOUT_WHOLE = 65_536
"""... or, in tables of up to this many new rows, from one permutation of them all."""

_PART_WORDS = frozenset({"item", "items", "line", "lines", "detail", "details", "entry", "entries", "part", "parts",
                         "position", "positions", "row", "rows", "step", "steps", "track", "tracks"})
"""What a table named ``<parent>_<word>`` holds of each parent row: its parts, written with it."""

_LAID_OUT = ("fixed", "range", "poisson", "histogram", "per_row")
"""Cardinalities whose children are laid out by per-parent counts."""


def index_name(fk_columns: tuple[str, ...]) -> str:
    """Where :meth:`ParentKeys.fill` leaves the parent row index of each row (-1: NULL foreign key)."""
    return "#" + ",".join(fk_columns)


class ParentKeys:
    """The parent key sources of one table's foreign keys, and the assignment of child rows to them."""

    def __init__(self, recipe: TableRecipe, sources: Mapping[str, KeySource], stream: Stream,
                 own_keys: Callable[[Sequence[str], np.ndarray], list[np.ndarray]],
                 fanout: Mapping[tuple[str, ...], np.ndarray] | None = None,
                 taken: Mapping[object, set] | None = None) -> None:
        self.recipe, self.stream, self._own_keys = recipe, stream, own_keys
        self._taken = {k: v for k, v in (taken or {}).items() if isinstance(k, tuple) and v}
        """Key tuples rows already in the table hold, per UNIQUE column set (a one-to-one key's parents taken)."""
        self._free: dict[tuple[str, ...], np.ndarray | None] = {}
        self._sources = sources
        self._fanout = dict(fanout or {})
        """Per FK columns: children before each parent block (the first pass), computed once per engine."""
        self._virtual = {fk.parent: VirtualKeys(fk.parent_rows or 1) for fk in recipe.foreign_keys
                         if fk.kind == "virtual"}
        self._distinct: dict[tuple[str, ...], np.ndarray] = {}
        self._counts: dict[tuple, np.ndarray] = {}

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

    def layout_positions(self, rows: np.ndarray, fkr: ForeignKeyRecipe) -> np.ndarray:
        """The layout position of each new row (``rows``: row numbers) for ``fkr``'s per-parent counts."""
        new = np.asarray(rows, dtype=np.int64) - self.recipe.offset
        if self._parts_of_parent(fkr):
            return new
        count = self.recipe.count
        block = count if count <= LAYOUT_WHOLE else LAYOUT_WINDOW
        return block_permutation(new, count, self.stream.child("layout", *fkr.columns), block)

    def _parts_of_parent(self, fkr: ForeignKeyRecipe) -> bool:
        """Rows written with their parent (an order's lines): the key leads the primary key, deletes cascade,
        or the table is named ``<parent>_<part>`` (``order_items``, ``invoice_line``, ``playlist_track``)."""
        fk, spec = fkr.fk, self.recipe.spec
        if tuple(spec.primary_key[:len(fk.columns)]) == tuple(fk.columns) or (fk.ondelete or "").upper() == "CASCADE":
            return True
        parent, name = fk.ref_table.rsplit(".", 1)[-1].lower(), spec.name.lower()
        stem = parent[:-1] if parent.endswith("s") else parent
        if len(stem) < 3 or name == parent or not name.startswith(stem):
            return False
        return name[len(stem):].strip("_- ").removeprefix("s_") in _PART_WORDS  # order_items; not customer_reviews

    def assign_at(self, positions: np.ndarray, fkr: ForeignKeyRecipe) -> np.ndarray:
        """The parent row index at each layout position of ``fkr``'s per-parent counts (a joint that lays several
        keys out together, see :meth:`layout_positions`)."""
        positions = np.asarray(positions, dtype=np.int64)
        return self.assign(positions + self.recipe.offset, fkr, positions=positions)[0]

    def assign(self, rows: np.ndarray, fkr: ForeignKeyRecipe, attempt: int = 0,
               positions: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Parent row index of every row, and a mask of rows whose FK is NULL (``attempt`` > 0: another choice,
        for rows a CHECK over the keys sends back; ``positions``: layout positions given, see :meth:`assign_at`)."""
        fk = fkr.fk
        offset, count = self.recipe.offset, self.recipe.count
        stream = self.stream.child("fk", *fk.columns)
        if attempt:
            stream = stream.child("retry", attempt)
        nulls = np.zeros(len(rows), dtype=bool)
        source = self.source(fkr)
        if source is None and fkr.cardinality is not None and fkr.cardinality.kind in ("histogram", "fixed", "range",
                                                                                     "poisson"):
            new = rows - offset
            index, roots = fkr.cardinality.self_reference(stream.child("cardinality"), new, count)
            if fk.nullable:
                return index, roots
            leftover = roots & (new > 0)  # NOT NULL: rows past the learned fan-outs point at an earlier row
            index[leftover] = np.floor(stream.uniform(rows[leftover]) * new[leftover]).astype(np.int64)
            return index, nulls
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
            card, cstream = fkr.cardinality, stream.child("cardinality")
            if card.null and fk.nullable:
                nulls = stream.child("null").bernoulli(rows, card.null)
            counts = prefix = None
            where = rows - offset
            if card.kind in _LAID_OUT:  # per-parent counts: one draw for every batch
                if not attempt:  # children per parent block from a first pass done elsewhere (a cluster's)
                    prefix = self._fanout.get(fk.columns)
                if prefix is None:
                    counts = self._counts_of(fkr, card, cstream, parents, attempt)
                where = positions if positions is not None else self.layout_positions(rows, fkr)
            return card.assign(cstream, where, parents, count, counts, prefix), nulls
        if fkr.distinct:
            choices = self._distinct_parents(fkr, source)
            if count > len(choices):
                raise ConstraintUnsatisfiableError(
                    f"{self.recipe.name}: UNIQUE {' and '.join(f'({c})' for c in map(', '.join, fkr.distinct))} on "
                    f"part of the foreign key ({', '.join(fk.columns)}) -> {fk.ref_table!r} needs a parent row "
                    f"with its own {' / '.join(map(', '.join, fkr.distinct))} per row: {count} rows, but only "
                    f"{len(choices)} of the {parents} parent rows differ there. Lower the row count or give "
                    f"{fk.ref_table!r} more distinct values.")
            return choices[KeyedPermutation(len(choices), stream)(rows - offset)], nulls
        if fkr.one_to_one:
            free = self._free_parents(fkr, source)
            if free is None:
                if count > parents:
                    raise ConstraintUnsatisfiableError(
                        f"{self.recipe.name}.{', '.join(fk.columns)} is a one-to-one key to {fk.ref_table!r}: "
                        f"{count} rows need at least as many parent rows, but there are {parents}.")
                return KeyedPermutation(parents, stream)(rows - offset), nulls
            if count > len(free):
                raise ConstraintUnsatisfiableError(
                    f"{self.recipe.name}.{', '.join(fk.columns)} is a one-to-one key to {fk.ref_table!r}: "
                    f"{count} new row{'s' * (count != 1)} need{'s' * (count == 1)} as many {fk.ref_table!r} rows "
                    f"without one, but {parents - len(free)} of its {parents} rows have a {self.recipe.name!r} row "
                    f"already and {len(free)} are left. Lower the row count or seed {fk.ref_table!r} too.")
            return free[KeyedPermutation(len(free), stream)(rows - offset)], nulls
        return stream.integers(rows, 0, parents), nulls

    def _free_parents(self, fkr: ForeignKeyRecipe, source: KeySource) -> np.ndarray | None:
        """Parent rows, in row order, that no row already in the table points at through the one-to-one key
        ``fkr`` (None: no row there points at any). Only the parent's own existing rows can be taken."""
        if fkr.columns not in self._free:
            fk = fkr.fk
            order, taken = next(((k, v) for k, v in self._taken.items() if set(k) == set(fk.columns)), ((), None))
            old = source.old if isinstance(source, CombinedKeys) else source if isinstance(source, ArrayKeys) else None
            if not taken or old is None or not old.count:
                self._free[fkr.columns] = None
            else:
                ref = dict(zip(fk.columns, fk.ref_columns))
                keys = [np.asarray(v).tolist() for v in old.key_values([ref[c] for c in order], np.arange(old.count))]
                held = np.fromiter((t in taken for t in zip(*keys)), dtype=bool, count=old.count)
                self._free[fkr.columns] = np.r_[np.flatnonzero(~held), np.arange(old.count, source.count)]
        return self._free[fkr.columns]

    def _counts_of(self, fkr: ForeignKeyRecipe, card, cstream: Stream, parents: int, attempt: int = 0) -> np.ndarray:
        key = (fkr.fk.columns, parents, attempt)
        if key not in self._counts:
            self._counts[key] = card.counts(cstream, parents)
        return self._counts[key]

    def fanout_counts(self, fkr: ForeignKeyRecipe) -> np.ndarray | None:
        """Children of each parent row that :meth:`assign` lays ``fkr``'s rows out by (None: not laid out by
        per-parent counts, or NULLs drawn among them)."""
        inputs = self.fanout_inputs(fkr)
        if inputs is None or fkr.kind != "parent" or (inputs[0].null and fkr.fk.nullable):
            return None
        card, cstream, parents = inputs
        return self._counts_of(fkr, card, cstream, parents)

    def _distinct_parents(self, fkr: ForeignKeyRecipe, source: KeySource) -> np.ndarray:
        """Parent rows, in row order, that repeat none of the earlier ones in any UNIQUE part of the key."""
        if fkr.columns not in self._distinct:
            fk = fkr.fk
            ref = dict(zip(fk.columns, fk.ref_columns))
            wanted = sorted({c for u in fkr.distinct for c in u})
            values = dict(zip(wanted, (np.asarray(v).tolist() for v in
                                       source.key_values([ref[c] for c in wanted], np.arange(source.count)))))
            seen: list[set] = [set() for _ in fkr.distinct]
            keep = []
            for i in range(source.count):
                keys = [tuple(values[c][i] for c in u) for u in fkr.distinct]
                keys = [None if any(v is None for v in k) else k for k in keys]  # NULLs never collide
                if any(k is not None and k in s for k, s in zip(keys, seen)):
                    continue
                for k, s in zip(keys, seen):
                    if k is not None:
                        s.add(k)
                keep.append(i)
            self._distinct[fkr.columns] = np.array(keep, dtype=np.int64)
        return self._distinct[fkr.columns]

    def parent_values(self, rows: np.ndarray, fk_columns: tuple[str, ...], column: str,
                      values: dict[str, np.ndarray]) -> np.ndarray:
        """The parent's ``column`` for each row, from the parent row its foreign key ``fk_columns`` points at
        (None where the key is NULL or the parent's value is unknown)."""
        fkr = next(f for f in self.recipe.foreign_keys if f.columns == tuple(fk_columns))
        index = values.get(index_name(fkr.columns))
        if index is None:
            index, nulls = self.assign(rows, fkr)
            index = np.where(nulls, -1, index)
        source = self.source(fkr)
        missing = index < 0
        safe = np.where(missing, 0, index)
        lookup = self._own_keys if source is None else source.key_values
        try:
            if len(safe) > 2 * self.domain(fkr):  # many children per parent: compute each parent row once
                unique, inverse = np.unique(safe, return_inverse=True)
                found = np.asarray(lookup([column], unique)[0])[inverse]
            else:
                found = lookup([column], safe)[0]
        except KeyError:  # a source that does not hold the column (a table outside the run): the row's own value
            return np.full(len(rows), None, dtype=object)
        found = np.asarray(found)
        if missing.any():
            found = found.astype(object)
            found[missing] = None
        return found

    def fill(self, rows: np.ndarray, fkr: ForeignKeyRecipe, values: dict[str, np.ndarray],
             index: np.ndarray | None = None, attempt: int = 0) -> None:
        """Set the FK columns of ``fkr`` in ``values`` (``index``: parent rows chosen elsewhere, e.g. jointly)."""
        if index is None:
            index, nulls = self.assign(rows, fkr, attempt)
        else:
            nulls = np.zeros(len(rows), dtype=bool)
        fk = fkr.fk
        values[index_name(fk.columns)] = np.where(nulls, -1, index)
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
