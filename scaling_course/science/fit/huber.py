"""The Huber loss: quadratic for small residuals, linear for large ones, so outliers pull less.

    Huber_δ(r) = r²/2            if |r| ≤ δ
               = δ·(|r| − δ/2)   otherwise

Hoffmann et al. 2022 (arXiv:2203.15556, eq. 3) apply it to residuals of log-loss with δ = 10⁻³.
Their residuals are mostly larger than δ, so the fit behaves almost like least absolute deviations,
which is what makes it robust to the odd bad run.
"""

from __future__ import annotations

__all__ = ["huber"]

import numpy as np

from scaling_course.science.reference import CHINCHILLA_HUBER_DELTA
from scaling_course.validation import check_finite_array, check_positive_number


def huber(residuals, delta: float = CHINCHILLA_HUBER_DELTA) -> np.ndarray:
    """Huber_δ(r), elementwise (the same definition as ``scipy.special.huber`` and PyTorch).

    >>> [round(float(v), 10) for v in huber([0.0, 1e-3, 1.0], delta=1e-3)]
    [0.0, 5e-07, 0.0009995]
    """
    size = np.abs(check_finite_array(residuals, "residuals"))
    delta = check_positive_number(delta, "delta")
    # one formula for both branches: with c = min(|r|, δ), Huber = c·(|r| − c/2)
    clipped = np.minimum(size, delta)
    return clipped * (size - 0.5 * clipped)
