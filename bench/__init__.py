"""Speed benchmarks. Each ``bench_*.py`` module has a ``main()`` that measures a baseline and
the fast path in the same run and prints their ratio (machines are shared and noisy, so
absolute timings mean little). Run them all with ``python -m bench`` or one with
``python -m bench fit``.
"""

import os

from scaling_course.course import notebooks


def chosen_lessons() -> list[str]:
    """The course's assignments, or those whose names start with a prefix listed in
    ``BENCH_LESSONS`` (e.g. ``BENCH_LESSONS=03,04``)."""
    prefixes = [p for p in os.environ.get("BENCH_LESSONS", "").split(",") if p]
    return [a for a in notebooks.assignments(notebooks.course_root())
            if not prefixes or any(a.startswith(p) for p in prefixes)]
