"""The row engine: a table's recipe run over any range of rows, as named collaborators.

- :mod:`.keys` — where foreign keys point (key sources: a parent's engine, existing rows, both, virtual);
- :mod:`.parents` — which parent row each child row gets (cardinality, one-to-one, self-references);
- :mod:`.joint` — composite UNIQUE keys drawn jointly from a permutation of their domains;
- :mod:`.repairs` — rows drawn again (values already taken, failing CHECKs, keys verified row by row);
- :mod:`.free_slots` — new UNIQUE values next to rows already in the table (the permutation slots left);
- :mod:`.key_repairs` — foreign keys moved (NULL, swapped, other parents) for a CHECK that relates them;
- :mod:`.rows` — :class:`RowEngine`, which runs a recipe over a row range with the others.

Engines are built by :func:`sqlalchemy_syda.run.engines_for` (and the small helpers next to it)::

    >>> from examples.crm_models import Customer
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.run import engines_for
    >>> plan = plan_seed(table_specs([Customer]), {"customers": 5})
    >>> engines_for(plan)["customers"].key_values(["id"], np.arange(3))
    [array([1, 2, 3])]
"""

from .keys import ArrayKeys, CombinedKeys, KeySource, VirtualKeys
from .rows import RowEngine

__all__ = ["ArrayKeys", "CombinedKeys", "KeySource", "RowEngine", "VirtualKeys"]
