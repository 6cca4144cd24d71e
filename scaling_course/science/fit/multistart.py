"""Minimise a fitting objective from many starting points and keep the best answer.

Two ways, with the same answer:

* ``"batched"`` (the default): every start runs at once in numpy (:mod:`.batched_bfgs`), then the
  best few distinct end points are polished with ``scipy.optimize.minimize`` (L-BFGS-B) at tight
  tolerances, and the best of them restarted from its answer while its gradient keeps shrinking. A
  4500-start Chinchilla grid takes about a second this way.
* ``"scipy"``: the textbook loop, one L-BFGS-B run per start, as in Hoffmann et al. 2022 and
  Epoch AI's replication. Slow, but the plainest statement of the method; the benchmark in
  ``bench/bench_fit.py`` times the two against each other.
"""

from __future__ import annotations

__all__ = []

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from scaling_course.validation import check_choice

from .batched_bfgs import minimize_batched

#: Tolerances that let L-BFGS-B reach the optimum of the summed Huber objective: with
#: ftol = gtol = 1e-15 a reproduction of Epoch AI's grid fit (Besiroglu et al. 2024) matched their
#: best objective, 0.0010182740, to ten digits.
TIGHT_SCIPY_OPTIONS = {"ftol": 1e-15, "gtol": 1e-15, "maxiter": 2000}
METHODS = ("batched", "scipy")
#: How many times the best answer is polished again from where it stopped (see :func:`_restarted`).
RESTARTS = 3


@dataclass(frozen=True)
class MultistartResult:
    """The best end point over all starts."""

    theta: np.ndarray      # best parameter vector found
    objective: float       # the objective (as the optimiser saw it) at theta
    n_starts: int          # how many starting points were tried
    method: str            # "batched" or "scipy"


def minimize_from_starts(objective, starts, method: str = "batched", scipy_options: dict | None = None,
                         polish: int = 5, batched_iterations: int = 100) -> MultistartResult:
    """Run ``objective`` (a :class:`~.objective.HuberLogObjective`) from every row of ``starts``.

    ``scipy_options`` go to L-BFGS-B (default :data:`TIGHT_SCIPY_OPTIONS`); ``polish`` is how many
    of the best distinct batched end points get a final L-BFGS-B run. With the default options the best
    answer is then restarted from where it stopped while that shrinks its gradient (:func:`_restarted`);
    options of your own are run as given, once per start.

    >>> import numpy as np
    >>> from scaling_course.science.fit.objective import HuberLogObjective
    >>> x = np.array([10.0, 100.0, 1000.0]); y = 2.0 + 5.0 * x ** -0.5
    >>> best = minimize_from_starts(HuberLogObjective(np.log(x)[:, None], np.log(y)), [[1.0, 0.0, 1.0]])
    >>> np.round(np.exp(best.theta[:2]), 3).tolist(), round(float(best.theta[2]), 3)
    ([5.0, 2.0], 0.5)
    """
    check_choice(method, "method", METHODS)
    starts = np.atleast_2d(np.asarray(starts, dtype=float))
    if starts.shape[1] != objective.n_parameters:
        raise ValueError(f"each start needs {objective.n_parameters} values, got {starts.shape[1]}")
    options = dict(TIGHT_SCIPY_OPTIONS if scipy_options is None else scipy_options)
    with threadpool_limits(limits=1, user_api="blas"):  # small LAPACK calls stall on busy threads
        if method == "scipy":
            candidates = starts
        else:
            rough = minimize_batched(objective, starts, max_iterations=batched_iterations)
            candidates = _best_distinct(rough.x, rough.fun, polish)
        best = None
        for start in candidates:
            result = minimize(objective.single, start, jac=True, method="L-BFGS-B", options=options)
            if np.isfinite(result.fun) and (best is None or result.fun < best.fun):
                best = result
        if best is None:
            raise ValueError("the objective is not finite at any starting point; check the inputs and starts")
        if options == TIGHT_SCIPY_OPTIONS:
            best = _restarted(objective, best, options)
    return MultistartResult(theta=np.asarray(best.x, dtype=float), objective=float(best.fun), n_starts=len(starts),
                            method=method)


def _restarted(objective, result, options: dict, max_restarts: int = RESTARTS):
    """L-BFGS-B run again from its own answer while that keeps shrinking the gradient.

    In a narrow valley L-BFGS-B stops once the objective no longer falls in its sixteenth digit, which can
    leave a gradient just above what the convergence check accepts; where exactly depends on the machine's
    rounding. A restart, with its curvature memory cleared, follows the gradient (exact, not rounded away)
    further down. L-BFGS-B never returns a point worse than its start, so a restart cannot undo the fit.
    """
    for _ in range(max_restarts):
        again = minimize(objective.single, result.x, jac=True, method="L-BFGS-B", options=options)
        if not (again.fun <= result.fun and np.max(np.abs(again.jac)) < 0.5 * np.max(np.abs(result.jac))):
            break
        result = again
    return result


def _best_distinct(points: np.ndarray, values: np.ndarray, how_many: int) -> list[np.ndarray]:
    """The ``how_many`` lowest-valued points, skipping near-copies of one already chosen
    (thousands of starts mostly end in the same few places)."""
    chosen: list[np.ndarray] = []
    for i in np.argsort(np.where(np.isfinite(values), values, np.inf)):
        if not np.isfinite(values[i]) or len(chosen) == how_many:
            break
        if not any(np.allclose(points[i], c, rtol=1e-6, atol=1e-9) for c in chosen):
            chosen.append(points[i])
    return chosen
