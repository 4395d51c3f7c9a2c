"""The quality and privacy report: fidelity (:mod:`.fidelity`), privacy on a holdout (:mod:`.privacy`),
the :class:`Report` (:mod:`.report`) and its HTML page (:mod:`.html`).

Re-exports only::

    >>> report = holdout_report(penguins, seed=0)     # learn on half, sample, score against both halves
    >>> sorted(report.scores)
    ['column_pair_trends', 'column_shapes', 'null_similarity', 'overall']
    >>> round(report.scores["overall"], 3), round(report.privacy["dcr_share"], 3)
    (0.908, 0.512)
"""

from .fidelity import column_pair_trends, column_shapes, fidelity, null_similarity
from .privacy import privacy
from .report import Report, holdout_report, quality_report

__all__ = ["Report", "column_pair_trends", "column_shapes", "fidelity", "holdout_report", "null_similarity",
           "privacy", "quality_report"]
