"""Parent -> child trends: a child table's copula stratified by an attribute of the parent row it points at.

Child rows often depend on their parent (a flight's origin, destination and distance on its airline; an
order's amount on the customer's segment). After both tables are learned, :func:`condition_on_parents`
joins each child row with its parent and measures, for every categorical parent column, how much it
explains the child's copula columns (the correlation ratio of their normal scores, as the single-table
stratifier does). When a parent column explains at least two of them (correlation ratio >= 0.3) and more
of the child on average than the child's own stratifier (one suffices for a copula of two), the copula is
refitted with one group (marginals + correlation) per value of that parent column; at sampling each child
row reads its parent's value through the engine (:attr:`~..generators.base.GenContext.parent_values`) and
uses that value's group.

*Restated parent columns* (:func:`copied_from_parents`): a child column equal to a column of its parent row in
at least 99 % of the rows (``batting.lgID`` is its team's league, an order's currency its customer's) is read
from the synthetic parent row at sampling, so the two never disagree; its learned model stays as the fallback.

*Reference tables* (:func:`reference_values`): a small parent that every child row leans on (at most
``50`` rows and ``20`` children per parent on average: airlines, genres, media types) names things rather
than people; its text values used by at least ``rare`` child rows are kept and laid out by row (parent row
*k* gets the *k*-th most used value), and the foreign keys into it get each row's learned share of children
(``by_row``), so the synthetic airlines are the real airlines with their real shares of flights, and the
trends through them can be kept. Tables with personal data are not of that shape (customers have few
orders each); keys are never kept::

    >>> import pandas as pd
    >>> from sqlalchemy_syda import learn
    >>> kinds = pd.DataFrame({"id": [1, 2], "name": ["cargo", "passenger"]})
    >>> trips = pd.DataFrame({"id": range(1, 401), "kind_id": [1, 2] * 200,
    ...                       "weight": [float(5000 + i % 50) if i % 2 == 0 else float(80 + i % 7) for i in range(400)],
    ...                       "legs": [1 + i % 3 for i in range(400)]})
    >>> profile = learn({"kinds": kinds, "trips": trips}, foreign_keys=[("trips", "kind_id", "kinds", "id")])
    >>> profile.table("kinds").column("name").params["values"], profile.table("trips").copula["parent"]
    (['cargo', 'passenger'], {'columns': ['kind_id'], 'table': 'kinds', 'column': 'name'})
    >>> synthetic = profile.sample(seed=1)
    >>> joined = synthetic["trips"].merge(synthetic["kinds"], left_on="kind_id", right_on="id")
    >>> joined.groupby("name")["weight"].median().round(-2).to_dict()
    {'cargo': 5000.0, 'passenger': 100.0}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..streams import stable_key
from .frame import _MIN_STRATUM_ROWS, _STRATIFY_ASSOCIATION, _association, stratified_groups
from .marginals import _key, _lookup_index, fit_category, normal_scores
from .profile import ColumnProfile, TableProfile

__all__ = ["condition_on_parents", "copied_from_parents", "reference_values"]

COPIED_SHARE = 0.99
"""A child column equal to a parent column in at least this share of the rows with a parent is read from it."""
REFERENCE_ROWS = 50
"""A parent with at most this many rows ..."""
REFERENCE_FANOUT = 20
"""... and at least this many child rows per parent row on average is a reference table."""
_MAX_PARENT_STRATA = 40


def _parent_of_rows(child: pd.DataFrame, fk: dict[str, Any], parent: pd.DataFrame, column: str) -> pd.Series:
    """The value of ``parent[column]`` in the parent row of every child row (NaN/None: NULL FK or orphan)."""
    cols, refs = list(fk["columns"]), list(fk["ref_columns"])
    right = parent[refs + [column]].drop_duplicates(subset=refs).rename(
        columns=dict(zip(refs, cols)) | {column: "__parent_value__"})
    joined = child[cols].merge(right, on=cols, how="left")
    return joined["__parent_value__"].set_axis(child.index)


def reference_values(tables: list[TableProfile], frames: Mapping[str, pd.DataFrame], fks: list[dict[str, Any]],
                     rare: int) -> tuple[list[TableProfile], dict[tuple[str, tuple[str, ...]], list[int]]]:
    """Text columns of reference tables kept as values laid out by row (see the module docstring), and per
    foreign key into such a table the children of each parent row in the same order (``by_row``)."""
    by_name = {t.name: t for t in tables}
    by_row: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    into: dict[str, list[dict[str, Any]]] = {}
    for fk in fks:
        if fk["ref_table"] != fk["table"] and fk["ref_table"] in by_name:
            into.setdefault(fk["ref_table"], []).append(fk)
    for parent, parent_fks in into.items():
        table, rows = by_name[parent], len(frames[parent])
        widest = max(parent_fks, key=lambda fk: len(frames[fk["table"]]))
        if not 0 < rows <= REFERENCE_ROWS or len(frames[widest["table"]]) < REFERENCE_FANOUT * rows:
            continue
        pframe = frames[parent].reset_index(drop=True)
        supports = {id(fk): _children_of_rows(frames[fk["table"]], fk, pframe) for fk in parent_fks}
        order = np.argsort(-supports[id(widest)], kind="stable")  # parent rows, most children first
        copula_members = set((table.copula or {}).get("columns", ()))
        columns = list(table.columns)
        changed = False
        for i, col in enumerate(columns):
            if col.dtype != "string" or col.model not in ("meaning", "text", "pattern", "category") \
                    or col.name in copula_members:
                continue
            support = pd.Series(supports[id(widest)]).groupby(pframe[col.name].to_numpy()).sum()
            kept = [v for v in pframe[col.name].to_numpy()[order].tolist() if v is not None and support.get(v, 0) >= rare]
            kept = list(dict.fromkeys(kept))
            if not kept:
                continue
            laid = [kept[k % len(kept)] for k in range(rows)]
            params = dict(fit_category(pd.Series(laid, dtype=object), rare=1, keep_nulls=False), by_row=laid)
            columns[i] = ColumnProfile(col.name, col.dtype, "category", 0.0, params, None,
                                       f"reference table ({rows} rows, {len(frames[widest['table']]) / rows:.0f} "
                                       f"{widest['table']} rows each): {len(kept)} values used by at least {rare} "
                                       f"{widest['table']} rows kept, laid out by row")
            changed = True
        if not changed:
            continue
        by_name[parent] = replace(table, columns=tuple(columns))
        for fk in parent_fks:
            by_row[(fk["table"], tuple(fk["columns"]))] = supports[id(fk)][order].astype(int).tolist()
    return [by_name[t.name] for t in tables], by_row


def _children_of_rows(child: pd.DataFrame, fk: dict[str, Any], parent: pd.DataFrame) -> np.ndarray:
    """Child rows pointing at each parent row (in the parent frame's order)."""
    counts = _keys(child.dropna(subset=list(fk["columns"])), list(fk["columns"])).value_counts()
    return _keys(parent, list(fk["ref_columns"])).map(counts).fillna(0).to_numpy(dtype=np.int64)


def _keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """One key per row: the column itself, or tuples of several."""
    if len(columns) == 1:
        return frame[columns[0]]
    return pd.Series(list(zip(*(frame[c].tolist() for c in columns))), index=frame.index)


def condition_on_parents(tables: list[TableProfile], frames: Mapping[str, pd.DataFrame],
                         fks: list[dict[str, Any]], rare: int, quantiles: int,
                         smoothing: float = 1.0) -> list[TableProfile]:
    """Each child's copula stratified by the parent column that explains it best, where that beats its own."""
    by_name = {t.name: t for t in tables}
    out = []
    for table in tables:
        own = [fk for fk in fks if fk["table"] == table.name and fk["ref_table"] != table.name
               and fk["ref_table"] in by_name]
        out.append(_conditioned(table, frames[table.name], own, by_name, frames, rare, quantiles, smoothing)
                   if own else table)
    return out


def _conditioned(table: TableProfile, frame: pd.DataFrame, own_fks: list[dict[str, Any]],
                 profiles: Mapping[str, TableProfile], frames: Mapping[str, pd.DataFrame], rare: int,
                 quantiles: int, smoothing: float = 1.0) -> TableProfile:
    copula = table.copula
    if not copula:
        return table
    names = list(copula["columns"]) + ([copula["stratify"]] if copula.get("stratify") and not copula.get("parent")
                                       else [])
    members = [table.column(n) for n in names]
    frame = frame.reset_index(drop=True)
    rng = np.random.default_rng(stable_key(table.name, "parent-conditioning") % (1 << 63))
    scores = {c.name: normal_scores(c.model, c.params, frame[c.name], rng) for c in members}
    baseline = 0.0
    if copula.get("stratify"):
        codes = pd.factorize(frame[copula["stratify"]].astype(object), use_na_sentinel=False)[0]
        baseline = float(np.mean([_association(codes, scores[n]) for n in copula["columns"]]))
    best: tuple[float, dict[str, Any], ColumnProfile, pd.Series] | None = None
    for fk in own_fks:
        parent = profiles[fk["ref_table"]]
        for pcol in parent.columns:
            values = pcol.params.get("values", []) if pcol.model == "category" else []
            if not 2 <= len(values) <= _MAX_PARENT_STRATA:
                continue
            of_rows = _parent_of_rows(frame, fk, frames[fk["ref_table"]].reset_index(drop=True), pcol.name)
            codes = _lookup_index(of_rows, {_key(v): i for i, v in enumerate(values)})
            codes = np.where(codes < 0, len(values), codes)  # NULL, orphans and dropped values: one more group
            if (np.bincount(codes) >= _MIN_STRATUM_ROWS).sum() < 2:
                continue
            etas = np.array([_association(codes, scores[c.name]) for c in members])
            score = float(etas.mean())
            explained = int((etas >= _STRATIFY_ASSOCIATION).sum())  # the columns the parent explains
            if explained >= min(2, (len(members) + 1) // 2) and score > baseline and (best is None or score > best[0]):
                best = (score, fk, pcol, of_rows)
    if best is None:
        return table
    score, fk, pcol, of_rows = best
    groups = stratified_groups(frame, members, of_rows, pcol.params["values"], rare, quantiles, rng,
                               smoothing=smoothing)
    parent = {"columns": list(fk["columns"]), "table": fk["ref_table"], "column": pcol.name}
    new = {"columns": [c.name for c in members], "stratify": f"{fk['ref_table']}.{pcol.name}", "parent": parent,
           "association": round(score, 4), "groups": groups}
    columns = tuple(replace(c, reason=c.reason + f"; by the parent's {fk['ref_table']}.{pcol.name}")
                    if c.name in new["columns"] else c for c in table.columns)
    return replace(table, copula=new, columns=columns)


def copied_from_parents(tables: list[TableProfile], frames: Mapping[str, pd.DataFrame],
                        fks: list[dict[str, Any]]) -> list[TableProfile]:
    """Child columns that restate a column of the parent row (``batting.lgID`` is its team's ``lgID``; an order's
    currency its customer's): ``params["from_parent"]`` names the foreign key and the parent column, and at
    sampling the row reads the value of its (synthetic) parent row; the learned model stays as the fallback
    where the parent row is not generated with it. Keys are never compared (they are the engine's)."""
    by_name = {t.name: t for t in tables}
    out = []
    for table in tables:
        own = [fk for fk in fks if fk["table"] == table.name and fk["ref_table"] != table.name
               and fk["ref_table"] in by_name]
        frame = frames[table.name].reset_index(drop=True)
        candidates = [i for i, c in enumerate(table.columns) if c.model not in ("key", "constant")
                      and not c.params.get("from_parent") and frame[c.name].nunique() >= 2]
        columns = list(table.columns)
        for fk in own:
            if not candidates:
                break
            pframe = frames[fk["ref_table"]].reset_index(drop=True)
            at = _parent_rows(frame, fk, pframe)  # the parent row of each child row (-1: none)
            known = at >= 0
            if known.sum() < _MIN_STRATUM_ROWS:
                continue
            for i in list(candidates):
                col = columns[i]
                mine = frame[col.name].to_numpy(dtype=object)[known]
                match = next((p.name for p in by_name[fk["ref_table"]].columns if p.model not in ("key", "constant")
                              and p.dtype == col.dtype and _same_share(mine, pframe[p.name].to_numpy(dtype=object)
                                                                       [at[known]]) >= COPIED_SHARE), None)
                if match is None:
                    continue
                params = dict(col.params, from_parent={"columns": list(fk["columns"]), "table": fk["ref_table"],
                                                       "column": match})
                columns[i] = replace(col, params=params, reason=f"{col.reason}; equal to the parent's "
                                     f"{fk['ref_table']}.{match} in the data: read from the parent row")
                candidates.remove(i)
        out.append(replace(table, columns=tuple(columns)))
    return out


def _parent_rows(child: pd.DataFrame, fk: dict[str, Any], parent: pd.DataFrame) -> np.ndarray:
    cols, refs = list(fk["columns"]), list(fk["ref_columns"])
    right = parent[refs].assign(__row__=np.arange(len(parent))).drop_duplicates(subset=refs)
    joined = child[cols].merge(right.rename(columns=dict(zip(refs, cols))), on=cols, how="left")
    return joined["__row__"].fillna(-1).to_numpy(dtype=np.int64)


_NULL = object()


def _same_share(mine: np.ndarray, theirs: np.ndarray) -> float:
    """Share of equal values, NULL equal to NULL."""
    if not len(mine):
        return 0.0
    mine, theirs = np.where(pd.isna(mine), _NULL, mine), np.where(pd.isna(theirs), _NULL, theirs)
    return float(np.mean(mine == theirs))
