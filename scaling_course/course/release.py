"""What students receive in a class: the lessons and an installable package, never ``solutions/`` or ``tests/``.

``scaling-course student-release DIR`` writes DIR/lessons/ (the generated student notebooks), a wheel of the
package, and a README saying how to install it. It then checks what it wrote: no file may carry a worked solution
or a hidden test, and the wheel may hold nothing but the package. docs/instructors.md explains what a determined
student can still learn from the package.
"""

from __future__ import annotations

__all__ = ["check_student_release", "student_release"]

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from scaling_course.validation import check_instance, check_list_of
from scaling_course.version import __version__

from .notebooks import LESSONS, _root, assignments, notebook_path

#: Text that only instructor notebooks hold: nbgrader's markers around worked solutions and hidden tests.
INSTRUCTOR_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")

STUDENT_README = """# Scale Is All You Need? (student release {version})

Install the course's package into the Python environment you will use for the lessons (torch {torch} is
installed with it if it is not there yet), then open the lessons in JupyterLab:

    pip install {wheel}
    jupyter lab lessons/

Work in each lesson's notebook, run its self-checks as you go, and submit it the way your instructor tells you.
"""


def _pinned_torch() -> str:
    from importlib.metadata import requires

    for requirement in requires("scaling-course") or []:
        if requirement.startswith("torch=="):
            return requirement.removeprefix("torch==")
    return "(as pinned by the package)"


def student_release(out_dir: str | os.PathLike, root: Path | None = None) -> list[Path]:
    """Write the student release into ``out_dir`` (which must not exist yet) and return the files written."""
    out = Path(check_instance(out_dir, "out_dir", (str, os.PathLike), "a folder path that does not exist yet"))
    if out.exists():
        raise ValueError(f"out_dir must be a folder that does not exist yet, got {str(out)!r}, which exists")
    root = _root(root)
    out.mkdir(parents=True)
    for assignment in assignments(root):
        target = out / LESSONS / assignment / f"{assignment}.ipynb"
        target.parent.mkdir(parents=True)
        shutil.copy2(notebook_path(assignment, LESSONS, root), target)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "--wheel-dir", str(out), str(root)], capture_output=True, text=True)
    if built.returncode != 0:
        raise RuntimeError(f"building the package's wheel failed:\n{built.stdout}\n{built.stderr}")
    (wheel,) = out.glob("scaling_course-*.whl")
    (out / "README.md").write_text(STUDENT_README.format(version=__version__, torch=_pinned_torch(),
                                                         wheel=wheel.name))
    written = sorted(path for path in out.rglob("*") if path.is_file())
    check_student_release(written)
    return written


def check_student_release(paths: list[Path]) -> None:
    """A ``RuntimeError`` if a notebook meant for students holds instructor material (see
    :data:`INSTRUCTOR_MARKERS`), or the wheel holds anything but the package (no notebooks, no tests)."""
    paths = [Path(p) for p in check_list_of(paths, "paths", (str, os.PathLike), "file paths")]
    notebooks = {}
    for path in paths:
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as wheel:
                foreign = [name for name in wheel.namelist()
                           if not name.startswith(("scaling_course/", "scaling_course-")) or name.endswith(".ipynb")]
            if foreign:
                raise RuntimeError(f"the wheel {path.name} holds files that are not the package: {foreign[:5]}")
        elif path.suffix == ".ipynb":
            notebooks[str(path)] = path.read_text(errors="replace")
    for name, text in notebooks.items():
        found = [marker for marker in INSTRUCTOR_MARKERS if marker in text]
        if found:
            raise RuntimeError(f"{name} in the student release holds instructor material ({found[0]!r})")
