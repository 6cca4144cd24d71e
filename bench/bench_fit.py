"""Chinchilla's parametric fit on a full 4500-start grid: batched numpy against a plain scipy loop.

    python -m bench fit          # about half a minute on a 2-core machine

Data: 243 simulated IsoFLOP runs (9 budgets × 27 sizes, 1% noise) from Epoch AI's refit, the
size of the 245 points Epoch extracted from Chinchilla's Fig. 4.

* Fast path: ``fit_chinchilla`` with the default 4500-start grid of Hoffmann et al. (all starts
  at once with batched BFGS, then the best five polished by L-BFGS-B). Target: under 5 s.
* Baseline: the textbook loop, one ``scipy.optimize.minimize(method="L-BFGS-B")`` per start with
  the same objective, analytic gradient and tolerances. It is timed on a random subset of the
  grid and scaled to 4500 starts, since the full loop takes minutes.

Both run with single-threaded BLAS (threadpoolctl): with OpenBLAS's
default threads on a busy machine the baseline loop can be another 10-100× slower, which would
flatter the ratio for the wrong reason.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from scaling_course.science.fit import chinchilla_start_grid, fit_chinchilla
from scaling_course.science.fit.multistart import TIGHT_SCIPY_OPTIONS
from scaling_course.science.fit.objective import HuberLogObjective
from scaling_course.science.laws import allocation_exponents
from scaling_course.science.reference import EPOCH_REFIT
from scaling_course.science.simulate import simulate_chinchilla_runs

TARGET_SECONDS = 5.0
BASELINE_SUBSET = 150        # starts timed in the plain loop; the total is scaled up to the full grid
REPEATS = 3                  # fast-path timings; the median is reported


def plain_loop(objective: HuberLogObjective, starts: np.ndarray, options: dict) -> tuple[float, float]:
    """(seconds, best objective) of one L-BFGS-B run per start, in a Python loop."""
    best = np.inf
    started = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):  # small LAPACK calls stall on busy threads
        for start in starts:
            result = minimize(objective.single, start, jac=True, method="L-BFGS-B", options=options)
            best = min(best, float(result.fun))
    return time.perf_counter() - started, best


def main() -> None:
    runs = simulate_chinchilla_runs(EPOCH_REFIT, noise=0.01, seed=0)
    grid = chinchilla_start_grid()
    objective = HuberLogObjective(np.log(np.column_stack([runs.N, runs.D])), np.log(runs.loss))
    print(f"{len(runs.loss)} simulated runs, {len(grid)} starting points, true a = "
          f"{allocation_exponents(EPOCH_REFIT)[0]:.3f}")

    fit_chinchilla(runs.N, runs.D, runs.loss, starts=grid[:50])          # warm-up: imports, caches
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fit = fit_chinchilla(runs.N, runs.D, runs.loss, starts=grid)
        times.append(time.perf_counter() - started)
    fast = statistics.median(times)
    print(f"batched fit_chinchilla, full grid: {fast:.2f} s (median of {REPEATS}: "
          f"{', '.join(f'{t:.2f}' for t in times)}); Σ Huber {fit.objective:.10f}, a = {fit.a:.3f}, "
          f"{'converged' if fit.converged else 'NOT converged'}")

    subset = grid[np.random.default_rng(0).choice(len(grid), BASELINE_SUBSET, replace=False)]
    for label, options in (("same tight tolerances", TIGHT_SCIPY_OPTIONS), ("scipy defaults", {})):
        seconds, best = plain_loop(objective, subset, options)
        full_loop = seconds * len(grid) / len(subset)
        print(f"plain scipy loop, {label}: {seconds:.2f} s for {len(subset)} starts "
              f"({1e3 * seconds / len(subset):.1f} ms/start) -> {full_loop:.1f} s for {len(grid)} "
              f"(scaled); best Σ Huber on the subset {best:.10f}")
        print(f"  speed-up of the batched fit: {full_loop / fast:.1f}x")
    verdict = "meets" if fast < TARGET_SECONDS else "MISSES"
    print(f"full-grid fit {fast:.2f} s {verdict} the {TARGET_SECONDS:.0f} s target")


if __name__ == "__main__":
    main()
