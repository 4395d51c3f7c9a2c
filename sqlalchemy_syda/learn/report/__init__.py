"""The quality and privacy report: fidelity (:mod:`.fidelity`), privacy on a holdout (:mod:`.privacy`),
the :class:`Report` (:mod:`.report`) and its HTML page (:mod:`.html`).

Re-exports only.
"""

from .fidelity import column_pair_trends, column_shapes, fidelity, null_similarity
from .privacy import privacy
from .report import Report, holdout_report, quality_report

__all__ = ["Report", "column_pair_trends", "column_shapes", "fidelity", "holdout_report", "null_similarity",
           "privacy", "quality_report"]
