"""The seed document's ``SyntheticDataGenerator``, as a thin facade over the pipeline.

Existing code written for syda runs with one changed import::

    from sqlalchemy_syda.structured import SyntheticDataGenerator

    generator = SyntheticDataGenerator()                     # the LLM from the environment, if any
    df = generator.generate_data(schema={"patient_id": "number", "email": "email", "notes": "text"},
                                 prompt="Patient records", sample_size=15)            # a DataFrame
    path = generator.generate_data(schema=Department, sample_size=5, output_path="departments.csv")
    generator.register_generator("foreign_key", lambda row, col: random.choice(ids), column_name="department_id")
    results = generator.generate_related_data(models=[Customer, Contact, Order], sample_sizes={...},
                                              prompts={...}, output_dir="crm_data")    # {"Customer": df, ...}

Without an LLM (``llm=None``; the default reads the environment), on the CRM models::

    >>> generator = SyntheticDataGenerator(llm=None)
    >>> generator.generate_data(schema={"patient_id": "number", "email": "email", "visit": "date"},
    ...                         prompt="Patient records", sample_size=3)
       patient_id                      email      visit
    0          70  tamara_burgess@icloud.com 2025-05-30
    1          17   karla.wright@outlook.com 2024-03-06
    2          36    carly.mooney@icloud.com 2025-10-22
    >>> generator.register_generator("foreign_key", lambda row, col: 1, column_name="customer_id")
    >>> results = generator.generate_related_data(models=[Customer, Contact], sample_sizes={"Customer": 2, "Contact": 3},
    ...                                           output_dir=tmp / "crm_data")
    >>> {name: len(frame) for name, frame in results.items()}, results["Contact"]["customer_id"].tolist()
    ({'Customer': 2, 'Contact': 3}, [1, 1, 1])
    >>> sorted(p.name for p in (tmp / "crm_data").iterdir())
    ['Contact.csv', 'Customer.csv']

"Synthetic data from various sources": ``sample_data=`` (a DataFrame, a CSV / Parquet / Excel path, a
saved profile, ``{table: DataFrame}`` or an Engine) is learned with :func:`~sqlalchemy_syda.learn.learn`
and its columns, correlations and fan-outs fill the schema's columns (keys stay the engine's, custom
generators win); ``from_data`` learns once and keeps the profile for every later call::

    >>> import pandas as pd
    >>> real = pd.DataFrame({"id": range(1, 41), "age": [20 + i % 30 for i in range(40)],
    ...                      "plan": ["basic", "pro"] * 20})
    >>> generator = SyntheticDataGenerator.from_data(real, llm=None)
    >>> rows = generator.generate_data(sample_size=200)            # no schema: the data's own columns
    >>> list(rows.columns), len(rows), sorted(rows["plan"].unique()), bool(rows["age"].between(20, 49).all())
    (['id', 'age', 'plan'], 200, ['basic', 'pro'], True)
    >>> schema = {"id": "number", "age": "number", "plan": "text", "email": "email"}
    >>> rows = SyntheticDataGenerator(llm=None).generate_data(schema=schema, sample_data=real, sample_size=5)
    >>> sorted(set(rows["plan"]) - {"basic", "pro"}), bool(rows["email"].str.contains("@").all())
    ([], True)

Everything runs through :func:`~sqlalchemy_syda.generate.generate`: custom generators and the LLM's
values are per-column overrides, keys and foreign keys come from the engine (parents first, in FK
order), files go through :mod:`~sqlalchemy_syda.writers.files`. Without an LLM configured the
built-in generators fill every column (a message says so once). ``generator.report`` holds the
LLM's run report of the last call (calls, tokens, cost, time per table).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .custom_generators import CustomGenerators
from .exceptions import OutputError, PlanError, SchemaError
from .generate import generate
from .generators.pools import DEFAULT_LOCALE
from .llm.report import RunReport
from .llm.source import resolve_llm
from .planner import plan_seed
from .semantics import plan_columns
from .specs import TableSpec
from .writers.files import FORMATS, write_frame

__all__ = ["SyntheticDataGenerator", "WrittenPath"]


class WrittenPath(str):
    """The path of a written file (a plain ``str``) that also answers ``path["column"]`` from the rows written.

    The seed document's examples index the return value of ``generate_data(..., output_path=...)`` both ways.
    """

    frame: pd.DataFrame

    def __new__(cls, path: str | Path, frame: pd.DataFrame) -> WrittenPath:
        out = super().__new__(cls, str(path))
        out.frame = frame
        return out

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self.frame[key]
        return str.__getitem__(self, key)


class SyntheticDataGenerator:
    """Synthetic tables from dict schemas or SQLAlchemy models, with an optional LLM."""

    def __init__(self, llm: Any = "env", *, seed: int | None = 0, locale: str = DEFAULT_LOCALE,
                 profile: Any = None) -> None:
        """
        :param llm: ``"env"`` (default: ``OPENAI_*`` / ``SYDA_LLM_*`` from the environment), an ``LLMConfig``,
            an ``LLM``, an ``openai.OpenAI`` client, or None for the built-in generators only.
        :param seed: same seed, same data (apart from what custom functions draw themselves).
        :param profile: a learned :class:`~sqlalchemy_syda.learn.Profile` (or its file) every call uses when it
            gets no ``sample_data`` of its own; see :meth:`from_data`.
        """
        self.llm = resolve_llm(llm)
        self.seed, self.locale = seed, locale
        self.custom = CustomGenerators()
        self.report: RunReport | None = None
        self.profile = None if profile is None else _as_profile(profile)

    @classmethod
    def from_data(cls, data: Any, *, llm: Any = "env", seed: int | None = 0, locale: str = DEFAULT_LOCALE,
                  **learn_options: Any) -> SyntheticDataGenerator:
        """A generator that learned ``data`` once (a DataFrame, a file, ``{table: DataFrame}``, an Engine or a
        Profile; ``learn_options`` go to :func:`~sqlalchemy_syda.learn.learn`); ``generator.profile`` holds it."""
        return cls(llm, seed=seed, locale=locale, profile=_as_profile(data, **learn_options))

    def register_generator(self, type_name: str, fn: Any, column_name: str | None = None, *,
                           vectorized: bool = False) -> None:
        """Use ``fn(row, col_name)`` for every column of ``type_name``, or only for ``column_name``."""
        self.custom.register(type_name, fn, column_name, vectorized=vectorized)

    def generate_data(self, schema: Any = None, prompt: str | None = None, sample_size: int | None = None,
                      output_path: str | Path | None = None, sample_data: Any = None) -> pd.DataFrame | WrittenPath:
        """``sample_size`` rows of ``schema`` (a dict of column -> type name, or a model): a DataFrame, or the
        path written when ``output_path`` (``.csv``, ``.json``, ``.parquet``) is given.

        With ``sample_data`` (or a generator made by :meth:`from_data`) the learned columns fill the schema's
        columns of the same name; without ``schema`` the rows have the data's own columns. ``sample_size``
        defaults to 10 rows, or to the learned row count when the rows come from data."""
        _check_output(output_path)
        profile = _as_profile(sample_data, name=_spec_name(schema)) if sample_data is not None else self.profile
        if schema is None and profile is None:
            raise SchemaError("generate_data() needs a schema: schema= must be a dict of column -> type name (e.g. "
                              "{'email': 'email'}) or a SQLAlchemy model; or give sample_data= (a DataFrame or "
                              "file to learn from).")
        if schema is None:
            from .learn.sampling import profile_spec

            table = profile.table() if len(profile.tables) == 1 else None
            if table is None:
                raise SchemaError(f"the sample data has {len(profile.tables)} tables "
                                  f"({', '.join(profile.table_names)}); pass schema= to say which one, or use "
                                  "generate_related_data().")
            spec = profile_spec(table)
        else:
            spec = _schema_spec(schema)
            table = None
        size = sample_size if sample_size is not None else _learned_size(profile, spec)
        frame = self._run([spec], {spec.fullname: size}, {spec.fullname: prompt}, {}, profile)[spec.fullname]
        if table is not None:
            from .learn.sampling import restore_dtypes

            frame = restore_dtypes(frame, table)
        return frame if output_path is None else WrittenPath(write_frame(frame, output_path), frame)

    def generate_related_data(self, models: Sequence[Any], prompts: Mapping[Any, str] | None = None,
                              sample_sizes: Mapping[Any, int] | None = None, output_dir: str | Path | None = None,
                              custom_generators: Mapping[Any, Mapping[str, Any]] | None = None,
                              sample_data: Any = None) -> dict[str, pd.DataFrame]:
        """Related tables in FK order, foreign keys drawn from the generated parents: ``{ModelName: DataFrame}``,
        and ``<output_dir>/<ModelName>.csv`` per model when ``output_dir`` is given.

        ``sample_data`` (``{table: DataFrame}``, an Engine or a profile; default: the :meth:`from_data`
        profile) gives the tables of the same names their learned columns and children-per-parent; a table
        without a ``sample_sizes`` entry then gets its learned row count."""
        if not models:
            raise SchemaError("generate_related_data() needs models=[Model, ...].")
        specs = [_schema_spec(m) for m in models]
        profile = self.profile if sample_data is None else _as_profile(sample_data, foreign_keys=_data_fks(
            specs, sample_data), primary_keys=_data_pks(specs, sample_data))
        counts = {s.fullname: _size(s, sample_sizes, profile) for s in specs}
        ordered = [tp.spec for tp in plan_seed(specs, counts).tables]
        frames = self._run(specs, counts, {s.fullname: _lookup(prompts, s) for s in specs},
                           {s.fullname: _lookup(custom_generators, s) or {} for s in specs}, profile)
        results = {s.display_name: frames[s.fullname] for s in ordered}
        if output_dir is not None:
            for name, frame in results.items():
                write_frame(frame, Path(output_dir) / f"{name}.csv")
        return results

    def build_prompt(self, schema: Any, prompt: str | None = None, sample_size: int = 10) -> str:
        """The exact prompt the LLM gets for the first batch of ``schema`` (rows mode, the seed's)."""
        from .llm.config import LLMConfig
        from .llm.source import LLM

        spec = _schema_spec(schema)
        llm = self.llm or LLM(LLMConfig(lockfile=None))
        plan = llm.with_prompts({spec.fullname: prompt}).plan(spec, sample_size, self._overrides(spec, None),
                                                              seed=self.seed, locale=self.locale, mode="rows")
        if plan.requests:
            return plan.requests[0].prompt
        from .llm.prompts import build_prompt

        return build_prompt(spec, sample_size, prompt)

    # --- the one path every call takes -----------------------------------------------------------
    def _overrides(self, spec: TableSpec, per_column: Mapping[str, Any] | None) -> dict[str, Any]:
        meanings = {name: p.meaning for name, p in plan_columns(spec).items()}
        return self.custom.overrides(spec, per_column, meanings)

    def _run(self, specs: list[TableSpec], counts: dict[str, int], prompts: dict[str, str | None],
             per_model: dict[str, Mapping[str, Any]], profile: Any = None) -> dict[str, pd.DataFrame]:
        overrides = {s.fullname: self._overrides(s, per_model.get(s.fullname)) for s in specs}
        llm = None
        if self.llm is not None:
            llm = self.llm.with_prompts(prompts)
            llm.report = RunReport(llm.config.model)
        frames = generate(specs, counts, seed=self.seed, locale=self.locale, overrides=overrides, llm=llm,
                          profile=profile)
        self.report = None if llm is None else llm.report
        return frames  # type: ignore[return-value]


def _schema_spec(schema: Any) -> TableSpec:
    from .dict_schema import dict_table_spec
    from .introspect import table_spec

    if isinstance(schema, TableSpec):
        return schema
    if isinstance(schema, Mapping):
        return dict_table_spec(dict(schema))
    if schema is None or isinstance(schema, (str, int, float, list, tuple)):
        raise SchemaError(f"schema= must be a dict of column -> type name (e.g. {{'email': 'email'}}) or a "
                          f"SQLAlchemy model; got {schema!r}.")
    return table_spec(schema)


def _check_output(path: str | Path | None) -> None:
    if path is None:
        return
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise OutputError(f"Cannot write {str(path)!r}: output_path must end with "
                          f"{', '.join('.' + f for f in FORMATS)}, or be left out to get a DataFrame.")


def _lookup(mapping: Mapping[Any, Any] | None, spec: TableSpec) -> Any:
    for key in (spec.model, spec.model_name, spec.name, spec.fullname):
        if mapping and key is not None and key in mapping:
            return mapping[key]
    return None


def _as_profile(data: Any, **learn_options: Any) -> Any:
    """A learned profile from any source :func:`~sqlalchemy_syda.learn.learn` reads, or a Profile / its file."""
    from .learn import Profile, learn

    if isinstance(data, Profile):
        return data
    if isinstance(data, (str, Path)) and str(data).lower().endswith(".json"):
        return Profile.load(data)
    return learn(data, **{k: v for k, v in learn_options.items() if v is not None})


def _data_fks(specs: list[TableSpec], data: Any) -> list[tuple] | None:
    """For ``{table: DataFrame}`` sample data: the models' foreign keys between tables the data holds."""
    if not isinstance(data, Mapping):
        return None
    return [(s.name, list(fk.columns), fk.ref_table.rsplit(".", 1)[-1], list(fk.ref_columns))
            for s in specs if s.name in data for fk in s.foreign_keys if fk.ref_table.rsplit(".", 1)[-1] in data]


def _data_pks(specs: list[TableSpec], data: Any) -> dict[str, list[str]] | None:
    if not isinstance(data, Mapping):
        return None
    return {s.name: list(s.primary_key) for s in specs if s.name in data and s.primary_key}


def _spec_name(schema: Any) -> str | None:
    """The table name a schema gives (for naming a profile learned for it), if any."""
    if schema is None or isinstance(schema, Mapping):
        return None
    try:
        return _schema_spec(schema).name
    except SchemaError:
        return None


def _learned_size(profile: Any, spec: TableSpec) -> int:
    """Rows when no sample_size is given: the profile table's learned count, else 10."""
    if profile is None:
        return 10
    from .learn.sampling import recipe_inputs
    from .learn.wiring import profile_table_for

    inputs = recipe_inputs(profile)
    source = profile_table_for(spec, inputs) or (next(iter(inputs.values())) if len(inputs) == 1 else None)
    return source.count if source is not None else 10


def _size(spec: TableSpec, sample_sizes: Mapping[Any, int] | None, profile: Any = None) -> int:
    if sample_sizes is None:
        return _learned_size(profile, spec)
    size = _lookup(sample_sizes, spec)
    if size is None and profile is not None:
        return _learned_size(profile, spec)
    if size is None:
        given = ", ".join(str(getattr(k, "__name__", k)) for k in sample_sizes)
        raise PlanError(f"sample_sizes has no entry for {spec.display_name!r} (it has: {given}). Add "
                        f"{{'{spec.display_name}': n}}, or leave sample_sizes out for 10 rows each.")
    return size
