"""A seeded, reproducible sample of a table, computed in SQL, for databases without ``TABLESAMPLE REPEATABLE``.

SQLite's ``random()`` takes no seed, and MariaDB's ``RAND(n)`` repeats a sequence of values handed to the
rows *in the order they are scanned* (InnoDB's clustered key, another engine's physical order, whatever
access path the optimizer picks): one row inserted early in that order shifts the value of every later
row. So the sample is ordered by a hash of each row's key instead: a pure function of (seed, key), that
looks random in the key (the lowest ``n`` hashes are spread over the whole table, not the first ids nor
every k-th one). Only the ``LIMIT`` rows cross the wire; the database sorts the hashes.

The hash is integer arithmetic modulo the prime ``2**31 - 1`` that never leaves 63 bits (SQLite turns an
integer overflow into a REAL, MariaDB raises an error): an affine step with seed-derived constants, the
fifth power (a permutation modulo this prime), another affine step, a 31-bit rotation and a last affine
step -- every step a bijection, so distinct keys below the prime never collide.

The key is the single integer primary key column (an SQLite ``INTEGER PRIMARY KEY`` is the rowid). The rowid
itself is never used: SQLite's ``WITHOUT ROWID`` tables have none, and ``VACUUM`` may renumber it where no
``INTEGER PRIMARY KEY`` names it. Other tables -- a text or composite primary key (``WITHOUT ROWID`` ones
included), no primary key at all -- number their rows with ``row_number() OVER (ORDER BY <primary key>)``,
or ordered by every column without one (identical rows are interchangeable), and hash that number::

    >>> from sqlalchemy_syda import seed
    >>> _ = seed(engine, {Customer: 50, Order: 400}, seed=1)
    >>> orders = sa.Table("orders", sa.MetaData(), autoload_with=engine)
    >>> with engine.connect() as conn:
    ...     ids = [row.id for row in conn.execute(seeded_sample(orders, 20, seed=0))]
    ...     again = [row.id for row in conn.execute(seeded_sample(orders, 20, seed=0))]
    >>> ids == again, sorted(ids)[:4], sorted(ids)[-4:]     # ids 1..400: the 20 picked span them
    (True, [44, 82, 94, 156], [331, 342, 388, 389])
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

__all__ = ["row_hash", "seeded_sample"]

_PRIME = 2**31 - 1


def _int(value: int) -> sa.ColumnElement[int]:
    return sa.literal_column(str(int(value)), sa.BigInteger())


def _constants(seed: int) -> list[int]:
    digest = hashlib.blake2b(f"sqlalchemy-syda sample {int(seed)}".encode(), digest_size=48).digest()
    return [int.from_bytes(digest[8 * i:8 * i + 8], "little") % _PRIME for i in range(6)]


def row_hash(key: sa.ColumnElement, seed: int = 0) -> sa.ColumnElement[int]:
    """An integer in ``[0, 2**31 - 1)`` per value of the integer ``key``: a seeded bijection of ``key`` modulo
    ``2**31 - 1``, in integer SQL that SQLite and MariaDB evaluate without overflowing 64 bits."""
    a1, a2, a3, c1, c2, c3 = _constants(seed)
    p = _int(_PRIME)

    def affine(x: sa.ColumnElement, a: int, c: int) -> sa.ColumnElement:
        return (x * _int(a or 1) + _int(c)) % p                    # < 2**62 + 2**31 before the modulo

    x = affine(((key % p) + p) % p, a1, c1)                        # non-negative: % keeps the dividend's sign
    x2 = (x * x) % p
    x = affine((((x2 * x2) % p) * x) % p, a2, c2)                  # x**5: a permutation, 5 and p - 1 coprime
    rotated = (x.bitwise_lshift(_int(11)).bitwise_and(p)).bitwise_or(x.bitwise_rshift(_int(20)))
    return affine(rotated, a3, c3)


def _integer_key(table: sa.Table) -> sa.Column | None:
    key = list(table.primary_key.columns)
    if len(key) == 1 and isinstance(key[0].type, sa.Integer) and not isinstance(key[0].type, sa.Boolean):
        return key[0]
    return None


def seeded_sample(table: sa.Table, n: int, seed: int = 0) -> sa.Select:
    """``SELECT`` every column of ``table`` for the ``n`` rows with the lowest :func:`row_hash` of their key,
    in that order (ties, from integer keys equal modulo ``2**31 - 1``, by the key)."""
    key = _integer_key(table)
    if key is not None:
        return sa.select(table).order_by(row_hash(key, seed), key).limit(n)
    order = list(table.primary_key.columns) or list(table.columns)
    numbered = sa.select(table, sa.func.row_number().over(order_by=order).label("syda_row_number")).subquery()
    number = numbered.c.syda_row_number
    return (sa.select(*(numbered.c[c.key] for c in table.columns))
            .order_by(row_hash(number, seed), number).limit(n))
