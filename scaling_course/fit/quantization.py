"""Fitting the quantization model of neural scaling to a sparse-parity parameter sweep.

Michaud, Liu, Girit & Tegmark 2023 ("The Quantization Model of Neural Scaling", arXiv:2303.13506):
a network learns discrete skills ("quanta") in order of how often they are used. With subtask
frequencies p_i ∝ i^-(α+1), a model that has learned the n most frequent subtasks fails on a
fraction Σ_{i>n} p_i of examples. If each subtask costs c hidden units, a model of width w has
learned n = w / c subtasks, so its loss is

    L(w) = A · Σ_{i > w/c} p_i ,

which falls as w^-α once n is large (SCIENCE.md §7a: α_N = α). At CPU sizes a width learns only
a handful of the subtasks, far from that limit, where a plain E + A·N^-α fit is biased; fitting
the model's exact tail sum measures α without that bias. Free parameters: A, c and α.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import curve_fit

from ..validation import fit_columns


@dataclass(frozen=True)
class QuantizationFit:
    """L(w) = scale · Σ_{i > w/width_per_subtask} p_i with p_i ∝ i^-(alpha+1)."""

    scale: float                # A: the loss of a model that has learned nothing
    width_per_subtask: float    # c: hidden units each learned subtask costs
    alpha: float                # the Zipf exponent α; theory: loss ∝ N^-α at large N
    n_subtasks: int
    r_squared: float            # goodness of fit of log L

    def predict(self, width) -> np.ndarray:
        from ..data.tasks import SparseParity
        task = SparseParity(n_subtasks=self.n_subtasks, alpha=self.alpha)
        learned = np.asarray(width, dtype=float) / self.width_per_subtask
        return self.scale * task.unlearned_frequency(learned)


def fit_quantization_law(width, loss, n_subtasks: int) -> QuantizationFit:
    """Fit L(w) = A · Σ_{i > w/c} p_i, p_i ∝ i^-(α+1) (Michaud et al. 2023) to losses at several widths.

    >>> import numpy as np
    >>> from scaling_course.data.tasks import SparseParity
    >>> width = np.geomspace(4, 128, 8)
    >>> loss = 0.6 * SparseParity(n_subtasks=64, alpha=0.4).unlearned_frequency(width / 9.0)
    >>> round(fit_quantization_law(width, loss, n_subtasks=64).alpha, 2)
    0.4
    """
    from ..data.tasks import SparseParity

    width, loss = fit_columns(3, "the quantization law", width=width, loss=loss)

    def log_law(log_w, log_scale, log_c, alpha):
        task = SparseParity(n_subtasks=n_subtasks, alpha=max(alpha, 1e-3))
        return log_scale + np.log(np.maximum(task.unlearned_frequency(np.exp(log_w - log_c)), 1e-12))

    log_w, log_loss = np.log(width), np.log(loss)
    (log_scale, log_c, alpha), _ = curve_fit(log_law, log_w, log_loss, p0=[0.0, math.log(8.0), 0.4], maxfev=20000)
    residuals = log_law(log_w, log_scale, log_c, alpha) - log_loss
    r_squared = 1 - float(np.sum(residuals ** 2) / np.sum((log_loss - log_loss.mean()) ** 2))
    return QuantizationFit(math.exp(log_scale), math.exp(log_c), float(alpha), n_subtasks, r_squared)
