"""Lesson 01 in a real JupyterLab and Chromium: the sliders redraw the fit, the self-checks respond.

Needs a Chromium binary (`apt-get install chromium`; .ci/run installs it) and the `playwright`
package (the `browser` extra). Without them the test is skipped, and says why.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scaling_course.course import notebooks

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM") or next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary found")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server over a folder holding lesson 01 as solution.ipynb and lesson.ipynb."""
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(notebooks.notebook_path("01-polynomials", notebooks.SOLUTIONS, ROOT), folder / "solution.ipynb")
    shutil.copy(notebooks.notebook_path("01-polynomials", notebooks.LESSONS, ROOT), folder / "lesson.ipynb")
    settings = folder / "settings"
    settings.mkdir()
    # Render every cell (no windowing) so off-screen outputs exist in the page; no news toast.
    (settings / "overrides.json").write_text(json.dumps({
        "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    }))
    port = _free_port()
    env = dict(os.environ, SCALING_COURSE_PROFILE="ci", JUPYTERLAB_SETTINGS_DIR=str(settings / "user"))
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           "--ServerApp.token=", f"--ServerApp.root_dir={folder}", f"--LabApp.workspaces_dir={folder / 'ws'}",
           f"--LabApp.app_settings_dir={settings}", "--allow-root"]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=1)
            break
        except OSError:
            time.sleep(0.25)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield url, folder
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the browser extra)")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _open_and_run_all(browser, url):
    """Open ``url`` (in a workspace of its own, so no other test's tabs come back) and run every cell."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    _wait_idle(page)
    for _ in range(3):   # on a loaded machine the first Run All is occasionally a no-op
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        try:
            page.wait_for_selector(".jp-OutputArea-output", timeout=30_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    _wait_idle(page)
    return page


def _wait_idle(page):
    time.sleep(0.5)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=180_000)


def _wait_for_summary(page, condition: str):
    """Wait until the explorer's summary line ``p`` satisfies a JavaScript ``condition``
    (the output is briefly empty while the widget redraws)."""
    page.wait_for_function("() => { const p = [...document.querySelectorAll('.widget-output pre')].pop(); "
                           f"return p !== undefined && ({condition}); }}", timeout=60_000)


def _summary(page) -> str:
    return page.locator(".widget-output pre").last.inner_text()


def test_sliders_redraw_the_fit(lab, browser):
    url, _ = lab
    page = _open_and_run_all(browser, f"{url}/lab/workspaces/sliders/tree/solution.ipynb?reset")
    page.wait_for_selector(".widget-output img", timeout=60_000)
    assert _summary(page).startswith("degree 3 (4 parameters), 20 samples")
    image = page.locator(".widget-output img").first.get_attribute("src")

    page.locator(".widget-slider .noUi-handle").first.focus()
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    _wait_for_summary(page, "p.innerText.startsWith('degree 15')")
    _wait_idle(page)
    overfit = _summary(page)
    assert page.locator(".widget-output img").first.get_attribute("src") != image

    handle, track = page.locator(".widget-slider .noUi-handle").nth(1), page.locator(".noUi-base").nth(1)
    box = track.bounding_box()
    handle.hover()
    page.mouse.down()
    page.mouse.move(box["x"] + 0.99 * box["width"], box["y"] + box["height"] / 2)
    page.mouse.up()
    _wait_for_summary(page, "!p.innerText.includes(', 20 samples')")
    _wait_idle(page)
    more_data = _summary(page)

    def test_mse(text):
        return float(text.rsplit("test MSE", 1)[1])

    assert test_mse(more_data) < test_mse(overfit), (overfit, more_data)   # data tames degree 15
    page.close()


def test_self_check_responds_when_the_learner_writes_the_exercise(lab, browser):
    url, folder = lab
    page = _open_and_run_all(browser, f"{url}/lab/workspaces/learner/tree/lesson.ipynb?reset")
    check_output = page.locator(".jp-CodeCell", has_text='check("polynomials.design_matrix"').first
    assert "not written yet" in check_output.locator(".jp-OutputArea").inner_text()

    cell = page.locator(".jp-CodeCell", has_text="def design_matrix").first
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    # the editor indents after ':' by itself
    page.keyboard.type("def design_matrix(x, degree):\nx = np.asarray(x, dtype=float)\n"
                       "return np.vander(x, degree + 1, increasing=True)")
    page.keyboard.press("Shift+Enter")
    _wait_idle(page)
    page.keyboard.press("Shift+Enter")   # the self-check cell below it
    _wait_idle(page)
    page.wait_for_function("() => [...document.querySelectorAll('.jp-CodeCell')].some("
                           "c => c.innerText.includes('✅ polynomials.design_matrix: passed'))", timeout=60_000)
    page.close()
