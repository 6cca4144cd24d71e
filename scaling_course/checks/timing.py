"""Time limits on a learner's code: in a self-check, and on every cell while nbgrader grades a notebook.

A function that never returns must not cost a student, or the grader, more than about two minutes. Self-checks
stop the learner's code after :data:`CHECK_SECONDS` (:data:`CHECK_SECONDS_GRADING` while grading). While nbgrader
executes a notebook (it sets ``NBGRADER_EXECUTION``), importing the package also puts a limit on every cell:
:data:`CELL_SECONDS`, and once cut-off cells have used up :data:`NOTEBOOK_SECONDS` between them,
:data:`LATE_CELL_SECONDS` for each cell after that. An honest notebook runs in seconds at the grading profile
and never meets these limits; nbgrader's own per-cell timeout (``nbgrader_config.py``) stays as a backstop.

The limits use a timer signal, which interrupts loops and sleeps in the main thread; where there is none
(Windows) code runs without them.
"""

from __future__ import annotations

__all__ = ["CELL_SECONDS", "CHECK_SECONDS", "CHECK_SECONDS_GRADING", "GradingTimeLimit", "LATE_CELL_SECONDS",
           "NOTEBOOK_SECONDS", "TimeUp", "time_limit"]

import contextlib
import os
import signal
import threading
import time

from scaling_course.validation import check_positive_number

CHECK_SECONDS = 30.0           # a self-check stops the learner's code after this long
CHECK_SECONDS_GRADING = 10.0   # ... and after this long while nbgrader grades (an exercise takes well under 1 s)
CELL_SECONDS = 30.0            # while grading, no cell may run longer (a whole honest notebook takes ~5-15 s)
NOTEBOOK_SECONDS = 60.0        # while grading, cut-off cells may use this much time between them ...
LATE_CELL_SECONDS = 10.0       # ... and after that each cell gets this long


class TimeUp(BaseException):
    """Raised inside code that ran past its time limit. A BaseException, so that a learner's own
    ``except Exception`` cannot swallow it."""


def _usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float, message: str = "time is up"):
    """Raise :class:`TimeUp` in the code inside after ``seconds``. Nests: when an enclosing limit ends first it
    fires as it would have, and otherwise it goes on afterwards with the time spent inside taken off."""
    check_positive_number(seconds, "seconds")
    outer_left = signal.getitimer(signal.ITIMER_REAL)[0] if _usable() else 0.0
    if not _usable() or 0 < outer_left <= seconds:
        yield
        return

    def time_up(signum, frame):
        raise TimeUp(message)
    previous = signal.signal(signal.SIGALRM, time_up)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 1e-3))


def grading() -> bool:
    """Whether nbgrader is executing this notebook."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


class GradingTimeLimit:
    """The per-cell limit while grading, as IPython ``pre_run_cell`` / ``post_run_cell`` callbacks."""

    def __init__(self, cell_seconds: float = CELL_SECONDS, notebook_seconds: float = NOTEBOOK_SECONDS,
                 late_cell_seconds: float = LATE_CELL_SECONDS):
        self.cell_seconds = check_positive_number(cell_seconds, "cell_seconds")
        self.late_cell_seconds = check_positive_number(late_cell_seconds, "late_cell_seconds")
        self.budget_left = check_positive_number(notebook_seconds, "notebook_seconds")
        self._limit = None

    def pre_run_cell(self, info=None) -> None:
        seconds = self.cell_seconds if self.budget_left > 0 else self.late_cell_seconds
        self._limit = time_limit(seconds, f"this cell ran for {seconds:g} s, the most a cell may take while the "
                                          "notebook is graded: look for a loop that never ends")
        self._started = time.monotonic()
        self._limit.__enter__()

    def post_run_cell(self, result=None) -> None:
        if self._limit is None:
            return
        self._limit.__exit__(None, None, None)
        self._limit = None
        if result is not None and isinstance(getattr(result, "error_in_exec", None), TimeUp):
            self.budget_left -= time.monotonic() - self._started

    def install(self, shell) -> "GradingTimeLimit":
        shell.events.register("pre_run_cell", self.pre_run_cell)
        shell.events.register("post_run_cell", self.post_run_cell)
        return self


def install_while_grading() -> GradingTimeLimit | None:
    """Put the per-cell limit on this notebook if nbgrader is grading it inside IPython (once per kernel)."""
    if not grading() or not _usable():
        return None
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "_scaling_course_time_limit", None) is not None:
        return None
    shell._scaling_course_time_limit = GradingTimeLimit().install(shell)
    return shell._scaling_course_time_limit
