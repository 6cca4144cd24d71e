"""The student release: lessons and a wheel of the package, with no solution, no hidden test and no path back to them."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scaling_course.course import cli, notebooks
from scaling_course.course.release import check_student_release

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    folder = tmp_path_factory.mktemp("release") / "class"
    assert cli.main(["student-release", str(folder)]) == 0
    return folder


def test_the_release_holds_the_lessons_a_wheel_and_a_readme(release):
    files = sorted(str(p.relative_to(release)) for p in release.rglob("*") if p.is_file())
    lessons = [f"lessons/{a}/{a}.ipynb" for a in notebooks.assignments(ROOT)]
    (wheel,) = [f for f in files if f.endswith(".whl")]
    assert files == sorted(lessons + [wheel, "README.md"])
    assert f"pip install {wheel}" in (release / "README.md").read_text()
    for lesson in lessons:
        assert (release / lesson).read_bytes() == (ROOT / lesson).read_bytes()


def test_the_wheel_holds_only_the_package(release):
    (wheel,) = release.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert all(name.startswith(("scaling_course/", "scaling_course-")) for name in names)
    assert not [name for name in names if "solutions" in name or name.startswith("tests/") or name.endswith(".ipynb")]


def test_installed_from_the_wheel_the_package_cannot_find_the_solutions(release, tmp_path):
    (wheel,) = release.glob("*.whl")
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    probe = ("import scaling_course, sys\n"
             "from scaling_course.course.notebooks import course_root\n"
             "assert scaling_course.__file__.startswith(sys.argv[1]), scaling_course.__file__\n"
             "try:\n    course_root()\nexcept FileNotFoundError:\n    print('no course folder')\n")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "site")], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(tmp_path / "site")})
    assert done.returncode == 0 and done.stdout.strip() == "no course folder", done.stderr


def test_the_check_refuses_a_notebook_with_a_hidden_test_or_a_wheel_with_the_tests(tmp_path):
    solution = ROOT / "solutions" / "01-polynomials" / "01-polynomials.ipynb"
    leaked = tmp_path / "lessons" / "01-polynomials.ipynb"
    leaked.parent.mkdir()
    leaked.write_text(solution.read_text())
    with pytest.raises(RuntimeError, match="instructor material"):
        check_student_release([leaked])
    wheel = tmp_path / "scaling_course-0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("scaling_course/__init__.py", "")
        archive.writestr("tests/test_nbgrader_roundtrip.py", "")
    with pytest.raises(RuntimeError, match="not the package"):
        check_student_release([wheel])


def test_a_release_never_overwrites_a_folder(tmp_path, capsys):
    (tmp_path / "class").mkdir()
    assert cli.main(["student-release", str(tmp_path / "class")]) == 2
    assert "out_dir must be a folder that does not exist yet" in capsys.readouterr().err
    assert os.listdir(tmp_path / "class") == []
