"""The nbgrader conventions of the course's notebooks, read back (for course authors and the tests).

nbgrader refuses ``### BEGIN SOLUTION`` in a cell without ``nbgrader.solution: true`` and hidden
tests outside a grade cell, so every exercise and test cell carries its metadata. Conventions the
course's tests rely on:

* an exercise is a *solution* cell with ``grade_id`` = the exercise id, e.g. ``design-matrix``;
* its autograder tests are one *grade* cell with ``grade_id`` = ``test-<exercise id>`` and points;
* a written answer (a reflection) is a markdown *solution* cell that is also a *grade* cell, with
  points and no test cell: nbgrader leaves it for the instructor to grade by hand;
* the first code cell is tagged ``parameters`` (papermill overrides it).

Author a new lesson in JupyterLab with nbgrader's "Create Assignment" cell toolbar, then check it
with :func:`exercises`.
"""

from __future__ import annotations

__all__ = []

TEST_PREFIX = "test-"


def graded_cells(nb) -> dict[str, dict]:
    """``grade_id -> nbgrader metadata`` for every nbgrader cell of a notebook."""
    return {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]
            for cell in nb.cells if "nbgrader" in cell.metadata}


def exercises(nb) -> dict[str, tuple[str, float]]:
    """``exercise id -> (test cell id, points)`` for every exercise with its test cell."""
    cells = graded_cells(nb)
    return {gid: (TEST_PREFIX + gid, cells[TEST_PREFIX + gid]["points"])
            for gid, meta in cells.items() if meta.get("solution") and TEST_PREFIX + gid in cells}


def written_answers(nb) -> dict[str, float]:
    """``grade id -> points`` for every answer graded by hand (a solution cell that is its own grade cell)."""
    return {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
            for cell in nb.cells if "nbgrader" in cell.metadata
            and cell.metadata["nbgrader"].get("solution") and cell.metadata["nbgrader"].get("grade")}
