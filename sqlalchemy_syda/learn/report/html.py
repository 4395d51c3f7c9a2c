"""The report as one self-contained HTML page: plots drawn with matplotlib (Agg) and embedded as PNG.

Nothing is fetched when the page is viewed (no scripts, fonts or styles from the network). What a
person sees, top to bottom: the headline scores; per table the real and synthetic distribution of
every column (blue real, orange synthetic) with its score; the correlation matrices side by side; per
relationship the children-per-parent histograms; the privacy numbers with what they mean and the
distance-to-closest-record histogram against train and holdout::

    >>> from sqlalchemy_syda import learn
    >>> from sqlalchemy_syda.learn.report import quality_report
    >>> real = penguins[["species", "body_mass_g"]]
    >>> html = render(quality_report(real, learn(real).sample(344, seed=1)), "Penguins")
    >>> html.startswith("<!doctype html>"), "<h1>Penguins</h1>" in html, "data:image/png;base64," in html
    (True, True, True)
    >>> "http://" in html or "https://" in html or "<script" in html          # nothing to fetch
    False
"""

from __future__ import annotations

import base64
import html as _html
import io
from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import MissingDependencyError
from .fidelity import _numbers

__all__ = ["render"]

_REAL, _SYN = "#1f77b4", "#ff7f0e"
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;
color:#222;padding:0 1rem}h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}.card{border:1px solid #ddd;border-radius:8px;
padding:.6rem 1rem;min-width:9rem}.card b{display:block;font-size:1.6rem}.card span{color:#666;font-size:.85rem}
table{border-collapse:collapse;margin:.6rem 0}td,th{border-bottom:1px solid #eee;padding:.25rem .7rem;
text-align:left;font-size:.9rem}img{max-width:100%}.note{color:#555;font-size:.9rem;max-width:60rem}
.good{color:#1a7f37}.warn{color:#b35900}
"""


def _plt():
    try:
        import matplotlib
    except ImportError:
        raise MissingDependencyError("the HTML report draws its plots with matplotlib: "
                                     "pip install 'sqlalchemy-syda[learn]'.") from None
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    _plt().close(fig)
    return f'<img alt="" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def _esc(text: Any) -> str:
    return _html.escape(str(text))


def _card(label: str, value: float | None, fmt: str = "{:.3f}") -> str:
    shown = "–" if value is None or (isinstance(value, float) and np.isnan(value)) else fmt.format(value)
    return f'<div class="card"><b>{shown}</b><span>{_esc(label)}</span></div>'


def _distributions(real: pd.DataFrame, syn: pd.DataFrame, fid: dict[str, Any]) -> str:
    plt = _plt()
    cols = list(fid["shapes"])
    if not cols:
        return ""
    per_row = 4
    rows = (len(cols) + per_row - 1) // per_row
    fig, axes = plt.subplots(rows, per_row, figsize=(4 * per_row, 2.6 * rows), squeeze=False)
    for ax, col in zip(axes.ravel(), cols):
        score = fid["shapes"][col]["score"]
        if fid["kinds"][col] == "categorical":
            p = real[col].astype(object).where(real[col].notna(), "NULL").astype(str).value_counts(normalize=True)
            q = syn[col].astype(object).where(syn[col].notna(), "NULL").astype(str).value_counts(normalize=True)
            top = list(p.index[:12])
            x = np.arange(len(top))
            ax.bar(x - 0.2, p.reindex(top, fill_value=0), 0.4, color=_REAL, label="real")
            ax.bar(x + 0.2, q.reindex(top, fill_value=0), 0.4, color=_SYN, label="synthetic")
            ax.set_xticks(x, [t[:10] for t in top], rotation=45 if len(top) > 3 else 0, fontsize=7)
        else:
            a, b = _numbers(real[col]), _numbers(syn[col])
            a, b = a[~np.isnan(a)], b[~np.isnan(b)]
            if len(a):
                bins = np.histogram_bin_edges(a, bins=30)
                ax.hist(a, bins=bins, density=True, alpha=0.55, color=_REAL, label="real")
                if len(b):
                    ax.hist(b, bins=bins, density=True, alpha=0.55, color=_SYN, label="synthetic")
            ax.tick_params(labelsize=7)
            if fid["kinds"][col] == "datetime" and len(a):
                ticks = np.linspace(a.min(), a.max(), 3)
                ax.set_xticks(ticks, [str(np.datetime64(int(t), "s"))[:10] for t in ticks], fontsize=7)
        ax.set_title(f"{col}  ({score:.2f})", fontsize=9)
        ax.set_yticks([])
    for ax in axes.ravel()[len(cols):]:
        ax.axis("off")
    axes.ravel()[0].legend(fontsize=7)
    fig.tight_layout()
    return _png(fig)


def _correlations(real: pd.DataFrame, syn: pd.DataFrame, fid: dict[str, Any]) -> str:
    cols = [c for c in fid["shapes"] if fid["kinds"][c] != "categorical"][:40]
    if len(cols) < 2:
        return ""
    plt = _plt()

    def corr(frame: pd.DataFrame) -> np.ndarray:
        data = pd.DataFrame({c: _numbers(frame[c]) for c in cols})
        return data.corr().to_numpy()

    fig, axes = plt.subplots(1, 2, figsize=(11, 5))
    for ax, frame, label in ((axes[0], real, "real"), (axes[1], syn, "synthetic")):
        image = ax.imshow(corr(frame), vmin=-1, vmax=1, cmap="RdBu_r")
        ax.set_title(f"{label}: Pearson correlation", fontsize=10)
        ticks = np.arange(len(cols))
        ax.set_xticks(ticks, [c[:12] for c in cols], rotation=90, fontsize=6 if len(cols) > 15 else 8)
        ax.set_yticks(ticks, [c[:12] for c in cols], fontsize=6 if len(cols) > 15 else 8)
    fig.colorbar(image, ax=axes, shrink=0.8)
    return _png(fig)


def _fanouts(report) -> str:
    if not report.relationships:
        return ""
    plt = _plt()
    rels = report.relationships
    fig, axes = plt.subplots(1, len(rels), figsize=(4 * len(rels), 2.8), squeeze=False)
    for ax, rel in zip(axes.ravel(), rels):
        real, syn = np.asarray(rel.get("_real_counts", [])), np.asarray(rel.get("_synthetic_counts", []))
        top = int(max(real.max(initial=0), syn.max(initial=0)))
        bins = np.arange(0, min(top, 60) + 2) - 0.5
        for counts, color, label in ((real, _REAL, "real"), (syn, _SYN, "synthetic")):
            if len(counts):
                ax.hist(np.minimum(counts, 60), bins=bins, density=True, alpha=0.55, color=color, label=label)
        ax.set_title(f"{rel['child']} per {rel['parent']} ({rel['cardinality']:.2f})", fontsize=9)
        ax.set_xlabel("children per parent (0 included)", fontsize=8)
        ax.tick_params(labelsize=7)
    axes.ravel()[0].legend(fontsize=7)
    fig.tight_layout()
    return _png(fig)


def _privacy(priv: dict[str, Any]) -> str:
    plt = _plt()
    dcr_class = "good" if abs(priv["dcr_share"] - 0.5) <= 0.05 else "warn"
    text = f"""
<div class="cards">{_card("IMS against train", priv["ims_train"], "{:.1%}")}
{_card("IMS against holdout", priv["ims_holdout"], "{:.1%}")}
{_card("DCR share (closer to train)", priv["dcr_share"], "{:.1%}")}{_card("NNDR, 10th percentile", priv["nndr_p10"])}</div>
<p class="note"><b>IMS</b> (identical match share): synthetic rows equal to a real row in every column. Rows
that are common in the population match the holdout as often as the train half; only copies make IMS
against train higher. <b class="{dcr_class}">DCR share</b>: for every synthetic row, is its closest real row
in the train half (that the profile was learned from) or in the holdout half (never seen)? About 50 % means
the synthetic rows are no closer to the rows learned from than to unseen people of the same population;
well above 50 % means memorised rows. <b>NNDR</b>: distance to the closest train row divided by the
distance to the second closest; values near 0 put a synthetic row on top of one real row (an outlier
that could be re-identified). Distances are Gower-style (numbers scaled by their range, categories equal
or not), over {priv["rows_compared"]} synthetic rows against {priv["train_rows"]} train and
{priv["holdout_rows"]} holdout rows.</p>"""
    fig, ax = plt.subplots(figsize=(7, 2.6))
    top = float(max(np.max(priv["dcr_train"], initial=0), np.max(priv["dcr_holdout"], initial=0))) or 1.0
    bins = np.linspace(0, top, 40)
    ax.hist(priv["dcr_train"], bins=bins, alpha=0.55, color=_REAL, label="to closest train row")
    ax.hist(priv["dcr_holdout"], bins=bins, alpha=0.55, color="#2ca02c", label="to closest holdout row")
    ax.set_xlabel("distance of a synthetic row to the closest real row", fontsize=8)
    ax.legend(fontsize=8)
    ax.tick_params(labelsize=7)
    return text + _png(fig)


def render(report, title: str) -> str:
    """The report's page (see the module docstring)."""
    scores = report.scores
    cards = [_card("overall", scores["overall"]), _card("Column Shapes", scores["column_shapes"]),
             _card("Column Pair Trends", scores["column_pair_trends"]),
             _card("null similarity", scores["null_similarity"])]
    if "cardinality" in scores:
        cards += [_card("Cardinality", scores["cardinality"]), _card("Intertable Trends", scores["intertable_trends"]),
                  _card("FK validity", scores["fk_validity"], "{:.1%}")]
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{_esc(title)}</title>"
             f"<style>{_CSS}</style></head><body><h1>{_esc(title)}</h1>",
             "<p class='note'>Fidelity scores run from 0 to 1 (1: the synthetic data is indistinguishable by that "
             "measure). Column Shapes compare each column's distribution (KS complement for numbers and dates, TV "
             "complement for categories); Column Pair Trends compare correlations and contingency tables of pairs "
             "with a real association; overall is their mean (with Cardinality and Intertable Trends for several "
             "tables).</p>", f"<div class='cards'>{''.join(cards)}</div>"]
    for name, table in report.tables.items():
        fid = table["fidelity"]
        parts.append(f"<h2>{_esc(name)}: {table['rows_real']} real rows, {table['rows_synthetic']} synthetic</h2>")
        parts.append(f"<div class='cards'>{_card('overall', fid['overall'])}"
                     f"{_card('Column Shapes', fid['column_shapes'])}"
                     f"{_card('Column Pair Trends', fid['column_pair_trends'])}"
                     f"{_card('pairs scored', len(fid['pairs']), '{:d}')}</div>")
        if name in report.real and name in report.synthetic:
            parts.append(_distributions(report.real[name], report.synthetic[name], fid))
            parts.append(_correlations(report.real[name], report.synthetic[name], fid))
        worst = sorted(fid["pairs"], key=lambda p: p["score"])[:8]
        if worst:
            rows = "".join(f"<tr><td>{_esc(' × '.join(p['columns']))}</td><td>{_esc(p['metric'])}</td>"
                           f"<td>{p['real']:.2f}</td><td>{p['synthetic']:.2f}</td><td>{p['score']:.3f}</td></tr>"
                           for p in worst)
            parts.append("<h3>Weakest pair trends</h3><table><tr><th>pair</th><th>metric</th><th>real</th>"
                         f"<th>synthetic</th><th>score</th></tr>{rows}</table>")
    if report.relationships:
        parts.append("<h2>Relationships</h2>")
        rows = "".join(f"<tr><td>{_esc(r['child'])}.{_esc(', '.join(r['columns']))} → {_esc(r['parent'])}</td>"
                       f"<td>{r['cardinality']:.3f}</td><td>{r['intertable_trends']:.3f}</td>"
                       f"<td>{r['fk_validity']:.1%}</td></tr>" for r in report.relationships)
        parts.append("<table><tr><th>foreign key</th><th>Cardinality</th><th>Intertable Trends</th>"
                     f"<th>FK validity</th></tr>{rows}</table>")
        parts.append(_fanouts(report))
    if report.privacy is not None:
        parts.append(f"<h2>Privacy ({_esc(report.privacy.get('table', ''))}, on a held-out half)</h2>")
        parts.append(_privacy(report.privacy))
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p)
