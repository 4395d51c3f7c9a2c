r"""PostgreSQL bulk load with ``COPY ... FROM STDIN`` on the caller's connection (psycopg 3 or asyncpg).

A batch becomes COPY text format column by column (numbers through Python's
``str``/``repr``, dates once per distinct day, text escaped only when a cell
needs it, NULL as ``\N``, arrays as array literals and supplied lists, dicts and
bytes as :mod:`.cells` says), then is sent in one ``copy.write``. It runs on the very connection
and transaction the caller's ``Connection``/``Session`` uses, so a rollback
undoes it. The text of a batch::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> spec = table_spec(Customer)
    >>> copy_text(spec, {"id": np.arange(1, 3), "name": np.array(["Tab\there", None], dtype=object),
    ...                  "created_at": np.array(["2024-01-05", "NaT"], dtype="datetime64[D]")})
    b'1\tTab\\there\t2024-01-05\n2\t\\N\t\\N\n'

and on a PostgreSQL connection (psycopg 3)::

    with engine.begin() as conn:
        PostgresCopyWriter().write(conn, spec, [batch])     # -> 3, the rows written

The COPY statement is sent without parameters, so identifiers keep a single ``%``
(:mod:`~sqlalchemy_syda.dialects.quoting`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from ..dialects.quoting import quote_name, quote_table
from ..specs import ColumnSpec, TableSpec
from .base import Prepared, iso_dates, null_mask, prepared_parts
from .cells import TEXT_KINDS, array_literal, binary_cell, text_cells, unstorable
from .type_decorators import through_type_decorators

if TYPE_CHECKING:
    from ..plan import SeedPlan

__all__ = ["PostgresCopyWriter", "copy_text"]


_SPECIAL = ("\\", "\t", "\n", "\r")


def _escape(cells: list[str]) -> list[str]:
    """COPY text escaping, only when some cell needs it (checked on the joined text, at C speed)."""
    joined = "".join(cells)
    if not any(ch in joined for ch in _SPECIAL):
        return cells
    table = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
    return [c.translate(table) for c in cells]


def _column_text(spec: ColumnSpec, values: np.ndarray) -> list[str]:
    """One column as COPY text cells (``\\N`` for NULL)."""
    nulls = null_mask(values)
    kind = values.dtype.kind
    if kind == "b":
        cells = np.where(values, "t", "f").tolist()
    elif kind in "iu":
        cells = list(map(str, values.tolist()))  # Python's int -> str beats numpy's astype(str) + tolist()
    elif kind == "f":
        if spec.kind == "integer":  # integers that went through NaN for their NULLs
            cells = list(map(str, np.nan_to_num(values).astype(np.int64).tolist()))
        else:  # the shortest round-trip text, as astype(str) gives, at half its cost
            cells = list(map(repr, values.tolist()))
    elif kind == "M" and spec.kind == "date":
        cells = iso_dates(values.astype("datetime64[D]"))  # each distinct day formatted once
    elif kind == "M":
        text = np.datetime_as_string(values, unit="us")
        if spec.kind == "datetime" and spec.timezone:
            text = np.strings.add(text, "+00")
        cells = text.tolist()
    elif kind == "m":
        cells = [f"{v} seconds" for v in values.astype("timedelta64[s]").astype(np.int64).tolist()]
    else:
        cells = _object_text(spec, values, nulls)
    if nulls.any():
        cells = ["\\N" if n else c for c, n in zip(cells, nulls.tolist())]
    return cells


def _object_text(spec: ColumnSpec, values: np.ndarray, nulls: np.ndarray) -> list[str]:
    items = values.tolist()
    if spec.kind == "json":
        return _escape(["" if n else json.dumps(v) for v, n in zip(items, nulls.tolist())])
    if spec.kind == "binary":
        return ["" if n else "\\\\x" + binary_cell(v).hex() for v, n in zip(items, nulls.tolist())]
    if spec.kind == "array":
        return _escape(["" if n else array_literal(v) for v, n in zip(items, nulls.tolist())])
    if spec.kind == "boolean":
        return ["t" if v is True or v == 1 else "f" for v in items]
    if nulls.any():
        items = ["" if n else v for v, n in zip(items, nulls.tolist())]
    if spec.kind in TEXT_KINDS:
        return _escape(text_cells(items))
    if not all(type(v) is str for v in items):
        items = [v if type(v) is str else str(v) for v in items]
    return _escape(items)


def copy_text(table: TableSpec, batch: Mapping[str, np.ndarray]) -> bytes:
    """The batch in COPY text format (tab-separated, ``\\N`` for NULL, one line per row).

    A value PostgreSQL cannot take (a lone surrogate, NUL in text, bytes that are not UTF-8 for text,
    what JSON cannot hold) raises :class:`~..exceptions.UnstorableValueError` naming its column and row.
    """
    try:
        columns = [_column_text(table.column(name), values) for name, values in batch.items()]
        if not columns or not columns[0]:
            return b""
        text = "\n".join(map("\t".join, zip(*columns))) + "\n"
        if "\x00" in text:
            raise ValueError("NUL in the COPY text")
        return text.encode("utf-8")
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        error = unstorable(table, batch, "postgresql")
        if error is None:
            raise
        raise error from exc


def _copy_sql(conn, table: TableSpec, names: list[str]) -> str:
    """The COPY statement, sent without parameters (so a ``%`` in a name stays single)."""
    return f"COPY {quote_table(conn, table)} ({', '.join(quote_name(conn, c) for c in names)}) FROM STDIN"


def _written_columns(table: TableSpec) -> list[str]:
    return [c.name for c in table.columns if not c.filled_by_database]


class PostgresCopyWriter:
    """Streams batches into one ``COPY`` per table on the psycopg 3 connection behind a SQLAlchemy ``Connection``.

    The server ingests a chunk while the next one is generated and formatted (``prepare`` runs in the
    generation thread when ``seed()`` drives the writer), so the client's work hides behind the load.
    """

    last_batch: Mapping[str, np.ndarray] | None = None

    def prepare(self, conn, table: TableSpec, batch: Mapping[str, np.ndarray]) -> Prepared:
        """The COPY statement and the batch as COPY text (thread-safe: reads only the dialect)."""
        names = list(batch)
        n = len(batch[names[0]]) if names else 0
        if not n:
            return Prepared(batch, (None, b"", 0))
        stored, values = through_type_decorators(table, batch, conn.dialect)  # the types' own conversion
        return Prepared(batch, (_copy_sql(conn, table, names), copy_text(stored, values), n))

    def preview(self, conn, plan: SeedPlan) -> list[str]:
        """``COPY ... FROM STDIN`` per table (psycopg 3 and asyncpg alike: asyncpg sends the same COPY)."""
        return [f"{_copy_sql(conn, tp.spec, _written_columns(tp.spec))};  -- {tp.count} rows" for tp in plan.tables]

    def write(self, conn, table: TableSpec, batches: Iterable[Mapping[str, np.ndarray] | Prepared]) -> int:
        raw = conn.connection.driver_connection
        chunks = self._payloads(conn, table, batches)
        first = next(chunks, None)
        if first is None:
            return 0
        if conn.dialect.is_async:  # AsyncSession.run_sync: drive the driver's async COPY from this greenlet
            from sqlalchemy.util import await_only

            if conn.dialect.driver == "asyncpg":
                return await_only(self._write_asyncpg(raw, table, list(self.last_batch or ()), first, chunks))
            return await_only(self._write_async(raw, first, chunks))
        sql, payload, total = first
        with raw.cursor() as cur, cur.copy(sql) as stream:
            stream.write(payload)
            for _, payload, n in chunks:
                stream.write(payload)
                total += n
        return total

    async def _write_async(self, raw, first: tuple[str, bytes, int], chunks) -> int:
        sql, payload, total = first
        async with raw.cursor() as cur, cur.copy(sql) as stream:
            await stream.write(payload)
            for _, payload, n in chunks:
                await stream.write(payload)
                total += n
        return total

    async def _write_asyncpg(self, raw, table: TableSpec, names: list[str], first: tuple[str, bytes, int],
                             chunks) -> int:
        """asyncpg: ``copy_to_table`` in text format, fed the same COPY text as psycopg."""
        total = [first[2]]

        async def source():
            yield first[1]
            for _, payload, n in chunks:
                total[0] += n
                yield payload

        await raw.copy_to_table(table.name, source=source(), columns=names, schema_name=table.schema, format="text")
        return total[0]

    def _payloads(self, conn, table: TableSpec, batches: Iterable[Mapping[str, np.ndarray] | Prepared]):
        """(COPY statement, COPY text, rows) for every non-empty batch; remembers the batch for errors."""
        for item in batches:
            batch, (sql, payload, n) = prepared_parts(item, lambda b: self.prepare(conn, table, b).payload)
            self.last_batch = batch
            if n:
                yield sql, payload, n
