"""Chinchilla's parametric fit (Hoffmann et al. 2022, Approach 3), done the way that converges.

The law (eq. 2):   L̂(N, D) = E + A/N^α + B/D^β,  N parameters, D training tokens.

The fit (eq. 3, App. D.2), as replicated by Besiroglu et al. 2024 (Epoch AI, arXiv:2404.10102):

* parameters (a, b, e, α, β) with A = eᵃ, B = eᵇ, E = eᵉ, so that
  log L̂ = LSE(a − α·log N, b − β·log D, e);
* objective Σ_runs Huber_δ(log L̂ − log L) with δ = 10⁻³, **summed** over runs;
* L-BFGS from each point of a 4500-start grid, keeping the best;
* then the check the original skipped: is the gradient at the answer actually (close to) zero?

From the fitted law follows the compute-optimal split of a budget C = 6·N·D (eq. 4):
N_opt ∝ C^a and D_opt ∝ C^b with a = β/(α+β) and b = α/(α+β).
"""

from __future__ import annotations

__all__ = ["ChinchillaFit", "chinchilla_start_grid", "fit_chinchilla"]

import itertools
from dataclasses import dataclass, field

import numpy as np

from scaling_course.science.laws import chinchilla_loss, compute_optimal_allocation
from scaling_course.science.reference import CHINCHILLA_HUBER_DELTA, FLOPS_PER_PARAMETER_TOKEN
from scaling_course.validation import check_instance, fit_columns, not_constant

from .convergence import DEFAULT_GRADIENT_TOLERANCE, assess_convergence, warn_unless_converged
from .goodness import CheckedFit, goodness
from .multistart import minimize_from_starts
from .objective import HuberLogObjective

#: The initialisation grid of Hoffmann et al. 2022 (section 3.3 / App. D.2), as replicated in
#: Epoch AI's notebook: α, β ∈ {0, 0.5, …, 2}; e ∈ {−1, −0.5, …, 1}; a, b ∈ {0, 5, …, 25}.
GRID_EXPONENTS = (0.0, 0.5, 1.0, 1.5, 2.0)
GRID_LOG_E = (-1.0, -0.5, 0.0, 0.5, 1.0)
GRID_LOG_AB = (0.0, 5.0, 10.0, 15.0, 20.0, 25.0)


def chinchilla_start_grid(coarse: bool = False) -> np.ndarray:
    """Starting points (a, b, e, α, β): the full 5·5·5·6·6 = 4500-point grid of Hoffmann et al.,
    or with ``coarse=True`` every other value of each axis (3⁵ = 243 points) for quick fits.

    >>> chinchilla_start_grid().shape, chinchilla_start_grid(coarse=True).shape
    ((4500, 5), (243, 5))
    """
    step = 2 if check_instance(coarse, "coarse", bool) else 1
    axes = (GRID_LOG_AB[::step], GRID_LOG_AB[::step], GRID_LOG_E[::step],
            GRID_EXPONENTS[::step], GRID_EXPONENTS[::step])
    return np.array(list(itertools.product(*axes)), dtype=float)


@dataclass(frozen=True)
class ChinchillaFit(CheckedFit):
    """L(N, D) = E + A/N^α + B/D^β fitted to runs, with its compute-optimal allocation."""

    E: float                  # irreducible loss
    A: float                  # scale of the finite-model term A/N^α
    B: float                  # scale of the finite-data term B/D^β
    alpha: float              # exponent of parameters
    beta: float               # exponent of tokens
    objective: float          # Σ Huber_δ(log L̂ − log L) at the fit (summed, whatever was optimised)
    n_starts: int             # starting points tried
    theta: np.ndarray = field(repr=False)          # (a, b, e, α, β) = (log A, log B, log E, α, β)

    @property
    def a(self) -> float:
        """Exponent of N_opt ∝ C^a: β/(α+β) (Hoffmann et al. 2022, eq. 4)."""
        return self.beta / (self.alpha + self.beta)

    @property
    def b(self) -> float:
        """Exponent of D_opt ∝ C^b: α/(α+β) (Hoffmann et al. 2022, eq. 4)."""
        return self.alpha / (self.alpha + self.beta)

    def predict(self, N, D):
        """E + A/N^α + B/D^β for N parameters and D tokens (numbers or arrays)."""
        return chinchilla_loss(N, D, self)

    def optimal_allocation(self, C, flops_per_parameter_token: float = FLOPS_PER_PARAMETER_TOKEN):
        """(N_opt, D_opt) for a budget of C FLOPs: N_opt = G·(C/6)^a, D_opt = G⁻¹·(C/6)^b,
        G = (αA/(βB))^(1/(α+β)) (Hoffmann et al. 2022, eq. 4)."""
        return compute_optimal_allocation(C, self, flops_per_parameter_token)

    def optimal_loss(self, C, flops_per_parameter_token: float = FLOPS_PER_PARAMETER_TOKEN):
        """The predicted loss of the compute-optimal model for C FLOPs."""
        return self.predict(*self.optimal_allocation(C, flops_per_parameter_token))

    def __str__(self) -> str:
        status = "converged" if self.converged else "NOT CONVERGED"
        return (f"L(N, D) = {self.E:.4g} + {self.A:.4g}/N^{self.alpha:.4g} + {self.B:.4g}/D^{self.beta:.4g}"
                f"   (a = {self.a:.3f}, b = {self.b:.3f}; {self.n_points} runs, {self.n_starts} starts, "
                f"Σ Huber {self.objective:.6g}, {status})")


