"""Quasi-Newton (BFGS) minimisation of many starting points at once, in plain numpy.

Hoffmann et al. (2022) and Epoch AI (2024) run L-BFGS from each of 4500 starting points in turn.
A Python loop over 4500 ``scipy.optimize.minimize`` calls spends most of its time in Python, not
in arithmetic. Here every start is one row of an array: one call of the objective evaluates all
of them, and each start keeps its own 5×5 inverse-Hessian estimate. With five parameters the full
BFGS matrix is smaller than L-BFGS's history, so this is the same method without the memory limit.

Each iteration, for every start still running (Nocedal & Wright, *Numerical Optimization*, §6.1):

1. direction p = −H·g, or −g if that is not downhill;
2. backtracking line search until the Armijo condition f(x + t·p) ≤ f(x) + 10⁻⁴·t·gᵀp holds;
3. BFGS update H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with s = Δx, y = Δg, ρ = 1/(yᵀs).

A start stops when its largest gradient component is under ``gradient_tolerance``, when an
iteration lowers its objective by less than ``value_tolerance`` (relative), or when its line search
fails. The result is a rough minimum from every start; callers polish the best few with
``scipy.optimize.minimize`` at tight tolerances.
"""

from __future__ import annotations

__all__ = []

from dataclasses import dataclass
from typing import Callable

import numpy as np

ARMIJO = 1e-4               # sufficient-decrease constant, the usual choice (Nocedal & Wright §3.1)
MAX_HALVINGS = 40           # 2⁻⁴⁰ ≈ 1e-12: a step that small means the line search has failed


@dataclass
class BatchedMinimum:
    """Where each start ended up."""

    x: np.ndarray              # (K, P) final parameters, one row per start
    fun: np.ndarray            # (K,) objective at x
    grad: np.ndarray           # (K, P) gradient at x
    iterations: np.ndarray     # (K,) iterations each start ran
    stopped: np.ndarray        # (K,) True where a stopping rule fired before max_iterations


def minimize_batched(objective: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
                     starts, max_iterations: int = 200, gradient_tolerance: float = 1e-9,
                     value_tolerance: float = 1e-12, first_step: float = 1.0) -> BatchedMinimum:
    """Minimise ``objective`` from every row of ``starts`` at once with BFGS.

    ``objective(X)`` takes a (K, P) array and returns values (K,) and gradients (K, P).
    ``first_step`` caps the largest parameter change of the first step, before any curvature is known.

    >>> import numpy as np
    >>> bowl = lambda X: (((X - 3.0) ** 2).sum(axis=1), 2 * (X - 3.0))
    >>> result = minimize_batched(bowl, np.array([[0.0, 0.0], [10.0, -4.0]]))
    >>> np.round(result.x, 6).tolist()
    [[3.0, 3.0], [3.0, 3.0]]
    """
    x = np.array(starts, dtype=float, copy=True)
    n_starts, n_params = x.shape
    fun, grad = objective(x)
    identity = np.eye(n_params)
    inverse_hessian = np.broadcast_to(identity, (n_starts, n_params, n_params)).copy()
    has_curvature = np.zeros(n_starts, dtype=bool)
    iterations = np.zeros(n_starts, dtype=int)
    running = np.isfinite(fun) & (np.abs(grad).max(axis=1) > gradient_tolerance)
    stopped = ~running

    for _ in range(max_iterations):
        rows = np.flatnonzero(running)
        if rows.size == 0:
            break
        x0, f0, g0, H = x[rows], fun[rows], grad[rows], inverse_hessian[rows]
        direction = -np.einsum("kij,kj->ki", H, g0)
        slope = np.einsum("ki,ki->k", direction, g0)
        uphill = ~(slope < 0)
        if uphill.any():        # a stale curvature estimate: fall back to steepest descent
            direction[uphill] = -g0[uphill]
            H[uphill] = identity
            has_curvature[rows[uphill]] = False
            slope = np.einsum("ki,ki->k", direction, g0)
        step = np.ones(rows.size)
        fresh = ~has_curvature[rows]
        step[fresh] = np.minimum(1.0, first_step / np.abs(direction[fresh]).max(axis=1))

        x1, f1, g1 = x0.copy(), f0.copy(), g0.copy()
        searching = np.arange(rows.size)
        for _ in range(MAX_HALVINGS):
            trial = x0[searching] + step[searching, None] * direction[searching]
            f_trial, g_trial = objective(trial)
            accepted = np.isfinite(f_trial) & (
                f_trial <= f0[searching] + ARMIJO * step[searching] * slope[searching])
            done = searching[accepted]
            x1[done], f1[done], g1[done] = trial[accepted], f_trial[accepted], g_trial[accepted]
            searching = searching[~accepted]
            if searching.size == 0:
                break
            step[searching] *= 0.5
        line_search_failed = np.zeros(rows.size, dtype=bool)
        line_search_failed[searching] = True

        s, y = x1 - x0, g1 - g0
        sy = np.einsum("ki,ki->k", s, y)
        curved = sy > 1e-12 * np.sqrt(np.einsum("ki,ki->k", s, s) * np.einsum("ki,ki->k", y, y))
        if curved.any():
            Hc, sc, yc, syc = H[curved], s[curved], y[curved], sy[curved]
            # before the first update, scale H to the observed curvature (Nocedal & Wright eq. 6.20)
            first = fresh[curved]
            Hc[first] = identity * (syc[first] / np.einsum("ki,ki->k", yc[first], yc[first]))[:, None, None]
            rho = 1.0 / syc
            left = identity - rho[:, None, None] * sc[:, :, None] * yc[:, None, :]
            H[curved] = left @ Hc @ left.transpose(0, 2, 1) + rho[:, None, None] * sc[:, :, None] * sc[:, None, :]
            has_curvature[rows[curved]] = True

        x[rows], fun[rows], grad[rows], inverse_hessian[rows] = x1, f1, g1, H
        iterations[rows] += 1
        small_gradient = np.abs(g1).max(axis=1) <= gradient_tolerance
        no_progress = (f0 - f1) <= value_tolerance * np.maximum(np.abs(f0), np.finfo(float).tiny)
        finished = small_gradient | (no_progress & ~line_search_failed) | line_search_failed
        running[rows[finished]] = False
        stopped[rows[finished]] = True

    return BatchedMinimum(x=x, fun=fun, grad=grad, iterations=iterations, stopped=stopped)
