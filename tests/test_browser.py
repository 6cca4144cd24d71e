"""The course in a real JupyterLab and Chromium: every explorer's controls redraw it as they should, and
a self-check of every lesson answers a wrong, then a right, answer typed into the exercise; the workshop
dashboard (Voilà) shows no code and its explorers respond; the learner's lab has no instructor tools
and cannot change the released lessons.

Needs a Chromium binary (`apt-get install chromium`; .ci/run installs it) and the `playwright`
package (the `browser` extra). Without them the test is skipped, and says why.

One JupyterLab serves every test, over a copy of lessons/ and solutions/. Where running a whole
notebook would be slow, a test runs only the cells its explorer or exercise needs.
"""

import contextlib
import json
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from browser_helpers import DashboardExplorer, as_in_a_terminal, open_notebook, wait_idle
from scaling_course.course import notebooks

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM") or next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary found")]

# The cells every lesson runs first: the parameters (the profile comes from SCALING_COURSE_PROFILE)
# and the imports.
SETUP = ("profile = None", "P = get_profile(profile)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _notebook(assignment: str, kind: str) -> str:
    """A notebook's path in the server's folder, which mirrors the course's."""
    return notebooks.notebook_path(assignment, kind, ROOT).relative_to(ROOT).as_posix()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The URL of a JupyterLab server over a folder holding every lesson and solution notebook."""
    folder = tmp_path_factory.mktemp("lab")
    for assignment in notebooks.assignments(ROOT):
        for kind in (notebooks.SOLUTIONS, notebooks.LESSONS):
            target = folder / _notebook(assignment, kind)
            target.parent.mkdir(parents=True)
            shutil.copy(notebooks.notebook_path(assignment, kind, ROOT), target)
    settings = folder / "settings"
    settings.mkdir()
    # Render every cell (no windowing) so off-screen outputs exist in the page; no news toast.
    (settings / "overrides.json").write_text(json.dumps({
        "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    }))
    port = _free_port()
    env = dict(os.environ, SCALING_COURSE_PROFILE="ci", JUPYTERLAB_SETTINGS_DIR=str(settings / "user"))
    # No token and no XSRF check, so that the tests can shut kernels down through the REST API (the
    # server listens on 127.0.0.1 only), and no waiting for a kernel being shut down to exit cleanly.
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           "--ServerApp.token=", "--ServerApp.disable_check_xsrf=True", "--KernelManager.shutdown_wait_time=0.5",
           f"--ServerApp.root_dir={folder}", f"--LabApp.workspaces_dir={folder / 'ws'}",
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
    yield url
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(autouse=True)
def _no_kernel_left_running(lab):
    """Shut down the kernels a test started: ten idle kernels, several holding torch, would take
    gigabytes, and each test starts its own anyway."""
    yield
    for kernel in json.load(urllib.request.urlopen(f"{lab}/api/kernels", timeout=10)):
        request = urllib.request.Request(f"{lab}/api/kernels/{kernel['id']}", method="DELETE")
        urllib.request.urlopen(request, timeout=30)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the browser extra)")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _open(browser, lab, workspace: str, assignment: str, kind: str = notebooks.SOLUTIONS):
    """Open a notebook of the course in a workspace of its own."""
    return open_notebook(browser, f"{lab}/lab/workspaces/{workspace}/tree/{_notebook(assignment, kind)}?reset")


# ---------------------------------------------------------------------------
# The explorers
# ---------------------------------------------------------------------------

def _wait_for_summary(page, condition: str):
    """Wait until the explorer's summary line ``p`` satisfies a JavaScript ``condition``
    (the output is briefly empty while the widget redraws)."""
    page.wait_for_function("() => { const p = [...document.querySelectorAll('.widget-output pre')].pop(); "
                           f"return p !== undefined && ({condition}); }}", timeout=60_000)


def _summary(page) -> str:
    return page.locator(".widget-output pre").last.inner_text()


def test_sliders_redraw_the_fit(lab, browser):
    notebook = _open(browser, lab, "sliders", "01-polynomials")
    notebook.run_all()
    page = notebook.page
    page.wait_for_selector(".widget-output img", timeout=60_000)
    assert _summary(page).startswith("degree 3 (4 parameters), 20 samples")
    image = page.locator(".widget-output img").first.get_attribute("src")

    page.locator(".widget-slider .noUi-handle").first.focus()
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    _wait_for_summary(page, "p.innerText.startsWith('degree 15')")
    wait_idle(page)
    overfit = _summary(page)
    assert page.locator(".widget-output img").first.get_attribute("src") != image

    handle, track = page.locator(".widget-slider .noUi-handle").nth(1), page.locator(".noUi-base").nth(1)
    box = track.bounding_box()
    handle.hover()
    page.mouse.down()
    page.mouse.move(box["x"] + 0.99 * box["width"], box["y"] + box["height"] / 2)
    page.mouse.up()
    _wait_for_summary(page, "!p.innerText.includes(', 20 samples')")
    wait_idle(page)
    more_data = _summary(page)

    def test_mse(text):
        return float(text.rsplit("test MSE", 1)[1])

    assert test_mse(more_data) < test_mse(overfit), (overfit, more_data)   # data tames degree 15
    notebook.close()


def _distinct(text: str) -> int:
    """How many different characters ``text`` uses."""
    return len(set(text))


def test_sampler_follows_its_temperature_seed_and_prompt(lab, browser):
    """The sampler draws no figure: what it redraws is the text it prints."""
    notebook = _open(browser, lab, "sampler", "02-tiny-models")
    notebook.run(*SETUP, "gpt_config = RunConfig(", "train_language_model(gpt_config)", "SamplingExplorer(model")
    sampler = notebook.explorer("SamplingExplorer(model")
    first = sampler.printed()
    assert first.startswith("class "), first
    assert (sampler.readout("temperature"), sampler.readout("seed")) == ("0.80", "0")

    sampler.press("seed", "End")
    assert sampler.readout("seed") == "20"
    reseeded = sampler.printed()
    assert reseeded.startswith("class ") and reseeded != first          # another draw from the same model
    sampler.press("seed", "Home")
    assert sampler.printed() == first                                   # the same seed draws the same text

    sampler.press("temperature", "Home")
    assert sampler.readout("temperature") == "0.00"
    greedy = sampler.printed()
    sampler.press("seed", "End")
    assert sampler.printed() == greedy          # at temperature 0 the likeliest character, whatever the seed

    sampler.press("temperature", "End")
    assert sampler.readout("temperature") == "2.00"
    hot = sampler.printed()
    # the hotter the draw, the more of the unlikely characters it takes
    assert _distinct(greedy) < _distinct(first) < _distinct(hot), (greedy, first, hot)

    sampler.enter_text("prompt", "def ")
    assert sampler.printed().startswith("def "), sampler.printed()
    notebook.close()


# "E = 0.500: α = 0.212, R² (log) = 0.9987; predicted loss at N = 3.9e+07: 1.352 nats"
FLOOR = re.compile(r"E = (?P<E>[\d.]+): α = (?P<alpha>[\d.]+), R² \(log\) = (?P<r2>[\d.]+); "
                   r"predicted loss at N = \S+: (?P<far>[\d.]+) nats")


def _read_floor(explorer) -> dict:
    found = FLOOR.search(explorer.printed())
    assert found, f"no fit in: {explorer.printed()}"
    assert found["E"] == explorer.readout("floor E")          # the summary is for the slider's floor
    return {key: float(value) for key, value in found.groupdict().items()} | {"figure": explorer.figure()}


def test_floor_slider_refits_for_each_floor(lab, browser):
    notebook = _open(browser, lab, "floor", "03-scaling-parameters")
    notebook.run(*SETUP, 'text = gather("params-text", P)', "n_txt, loss_txt, spread_txt = mean_loss_by_size(",
                 "FloorExplorer(n_txt")
    floor = notebook.explorer("FloorExplorer(n_txt")
    no_floor = _read_floor(floor)
    assert no_floor["E"] == 0.0

    floor.press("floor E", "End")
    highest = _read_floor(floor)                    # 98% of the lowest loss: every point stays above E
    assert highest["E"] > 0 and highest["figure"] != no_floor["figure"]
    # a floor under the points leaves less loss to explain: the fitted exponent grows, the far prediction
    # stays above the floor
    assert highest["alpha"] > no_floor["alpha"] and highest["far"] > highest["E"], (no_floor, highest)

    floor.press("floor E", "Home")
    assert _read_floor(floor) == no_floor           # the figure and the fit depend on E alone

    floor.press("floor E", "ArrowRight")
    one_step = _read_floor(floor)                   # a step is 1% of the lowest loss
    assert one_step["E"] == pytest.approx(highest["E"] / 98, abs=1e-3), (one_step, highest)
    assert one_step["alpha"] > no_floor["alpha"] and one_step["figure"] != no_floor["figure"]
    notebook.close()


# "C = 7.24e+11 FLOPs: best size N_opt ≈ 35,067 parameters, loss 1.736; it trains on
#  D ≈ C/(6·N_opt) = 3,443,147 tokens, 98 tokens per parameter"
SLICE = re.compile(r"C = (?P<C>\S+) FLOPs: best size N_opt ≈ (?P<N>[\d,]+) parameters, loss (?P<loss>[\d.]+); "
                   r"it trains on D ≈ C/\(6·N_opt\) = (?P<D>[\d,]+) tokens, (?P<ratio>\d+) tokens per parameter")


@dataclass(frozen=True)
class Slice:
    """What the IsoFLOP explorer says about one budget."""

    C: float
    N_opt: float
    loss: float
    figure: str


def _read_slice(explorer) -> Slice:
    summary = explorer.printed()
    found = SLICE.search(summary)
    assert found, f"no fitted valley in: {summary}"       # the slider's whole range has a valley
    C, N, D = float(found["C"]), float(found["N"].replace(",", "")), float(found["D"].replace(",", ""))
    # the slider (log10 C, its readout hidden), the label beside it and the summary name the same budget
    budget = 10 ** explorer.value("budget")
    assert f"C = {budget:.2g} FLOPs".replace("e+", "e") in explorer.labels()
    assert C == pytest.approx(budget, rel=0.01)                         # printed to three figures
    # the best size trains on D = C / (6 N_opt) tokens, D / N_opt of them per parameter
    assert D == pytest.approx(budget / (6 * N), rel=1e-3) and int(found["ratio"]) == pytest.approx(D / N, abs=1)
    return Slice(C, N, float(found["loss"]), explorer.figure())


def test_budget_slider_moves_the_compute_optimum(lab, browser):
    notebook = _open(browser, lab, "budget", "05-scaling-compute")
    notebook.run(*SETUP, 'compute_runs = gather("compute", P)', "def isoflop_optimum",
                 "scaling_compute.isoflop_explorer(")
    budget = notebook.explorer("scaling_compute.isoflop_explorer(")
    middle = _read_slice(budget)

    budget.press("budget", "Home")
    smallest = _read_slice(budget)
    budget.press("budget", "End")
    largest = _read_slice(budget)
    budget.press("budget", "ArrowLeft")
    below_largest = _read_slice(budget)

    assert smallest.C < middle.C < below_largest.C < largest.C
    assert len({middle.figure, smallest.figure, largest.figure, below_largest.figure}) == 4
    # more compute: a bigger model is best, and it reaches a lower loss
    assert largest.N_opt > smallest.N_opt and largest.loss < smallest.loss, (smallest, largest)
    notebook.close()


EMERGENCE = re.compile(r"k = (?P<k>\d+): .*word accuracy (?P<accuracy>[\d.]+), word exact match (?P<exact>[\d.]+)")


def _read_emergence(explorer) -> tuple:
    found = EMERGENCE.search(explorer.printed())
    assert found, f"no shares in: {explorer.printed()}"
    assert int(found["k"]) == explorer.value("k (chars)")          # the summary is for the slider's k
    return int(found["k"]), float(found["accuracy"]), float(found["exact"]), explorer.figure()


def test_k_slider_turns_exact_match_into_a_jump(lab, browser):
    notebook = _open(browser, lab, "emergence", "07-scale-limits")
    notebook.run(*SETUP, "with scale_limits.EnergyMeter()", "scale_limits.emergence_explorer(")
    explorer = notebook.explorer("scale_limits.emergence_explorer(")
    eight = _read_emergence(explorer)
    explorer.press("k (chars)", "Home")
    one = _read_emergence(explorer)
    explorer.press("k (chars)", "End")
    sixteen = _read_emergence(explorer)
    assert (one[0], eight[0], sixteen[0]) == (1, 8, 16)
    assert one[1] == one[2]                  # one character: both scores count the same guesses
    assert sixteen[2] > 0.9 > 0.5 > sixteen[1], sixteen[:3]      # exact match crowds into the largest models
    assert len({one[3], eight[3], sixteen[3]}) == 3
    notebook.close()


# ---------------------------------------------------------------------------
# The self-checks
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SelfCheck:
    """An exercise, the wrong answer typed into it first and what its self-check must say about it."""

    assignment: str
    exercise: str      # its grade id
    check: str         # its self-check's name
    wrong: str         # the comment that marks the wrong answer in tests/wrong_answers/<assignment>.py
    says: str          # part of the self-check's message about it

    def wrong_answer(self) -> str:
        """The wrong answer, as the lesson's file of plausible wrong answers holds it."""
        answers = runpy.run_path(str(ROOT / "tests" / "wrong_answers" / f"{self.assignment}.py"))["WRONG_ANSWERS"]
        [code] = [code for code in answers[self.exercise] if f"# {self.wrong}" in code]
        return code.strip()

    def right_answer(self) -> str:
        """The solution notebook's answer, without nbgrader's markers."""
        nb = nbformat.read(notebooks.notebook_path(self.assignment, notebooks.SOLUTIONS, ROOT), as_version=4)
        [cell] = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == self.exercise]
        return "\n".join(line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line
                         and "### END SOLUTION" not in line)


