"""Fit a power law with (or without) an irreducible term: L(x) = E + A·x^(−α).

x is whatever is scaled: parameters, tokens, FLOPs. E is the loss no amount of x removes (Hoffmann
et al. 2022 read it as the entropy of text); A·x^(−α) is the part that scale buys down.

* Without E (``irreducible=False``) the law is a straight line on log-log axes,
  log L = log A − α·log x, and least squares on the logs fits it exactly (Kaplan et al. 2020 fit
  L(N) = (N_c/N)^α_N this way).
* With E the law is curved on log-log axes and needs a nonlinear fit. It is fitted the way
  Hoffmann et al. fit their L(N, D): log L̂ = LSE(log A − α·log x, log E), Huber loss (δ = 10⁻³) on
  log residuals, summed, from a grid of starts, keeping the best (:mod:`.multistart`).
"""

from __future__ import annotations

__all__ = ["PowerLawFit", "fit_power_law", "fit_power_law_to_means", "means_by_x"]

from dataclasses import dataclass

import numpy as np

from scaling_course.science.reference import CHINCHILLA_HUBER_DELTA
from scaling_course.validation import check_finite_array, check_instance, fit_columns, not_constant, same_length

from .convergence import (
    DEFAULT_GRADIENT_TOLERANCE,
    assess_convergence,
    warn_unless_converged,
)
from .goodness import CheckedFit, goodness
from .loglinear import fit_log_linear
from .multistart import minimize_from_starts
from .objective import HuberLogObjective

#: Starting exponents and starting E as fractions of the smallest loss: together they cover laws
#: from almost flat (α = 0.05) to steep (α = 1.6) and from no floor to a floor just under the data.
START_EXPONENTS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
START_FLOOR_FRACTIONS = (0.01, 0.5, 0.9, 0.99)


@dataclass(frozen=True)
class PowerLawFit(CheckedFit):
    """L(x) = E + A·x^(−α), fitted to runs (``converged`` is always True for the closed form without E)."""

    E: float                  # irreducible loss; 0 when fitted without it
    A: float                  # scale of the reducible part
    alpha: float              # exponent: each doubling of x multiplies the reducible part by 2^(−α)
    irreducible: bool         # whether E was fitted

    def predict(self, x):
        """E + A·x^(−α) at ``x`` (a number or an array).

        >>> PowerLawFit(E=1.0, A=10.0, alpha=0.5, irreducible=True, r_squared_log=1.0,
        ...             rmse_log=0.0, n_points=3, converged=True).predict(100.0)
        2.0
        """
        values = self.E + self.A * np.asarray(x, dtype=float) ** (-self.alpha)
        return float(values) if np.ndim(values) == 0 else values

    def __str__(self) -> str:
        law = f"{self.E:.4g} + {self.A:.4g}·x^(−{self.alpha:.4g})" if self.irreducible \
            else f"{self.A:.4g}·x^(−{self.alpha:.4g})"
        status = "" if self.converged else "  [NOT CONVERGED]"
        return f"L(x) = {law}   (R² in log space {self.r_squared_log:.4f}, {self.n_points} points){status}"


