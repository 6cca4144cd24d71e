"""Time limits on learner code: nested limits, and the per-cell limit while nbgrader grades a notebook."""

import time

import pytest
from IPython.core.interactiveshell import InteractiveShell

from scaling_course.checks import timing
from scaling_course.checks.timing import GradingTimeLimit, TimeUp, time_limit


def _spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_limit_stops_a_loop_and_an_except_exception_cannot_swallow_it():
    started = time.monotonic()
    with pytest.raises(TimeUp):
        with time_limit(0.2):
            while True:
                try:
                    _spin(10)
                except Exception:      # what a learner might write around a loop
                    pass
    assert time.monotonic() - started < 1.0


def test_limits_nest_whichever_ends_first_fires_and_the_outer_one_goes_on():
    with pytest.raises(TimeUp, match="outer"):
        with time_limit(0.5, "outer"):
            with pytest.raises(TimeUp, match="inner"):
                with time_limit(0.1, "inner"):
                    _spin(10)
            _spin(10)                       # the outer limit still stops this
    started = time.monotonic()
    with pytest.raises(TimeUp, match="outer"):
        with time_limit(0.2, "outer"):
            with time_limit(5.0, "inner"):  # longer than what is left outside: the outer one fires
                _spin(10)
    assert time.monotonic() - started < 1.0


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def test_while_grading_each_cell_is_cut_off_and_a_looping_notebook_costs_a_bounded_time(shell):
    GradingTimeLimit(cell_seconds=1.0, notebook_seconds=1.5, late_cell_seconds=0.1).install(shell)
    assert shell.run_cell("x = 1 + 1").success and shell.user_ns["x"] == 2
    results, seconds = [], []
    for _ in range(5):
        started = time.monotonic()
        results.append(shell.run_cell("while True:\n    pass"))
        seconds.append(time.monotonic() - started)
    assert all(isinstance(r.error_in_exec, TimeUp) for r in results)
    # the first two cells are cut at 1 s and use up the notebook's 1.5 s; every later one gets 0.1 s
    assert seconds[0] >= 1.0 and seconds[1] >= 1.0, seconds
    assert all(s < 0.8 for s in seconds[2:]), seconds
    assert shell.run_cell("y = 2").success          # an honest cell after them still runs


def test_the_limit_is_installed_only_while_nbgrader_grades(shell, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert timing.install_while_grading() is None
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    installed = timing.install_while_grading()
    assert installed is not None and timing.install_while_grading() is None     # once per kernel
    assert installed.cell_seconds == timing.CELL_SECONDS
