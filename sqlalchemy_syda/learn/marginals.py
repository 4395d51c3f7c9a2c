"""One column's distribution: fitted from values, and drawn again from uniforms in [0, 1).

Three families, each a small JSON-ready ``params`` dict and a vectorised inverse CDF:

* ``number`` -- a quantile sketch (evenly spaced probabilities) of the kernel-smoothed values
  (:func:`smoothed_knots`: the shape, not the rows), the values' precision (decimals and step:
  ``body_mass_g`` moves in steps of 25) and the observed min/max, which also clip;
* ``category`` -- the values seen at least ``rare`` times and their shares (rarer values are never
  stored: they could single a person out); numbers with few distinct values are ordered categories;
* ``datetime`` -- a quantile sketch over epoch seconds and the resolution (days, minutes, seconds).

::

    >>> params = fit_number(pd.Series([1.5, 2.0, 2.5, 9.0]))
    >>> inverse("number", params, np.array([0.0, 0.5, 0.999]))   # smoothed: the median is no real value
    array([1.5, 3. , 9. ])

The inverse of a category maps a uniform to the value whose CDF interval holds it; :func:`normal_scores`
goes the other way for the copula (ranks for numbers, a point inside the interval for categories).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["fit_category", "fit_datetime", "fit_number", "inverse", "normal_scores", "to_epoch_seconds"]

_DAY = 86_400


# --- numbers ---------------------------------------------------------------------------------------

def knots_for(n: int, quantiles: int, rows_per_knot: int) -> int:
    """Points of a quantile sketch over ``n`` values: at most ``quantiles``, and every interval between two
    points summarises at least ``rows_per_knot`` values, so that a small table's sketch is not its values."""
    return int(max(2, min(quantiles, n // max(rows_per_knot, 1) + 1)))


SMOOTH_BELOW = 20
"""Sketches are smoothed while their intervals summarise fewer than this many values each (2,000 values with
101 points); past that the empirical quantiles already forget the rows."""


def fit_number(values: pd.Series, quantiles: int = 101, integer: bool = False,
               rows_per_knot: int = 1, smooth: float = 1.0) -> dict[str, Any]:
    """Quantile sketch, precision and range of the non-null numbers in ``values``.

    ``smooth`` > 0: the sketch is taken of the values' kernel-smoothed distribution (see
    :func:`smoothed_knots`), not of the values themselves; 0 keeps the plain empirical quantiles.
    """
    x = np.sort(pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=np.float64))
    x = x[np.isfinite(x)]
    k = knots_for(len(x), quantiles, rows_per_knot)
    knots = np.quantile(x, np.linspace(0.0, 1.0, k)) if len(x) else np.zeros(2)
    decimals = 0 if integer else _decimals(x)
    # values on a grid the precision does not restore (a scaled integer stored at full precision) keep
    # their steps: smoothing would spread each step's rows between steps; and a sketch whose every interval
    # already summarises many rows is no copy of the values (smoothing would only blur its edges: 5,804
    # salaries, a quarter of them at the league minimum)
    if smooth > 0 and len(x) < SMOOTH_BELOW * max(k - 1, 1) and \
            (decimals is not None or len(np.unique(x)) * 2 >= len(x)):
        knots = smoothed_knots(x, k, smooth)
    if decimals is not None:
        knots = np.round(knots, decimals + 3)  # a shorter, readable sketch; values are rounded when drawn
    params: dict[str, Any] = {"quantiles": knots.tolist(), "min": float(x[0]) if len(x) else 0.0,
                              "max": float(x[-1]) if len(x) else 0.0}
    if decimals is not None:
        params["decimals"] = decimals
        step = _step(x, decimals)
        if step is not None:
            params["step"] = step
    return params


_SMOOTH_GRID = 257
_SMOOTH_POINTS = 512


def smoothed_knots(x: np.ndarray, k: int, bandwidth: float = 1.0) -> np.ndarray:
    """``k`` evenly spaced quantiles of the sorted values ``x`` smoothed by a normal kernel, from ``x[0]`` to ``x[-1]``.

    The kernel's width is ``bandwidth`` times Silverman's rule (0.9 min(sd, IQR / 1.34) n^-1/5), the
    distribution truncated to the observed range (no mass piles up at the minimum or maximum). Empirical
    quantiles of a small table are its values, and interpolating between them puts the synthetic values
    where the learned rows are, not where the population is: the smoothed sketch follows the shape and
    forgets the rows (a distance-to-closest-record share nearer 50 %). Large tables barely change (the
    width shrinks with n); more than 512 values are summarised by 512 quantiles first::

        >>> x = np.array([1.0, 1.1, 1.2, 3.0, 3.1, 3.2, 5.0, 5.1, 5.2, 9.0])
        >>> np.quantile(x, [0.25, 0.5, 0.75]).round(2), smoothed_knots(x, 5)[1:4].round(2)
        (array([1.65, 3.15, 5.07]), array([2.47, 3.81, 5.29]))

    A value that alone fills two intervals of the sketch (a quantity that is 0 in a third of the rows) is
    a point mass, kept exactly; only the other values are smoothed::

        >>> qty = np.sort(np.r_[np.zeros(40), np.arange(1.0, 61.0)])
        >>> smoothed_knots(qty, 11).round(1)
        array([ 0. ,  0. ,  0. ,  0. ,  0. , 11.9, 21.2, 30.2, 39.3, 48.5, 60. ])
    """
    n = len(x)
    if n < 3 or x[-1] <= x[0]:
        return np.quantile(x, np.linspace(0.0, 1.0, k)) if n else np.zeros(k)
    values, counts = np.unique(x, return_counts=True)
    # point masses: a value that alone fills two intervals of the sketch (a quantity's zeros), or one seen far more
    # often than the values around it (round salaries among exact ones)
    atom = (counts >= max(2.0 * n / max(k - 1, 1), 2.0)) | (counts >= max(5.0, 10.0 * float(np.median(counts))))
    rest = x[~np.isin(x, values[atom])] if atom.any() else x
    grid = np.union1d(np.linspace(x[0], x[-1], _SMOOTH_GRID), values[atom])
    mass = np.zeros(len(grid))  # each grid point's point mass (the atoms are grid points)
    mass[np.searchsorted(grid, values[atom])] = counts[atom] / n
    # the CDF just below and at every grid point: smoothed values' share, plus the atoms up to there
    left = _smoothed_cdf(rest, grid, bandwidth) * (len(rest) / n) + np.cumsum(mass) - mass
    cdf = np.column_stack([left, left + mass]).ravel()
    points = np.repeat(grid, 2)
    cdf = (cdf - cdf[0]) / (cdf[-1] - cdf[0])
    knots = np.interp(np.linspace(0.0, 1.0, k), cdf, points)
    knots[0], knots[-1] = x[0], x[-1]
    return knots


def _smoothed_cdf(x: np.ndarray, grid: np.ndarray, bandwidth: float) -> np.ndarray:
    """The normal-kernel smoothed CDF of the sorted values ``x`` at ``grid``, 0 at ``grid[0]`` and 1 at ``grid[-1]``
    (the empirical CDF when there are too few values or no spread to smooth)."""
    from .copula import special

    n = len(x)
    if not n:
        return np.zeros(len(grid))
    q1, q3 = np.quantile(x, [0.25, 0.75])
    sd = float(x.std())
    spread = min(sd, (q3 - q1) / 1.349) if q3 > q1 else sd
    h = bandwidth * 0.9 * spread * n ** -0.2
    if n < 3 or not h > 0:
        return np.searchsorted(x, grid, side="right") / n
    points = x if n <= _SMOOTH_POINTS else np.quantile(x, (np.arange(_SMOOTH_POINTS) + 0.5) / _SMOOTH_POINTS)
    cdf = special().ndtr((grid[:, None] - points[None, :]) / h).mean(axis=1)
    return (cdf - cdf[0]) / (cdf[-1] - cdf[0])


def _decimals(x: np.ndarray, most: int = 6) -> int | None:
    """Fewest decimals that write every value exactly (None: full precision)."""
    if not len(x):
        return 0
    for d in range(most + 1):
        scaled = x * 10.0**d
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-6 * np.maximum(1.0, np.abs(scaled))):
            return d
    return None


def _step(x: np.ndarray, decimals: int) -> float | None:
    """A common step larger than the last decimal (every value a multiple of 25 above the minimum)."""
    units = np.round(x * 10.0**decimals).astype(np.int64)
    diffs = np.unique(units - units[0])
    if len(diffs) < 3:
        return None
    g = int(np.gcd.reduce(diffs[1:]))
    return g / 10.0**decimals if g > 1 else None


def _number_inverse(params: dict[str, Any], u: np.ndarray) -> np.ndarray:
    knots = np.asarray(params["quantiles"], dtype=np.float64)
    x = np.interp(u, np.linspace(0.0, 1.0, len(knots)), knots)
    step = params.get("step")
    if step:
        base = params.get("min", knots[0])
        x = base + np.round((x - base) / step) * step
    decimals = params.get("decimals")
    if decimals is not None:
        x = np.round(x, decimals)
    return np.clip(x, params.get("min", knots[0]), params.get("max", knots[-1]))


# --- categories ------------------------------------------------------------------------------------

def fit_category(values: pd.Series, rare: int = 5, ordered: bool = False,
                 keep_nulls: bool = True) -> dict[str, Any]:
    """Shares of the values seen at least ``rare`` times (NULL is a value too when ``keep_nulls``).

    ``ordered`` (numbers with few distinct values) sorts the values, so the copula sees their order;
    otherwise the most frequent come first.
    """
    counts = values.value_counts(dropna=not keep_nulls)
    dropped = int((counts < rare).sum()) if rare > 1 else 0
    kept = counts[counts >= rare] if rare > 1 else counts
    if kept.empty:  # everything is rare: keep nothing that could identify a row
        return {"values": [], "weights": [], "ordered": ordered, "dropped": dropped}
    pairs = [(_plain(v), int(c)) for v, c in kept.items()]
    if ordered:
        pairs.sort(key=lambda p: (p[0] is None, p[0] if p[0] is not None else 0))
    else:
        pairs.sort(key=lambda p: (-p[1], str(p[0])))
    total = sum(c for _, c in pairs)
    return {"values": [v for v, _ in pairs], "weights": [c / total for _, c in pairs], "ordered": ordered,
            "dropped": dropped}


def kept_share(values: pd.Series, rare: int) -> float:
    """Share of the non-null rows whose value is seen at least ``rare`` times."""
    counts = values.value_counts(dropna=True)
    total = int(counts.sum())
    return float(counts[counts >= rare].sum()) / total if total else 1.0


def _category_inverse(params: dict[str, Any], u: np.ndarray) -> np.ndarray:
    values = params["values"]
    cdf = np.cumsum(np.asarray(params["weights"], dtype=np.float64))
    cdf /= cdf[-1]
    index = np.minimum(np.searchsorted(cdf, u, side="right"), len(values) - 1)
    return _array(values)[index]


def _array(values: list) -> np.ndarray:
    plain = [v for v in values if v is not None]
    if len(plain) == len(values):
        if all(isinstance(v, bool) for v in plain):
            return np.array(values, dtype=bool)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in plain):
            return np.array(values, dtype=np.int64)
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in plain):
            return np.array(values, dtype=np.float64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: numpy to Python, NaN/NA to None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return value  # keep floats floats (a float column stays float)
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# --- datetimes -------------------------------------------------------------------------------------

def to_epoch_seconds(values: pd.Series) -> np.ndarray:
    """Seconds since 1970 (float; NaN for NULL) of datetimes or dates."""
    if values.dtype == object:
        values = pd.to_datetime(values, errors="coerce")
    series = pd.Series(values)
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    ns = series.to_numpy(dtype="datetime64[ns]").astype(np.int64).astype(np.float64)
    ns[series.isna().to_numpy()] = np.nan
    return ns / 1e9


def fit_datetime(values: pd.Series, quantiles: int = 101, date_only: bool = False,
                 rows_per_knot: int = 1) -> dict[str, Any]:
    """Quantile sketch over epoch seconds and the values' resolution (a day, an hour, a minute, a second)."""
    secs = to_epoch_seconds(values)
    secs = np.sort(secs[~np.isnan(secs)])
    k = knots_for(len(secs), quantiles, rows_per_knot)
    knots = np.quantile(secs, np.linspace(0.0, 1.0, k)) if len(secs) else np.zeros(2)
    resolution = _DAY if date_only else 1
    if not date_only and len(secs):
        whole = np.round(secs).astype(np.int64)
        for step in (_DAY, 3600, 60, 1):
            if np.all(whole % step == 0) and np.allclose(secs, whole, atol=1e-6):
                resolution = step
                break
        else:
            resolution = 0  # sub-second values
    return {"quantiles": knots.tolist(), "min": float(secs[0]) if len(secs) else 0.0,
            "max": float(secs[-1]) if len(secs) else 0.0, "resolution": resolution}


def _datetime_inverse(params: dict[str, Any], u: np.ndarray, date_only: bool) -> np.ndarray:
    knots = np.asarray(params["quantiles"], dtype=np.float64)
    secs = np.clip(np.interp(u, np.linspace(0.0, 1.0, len(knots)), knots), params["min"], params["max"])
    return seconds_to_datetime(secs, params.get("resolution", 1), date_only)


def seconds_to_datetime(secs: np.ndarray, resolution: int, date_only: bool) -> np.ndarray:
    """Epoch seconds rounded down to ``resolution`` as datetime64 (days for dates)."""
    if date_only:
        return np.floor(secs / _DAY).astype(np.int64).astype("datetime64[D]")
    if resolution:
        return (np.floor(secs / resolution) * resolution).astype(np.int64).astype("datetime64[s]")
    return np.round(secs * 1e6).astype(np.int64).astype("datetime64[us]")


# --- both ways -------------------------------------------------------------------------------------

def inverse(family: str, params: dict[str, Any], u: np.ndarray, dtype: str = "float") -> np.ndarray:
    """Values at uniforms ``u`` for a fitted ``family`` (``number``, ``category``, ``datetime``)."""
    if family == "number":
        x = _number_inverse(params, u)
        return np.round(x).astype(np.int64) if dtype == "integer" else x
    if family == "category":
        return _category_inverse(params, u)
    if family == "datetime":
        return _datetime_inverse(params, u, dtype == "date")
    raise ValueError(f"unknown marginal family {family!r}")


def normal_scores(family: str, params: dict[str, Any], values: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Normal scores of the values a marginal was fitted on (NaN where the value is NULL or dropped).

    Numbers and datetimes: mid-ranks; categories: a uniform point inside the value's CDF interval
    (a standard way to put discrete margins into a Gaussian copula).
    """
    from .copula import special

    ndtri = special().ndtri
    n = len(values)
    if family == "category":
        lookup = {_key(v): i for i, v in enumerate(params["values"])}
        index = _lookup_index(values, lookup)
        weights = np.asarray(params["weights"], dtype=np.float64)
        upper = np.cumsum(weights) / (weights.sum() or 1.0)
        lower = upper - weights / (weights.sum() or 1.0)
        u = np.full(n, np.nan)
        ok = index >= 0
        u[ok] = lower[index[ok]] + rng.uniform(0.0, 1.0, int(ok.sum())) * (upper[index[ok]] - lower[index[ok]])
    else:
        x = to_epoch_seconds(values) if family == "datetime" else \
            pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
        ok = ~np.isnan(x)
        u = np.full(n, np.nan)
        ranks = pd.Series(x[ok]).rank(method="average").to_numpy()
        u[ok] = (ranks - 0.5) / max(int(ok.sum()), 1)
    u = np.clip(u, 1e-6, 1 - 1e-6)
    return ndtri(u)


def _lookup_index(values: pd.Series, lookup: dict[tuple, int]) -> np.ndarray:
    """``lookup[_key(_plain(v))]`` (or -1) for every value, computed once per distinct value."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    table = np.array([lookup.get(_key(_plain(u)), -1) for u in uniques] + [lookup.get(_key(None), -1)],
                     dtype=np.int64)
    return table[codes]  # code -1 (NULL) picks the last entry


def _key(value: Any) -> tuple:
    """Lookup key that makes 1 and 1.0 the same value, but True not 1."""
    if value is None:
        return ("none",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("num", float(value))
    return ("str", str(value))


def is_date_series(values: pd.Series) -> bool:
    """An object column holding ``datetime.date`` values (not datetimes)."""
    sample = values.dropna().head(50).tolist()
    return bool(sample) and all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in sample)
