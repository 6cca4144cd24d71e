"""Fit the repetition constants of the data-constrained law (Muennighoff et al. 2023, arXiv:2305.16264).

    L = E + A/N'^α + B/D'^β,   D' = U_D + U_D·R_D*·(1 − e^(−R_D/R_D*)),   N' likewise with R_N*

(formulas in :mod:`scaling_course.science.laws`), fitted by Σ Huber_δ on log residuals like the other laws
here. Either the decay constants alone, on top of a base law (E, A, B, α, β) you already trust, or
all seven constants at once. R_N* can only be measured from runs larger than the compute-optimal
size for their unique data; without such runs it stays at Muennighoff et al.'s value and the
result says so.
"""

from __future__ import annotations

__all__ = ["DataConstrainedFit", "fit_data_constrained"]

import itertools
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from scaling_course.science.laws import check_law, data_constrained_loss, data_constrained_loss_unchecked
from scaling_course.science.reference import CHINCHILLA_HUBER_DELTA, MUENNIGHOFF, DataConstrainedLaw
from scaling_course.validation import fit_columns

from .chinchilla import chinchilla_start_grid, fit_chinchilla
from .convergence import DEFAULT_GRADIENT_TOLERANCE, warn_unless_converged
from .goodness import CheckedFit, goodness
from .robust_least_squares import robust_least_squares

START_DECAY_CONSTANTS = (1.0, 5.0, 25.0, 100.0)


@dataclass(frozen=True)
class DataConstrainedFit(CheckedFit):
    """Muennighoff et al.'s law with fitted decay constants R_D* and R_N*."""

    law: DataConstrainedLaw       # base constants plus the fitted R_D*, R_N*
    fitted_R_N_star: bool         # False when no run had excess parameters (R_N* kept at the paper's value)

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
    """Fit the data-constrained law by minimising Σ Huber_δ(log L̂ − log L) over the runs.

    With ``base`` (anything with E, A, B, alpha, beta) only R_D* and R_N* are fitted. Without it
    all seven constants are fitted together, starting from :func:`fit_chinchilla` on the runs that
    see each token at most once (D ≤ unique_tokens). That start is only a start: under this law even
    a single-epoch run is penalised when the model is larger than the compute-optimal size for its
    data, so those runs are not pure Chinchilla runs.

    >>> import numpy as np
    >>> from scaling_course.science.laws import data_constrained_loss
    >>> N = np.array([1e8, 1e8, 1e8, 1e8, 5e8, 5e8]); D = np.array([1e9, 4e9, 1.6e10, 6.4e10, 1e10, 4e10])
    >>> fit = fit_data_constrained(N, D, 1e9, data_constrained_loss(N, D, 1e9), base=MUENNIGHOFF)
    >>> round(fit.R_D_star, 3)
    15.388
    """
    if base is not None:
        check_law(base, "base")
    n_fitted = 2 if base is not None else 7
    if np.ndim(unique_tokens) == 0:       # one unique-data budget shared by every run
        unique_tokens = np.full(np.shape(N), unique_tokens, dtype=float)
    N, D, unique, loss = fit_columns(n_fitted, "the data-constrained law", N=N, D=D,
                                     unique_tokens=unique_tokens, loss=loss)
    if not np.any(D > unique):
        raise ValueError("no run repeats its data (every D <= unique_tokens): R_D* measures the worth of "
                         "repeated tokens, so include runs of several epochs")
    joint = base is None
    if joint:
        single_epoch = D <= unique
        if single_epoch.sum() < 5:
            raise ValueError(f"fitting the base law needs at least 5 single-epoch runs (D <= unique_tokens), "
                             f"got {int(single_epoch.sum())}; pass base= a law fitted elsewhere")
        base = fit_chinchilla(N[single_epoch], D[single_epoch], loss[single_epoch],
                              starts=chinchilla_start_grid(coarse=True), warn=False)
    # R_N* is measurable only if some run is bigger than the compute-optimal size for its unique data
    fit_R_N = bool(np.any(data_constrained_loss(N, D, unique, _law(base, 1.0, 1.0))
                          != data_constrained_loss(N, D, unique, _law(base, 1.0, 1e12))))
    log_loss = np.log(loss)
    base_theta = [np.log(base.A), np.log(base.B), np.log(base.E), base.alpha, base.beta]

    def law_from(theta):
        # the optimiser may step where a law is not valid (α < 0, R_D* underflowing to 0): plain numbers here,
        # a checked DataConstrainedLaw only for the answer
        constants = theta[:5] if joint else base_theta
        decay = theta[5:] if joint else theta
        return SimpleNamespace(E=np.exp(constants[2]), A=np.exp(constants[0]), B=np.exp(constants[1]),
                               alpha=constants[3], beta=constants[4], R_D_star=np.exp(decay[0]),
                               R_N_star=np.exp(decay[1]) if fit_R_N else MUENNIGHOFF.R_N_star)

    def residuals(theta):
        return np.log(data_constrained_loss_unchecked(N, D, unique, law_from(theta))) - log_loss

    grid = np.array(list(itertools.product(*[np.log(START_DECAY_CONSTANTS)] * (2 if fit_R_N else 1))))
    starts = np.column_stack([np.tile(base_theta, (len(grid), 1)), grid]) if joint else grid
    best = robust_least_squares(residuals, starts, len(N), delta, gradient_tolerance)
    if warn:
        warn_unless_converged(best.convergence, "fit_data_constrained")
    found = law_from(best.theta)
    law = _law(found, found.R_D_star, found.R_N_star)
    predicted = data_constrained_loss(N, D, unique, law)
    return DataConstrainedFit(law=law, fitted_R_N_star=fit_R_N, **goodness(loss, predicted),
                              converged=best.convergence.converged, convergence=best.convergence)


def _law(base, R_D_star: float, R_N_star: float) -> DataConstrainedLaw:
    return DataConstrainedLaw(E=float(base.E), A=float(base.A), B=float(base.B), alpha=float(base.alpha),
                              beta=float(base.beta), R_D_star=float(R_D_star), R_N_star=float(R_N_star),
                              source="fit_data_constrained")
