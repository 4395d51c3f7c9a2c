"""Multi-table fidelity, per foreign key: Cardinality, Intertable Trends and FK validity.

* **Cardinality** -- the KS complement between the real and synthetic children-per-parent counts,
  parents with no children included (a left join from the parent, filled with 0);
* **Intertable Trends** -- the child joined with its parent (denormalised), then Column Pair Trends over
  the (parent column, child column) pairs only (keys left out);
* **FK validity** -- the share of synthetic non-NULL foreign keys that point at an existing parent row.

::

    >>> from sqlalchemy_syda import generate, learn, poisson
    >>> real = generate([Customer, Order], {Customer: 50}, seed=1,           # stands in for a real export
    ...                 cardinality={Order.customer_id: poisson(2).with_zero(0.2)})
    >>> children_per_parent(real["orders"], ["customer_id"], real["customers"], ["id"])[:8]
    array([2, 0, 3, 0, 4, 1, 0, 4])
    >>> profile = learn(real, foreign_keys=[("orders", "customer_id", "customers", "id")])
    >>> scores = relationship_scores(real, profile.sample(seed=1), profile)[0]
    >>> {k: scores[k] for k in ("child", "parent", "cardinality", "fk_validity", "mean_children_real",
    ...                         "mean_children_synthetic", "pairs_scored")}
    {'child': 'orders', 'parent': 'customers', 'cardinality': 1.0, 'fk_validity': 1.0, 'mean_children_real':
    1.64, 'mean_children_synthetic': 1.64, 'pairs_scored': 11}
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .fidelity import column_pair_trends, ks_complement, metric_kind

__all__ = ["children_per_parent", "relationship_scores"]


def _keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    if len(columns) == 1:
        return frame[columns[0]]
    return pd.Series(list(zip(*(frame[c].tolist() for c in columns))), index=frame.index)


def children_per_parent(child: pd.DataFrame, columns: list[str], parent: pd.DataFrame,
                        ref_columns: list[str]) -> np.ndarray:
    """Children of every parent row (0 for parents without children)."""
    present = child[columns].notna().all(axis=1)
    per_parent = _keys(child.loc[present], columns).value_counts()
    return per_parent.reindex(pd.Index(_keys(parent, ref_columns).drop_duplicates()), fill_value=0).to_numpy()


def _key_columns(profile: Any, table: str) -> set[str]:
    try:
        tp = profile.table(table)
    except Exception:  # noqa: BLE001 - a table the profile does not know: no keys to drop
        return set()
    out = set(tp.primary_key) | {c for fk in tp.foreign_keys for c in fk["columns"]}
    return out | {c.name for c in tp.columns if c.model == "key"}


def _trends(child: pd.DataFrame, parent: pd.DataFrame, columns: list[str], ref_columns: list[str],
            keys_child: set[str], keys_parent: set[str]) -> tuple[pd.DataFrame, list[str], list[str]]:
    child_cols = [c for c in child.columns if c not in keys_child]
    parent_cols = [c for c in parent.columns if c not in keys_parent]
    left = child[child_cols + columns].copy()
    right = parent[parent_cols + ref_columns].rename(columns={c: f"parent.{c}" for c in parent_cols})
    joined = left.merge(right, left_on=columns, right_on=ref_columns, how="inner")
    renamed = [f"parent.{c}" for c in parent_cols]
    return joined[child_cols + renamed], child_cols, renamed


def relationship_scores(real: dict[str, pd.DataFrame], synthetic: dict[str, pd.DataFrame],
                        profile: Any) -> list[dict[str, Any]]:
    """Scores of every relationship of ``profile`` whose two tables are in both data sets."""
    out = []
    for rel in profile.relationships:
        if rel.child not in real or rel.parent not in real or rel.child not in synthetic or rel.parent not in synthetic:
            continue
        cols, ref_cols = list(rel.columns), list(rel.ref_columns)
        counts_real = children_per_parent(real[rel.child], cols, real[rel.parent], ref_cols)
        counts_syn = children_per_parent(synthetic[rel.child], cols, synthetic[rel.parent], ref_cols)
        card = ks_complement(pd.Series(counts_real, dtype=float), pd.Series(counts_syn, dtype=float))
        keys_child, keys_parent = _key_columns(profile, rel.child), _key_columns(profile, rel.parent)
        jr, child_cols, parent_cols = _trends(real[rel.child], real[rel.parent], cols, ref_cols, keys_child, keys_parent)
        js, _, _ = _trends(synthetic[rel.child], synthetic[rel.parent], cols, ref_cols, keys_child, keys_parent)
        trends: list[dict[str, Any]] = []
        if child_cols and parent_cols and len(jr) and len(js):
            kinds = {c: metric_kind(jr[c]) for c in jr.columns}
            pairs = column_pair_trends(jr, js, kinds)
            cross = set(parent_cols)
            trends = [p for p in pairs if (p["columns"][0] in cross) != (p["columns"][1] in cross)]
        syn_child = synthetic[rel.child]
        present = syn_child[cols].notna().all(axis=1)
        valid = _keys(syn_child.loc[present], cols).isin(set(_keys(synthetic[rel.parent], ref_cols).tolist()))
        out.append({"child": rel.child, "columns": cols, "parent": rel.parent, "cardinality": card,
                    "intertable_trends": float(np.mean([p["score"] for p in trends])) if trends else float("nan"),
                    "pairs_scored": len(trends), "fk_validity": float(valid.mean()) if len(valid) else 1.0,
                    "mean_children_real": float(counts_real.mean()) if len(counts_real) else 0.0,
                    "mean_children_synthetic": float(counts_syn.mean()) if len(counts_syn) else 0.0,
                    "_real_counts": counts_real, "_synthetic_counts": counts_syn})
    return out
