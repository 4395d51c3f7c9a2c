"""The learned model: a versioned, content-addressed JSON document (never a pickle).

A :class:`Profile` holds, per table, what was learned about each column (its meaning, null share,
marginal distribution, string template...), the dependence between columns (a Gaussian copula,
stratified by an informative categorical where that helps) and orderings between datetime columns;
per relationship, the children-per-parent histogram including parents with no children. It never
holds a row, a key or a rare category::

    >>> from sqlalchemy_syda import learn
    >>> profile = learn(penguins, name="penguins")
    >>> profile.counts, profile.digest[:12]
    ({'penguins': 344}, 'a2e6ab3685da')
    >>> mass = profile.table("penguins").column("body_mass_g")
    >>> mass.model, mass.reason, mass.params["min"], mass.params["max"], mass.params["step"]
    ('number', 'numbers: quantile sketch of 69 points', 2700.0, 6300.0, 25.0)
    >>> path = profile.save(tmp / "penguins.profile.json")
    >>> Profile.load(path).digest == profile.digest
    True
    >>> profile.sample(1000, seed=1).shape          # a DataFrame (single-table profile)
    (1000, 8)

The file starts with ``format_version``; any later version of the package reads it (older formats are
migrated on load), and a file written by a newer format fails with a :class:`ProfileFormatError` that
names the version that wrote it::

    >>> data = profile.to_dict()
    >>> data["format_version"] = 99
    >>> Profile.from_dict(data)
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.ProfileFormatError: this profile has format_version 99, written by sqlalchemy-syda ...; sqlalchemy-syda ... reads formats up to 2. Upgrade sqlalchemy-syda to read it.

``digest`` is a hash of the canonical JSON: two profiles with the same
content have the same digest, whatever the file's formatting.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..exceptions import LearnError, ProfileFormatError

__all__ = ["FORMAT_VERSION", "ColumnProfile", "Profile", "RelationshipProfile", "TableProfile", "as_profile"]

FORMAT_VERSION = 2
"""Bumped whenever the JSON layout changes; :meth:`Profile.from_dict` migrates older layouts.

