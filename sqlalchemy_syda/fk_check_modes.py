"""The ``fk_checks`` option: its modes, and the per-table decision the planner records (no SQL here).

``"row"`` leaves foreign keys to the database's per-row checks; ``"bulk"`` drops a table's foreign keys
for the load and re-adds them at its end (PostgreSQL only: see :mod:`.dialects.postgresql`);
``"auto"`` does so only for big loads::

    >>> check_fk_mode("auto", "postgresql")
    >>> wants_bulk_checks("auto", dialect="postgresql", new_rows=50_000, existing_rows=0, has_foreign_keys=True)
    True
    >>> wants_bulk_checks("auto", dialect="postgresql", new_rows=500, existing_rows=0, has_foreign_keys=True)
    False
    >>> wants_bulk_checks("bulk", dialect="sqlite", new_rows=50_000, existing_rows=0, has_foreign_keys=True)
    False
"""

from __future__ import annotations

from .exceptions import PlanError

__all__ = ["AUTO_MIN_ROWS", "BULK_CHECK_DIALECTS", "FK_CHECK_MODES", "check_fk_mode", "wants_bulk_checks"]

FK_CHECK_MODES = ("auto", "row", "bulk")
BULK_CHECK_DIALECTS = ("postgresql",)
"""Databases that can re-check, with one statement, every row of a foreign key they did not check per row."""
AUTO_MIN_ROWS = 10_000
"""``"auto"`` checks a table's foreign keys in bulk from this many new rows on (and only when the new rows are
at least as many as those already there, since ``ADD CONSTRAINT`` validates the whole table)."""


def check_fk_mode(mode: str, dialect: str | None) -> None:
    """Refuse an unknown ``fk_checks`` value, and ``"bulk"`` where the database cannot re-check skipped rows."""
    if mode not in FK_CHECK_MODES:
        raise PlanError(f"fk_checks={mode!r}; choose one of {', '.join(map(repr, FK_CHECK_MODES))}.")
    if mode == "bulk" and dialect is not None and dialect not in BULK_CHECK_DIALECTS:
        raise PlanError(f"fk_checks='bulk' needs PostgreSQL (this is {dialect}): other databases cannot re-check "
                        "a foreign key they skipped. Use fk_checks='auto' or 'row'.")


def wants_bulk_checks(mode: str, *, dialect: str | None, new_rows: int, existing_rows: int,
                      has_foreign_keys: bool) -> bool:
    """Whether a table's foreign keys are checked in bulk (the decision ``plan_seed`` records per table)."""
    if mode == "row" or dialect not in BULK_CHECK_DIALECTS or not has_foreign_keys or not new_rows:
        return False
    return mode == "bulk" or (new_rows >= AUTO_MIN_ROWS and new_rows >= existing_rows)
