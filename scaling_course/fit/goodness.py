"""Goodness of fit in log space, where scaling laws are judged.

Losses of runs a thousand times apart in compute differ by a few percent, so residuals are
compared as ratios: log L̂ − log L ≈ the relative error of the prediction.

* R² in log space: 1 − Σ(log L − log L̂)² / Σ(log L − mean log L)². 1 is a perfect fit; 0 is no
  better than predicting the mean loss for every run.
* RMSE of the log residuals: the typical relative error. 0.01 means predictions are off by about 1%.
"""

from __future__ import annotations

import numpy as np


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
