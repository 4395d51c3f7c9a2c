"""The ``alembic.plugins`` entry point: Alembic calls :func:`setup` when it is imported.

It registers ``op.seed`` / ``op.seed_rows`` and the schema journal (:mod:`alembic_ext.journal`);
nothing else, and nothing of the generation pipeline is imported until an operation runs. By hand
(e.g. an Alembic older than 1.18, which has no plugins)::

    from alembic.runtime.plugins import Plugin
    import alembic_ext.plugin
    Plugin.setup_plugin_from_module(alembic_ext.plugin, "syda")

Calling it again changes nothing::

    >>> from alembic.operations import Operations
    >>> setup(); setup()
    >>> hasattr(Operations, "seed"), hasattr(Operations, "seed_rows")
    (True, True)
"""

from __future__ import annotations

from typing import Any

__all__ = ["setup"]


def setup(plugin: Any = None) -> None:
    """Register the operations and the journal (safe to call more than once)."""
    from alembic.operations import Operations

    from . import journal, toimpl
    from .ops import SeedOp, SeedRowsOp

    Operations.register_operation("seed")(SeedOp)
    Operations.register_operation("seed_rows")(SeedRowsOp)
    Operations.implementation_for(SeedOp, replace=True)(toimpl.seed)
    Operations.implementation_for(SeedRowsOp, replace=True)(toimpl.seed_rows)
    journal.install()
