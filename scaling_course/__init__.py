"""scaling_course: the helper package of the "Scale Is All You Need?" course.

The notebooks do the thinking; this package does the plumbing: data, tiny models,
training and sweeps, scaling-law fits, plots, widgets and the learners' self-checks.
Importing it is cheap: torch is imported only by the modules that train.
"""

__version__ = "0.1.0"

from .checks import check
from .profiles import Profile, get_profile

__all__ = ["__version__", "check", "get_profile", "Profile"]