def fit_chinchilla(N, D, loss, *, starts=None, delta: float = CHINCHILLA_HUBER_DELTA,
                   reduction: str = "sum", method: str = "batched", scipy_options: dict | None = None,
                   polish: int = 5, gradient_tolerance: float = DEFAULT_GRADIENT_TOLERANCE,
                   warn: bool = True) -> ChinchillaFit:
    """Fit L(N, D) = E + A/N^α + B/D^β by minimising Σ Huber_δ(LSE(a − α log N, b − β log D, e) − log L)
    from many starts (Hoffmann et al. 2022, eqs. 2-3 and App. D.2; Besiroglu et al. 2024).

    ``starts``: rows (a, b, e, α, β); default the full 4500-point grid (:func:`chinchilla_start_grid`).
    ``method``: ``"batched"`` (all starts at once, then the best ``polish`` polished with L-BFGS-B)
    or ``"scipy"`` (one L-BFGS-B run per start). ``scipy_options`` default to ftol = gtol = 1e-15.
    ``reduction="mean"`` averages the Huber terms the way the original did; with L-BFGS-B's
    default tolerances (``scipy_options={}``) it stops almost at once. Whatever the settings, the
    result is checked by its gradient and ``converged=False`` plus a
    :class:`~.convergence.ConvergenceWarning` say so when it is not a minimum.

    >>> from scaling_course.science.simulate import simulate_chinchilla_runs
    >>> runs = simulate_chinchilla_runs(seed=0)
    >>> fit = fit_chinchilla(runs.N, runs.D, runs.loss, starts=chinchilla_start_grid(coarse=True))
    >>> fit.converged, round(fit.a, 1)          # the true law has a = 0.513
    (True, 0.5)
    """
    N, D, loss = fit_columns(5, "the law E + A/N^α + B/D^β", N=N, D=D, loss=loss)
    not_constant(N, "N")
    not_constant(D, "D")
    starts = chinchilla_start_grid() if starts is None else np.atleast_2d(np.asarray(starts, dtype=float))
    log_inputs, log_loss = np.log(np.column_stack([N, D])), np.log(loss)
    objective = HuberLogObjective(log_inputs, log_loss, delta=delta, reduction=reduction)
    best = minimize_from_starts(objective, starts, method=method, scipy_options=scipy_options, polish=polish)

    summed = HuberLogObjective(log_inputs, log_loss, delta=delta, reduction="sum")
    verdict = assess_convergence(summed.summed_gradient_norm(best.theta), len(N), delta, best.theta,
                                 starts, gradient_tolerance)
    if warn:
        warn_unless_converged(verdict, "fit_chinchilla")
    log_A, log_B, log_E, alpha, beta = (float(v) for v in best.theta)
    E, A, B = np.exp(log_E), np.exp(log_A), np.exp(log_B)
    predicted = E + A / N ** alpha + B / D ** beta
    return ChinchillaFit(E=float(E), A=float(A), B=float(B), alpha=alpha, beta=beta,
                         objective=summed.single(best.theta)[0], n_starts=len(starts),
                         theta=np.array(best.theta), **goodness(loss, predicted),
                         converged=verdict.converged, convergence=verdict)
