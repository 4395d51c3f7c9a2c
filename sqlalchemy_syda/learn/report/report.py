"""The quality and privacy report: one object, ``to_dict()`` for machines and ``to_html()`` for people.

::

    >>> from sqlalchemy_syda import learn
    >>> synthetic = learn(penguins).sample(344, seed=1)
    >>> report = quality_report(penguins, synthetic)                  # fidelity only
    >>> round(report.to_dict()["overall"], 2), report.privacy
    (0.93, None)
    >>> report = holdout_report(penguins, seed=0)     # split 50/50, learn on one half, sample, score both
    >>> report
    Report(column_shapes=0.950, column_pair_trends=0.866, null_similarity=0.993, overall=0.908,
    dcr_share=0.512, ims_train=0.000)
    >>> round(report.to_dict()["privacy"]["dcr_share"], 3)     # quality_report(train, synthetic, holdout=...) alike
    0.512

``report.to_html()`` is the page of :mod:`.html`, for people.

``real`` and ``synthetic`` are DataFrames (one table) or ``{table: DataFrame}``; for several tables the
report adds Cardinality and Intertable Trends (see :mod:`.relational`) and FK validity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import LearnError
from .fidelity import fidelity
from .privacy import privacy

__all__ = ["Report", "holdout_report", "quality_report"]


@dataclass
class Report:
    """Fidelity per table (and across tables), privacy against a holdout when one was given."""

    tables: dict[str, dict[str, Any]]
    """Per table: ``rows_real``, ``rows_synthetic`` and its :func:`.fidelity.fidelity` scores."""
    privacy: dict[str, Any] | None = None
    relationships: list[dict[str, Any]] = field(default_factory=list)
    """Per foreign key: cardinality and intertable trends (multi-table reports)."""
    real: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    synthetic: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def scores(self) -> dict[str, float]:
        """The headline numbers: overall, Column Shapes, Column Pair Trends, null similarity (+ multi-table)."""
        def mean(key: str) -> float:
            values = [t["fidelity"][key] for t in self.tables.values() if not np.isnan(t["fidelity"][key])]
            return float(np.mean(values)) if values else float("nan")

        out = {"column_shapes": mean("column_shapes"), "column_pair_trends": mean("column_pair_trends"),
               "null_similarity": mean("null_similarity")}
        parts = [out["column_shapes"], out["column_pair_trends"]]
        if self.relationships:
            card = [r["cardinality"] for r in self.relationships]
            trends = [r["intertable_trends"] for r in self.relationships if not np.isnan(r["intertable_trends"])]
            out["cardinality"] = float(np.mean(card))
            out["intertable_trends"] = float(np.mean(trends)) if trends else float("nan")
            out["fk_validity"] = float(np.mean([r["fk_validity"] for r in self.relationships]))
            parts += [out["cardinality"], out["intertable_trends"]]
        parts = [p for p in parts if not np.isnan(p)]
        out["overall"] = float(np.mean(parts)) if parts else float("nan")
        return out

    @property
    def overall(self) -> float:
        return self.scores["overall"]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: headline scores, per-table details, relationships and privacy."""
        tables = {}
        for name, table in self.tables.items():
            fid = table["fidelity"]
            tables[name] = {
                "rows_real": table["rows_real"], "rows_synthetic": table["rows_synthetic"],
                **{k: _f(fid[k]) for k in ("overall", "column_shapes", "column_pair_trends", "null_similarity")},
                "columns": {c: {"metric": s["metric"], "score": _f(s["score"]), "kind": fid["kinds"][c],
                                "null_similarity": _f(fid["nulls"].get(c, 1.0))} for c, s in fid["shapes"].items()},
                "pairs": [{"columns": p["columns"], "metric": p["metric"], "score": _f(p["score"]),
                           "real": _f(p["real"]), "synthetic": _f(p["synthetic"])} for p in fid["pairs"]],
            }
        out: dict[str, Any] = {"kind": "sqlalchemy-syda report", "format_version": 1,
                               **{k: _f(v) for k, v in self.scores.items()}, "tables": tables}
        if self.relationships:
            out["relationships"] = [{k: (_f(v) if isinstance(v, float) else v) for k, v in r.items()
                                     if not k.startswith("_")} for r in self.relationships]
        if self.privacy is not None:
            out["privacy"] = {k: (_f(v) if isinstance(v, float) else v) for k, v in self.privacy.items()
                              if not isinstance(v, np.ndarray)}
        return out

    def to_html(self, title: str = "Synthetic data report") -> str:
        """A self-contained page (plots embedded as PNG): scores, per-column distributions, correlation
        matrices side by side, fan-outs per relationship and the privacy numbers explained."""
        from .html import render

        return render(self, title)

    def save(self, path: str | Path) -> Path:
        """``.html`` -> :meth:`to_html`, ``.json`` -> :meth:`to_dict`."""
        import json

        from ...exceptions import OutputError

        path = Path(path)
        if path.suffix.lower() in (".html", ".htm"):
            text = self.to_html()
        elif path.suffix.lower() == ".json":
            text = json.dumps(self.to_dict(), indent=1) + "\n"
        else:
            raise OutputError(f"a report is written as .html or .json; got {path.name!r}.")
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write the report to {str(path)!r}: {exc.strerror or exc} (does the folder "
                              "exist?).") from None
        return path

    def __repr__(self) -> str:
        scores = ", ".join(f"{k}={v:.3f}" for k, v in self.scores.items() if not np.isnan(v))
        priv = ""
        if self.privacy:
            priv = f", dcr_share={self.privacy['dcr_share']:.3f}, ims_train={self.privacy['ims_train']:.3f}"
        return f"Report({scores}{priv})"