def fit_power_law(x, y, irreducible: bool = True, *, delta: float = CHINCHILLA_HUBER_DELTA,
                  starts=None, method: str = "batched", scipy_options: dict | None = None,
                  gradient_tolerance: float = DEFAULT_GRADIENT_TOLERANCE, warn: bool = True) -> PowerLawFit:
    """Fit L = E + A·x^(−α) (``irreducible=True``) or L = A·x^(−α) (``irreducible=False``).

    Without E: least squares on log L = log A − α·log x (Kaplan et al. 2020, eq. 1.1 form).
    With E: minimise Σ Huber_δ(LSE(log A − α·log x, log E) − log L) from a grid of starts
    (Hoffmann et al. 2022, eq. 3 and App. D.2, with one variable instead of two). ``starts`` overrides
    the grid with rows ``[log A, log E, α]``. A fit that stops short of a minimum is flagged
    (``converged=False``) and warned about (:class:`~.convergence.ConvergenceWarning`).

    >>> import numpy as np
    >>> x = np.geomspace(1e3, 1e7, 12)
    >>> fit = fit_power_law(x, 1.7 + 30.0 * x ** -0.3)
    >>> round(fit.E, 3), round(fit.A, 2), round(fit.alpha, 3)
    (1.7, 30.0, 0.3)
    """
    check_instance(irreducible, "irreducible", bool)
    n_parameters = 3 if irreducible else 2
    what = "L = E + A·x^(−α)" if irreducible else "L = A·x^(−α)"
    x, y = fit_columns(n_parameters, f"the power law {what}", x=x, y=y)
    not_constant(x, "x")
    not_constant(y, "y")           # a flat loss has no power law: α would be 0 and R² undefined
    if not irreducible:
        line = fit_log_linear(x, y)
        return PowerLawFit(E=0.0, A=line.coefficient, alpha=-line.slope, irreducible=False,
                           r_squared_log=line.r_squared_log, rmse_log=line.rmse_log, n_points=line.n_points,
                           converged=True)

    objective = HuberLogObjective(np.log(x)[:, None], np.log(y), delta=delta)
    starts = power_law_starts(x, y) if starts is None else np.atleast_2d(np.asarray(starts, dtype=float))
    # three parameters and a smooth valley: two polished candidates are plenty
    best = minimize_from_starts(objective, starts, method=method, scipy_options=scipy_options, polish=2)
    verdict = assess_convergence(objective.summed_gradient_norm(best.theta), len(x), delta,
                                 best.theta, starts, gradient_tolerance)
    if warn:
        warn_unless_converged(verdict, "fit_power_law")
    log_A, log_E, alpha = best.theta
    E, A = float(np.exp(log_E)), float(np.exp(log_A))
    predicted = E + A * x ** (-alpha)
    return PowerLawFit(E=E, A=A, alpha=float(alpha), irreducible=True, **goodness(y, predicted),
                       converged=verdict.converged, convergence=verdict)


def power_law_starts(x, y) -> np.ndarray:
    """Starting points ``[log A, log E, α]`` for the nonlinear fit, read off the data.

    For each trial exponent α₀ and floor E₀ (a fraction of the smallest loss), A₀ is the value
    that makes E₀ + A₀·x^(−α₀) pass through the data on average in log space.

    >>> power_law_starts([1e3, 1e4, 1e5], [3.0, 2.5, 2.2]).shape     # 6 exponents × 4 floors
    (24, 3)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    log_x = np.log(x)
    starts = []
    for alpha in START_EXPONENTS:
        for fraction in START_FLOOR_FRACTIONS:
            floor = fraction * float(np.min(y))
            log_A = float(np.mean(np.log(y - floor) + alpha * log_x))
            starts.append([log_A, np.log(floor), alpha])
    return np.array(starts)


def means_by_x(x, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(distinct x, mean of y, standard deviation of y)`` at each distinct x, x ascending: the
    runs of one size with other seeds, reduced to one point with its spread.

    >>> means_by_x([2, 1, 2], [1.0, 5.0, 3.0])
    (array([1., 2.]), array([5., 2.]), array([0., 1.]))
    """
    x, y = check_finite_array(x, "x", ndim=1), check_finite_array(y, "y", ndim=1)
    same_length(x=x, y=y)
    sizes = np.unique(x)
    return (sizes, np.array([y[x == size].mean() for size in sizes]),
            np.array([y[x == size].std() for size in sizes]))


def fit_power_law_to_means(x, y, irreducible: bool = True, **options) -> PowerLawFit:
    """:func:`fit_power_law` to the mean of ``y`` at each distinct ``x`` (runs of one size with
    other seeds), so that a bootstrap over runs resamples the seeds behind each point:
    ``bootstrap(fit_power_law_to_means, n, loss)``.

    >>> fit = fit_power_law_to_means([1e2, 1e2, 1e4, 1e4, 1e6], [1.1, 0.9, 0.11, 0.09, 0.01], irreducible=False)
    >>> fit.n_points, round(fit.alpha, 3)
    (3, 0.5)
    """
    sizes, means, _ = means_by_x(x, y)
    return fit_power_law(sizes, means, irreducible, **options)
