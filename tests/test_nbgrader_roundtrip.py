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
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from scaling_course import authoring, course

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = course.assignments(ROOT)

# Plausible wrong answers, by exercise id: each must cost the exercise its points.
WRONG_ANSWERS = {
    "training-flops": "def training_flops(n_params, n_tokens):\n    return 2 * n_params * n_tokens",
    "tokens-per-parameter": "def tokens_per_parameter(n_params, n_tokens):\n    return n_params / n_tokens",
    "near-chinchilla": "def near_chinchilla(models, factor=2.0):\n    return [m.name for m in models]",
    "design-matrix": "def design_matrix(x, degree):\n    return np.vander(np.asarray(x, float), degree + 1)",
    "fit-polynomial": "def fit_polynomial(x, y, degree):\n    return np.polyfit(x, y, degree)",
    "errors-by-degree": (
        "def errors_by_degree(x_train, y_train, x_test, y_test, degrees):\n"
        "    train, test = [], []\n"
        "    for d in degrees:\n"
        "        coef = fit_polynomial(x_test, y_test, d)\n"   # fitted on the test data: leaks
        "        train.append(np.mean((predict(coef, x_train) - y_train) ** 2))\n"
        "        test.append(np.mean((predict(coef, x_test) - y_test) ** 2))\n"
        "    return np.array(train), np.array(test)"
    ),
    "scale-question": 'scale_answer = "a"',
}


def _nbgrader(*args, cwd):
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _replace_cell(nb, grade_id, source):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))   # deep copy
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    cell.source = source
    return nb


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    """Generate, submit and autograde one assignment; return everything the tests inspect."""
    assignment = request.param
    root = tmp_path_factory.mktemp(f"course-{assignment}")
    shutil.copytree(ROOT / course.SOLUTIONS / assignment, root / course.SOLUTIONS / assignment)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    _nbgrader("generate_assignment", assignment, "--force", cwd=root)

    solution = nbformat.read(course.notebook_path(assignment, course.SOLUTIONS, root), as_version=4)
    lesson = nbformat.read(course.notebook_path(assignment, course.LESSONS, root), as_version=4)
    stubs = {c.metadata["nbgrader"]["grade_id"]: c.source for c in lesson.cells if "nbgrader" in c.metadata}
    exercises = authoring.exercises(solution)

    students = {"solution": solution, "blank": lesson}
    for exercise in exercises:
        students[f"blank-{exercise}"] = _replace_cell(solution, exercise, stubs[exercise])
        if exercise in WRONG_ANSWERS:
            students[f"wrong-{exercise}"] = _replace_cell(solution, exercise, WRONG_ANSWERS[exercise])
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
    return {"assignment": assignment, "root": root, "exercises": exercises, "scores": scores}


def _total(scores):
    return sum(score for score, _ in scores.values()), sum(top for _, top in scores.values())


def test_committed_lesson_equals_generated(graded):
    assignment = graded["assignment"]
    generated = json.loads(course.notebook_path(assignment, course.LESSONS, graded["root"]).read_text())
    committed = json.loads(course.notebook_path(assignment, course.LESSONS, ROOT).read_text())
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
    tried = [e for e in graded["exercises"] if e in WRONG_ANSWERS]
    assert tried, "no wrong answer defined for this lesson's exercises"
    for exercise in tried:
        test_cell, points = graded["exercises"][exercise]
        assert graded["scores"][f"wrong-{exercise}"][test_cell] == (0, points), exercise
