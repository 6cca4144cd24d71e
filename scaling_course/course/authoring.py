"""Building nbgrader notebooks from Python, with correct metadata (for course authors).

nbgrader refuses ``### BEGIN SOLUTION`` in a cell without ``nbgrader.solution: true`` and hidden
tests outside a grade cell, so every exercise and test cell must carry its metadata. Conventions
the course's tests rely on:

* an exercise is a *solution* cell with ``grade_id`` = the exercise id, e.g. ``design-matrix``;
* its autograder tests are one *grade* cell with ``grade_id`` = ``test-<exercise id>`` and points;
* the first code cell is tagged ``parameters`` (papermill overrides it);
* cell ids are deterministic, so regenerating a notebook gives the same file.

Example::

    nb = notebook("01-polynomials", [
        markdown("# Polynomials"),
        parameters('profile = None'),
        solution("design-matrix", "def design_matrix(x, degree):\\n    ### BEGIN SOLUTION\\n ..."),
        tests("design-matrix", "assert design_matrix([1.0], 0).shape == (1, 1)", points=2),
    ])
"""

from __future__ import annotations

import textwrap

import nbformat

SCHEMA_VERSION = 3
TEST_PREFIX = "test-"


def _clean(source: str) -> str:
    return textwrap.dedent(source).strip("\n")


def markdown(source: str):
    return nbformat.v4.new_markdown_cell(_clean(source))


def code(source: str):
    return nbformat.v4.new_code_cell(_clean(source))


def parameters(source: str):
    """The notebook's first code cell, tagged ``parameters`` for papermill."""
    cell = code(source)
    cell.metadata["tags"] = ["parameters"]
    return cell


def _nbgrader(cell, grade_id: str, *, solution: bool, grade: bool, locked: bool, points: float | None = None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    cell.id = grade_id
    return cell


def solution(exercise_id: str, source: str):
    """An exercise cell: the learner's version keeps everything outside BEGIN/END SOLUTION."""
    if "### BEGIN SOLUTION" not in source:
        raise ValueError(f"exercise {exercise_id!r} has no '### BEGIN SOLUTION' region")
    return _nbgrader(code(source), exercise_id, solution=True, grade=False, locked=False)


def tests(exercise_id: str, source: str, points: float):
    """The autograder test cell of an exercise (locked; may hold BEGIN/END HIDDEN TESTS)."""
    if points <= 0:
        raise ValueError(f"test cell of {exercise_id!r} needs positive points, got {points}")
    return _nbgrader(code(source), TEST_PREFIX + exercise_id, solution=False, grade=True, locked=True,
                     points=points)


def notebook(slug: str, cells: list) -> nbformat.NotebookNode:
    """Assemble cells into a notebook with deterministic cell ids and a Python 3 kernel."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    seen = set()
    for index, cell in enumerate(cells):
        if "nbgrader" not in cell.metadata:
            cell.id = f"{slug}-{index:02d}"
        if cell.id in seen:
            raise ValueError(f"duplicate cell id {cell.id!r} in {slug}")
        seen.add(cell.id)
    nb.cells = list(cells)
    nbformat.validate(nb)
    return nb


def graded_cells(nb) -> dict[str, dict]:
    """``grade_id -> nbgrader metadata`` for every nbgrader cell of a notebook."""
    return {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]
            for cell in nb.cells if "nbgrader" in cell.metadata}


def exercises(nb) -> dict[str, tuple[str, float]]:
    """``exercise id -> (test cell id, points)`` for every exercise with its test cell."""
    cells = graded_cells(nb)
    return {gid: (TEST_PREFIX + gid, cells[TEST_PREFIX + gid]["points"])
            for gid, meta in cells.items() if meta.get("solution") and TEST_PREFIX + gid in cells}
