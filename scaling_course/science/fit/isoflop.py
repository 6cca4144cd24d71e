"""IsoFLOP analysis (Hoffmann et al. 2022, Approach 2): the best model size at each budget.

Train several model sizes at the same compute C (so D = C/(6N)). Loss against log N traces a
valley, an "IsoFLOP profile"; its bottom is the compute-optimal size N_opt(C) for that budget.
Fit a parabola in log N to each profile and take its vertex. If a profile is not a valley (too
few sizes, not convex, or the bottom lies outside the sizes tried), fall back to the best run
actually made and say so. Then fit straight lines on log-log axes across budgets:

    N_opt ∝ C^a,  D_opt ∝ C^b,  a + b = 1.

Hoffmann et al. found a = 0.49, b = 0.51 this way (Table 2).
"""

from __future__ import annotations

__all__ = ["IsoFLOPFit", "IsoFLOPMinimum", "fit_allocation", "fit_isoflop", "isoflop_minimum"]

from dataclasses import dataclass

import numpy as np

from scaling_course.science.reference import FLOPS_PER_PARAMETER_TOKEN
from scaling_course.validation import check_non_negative_int, check_positive_number, fit_columns

from .loglinear import LogLinearFit, fit_log_linear

PARABOLA = "parabola"
RAW_MINIMUM = "raw minimum"


@dataclass(frozen=True)
class IsoFLOPMinimum:
    """The bottom of one IsoFLOP profile."""

    C: float          # the budget, in FLOPs
    N_opt: float      # compute-optimal parameters at this budget
    D_opt: float      # the matching tokens, C/(6·N_opt)
    loss: float       # loss at the bottom (the parabola's value, or the best run's)
    method: str       # "parabola" or "raw minimum"
    reason: str       # why the raw minimum was used; empty for a parabola
    n_runs: int       # runs on this profile
    parabola: tuple[float, float, float] | None = None   # (p₂, p₁, p₀) in log N; None for a raw minimum

    def parabola_at(self, N) -> np.ndarray:
        """The fitted parabola p₂·(log N)² + p₁·log N + p₀ at ``N`` (to draw the valley)."""
        if self.parabola is None:
            raise ValueError(f"this profile has no parabola ({self.reason})")
        return np.polyval(self.parabola, np.log(np.asarray(N, dtype=float)))


def isoflop_minimum(N, loss, C: float,
                    flops_per_parameter_token: float = FLOPS_PER_PARAMETER_TOKEN) -> IsoFLOPMinimum:
    """Vertex of loss ≈ p₂·(log N)² + p₁·log N + p₀ over one budget's runs, or the best run if the
    profile is not a proper valley.

    >>> import numpy as np
    >>> N = np.geomspace(1e7, 1e9, 7)
    >>> m = isoflop_minimum(N, 2.0 + 0.1 * (np.log(N) - np.log(1e8)) ** 2, C=1e19)
    >>> m.method, round(m.N_opt / 1e8, 6)
    ('parabola', 1.0)
    """
    N, loss = fit_columns(1, "an IsoFLOP profile", N=N, loss=loss)
    C = check_positive_number(C, "C (the budget in FLOPs)")
    check_positive_number(flops_per_parameter_token, "flops_per_parameter_token")
    log_N = np.log(N)
    best = int(np.argmin(loss))
    reason = ""
    if len(np.unique(log_N)) < 3:
        reason = f"a parabola needs at least 3 model sizes, this budget has {len(np.unique(log_N))}"
    else:
        curvature, slope, intercept = np.polyfit(log_N, loss, 2)
        vertex = -slope / (2.0 * curvature) if curvature > 0 else np.nan
        if not curvature > 0:
            reason = "the profile curves downwards, so the parabola has no minimum"
        elif not log_N.min() <= vertex <= log_N.max():
            reason = (f"the parabola's minimum (N = {np.exp(vertex):.3g}) lies outside the sizes tried "
                      f"({N.min():.3g} to {N.max():.3g}); extend the sweep")
    if reason:
        n_opt, loss_opt, method, parabola = N[best], loss[best], RAW_MINIMUM, None
    else:
        n_opt = float(np.exp(vertex))
        loss_opt = float(np.polyval([curvature, slope, intercept], vertex))
        method, parabola = PARABOLA, (float(curvature), float(slope), float(intercept))
    return IsoFLOPMinimum(C=float(C), N_opt=float(n_opt), D_opt=float(C / (flops_per_parameter_token * n_opt)),
                          loss=float(loss_opt), method=method, reason=reason, n_runs=len(N), parabola=parabola)


