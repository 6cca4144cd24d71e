"""The fitting objective of Hoffmann et al. (2022): Huber loss on log residuals, log-sum-exp form.

A sum of power laws plus a constant,

    L̂ = E + A₁/x₁^α₁ + … + A_T/x_T^α_T,

is written with A_t = exp(c_t) and E = exp(e) so that its logarithm is a log-sum-exp:

    log L̂ = LSE(c₁ − α₁·log x₁, …, c_T − α_T·log x_T, e)

(Hoffmann et al. 2022, arXiv:2203.15556, App. D.2). The parameters are unconstrained, the
computation never overflows, and the residuals log L̂ − log L are relative errors. The objective is

    Σ_runs Huber_δ(log L̂_i − log L_i)          (eq. 3, δ = 10⁻³)

**summed** over runs. Averaging instead divides the objective and its gradient by the number of
runs; Besiroglu et al. 2024 (arXiv:2404.10102) found that this is why the original fit stopped
before converging. ``reduction="mean"`` exists only to show that failure.

One parameter vector is laid out as ``[c₁ … c_T, e, α₁ … α_T]``; for Chinchilla's
L(N, D) = E + A/N^α + B/D^β that is Epoch AI's ``(a, b, e, α, β)``.
"""

from __future__ import annotations

__all__ = ["HuberLogObjective", "log_sum_exp_prediction"]

import numpy as np

from scaling_course.validation import check_choice, check_finite_array, check_positive_number, same_length

from ..reference import CHINCHILLA_HUBER_DELTA

REDUCTIONS = ("sum", "mean")
# Temporaries under 128 kB: small enough for the CPU cache, and under glibc's mmap threshold, above
# which every fresh array is mapped and unmapped again (measured: 4× slower at 256 kB).
CACHE_FRIENDLY_ELEMENTS = 12_000


def log_sum_exp_prediction(theta, log_inputs) -> np.ndarray:
    """log L̂ = LSE(c_t − α_t·log x_t for each term t, e) for one parameter vector.

    ``theta`` is ``[c₁ … c_T, e, α₁ … α_T]``; ``log_inputs`` has one column per term.

    >>> import numpy as np
    >>> theta = np.log([406.4, 410.7, 1.69]).tolist() + [0.34, 0.28]   # Hoffmann eq. 10
    >>> round(float(np.exp(log_sum_exp_prediction(theta, np.log([[70e9, 1.4e12]]))[0])), 4)
    1.9366
    """
    log_inputs = np.atleast_2d(check_finite_array(log_inputs, "log_inputs"))
    theta = check_finite_array(theta, "theta", ndim=1)
    n_terms = log_inputs.shape[1]
    if len(theta) != 2 * n_terms + 1:
        raise ValueError(f"theta must have 2·T + 1 = {2 * n_terms + 1} values [c₁ … c_T, e, α₁ … α_T] for "
                         f"T = {n_terms} input columns, got {len(theta)}")
    terms = theta[:n_terms] - theta[n_terms + 1:] * log_inputs          # (n, T)
    stacked = np.concatenate([terms, np.full((len(terms), 1), theta[n_terms])], axis=1)
    top = stacked.max(axis=1)
    return top + np.log(np.exp(stacked - top[:, None]).sum(axis=1))


