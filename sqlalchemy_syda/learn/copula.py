"""Dependence between columns: a Gaussian copula over normal scores, as per-column pure functions.

Fitting turns every modelled column into normal scores (:func:`.marginals.normal_scores`), estimates
their correlation (pairwise complete, projected onto the nearest valid correlation matrix) and keeps
its Cholesky factor ``L``. Sampling never builds a row object: row *k*'s latent vector is
``e_j(k)``, iid normals from the table's counter-based streams (``table_stream.child("copula", j)``),
and column *i* computes ``z_i = sum_j L[i, j] * e_j(k)``, then applies its own inverse marginal CDF to
``ndtr(z_i)``. Every column is therefore a pure function of (seed, table, k): the same data at any
chunk size, and adding an unrelated column changes nothing::

    >>> from sqlalchemy_syda.learn.marginals import fit_number, normal_scores
    >>> from sqlalchemy_syda.streams import Stream
    >>> columns = [penguins[c] for c in ("bill_length_mm", "flipper_length_mm", "body_mass_g")]
    >>> rng = np.random.default_rng(0)
    >>> scores = np.column_stack([normal_scores("number", fit_number(c), c, rng) for c in columns])  # NaN: NULL
    >>> corr = fit_correlation(scores)
    >>> corr.round(2)
    array([[1.  , 0.62, 0.57],
           [0.62, 1.  , 0.8 ],
           [0.57, 0.8 , 1.  ]])
    >>> L = cholesky(corr)
    >>> table_stream = Stream.root(1).child("penguins")
    >>> latent(table_stream, np.arange(3), L[2]).round(3)       # the third column's latent normal, rows 0-2
    array([-0.657, -0.439, -0.145])
    >>> latent(table_stream, np.arange(1, 3), L[2]).round(3)    # rows 1-2 alone: the same values
    array([-0.439, -0.145])
    >>> z = np.array([latent(table_stream, np.arange(10_000), L[i]) for i in range(3)])
    >>> np.corrcoef(z).round(2)                                 # the learned dependence comes back
    array([[1.  , 0.62, 0.57],
           [0.62, 1.  , 0.8 ],
           [0.57, 0.8 , 1.  ]])

A *stratified* copula has one group (marginals + correlation) per value of an informative categorical
(``species``); that column is drawn first and the others ``depends_on`` it and use their group's row of
``L``. Strata with too few rows share the pooled group.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from ..exceptions import MissingDependencyError
from ..streams import Stream

__all__ = ["fit_correlation", "latent", "nearest_correlation", "special"]

_CACHE: OrderedDict[tuple, np.ndarray] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_BYTES = 64 << 20
"""The latent normals of the last few batches (a column of a batch reuses the earlier columns' draws)."""
_cached_bytes = 0


def special():
    """``scipy.special`` (the normal CDF and its inverse), or a clear error naming the extra to install."""
    try:
        import scipy.special
    except ImportError:
        raise MissingDependencyError("learning from data and sampling a profile need scipy: "
                                     "pip install 'sqlalchemy-syda[learn]'.") from None
    return scipy.special


def fit_correlation(scores: np.ndarray, min_pairs: int = 5, noise: float = 0.0) -> np.ndarray:
    """Correlation of the columns of ``scores`` (NaN = missing), pairwise complete, made positive definite.

    ``noise`` > 0 shrinks every coefficient by its sampling noise: ``r * max(0, 1 - noise * var(r) / r**2)``
    with ``var(r) = (1 - r**2)**2 / rows``, so a coefficient within ``sqrt(noise)`` standard errors of 0
    becomes 0 and a strong one barely moves. The weak ones of a small table are mostly its rows' noise;
    copying them is what makes synthetic rows sit closer to the rows learned from (the DCR share)::

        >>> x = np.random.default_rng(0).normal(size=(40, 3))
        >>> x[:, 1] += x[:, 0]
        >>> fit_correlation(x).round(2)[0], fit_correlation(x, noise=6).round(2)[0]
        (array([1.  , 0.82, 0.18]), array([1. , 0.8, 0. ]))
    """
    n, d = scores.shape
    corr = np.eye(d)
    ok = ~np.isnan(scores)
    filled = np.where(ok, scores, 0.0)
    for i in range(d):
        for j in range(i):
            both = ok[:, i] & ok[:, j]
            if both.sum() < min_pairs:
                continue
            a, b = filled[both, i], filled[both, j]
            sa, sb = a.std(), b.std()
            if sa <= 1e-12 or sb <= 1e-12:
                continue
            r = max(-1.0, min(1.0, float(np.mean((a - a.mean()) * (b - b.mean())) / (sa * sb))))
            if noise > 0.0 and r != 0.0:
                r *= max(0.0, 1.0 - noise * (1.0 - r * r) ** 2 / (int(both.sum()) * r * r))
            corr[i, j] = corr[j, i] = r
    return nearest_correlation(corr)


def nearest_correlation(corr: np.ndarray, floor: float = 1e-4) -> np.ndarray:
    """Clip the eigenvalues at ``floor`` and rescale to a unit diagonal (a valid, invertible correlation)."""
    values, vectors = np.linalg.eigh((corr + corr.T) / 2)
    if values.min() >= floor:
        return corr
    fixed = (vectors * np.maximum(values, floor)) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    fixed = fixed / np.outer(scale, scale)
    np.fill_diagonal(fixed, 1.0)
    return fixed


def cholesky(corr: np.ndarray) -> np.ndarray:
    """Lower-triangular factor of a correlation matrix (after making it valid)."""
    return np.linalg.cholesky(nearest_correlation(np.asarray(corr, dtype=np.float64)))


def _normals(table_stream: Stream, rows: np.ndarray, j: int) -> np.ndarray:
    """``e_j`` for ``rows``: cached for a contiguous row range, which every column of a batch shares."""
    n = len(rows)
    contiguous = n > 0 and int(rows[-1]) - int(rows[0]) == n - 1 and (n < 3 or bool(np.all(np.diff(rows) == 1)))
    if not contiguous:
        return table_stream.child("copula", j).normal(rows)
    key = (table_stream.key, j, int(rows[0]), n)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    global _cached_bytes
    out = table_stream.child("copula", j).normal(rows)
    out.setflags(write=False)
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = out
            _cached_bytes += out.nbytes
        while _cached_bytes > _CACHE_BYTES and len(_CACHE) > 1:
            _cached_bytes -= _CACHE.popitem(last=False)[1].nbytes
    return out


def latent(table_stream: Stream, rows: np.ndarray, lrow: np.ndarray) -> np.ndarray:
    """``sum_j lrow[j] * e_j(rows)``: one column's latent standard normal for these rows."""
    z = np.zeros(len(rows))
    for j, weight in enumerate(np.asarray(lrow, dtype=np.float64)):
        if weight != 0.0:
            z += weight * _normals(table_stream, rows, j)
    return z
