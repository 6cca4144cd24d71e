"""The base of every lesson's slider explorer (ipywidgets): controls over a live output.

Each explorer is a small :class:`Explorer`: ``update(...)`` does the work and can be called
directly (tests do), and ``widget()`` shows its controls above a live output for JupyterLab.
Lesson 01's polynomial explorer, lesson 02's text sampler, lesson 03's floor explorer and lesson
05's compute-budget explorer are built on it.
"""

from __future__ import annotations

__all__ = []

import ipywidgets as w
from IPython.display import display


class Explorer:
    """Controls over a live output. A subclass creates its controls, calls ``watch(...)`` on them,
    and implements ``current()``, returning ``(summary, figure)`` for the controls' values
    (either may be None). Errors, e.g. from a learner's unfinished function, are printed and
    leave the controls usable."""

    failure = "The update failed"

    def __init__(self):
        self.output = w.Output()

    def watch(self, *controls) -> None:
        for control in controls:
            control.observe(lambda _change: self.redraw(), names="value")

    def current(self):
        raise NotImplementedError

    def controls(self) -> list:
        """The widgets shown above the output, top to bottom."""
        raise NotImplementedError

    def redraw(self) -> None:
        with self.output:
            self.output.clear_output(wait=True)
            try:
                summary, fig = self.current()
            except Exception as error:
                print(f"{self.failure}: {type(error).__name__}: {error}")
                return
            if fig is not None:
                display(fig)
            if summary is not None:
                print(summary)

    def widget(self) -> w.VBox:
        """The controls above the live output, ready to display in a notebook."""
        self.redraw()
        return w.VBox([*self.controls(), self.output])
