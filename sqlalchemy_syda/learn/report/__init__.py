"""The quality and privacy report: fidelity (:mod:`.fidelity`) and privacy on a holdout.

Re-exports only.
"""

from .fidelity import column_pair_trends, column_shapes, fidelity, null_similarity

__all__ = ["column_pair_trends", "column_shapes", "fidelity", "null_similarity"]
