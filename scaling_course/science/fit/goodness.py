"""Goodness of fit in log space, where scaling laws are judged.

Losses of runs a thousand times apart in compute differ by a few percent, so residuals are
compared as ratios: log L̂ − log L ≈ the relative error of the prediction.

* R² in log space: 1 − Σ(log L − log L̂)² / Σ(log L − mean log L)². 1 is a perfect fit; 0 is no
  better than predicting the mean loss for every run.
* RMSE of the log residuals: the typical relative error. 0.01 means predictions are off by about 1%.

Every fitted law reports both, and how many runs it was fitted to (:class:`Goodness`); a law
fitted by an optimiser also says whether it converged (:class:`CheckedFit`).
"""

from __future__ import annotations

__all__ = ["CheckedFit", "Goodness"]

from dataclasses import dataclass, field

import numpy as np

from .convergence import Convergence


@dataclass(frozen=True, kw_only=True)
class Goodness:
    """How well a fitted law matches its runs, in log space (the fields every ``*Fit`` shares)."""

    r_squared_log: float      # R² in log space (1 is perfect)
    rmse_log: float           # RMSE of log residuals: the typical relative error
    n_points: int             # runs fitted


@dataclass(frozen=True, kw_only=True)
class CheckedFit(Goodness):
    """A fit found by an optimiser, with the verdict of the convergence test on it."""

    converged: bool                                                     # the gradient test passed
    convergence: Convergence | None = field(default=None, repr=False)   # its details; None for a closed form


def goodness(observed, predicted) -> dict:
    """The :class:`Goodness` fields for these observations and predictions, to pass as keywords.

    >>> goodness([1.0, 2.0], [1.0, 2.0])
    {'r_squared_log': 1.0, 'rmse_log': 0.0, 'n_points': 2}
    """
    return {"r_squared_log": log_r_squared(observed, predicted), "rmse_log": log_rmse(observed, predicted),
            "n_points": len(observed)}


def log_r_squared(observed, predicted) -> float:
    """R² of log(predicted) against log(observed); ``nan`` when the observed values are all equal.

    >>> round(log_r_squared([1.0, 2.0, 4.0], [1.0, 2.0, 4.0]), 6)
    1.0
    """
    log_observed, log_predicted = np.log(observed), np.log(predicted)
    spread = np.sum((log_observed - log_observed.mean()) ** 2)
    if spread == 0:
        return float("nan")
    return float(1.0 - np.sum((log_observed - log_predicted) ** 2) / spread)


def log_rmse(observed, predicted) -> float:
    """Root-mean-square of log(predicted) − log(observed): the typical relative error.

    >>> round(log_rmse([1.0, 1.0], [1.01, 0.99]), 4)
    0.01
    """
    return float(np.sqrt(np.mean((np.log(predicted) - np.log(observed)) ** 2)))