SELF_CHECKS = [
    SelfCheck("00-welcome", "training-flops", "welcome.training_flops", "the forward pass only",
              "it is 1.05e+23 but should be 3.15e+23"),
    SelfCheck("02-tiny-models", "mlp-params", "tiny_models.mlp_params", "weights only, no biases",
              "counts the weights but not the biases"),
    SelfCheck("03-scaling-parameters", "fit-fixed-floor", "scaling_parameters.fit_fixed_floor", "E never subtracted",
              "Subtract E from the loss before taking the log"),
    SelfCheck("04-scaling-data", "effective-data", "scaling_data.effective_data", "U not capped at D",
              "nothing repeats: U_D = min(U, D)"),
    SelfCheck("05-scaling-compute", "isoflop-optimum", "scaling_compute.isoflop_optimum", "log N_opt, not N_opt",
              "N_opt came back as log N"),
    SelfCheck("06-fitting-laws", "huber-sum", "fitting_laws.huber_sum", "averaged", "you averaged the Huber terms"),
    SelfCheck("07-scale-limits", "training-energy", "scale_limits.training_energy", "PUE left out",
              "PUE was left out"),
    SelfCheck("08-capstone", "isoflop-bottom", "capstone.isoflop_bottom",
              "the best run, not the bottom between the runs", "you returned the best run's N"),
]


