"""Privacy on a held-out split: does the synthetic data sit closer to the rows it was learned from?

The real data is split 50/50 into *train* (what the profile was learned from) and *holdout* (never
seen). For the synthetic rows:

* **IMS** (identical match share) -- the share of synthetic rows equal to a train row in every column,
  and the same against the holdout. Copies of real rows show up as IMS(train) > IMS(holdout).
* **DCR share** -- for each synthetic row, the distance to its closest train row and to its closest
  holdout row; the share of rows closer to train (ties count half). A generator that learned the
  population, not the rows, scores about 50 %; one that copies or memorises, much more.
* **NNDR** -- nearest / second-nearest train distance per synthetic row; its 10th percentile. Near 0
  means synthetic rows sit on top of single real rows (outliers re-identified); near 1 is safe.

Distance is Gower-style: numbers and datetimes scaled by the real range (capped at 1), categories 0
or 1, NULL vs NULL 0 and NULL vs a value 1, averaged over columns. Distances are computed in chunks
of synthetic rows (bounded memory), on at most ``max_rows`` synthetic rows drawn without replacement::

    >>> from sqlalchemy_syda import learn
    >>> train = penguins.sample(frac=0.5, random_state=0)
    >>> holdout = penguins.drop(train.index)
    >>> synthetic = learn(train).sample(172, seed=1)
    >>> scores = privacy(train, holdout, synthetic)
    >>> {k: round(scores[k], 2) for k in ("ims_train", "ims_holdout", "dcr_share", "nndr_p10")}
    {'ims_train': 0.0, 'ims_holdout': 0.0, 'dcr_share': 0.55, 'nndr_p10': 0.48}
    >>> scores["rows_compared"], len(scores["dcr_train"])        # the distances themselves, for the histogram
    (172, 172)
    >>> copied = privacy(train, holdout, train)                  # a "generator" that copies its rows
    >>> copied["ims_train"], copied["ims_holdout"], copied["dcr_share"], copied["nndr_p10"]
    (1.0, 0.0, 1.0, 0.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .fidelity import _numbers, metric_kind

__all__ = ["Encoded", "closest_distances", "encode", "identical_share", "privacy"]

_CHUNK_BYTES = 32 << 20
_NULL = -10.0  # NULL numbers sit far away from every scaled value (distances are capped at 1)


class Encoded:
    """Rows as a float matrix: scaled numbers (first ``n_numeric`` columns), then category codes."""

    def __init__(self, numeric: np.ndarray, codes: np.ndarray) -> None:
        self.numeric, self.codes = numeric, codes

    def __len__(self) -> int:
        return len(self.numeric)

    def take(self, index: np.ndarray) -> Encoded:
        return Encoded(self.numeric[index], self.codes[index])


def encode(frames: list[pd.DataFrame], reference: pd.DataFrame) -> list[Encoded]:
    """Encode several frames with the same scaling and category codes (taken from ``reference``)."""
    columns = [c for c in reference.columns if all(c in f.columns for f in frames)]
    numeric = [c for c in columns if metric_kind(reference[c]) != "categorical"]
    categorical = [c for c in columns if c not in numeric]
    scale: dict[str, tuple[float, float]] = {}
    for c in numeric:
        x = _numbers(reference[c])
        x = x[~np.isnan(x)]
        lo, hi = (float(x.min()), float(x.max())) if len(x) else (0.0, 1.0)
        scale[c] = (lo, (hi - lo) or 1.0)
    labels: dict[str, dict[Any, int]] = {}
    for c in categorical:
        seen = pd.concat([f[c] for f in frames], ignore_index=True).astype(object)
        labels[c] = {v: i for i, v in enumerate(pd.unique(seen.where(seen.notna(), None)))}
    out = []
    for frame in frames:
        num = np.empty((len(frame), len(numeric)), dtype=np.float32)
        for j, c in enumerate(numeric):
            lo, span = scale[c]
            x = (_numbers(frame[c]) - lo) / span
            num[:, j] = np.where(np.isnan(x), _NULL, x)
        cat = np.empty((len(frame), len(categorical)), dtype=np.int32)
        for j, c in enumerate(categorical):
            values = frame[c].astype(object)
            cat[:, j] = [labels[c].get(v, -1) for v in values.where(values.notna(), None).tolist()]
        out.append(Encoded(num, cat))
    return out


def closest_distances(rows: Encoded, reference: Encoded, k: int = 2) -> np.ndarray:
    """The ``k`` smallest Gower distances from every row to ``reference`` (shape ``len(rows) x k``)."""
    d = rows.numeric.shape[1] + rows.codes.shape[1]
    m = len(reference)
    k = min(k, m)
    chunk = max(1, _CHUNK_BYTES // max(4 * m, 1))
    out = np.empty((len(rows), k), dtype=np.float32)
    for start in range(0, len(rows), chunk):
        stop = min(len(rows), start + chunk)
        dist = np.zeros((stop - start, m), dtype=np.float32)
        for j in range(rows.numeric.shape[1]):
            diff = np.abs(rows.numeric[start:stop, j, None] - reference.numeric[None, :, j])
            dist += np.minimum(diff, 1.0)
        for j in range(rows.codes.shape[1]):
            dist += rows.codes[start:stop, j, None] != reference.codes[None, :, j]
        part = np.partition(dist, k - 1, axis=1)[:, :k] if k < m else dist
        out[start:stop] = np.sort(part, axis=1)[:, :k]
    return out / max(d, 1)


def identical_share(rows: pd.DataFrame, reference: pd.DataFrame) -> float:
    """Share of ``rows`` equal to some row of ``reference`` in every shared column (NULLs equal)."""
    columns = [c for c in reference.columns if c in rows.columns]

    def hashed(frame: pd.DataFrame) -> pd.Series:
        part = frame[columns].astype(object)
        return pd.util.hash_pandas_object(part.where(part.notna(), None), index=False)

    if not len(rows):
        return 0.0
    return float(hashed(rows).isin(set(hashed(reference).tolist())).mean())


def privacy(train: pd.DataFrame, holdout: pd.DataFrame, synthetic: pd.DataFrame, *, max_rows: int = 5000,
            seed: int = 0) -> dict[str, Any]:
    """IMS against train and holdout, DCR share and NNDR (see the module docstring)."""
    rng = np.random.default_rng(seed)
    rows = synthetic if len(synthetic) <= max_rows else \
        synthetic.iloc[np.sort(rng.choice(len(synthetic), max_rows, replace=False))]
    syn, tr, ho = encode([rows, train, holdout], pd.concat([train, holdout], ignore_index=True))
    near_train = closest_distances(syn, tr, 2)
    near_holdout = closest_distances(syn, ho, 1)[:, 0]
    closer = np.where(near_train[:, 0] < near_holdout, 1.0, np.where(near_train[:, 0] == near_holdout, 0.5, 0.0))
    second = near_train[:, 1] if near_train.shape[1] > 1 else near_train[:, 0]
    ratio = np.where(second > 0, near_train[:, 0] / np.where(second > 0, second, 1.0), 1.0)
    return {
        "ims_train": identical_share(synthetic, train),
        "ims_holdout": identical_share(synthetic, holdout),
        "dcr_share": float(closer.mean()) if len(closer) else float("nan"),
        "nndr_p10": float(np.quantile(ratio, 0.1)) if len(ratio) else float("nan"),
        "dcr_train_median": float(np.median(near_train[:, 0])) if len(near_train) else float("nan"),
        "dcr_holdout_median": float(np.median(near_holdout)) if len(near_holdout) else float("nan"),
        "rows_compared": int(len(rows)), "train_rows": int(len(train)), "holdout_rows": int(len(holdout)),
        "dcr_train": near_train[:, 0], "dcr_holdout": near_holdout,
    }
