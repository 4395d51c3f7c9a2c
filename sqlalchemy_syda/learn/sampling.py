"""Profile -> the engine's inputs: per table the column generators (with reasons), cardinality and counts.

:func:`recipe_inputs` is the one place a profile becomes something the engine runs; every entry point
(``profile.sample``, ``seed(..., profile=)``, ``generate(..., profile=)``, ``Model.synthesize(profile=)``)
goes through it and hands the generators to the engine as overrides, so the target schema's
constraints (UNIQUE, CHECK, lengths, FKs) still rule::

    >>> from sqlalchemy_syda import learn
    >>> inputs = recipe_inputs(learn(penguins, name="penguins"))
    >>> inputs["penguins"].generators["bill_length_mm"]
    (copula('number', stratified_by='species').nullable(0.00581395), 'learned: numbers: quantile sketch of 69 points; joint with 6 columns (Gaussian copula)')
    >>> inputs["penguins"].count
    344

:func:`sample_profile` (``Profile.sample``) runs those inputs through :func:`..generate.generate` for
a table described only by its profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..cardinality import Cardinality
from ..exceptions import LearnError
from ..generators.base import Constant, Generator
from ..specs import ColumnSpec, ForeignKeySpec, TableSpec
from .columns import spec_kind
from .copula import cholesky
from .generators import CopulaColumn, CopulaGroup, GapAfter, LearnedColumn
from .patterns import TemplateStrings
from .profile import ColumnProfile, Profile, TableProfile

__all__ = ["TableInputs", "column_generators", "profile_spec", "recipe_inputs", "sample_profile"]


@dataclass(frozen=True)
class TableInputs:
    """What the engine needs from a profile for one table."""

    table: str
    generators: dict[str, tuple[Generator, str]]
    """Column -> (generator, reason); key columns are absent (the engine's)."""
    count: int
    """Learned row count times the scale."""
    cardinality: dict[tuple[str, ...], Cardinality] = field(default_factory=dict)
    """Per foreign key (its columns): children per parent as learned (empty until relationships exist)."""

    @property
    def overrides(self) -> dict[str, Generator]:
        return {name: gen for name, (gen, _) in self.generators.items()}


def recipe_inputs(profile: Profile, *, scale: float = 1.0) -> dict[str, TableInputs]:
    """The engine's inputs for every table of ``profile`` (counts = learned rows x ``scale``)."""
    if not scale > 0:
        raise LearnError(f"scale must be a positive number; got {scale!r}.")
    from ..cardinality import histogram

    cards: dict[str, dict[tuple[str, ...], Cardinality]] = {}
    for rel in profile.relationships:
        hist = rel.histogram
        if hist.get("counts"):
            cards.setdefault(rel.child, {})[tuple(rel.columns)] = histogram(hist["counts"], hist["parents"])
    out = {}
    for table in profile.tables:
        out[table.name] = TableInputs(table.name, column_generators(table), max(0, round(table.rows * scale)),
                                      cards.get(table.name, {}))
    return out


def column_generators(table: TableProfile) -> dict[str, tuple[Generator, str]]:
    """Column -> (generator, reason) for every learned column that is not a key."""
    copula = _copula_generators(table)
    out: dict[str, tuple[Generator, str]] = {}
    for col in table.columns:
        if col.model == "key":
            continue
        gen = copula.get(col.name) or _column_generator(col, table)
        if col.model in ("number", "datetime", "pattern", "meaning", "text") and col.null_share > 0:
            gen = gen.nullable(col.null_share)
        elif col.model == "after" and col.params.get("null_given_base", 0) > 0:
            gen = gen.nullable(col.params["null_given_base"])
        reason = col.reason + (f"; joint with {len(table.copula['columns']) - 1} columns (Gaussian copula)"
                               if col.name in copula else "")
        out[col.name] = (gen, f"learned: {reason}" if reason else "learned")
    return out


def _column_generator(col: ColumnProfile, table: TableProfile) -> Generator:
    if col.model == "constant":
        return Constant(col.params.get("value"))
    if col.model in ("number", "category", "datetime"):
        return LearnedColumn(col.model, col.params, col.dtype)
    if col.model == "after":
        gaps = dict(col.params["gaps"], resolution=col.params.get("resolution", 1))
        return GapAfter(col.params["base"], gaps, col.dtype)
    if col.model == "pattern":
        return TemplateStrings(col.params)
    if col.model in ("meaning", "text"):
        from ..generators.registry import generator_for

        spec = ColumnSpec(col.name, kind="string", length=col.params.get("max_length") or None)
        return generator_for(col.meaning or "text", spec)
    raise LearnError(f"column {table.name}.{col.name}: unknown model {col.model!r} in the profile.")


def _copula_generators(table: TableProfile) -> dict[str, Generator]:
    copula = table.copula
    if not copula:
        return {}
    names = copula["columns"]
    by_name = {c.name: c for c in table.columns}
    stratify = copula.get("stratify")
    factors = [cholesky(np.asarray(g["correlation"], dtype=np.float64)) for g in copula["groups"]]
    out: dict[str, Generator] = {}
    for i, name in enumerate(names):
        col = by_name[name]
        groups = [CopulaGroup(tuple(g["when"]) if g["when"] is not None else None, factors[k][i, : i + 1],
                              g["marginals"].get(name, col.params)) for k, g in enumerate(copula["groups"])]
        out[name] = CopulaColumn(name, col.model, col.dtype, groups, stratify)
    return out


# --- sampling a profile without a schema -----------------------------------------------------------

def profile_spec(table: TableProfile) -> TableSpec:
    """A :class:`TableSpec` for a table known only by its profile (integer keys become the primary key)."""
    cols = []
    for col in table.columns:
        key = col.model == "key"
        kind = "uuid" if key and col.params.get("kind") == "uuid" else spec_kind(col.dtype)
        cols.append(ColumnSpec(col.name, kind=kind, nullable=not key and col.null_share > 0, primary_key=key))
    fk_columns = {c for fk in table.foreign_keys for c in fk["columns"]}
    pk = tuple(table.primary_key) or tuple(c.name for c in table.columns if c.model == "key"
                                           and c.name not in fk_columns)[:1]
    cols = [c if c.name in pk or not c.primary_key else _not_pk(c) for c in cols]
    fks = tuple(ForeignKeySpec(tuple(fk["columns"]), fk["ref_table"], tuple(fk["ref_columns"]))
                for fk in table.foreign_keys)
    return TableSpec(table.name, tuple(cols), primary_key=pk, foreign_keys=fks)


def _not_pk(col: ColumnSpec) -> ColumnSpec:
    from dataclasses import replace

    return replace(col, primary_key=False)


def sample_table(table: TableProfile, n: int, *, seed: int | None = 0, chunk_size: int | None = None) -> pd.DataFrame:
    """``n`` new rows of one table profile, as a DataFrame with the learned column order and dtypes."""
    from ..generate import DEFAULT_CHUNK, generate

    spec = profile_spec(table)
    overrides: dict[str, Any] = column_generators(table)
    gens = {name: gen for name, (gen, _) in overrides.items()}
    for col in table.columns:
        if col.model == "key" and col.params.get("kind") == "string":
            gens[col.name] = _string_keys()
    frame = generate(spec, n, seed=seed, overrides=gens, chunk_size=chunk_size or DEFAULT_CHUNK)
    return _restore_dtypes(frame, table)


def _string_keys() -> Generator:
    from .generators import TextKeys

    return TextKeys()


def _restore_dtypes(frame: pd.DataFrame, table: TableProfile) -> pd.DataFrame:
    out = {}
    for col in table.columns:
        values = frame[col.name]
        if col.dtype == "integer":
            values = values.astype("Int64") if values.isna().any() else values.astype(np.int64)
        elif col.dtype == "float":
            values = pd.to_numeric(values, errors="coerce").astype(np.float64)
        elif col.dtype == "boolean":
            values = values.astype("boolean") if values.isna().any() else values.astype(bool)
        elif col.dtype == "datetime":
            values = pd.to_datetime(values)
        elif col.dtype == "date":
            values = pd.to_datetime(values).dt.date.astype(object).where(values.notna(), None)
        out[col.name] = values
    return pd.DataFrame(out)


def sample_profile(profile: Profile, n: int | None = None, *, seed: int | None = 0, chunk_size: int | None = None,
                   scale: float = 1.0) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """``Profile.sample``: a DataFrame for a single-table profile."""
    if n is not None and (not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0):
        raise LearnError(f"n must be a non-negative number of rows; got {n!r}.")
    if len(profile.tables) == 1:
        table = profile.tables[0]
        count = int(n) if n is not None else max(0, round(table.rows * scale))
        return sample_table(table, count, seed=seed, chunk_size=chunk_size)
    return sample_tables(profile, seed=seed, chunk_size=chunk_size, scale=scale)


def sample_tables(profile: Profile, *, seed: int | None = 0, chunk_size: int | None = None,
                  scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Every table of a multi-table profile (learned counts x ``scale``), foreign keys consistent."""
    from ..generate import DEFAULT_CHUNK, generate

    inputs = recipe_inputs(profile, scale=scale)
    specs = [profile_spec(t) for t in profile.tables]
    overrides: dict[str, dict[str, Any]] = {}
    cardinality: dict[str, Cardinality] = {}
    for table in profile.tables:
        over = dict(inputs[table.name].overrides)
        for col in table.columns:
            if col.model == "key" and col.name in table.primary_key and col.params.get("kind") == "string":
                over[col.name] = _string_keys()
        overrides[table.name] = over
        for cols, card in inputs[table.name].cardinality.items():
            cardinality[f"{table.name}.{cols[0]}"] = card
    frames = generate(specs, {t.name: inputs[t.name].count for t in profile.tables}, seed=seed, overrides=overrides,
                      cardinality=cardinality, chunk_size=chunk_size or DEFAULT_CHUNK)
    return {t.name: _restore_dtypes(frames[t.name], t) for t in profile.tables}
