"""Test configuration: keep Jupyter, IPython and matplotlib state out of the user's home."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_STATE = Path(tempfile.mkdtemp(prefix="scaling-course-tests-"))
for var in ("IPYTHONDIR", "MPLCONFIGDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR"):
    os.environ[var] = str(_STATE / var.lower())
os.environ["MPLBACKEND"] = "Agg"
os.environ["SCALING_COURSE_CACHE"] = str(_STATE / "cache")
os.environ.pop("SCALING_COURSE_PROFILE", None)
os.environ.pop("NBGRADER_EXECUTION", None)
# nbgrader shells out to `alembic`, which must be found on PATH next to this interpreter.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture(scope="session")
def course_root() -> Path:
    return ROOT
