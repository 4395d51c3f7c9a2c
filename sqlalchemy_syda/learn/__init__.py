"""Learning from real data: profiles, sampling, and the quality and privacy report.

::

    >>> from sqlalchemy_syda import learn, Profile
    >>> profile = learn(penguins, name="penguins")      # a DataFrame, a file, a database ...
    >>> profile.sample(4, seed=1)[["species", "island", "body_mass_g", "sex"]]
      species     island  body_mass_g     sex
    0  Adelie  Torgersen       4125.0    male
    1  Adelie     Biscoe       4575.0  female
    2  Adelie      Dream       4400.0    male
    3  Adelie  Torgersen       3800.0    male
    >>> path = profile.save(tmp / "penguins.profile.json")
    >>> Profile.load(path).digest == profile.digest
    True

Re-exports only; see :mod:`.profile` (the JSON model), :mod:`.frame` (fitting a table),
:mod:`.engine_inputs` (profile -> the engine's generators), :mod:`.sampling` (``Profile.sample``) and :mod:`.report` (fidelity and privacy).
"""

from .engine_inputs import TableInputs, recipe_inputs
from .profile import FORMAT_VERSION, ColumnProfile, Profile, RelationshipProfile, TableProfile
from .report import Report, holdout_report, quality_report
from .source import learn

__all__ = ["FORMAT_VERSION", "ColumnProfile", "Profile", "RelationshipProfile", "Report", "TableInputs",
           "TableProfile", "holdout_report", "learn", "quality_report", "recipe_inputs"]
