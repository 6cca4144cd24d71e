"""Run the speed benchmarks of a course checkout (``bench/``) from the ``scaling-course`` command.

The benchmarks live beside the package, not inside it (they are for developers and
instructors, not learners), so this runs ``python -m bench NAME ...`` in the checkout's root
with the current interpreter.
"""

from __future__ import annotations

__all__ = ["run_benchmarks"]

import subprocess
import sys

from scaling_course.validation import check_choice, check_list_of

from .notebooks import course_root


def run_benchmarks(names: list[str] | None = None) -> int:
    """Run the named benchmarks (default: all) and return the exit status."""
    root = course_root()
    if not (root / "bench" / "__main__.py").is_file():
        raise FileNotFoundError(f"no bench/ folder in {root}; benchmarks need a clone of the repository")
    if names is not None:
        available = sorted(path.stem.removeprefix("bench_") for path in (root / "bench").glob("bench_*.py"))
        names = [check_choice(name, "names", available) for name in check_list_of(names, "names", str)]
    return subprocess.call([sys.executable, "-m", "bench", *(names or [])], cwd=root)
