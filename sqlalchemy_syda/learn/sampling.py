"""``Profile.sample``: new rows of a table described only by its profile, through the DataFrame run.

The profile's generators (:func:`.engine_inputs.recipe_inputs`) enter as overrides of a
:class:`~..specs.TableSpec` made from the profile (:func:`profile_spec`), and :func:`..frames_run.generate_with`
runs them; a multi-table profile gives ``{table: DataFrame}`` with its foreign keys consistent::

    >>> from sqlalchemy_syda.learn import learn
    >>> profile = learn(pd.DataFrame({"species": ["Adelie", "Gentoo"] * 50, "mass": [3700.0, 5000.0] * 50}))
    >>> frame = sample_profile(profile, 5, seed=1)
    >>> list(frame.columns), len(frame)
    (['species', 'mass'], 5)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..cardinality import Cardinality
from ..exceptions import LearnError
from ..generators.base import Generator
from ..generators.pools import DEFAULT_LOCALE
from ..options import SeedOptions
from ..specs import ColumnSpec, ForeignKeySpec, TableSpec
from .engine_inputs import TableInputs, column_generators, recipe_inputs

if TYPE_CHECKING:
    from .profile import ColumnProfile, Profile, TableProfile

__all__ = ["TableInputs", "column_generators", "profile_spec", "recipe_inputs", "restore_dtypes", "sample_profile",
           "spec_kind"]


def spec_kind(dtype: str) -> str:
    """The :class:`~..specs.ColumnSpec` kind of a learned dtype."""
    return {"integer": "integer", "float": "float", "boolean": "boolean", "datetime": "datetime",
            "date": "date"}.get(dtype, "string")


# --- sampling a profile without a schema -----------------------------------------------------------

def profile_spec(table: TableProfile, nullable: frozenset[str] = frozenset()) -> TableSpec:
    """A :class:`TableSpec` for a table known only by its profile (integer keys become the primary key);
    ``nullable``: foreign key columns the data had NULL (or orphaned) in some rows."""
    cols = []
    for col in table.columns:
        key = col.model == "key"
        kind = "uuid" if key and col.params.get("kind") == "uuid" else spec_kind(col.dtype)
        cols.append(ColumnSpec(col.name, kind=kind, nullable=(not key and col.null_share > 0) or col.name in nullable,
                               primary_key=key))
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
    spec = profile_spec(table)
    overrides: dict[str, Any] = column_generators(table)
    gens = {name: gen for name, (gen, _) in overrides.items()}
    for col in table.columns:
        if col.model == "key" and col.params.get("kind") == "string":
            gens[col.name] = _string_keys(col, n)
    frame = _generate(spec, n, seed=seed, overrides=gens, chunk_size=chunk_size)
    return restore_dtypes(frame, table)


def _string_keys(col: ColumnProfile, rows: int) -> Generator:
    """Distinct text keys: of the shape the real ones had (:mod:`.key_shapes`), else the engine's numbers."""
    from .generators import TextKeys
    from .key_shapes import key_generator

    return key_generator(col.params, rows) or TextKeys()


def restore_dtypes(frame: pd.DataFrame, table: TableProfile) -> pd.DataFrame:
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
    inputs = recipe_inputs(profile, scale=scale)
    missing = {(r.child, c) for r in profile.relationships if r.null_share + r.orphan_share > 0 for c in r.columns}
    specs = [profile_spec(t, frozenset(c for child, c in missing if child == t.name)) for t in profile.tables]
    overrides: dict[str, dict[str, Any]] = {}
    cardinality: dict[str, Cardinality] = {}
    for table in profile.tables:
        over = dict(inputs[table.name].overrides)
        fk_columns = {c for fk in table.foreign_keys for c in fk["columns"]}
        for col in table.columns:  # a key column that is also a foreign key takes its parent's keys
            if col.model == "key" and col.name in table.primary_key and col.name not in fk_columns \
                    and col.params.get("kind") == "string":
                over[col.name] = _string_keys(col, inputs[table.name].count)
        overrides[table.name] = over
        for cols, card in inputs[table.name].cardinality.items():
            cardinality[f"{table.name}.{cols[0]}"] = card
    frames = _generate(specs, {t.name: inputs[t.name].count for t in profile.tables}, seed=seed,
                       overrides=overrides, cardinality=cardinality, chunk_size=chunk_size)
    return {t.name: restore_dtypes(frames[t.name], t) for t in profile.tables}


def _generate(models: Any, counts: Any, *, chunk_size: int | None, **options: Any) -> Any:
    """``generate(models, counts, **options)`` (what ``Profile.sample`` runs), below the public entry point."""
    from ..frames_run import DEFAULT_CHUNK, generate_with

    return generate_with(models, counts, SeedOptions.build(locale=DEFAULT_LOCALE, chunk_size=chunk_size or DEFAULT_CHUNK,
                                                           **options))
