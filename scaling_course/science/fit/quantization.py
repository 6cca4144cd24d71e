"""Fitting the quantization model of neural scaling to a sparse-parity parameter sweep.

Michaud, Liu, Girit & Tegmark 2023 ("The Quantization Model of Neural Scaling", arXiv:2303.13506):
a network learns discrete skills ("quanta") in order of how often they are used. With subtask
frequencies p_i ∝ i^-(α+1), a model that has learned the n most frequent subtasks fails on a
fraction Σ_{i>n} p_i of examples. If each subtask costs c hidden units, a model of width w has
learned n = w / c subtasks, so its loss is

    L(w) = A · Σ_{i > w/c} p_i ,

which falls as w^-α once n is large (Michaud et al. 2023, §3: α_N = α). At CPU sizes a width learns only
a handful of the subtasks, far from that limit, where a plain E + A·N^-α fit is biased; fitting
the model's exact tail sum measures α without that bias. Free parameters: A, c and α
(or only A and c, with α fixed at the task's known value).
"""

from __future__ import annotations

__all__ = ["QuantizationFit", "fit_quantization_law"]

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import curve_fit

from scaling_course.validation import check_positive_int, check_positive_number, fit_columns

from ..laws import unlearned_fraction
from .goodness import Goodness, goodness


@dataclass(frozen=True)
class QuantizationFit(Goodness):
    """L(w) = scale · Σ_{i > w/width_per_subtask} p_i with p_i ∝ i^-(alpha+1)."""

    scale: float                # A: the loss of a model that has learned nothing
    width_per_subtask: float    # c: hidden units each learned subtask costs
    alpha: float                # the Zipf exponent α; theory: loss ∝ N^-α at large N
    alpha_fitted: bool          # False when α was held at a given value
    n_subtasks: int

    def predict(self, width) -> np.ndarray:
        learned = np.asarray(width, dtype=float) / self.width_per_subtask
        return self.scale * unlearned_fraction(learned, self.n_subtasks, self.alpha)


def fit_quantization_law(width, loss, n_subtasks: int, alpha: float | None = None) -> QuantizationFit:
    """Fit L(w) = A · Σ_{i > w/c} p_i, p_i ∝ i^-(α+1) (Michaud et al. 2023) to losses at several widths,
    in log space. With ``alpha`` given, only A and c are fitted.

    Far past the last subtask the sum is 0, so the curve falls faster than any power law: the
    regime where a pure power law stops extrapolating.

    >>> import numpy as np
    >>> from scaling_course.science.laws import unlearned_fraction
    >>> width = np.geomspace(4, 128, 8)
    >>> loss = 0.6 * unlearned_fraction(width / 9.0, 64, 0.4)
    >>> round(fit_quantization_law(width, loss, n_subtasks=64).alpha, 2)
    0.4
    >>> round(fit_quantization_law(width, loss, n_subtasks=64, alpha=0.4).width_per_subtask, 2)
    9.0
    """
    check_positive_int(n_subtasks, "n_subtasks")
    if alpha is not None:
        check_positive_number(alpha, "alpha")
    width, loss = fit_columns(3 if alpha is None else 2, "the quantization law", width=width, loss=loss)

    def log_law(log_w, log_scale, log_c, exponent):
        learned = np.exp(log_w - log_c)
        return log_scale + np.log(np.maximum(unlearned_fraction(learned, n_subtasks, max(exponent, 1e-3)), 1e-12))

    log_w, log_loss = np.log(width), np.log(loss)
    if alpha is None:
        (log_scale, log_c, exponent), _ = curve_fit(log_law, log_w, log_loss, p0=[0.0, math.log(8.0), 0.4],
                                                    maxfev=20000)
    else:
        (log_scale, log_c), _ = curve_fit(lambda x, a, c: log_law(x, a, c, alpha), log_w, log_loss,
                                          p0=[0.0, math.log(8.0)], maxfev=20000)
        exponent = alpha
    predicted = np.exp(log_law(log_w, log_scale, log_c, exponent))
    return QuantizationFit(scale=math.exp(log_scale), width_per_subtask=math.exp(log_c), alpha=float(exponent),
                           alpha_fitted=alpha is None, n_subtasks=n_subtasks, **goodness(loss, predicted))
