"""Learning from real data: profiles, sampling, and the quality and privacy report.

::

    >>> from sqlalchemy_syda import learn, Profile
    >>> profile = learn(df)                      # a DataFrame, a file, ...
    >>> synthetic = profile.sample(len(df), seed=1)
    >>> profile.save("profile.json"); Profile.load("profile.json")

Re-exports only; see :mod:`.profile` (the JSON model), :mod:`.frame` (fitting a table),
:mod:`.engine_inputs` (profile -> the engine's generators), :mod:`.sampling` (``Profile.sample``) and :mod:`.report` (fidelity and privacy).
"""

from .engine_inputs import TableInputs, recipe_inputs
from .profile import FORMAT_VERSION, ColumnProfile, Profile, RelationshipProfile, TableProfile
from .report import Report, holdout_report, quality_report
from .source import learn

__all__ = ["FORMAT_VERSION", "ColumnProfile", "Profile", "RelationshipProfile", "Report", "TableInputs",
           "TableProfile", "holdout_report", "learn", "quality_report", "recipe_inputs"]
