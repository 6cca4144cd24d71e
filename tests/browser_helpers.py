"""Driving JupyterLab in Chromium with playwright, for tests/test_browser.py.

A :class:`Notebook` is one notebook open in its own page: it finds code cells by a piece of their
source, runs chosen cells to completion, and types code into a cell's editor the way a learner does.
An :class:`ExplorerView` is the widget an explorer cell shows: its controls by label, what it prints
and the figure it draws. Everything is read from the page, as the learner sees it.

Playwright is imported only where it is used, so that without it the test module still loads, and
is skipped.
"""

from __future__ import annotations

import hashlib
import re
import signal
import time

IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
TRACEBACK = "Traceback (most recent call last)"
NUMBERED_PROMPT = r"/^\[\d+\]:$/"

# The editor's document, line by line (innerText would add a line for each empty one).
_SOURCE = "el => [...el.querySelectorAll('.cm-line')].map(line => line.textContent).join('\\n')"
# An Output widget keeps what it showed until the first new output arrives, then replaces all of it,
# so a redraw is over once no marked output is left and every kind shown before is shown again.
_MARK = "out => out.querySelectorAll('img, pre').forEach(e => { e.dataset.stale = '1'; })"
_REDRAWN = ("([out, kinds]) => !out.querySelector('[data-stale]') "
            "&& kinds.every(kind => out.querySelector(kind) !== null)")


def wait_idle(page) -> None:
    """Wait until the notebook's kernel is idle (after a short pause, so a just-sent request has made it busy)."""
    time.sleep(0.5)
    page.wait_for_selector(IDLE, timeout=180_000)


