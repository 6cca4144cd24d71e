"""Run-size profiles: how much work each notebook does.

Every notebook starts with a cell tagged ``parameters``::

    profile = None   # "ci", "laptop" or "full"; None reads SCALING_COURSE_PROFILE

and then calls ``get_profile(profile)``. papermill can override the cell
(``papermill in.ipynb out.ipynb -p profile ci``), a learner can edit it, and an
environment variable sets it for a whole session.

Which profile wins, first match:

1. ``grading`` while nbgrader executes the notebook (it sets ``NBGRADER_EXECUTION``), whatever
   the notebook asks for, so that autograding never trains anything large and a student who
   chose a profile is graded exactly like one who did not;
2. the name passed to :func:`get_profile` (the notebook's ``parameters`` cell);
3. the ``SCALING_COURSE_PROFILE`` environment variable;
4. ``laptop``.
"""

from __future__ import annotations

__all__ = ["PROFILES", "Profile", "as_profile", "get_profile", "profile_named"]

import os
from dataclasses import dataclass, fields

from scaling_course.validation import check_choice, check_instance, check_positive_int

ENV_VAR = "SCALING_COURSE_PROFILE"
DEFAULT_PROFILE = "laptop"
GRADING = "grading"            # the profile nbgrader runs at
_OVERRIDDEN: set[str] = set()  # what notebooks asked for under nbgrader (repr), each reported once


@dataclass(frozen=True)
class Profile:
    """Sizes of the experiments a notebook runs. Larger profiles give smoother curves."""

    name: str
    repeats: int = 30          # random draws behind each Monte-Carlo median (lesson 01)
    max_features: int = 500    # largest feature count in the double-descent sweep (lesson 01)
    sweep_points: int = 40     # points on a swept axis, e.g. feature counts (lesson 01)
    description: str = ""
    # Training sweeps (lessons 03-06, scaling_course.syllabus.sweeps):
    train_sizes: int = 8       # model sizes (or dataset sizes) in a standard sweep
    train_seeds: int = 3       # seeds per size in the sparse-parity sweep
    mlp_steps: int = 6000      # optimiser steps of each sparse-parity run
    lm_steps: int = 1500       # optimiser steps of each language-model run
    resamples: int = 200       # bootstrap refits behind every interval a lesson prints

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type == "int":
                check_positive_int(value, f"Profile.{f.name}")

    def __str__(self) -> str:
        return f"profile {self.name!r}: {self.description}"


PROFILES: dict[str, Profile] = {
    "grading": Profile(
        "grading", repeats=3, max_features=60, sweep_points=10,
        train_sizes=3, train_seeds=1, mlp_steps=100, lm_steps=30, resamples=20,
        description="smallest sizes, used automatically under nbgrader",
    ),
    "ci": Profile(
        "ci", repeats=5, max_features=100, sweep_points=14,
        train_sizes=4, train_seeds=1, mlp_steps=300, lm_steps=60, resamples=50,
        description="seconds per notebook; for tests and quick demos",
    ),
    "laptop": Profile(
        "laptop", repeats=30, max_features=500, sweep_points=40,
        train_sizes=8, train_seeds=3, mlp_steps=6000, lm_steps=1500,
        description="1-3 minutes per notebook on a 2-core laptop (the default)",
    ),
    "full": Profile(
        "full", repeats=100, max_features=1000, sweep_points=60,
        train_sizes=11, train_seeds=5, mlp_steps=12000, lm_steps=4000, resamples=1000,
        description="smoothest curves; tens of minutes per notebook",
    ),
}


def get_profile(name: str | None = None) -> Profile:
    """Return the run-size profile to use (see the module docstring for the order of precedence).

    >>> get_profile("ci").name
    'ci'
    """
    if os.environ.get("NBGRADER_EXECUTION"):      # whatever the cell says, even a misspelt name
        asked = name.strip().lower() if isinstance(name, str) else name
        if asked not in (None, GRADING) and repr(asked) not in _OVERRIDDEN:
            _OVERRIDDEN.add(repr(asked))
            print(f"Grading: nbgrader runs every notebook at the {GRADING!r} profile; profile = {asked!r} is ignored.")
        return PROFILES[GRADING]
    if name is None:
        return PROFILES[check_choice(os.environ.get(ENV_VAR) or DEFAULT_PROFILE, ENV_VAR, PROFILES)]
    return profile_named(name, where=f"profile (set in the notebook's parameters cell or with {ENV_VAR}=...)")


def profile_named(name: str, where: str = "profile") -> Profile:
    """The profile called ``name``, whatever the session runs at: for results that belong to a profile
    (``reference_results("data", "laptop")`` reads laptop's runs even while nbgrader grades at ``grading``).

    >>> profile_named("full").lm_steps
    4000
    """
    check_instance(name, where, str, "a string such as 'laptop'")
    return PROFILES[check_choice(name.strip().lower(), where, PROFILES)]


def as_profile(profile: str | Profile | None) -> Profile:
    """``profile`` as a Profile: itself, the one it names (:func:`profile_named`), or for None the one this
    session runs at (:func:`get_profile`)."""
    if isinstance(profile, Profile):
        return profile
    return get_profile() if profile is None else profile_named(profile)
