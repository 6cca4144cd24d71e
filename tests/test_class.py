"""A whole class, played from the instructor guide: the commands in docs/instructors.md, run as written.

In a temporary course with its own exchange, three students (one perfect, one who hands in the untouched lesson,
one with a wrong answer in every exercise) fetch and submit lesson 02 through nbgrader's exchange; the instructor
collects, autogrades, grades a written answer through nbgrader's API, releases feedback the students fetch, and
regrades. Students are simulated in one account: their commands run through a ``nbgrader`` that reports the
student's name as the account name, which is where nbgrader takes a submitter's identity from.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from scaling_course.course import authoring, notebooks

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "instructors.md"
LESSON = "02-tiny-models"
STUDENTS = ("alice", "bob", "carol")     # perfect, untouched, wrong everywhere

# what the guide's Python block grades, and with how many points
GRADED_BY_HAND = ("alice", 2)

STUDENT_NBGRADER = f"""#!{sys.executable}
import os, sys
import nbgrader.utils
nbgrader.utils.get_osusername = lambda: os.environ["CLASS_TEST_STUDENT"]
from nbgrader.apps.nbgraderapp import main
sys.exit(main())
"""


def guide_blocks() -> list[tuple[str, str]]:
    """(language, code) of every fenced block in the guide, in order."""
    return re.findall(r"```(\w+)\n(.*?)```", GUIDE.read_text(), re.S)


def _block(language: str, must_contain: str, nth: int = 0) -> str:
    found = [code for lang, code in guide_blocks() if lang == language and must_contain in code]
    assert len(found) > nth, f"the guide has no {language} block with {must_contain!r}"
    return found[nth]


def _bash(code: str, cwd: Path, env: dict) -> str:
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, f"in {cwd}:\n{code}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    return done.stdout + done.stderr


def _wrong_everywhere(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    namespace: dict = {}
    path = ROOT / "tests" / "wrong_answers" / f"{LESSON}.py"
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    nb = nbformat.from_dict(json.loads(json.dumps(solution)))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in namespace["WRONG_ANSWERS"]:
            cell.source = namespace["WRONG_ANSWERS"][grade_id][0].strip()
    return nb


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """The class played from the guide; returns the folders and the gradebook's scores after each stage."""
    base = tmp_path_factory.mktemp("class")
    course, exchange, bin_dir = base / "course", base / "exchange", base / "student-bin"
    (course / notebooks.SOLUTIONS).mkdir(parents=True)
    shutil.copytree(ROOT / notebooks.SOLUTIONS / LESSON, course / notebooks.SOLUTIONS / LESSON)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    # `source .venv/bin/activate` in the guide: here it activates the environment running the tests
    (course / ".venv" / "bin").mkdir(parents=True)
    (course / ".venv" / "bin" / "activate").write_text(f'export PATH="{Path(sys.executable).parent}:$PATH"\n')
    (course / "roster.csv").write_text("id,first_name,last_name,email\n" + "".join(
        f"{s},{s.title()},Student,{s}@example.org\n" for s in STUDENTS))
    bin_dir.mkdir()
    (bin_dir / "nbgrader").write_text(STUDENT_NBGRADER)
    (bin_dir / "nbgrader").chmod(0o755)

    env = {**os.environ, "EXCHANGE": str(exchange), "LESSON": LESSON}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    instructor = lambda must_contain, nth=0: _bash(_block("bash", must_contain, nth), course, env)  # noqa: E731

    def student(name, must_contain):
        home = base / name
        home.mkdir(exist_ok=True)
        student_env = {**env, "CLASS_TEST_STUDENT": name, "PATH": f"{bin_dir}{os.pathsep}{env['PATH']}"}
        return _bash(_block("bash", must_contain), home, student_env)

    instructor("db student import")
    instructor("release_assignment")
    solution = nbformat.read(notebooks.notebook_path(LESSON, notebooks.SOLUTIONS, course), as_version=4)
    for name in STUDENTS:
        student(name, "fetch_assignment")
        fetched = base / name / LESSON / f"{LESSON}.ipynb"
        assert fetched.is_file(), f"{name} fetched nothing"
        if name == "alice":
            nbformat.write(solution, fetched)
        elif name == "carol":
            nbformat.write(_wrong_everywhere(solution), fetched)
        student(name, "nbgrader submit")
    instructor("nbgrader collect")

    def scores():
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            return {name: {grade.name: (grade.score, grade.needs_manual_grade)
                           for grade in gradebook.find_submission_notebook(LESSON, LESSON, name).grades}
                    for name in STUDENTS}

    after_autograde = scores()
    code = _block("python", "manual_score")
    subprocess.run([sys.executable, "-c", code], cwd=course, env=env, check=True, timeout=120)
    after_manual = scores()
    instructor("release_feedback")
    for name in STUDENTS:
        student(name, "fetch_feedback")
    instructor("nbgrader generate_assignment \"$LESSON\" --force\nnbgrader autograde", 0)
    return {"base": base, "course": course, "solution": solution, "after_autograde": after_autograde,
            "after_manual": after_manual, "after_regrade": scores()}


