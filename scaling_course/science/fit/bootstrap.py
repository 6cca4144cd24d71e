"""Bootstrap confidence intervals for any fit: refit on resampled runs, read off the spread.

Resample the runs with replacement, refit, repeat; the spread of the refitted quantities is the
uncertainty of the fit (Efron 1979). Hoffmann et al. 2022 report 10th-90th percentiles of 100
refits on 80% of the data (Table 2); Epoch AI used 4000 resamples and found Approach 3's interval
for a, (0.454, 0.455), implausibly narrow: that precision "would require over 600,000
experiments" (Besiroglu et al. 2024, arXiv:2404.10102).
"""

from __future__ import annotations

__all__ = ["Bootstrap", "bootstrap"]

import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from scaling_course.validation import (
    check_callable,
    check_number,
    check_positive_int,
    check_seed,
    positive_values,
    same_length,
)

from .convergence import ConvergenceWarning


@dataclass(frozen=True)
class Bootstrap:
    """Refits on resampled runs. Ask for any quantity by attribute name or as a function of a fit."""

    fits: list                 # one fit per resample that could be fitted
    n_resamples: int           # resamples drawn
    n_failed: int              # resamples whose fit raised ValueError (e.g. a constant column)
    n_not_converged: int       # resamples whose fit reported converged=False (kept, but counted)

    def values(self, quantity: str | Callable[[Any], float]) -> np.ndarray:
        """The quantity over all refits: ``"alpha"``, or e.g. ``lambda fit: fit.predict(1e9, 2e10)``."""
        if not self.fits:
            raise ValueError("no resample could be fitted, so there is nothing to summarise")
        get = quantity if callable(quantity) else (lambda fit: getattr(fit, quantity))
        return np.array([np.asarray(get(fit), dtype=float) for fit in self.fits])

    def interval(self, quantity, level: float = 0.8) -> tuple[float, float]:
        """The central ``level`` percentile interval; 0.8 gives Hoffmann et al.'s 10th-90th percentiles."""
        check_number(level, "level", above=0, below=1)
        tail = 50.0 * (1.0 - level)
        low, high = np.percentile(self.values(quantity), [tail, 100.0 - tail], axis=0)
        return low, high

    def std(self, quantity) -> float:
        """The bootstrap standard error (Epoch AI's "SE")."""
        return np.std(self.values(quantity), axis=0, ddof=1)


def bootstrap(fit_function: Callable[..., Any], *columns, n_resamples: int = 100, fraction: float = 1.0,
              replace: bool = True, seed=0, **fit_kwargs) -> Bootstrap:
    """Refit ``fit_function(*resampled_columns, **fit_kwargs)`` on ``n_resamples`` resamples of the runs.

    Each resample draws ``fraction`` × (number of runs) rows, with replacement by default
    (``fraction=0.8, replace=False`` is Hoffmann et al.'s "80% of the data"). All columns are
    resampled by the same rows, so each run keeps its N, D and loss together; like every input of a
    scaling-law fit they must be positive. For a Chinchilla fit, pass a small grid or the full-data
    optimum (``starts=[fit.theta]``) as ``starts`` to keep it quick.

    >>> import numpy as np
    >>> from scaling_course.science.fit import fit_power_law
    >>> x = np.geomspace(1e3, 1e6, 20)
    >>> y = 3.0 * x ** -0.2 * np.exp(0.01 * np.random.default_rng(2).standard_normal(20))
    >>> low, high = bootstrap(fit_power_law, x, y, n_resamples=50, irreducible=False).interval("alpha")
    >>> f"10th-90th percentiles of alpha: {low:.4f} to {high:.4f}"
    '10th-90th percentiles of alpha: 0.1989 to 0.2011'
    """
    check_callable(fit_function, "fit_function", "(*columns, **fit_kwargs) -> fit")
    if not columns:
        raise ValueError("columns must follow fit_function, one value per run, as in bootstrap(fit_power_law, N, "
                         "loss), got none")
    check_seed(seed)
    check_positive_int(n_resamples, "n_resamples")
    check_number(fraction, "fraction", above=0, maximum=None if replace else 1.0)
    arrays = [positive_values(column, f"column {i}") for i, column in enumerate(columns)]
    n_runs = same_length(**{f"column {i}": a for i, a in enumerate(arrays)})
    size = max(1, int(round(fraction * n_runs)))
    rng = np.random.default_rng(seed)
    fits, failed, not_converged = [], 0, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)    # counted below, reported once
        for _ in range(n_resamples):
            rows = rng.choice(n_runs, size=size, replace=replace)
            try:
                fit = fit_function(*(a[rows] for a in arrays), **fit_kwargs)
            except ValueError:
                failed += 1
                continue
            not_converged += not getattr(fit, "converged", True)
            fits.append(fit)
    if not_converged:
        warnings.warn(f"bootstrap: {not_converged} of {len(fits)} refits did not converge; their spread "
                      "overstates or understates the uncertainty", ConvergenceWarning, stacklevel=2)
    return Bootstrap(fits=fits, n_resamples=n_resamples, n_failed=failed, n_not_converged=not_converged)
