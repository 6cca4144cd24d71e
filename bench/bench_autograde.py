"""How long ``nbgrader autograde`` takes for one submission of each lesson.

Each lesson is graded in a temporary copy of the course: ``generate_assignment``, then the
worked solution submitted by one student, then ``autograde`` timed. Baseline, measured in the
same run: autograding a one-cell notebook (nbgrader's own start-up, the gradebook and one
kernel). Target: under 60 s per submission (graded cells never train; under nbgrader the
notebooks run at the ``grading`` profile).

    python -m bench autograde                        # every lesson
    BENCH_LESSONS=03,04 python -m bench autograde    # some lessons (assignment prefixes)
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from scaling_course.course import notebooks

from . import chosen_lessons

TARGET_SECONDS = 60


def _nbgrader(*args: str, cwd: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=True, text=True,
                          env=notebooks.with_scripts_on_path(os.environ))
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def autograde_seconds(assignment: str, source: Path, root: Path) -> float:
    """Generate ``assignment`` from ``source`` in the course ``root``, submit the source notebook
    as one student's work, and return the seconds ``nbgrader autograde`` takes."""
    shutil.copytree(source.parent, root / notebooks.SOLUTIONS / assignment)
    shutil.copy(notebooks.course_root() / "nbgrader_config.py", root)
    _nbgrader("generate_assignment", assignment, "--force", cwd=root)
    submitted = root / "submitted" / "student" / assignment / f"{assignment}.ipynb"
    submitted.parent.mkdir(parents=True)
    shutil.copy(root / notebooks.SOLUTIONS / assignment / source.name, submitted)
    started = time.perf_counter()
    _nbgrader("autograde", assignment, "--force", cwd=root)
    return time.perf_counter() - started


def main() -> None:
    root = notebooks.course_root()
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "source" / "empty" / "empty.ipynb"
        empty.parent.mkdir(parents=True)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("pass")]
        nbformat.write(nb, empty)
        (Path(folder) / "baseline").mkdir()
        baseline = autograde_seconds("empty", empty, Path(folder) / "baseline")
    print(f"baseline: autograde of a one-cell notebook {baseline:.1f} s")
    print(f"{'lesson':<22} {'seconds':>8} {'x baseline':>11} {'target':>7}  verdict")
    for assignment in chosen_lessons():
        with tempfile.TemporaryDirectory() as folder:
            seconds = autograde_seconds(assignment, notebooks.notebook_path(assignment, notebooks.SOLUTIONS, root),
                                        Path(folder))
        verdict = "ok" if seconds < TARGET_SECONDS else "SLOW"
        print(f"{assignment:<22} {seconds:8.1f} {seconds / baseline:11.1f} {TARGET_SECONDS:7d}  {verdict}",
              flush=True)


if __name__ == "__main__":
    main()
