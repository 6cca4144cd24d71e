"""How long each solution notebook takes top to bottom, at `ci` and `laptop`.

Baseline, measured in the same run: an empty notebook (kernel start and shutdown only).
Targets: lessons 00-01 under 30 s at `ci` and 2 minutes at `laptop`; later lessons under
60 s at `ci` and 5 minutes at `laptop`.
"""

import tempfile
import time
from pathlib import Path

import nbformat

from scaling_course import course

TARGETS = {"ci": (30, 60), "laptop": (120, 300)}   # seconds for lessons 00-01, for later lessons


def _empty_notebook_seconds() -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "empty.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("pass")]
        nbformat.write(nb, path)
        return course.run_notebook(path, profile="ci").seconds


def main(profiles=("ci", "laptop")) -> None:
    root = course.course_root()
    baseline = _empty_notebook_seconds()
    print(f"baseline: empty notebook {baseline:.1f} s")
    print(f"{'notebook':<22} {'profile':<7} {'seconds':>8} {'x baseline':>11} {'target':>7}  verdict")
    for assignment in course.assignments(root):
        early = int(assignment[:2]) <= 1
        for profile in profiles:
            start = time.perf_counter()
            run = course.run_notebook(course.notebook_path(assignment, course.SOLUTIONS, root), profile=profile)
            seconds = time.perf_counter() - start
            target = TARGETS[profile][0 if early else 1]
            verdict = "FAILED" if not run.ok else ("ok" if seconds < target else "SLOW")
            print(f"{assignment:<22} {profile:<7} {seconds:8.1f} {seconds / baseline:11.1f} {target:7d}  {verdict}",
                  flush=True)


if __name__ == "__main__":
    main()
