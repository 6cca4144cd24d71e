"""Interactive explorers (ipywidgets) for the lessons.

Each explorer is a small :class:`Explorer`: ``update(...)`` does the work and can be called
directly (tests do), and ``widget()`` shows its controls above a live output for JupyterLab.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from . import plots, polynomials
from .validation import check_non_negative_int, check_positive_int


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


@dataclass
class FitSummary:
    """What the polynomial explorer shows under its plot."""

    degree: int
    n_samples: int
    train_mse: float
    test_mse: float

    def __str__(self) -> str:
        return (f"degree {self.degree} ({self.degree + 1} parameters), {self.n_samples} samples: "
                f"train MSE {self.train_mse:.4f}, test MSE {self.test_mse:.4f}")


class PolynomialExplorer(Explorer):
    """Sliders for polynomial degree and sample count that redraw a least-squares fit live.

    ``fit(x, y, degree)`` returns coefficients (lowest power first); pass your own
    ``fit_polynomial`` to see your code at work.
    """

    failure = "The fit failed"

    def __init__(self, fit=polynomials.fit_polynomial, max_degree: int = 25, max_samples: int = 200,
                 seed: int = 0, n_test: int = 1000):
        if not callable(fit):
            raise TypeError(f"fit must be a function fit(x, y, degree) -> coefficients, got {type(fit).__name__}")
        check_non_negative_int(max_degree, "max_degree")
        if check_positive_int(max_samples, "max_samples") < 2:
            raise ValueError(f"max_samples must be at least 2, got {max_samples}")
        check_positive_int(n_test, "n_test")
        super().__init__()
        self.fit = fit
        # Draw the largest sample once: moving the slider up adds points, it never reshuffles them.
        self.x_pool, self.y_pool = polynomials.sample_data(max_samples, seed=seed)
        self.x_test, self.y_test = polynomials.sample_data(n_test, seed=seed + 10_000)
        self.degree = w.IntSlider(value=3, min=0, max=max_degree, description="degree",
                                  continuous_update=False)
        self.n_samples = w.IntSlider(value=20, min=2, max=max_samples, description="samples",
                                     continuous_update=False)
        self.summary: FitSummary | None = None
        self.watch(self.degree, self.n_samples)

    def update(self, degree: int, n_samples: int) -> tuple[FitSummary, plt.Figure]:
        """Fit a degree-``degree`` polynomial to ``n_samples`` points; return the summary and figure."""
        if not 1 <= n_samples <= len(self.x_pool):
            raise ValueError(f"n_samples must be between 1 and {len(self.x_pool)}, got {n_samples}")
        x, y = self.x_pool[:n_samples], self.y_pool[:n_samples]
        coef = np.asarray(self.fit(x, y, degree), dtype=float)
        summary = FitSummary(
            degree, n_samples,
            train_mse=polynomials.mean_squared_error(y, polynomials.predict(coef, x)),
            test_mse=polynomials.mean_squared_error(self.y_test, polynomials.predict(coef, self.x_test)),
        )
        fig, ax = plt.subplots(figsize=(6.4, 4))
        plots.polynomial_fit(x, y, coef, ax=ax, title=str(summary).replace(": ", ":\n", 1))
        plt.close(fig)   # shown through the Output widget, not by the inline backend
        self.summary = summary
        return summary, fig

    def current(self):
        return self.update(self.degree.value, self.n_samples.value)

    def controls(self) -> list:
        return [w.HBox([self.degree, self.n_samples])]


def polynomial_explorer(fit=polynomials.fit_polynomial, **kwargs) -> w.VBox:
    """Show sliders for degree and sample count over a live least-squares fit (lesson 01)."""
    return PolynomialExplorer(fit, **kwargs).widget()
