"""Fit the repetition constants of the data-constrained law (Muennighoff et al. 2023, arXiv:2305.16264).

    L = E + A/N'^α + B/D'^β,   D' = U_D + U_D·R_D*·(1 − e^(−R_D/R_D*)),   N' likewise with R_N*

(formulas in :mod:`scaling_course.laws`). The fit runs in two steps: the base law (E, A, B, α, β)
comes from single-epoch runs, which repetition does not touch, then R_D* and R_N* are fitted on
all runs with the base law held fixed, by Σ Huber_δ on log residuals. Splitting the fit keeps
each step small and well posed; it is the course's choice, not a claim about the paper's procedure.
R_N* can only be measured from runs larger than the compute-optimal size for their unique data;
without such runs it stays at Muennighoff et al.'s value and the result says so.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from ..laws import data_constrained_loss
from ..reference import CHINCHILLA_HUBER_DELTA, MUENNIGHOFF, DataConstrainedLaw
from .chinchilla import chinchilla_start_grid, fit_chinchilla
from .convergence import DEFAULT_GRADIENT_TOLERANCE, Convergence, warn_unless_converged
from .goodness import log_r_squared, log_rmse
from .robust_least_squares import robust_least_squares
from .validation import fit_columns

START_DECAY_CONSTANTS = (1.0, 5.0, 25.0, 100.0)


@dataclass(frozen=True)
class DataConstrainedFit:
    """Muennighoff et al.'s law with fitted decay constants R_D* and R_N*."""

    law: DataConstrainedLaw       # base constants plus the fitted R_D*, R_N*
    fitted_R_N_star: bool         # False when no run had excess parameters (R_N* kept at the paper's value)
    r_squared_log: float          # R² in log space over all runs
    rmse_log: float               # RMSE of log residuals
    n_points: int
    converged: bool               # the gradient test (see .convergence)
    convergence: Convergence = field(repr=False)

    @property
    def R_D_star(self) -> float:
        return self.law.R_D_star

    @property
    def R_N_star(self) -> float:
        return self.law.R_N_star

    def predict(self, N, D, unique_tokens):
        """Loss of N parameters trained on D tokens drawn from ``unique_tokens`` unique ones."""
        return data_constrained_loss(N, D, unique_tokens, self.law)


def fit_data_constrained(N, D, unique_tokens, loss, base=None, *, delta: float = CHINCHILLA_HUBER_DELTA,
                         gradient_tolerance: float = DEFAULT_GRADIENT_TOLERANCE,
                         warn: bool = True) -> DataConstrainedFit:
    """Fit R_D* (and R_N* where the runs allow) of the data-constrained law.

    ``base`` is the single-epoch law (anything with E, A, B, alpha, beta); by default it is fitted
    with :func:`fit_chinchilla` on the runs that see each token at most once (D ≤ unique_tokens).

    >>> import numpy as np
    >>> from scaling_course.laws import data_constrained_loss
    >>> N = np.array([1e8, 1e8, 1e8, 1e8, 5e8, 5e8]); D = np.array([1e9, 4e9, 1.6e10, 6.4e10, 1e10, 4e10])
    >>> fit = fit_data_constrained(N, D, 1e9, data_constrained_loss(N, D, 1e9), base=MUENNIGHOFF)
    >>> round(fit.R_D_star, 3)
    15.388
    """
    N, D, unique, loss = fit_columns(2, "the data-constrained law's R_D* and R_N*", N=N, D=D,
                                     unique_tokens=np.broadcast_to(unique_tokens, np.shape(N)), loss=loss)
    if not np.any(D > unique):
        raise ValueError("no run repeats its data (every D <= unique_tokens): R_D* measures the worth of "
                         "repeated tokens, so include runs of several epochs")
    if base is None:
        single_epoch = D <= unique
        if single_epoch.sum() < 5:
            raise ValueError(f"fitting the base law needs at least 5 single-epoch runs (D <= unique_tokens), "
                             f"got {int(single_epoch.sum())}; pass base= a law fitted elsewhere")
        base = fit_chinchilla(N[single_epoch], D[single_epoch], loss[single_epoch],
                              starts=chinchilla_start_grid(coarse=True), warn=warn)
    probe = _law(base, MUENNIGHOFF.R_D_star, MUENNIGHOFF.R_N_star)
    # a run has excess parameters when it is bigger than the compute-optimal size for its unique data
    excess = data_constrained_loss(N, D, unique, probe) != data_constrained_loss(
        N, D, unique, _law(base, MUENNIGHOFF.R_D_star, 1e12))
    fit_R_N = bool(np.any(excess))
    log_loss = np.log(loss)

    def law_from(theta):
        return _law(base, np.exp(theta[0]), np.exp(theta[1]) if fit_R_N else MUENNIGHOFF.R_N_star)

    def residuals(theta):
        return np.log(data_constrained_loss(N, D, unique, law_from(theta))) - log_loss

    grid = [np.log(START_DECAY_CONSTANTS)] * (2 if fit_R_N else 1)
    starts = np.array(list(itertools.product(*grid)))
    best = robust_least_squares(residuals, starts, len(N), delta, gradient_tolerance)
    if warn:
        warn_unless_converged(best.convergence, "fit_data_constrained")
    law = law_from(best.theta)
    predicted = data_constrained_loss(N, D, unique, law)
    return DataConstrainedFit(law=law, fitted_R_N_star=fit_R_N, r_squared_log=log_r_squared(loss, predicted),
                              rmse_log=log_rmse(loss, predicted), n_points=len(N),
                              converged=best.convergence.converged, convergence=best.convergence)


def _law(base, R_D_star: float, R_N_star: float) -> DataConstrainedLaw:
    return DataConstrainedLaw(E=base.E, A=base.A, B=base.B, alpha=base.alpha, beta=base.beta,
                              R_D_star=float(R_D_star), R_N_star=float(R_N_star),
                              source="fit_data_constrained (base law + fitted decay constants)")
