"""A straight line on log-log axes: y = k·x^s, fitted by least squares on (log x, log y).

This is the whole of a pure power law's fit: take logs and the law becomes a line,
log y = log k + s·log x, whose slope and intercept ordinary least squares gives exactly.
"""

from __future__ import annotations

__all__ = ["LogLinearFit"]

from dataclasses import dataclass

import numpy as np

from scaling_course.validation import fit_columns, not_constant

from .goodness import Goodness, goodness


@dataclass(frozen=True)
class LogLinearFit(Goodness):
    """y = coefficient · x^slope, fitted on log-log axes."""

    slope: float            # s: how many percent y moves per percent of x
    coefficient: float      # k: y at x = 1

    def predict(self, x):
        """k·x^s at ``x`` (a number or an array)."""
        return self.coefficient * np.asarray(x, dtype=float) ** self.slope


def fit_log_linear(x, y, x_name: str = "x", y_name: str = "y") -> LogLinearFit:
    """Fit log y = log k + s·log x by ordinary least squares.

    >>> fit = fit_log_linear([1e20, 1e22], [1e9, 1e10])
    >>> round(fit.slope, 3), round(float(fit.predict(1e21)) / 1e9, 3)
    (0.5, 3.162)
    """
    x, y = fit_columns(2, "a straight line on log-log axes", **{x_name: x, y_name: y})
    not_constant(x, x_name)
    slope, intercept = np.polyfit(np.log(x), np.log(y), 1)
    coefficient = float(np.exp(intercept))
    predicted = coefficient * x ** slope
    return LogLinearFit(slope=float(slope), coefficient=coefficient, **goodness(y, predicted))
