"""Fit a broken neural scaling law (Caballero et al. 2022, arXiv:2210.14891).

    y = a + b·x^(−c₀)·∏ᵢ (1 + (x/dᵢ)^(1/fᵢ))^(−cᵢ·fᵢ)

A power law whose log-log slope changes smoothly at each break dᵢ: useful when a curve bends
(a plateau, a double descent, an emergent jump) and one power law cannot follow it. It is fitted
on log residuals with the Huber loss, like the other laws here, from a small grid of starts.
Positive quantities are fitted through their logarithms (a, b, dᵢ, fᵢ), the slopes directly.
"""

from __future__ import annotations

__all__ = ["BrokenPowerLawFit", "fit_broken_power_law"]

import itertools
from dataclasses import dataclass

import numpy as np

from scaling_course.science.laws import broken_power_law, broken_power_law_unchecked
from scaling_course.science.reference import CHINCHILLA_HUBER_DELTA
from scaling_course.validation import check_non_negative_int, fit_columns, not_constant

from .convergence import DEFAULT_GRADIENT_TOLERANCE, warn_unless_converged
from .goodness import CheckedFit, goodness
from .robust_least_squares import robust_least_squares

START_INITIAL_SLOPES = (0.1, 0.5)
START_SLOPE_CHANGES = (-0.3, 0.3, 1.0)
START_FLOOR_FRACTIONS = (1e-3, 0.5)


@dataclass(frozen=True)
class BrokenPowerLawFit(CheckedFit):
    """y = a + b·x^(−c₀)·∏(1 + (x/dᵢ)^(1/fᵢ))^(−cᵢ·fᵢ), fitted."""

    a: float                    # limit of y as x → ∞
    b: float                    # scale
    c0: float                   # initial log-log slope (negated)
    c: tuple[float, ...]        # change of slope at each break
    d: tuple[float, ...]        # where each break happens
    f: tuple[float, ...]        # sharpness of each break (smaller is sharper)

    @property
    def final_slope(self) -> float:
        """Log-log slope of y − a after the last break: −(c₀ + Σcᵢ)."""
        return -(self.c0 + sum(self.c))

    def predict(self, x):
        """The fitted law at ``x``."""
        return broken_power_law(x, self.a, self.b, self.c0, self.c, self.d, self.f)


def _unpack(theta: np.ndarray, n_breaks: int):
    a, b, c0 = np.exp(theta[0]), np.exp(theta[1]), theta[2]
    c = theta[3:3 + n_breaks]
    d = np.exp(theta[3 + n_breaks:3 + 2 * n_breaks])
    # sharpness between e⁻¹⁰ (a kink) and e¹⁰ (no visible break): beyond that exp() under/overflows
    f = np.exp(np.clip(theta[3 + 2 * n_breaks:], -10.0, 10.0))
    return a, b, c0, c, d, f


def fit_broken_power_law(x, y, n_breaks: int = 1, *, delta: float = CHINCHILLA_HUBER_DELTA,
                         starts=None, gradient_tolerance: float = DEFAULT_GRADIENT_TOLERANCE,
                         warn: bool = True) -> BrokenPowerLawFit:
    """Fit Caballero et al.'s broken power law with ``n_breaks`` breaks (3 + 3·n_breaks parameters)
    by minimising Σ Huber_δ(log ŷ − log y).

    ``starts`` overrides the grid with rows (log a, log b, c₀, c₁…, log d₁…, log f₁…).

    >>> import numpy as np
    >>> x = np.geomspace(1e2, 1e8, 30)
    >>> fit = fit_broken_power_law(x, 0.1 + 50 * x ** -0.2 * (1 + x / 1e5) ** -0.5)
    >>> round(fit.final_slope, 2), round(float(fit.predict(1e6)) / (0.1 + 50 * 1e6 ** -0.2 * 11 ** -0.5), 3)
    (-0.7, 1.0)
    """
    check_non_negative_int(n_breaks, "n_breaks")
    n_parameters = 3 + 3 * n_breaks
    x, y = fit_columns(n_parameters, f"a broken power law with {n_breaks} break(s)", x=x, y=y)
    not_constant(x, "x")
    log_y = np.log(y)

    def residuals(theta):
        return np.log(broken_power_law_unchecked(x, *_unpack(theta, n_breaks))) - log_y

    if starts is None:
        starts = _starts(x, y, n_breaks)
    best = robust_least_squares(residuals, starts, len(x), delta, gradient_tolerance)
    if warn:
        warn_unless_converged(best.convergence, "fit_broken_power_law")
    a, b, c0, c, d, f = _unpack(best.theta, n_breaks)
    predicted = broken_power_law(x, a, b, c0, c, d, f)
    return BrokenPowerLawFit(a=float(a), b=float(b), c0=float(c0), c=tuple(map(float, c)),
                             d=tuple(map(float, d)), f=tuple(map(float, f)), **goodness(y, predicted),
                             converged=best.convergence.converged, convergence=best.convergence)


def _starts(x: np.ndarray, y: np.ndarray, n_breaks: int) -> np.ndarray:
    """Breaks spread evenly over log x; every break starts with the same slope change and sharpness 1."""
    log_x = np.log(x)
    positions = np.quantile(log_x, np.arange(1, n_breaks + 1) / (n_breaks + 1))
    starts = []
    for c0, change, fraction in itertools.product(START_INITIAL_SLOPES, START_SLOPE_CHANGES,
                                                  START_FLOOR_FRACTIONS):
        floor = fraction * float(y.min())
        # b makes the unbroken curve pass through the data on average in log space
        log_b = float(np.mean(np.log(y - floor) + c0 * log_x))
        starts.append([np.log(floor), log_b, c0, *[change] * n_breaks, *positions, *[0.0] * n_breaks])
    return np.array(starts)
