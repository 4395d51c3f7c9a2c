"""Range references in formula text, resized when a region's last data row moves.

``=SUM(E2:E31)`` below a 30-row region becomes ``=SUM(E2:E101)`` when the region grows to 100 rows;
``=Customers!$A$2:$A$13`` (a validation list of customer ids) follows the Customers region the same
way. Only ranges that start at a region's header or first data row and end at its last data row are
resized, so running totals (``=SUM($D$2:D2)``) and unrelated ranges stay as they are::

    >>> resize_ranges("=SUM(E2:E31)", "Orders", [RegionMove("Orders", 1, 6, 1, 2, 31, 101)])
    '=SUM(E2:E101)'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["RegionMove", "resize_ranges"]

_RANGE = re.compile(r"(?P<sheet>(?:'[^']+'|[A-Za-z_][\w.]*)!)?(?P<d1>\$?)(?P<c1>[A-Z]{1,3})(?P<e1>\$?)(?P<r1>\d+)"
                    r":(?P<d2>\$?)(?P<c2>[A-Z]{1,3})(?P<e2>\$?)(?P<r2>\d+)(?![\w(])")


@dataclass(frozen=True)
class RegionMove:
    sheet: str
    min_col: int
    max_col: int
    header_row: int
    first_row: int
    old_last: int
    new_last: int


def resize_ranges(formula: str, sheet: str, moves: Sequence[RegionMove]) -> str:
    """``formula`` (on ``sheet``) with every range over a moved region's data rows resized."""
    if ":" not in formula:
        return formula
    from openpyxl.utils import column_index_from_string

    def replace(m: re.Match) -> str:
        target = (m["sheet"] or "").rstrip("!").strip("'") or sheet
        c1, c2 = column_index_from_string(m["c1"]), column_index_from_string(m["c2"])
        r1, r2 = int(m["r1"]), int(m["r2"])
        for move in moves:
            if (move.sheet == target and move.min_col <= c1 <= c2 <= move.max_col
                    and r1 in (move.header_row, move.first_row) and r2 == move.old_last and r2 != move.new_last):
                last = max(move.new_last, r1)
                return f"{m['sheet'] or ''}{m['d1']}{m['c1']}{m['e1']}{r1}:{m['d2']}{m['c2']}{m['e2']}{last}"
        return m[0]

    return _RANGE.sub(replace, formula)