@pytest.mark.parametrize("self_check", SELF_CHECKS, ids=lambda s: s.assignment)
def test_self_check_answers_a_wrong_then_a_right_answer(lab, browser, self_check):
    notebook = _open(browser, lab, f"learner-{self_check.assignment}", self_check.assignment, notebooks.LESSONS)
    notebook.run(*SETUP)
    wrong = self_check.wrong_answer()
    function = re.search(r"def (\w+)\(", wrong)[1]
    answer, check = notebook.cell(f"def {function}("), notebook.cell(f'check("{self_check.check}"')

    notebook.type_code(answer, wrong)
    notebook.run_cell(answer)
    notebook.run_cell(check)
    verdict = notebook.output(check)
    assert verdict.startswith(f"❌ {self_check.check}: not yet.") and self_check.says in verdict, verdict
    assert "\n💡 Hint: " in verdict, verdict

    notebook.type_code(answer, self_check.right_answer())
    notebook.run_cell(answer)
    notebook.run_cell(check)
    verdict = notebook.output(check)
    assert verdict.startswith(f"✅ {self_check.check}: passed."), verdict
    notebook.close()


def test_self_check_responds_when_the_learner_writes_the_exercise(lab, browser):
    notebook = _open(browser, lab, "learner", "01-polynomials", notebooks.LESSONS)
    notebook.run_all()
    page = notebook.page
    check_output = page.locator(".jp-CodeCell", has_text='check("polynomials.design_matrix"').first
    assert "not written yet" in check_output.locator(".jp-OutputArea").inner_text()

    cell = page.locator(".jp-CodeCell", has_text="def design_matrix").first
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    # the editor indents after ':' by itself
    page.keyboard.type("def design_matrix(x, degree):\nx = np.asarray(x, dtype=float)\n"
                       "return np.vander(x, degree + 1, increasing=True)")
    page.keyboard.press("Shift+Enter")
    wait_idle(page)
    page.keyboard.press("Shift+Enter")   # the self-check cell below it
    wait_idle(page)
    page.wait_for_function("() => [...document.querySelectorAll('.jp-CodeCell')].some("
                           "c => c.innerText.includes('✅ polynomials.design_matrix: passed'))", timeout=60_000)
    notebook.close()


