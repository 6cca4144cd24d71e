"""The learner's lab: the released lessons open read-only and cannot be overwritten, deleted or renamed
from JupyterLab (even as root, where file permissions allow everything); nbgrader's instructor tools are
switched off; the learner's own copies in workspace/ save as usual."""

import asyncio
import json
import os

import pytest
from tornado import web

from scaling_course.course import learner_lab, notebooks
from scaling_course.course.learner_lab import LEARNER_CONFIG, LearnerContentsManager

NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def course(tmp_path):
    for folder in ("lessons/00-welcome", "solutions/00-welcome", "workspace/00-welcome"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "00-welcome.ipynb").write_text(json.dumps(NOTEBOOK))
    return tmp_path, LearnerContentsManager(root_dir=str(tmp_path))


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.mark.parametrize("folder", ["lessons", "solutions"])
def test_the_released_course_opens_read_only_and_refuses_every_change(course, folder):
    root, manager = course
    path = f"{folder}/00-welcome/00-welcome.ipynb"
    before = (root / path).read_text()
    model = run(manager.get(path))
    assert model["writable"] is False
    with pytest.raises(web.HTTPError) as refused:
        run(manager.save({"type": "notebook", "content": model["content"]}, path))
    assert refused.value.status_code == 403 and "workspace/" in refused.value.log_message
    with pytest.raises(web.HTTPError):
        run(manager.save({"type": "file", "format": "text", "content": "x"}, f"{folder}/new.txt"))
    with pytest.raises(web.HTTPError):
        run(manager.delete(path))
    with pytest.raises(web.HTTPError):
        run(manager.rename(path, "workspace/moved.ipynb"))
    with pytest.raises(web.HTTPError):
        run(manager.rename("workspace/00-welcome/00-welcome.ipynb", f"{folder}/00-welcome/taken.ipynb"))
    assert (root / path).read_text() == before and not (root / folder / "new.txt").exists()


def test_the_learners_own_copies_save_as_usual(course):
    root, manager = course
    path = "workspace/00-welcome/00-welcome.ipynb"
    model = run(manager.get(path))
    assert model["writable"] is True
    model["content"]["metadata"]["mine"] = True
    run(manager.save({"type": "notebook", "content": model["content"]}, path))
    assert json.loads((root / path).read_text())["metadata"]["mine"] is True
    run(manager.rename(path, "workspace/00-welcome/renamed.ipynb"))
    assert (root / "workspace/00-welcome/renamed.ipynb").exists()


def test_the_lab_is_served_with_the_learner_configuration(monkeypatch):
    env = learner_lab.learner_environment({"JUPYTER_CONFIG_PATH": "/elsewhere", "PATH": "/bin"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(LEARNER_CONFIG), "/elsewhere"]
    page = json.loads((LEARNER_CONFIG / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {"@jupyter/nbgrader": True}   # Validate, Create Assignment, formgrader
    server = json.loads((LEARNER_CONFIG / "jupyter_server_config.json").read_text())
    assert not any(server["ServerApp"]["jpserver_extensions"].values())
    course_root = notebooks.course_root()
    command = notebooks.lab_command(course_root, course_root / "workspace")
    assert f"--ServerApp.contents_manager_class={LearnerContentsManager.__module__}.LearnerContentsManager" in command
