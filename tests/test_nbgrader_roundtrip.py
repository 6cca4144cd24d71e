"""The nbgrader round trip, in a temporary copy of the course, for every lesson.

* ``lessons/`` equals what ``nbgrader generate_assignment`` makes from ``solutions/``;
* the worked solution scores full marks;
* the untouched lesson scores zero, without crashing the grader;
* blanking exercises loses their points and only theirs: two submissions blank alternate exercises (every pair of
  neighbours is split between them), and test_wrong_answers.py runs each exercise's untouched stub, in one kernel,
  against every exercise's tests (through nbgrader, one submission per exercise cost minutes of CI);
* a plausible wrong answer loses its exercise's points too: one submission answers every exercise wrongly and loses
  every exercise's points (that each wrong answer costs only its own exercise is checked in one kernel, for every
  wrong answer, by test_wrong_answers.py; through nbgrader one submission per exercise cost minutes of CI);
* a student who sets a profile in the parameters cell, and deletes a test cell, gets the solution's grade;
* written answers wait for the instructor, and an untouched one scores zero.
"""

import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from scaling_course.course import authoring, notebooks

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = notebooks.assignments(ROOT)

WRONG_ANSWERS_DIR = Path(__file__).parent / "wrong_answers"
# "full" trains for minutes at every lesson: graded at it, a notebook would time out; nbgrader grades at "grading"
PROFILES_A_STUDENT_MIGHT_SET = ("full",)
NO_WRITTEN_ANSWER = ("00-welcome", "01-polynomials")    # the first lessons end with a self-checked question
# An exercise whose function never returns, graded on its own and timed: it must cost that exercise only, and the
# grader about two minutes at most (the per-cell limits of scaling_course/checks/timing.py).
LOOPING = {"00-welcome": ("training-flops", "def training_flops(n_params, n_tokens):\n    while True:\n        pass")}
LOOP_SECONDS_AT_MOST = 150


def wrong_answers(assignment: str) -> dict[str, str]:
    """The first plausible wrong answer of each exercise of one lesson, by exercise id: each must cost the exercise
    its points. They live in tests/wrong_answers/<assignment>.py as a dict WRONG_ANSWERS of lists."""
    path = WRONG_ANSWERS_DIR / f"{assignment}.py"
    if not path.exists():
        return {}
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return {exercise: codes[0].strip() for exercise, codes in namespace["WRONG_ANSWERS"].items()}


def _nbgrader(*args, cwd):
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _replace_cell(nb, grade_id, source):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))   # deep copy
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    cell.source = source
    return nb


def _with_profile(nb, profile):
    """The notebook with its parameters cell set to ``profile``, as a student might edit it."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    cell.source = f"profile = {profile!r}"
    return nb


def _without_first_test(nb, exercises):
    """The notebook with its first exercise's test cell deleted."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    first_test = next(iter(exercises.values()))[0]
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != first_test]
    return nb


BLANKED = {"odd": 0, "even": 1}     # blank the 1st, 3rd, ... exercise in one submission; the 2nd, 4th, ... in another


