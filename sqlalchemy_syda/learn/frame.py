"""Learning one table from a DataFrame: columns, datetime orderings and the copula.

:func:`fit_frame` learns every column (:mod:`.columns`), turns datetime pairs the data always ordered
(``shipped_at >= ordered_at``) into ``after`` rules, and fits a Gaussian copula over the remaining
numbers, categories and datetimes. When one categorical explains much of the others (penguins'
``species``), the copula is *stratified* by it: one set of marginals and correlations per value with
enough rows, the pooled fit for the rest::

    >>> table = fit_frame(penguins, "penguins")
    >>> table.copula["stratify"]
    'species'
    >>> [g["when"] for g in table.copula["groups"]]
    [['Adelie'], ['Gentoo'], ['Chinstrap'], None]
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import LearnError
from ..streams import stable_key
from .columns import COPULA_MODELS, fit_column
from .copula import fit_correlation
from .marginals import (
    _key,
    _lookup_index,
    _plain,
    fit_category,
    fit_datetime,
    fit_number,
    normal_scores,
    to_epoch_seconds,
)
from .profile import ColumnProfile, TableProfile

__all__ = ["fit_frame", "stratified_groups"]

_MIN_COPULA_ROWS = 10
_MIN_STRATUM_ROWS = 20
_MAX_STRATA = 12
_STRATIFY_ASSOCIATION = 0.3
_RARE_STRATUM_MASS = 0.2
"""A stratum whose rows of values rare there are at most this share drops them (the rest keep their shares)."""
_CORRELATION_NOISE = 6.0
"""Correlations are shrunk by ``6 x`` their sampling variance (:func:`.copula.fit_correlation`): a coefficient
within about 2.4 standard errors of zero is dropped, a strong one kept. With many columns the factor is the
universal threshold's ``2 ln m`` for ``m`` coefficients when that is larger (29 columns: 12, 3.5 standard
errors), since more coefficients mean more that look strong by chance (:func:`_noise`)."""
_STRATUM_POOLING = 2.0
"""A stratum's correlation (and category shares) are pulled towards the within-strata correlation (the table's
shares) by twice a Ledoit-Wolf-style intensity."""


def fit_frame(df: pd.DataFrame, name: str = "data", *, rare: int = 5, quantiles: int = 101,
              stratify: str | bool | None = "auto", rows: int | None = None, smoothing: float = 1.0) -> TableProfile:
    """Learn one table from ``df``.

    :param rare: categories seen fewer times are not kept (privacy); their share goes to the others.
    :param quantiles: points of each quantile sketch.
    :param stratify: ``"auto"`` (the most informative categorical, if any helps), a column name, or
        ``False`` / ``None`` for one pooled copula.
    :param rows: the table's real row count when ``df`` is a sample of it.
    :param smoothing: the kernel width of the number sketches of small tables, as a multiple of Silverman's
        rule (0: the plain quantiles); wider forgets the rows more, and follows them less.
    """
    if not isinstance(df, pd.DataFrame):
        raise LearnError(f"fit_frame needs a pandas DataFrame; got {type(df).__name__}.")
    if df.columns.duplicated().any():
        dup = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise LearnError(f"the data has duplicate column names ({', '.join(dup)}); rename them first.")
    if rare < 1:
        raise LearnError(f"rare must be a count of rows >= 1; got {rare!r}.")
    if quantiles < 2:
        raise LearnError(f"quantiles must be at least 2; got {quantiles!r}.")
    if isinstance(smoothing, bool) or not isinstance(smoothing, (int, float)) or not 0 <= smoothing <= 10:
        raise LearnError(f"smoothing must be a number from 0 (the plain quantiles) to 10; got {smoothing!r}.")
    if len(df) == 0:
        raise LearnError(f"the data for {name!r} has no rows: there is nothing to learn from.")
    if len(df.columns) == 0:
        raise LearnError(f"the data for {name!r} has no columns.")
    df = df.reset_index(drop=True)
    df.columns = [str(c) for c in df.columns]
    columns = [fit_column(c, df[c], name, rare=rare, quantiles=quantiles, smoothing=smoothing) for c in df.columns]
    columns = _orderings(df, columns, quantiles, rare, smoothing)
    copula = _fit_copula(df, columns, name, rare, quantiles, stratify, smoothing)
    return TableProfile(name, int(rows if rows is not None else len(df)), tuple(columns), copula)


# --- datetime orderings -------------------------------------------------------------------------------

def _orderings(df: pd.DataFrame, columns: list[ColumnProfile], quantiles: int, rare: int,
               smoothing: float = 1.0) -> list[ColumnProfile]:
    """Datetime columns that are never before another one become ``after`` that one (the closest)."""
    times = {c.name: to_epoch_seconds(df[c.name]) for c in columns if c.model == "datetime"}
    out = list(columns)
    decided: dict[str, str] = {}
    for i, col in enumerate(columns):
        if col.name not in times:
            continue
        later = times[col.name]
        best: tuple[float, str] | None = None
        for base, earlier in times.items():
            if base == col.name or decided.get(base) == col.name:
                continue
            both = ~np.isnan(later) & ~np.isnan(earlier)
            if both.sum() < 10:
                continue
            gap = later[both] - earlier[both]
            if gap.min() < 0 or np.all(gap == 0):
                continue
            median = float(np.median(gap))
            if best is None or median < best[0]:
                best = (median, base)
        if best is None:
            continue
        base = best[1]
        both = ~np.isnan(later) & ~np.isnan(times[base])
        gaps = fit_number(pd.Series(later[both] - times[base][both]), quantiles, rows_per_knot=rare,
                          smooth=smoothing)
        base_present = ~np.isnan(times[base])
        null_given_base = float(np.isnan(later[base_present]).mean()) if base_present.any() else 0.0
        params = {"base": base, "gaps": gaps, "resolution": col.params.get("resolution", 1),
                  "null_given_base": null_given_base}
        decided[col.name] = base
        out[i] = replace(col, model="after", params=params,
                         reason=f"never before {base!r} in the data: {base!r} plus a learned gap")
    return out


# --- the copula ------------------------------------------------------------------------------------

def _family(col: ColumnProfile) -> str:
    return col.model


def _eligible(col: ColumnProfile) -> bool:
    return col.model in COPULA_MODELS and not (col.model == "category" and not col.params.get("values"))


def _fit_copula(df: pd.DataFrame, columns: list[ColumnProfile], table: str, rare: int, quantiles: int,
                stratify: str | bool | None, smoothing: float = 1.0) -> dict[str, Any] | None:
    members = [c for c in columns if _eligible(c)]
    if len(df) < _MIN_COPULA_ROWS or len(members) < 2:
        return None
    rng = np.random.default_rng(stable_key(table, "copula-fit") % (1 << 63))
    pooled = {c.name: normal_scores(_family(c), c.params, df[c.name], rng) for c in members}
    strat = _choose_stratifier(df, members, pooled, stratify)
    if strat is None:
        names = [c.name for c in members]
        corr = fit_correlation(np.column_stack([pooled[n] for n in names]), noise=_noise(len(names)))
        return {"columns": names, "stratify": None,
                "groups": [{"when": None, "rows": len(df), "correlation": _rounded(corr), "marginals": {}}]}
    others = [c for c in members if c.name != strat.name]
    groups = stratified_groups(df, others, df[strat.name], strat.params["values"], rare, quantiles, rng, pooled,
                               smoothing=smoothing)
    return {"columns": [c.name for c in others], "stratify": strat.name, "groups": groups}


def stratified_groups(df: pd.DataFrame, members: list[ColumnProfile], by: pd.Series, levels: list[Any], rare: int,
                      quantiles: int, rng: np.random.Generator,
                      pooled: dict[str, np.ndarray] | None = None, *,
                      smoothing: float = 1.0) -> list[dict[str, Any]]:
    """One copula group (marginals + correlation of ``members``) per value of ``by`` among ``levels`` with enough
    rows, then the pooled group (``when`` None) for every other value."""
    index = _lookup_index(by, {_key(v): i for i, v in reversed(list(enumerate(levels)))})
    groups, scored = [], []
    for i, value in enumerate(levels):
        hit = index == i
        if hit.sum() < max(_MIN_STRATUM_ROWS, len(members) + 2):
            continue
        part = df.loc[hit]
        marginals = {c.name: _refit(c, part[c.name], rare, quantiles, smoothing) for c in members}
        scores = np.column_stack([normal_scores(_family(c), marginals[c.name], part[c.name], rng) for c in members])
        scored.append(scores)
        groups.append({"when": [value], "rows": int(hit.sum()),
                       "correlation": fit_correlation(scores, noise=_noise(len(members))), "marginals": marginals})
    if len(scored) > 1:
        within = fit_correlation(np.vstack(scored), noise=_noise(len(members)))
        for group in groups:
            group["correlation"] = _pooled_towards(group["correlation"], within, group["rows"])
    for group in groups:
        group["correlation"] = _rounded(group["correlation"])
    if pooled is None:
        pooled = {c.name: normal_scores(_family(c), c.params, df[c.name], rng) for c in members}
    pooled_corr = fit_correlation(np.column_stack([pooled[c.name] for c in members]), noise=_noise(len(members)))
    groups.append({"when": None, "rows": len(df), "correlation": _rounded(pooled_corr), "marginals": {}})
    return groups


def _noise(columns: int) -> float:
    """The correlation shrinkage factor for ``columns`` columns: ``max(6, 2 ln m)``, ``m`` = coefficients."""
    pairs = columns * (columns - 1) / 2
    return max(_CORRELATION_NOISE, 2.0 * float(np.log(pairs))) if pairs > 1 else _CORRELATION_NOISE


def _pooled_towards(corr: np.ndarray, within: np.ndarray, rows: int) -> np.ndarray:
    """A stratum's correlation pulled towards the within-strata one (every stratum's normal scores together).

    The weight is the stratum's sampling variance of the coefficients over their distance from the
    within-strata ones (Ledoit-Wolf style, times ``_STRATUM_POOLING``, at most 1): a small stratum whose
    coefficients differ from the others' only by noise takes the shared ones (wine's 30-row classes),
    a large one that really differs keeps its own (penguins' species)."""
    off = ~np.eye(len(corr), dtype=bool)
    if not off.any():
        return corr
    variance = float(np.sum((1.0 - corr[off] ** 2) ** 2)) / max(rows, 1)
    distance = float(np.sum((corr[off] - within[off]) ** 2))
    weight = 1.0 if distance <= 1e-12 else min(1.0, _STRATUM_POOLING * variance / distance)
    return (1.0 - weight) * corr + weight * within


def _refit(col: ColumnProfile, values: pd.Series, rare: int, quantiles: int, smoothing: float = 1.0) -> dict[str, Any]:
    """The column's marginal within one stratum (the pooled one when the stratum has none of its values)."""
    if values.notna().sum() == 0:
        return col.params
    if col.model == "number":
        return fit_number(values, quantiles, integer=col.dtype == "integer", rows_per_knot=rare, smooth=smoothing)
    if col.model == "datetime":
        return fit_datetime(values, quantiles, date_only=col.dtype == "date", rows_per_knot=rare)
    ordered = bool(col.params.get("ordered"))
    if ordered:
        params = fit_category(values, rare=1, ordered=True)
        return _shares_towards(params, col.params, len(values)) if params["values"] else col.params
    # values seen at least ``rare`` times in the stratum keep their share there. When the other rows (of the
    # table's kept values) are more than a fifth of the stratum, they are one mass spread over every kept value at
    # its pooled weight (no count below ``rare`` in a stratum is stored or can be told apart); dropped, a few
    # stratum-frequent values took every row (Lahman's teams by Rank: 60 of 300 team seasons in one park).
    counts: dict[tuple, int] = {}
    for v, c in values.value_counts(dropna=False).items():
        counts[_key(_plain(v))] = counts.get(_key(_plain(v)), 0) + int(c)
    pooled, pooled_weights = col.params.get("values") or [], col.params.get("weights") or []
    seen = [counts.get(_key(v), 0) for v in pooled]
    total = sum(seen)
    if not total:
        return col.params
    frequent = [(v, c) for v, c in zip(pooled, seen) if c >= rare]
    mass = sum(c for c in seen if c < rare) / total
    if mass <= _RARE_STRATUM_MASS:
        params = fit_category(values, rare=rare)
        return _shares_towards(params, col.params, len(values)) if params["values"] else col.params
    spread = sum(pooled_weights)
    share = {_key(v): c / total for v, c in frequent}
    if mass > 0 and spread > 0:
        for v, w in zip(pooled, pooled_weights):
            share[_key(v)] = share.get(_key(v), 0.0) + mass * w / spread
    pairs = [(v, share[_key(v)]) for v in pooled if share.get(_key(v), 0.0) > 0]
    pairs.sort(key=lambda p: (-p[1], str(p[0])))
    params = {"values": [v for v, _ in pairs], "weights": [w / sum(w for _, w in pairs) for _, w in pairs],
              "ordered": False, "dropped": len(pooled) - len(frequent)}
    return _shares_towards(params, col.params, len(values))


def _shares_towards(params: dict[str, Any], pooled: dict[str, Any], rows: int) -> dict[str, Any]:
    """A stratum's category shares pulled towards the table's, over the values the stratum has (a value the
    stratum never showed stays absent unless the stratum's rare values spread onto it: Gentoo penguins stay
    on Biscoe).

    The weight is the shares' sampling variance over their distance from the table's (as for the
    correlations, times ``_STRATUM_POOLING``): a year that every species shows in the same proportions
    takes the table's shares, an island that separates them keeps its own."""
    table = dict(zip((_key(v) for v in pooled.get("values", [])), pooled.get("weights", [])))
    own = np.asarray(params["weights"], dtype=np.float64)
    target = np.array([table.get(_key(v), 0.0) for v in params["values"]])
    if len(own) < 2 or target.sum() <= 0:
        return params
    target = target / target.sum()
    variance = float(np.sum(own * (1.0 - own))) / max(rows, 1)
    distance = float(np.sum((own - target) ** 2))
    weight = 1.0 if distance <= 1e-12 else min(1.0, _STRATUM_POOLING * variance / distance)
    return {**params, "weights": ((1.0 - weight) * own + weight * target).tolist()}


def _choose_stratifier(df: pd.DataFrame, members: list[ColumnProfile], scores: dict[str, np.ndarray],
                       stratify: str | bool | None) -> ColumnProfile | None:
    if stratify is None or stratify is False:
        return None
    by_name = {c.name: c for c in members}
    if isinstance(stratify, str) and stratify != "auto":
        if stratify not in by_name or by_name[stratify].model != "category":
            cats = [c.name for c in members if c.model == "category"]
            raise LearnError(f"stratify={stratify!r}: not a categorical column of the data"
                             f"{'; categorical ones: ' + ', '.join(cats) if cats else ' (it has none)'}.")
        return by_name[stratify]
    best: tuple[float, ColumnProfile] | None = None
    for cand in members:
        values = cand.params.get("values", [])
        if cand.model != "category" or not 2 <= len(values) <= _MAX_STRATA:
            continue
        codes = pd.factorize(df[cand.name].astype(object), use_na_sentinel=False)[0]
        counts = np.bincount(codes)
        if (counts >= _MIN_STRATUM_ROWS).sum() < 2:
            continue
        assoc = [_association(codes, scores[o.name]) for o in members if o.name != cand.name]
        score = float(np.mean(assoc)) if assoc else 0.0
        if score >= _STRATIFY_ASSOCIATION and (best is None or score > best[0]):
            best = (score, cand)
    return best[1] if best else None


def _association(codes: np.ndarray, scores: np.ndarray) -> float:
    """Correlation ratio (eta) of normal scores over the groups ``codes``: 0 = unrelated, 1 = determined."""
    ok = ~np.isnan(scores)
    x, g = scores[ok], codes[ok]
    if len(x) < 3 or x.var() <= 1e-12:
        return 0.0
    means = np.bincount(g, weights=x) / np.maximum(np.bincount(g), 1)
    between = float(np.sum(np.bincount(g) * (means - x.mean()) ** 2))
    return float(np.sqrt(between / (x.var() * len(x))))


def _rounded(corr: np.ndarray) -> list[list[float]]:
    return np.round(corr, 4).tolist()
