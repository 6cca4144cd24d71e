"""The workshop dashboard: its views build from shipped results alone, and ``scaling-course demo``
serves them with Voilà as a page without code."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import ipywidgets as w
import matplotlib.figure
import pytest

from browser_helpers import as_in_a_terminal
from scaling_course.engine import sweep
from scaling_course.lessons import demo

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "demo" / "demo.ipynb"


@pytest.fixture
def no_training(monkeypatch):
    def must_not_train(*args, **kwargs):
        raise AssertionError("the dashboard trained a model")
    monkeypatch.setattr(sweep, "run_sweep", must_not_train)
    monkeypatch.setattr(sweep, "train_job", must_not_train)


def _sliders(widget):
    """Every slider inside ``widget``, however deeply its boxes nest."""
    if isinstance(widget, w.Box):
        return [s for child in widget.children for s in _sliders(child)]
    return [widget] if "Slider" in type(widget).__name__ else []


def test_each_view_builds_from_shipped_results(no_training):
    figure = demo.famous_models_view()
    assert isinstance(figure, matplotlib.figure.Figure) and "Famous models" in figure.axes[0].get_title()
    for view in (demo.polynomial_view, demo.floor_view, demo.isoflop_view):
        widget = view()
        assert isinstance(widget, w.VBox) and _sliders(widget), f"{view.__name__} has no slider"
        assert isinstance(widget.children[-1], w.Output)


def test_the_notebook_is_the_views_and_its_story():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    views = [name for name in demo.__all__ if name.endswith("_view")]
    assert sorted(re.findall(r"demo\.(\w+)\(\)", "\n".join(code))) == sorted(views)     # each view once
    assert all(len(source.splitlines()) <= 2 for source in code)                       # no code worth reading
    assert all(not c.get("outputs") for c in cells if c["cell_type"] == "code")         # committed cleared


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_scaling_course_demo_serves_the_dashboard_without_code():
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "scaling_course.course.cli", "demo", "--no-browser",
                               f"--port={port}"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env=dict(os.environ, BROWSER="true"), start_new_session=True,
                              preexec_fn=as_in_a_terminal)
    try:
        for _ in range(240):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=300).read().decode()
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("the dashboard did not answer within 60 s")
    finally:
        os.killpg(server.pid, signal.SIGINT)           # Ctrl-C in its terminal: the command and voila stop
        log = server.communicate(timeout=60)[0]
    assert server.returncode == 0, log[-2000:]
    titles = re.findall(r"^## (.+)$", "\n".join("".join(c["source"]) for c in json.loads(NOTEBOOK.read_text())["cells"]
                                                if c["cell_type"] == "markdown"), re.M)
    for title in titles:
        assert title.replace("·", "").split()[-1] in page, f"section {title!r} missing from the page"
    assert page.count("application/vnd.jupyter.widget-view+json") >= 3          # three explorers
    assert "image/png" in page                                                   # the famous-models chart
    assert "demo.floor_view" not in page and "from scaling_course" not in page   # no code on the page
    errors = re.findall(r".{0,300}(?:Traceback|Error:).{0,300}", page)
    assert not errors, f"{errors[:2]}\n{log[-2000:]}"
