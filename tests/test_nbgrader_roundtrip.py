"""The nbgrader round trip, in a temporary copy of the course, for every lesson.

* ``lessons/`` equals what ``nbgrader generate_assignment`` makes from ``solutions/``;
* the worked solution scores full marks;
* the untouched lesson scores zero, without crashing the grader;
* blanking any one exercise in the solution loses that exercise's points;
* a plausible wrong answer to an exercise loses its points too.
"""

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from scaling_course.course import authoring, notebooks

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = notebooks.assignments(ROOT)

WRONG_ANSWERS_DIR = Path(__file__).parent / "wrong_answers"


def wrong_answers(assignment: str) -> dict[str, str]:
    """Plausible wrong answers for one lesson, by exercise id: each must cost the exercise its points.
    They live in tests/wrong_answers/<assignment>.py as a dict WRONG_ANSWERS."""
    path = WRONG_ANSWERS_DIR / f"{assignment}.py"
    if not path.exists():
        return {}
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return {exercise: code.strip() for exercise, code in namespace["WRONG_ANSWERS"].items()}


def _nbgrader(*args, cwd):
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _replace_cell(nb, grade_id, source):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))   # deep copy
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    cell.source = source
    return nb


def _grade(assignment, root):
    """Generate, submit and autograde one assignment in ``root``; return everything the tests inspect."""
    shutil.copytree(ROOT / notebooks.SOLUTIONS / assignment, root / notebooks.SOLUTIONS / assignment)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    _nbgrader("generate_assignment", assignment, "--force", cwd=root)

    solution = nbformat.read(notebooks.notebook_path(assignment, notebooks.SOLUTIONS, root), as_version=4)
    lesson = nbformat.read(notebooks.notebook_path(assignment, notebooks.LESSONS, root), as_version=4)
    stubs = {c.metadata["nbgrader"]["grade_id"]: c.source for c in lesson.cells if "nbgrader" in c.metadata}
    exercises = authoring.exercises(solution)
    wrong = wrong_answers(assignment)

    students = {"solution": solution, "blank": lesson}
    for exercise in exercises:
        students[f"blank-{exercise}"] = _replace_cell(solution, exercise, stubs[exercise])
        if exercise in wrong:
            students[f"wrong-{exercise}"] = _replace_cell(solution, exercise, wrong[exercise])
    for student, nb in students.items():
        path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)

    _nbgrader("autograde", assignment, "--force", cwd=root)
    scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for student in students:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
            scores[student] = {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}
    return {"assignment": assignment, "root": root, "exercises": exercises, "scores": scores, "wrong": wrong}


@pytest.fixture(scope="module")
def all_graded(request, tmp_path_factory):
    """Every selected assignment graded, two at a time: each lives in its own temporary course."""
    selected = sorted({item.callspec.params["graded"] for item in request.session.items
                       if hasattr(item, "callspec") and "graded" in item.callspec.params})
    roots = {a: tmp_path_factory.mktemp(f"course-{a}") for a in selected}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {a: pool.submit(_grade, a, roots[a]) for a in selected}
        return {a: future.result() for a, future in futures.items()}


@pytest.fixture(params=ASSIGNMENTS)
def graded(request, all_graded):
    return all_graded[request.param]


def _total(scores):
    return sum(score for score, _ in scores.values()), sum(top for _, top in scores.values())


def test_committed_lesson_equals_generated(graded):
    assignment = graded["assignment"]
    generated = json.loads(notebooks.notebook_path(assignment, notebooks.LESSONS, graded["root"]).read_text())
    committed = json.loads(notebooks.notebook_path(assignment, notebooks.LESSONS, ROOT).read_text())
    assert committed == generated, f"lessons/{assignment} is stale: run `make lessons` and commit the result"


def test_solution_scores_full_marks(graded):
    score, top = _total(graded["scores"]["solution"])
    assert top > 0 and score == top, graded["scores"]["solution"]


def test_untouched_lesson_scores_zero(graded):
    score, top = _total(graded["scores"]["blank"])
    assert top > 0 and score == 0, graded["scores"]["blank"]


def test_blanking_an_exercise_loses_its_points(graded):
    for exercise, (test_cell, points) in graded["exercises"].items():
        scores = graded["scores"][f"blank-{exercise}"]
        assert scores[test_cell] == (0, points), f"blank {exercise}: {scores[test_cell]}"


def test_wrong_answers_lose_their_points(graded):
    missing = sorted(set(graded["exercises"]) - set(graded["wrong"]))
    assert not missing, f"add a plausible wrong answer for {missing} to tests/wrong_answers/{graded['assignment']}.py"
    tried = list(graded["exercises"])
    for exercise in tried:
        test_cell, points = graded["exercises"][exercise]
        assert graded["scores"][f"wrong-{exercise}"][test_cell] == (0, points), exercise
