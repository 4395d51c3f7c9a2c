"""What one column is, learned from its values: its type, meaning and the model its values come from.

The decision, in order (the first that fits wins):

1. all NULL -> ``constant`` NULL;
2. a key (``id``, ``*_id``, ``uuid``: every value distinct) -> ``key``: keys are the engine's, never learned;
3. booleans, and numbers with few distinct values (a ``year``, a class label) -> ordered ``category``;
4. other numbers -> ``number``; datetimes and dates -> ``datetime``;
5. strings whose frequent values (seen at least ``rare`` times) cover 90 % of the rows -> ``category``;
6. strings whose name means something rich (e-mail, person or company name, address, URL) ->
   ``meaning``: the schema path's generator (:func:`..semantics.infer_column`), so new valid values are
   made and no real one is copied; a ``name`` the schema takes for a person's is a company's or a title
   when its values say so (:mod:`.name_values`);
7. strings that share a few shapes (``AB-1234``, phone numbers, postcodes) -> ``pattern``;
8. a name that means something else (``sku``, ``iban``) -> ``meaning``; anything else -> ``text``.

::

    >>> fit_column("island", penguins["island"], "penguins")
    ColumnProfile(name='island', dtype='string', model='category', null_share=0.0, params={'values': ['Biscoe', 'Dream', 'Torgersen'], 'weights': [0.4883720930232558, 0.36046511627906974, 0.1511627906976744], 'ordered': False, 'dropped': 0}, meaning=None, reason='3 frequent values')
    >>> fit_column("year", penguins["year"], "penguins").reason
    '3 distinct numbers: an ordered category'
    >>> from sqlalchemy_syda import generate
    >>> contacts = generate(Contact, 200, seed=1)
    >>> [(c.model, c.meaning, c.reason) for c in (fit_column(name, contacts[name], "contacts")
    ...                                           for name in ("id", "email", "phone"))]
    [('key', None, "distinct values in a column named like a key (integer): keys are the engine's"), ('meaning', 'email', "name mentions 'email'"), ('pattern', None, 'values follow the template +[0-9]{11}')]
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..specs import ColumnSpec, TableSpec
from ..words import tokens
from .marginals import fit_category, fit_datetime, fit_number, is_date_series, kept_share, knots_for
from .name_values import name_meaning
from .patterns import describe, fit_pattern
from .profile import ColumnProfile

__all__ = ["COPULA_MODELS", "column_dtype", "fit_column"]

COPULA_MODELS = ("number", "category", "datetime")
"""Models whose columns join the table's copula."""
_FEW_NUMBERS = 20
_RICH_MEANINGS = {
    "email", "business_email", "full_name", "first_name", "last_name", "middle_name", "username", "url",
    "domain", "street_address", "address", "address_line2", "company_name", "catch_phrase", "product_name",
    "job_title", "title", "description", "notes", "comment", "bio", "paragraph", "sentence", "text",
    "file_name", "file_path", "user_agent", "password_hash", "hash", "slug", "ipv4", "ipv6", "mac_address",
    "uuid", "credit_card_number", "iban", "ssn",
}
_KEY_NAME = re.compile(r"(^|_)(id|uuid|guid|key|pk)$|[a-z]Id$|^ID$", re.I)