def _f(x: Any) -> float | None:
    x = float(x)
    return None if np.isnan(x) else round(x, 6)


def _key_columns(profile: Any, table: str) -> set[str]:
    from .relational import _key_columns as keys

    return keys(profile, table)


def _as_tables(data: Any, what: str, name: str = "data") -> dict[str, pd.DataFrame]:
    if isinstance(data, pd.DataFrame):
        return {name: data}
    if isinstance(data, dict) and data and all(isinstance(v, pd.DataFrame) for v in data.values()):
        return {str(k): v for k, v in data.items()}
    raise LearnError(f"{what} must be a DataFrame or a dict of DataFrames; got {type(data).__name__}.")


def quality_report(real: Any, synthetic: Any, *, holdout: Any = None, profile: Any = None,
                   max_privacy_rows: int = 5000, seed: int = 0, name: str = "data") -> Report:
    """Score ``synthetic`` against ``real`` (the data it was learned from).

    :param holdout: real rows the profile did *not* see (same columns): adds the privacy measures.
    :param profile: the multi-table profile, whose relationships say which foreign keys to score.
    :param max_privacy_rows: synthetic rows compared for DCR / NNDR (chunked; IMS uses every row).
    :param name: the table's name when ``real`` is one DataFrame.
    """
    reals, syns = _as_tables(real, "real", name), _as_tables(synthetic, "synthetic", name)
    if len(reals) == 1 and len(syns) == 1:
        syns = {next(iter(reals)): next(iter(syns.values()))}
    missing = [t for t in reals if t not in syns]
    if missing:
        raise LearnError(f"the synthetic data has no table {', '.join(map(repr, missing))}; it has "
                         f"{', '.join(map(repr, syns))}.")
    tables = {}
    for name, frame in reals.items():
        syn = syns[name]
        absent = [c for c in frame.columns if c not in syn.columns]
        if absent:
            raise LearnError(f"table {name!r}: the synthetic data lacks the columns {', '.join(map(str, absent))}.")
        keys = _key_columns(profile, name) if profile is not None else set()
        scored = [c for c in frame.columns if c not in keys]
        tables[name] = {"rows_real": len(frame), "rows_synthetic": len(syn),
                        "fidelity": fidelity(frame[scored], syn[scored])}
    relationships: list[dict[str, Any]] = []
    if profile is not None and len(reals) > 1:
        from .relational import relationship_scores

        relationships = relationship_scores(reals, syns, profile)
    priv = None
    if holdout is not None:
        holdouts = _as_tables(holdout, "holdout")
        name = next(iter(reals))
        priv = privacy(reals[name], holdouts.get(name, next(iter(holdouts.values()))), syns[name],
                       max_rows=max_privacy_rows, seed=seed)
        priv["table"] = name
    return Report(tables, priv, relationships, reals, syns)


def holdout_report(real: pd.DataFrame, *, seed: int = 0, max_privacy_rows: int = 5000, **learn_options: Any) -> Report:
    """Split ``real`` 50/50 at random, learn from one half, sample as many rows, and report fidelity
    (against the train half) and privacy (train against holdout)."""
    from ..source import learn

    if not isinstance(real, pd.DataFrame) or len(real) < 4:
        raise LearnError("holdout_report needs a DataFrame of at least 4 rows (it is split in halves).")
    order = np.random.default_rng(seed).permutation(len(real))
    half = len(real) // 2
    train = real.iloc[np.sort(order[:half])].reset_index(drop=True)
    holdout = real.iloc[np.sort(order[half:2 * half])].reset_index(drop=True)
    profile = learn(train, **learn_options)
    synthetic = profile.sample(len(train), seed=seed)
    return quality_report(train, synthetic, holdout=holdout, max_privacy_rows=max_privacy_rows, seed=seed,
                          name=learn_options.get("name") or "data")
