import os

import nbformat
import pytest

from scaling_course.course import cli, notebooks
from scaling_course.course.environment import check_environment


def test_environment_report_is_ok_here():
    report = check_environment()
    assert report.ok, report.problems
    assert "torch" in report.versions and report.cpu_count >= 1


def test_environment_report_flags_missing_and_old_packages():
    report = check_environment({"numpy": "999.0", "surely_not_installed_pkg": "1.0"})
    assert not report.ok
    assert any("older" in p for p in report.problems)
    assert any("not installed" in p for p in report.problems)
    assert "Fix:" in str(report)


def test_check_env_command(capsys):
    assert cli.main(["check-env"]) == 0
    assert "Everything the course needs" in capsys.readouterr().out


def test_course_layout(course_root):
    assert notebooks.course_root(course_root / "tests") == course_root
    names = notebooks.assignments(course_root)
    assert names[:2] == ["00-welcome", "01-polynomials"]
    for name in names:
        assert notebooks.notebook_path(name, notebooks.LESSONS, course_root).is_file()


def test_course_root_outside_a_clone_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(notebooks, "__file__", str(tmp_path / "pkg" / "course" / "notebooks.py"))
    with pytest.raises(FileNotFoundError, match="clone"):
        notebooks.course_root(tmp_path)


def test_lab_command_allows_root_only_for_root(course_root, monkeypatch):
    target = notebooks.notebook_path("00-welcome", notebooks.WORKSPACE, course_root)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    cmd = notebooks.lab_command(course_root, target)
    assert "--allow-root" in cmd and "workspace/00-welcome/00-welcome.ipynb" in cmd
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert "--allow-root" not in notebooks.lab_command(course_root, target)


def test_workspace_copies_lessons_but_never_overwrites(tmp_path):
    for kind in (notebooks.SOLUTIONS, notebooks.LESSONS):
        path = tmp_path / kind / "00-welcome" / "00-welcome.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nbformat.v4.new_notebook(), path)
    (tmp_path / "nbgrader_config.py").write_text("")
    copied = notebooks.prepare_workspace(tmp_path)
    mine = notebooks.notebook_path("00-welcome", notebooks.WORKSPACE, tmp_path)
    assert copied == [mine]
    mine.write_text("my work")
    assert notebooks.prepare_workspace(tmp_path) == []
    assert mine.read_text() == "my work"


def test_run_notebooks_rejects_unknown_profile(capsys):
    with pytest.raises(SystemExit):
        cli.main(["run-notebooks", "--profile", "enormous"])


def test_build_lessons_rejects_unknown_assignment(capsys):
    assert cli.main(["build-lessons", "99-nothing"]) == 2
    assert "only must be one of '00-welcome'" in capsys.readouterr().err


@pytest.mark.parametrize("argv, jupyter_args", [
    (["lab"], []),
    (["lab", "--no-browser", "--port", "8899"], ["--no-browser", "--port", "8899"]),
    (["lab", "--", "--no-browser"], ["--no-browser"]),
])
def test_lab_hands_jupyter_its_own_options(argv, jupyter_args):
    args = cli.parse(argv)
    assert args.command == "lab" and args.jupyter_args == jupyter_args


def test_other_commands_still_refuse_unknown_options(capsys):
    with pytest.raises(SystemExit):
        cli.parse(["check-env", "--no-browser"])
    assert "unrecognized arguments: --no-browser" in capsys.readouterr().err



@pytest.mark.parametrize("command", ["sweep params", "references"])
@pytest.mark.parametrize("workers", ["-1", "0", "two"])
def test_workers_must_be_a_whole_number_of_at_least_one(command, workers, capsys):
    with pytest.raises(SystemExit):
        cli.parse([*command.split(), "--workers", workers])
    assert "--workers: must be a whole number >= 1" in capsys.readouterr().err


def test_ctrl_c_ends_a_command_with_a_line_not_a_traceback(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "_check_env", interrupted)
    assert cli.main(["check-env"]) == 130
    assert capsys.readouterr().err.strip() == "scaling-course check-env: interrupted"


def test_a_learner_alone_can_read_the_model_answer_and_a_class_release_cannot(monkeypatch, capsys):
    from scaling_course.course import notebooks
    shown = notebooks.model_answer("04-scaling-data")
    assert shown.data.startswith("**Model answer**") and "four" in shown.data
    def nowhere(start=None):
        raise FileNotFoundError("no course folder")
    monkeypatch.setattr(notebooks, "course_root", nowhere)
    assert notebooks.model_answer("04-scaling-data") is None
    assert notebooks.NO_MODEL_ANSWER in capsys.readouterr().out
