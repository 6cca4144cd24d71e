"""A laptop sweep on a busy machine: lesson 03's live training beside one other CPU-bound process.

A learner's machine is rarely idle. Lesson 03 at `laptop` trains the small parity widths (up to
7) and text widths (up to 40) live, each sweep as the lesson gathers it, with an empty cache.
This times that twice in one run: on the quiet machine (the baseline), and beside one
busy-loop process, which takes one core's worth of time.

Target: beside the busy process the sweeps take at most 2.5x their quiet time (one core's worth
of competition on two cores should cost at most 2x).

    python -m bench busy
"""

import subprocess
import sys
import tempfile
import time

from scaling_course.engine.sweep import run_sweep
from scaling_course.syllabus.profiles import get_profile
from scaling_course.syllabus.sweeps import standard

SWEEPS = ("params", "params-text")
TARGET_RATIO = 2.5


def live_sweeps_seconds() -> float:
    """Lesson 03's live sweeps at laptop, each as its own sweep, from an empty cache."""
    laptop = get_profile("laptop")
    started = time.perf_counter()
    for name in SWEEPS:
        sweep = standard(name)
        configs = [c for c in sweep.design(laptop) if sweep.live_at_laptop(c, laptop)]
        run_sweep(configs, cache=tempfile.mkdtemp(prefix="bench-busy-"), progress=False, description=name)
    return time.perf_counter() - started


def main() -> None:
    quiet = live_sweeps_seconds()
    print(f"lesson 03's live sweeps at laptop, quiet machine: {quiet:.1f} s", flush=True)
    busy_loop = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        busy = live_sweeps_seconds()
    finally:
        busy_loop.kill()
        busy_loop.wait()
    ratio = busy / quiet
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"beside one busy process: {busy:.1f} s, {ratio:.2f}x the quiet time "
          f"(target <= {TARGET_RATIO}x: {verdict})", flush=True)


if __name__ == "__main__":
    main()