def column_dtype(values: pd.Series) -> str:
    """``integer``, ``float``, ``boolean``, ``datetime``, ``date`` or ``string``."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(values.dtype):
        return "integer"
    if pd.api.types.is_float_dtype(values.dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return "datetime"
    if values.dtype == object:
        present = values.dropna()
        if len(present) and all(isinstance(v, (bool, np.bool_)) for v in present.head(200).tolist()):
            return "boolean"
        if is_date_series(values):
            return "date"
        if len(present) and present.map(type).isin([pd.Timestamp]).all():
            return "datetime"
        if len(present) and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                                for v in present.head(200).tolist()):
            return "integer"
    return "string"


def fit_column(name: str, values: pd.Series, table: str = "data", *, rare: int = 5,
               quantiles: int = 101, smoothing: float = 1.0) -> ColumnProfile:
    """Learn one column (see the module docstring for the order of the decisions; ``smoothing``: the kernel
    width of a number's sketch, see :func:`~.marginals.fit_number`)."""
    dtype = column_dtype(values)
    n = len(values)
    nulls = int(values.isna().sum())
    null_share = nulls / n if n else 0.0
    present = values.dropna()
    if not len(present):
        return ColumnProfile(name, dtype, "constant", 1.0, {"value": None}, reason="every value is NULL")
    distinct = int(present.nunique())
    if distinct == len(present) and nulls == 0 and len(present) > 1 and _KEY_NAME.search(name) \
            and dtype in ("integer", "string"):
        kind = "uuid" if dtype == "string" and _looks_uuid(present) else dtype
        return ColumnProfile(name, dtype, "key", 0.0, key_params(kind, present, rare),
                             reason=f"distinct values in a column named like a key ({kind}): keys are the engine's")
    if dtype == "boolean":
        return ColumnProfile(name, dtype, "category", null_share,
                             fit_category(values.astype(object), rare=1, ordered=True),
                             reason="booleans")
    if dtype in ("integer", "float"):
        if distinct <= _FEW_NUMBERS and _whole_or_few(present, distinct):
            return ColumnProfile(name, dtype, "category", null_share,
                                 fit_category(values, rare=1, ordered=True),
                                 reason=f"{distinct} distinct numbers: an ordered category")
        return ColumnProfile(name, dtype, "number", null_share,
                             fit_number(values, quantiles, integer=dtype == "integer", rows_per_knot=rare,
                                        smooth=smoothing),
                             reason=f"numbers: quantile sketch of {knots_for(len(present), quantiles, rare)} points")
    if dtype in ("datetime", "date"):
        return ColumnProfile(name, dtype, "datetime", null_share,
                             fit_datetime(values, quantiles, date_only=dtype == "date", rows_per_knot=rare),
                             reason=f"{dtype}s: quantile sketch")
    return _fit_string(name, values.astype(object).where(values.notna(), None), table, rare, null_share, distinct)


def key_params(kind: str, values: pd.Series, rare: int = 5) -> dict[str, Any]:
    """A key column's params: its kind, and for a string key its shape (:mod:`.key_shapes`) when it has one."""
    from .key_shapes import key_shape

    shape = key_shape(values, rare) if kind == "string" else None
    return {"kind": kind, "shape": shape} if shape else {"kind": kind}


def _whole_or_few(values: pd.Series, distinct: int) -> bool:
    """Few distinct numbers that look like labels: whole numbers, or at most 5 values (a scaled flag)."""
    x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
    return bool(np.all(x == np.round(x))) or distinct <= 5


def _looks_uuid(values: pd.Series) -> bool:
    sample = values.head(50).astype(str)
    return bool(sample.str.fullmatch(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
                .all())


def _fit_string(name: str, values: pd.Series, table: str, rare: int, null_share: float,
                distinct: int) -> ColumnProfile:
    present = values.dropna().astype(str)
    if kept_share(present, rare) >= 0.9 and distinct <= max(50, len(present) // 10):
        params = fit_category(values, rare=rare)
        dropped = params.get("dropped", 0)
        why = f"{len(params['values'])} frequent values" + (f" ({dropped} rare values not kept)" if dropped else "")
        return ColumnProfile(name, "string", "category", null_share, params, reason=why)
    meaning, reason = _meaning(name, table, present)
    if meaning in _RICH_MEANINGS:
        return ColumnProfile(name, "string", "meaning", null_share, _length_params(present), meaning, reason)
    pattern = fit_pattern(present, rare=rare)
    if pattern is not None:
        return ColumnProfile(name, "string", "pattern", null_share, pattern,
                             reason=f"values follow the template {describe(pattern)}")
    if meaning is not None:
        return ColumnProfile(name, "string", "meaning", null_share, _length_params(present), meaning, reason)
    lengths = _length_params(present)
    text_meaning = "paragraph" if lengths["mean"] > 120 else "sentence" if lengths["mean"] > 30 else "title"
    return ColumnProfile(name, "string", "text", null_share, lengths, text_meaning,
                         f"free text of {lengths['mean']:.0f} characters on average")


def _meaning(name: str, table: str, present: pd.Series) -> tuple[str | None, str]:
    """The schema path's meaning for a string column of this name (None when only the type spoke)."""
    from ..semantics import infer_column

    longest = int(present.str.len().max()) if len(present) else None
    spec = ColumnSpec(name, kind="string", length=longest)
    try:
        plan = infer_column(TableSpec(table, (spec,)), spec)
    except Exception:  # noqa: BLE001 - an unusual name must not stop learning; the data still decides
        return None, ""
    if plan.source not in ("name", "comment") or plan.meaning is None:
        return None, ""
    if plan.meaning in ("email", "business_email") and not present.str.contains("@", regex=False).mean() > 0.9:
        return None, ""
    words = tokens(name)
    if words[-1:] == ["name"] and words[-2:] != ["full", "name"]:  # a person by the schema's guess: the values tell
        meaning, why = name_meaning(plan.meaning, table, present)
        if meaning != plan.meaning:
            return meaning, f"{plan.reason}, but {why}"
    return plan.meaning, plan.reason


def _length_params(present: pd.Series) -> dict[str, Any]:
    lengths = present.str.len().to_numpy(dtype=np.float64)
    return {"max_length": int(lengths.max()) if len(lengths) else 0,
            "mean": float(lengths.mean()) if len(lengths) else 0.0}
