"""Every notebook is committed clean, carries valid nbgrader metadata, and its solution runs at `ci`."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from scaling_course.course import authoring, notebooks
from scaling_course.course.kernels import KERNEL_MANAGER

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = notebooks.assignments(ROOT)
NOTEBOOKS = [notebooks.notebook_path(a, kind, ROOT) for a in ASSIGNMENTS for kind in (notebooks.SOLUTIONS, notebooks.LESSONS)]


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def test_every_solution_has_a_lesson():
    assert ASSIGNMENTS, "no notebooks found"
    lessons = sorted(p.name for p in (ROOT / notebooks.LESSONS).iterdir() if p.is_dir())
    assert lessons == ASSIGNMENTS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text())
    dirty = [i for i, c in enumerate(nb["cells"]) if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_first_code_cell_is_the_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", [])
    assert re.search(r"^profile = None", first.source, re.M)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nbgrader_metadata(assignment):
    nb = nbformat.read(notebooks.notebook_path(assignment, notebooks.SOLUTIONS, ROOT), as_version=4)
    cells = authoring.graded_cells(nb)
    exercises = authoring.exercises(nb)
    assert len(exercises) >= 3, "each lesson has at least three graded exercises"
    written = authoring.written_answers(nb)
    for grade_id, meta in cells.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", grade_id), f"unreadable grade_id {grade_id!r}"
        if meta["grade"]:
            assert meta.get("points", 0) > 0, f"graded cell {grade_id} carries no points"
        if grade_id in written:         # an answer graded by hand: a markdown cell, its own grade cell
            assert re.fullmatch(r"reflection(-[a-z]+)*", grade_id) and meta["solution"], grade_id
            continue
        if meta["grade"]:
            assert grade_id.startswith(authoring.TEST_PREFIX)
        if meta["solution"]:
            assert grade_id in exercises, f"exercise {grade_id} has no test cell named test-{grade_id}"
    reflections = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("reflection")]
    assert all(c.cell_type == "markdown" for c in reflections)
    for cell in nb.cells:
        if "BEGIN SOLUTION" in cell.source:
            assert cell.metadata.get("nbgrader", {}).get("solution"), "solution region outside a solution cell"
        if "BEGIN HIDDEN TESTS" in cell.source:
            assert cell.metadata.get("nbgrader", {}).get("grade"), "hidden tests outside a test cell"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_lessons_hide_solutions_and_hidden_tests(assignment):
    text = notebooks.notebook_path(assignment, notebooks.LESSONS, ROOT).read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text


# Run first in the kernel: every figure the notebook draws (plt.show, a returned figure, an explorer's
# redraw) is checked for colliding labels as it is rendered, at the size JupyterLab shows it.
LAYOUT_CHECK = """\
import matplotlib.backend_bases as _backend_bases
from scaling_course.lessons.plots import layout_problems as _layout_problems
_print_figure = _backend_bases.FigureCanvasBase.print_figure
def _print_checked_figure(self, *args, **kwargs):
    _problems = _layout_problems(self.figure)
    print(f"[layout check] {len(_problems)} problem(s)" + "".join(f"\\n  problem: {p}" for p in _problems))
    return _print_figure(self, *args, **kwargs)
_backend_bases.FigureCanvasBase.print_figure = _print_checked_figure
"""


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_runs_top_to_bottom_at_ci(assignment, tmp_path):
    papermill = pytest.importorskip("papermill")
    source = notebooks.notebook_path(assignment, notebooks.SOLUTIONS, ROOT)
    checked = nbformat.read(source, as_version=4)
    checked.cells.insert(0, nbformat.v4.new_code_cell(LAYOUT_CHECK, id="layout-check"))
    nbformat.write(checked, tmp_path / "with-layout-check.ipynb")
    out = tmp_path / source.name
    # A per-cell limit, so a stuck cell fails the test instead of stalling the whole run; the
    # course's kernel manager keeps a missed wake-up from stalling a cell (scaling_course.course.kernels).
    papermill.execute_notebook(str(tmp_path / "with-layout-check.ipynb"), str(out), parameters={"profile": "ci"},
                               kernel_name="python3",
                               cwd=str(source.parent), progress_bar=False, execution_timeout=300,
                               kernel_manager_class=KERNEL_MANAGER)
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "profile = \"ci\"" in injected[0].source
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "profile 'ci'" in printed
    assert "❌" not in printed, "a self-check failed on the worked solution"
    assert printed.count("✅") >= 3, "the self-checks did not run"
    figures = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert printed.count("[layout check]") >= figures, "a figure was shown without its layout check"
    problems = [line.strip() for line in printed.splitlines() if line.strip().startswith("problem:")]
    assert not problems, f"figures with colliding labels: {problems}"