2: a copula may be stratified by a parent's column (``copula["parent"]``), reference-table columns lay their
values out by row (``params["by_row"]``) and relationships into them count children per row
(``histogram["by_row"]``). A version-1 file reads unchanged (it has none of them)."""
_KIND = "sqlalchemy-syda profile"
DTYPES = ("integer", "float", "boolean", "string", "datetime", "date")
MODELS = ("number", "category", "datetime", "pattern", "meaning", "text", "key", "constant", "after")


@dataclass(frozen=True)
class ColumnProfile:
    """What was learned about one column.

    ``model`` says how values are drawn: ``number`` / ``datetime`` (a quantile sketch), ``category``
    (frequencies of the values seen at least ``rare`` times), ``pattern`` (a string template),
    ``meaning`` (the schema path's generator for that meaning, e.g. ``email``), ``text`` (free text of
    the learned lengths), ``key`` (left to the engine), ``constant`` or ``after`` (a datetime ordered
    after another column). ``params`` holds the model's JSON-ready parameters.
    """

    name: str
    dtype: str
    model: str
    null_share: float = 0.0
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    meaning: str | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "dtype": self.dtype, "model": self.model,
                               "null_share": _num(self.null_share)}
        if self.meaning:
            out["meaning"] = self.meaning
        if self.reason:
            out["reason"] = self.reason
        if self.params:
            out["params"] = _clean(self.params)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnProfile:
        return cls(data["name"], data["dtype"], data["model"], float(data.get("null_share", 0.0)),
                   dict(data.get("params", {})), data.get("meaning"), data.get("reason", ""))


@dataclass(frozen=True)
class TableProfile:
    """One table: row count, columns, copula and orderings (see :mod:`.copula`)."""

    name: str
    rows: int
    columns: tuple[ColumnProfile, ...]
    copula: dict[str, Any] | None = field(default=None, hash=False)
    """``{"columns": [...], "stratify": name | None, "groups": [{"when": value, "share": p,
    "correlation": [[...]], "marginals": {column: params}}]}``; see :mod:`.copula`."""
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[dict[str, Any], ...] = ()
    """``{"columns": [...], "ref_table": name, "ref_columns": [...]}`` per foreign key."""

    def column(self, name: str) -> ColumnProfile:
        for col in self.columns:
            if col.name == name:
                return col
        raise LearnError(f"table profile {self.name!r} has no column {name!r}; it has "
                         f"{', '.join(c.name for c in self.columns)}.")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "rows": int(self.rows),
                               "columns": [c.to_dict() for c in self.columns]}
        if self.primary_key:
            out["primary_key"] = list(self.primary_key)
        if self.foreign_keys:
            out["foreign_keys"] = [_clean(fk) for fk in self.foreign_keys]
        if self.copula:
            out["copula"] = _clean(self.copula)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TableProfile:
        return cls(data["name"], int(data["rows"]), tuple(ColumnProfile.from_dict(c) for c in data["columns"]),
                   data.get("copula"), tuple(data.get("primary_key", ())), tuple(data.get("foreign_keys", ())))


@dataclass(frozen=True)
class RelationshipProfile:
    """One foreign key as the data showed it: children per parent (zeros included) and orphans."""

    child: str
    columns: tuple[str, ...]
    parent: str
    ref_columns: tuple[str, ...]
    histogram: dict[str, Any] = field(default_factory=dict, hash=False)
    """``{"counts": [k...], "parents": [how many parents had k children...]}``, zeros included."""
    null_share: float = 0.0
    """Share of child rows whose FK is NULL."""
    orphan_share: float = 0.0
    """Share of child rows whose FK points at no parent row (real data has them; seeds never write them)."""

    def to_dict(self) -> dict[str, Any]:
        return {"child": self.child, "columns": list(self.columns), "parent": self.parent,
                "ref_columns": list(self.ref_columns), "histogram": _clean(self.histogram),
                "null_share": _num(self.null_share), "orphan_share": _num(self.orphan_share)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RelationshipProfile:
        return cls(data["child"], tuple(data["columns"]), data["parent"], tuple(data["ref_columns"]),
                   dict(data.get("histogram", {})), float(data.get("null_share", 0.0)),
                   float(data.get("orphan_share", 0.0)))


@dataclass(frozen=True)
class Profile:
    """Everything learned from a source: tables, relationships and where it came from."""

    tables: tuple[TableProfile, ...]
    relationships: tuple[RelationshipProfile, ...] = ()
    source: dict[str, Any] = field(default_factory=dict, hash=False)
    """What was read: ``{"kind": "dataframe" | "file" | "database", "rows_read": n, ...}``."""

    # --- access -----------------------------------------------------------------------------------
    def table(self, name: str | None = None) -> TableProfile:
        """The table called ``name`` (or the only one)."""
        if name is None:
            if len(self.tables) != 1:
                raise LearnError(f"this profile has {len(self.tables)} tables "
                                 f"({', '.join(self.table_names)}); name the one you want.")
            return self.tables[0]
        for table in self.tables:
            if table.name == name or table.name.rsplit(".", 1)[-1] == name:
                return table
        raise LearnError(f"the profile has no table {name!r}; it has {', '.join(self.table_names)}.")

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables)

    @property
    def counts(self) -> dict[str, int]:
        """Learned row count per table."""
        return {t.name: t.rows for t in self.tables}

    def canonical(self) -> Profile:
        """The profile as it reads back from its JSON (numbers rounded as saved): what :func:`learn` returns,
        so a profile samples the same rows before and after a save/load."""
        return Profile.from_dict(self.to_dict())

    def replace_table(self, table: TableProfile) -> Profile:
        return replace(self, tables=tuple(table if t.name == table.name else t for t in self.tables))

    # --- sampling ---------------------------------------------------------------------------------
    def sample(self, n: int | None = None, *, seed: int | None = 0, chunk_size: int | None = None,
               scale: float = 1.0) -> Any:
        """New rows like the learned ones: a DataFrame for a single-table profile.

        :param n: rows to draw (default: the learned count times ``scale``).
        :param seed: same profile + seed -> same rows, whatever ``chunk_size``.
        """
        from .sampling import sample_profile

        return sample_profile(self, n, seed=seed, chunk_size=chunk_size, scale=scale)

    # --- JSON -------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        from ..version import __version__

        return {"kind": _KIND, "format_version": FORMAT_VERSION, "written_by": f"sqlalchemy-syda {__version__}",
                "source": _clean(self.source), "tables": [t.to_dict() for t in self.tables],
                "relationships": [r.to_dict() for r in self.relationships]}

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False, ensure_ascii=False, allow_nan=False)

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON content (independent of who wrote it and how it is indented)."""
        data = self.to_dict()
        data.pop("written_by", None)
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: Any) -> Profile:
        if not isinstance(data, dict) or data.get("kind") != _KIND or "format_version" not in data:
            raise ProfileFormatError("this is not a sqlalchemy-syda profile (no 'kind' and 'format_version'); "
                                     "make one with learn(...).save(path) or `syda learn`.")
        version = data["format_version"]
        if not isinstance(version, int) or version < 1:
            raise ProfileFormatError(f"the profile's format_version {version!r} is not a positive integer.")
        if version > FORMAT_VERSION:
            from ..version import __version__

            raise ProfileFormatError(
                f"this profile has format_version {version}, written by {data.get('written_by', 'a newer version')}; "
                f"sqlalchemy-syda {__version__} reads formats up to {FORMAT_VERSION}. Upgrade sqlalchemy-syda "
                "to read it.")
        data = _migrate(data, version)
        try:
            return cls(tuple(TableProfile.from_dict(t) for t in data["tables"]),
                       tuple(RelationshipProfile.from_dict(r) for r in data.get("relationships", ())),
                       dict(data.get("source", {})))
        except (KeyError, TypeError, ValueError) as exc:
            raise ProfileFormatError(f"the profile (format {version}) is damaged: {type(exc).__name__}: {exc}. "
                                     "Learn it again.") from None

    @classmethod
    def from_json(cls, text: str) -> Profile:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileFormatError(f"the profile is not valid JSON ({exc}).") from None
        return cls.from_dict(data)

    def save(self, path: str | Path) -> Path:
        """Write the profile as JSON; returns the path."""
        from ..exceptions import OutputError

        path = Path(path)
        try:
            path.write_text(self.to_json() + "\n", encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write the profile to {str(path)!r}: {exc.strerror or exc} (does the folder "
                              "exist?).") from None
        return path

    @classmethod
    def load(cls, path: str | Path) -> Profile:
        """Read a profile written by :meth:`save` (by this or any earlier version)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ProfileFormatError(f"no profile file at {str(path)!r}.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileFormatError(f"cannot read the profile {str(path)!r}: {exc}.") from None
        return cls.from_json(text)

    def __repr__(self) -> str:
        tables = ", ".join(f"{t.name}: {t.rows} rows x {len(t.columns)} columns" for t in self.tables)
        rel = f", {len(self.relationships)} relationships" if self.relationships else ""
        return f"Profile({tables}{rel}, digest={self.digest[:12]})"


def _migrate(data: dict[str, Any], version: int) -> dict[str, Any]:
    """Bring an older layout up to :data:`FORMAT_VERSION` (1 -> 2 only added keys: nothing to convert)."""
    return data


def _num(x: float) -> float | int:
    """A finite float as JSON writes it back exactly (``repr`` round-trips; rounding would move values that the
    data holds many times, such as a scaled flag, off their real place)."""
    if isinstance(x, bool) or isinstance(x, int):
        return x
    x = float(x)
    if not math.isfinite(x):
        raise LearnError(f"a profile cannot hold the non-finite number {x!r}.")
    return x


def _clean(value: Any) -> Any:
    """JSON-ready copy: numpy scalars to Python, floats rounded, tuples to lists."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, (str, bool)):
        return value
    if hasattr(value, "item") and not isinstance(value, (int, float)):
        value = value.item()
    if isinstance(value, bool) or isinstance(value, int):
        return value
    if isinstance(value, float):
        return _num(value)
    return str(value)


def as_profile(profile: Any) -> Profile:
    """A :class:`Profile`, or a path to one saved with :meth:`Profile.save` (what ``profile=`` accepts)."""
    if isinstance(profile, Profile):
        return profile
    if isinstance(profile, (str, Path)):
        return Profile.load(profile)
    raise LearnError(f"profile= takes a Profile (from learn()) or the path of a saved one; got {type(profile).__name__}.")