class HuberLogObjective:
    """Σ Huber_δ(log L̂ − log L) and its analytic gradient, for many parameter vectors at once.

    Evaluating thousands of starting points in one call is what makes a 4500-start grid fast:
    the work is a few numpy passes over a (starts × runs) array instead of a Python loop.

    >>> import numpy as np
    >>> objective = HuberLogObjective(np.log([[1e8, 1e10], [1e9, 2e10]]), np.log([3.0, 2.5]))
    >>> value, gradient = objective(np.zeros((4, 5)))
    >>> value.shape, gradient.shape
    ((4,), (4, 5))
    """

    def __init__(self, log_inputs, log_loss, delta: float = CHINCHILLA_HUBER_DELTA,
                 reduction: str = "sum"):
        check_choice(reduction, "reduction", REDUCTIONS)
        check_positive_number(delta, "delta (the Huber threshold)")
        self.log_inputs = np.atleast_2d(check_finite_array(log_inputs, "log_inputs"))   # (n, T)
        self.log_loss = check_finite_array(log_loss, "log_loss", ndim=1)                # (n,)
        same_length(log_inputs=self.log_inputs, log_loss=self.log_loss)
        self.delta = float(delta)
        self.reduction = reduction
        self.n_terms = self.log_inputs.shape[1]
        self._columns = [np.ascontiguousarray(column) for column in self.log_inputs.T]
        self.n_parameters = 2 * self.n_terms + 1
        # "mean" divides by the number of runs: the whole point of the loss-scale lesson
        self.scale = 1.0 / len(self.log_loss) if reduction == "mean" else 1.0

    def __call__(self, thetas) -> tuple[np.ndarray, np.ndarray]:
        """Objective values (K,) and gradients (K, P) for K parameter vectors of shape (K, P)."""
        thetas = np.atleast_2d(np.asarray(thetas, dtype=float))
        # Work through the starts in blocks whose (block × runs) temporaries stay small:
        # one huge array per step spends more time faulting in fresh memory than computing.
        rows = max(1, CACHE_FRIENDLY_ELEMENTS // len(self.log_loss))
        if len(thetas) <= rows:
            return self._evaluate(thetas)
        parts = [self._evaluate(thetas[i:i + rows]) for i in range(0, len(thetas), rows)]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _evaluate(self, thetas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        T = self.n_terms
        e = thetas[:, T, None]
        # one (K, n) array per power-law term: u_t = c_t − α_t·log x_t. A loop over the one or two
        # terms keeps every operation elementwise, which numpy does much faster than a reduction
        # over a short middle axis.
        terms = [thetas[:, t, None] - thetas[:, T + 1 + t, None] * column
                 for t, column in enumerate(self._columns)]
        top = np.maximum(terms[0], e)
        for u in terms[1:]:
            np.maximum(top, u, out=top)                               # keeps every exp() ≤ 1
        weights = []
        for u in terms:
            u -= top
            weights.append(np.exp(u, out=u))
        constant_weight = np.exp(e - top)
        total = constant_weight.copy()
        for w in weights:
            total += w
        residuals = np.log(total)
        residuals += top
        residuals -= self.log_loss                                    # log L̂ − log L
        # Huber_δ(r) = s·(r − s/2) with s = r clipped to [−δ, δ], the slope the gradient needs too
        slope = np.clip(residuals, -self.delta, self.delta)
        residuals -= 0.5 * slope
        value = np.einsum("kn,kn->k", slope, residuals) * self.scale
        # d log L̂ / d(term t) is that term's softmax share, weights_t / total
        pull = np.divide(slope, total, out=slope)
        pull *= self.scale
        gradient = np.empty_like(thetas)
        for t, (w, column) in enumerate(zip(weights, self._columns)):
            w *= pull
            gradient[:, t] = w.sum(axis=1)
            gradient[:, T + 1 + t] = -(w @ column)
        gradient[:, T] = np.einsum("kn,kn->k", constant_weight, pull)
        return value, gradient

    def single(self, theta) -> tuple[float, np.ndarray]:
        """Value and gradient for one parameter vector, in the form ``scipy.optimize.minimize`` wants."""
        value, gradient = self(theta[None, :])
        return float(value[0]), gradient[0]

    def summed_gradient_norm(self, theta) -> float:
        """Largest gradient component of the **summed** objective, whatever ``reduction`` was fitted.

        Convergence is judged on this scale-free yardstick, so a fit made on the mean (whose
        gradient is n times smaller) cannot look converged just because its numbers are small.
        """
        _, gradient = self(np.asarray(theta, dtype=float)[None, :])
        return float(np.max(np.abs(gradient[0])) / self.scale)
