"""scaling_course: the helper package of the "Scale Is All You Need?" course.

The notebooks do the thinking; this package does the plumbing, in layers that each import only
those below them (import contracts in pyproject.toml keep it so):

* ``course/``    the course on disk: notebooks, headless runs, nbgrader authoring, the CLI;
* ``lessons/``   one module per lesson, named like its notebook, and ``checks/`` their self-checks;
* ``syllabus/``  the course's experiments: profiles, the standard sweeps, shipped results;
* ``engine/``    the only torch: tiny models, data, the training loop, sweeps and their cache;
* ``science/``   numpy and scipy only: scaling-law fits, the published laws, a simulator.

Importing it is cheap: torch is imported only by the modules that train.
"""

from .checks import check, progress
from .syllabus.profiles import Profile, get_profile
from .version import __version__

__all__ = ["__version__", "check", "get_profile", "Profile", "progress"]