def test_the_perfect_student_gets_every_autograded_point_and_the_written_one_waits(played):
    exercises = authoring.exercises(played["solution"])
    alice = played["after_autograde"]["alice"]
    assert all(alice[test_cell] == (points, False) for test_cell, points in exercises.values()), alice
    assert alice["reflection"] == (0, True)          # an answer is there: nbgrader leaves it to the instructor


def test_an_untouched_lesson_scores_zero_everywhere_with_nothing_left_to_grade(played):
    assert all(score == 0 and not manual for score, manual in played["after_autograde"]["bob"].values())


def test_a_wrong_answer_in_every_exercise_loses_every_autograded_point(played):
    exercises = authoring.exercises(played["solution"])
    carol = played["after_autograde"]["carol"]
    assert all(carol[test_cell] == (0, False) for test_cell, _ in exercises.values()), carol


def test_the_written_answer_graded_through_the_api_counts(played):
    name, points = GRADED_BY_HAND
    assert played["after_manual"][name]["reflection"] == (points, False)
    total = sum(score for score, _ in played["after_manual"][name].values())
    assert total == sum(p for _, p in authoring.exercises(played["solution"]).values()) + points


def test_every_student_fetched_feedback(played):
    for name in STUDENTS:
        assert list((played["base"] / name / LESSON / "feedback").rglob(f"{LESSON}.html")), name


def test_regrading_keeps_every_score_and_asks_again_for_the_written_answers(played):
    # as the guide says: autograde keeps a grade given by hand, but marks the written answer for grading again
    name, points = GRADED_BY_HAND
    for student in STUDENTS:
        regraded, before = dict(played["after_regrade"][student]), dict(played["after_manual"][student])
        if student == name:
            assert regraded.pop("reflection") == (points, True) and before.pop("reflection") == (points, False)
        assert regraded == before, student


def test_the_guide_states_each_lessons_points_as_the_notebooks_award_them():
    rows = {lesson: tuple(map(int, points)) for lesson, *points in
            re.findall(r"^\| (\d\d-[\w-]+) \| (\d+) \| (\d+) \| (\d+) \|$", GUIDE.read_text(), re.M)}
    assert set(rows) == set(notebooks.assignments(ROOT))
    for lesson, (auto, by_hand, total) in rows.items():
        nb = nbformat.read(notebooks.notebook_path(lesson, notebooks.SOLUTIONS, ROOT), as_version=4)
        assert auto == sum(points for _, points in authoring.exercises(nb).values()), lesson
        assert by_hand == sum(authoring.written_answers(nb).values()), lesson
        assert total == auto + by_hand, lesson


def test_the_readme_links_the_guide():
    assert "docs/instructors.md" in (ROOT / "README.md").read_text()
