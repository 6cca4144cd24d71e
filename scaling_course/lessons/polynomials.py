"""Lesson 01 (polynomials): plots and the slider explorer of polynomial fits.

The science (the target, the design matrix, least squares, double descent) is in
:mod:`scaling_course.science.polynomials`; this module draws it.
"""

from __future__ import annotations

__all__ = [
    "LEGEND", "FitSummary", "PolynomialExplorer", "double_descent", "error_vs_degree", "polynomial_explorer",
    "polynomial_fit",
]

from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from scaling_course.science.polynomials import fit_polynomial, mean_squared_error, predict, sample_data, target_function
from scaling_course.validation import (
    check_array_1d,
    check_callable,
    check_int,
    check_non_negative_int,
    check_positive_int,
)

from .explorer import Explorer
from .plots import LEGEND_BELOW, axes_or_new

# --- plots ---------------------------------------------------------------------------------

def polynomial_fit(x_train, y_train, coef, ax=None, title=None):
    """Training points, the true function and a fitted polynomial on [-1, 1]."""
    x_train = check_array_1d(x_train, "x_train")
    y_train = check_array_1d(y_train, "y_train", length=len(x_train))
    ax = axes_or_new(ax)
    grid = np.linspace(-1, 1, 400)
    ax.plot(grid, target_function(grid), color="gray", lw=1.5, label="true function")
    fitted = predict(coef, grid)
    ax.plot(grid, fitted, color="C1", lw=2, label=f"degree-{len(coef) - 1} fit ({len(coef)} parameters)")
    ax.scatter(x_train, y_train, color="C0", s=18, zorder=3, label=f"{len(x_train)} training points")
    spread = np.ptp(target_function(grid))
    ax.set_ylim(-spread, spread)
    ax.set(xlabel="x", ylabel="y", title=title or "Least-squares polynomial fit")
    ax.legend(loc="lower left", fontsize=8)
    return ax


def error_vs_degree(degrees, train_mse, test_mse, ax=None, label=""):
    """Train and test mean squared error against polynomial degree (log y axis)."""
    degrees = check_array_1d(degrees, "degrees")
    train_mse = check_array_1d(train_mse, "train_mse", length=len(degrees))
    test_mse = check_array_1d(test_mse, "test_mse", length=len(degrees))
    ax = axes_or_new(ax)
    suffix = f" ({label})" if label else ""
    ax.plot(degrees, train_mse, "o-", label="train" + suffix)
    ax.plot(degrees, test_mse, "s-", label="test" + suffix)
    ax.set(yscale="log", xlabel="polynomial degree (parameters − 1)", ylabel="mean squared error",
           title="Train and test error against model size")
    bottom = 0.3 * min(test_mse.min(), train_mse[train_mse > 1e-8].min(initial=np.inf))
    ax.set_ylim(bottom=bottom)   # an interpolating fit's train error (~1e-15) would squash the plot
    ax.legend(fontsize=8)
    return ax


#: The double-descent plot's legend sits under the axes, clear of the curves, the peak and the threshold's label.
LEGEND = LEGEND_BELOW      # the double-descent legend: under the axes, clear of the threshold's label


def double_descent(feature_counts, test_mse, n_train, ax=None, label=None):
    """Median test error of min-norm fits against feature count, with the interpolation threshold marked."""
    feature_counts = check_array_1d(feature_counts, "feature_counts")
    test_mse = check_array_1d(test_mse, "test_mse", length=len(feature_counts))
    n_train = check_positive_int(n_train, "n_train")
    ax = axes_or_new(ax)
    ax.plot(feature_counts, test_mse, "o-", ms=3, label=label)
    ax.axvline(n_train, color="k", ls="--", lw=1)
    # the label left of the line, where the curves never reach
    ax.annotate(f"interpolation threshold\np = n = {n_train}", (n_train, np.nanmax(test_mse)),
                xytext=(-6, -24), textcoords="offset points", fontsize=8, ha="right")
    ax.set(xscale="log", yscale="log", xlabel="number of features p (parameters)",
           ylabel="median test MSE", title="Double descent: min-norm least squares")
    if label:
        ax.legend(**LEGEND)
    return ax


# --- the explorer -------------------------------------------------------------------------

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

    def __init__(self, fit=fit_polynomial, max_degree: int = 25, max_samples: int = 200,
                 seed: int = 0, n_test: int = 1000):
        check_callable(fit, "fit", "fit(x, y, degree) -> coefficients")
        check_non_negative_int(max_degree, "max_degree")
        check_int(max_samples, "max_samples", minimum=2)
        check_positive_int(n_test, "n_test")
        super().__init__()
        self.fit = fit
        # Draw the largest sample once: moving the slider up adds points, it never reshuffles them.
        self.x_pool, self.y_pool = sample_data(max_samples, seed=seed)
        self.x_test, self.y_test = sample_data(n_test, seed=seed + 10_000)
        self.degree = w.IntSlider(value=3, min=0, max=max_degree, description="degree",
                                  continuous_update=False)
        self.n_samples = w.IntSlider(value=20, min=2, max=max_samples, description="samples",
                                     continuous_update=False)
        self.summary: FitSummary | None = None
        self.watch(self.degree, self.n_samples)

    def update(self, degree: int, n_samples: int) -> tuple[FitSummary, plt.Figure]:
        """Fit a degree-``degree`` polynomial to ``n_samples`` points; return the summary and figure."""
        check_int(n_samples, "n_samples", minimum=1, maximum=len(self.x_pool))
        x, y = self.x_pool[:n_samples], self.y_pool[:n_samples]
        coef = np.asarray(self.fit(x, y, degree), dtype=float)
        summary = FitSummary(
            degree, n_samples,
            train_mse=mean_squared_error(y, predict(coef, x)),
            test_mse=mean_squared_error(self.y_test, predict(coef, self.x_test)),
        )
        fig, ax = plt.subplots(figsize=(6.4, 4))
        polynomial_fit(x, y, coef, ax=ax, title=str(summary).replace(": ", ":\n", 1))
        plt.close(fig)   # shown through the Output widget, not by the inline backend
        self.summary = summary
        return summary, fig

    def current(self):
        return self.update(self.degree.value, self.n_samples.value)

    def controls(self) -> list:
        return [w.HBox([self.degree, self.n_samples])]


def polynomial_explorer(fit=fit_polynomial, **kwargs) -> w.VBox:
    """Show sliders for degree and sample count over a live least-squares fit (lesson 01)."""
    return PolynomialExplorer(fit, **kwargs).widget()
