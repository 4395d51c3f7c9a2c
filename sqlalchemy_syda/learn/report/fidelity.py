"""Fidelity: how close synthetic data is to real data, with the metric names users know.

* **Column Shapes** -- per column, the KS complement (1 - Kolmogorov-Smirnov statistic) for numbers and
  datetimes, the TV complement (1 - half the total variation distance, NULL counted as a value) for
  categories and booleans;
* **Column Pair Trends** -- per pair of columns with a real association in the real data (|Pearson r| >
  0.5, or Cramer's V > 0.3), as the standard report counts them (``only_associated=False``: every
  pair): correlation similarity (1 - |r_real - r_synth| / 2) for two numeric or datetime columns,
  contingency similarity (1 - half the total variation of the joint frequencies, NULL a value; a
  number cut into 10 equal bins of its own range in each data set) otherwise;
* **null similarity** -- per column, 1 - |NULL share real - NULL share synthetic|.

``overall`` is the mean of Column Shapes and Column Pair Trends::

    >>> from sqlalchemy_syda import learn
    >>> synthetic = learn(penguins).sample(344, seed=1)
    >>> scores = fidelity(penguins, synthetic)
    >>> round(scores["overall"], 2), round(scores["column_shapes"], 2), round(scores["column_pair_trends"], 2)
    (0.93, 0.96, 0.89)
    >>> scores["shapes"]["body_mass_g"]["metric"], round(scores["shapes"]["body_mass_g"]["score"], 3)
    ('KSComplement', 0.948)
    >>> pair = scores["pairs"][0]
    >>> pair["columns"], pair["metric"], round(pair["real"], 2), round(pair["synthetic"], 2)   # Cramer's V
    (['species', 'island'], 'ContingencySimilarity', 0.66, 0.66)

A column is numerical unless it holds strings / booleans, or whole non-negative numbers with at most
min(n / 10, 10) distinct values (a label, a year): then it is categorical. Strings that are mostly
distinct (names, e-mails, free text: every value, more than half of 20 or more, or over 1000) are ``text``
and not scored: a good generator makes new ones, so no frequency can match::

    >>> metric_kind(penguins["year"]), metric_kind(penguins["body_mass_g"])
    ('categorical', 'numerical')
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["column_pair_trends", "column_shapes", "contingency_similarity", "cramers_v", "fidelity",
           "ks_complement", "metric_kind", "null_similarity", "tv_complement"]

_BINS = 10
_STRONG_R = 0.5
_STRONG_V = 0.3


def metric_kind(values: pd.Series) -> str:
    """``numerical``, ``datetime`` or ``categorical`` (see the module docstring)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return "categorical"
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return "datetime"
    if pd.api.types.is_numeric_dtype(values.dtype):
        present = values.dropna().to_numpy(dtype=np.float64)
        if len(values) > 5 and len(present) and np.all(present == np.round(present)) and np.all(present >= 0) \
                and len(np.unique(present)) <= min(round(len(values) / 10), 10):
            return "categorical"
        return "numerical"
    present = values.dropna()
    if len(present):
        first = present.iloc[0]
        import datetime as dt

        if isinstance(first, (dt.date, pd.Timestamp)):
            return "datetime"
        distinct = present.astype(str).nunique()
        if distinct > 1000 or (len(present) >= 20 and distinct > 0.5 * len(present)) or \
                (len(present) > 1 and distinct == len(present)):
            return "text"
    return "categorical"


