"""How long each solution notebook takes top to bottom, at `ci` and `laptop`.

Baseline, measured in the same run: an empty notebook (kernel start and shutdown only).
Targets: lessons 00-01 under 30 s at `ci` and 2 minutes at `laptop`; later lessons under
60 s at `ci` and 5 minutes at `laptop`, each with an empty run cache (a fresh
``SCALING_COURSE_CACHE`` per notebook), as a learner's first run has. And every cell that says
before it trains how long the same runs took ("took about N s") takes at most 1.25 times that
(on a quiet machine; the estimate itself is what the shipped runs took).

    python -m bench notebooks                          # every lesson at ci and laptop
    BENCH_LESSONS=03,04 python -m bench notebooks      # some lessons (assignment prefixes)
"""

import os
import re
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat

from scaling_course.course import notebooks

from . import chosen_lessons

TARGETS = {"ci": (30, 60), "laptop": (120, 300)}   # seconds for lessons 00-01, for later lessons
ESTIMATE_MARGIN = 1.25                             # a training cell may take this much over what it said
ESTIMATE = re.compile(r"the same runs took about (\d+) s")


def estimates_against_times(executed: Path) -> list[tuple[str, float, float]]:
    """(cell id, seconds it said its training would take, seconds the cell took) for each cell of an
    executed notebook that printed a time estimate."""
    found = []
    for cell in nbformat.read(executed, as_version=4).cells:
        printed = "".join(o.get("text", "") for o in cell.get("outputs", []))
        said = sum(float(s) for s in ESTIMATE.findall(printed))
        timing = cell.get("metadata", {}).get("execution", {})
        if said and "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            took = (datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
                    - datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))).total_seconds()
            found.append((cell.get("id", "?"), said, took))
    return found


def _empty_notebook_seconds() -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "empty.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("pass")]
        nbformat.write(nb, path)
        return notebooks.run_notebook(path, profile="ci").seconds


def main(profiles=("ci", "laptop")) -> None:
    root = notebooks.course_root()
    cache_before = os.environ.get("SCALING_COURSE_CACHE")
    baseline = _empty_notebook_seconds()
    print(f"baseline: empty notebook {baseline:.1f} s")
    print(f"{'notebook':<22} {'profile':<7} {'seconds':>8} {'x baseline':>11} {'target':>7}  verdict")
    for assignment in chosen_lessons():
        early = int(assignment[:2]) <= 1
        for profile in profiles:
            with tempfile.TemporaryDirectory() as cache:
                os.environ["SCALING_COURSE_CACHE"] = cache          # the kernel inherits it: nothing cached
                executed = Path(cache) / "executed.ipynb"
                start = time.perf_counter()
                run = notebooks.run_notebook(notebooks.notebook_path(assignment, notebooks.SOLUTIONS, root),
                                             profile=profile, output=executed)
                seconds = time.perf_counter() - start
                promises = estimates_against_times(executed)
            target = TARGETS[profile][0 if early else 1]
            verdict = "FAILED" if not run.ok else ("ok" if seconds < target else "SLOW")
            print(f"{assignment:<22} {profile:<7} {seconds:8.1f} {seconds / baseline:11.1f} {target:7d}  {verdict}",
                  flush=True)
            for cell, said, took in promises:
                ratio = took / said
                print(f"  {cell}: said its training would take about {said:.0f} s, took {took:.1f} s "
                      f"({ratio:.2f}x its estimate)  {'ok' if ratio <= ESTIMATE_MARGIN else 'SLOWER THAN SAID'}",
                      flush=True)
    if cache_before is None:
        os.environ.pop("SCALING_COURSE_CACHE", None)
    else:
        os.environ["SCALING_COURSE_CACHE"] = cache_before


if __name__ == "__main__":
    main()