# ---------------------------------------------------------------------------
# The workshop dashboard and the learner's lab, as `scaling-course demo` and `scaling-course lab` serve them
# ---------------------------------------------------------------------------

@contextlib.contextmanager
def _course_command(*words: str, cwd: Path = ROOT):
    """``scaling-course WORDS --no-browser --port=P`` running in a process group of its own; yields its URL,
    then stops it the way Ctrl-C in its terminal would."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "scaling_course.course.cli", *words, "--no-browser",
                               f"--port={port}", "--ServerApp.token=" if words[0] == "lab" else "--Voila.ip=127.0.0.1"],
                              cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                              preexec_fn=as_in_a_terminal)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/api/status" if words[0] == "lab" else f"{url}/static/", timeout=1)
                break
            except urllib.error.HTTPError:
                break                      # it answers
            except OSError:
                time.sleep(0.25)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)


def test_the_dashboard_has_no_code_and_every_explorer_responds(browser):
    with _course_command("demo") as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url, timeout=300_000)
        explorers = page.locator(".jp-OutputArea-output:has(.widget-output)")
        explorers.nth(2).locator(".widget-output img").wait_for(timeout=300_000)
        assert explorers.count() == 3
        assert page.locator(".jp-OutputArea-output img").count() >= 4          # the famous-models chart too
        assert page.locator(".cm-content, .jp-InputArea-editor").count() == 0     # no code on the page
        assert "Traceback" not in page.inner_text("body")

        polynomial, floor, budget = (DashboardExplorer(page, explorers.nth(i)) for i in range(3))
        assert polynomial.printed().startswith("degree 3 (4 parameters), 20 samples")
        before = polynomial.figure()
        polynomial.press("degree", "ArrowRight")
        assert polynomial.printed().startswith("degree 4 (5 parameters), 20 samples")
        polynomial.press("samples", "End")
        assert polynomial.printed().startswith("degree 4 (5 parameters), 200 samples")
        assert polynomial.figure() != before

        no_floor = _read_floor(floor)
        floor.press("floor E", "End")
        highest = _read_floor(floor)
        assert highest["alpha"] > no_floor["alpha"] and highest["figure"] != no_floor["figure"]

        middle = _read_slice(budget)
        budget.press("budget", "End")
        largest = _read_slice(budget)
        assert largest.C > middle.C and largest.N_opt > middle.N_opt and largest.figure != middle.figure
        page.close()


def test_the_learners_lab_has_no_instructor_tools_and_keeps_the_release_intact(browser, tmp_path):
    course = tmp_path / "course"
    for folder in ("lessons", "solutions"):
        shutil.copytree(ROOT / folder / "00-welcome", course / folder / "00-welcome")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    release = course / "lessons" / "00-welcome" / "00-welcome.ipynb"
    before = release.read_bytes()
    with _course_command("lab", cwd=course) as url:
        assert (course / "workspace" / "00-welcome" / "00-welcome.ipynb").is_file()   # the learner's copy
        notebook = open_notebook(browser, f"{url}/lab/workspaces/release/tree/lessons/00-welcome/00-welcome.ipynb")
        page = notebook.page
        menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        assert "Run" in menus and not any("grader" in m.lower() for m in menus), menus
        assert page.locator(".jp-Toolbar button", has_text="Validate").count() == 0
        assert page.locator("[title*='Create Assignment' i], [title*='nbgrader' i]").count() == 0
        # the notebook says it is read-only, and a change saved with Ctrl+S is refused with a way out
        assert page.locator(".jp-Toolbar", has_text="notebook is read-only").count() >= 1
        cell = notebook.cell("profile = None")
        notebook.type_code(cell, "profile = 'changed'")
        page.keyboard.press("Control+s")
        page.locator(".Toastify__toast", has_text="read-only").wait_for(timeout=30_000)
        assert "Save as" in page.locator(".Toastify__toast", has_text="read-only").inner_text()
        notebook.close()
    assert release.read_bytes() == before