@dataclass(frozen=True)
class IsoFLOPFit:
    """Compute-optimal allocation from IsoFLOP profiles: N_opt = k_N·C^a and D_opt = k_D·C^b."""

    minima: tuple[IsoFLOPMinimum, ...]   # one per budget, smallest budget first
    N_fit: LogLinearFit                  # N_opt against C on log-log axes; slope a
    D_fit: LogLinearFit                  # D_opt against C on log-log axes; slope b

    @property
    def a(self) -> float:
        """Exponent of N_opt ∝ C^a."""
        return self.N_fit.slope

    @property
    def b(self) -> float:
        """Exponent of D_opt ∝ C^b (equals 1 − a, since D_opt = C/(6·N_opt))."""
        return self.D_fit.slope

    @property
    def budgets(self) -> np.ndarray:
        return np.array([m.C for m in self.minima])

    @property
    def N_opt(self) -> np.ndarray:
        return np.array([m.N_opt for m in self.minima])

    @property
    def D_opt(self) -> np.ndarray:
        return np.array([m.D_opt for m in self.minima])

    def optimal_allocation(self, C):
        """(N_opt, D_opt) predicted for budget C by the two power laws."""
        return self.N_fit.predict(C), self.D_fit.predict(C)

    def __str__(self) -> str:
        fallbacks = sum(m.method == RAW_MINIMUM for m in self.minima)
        return (f"N_opt ∝ C^{self.a:.3f}, D_opt ∝ C^{self.b:.3f} from {len(self.minima)} budgets"
                f" ({fallbacks} used the raw minimum)")


def fit_isoflop(N, D, loss, flops_per_parameter_token: float = FLOPS_PER_PARAMETER_TOKEN,
                budget_decimals: int = 3) -> IsoFLOPFit:
    """IsoFLOP analysis of runs (N, D, loss): group runs by budget C = 6·N·D, find each profile's
    minimum (:func:`isoflop_minimum`), fit N_opt ∝ C^a and D_opt ∝ C^b (Hoffmann et al. 2022, Approach 2).

    Runs whose log₁₀ C agree to ``budget_decimals`` decimals (0.2% by default) share a budget.

    >>> from scaling_course.science.simulate import simulate_chinchilla_runs
    >>> runs = simulate_chinchilla_runs(noise=0.0)
    >>> round(fit_isoflop(runs.N, runs.D, runs.loss).a, 2)     # the law's own a is 0.51
    0.51
    """
    N, D, loss = fit_columns(2, "the line log N_opt = log k + a·log C", N=N, D=D, loss=loss)
    check_positive_number(flops_per_parameter_token, "flops_per_parameter_token")
    check_non_negative_int(budget_decimals, "budget_decimals")
    C = flops_per_parameter_token * N * D
    budget_keys = np.round(np.log10(C), budget_decimals)
    minima = []
    for key in np.unique(budget_keys):
        runs = budget_keys == key
        minima.append(isoflop_minimum(N[runs], loss[runs], float(np.exp(np.mean(np.log(C[runs])))),
                                      flops_per_parameter_token))
    if len(minima) < 2:
        raise ValueError(f"all runs share one compute budget (C ≈ {C[0]:.3g} FLOPs): the exponents of "
                         "N_opt ∝ C^a need runs at two or more budgets")
    budgets = [m.C for m in minima]
    return IsoFLOPFit(minima=tuple(minima),
                      N_fit=fit_log_linear(budgets, [m.N_opt for m in minima], "C", "N_opt"),
                      D_fit=fit_log_linear(budgets, [m.D_opt for m in minima], "C", "D_opt"))


def fit_allocation(C, N_opt) -> LogLinearFit:
    """N_opt = k·C^a on log-log axes, from (budget, optimal size) pairs such as Table 3 of
    Hoffmann et al. 2022 (Approach 1).

    >>> from scaling_course.science.reference import CHINCHILLA_TABLE_3
    >>> rows = CHINCHILLA_TABLE_3
    >>> round(fit_allocation([r.flops for r in rows], [r.n_params for r in rows]).slope, 2)
    0.5
    """
    return fit_log_linear(C, N_opt, "C", "N_opt")