def _grade(assignment, root):
    """Generate, submit and autograde one assignment in ``root``; return everything the tests inspect."""
    shutil.copytree(ROOT / notebooks.SOLUTIONS / assignment, root / notebooks.SOLUTIONS / assignment)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    _nbgrader("generate_assignment", assignment, "--force", cwd=root)

    solution = nbformat.read(notebooks.notebook_path(assignment, notebooks.SOLUTIONS, root), as_version=4)
    lesson = nbformat.read(notebooks.notebook_path(assignment, notebooks.LESSONS, root), as_version=4)
    stubs = {c.metadata["nbgrader"]["grade_id"]: c.source for c in lesson.cells if "nbgrader" in c.metadata}
    exercises = authoring.exercises(solution)
    written = authoring.written_answers(solution)
    wrong = wrong_answers(assignment)

    students = {"solution": solution, "blank": lesson}
    for profile in PROFILES_A_STUDENT_MIGHT_SET:
        # one notebook for two liberties a student may take: a profile of their own and a deleted test cell
        students[f"solution-{profile}"] = _without_first_test(_with_profile(solution, profile), exercises)
    for parity, blanked in BLANKED.items():
        nb = solution
        for exercise in list(exercises)[blanked::2]:
            nb = _replace_cell(nb, exercise, stubs[exercise])
        students[f"blank-{parity}"] = nb
    every_wrong = solution
    for exercise, code in wrong.items():
        every_wrong = _replace_cell(every_wrong, exercise, code)
    students["wrong"] = every_wrong
    for student, nb in students.items():
        path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)

    _nbgrader("autograde", assignment, "--force", cwd=root)
    loop_seconds = None
    if assignment in LOOPING:
        exercise, code = LOOPING[assignment]
        student = f"loop-{exercise}"
        students[student] = _replace_cell(solution, exercise, code)
        path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(students[student], path)
        started = time.monotonic()
        _nbgrader("autograde", assignment, f"--student={student}", "--force", cwd=root)
        loop_seconds = time.monotonic() - started
    scores, by_hand = {}, {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for student in students:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
            scores[student] = {grade.name: (grade.score, grade.max_score) for grade in notebook.grades
                               if grade.name not in written}
            by_hand[student] = {grade.name: (grade.auto_score, grade.needs_manual_grade, grade.max_score)
                                for grade in notebook.grades if grade.name in written}
    return {"assignment": assignment, "root": root, "exercises": exercises, "scores": scores, "wrong": wrong,
            "written": written, "by_hand": by_hand, "loop_seconds": loop_seconds}


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


def _only_these_exercises_lost(graded, student, lost):
    """The student lost the points of the exercises in ``lost`` and kept every other exercise's: a mistake costs
    its own exercise only."""
    scores, full = graded["scores"][student], graded["scores"]["solution"]
    lost_cells = {graded["exercises"][exercise][0] for exercise in lost}
    for exercise in lost:
        test_cell, points = graded["exercises"][exercise]
        assert scores[test_cell] == (0, points), f"{student}: {exercise} {scores[test_cell]}"
    others = {cell: score for cell, score in scores.items() if cell not in lost_cells}
    assert others == {cell: score for cell, score in full.items() if cell not in lost_cells}, \
        f"{student} also cost other exercises: {others}"


def test_blanking_exercises_loses_their_points_and_no_others(graded):
    for parity, blanked in BLANKED.items():
        _only_these_exercises_lost(graded, f"blank-{parity}", list(graded["exercises"])[blanked::2])


def test_wrong_answers_lose_their_points(graded):
    missing = sorted(set(graded["exercises"]) - set(graded["wrong"]))
    assert not missing, f"add a plausible wrong answer for {missing} to tests/wrong_answers/{graded['assignment']}.py"
    scores = graded["scores"]["wrong"]
    kept = {exercise: scores[test_cell] for exercise, (test_cell, points) in graded["exercises"].items()
            if scores[test_cell] != (0, points)}
    assert not kept, f"wrong answers nbgrader gave points to: {kept}"


@pytest.mark.parametrize("graded", list(LOOPING), indirect=True)
def test_an_endless_loop_costs_its_exercise_and_a_bounded_grading_time(graded):
    exercise, _ = LOOPING[graded["assignment"]]
    _only_these_exercises_lost(graded, f"loop-{exercise}", [exercise])
    assert graded["loop_seconds"] < LOOP_SECONDS_AT_MOST, graded["loop_seconds"]


def test_written_answers_wait_for_the_instructor_and_a_blank_one_scores_zero(graded):
    assert graded["assignment"] in NO_WRITTEN_ANSWER or graded["written"], "lessons 02-05 end with a graded reflection"
    for grade_id, points in graded["written"].items():
        assert graded["by_hand"]["solution"][grade_id] == (None, True, points)   # an answer: graded by hand
        assert graded["by_hand"]["blank"][grade_id] == (0, False, points)        # unchanged: nbgrader gives 0


def test_a_student_who_sets_a_profile_and_deletes_a_test_gets_the_same_grade(graded):
    # nbgrader grades at the grading profile whatever the notebook says, and puts the deleted test cell back
    for profile in PROFILES_A_STUDENT_MIGHT_SET:
        assert graded["scores"][f"solution-{profile}"] == graded["scores"]["solution"], profile
