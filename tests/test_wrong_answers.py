"""Every wrong answer in tests/wrong_answers/, and every exercise's untouched stub, is caught by its exercise's graded
tests and by no other exercise's.

One kernel per lesson runs the worked solution at the grading profile, as nbgrader would; then for each wrong
answer it runs the wrong code, that exercise's test cell (hidden tests included), which must fail, and every other
exercise's test cell, which must still pass; then the right answer again. (test_nbgrader_roundtrip.py grades the
first wrong answer of each exercise through nbgrader itself.)
"""

from __future__ import annotations

import runpy
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from scaling_course.course import authoring, notebooks
from scaling_course.course.kernels import KERNEL_MANAGER

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = notebooks.assignments(ROOT)
AT_LEAST = 3          # wrong answers per exercise


def wrong_answers(assignment: str) -> dict[str, list[str]]:
    path = ROOT / "tests" / "wrong_answers" / f"{assignment}.py"
    return {exercise: [code.strip() for code in codes]
            for exercise, codes in runpy.run_path(str(path))["WRONG_ANSWERS"].items()}


def _passes(client, cell) -> bool:
    try:
        client.execute_cell(cell, 0)
        return True
    except CellExecutionError:
        return False


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_wrong_answer_fails_its_own_tests_and_no_others(assignment, monkeypatch):
    path = notebooks.notebook_path(assignment, notebooks.SOLUTIONS, ROOT)
    nb = nbformat.read(path, as_version=4)
    exercises = authoring.exercises(nb)
    wrong = wrong_answers(assignment)
    assert set(wrong) == set(exercises), f"tests/wrong_answers/{assignment}.py must cover every exercise"
    assert all(len(set(codes)) >= AT_LEAST for codes in wrong.values()), f"at least {AT_LEAST} per exercise"
    lesson = nbformat.read(notebooks.notebook_path(assignment, notebooks.LESSONS, ROOT), as_version=4)
    for cell in lesson.cells:
        exercise = cell.metadata.get("nbgrader", {}).get("grade_id")
        if exercise in wrong and "def " in cell.source:   # a function's stub; a stub that only raises cannot run here
            wrong[exercise].append(cell.source)

    cells = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")           # grading profile and limits, as autograde
    # the patient kernel manager: nbclient's own client can miss a wake-up and sit out a cell's whole timeout
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False,
                            kernel_manager_class=KERNEL_MANAGER, resources={"metadata": {"path": str(path.parent)}})
    missed, cascaded = [], []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)                         # the solution runs cleanly
        for exercise, codes in wrong.items():
            test_cell = cells[exercises[exercise][0]]
            for code in codes:
                client.execute_cell(nbformat.v4.new_code_cell(code), 0)
                if _passes(client, test_cell):
                    missed.append(f"{exercise}: {code.splitlines()[-1].strip()}")
                for other, (other_test, _) in exercises.items():
                    if other != exercise and not _passes(client, cells[other_test]):
                        cascaded.append(f"{exercise} -> {other}: {code.splitlines()[-1].strip()}")
                client.execute_cell(cells[exercise], 0)              # the right answer back
                assert _passes(client, test_cell), f"{exercise}: the solution no longer passes"
    assert not missed, f"wrong answers the graded tests let through: {missed}"
    assert not cascaded, f"wrong answers that cost another exercise too: {cascaded}"

