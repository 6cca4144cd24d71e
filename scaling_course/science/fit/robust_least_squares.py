"""Robust nonlinear least squares from several starts, for laws without a log-sum-exp form.

``scipy.optimize.least_squares`` with ``loss="huber"`` and ``f_scale=δ`` minimises exactly
Σ Huber_δ(rᵢ), the objective of Hoffmann et al. 2022 (eq. 3), for any residual function r(θ).
The broken power law and the data-constrained law are fitted with it on log residuals. Its
``optimality`` is the largest gradient component of that sum, which feeds the same convergence
test as every other fit (:mod:`.convergence`).
"""

from __future__ import annotations

__all__ = []

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.optimize import least_squares
from threadpoolctl import threadpool_limits

from .convergence import DEFAULT_GRADIENT_TOLERANCE, Convergence, assess_convergence

# x_scale="jac" lets the trust region adapt to parameters of very different sizes (log d ~ 10, c ~ 0.1)
OFF_THE_CHART = 1e3         # log residual standing in for a prediction that overflowed
TIGHT = {"ftol": 1e-12, "xtol": 1e-12, "gtol": 1e-12, "max_nfev": 1000, "x_scale": "jac"}


@dataclass(frozen=True)
class RobustFit:
    """The best least-squares end point over all starts."""

    theta: np.ndarray            # best parameters
    objective: float             # Σ Huber_δ(residuals) at theta
    convergence: Convergence     # the gradient test


def robust_least_squares(residuals: Callable[[np.ndarray], np.ndarray], starts, n_points: int,
                         delta: float, gradient_tolerance: float = DEFAULT_GRADIENT_TOLERANCE) -> RobustFit:
    """Minimise Σ Huber_δ(residuals(θ)) from each start; keep the lowest; check its gradient.

    >>> import numpy as np
    >>> x = np.arange(1.0, 6.0)
    >>> fit = robust_least_squares(lambda t: t[0] + t[1] * x - (2 + 3 * x), [[0.0, 0.0]], 5, 1e-3)
    >>> np.round(fit.theta, 6).tolist(), fit.convergence.converged
    ([2.0, 3.0], True)
    """
    starts = np.atleast_2d(np.asarray(starts, dtype=float))

    def guarded(theta):
        # an optimiser step into overflow gets a large finite penalty instead of a crash
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            r = residuals(theta)
        return np.where(np.isfinite(r), r, OFF_THE_CHART)

    best = None
    with threadpool_limits(limits=1, user_api="blas"):  # small LAPACK calls stall on busy threads
        for start in starts:
            if np.any(guarded(start) == OFF_THE_CHART):     # the law cannot even be evaluated here
                continue
            result = least_squares(guarded, start, loss="huber", f_scale=delta, **TIGHT)
            if best is None or result.cost < best.cost:
                best = result
    if best is None:
        raise ValueError("the law cannot be evaluated at any starting point; check the inputs")
    verdict = assess_convergence(best.optimality, n_points, delta, best.x, starts, gradient_tolerance)
    return RobustFit(theta=np.asarray(best.x), objective=float(best.cost), convergence=verdict)