def open_notebook(browser, url: str) -> Notebook:
    """Open ``url`` (a notebook in a workspace of its own, so no other test's tabs come back) once its
    kernel is idle."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    wait_idle(page)
    return Notebook(page)


class Notebook:
    """One notebook open in a page."""

    def __init__(self, page):
        self.page = page

    def run_all(self) -> None:
        """Run every cell, from the Run menu."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        page = self.page
        for _ in range(3):   # on a loaded machine the first Run All is occasionally a no-op
            page.click(".lm-MenuBar-itemLabel:text-is('Run')")
            page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
            try:
                page.wait_for_selector(".jp-OutputArea-output", timeout=30_000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
        wait_idle(page)

    def cell(self, marker: str):
        """The first code cell whose source contains ``marker``. It is pinned by its position, so it
        is still found once its source has been retyped."""
        cells = self.page.locator(".jp-Notebook .jp-Cell")
        sources = cells.evaluate_all(f"cells => cells.map(c => c.classList.contains('jp-CodeCell') "
                                     f"? ({_SOURCE})(c.querySelector('.cm-content')) : '')")
        found = [i for i, source in enumerate(sources) if marker in source]
        assert found, f"no code cell contains {marker!r}"
        return cells.nth(found[0])

    def run(self, *markers: str) -> None:
        """Run the cells holding these pieces of source, in this order, each to completion."""
        for marker in markers:
            self.run_cell(self.cell(marker))

    def run_cell(self, cell, timeout_s: float = 300) -> None:
        """Run one cell and wait for its new execution count; fail with its traceback if it raised."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        prompt = cell.locator(".jp-InputPrompt").element_handle()
        before = prompt.inner_text().strip()
        cell.locator(".cm-content").click()
        for _ in range(3):   # a key press sent while the editor is still taking focus can be lost
            self.page.keyboard.press("Control+Enter")
            try:
                self.page.wait_for_function("([el, before]) => el.innerText.trim() !== before",
                                            arg=[prompt, before], timeout=15_000)
                break
            except PlaywrightTimeout:
                pass
        self.page.wait_for_function(f"([el, before]) => {NUMBERED_PROMPT}.test(el.innerText.trim()) "
                                    "&& el.innerText.trim() !== before", arg=[prompt, before],
                                    timeout=timeout_s * 1000)
        printed = self.output(cell)
        assert TRACEBACK not in printed, f"this cell raised:\n{self.source(cell)}\n{printed}"

    def output(self, cell) -> str:
        """What the cell's outputs show, without their prompts."""
        return "".join(cell.locator(".jp-Cell-outputArea .jp-OutputArea-output").all_inner_texts())

    def source(self, cell) -> str:
        """The cell's source, as its editor holds it."""
        return cell.locator(".cm-content").evaluate(_SOURCE)

    def type_code(self, cell, code: str) -> None:
        """Replace the cell's source with ``code``, typed line by line.

        Enter is a real key press, so the editor indents the new line by itself; that indentation is
        selected and typed over with the line's own, which leaves exactly ``code`` (checked).
        """
        page = self.page
        cell.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        for number, line in enumerate(code.splitlines()):
            if number:
                page.keyboard.press("Enter")
                page.keyboard.press("Shift+Home")
            if line:
                page.keyboard.insert_text(line)
            else:
                page.keyboard.press("Delete")   # the editor's indentation of a blank line
        typed = self.source(cell)
        assert typed == code, f"the editor holds\n{typed}\ninstead of\n{code}"

    def explorer(self, marker: str) -> ExplorerView:
        """The explorer widget shown by the cell holding ``marker`` (run it first)."""
        cell = self.cell(marker)
        cell.locator(".widget-output").wait_for(timeout=60_000)
        return ExplorerView(self.page, cell)

    def close(self) -> None:
        self.page.close()


class ExplorerView:
    """An explorer's widget in a cell's output: controls above a live output."""

    def __init__(self, page, cell):
        self.page, self.cell = page, cell
        self.out = cell.locator(".widget-output")
        self._settle()
        page.wait_for_function("out => out.querySelector('img, pre') !== null", arg=self.out.element_handle(),
                               timeout=60_000)

    def _settle(self) -> None:
        """Wait until the kernel has nothing left to do (JupyterLab shows it; see DashboardExplorer)."""
        wait_idle(self.page)

    def control(self, label: str):
        """The control labelled ``label`` (its box: label, input and readout)."""
        name = self.page.locator("label.widget-label", has_text=re.compile(rf"^{re.escape(label)}$"))
        return self.cell.locator(".widget-inline-hbox").filter(has=name)

    def readout(self, label: str) -> str:
        """The number a slider shows beside it."""
        return self.control(label).locator(".widget-readout").inner_text().strip()

    def value(self, label: str) -> float:
        """A slider's value, also where its readout is hidden."""
        return float(self.control(label).locator(".noUi-handle").get_attribute("aria-valuetext"))

    def labels(self) -> list[str]:
        """The texts of the Label widgets among the controls."""
        return [text.strip() for text in self.cell.locator("div.widget-label").all_inner_texts()]

    def printed(self) -> str:
        """What the explorer printed under its figure (its summary, or the sampled text)."""
        return self.out.locator("pre").last.inner_text()

    def figure(self) -> str:
        """The figure, as a digest of its image: the same picture, the same digest."""
        return hashlib.sha1(self.out.locator("img").first.get_attribute("src").encode()).hexdigest()[:12]

    def press(self, label: str, key: str) -> None:
        """Focus the slider labelled ``label``, press ``key`` (ArrowRight, Home, End...) and wait for the redraw."""
        handle = self.control(label).locator(".noUi-handle")
        self._redraw(lambda: (handle.focus(), self.page.keyboard.press(key)))

    def enter_text(self, label: str, text: str) -> None:
        """Replace the text box labelled ``label`` with ``text`` and press Enter (the box sends its value
        then, not at every key), then wait for the redraw."""
        box = self.control(label).locator("input")
        self._redraw(lambda: (box.fill(text), box.press("Enter")))

    def _redraw(self, act, timeout_s: float = 60) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        out = self.out.element_handle()
        kinds = out.evaluate("out => ['img', 'pre'].filter(kind => out.querySelector(kind) !== null)")
        out.evaluate(_MARK)
        act()
        try:
            self.page.wait_for_function(_REDRAWN, arg=[out, kinds], timeout=timeout_s * 1000)
        except PlaywrightTimeout:
            raise AssertionError(f"the explorer did not redraw its {' and '.join(kinds)} within {timeout_s:g} s; "
                                 f"it shows:\n{out.inner_text()}") from None
        self._settle()


class DashboardExplorer(ExplorerView):
    """An explorer on the Voilà dashboard: the same widgets in a page without JupyterLab, so without its
    kernel indicator (a redraw is over once the output has been replaced)."""

    def _settle(self) -> None:
        time.sleep(0.3)


def as_in_a_terminal() -> None:
    """``preexec_fn`` for a server a test stops with Ctrl-C: a command started from a terminal gets SIGINT's
    default action, but one started from a background job (``make test &``, a CI runner) inherits SIGINT ignored,
    and a server that ignores it never stops."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