def _numbers(values: pd.Series) -> np.ndarray:
    """Floats (datetimes, and date strings as a database driver may return them, as epoch seconds), NaN for NULL."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
    converted = values
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        numbers = pd.to_numeric(values, errors="coerce")
        if numbers.notna().sum() >= values.notna().sum():
            return numbers.to_numpy(dtype=np.float64)
        converted = pd.to_datetime(values, errors="coerce", format="mixed")
    series = pd.Series(converted)
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    out = series.to_numpy(dtype="datetime64[ns]").astype(np.int64).astype(np.float64) / 1e9
    out[series.isna().to_numpy()] = np.nan
    return out


def ks_complement(real: pd.Series, synthetic: pd.Series) -> float:
    """1 - the two-sample KS statistic over the non-NULL values."""
    a, b = _numbers(real), _numbers(synthetic)
    a, b = np.sort(a[~np.isnan(a)]), np.sort(b[~np.isnan(b)])
    if not len(a) or not len(b):
        return 1.0 if len(a) == len(b) else 0.0
    grid = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, grid, side="right") / len(a)
    cdf_b = np.searchsorted(b, grid, side="right") / len(b)
    return float(1.0 - np.max(np.abs(cdf_a - cdf_b)))


def _labels(values: pd.Series) -> pd.Series:
    """Values as comparable labels, NULL as its own label."""
    return values.astype(object).map(lambda v: "\x00NULL" if v is None or v is pd.NA or v != v else
                                     ("num", float(v)) if isinstance(v, (int, float, np.number))
                                     and not isinstance(v, (bool, np.bool_)) else str(v))


def tv_complement(real: pd.Series, synthetic: pd.Series) -> float:
    """1 - half the sum of absolute differences between the value shares (NULL is a value)."""
    p = _labels(real).value_counts(normalize=True)
    q = _labels(synthetic).value_counts(normalize=True)
    index = p.index.union(q.index)
    return float(1.0 - 0.5 * np.abs(p.reindex(index, fill_value=0.0) - q.reindex(index, fill_value=0.0)).sum())


def null_similarity(real: pd.DataFrame, synthetic: pd.DataFrame) -> dict[str, float]:
    """Per column: 1 - |NULL share in real - NULL share in synthetic|."""
    return {c: float(1.0 - abs(real[c].isna().mean() - synthetic[c].isna().mean()))
            for c in real.columns if c in synthetic.columns}


def column_shapes(real: pd.DataFrame, synthetic: pd.DataFrame,
                  kinds: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """Per column: ``{"metric": "KSComplement" | "TVComplement", "score": s}``."""
    kinds = kinds or {c: metric_kind(real[c]) for c in real.columns}
    out = {}
    for col in real.columns:
        if col not in synthetic.columns or kinds[col] == "text":
            continue
        if kinds[col] == "categorical":
            out[col] = {"metric": "TVComplement", "score": tv_complement(real[col], synthetic[col])}
        else:
            out[col] = {"metric": "KSComplement", "score": ks_complement(real[col], synthetic[col])}
    return out


def _binned(values: pd.Series) -> pd.Series:
    """Numbers as the index of one of 10 equal-width bins of their own range (NULL its own label)."""
    x = _numbers(values)
    present = x[~np.isnan(x)]
    codes = np.full(len(x), "\x00NULL", dtype=object)
    if len(present):
        edges = np.histogram_bin_edges(present, bins=_BINS)[1:-1]
        codes[~np.isnan(x)] = np.digitize(present, edges)
    return pd.Series(codes, index=values.index)


def _codes(real: pd.Series, synthetic: pd.Series) -> tuple[np.ndarray, np.ndarray, int]:
    """Shared integer codes of two labelled columns."""
    codes, uniques = pd.factorize(pd.Series(real.tolist() + synthetic.tolist(), dtype=object))
    return codes[: len(real)], codes[len(real):], max(len(uniques), 1)


def contingency_similarity(real_a: pd.Series, real_b: pd.Series, syn_a: pd.Series, syn_b: pd.Series) -> float:
    """1 - half the total variation between the joint frequency tables of two (labelled) columns."""
    ra, sa, na = _codes(real_a, syn_a)
    rb, sb, nb = _codes(real_b, syn_b)
    if not len(ra) or not len(sa):
        return float("nan")
    p = np.bincount(ra.astype(np.int64) * nb + rb, minlength=na * nb) / len(ra)
    q = np.bincount(sa.astype(np.int64) * nb + sb, minlength=na * nb) / len(sa)
    return float(1.0 - 0.5 * np.abs(p - q).sum())


def cramers_v(a: pd.Series, b: pd.Series) -> float:
    """Cramer's V of two labelled columns (0: independent, 1: one determines the other)."""
    ca, _ = pd.factorize(a)
    cb, _ = pd.factorize(b)
    if ca.max(initial=-1) < 1 or cb.max(initial=-1) < 1:
        return 0.0
    table = np.zeros((ca.max() + 1, cb.max() + 1))
    np.add.at(table, (ca, cb), 1.0)
    n = table.sum()
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / n
    chi2 = float(np.sum((table - expected) ** 2 / np.where(expected > 0, expected, 1.0)))
    return float(np.sqrt(chi2 / n / (min(table.shape) - 1)))


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    ok = ~np.isnan(x) & ~np.isnan(y)
    if ok.sum() < 3:
        return 0.0
    x, y = x[ok], y[ok]
    if x.std() <= 0 or y.std() <= 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def column_pair_trends(real: pd.DataFrame, synthetic: pd.DataFrame, kinds: dict[str, str] | None = None,
                       only_associated: bool = True) -> list[dict[str, Any]]:
    """Pair scores (see the module docstring); ``only_associated=False`` scores every pair."""
    kinds = kinds or {c: metric_kind(real[c]) for c in real.columns}
    cols = [c for c in real.columns if c in synthetic.columns and kinds[c] != "text"]
    nums_r = {c: _numbers(real[c]) for c in cols if kinds[c] != "categorical"}
    nums_s = {c: _numbers(synthetic[c]) for c in cols if kinds[c] != "categorical"}
    labels: dict[str, tuple[pd.Series, pd.Series]] = {}

    def labelled(c: str) -> tuple[pd.Series, pd.Series]:
        if c not in labels:
            labels[c] = (_labels(real[c]), _labels(synthetic[c])) if kinds[c] == "categorical" \
                else (_binned(real[c]), _binned(synthetic[c]))
        return labels[c]

    out = []
    for a, b in itertools.combinations(cols, 2):
        if kinds[a] != "categorical" and kinds[b] != "categorical":
            r_real, r_syn = _pearson(nums_r[a], nums_r[b]), _pearson(nums_s[a], nums_s[b])
            if only_associated and abs(r_real) <= _STRONG_R:
                continue
            out.append({"columns": [a, b], "metric": "CorrelationSimilarity", "real": r_real, "synthetic": r_syn,
                        "score": 1.0 - abs(r_real - r_syn) / 2.0})
            continue
        (ra, sa), (rb, sb) = labelled(a), labelled(b)
        v_real = cramers_v(ra, rb)
        if only_associated and v_real <= _STRONG_V:
            continue
        out.append({"columns": [a, b], "metric": "ContingencySimilarity", "real": v_real,
                    "synthetic": cramers_v(sa, sb), "score": contingency_similarity(ra, rb, sa, sb)})
    return out


def fidelity(real: pd.DataFrame, synthetic: pd.DataFrame, only_associated: bool = True) -> dict[str, Any]:
    """Column Shapes, Column Pair Trends, their mean (``overall``) and null similarity, with details."""
    kinds = {c: metric_kind(real[c]) for c in real.columns}
    shapes = column_shapes(real, synthetic, kinds)
    pairs = column_pair_trends(real, synthetic, kinds, only_associated)
    nulls = null_similarity(real, synthetic)
    shape_score = float(np.mean([s["score"] for s in shapes.values()])) if shapes else float("nan")
    pair_score = float(np.mean([p["score"] for p in pairs])) if pairs else float("nan")
    parts = [s for s in (shape_score, pair_score) if not np.isnan(s)]
    return {"overall": float(np.mean(parts)) if parts else float("nan"), "column_shapes": shape_score,
            "column_pair_trends": pair_score, "null_similarity": float(np.mean(list(nulls.values()))) if nulls
            else 1.0, "kinds": kinds, "shapes": shapes, "pairs": pairs, "nulls": nulls}
