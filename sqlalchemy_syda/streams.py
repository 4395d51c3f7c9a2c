"""Counter-based randomness: the value of row *k* depends only on (seed, names, k).

A :class:`Stream` is a 64-bit key derived from a stable digest of names
(blake2b, never ``hash()``, which changes per process). Uniform bits for rows
``k`` are ``splitmix64(key + k * golden)``, computed for a whole array of row
numbers at once, so the values never depend on chunk size, worker count or the
order in which columns or tables are generated, and adding a column leaves the
others untouched::

    >>> s = Stream.root(42).child("customers", "email")
    >>> s.integers(np.arange(5), 0, 10)          # rows 0-4: the same numbers on every machine
    array([2, 1, 1, 1, 4])
    >>> s.integers(np.arange(2, 5), 0, 10)       # rows 2-4 alone: the same values
    array([1, 1, 4])

:class:`KeyedPermutation` turns row numbers into distinct, random-looking
indexes of a finite domain (a small Feistel cipher with cycle walking): the
basis of UNIQUE values that need no "seen" set::

    >>> KeyedPermutation(10, s)(np.arange(10))
    array([8, 3, 0, 7, 2, 9, 5, 4, 1, 6])
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["KeyedPermutation", "Stream", "block_permutation", "mix64", "stable_key"]

_MASK = (1 << 64) - 1
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_TWO53 = 2.0**-53


def stable_key(*parts: object) -> int:
    """A 64-bit key from names: the same on every machine and process."""
    text = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser over a uint64 array (wrapping arithmetic)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def _as_rows(rows: np.ndarray | int) -> np.ndarray:
    if isinstance(rows, int):
        rows = np.arange(rows)
    return np.asarray(rows).astype(np.uint64, copy=False)


class Stream:
    """Deterministic uniform bits for any set of row numbers."""

    __slots__ = ("key",)

    def __init__(self, key: int) -> None:
        self.key = key & _MASK

    @classmethod
    def root(cls, seed: int | None) -> Stream:
        return cls(stable_key("syda", 0 if seed is None else int(seed)))

    def child(self, *names: object) -> Stream:
        """An independent stream named by ``names`` under this one."""
        return Stream(stable_key(self.key, *names))

    def __repr__(self) -> str:
        return f"Stream({self.key:#018x})"

    def bits(self, rows: np.ndarray | int, salt: int = 0) -> np.ndarray:
        """64 uniform bits per row; ``salt`` gives further independent draws per row."""
        key = self.key if not salt else stable_key(self.key, "salt", salt)
        z = _as_rows(rows) * _GOLDEN + np.uint64(key)
        return mix64(z)

    def uniform(self, rows: np.ndarray | int, salt: int = 0) -> np.ndarray:
        """Floats in [0, 1)."""
        return (self.bits(rows, salt) >> np.uint64(11)).astype(np.float64) * _TWO53

    def integers(self, rows: np.ndarray | int, low: int, high: int, salt: int = 0) -> np.ndarray:
        """Integers in [low, high) as int64."""
        span = int(high) - int(low)
        if span <= 0:
            raise ValueError(f"empty integer range [{low}, {high})")
        if span <= 1 << 53:
            out = np.floor(self.uniform(rows, salt) * span).astype(np.int64)
            np.minimum(out, span - 1, out=out)
        else:
            out = (self.bits(rows, salt) % np.uint64(span)).astype(np.int64)
        return out + np.int64(low) if low else out

    def normal(self, rows: np.ndarray | int, salt: int = 0) -> np.ndarray:
        """Standard normal draws (Box-Muller over two uniforms)."""
        u1 = self.uniform(rows, salt * 2 + 1)
        u2 = self.uniform(rows, salt * 2 + 2)
        return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)

    def choice(self, rows: np.ndarray | int, size: int, p: np.ndarray | None = None, salt: int = 0) -> np.ndarray:
        """Indexes in [0, size), uniform or with probabilities ``p``."""
        if p is None:
            return self.integers(rows, 0, size, salt)
        cdf = np.cumsum(np.asarray(p, dtype=np.float64))
        cdf /= cdf[-1]
        idx = np.searchsorted(cdf, self.uniform(rows, salt), side="right")
        return np.minimum(idx, size - 1).astype(np.int64)

    def bernoulli(self, rows: np.ndarray | int, p: float, salt: int = 0) -> np.ndarray:
        """Booleans, True with probability ``p``."""
        return self.uniform(rows, salt) < p


class KeyedPermutation:
    """A random-looking bijection of ``range(domain)`` onto itself.

    ``perm(rows)`` maps distinct row numbers below ``domain`` to distinct
    indexes below ``domain``; values for a row never depend on other rows.
    """

    __slots__ = ("domain", "_half", "_mask", "_keys")

    _ROUNDS = 4

    def __init__(self, domain: int, stream: Stream) -> None:
        if domain < 1:
            raise ValueError("a permutation needs a domain of at least one value")
        if domain > 1 << 62:
            raise ValueError(f"permutation domain {domain} is larger than 2**62")
        self.domain = int(domain)
        bits = max(2, (self.domain - 1).bit_length())
        half = (bits + 1) // 2
        self._half = np.uint64(half)
        self._mask = np.uint64((1 << half) - 1)
        self._keys = [np.uint64(stable_key(stream.key, "feistel", r)) for r in range(self._ROUNDS)]

    def _encrypt(self, x: np.ndarray) -> np.ndarray:
        left, right = x >> self._half, x & self._mask
        for key in self._keys:
            left, right = right, left ^ (mix64(right ^ key) & self._mask)
        return (left << self._half) | right

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        x = np.asarray(rows).astype(np.uint64)
        if x.size and int(x.max()) >= self.domain:
            raise ValueError(f"row number {int(x.max())} is outside the permutation domain {self.domain}")
        out = self._encrypt(x)
        todo = np.nonzero(out >= np.uint64(self.domain))[0]
        while todo.size:  # cycle walking: re-encrypt until inside the domain
            out[todo] = self._encrypt(out[todo])
            todo = todo[out[todo] >= np.uint64(self.domain)]
        return out.astype(np.int64)


def block_permutation(index: np.ndarray, domain: int, stream: Stream, block: int) -> np.ndarray:
    """A bijection of ``range(domain)`` made of two keyed permutations: the whole blocks of ``block`` indexes
    trade places (the last, shorter block stays last), and each index moves inside its block. Every value is a
    function of its own index alone, and a run of ``block`` consecutive indexes lands in at most two blocks (a
    caller that computes something per block computes few of them)::

        >>> block_permutation(np.arange(12), 12, Stream.root(0), block=4)
        array([10, 11,  8,  9,  7,  4,  5,  6,  2,  1,  0,  3])
    """
    index = np.asarray(index, dtype=np.int64)
    full = domain // block
    which = index // block
    if full > 1:
        moved = KeyedPermutation(full, stream.child("blocks"))(np.minimum(which, full - 1))
        which = np.where(which < full, moved, which)
    out = np.empty(len(index), dtype=np.int64)
    inside = index % block
    for w in np.unique(which).tolist():
        sel = which == w
        start = w * block
        size = min(block, domain - start)
        out[sel] = start + (KeyedPermutation(size, stream.child("block", w))(inside[sel]) if size > 1 else inside[sel])
    return out
