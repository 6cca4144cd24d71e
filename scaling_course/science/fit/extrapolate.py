"""Extrapolate a fitted law to a bigger budget, with the bootstrap's uncertainty attached.

The point of a scaling law is the prediction it makes for a run nobody has made yet. A
prediction without an interval cannot be checked honestly: the bootstrap (:mod:`.bootstrap`)
supplies one by asking every refit the same question.
"""

from __future__ import annotations

from dataclasses import dataclass

from scaling_course.science.reference import FLOPS_PER_PARAMETER_TOKEN
from scaling_course.validation import check_positive_number

from .bootstrap import Bootstrap


@dataclass(frozen=True)
class Forecast:
    """One predicted number and, if a bootstrap was given, its interval."""

    value: float              # the prediction of the fit itself
    low: float | None         # lower end of the bootstrap interval (None without a bootstrap)
    high: float | None        # upper end
    level: float              # coverage of [low, high], e.g. 0.8 for 10th-90th percentiles

    def __str__(self) -> str:
        if self.low is None:
            return f"{self.value:.4g}"
        return f"{self.value:.4g} ({self.level:.0%} interval {self.low:.4g} to {self.high:.4g})"


@dataclass(frozen=True)
class BudgetForecast:
    """What a fit predicts for a compute budget C."""

    C: float                        # the budget, FLOPs
    N_opt: Forecast                 # compute-optimal parameters
    D_opt: Forecast                 # compute-optimal tokens
    tokens_per_parameter: Forecast  # D_opt / N_opt (Chinchilla: about 20)
    loss: Forecast | None           # loss of that model; None if the fit does not model loss

    def __str__(self) -> str:
        lines = [f"budget C = {self.C:.3g} FLOPs", f"  N_opt = {self.N_opt}", f"  D_opt = {self.D_opt}",
                 f"  D/N   = {self.tokens_per_parameter}"]
        if self.loss is not None:
            lines.append(f"  loss  = {self.loss}")
        return "\n".join(lines)


def _forecast(function, fit, bootstrap: Bootstrap | None, level: float) -> Forecast:
    value = float(function(fit))
    if bootstrap is None:
        return Forecast(value, None, None, level)
    low, high = bootstrap.interval(function, level)
    return Forecast(value, float(low), float(high), level)


def forecast(fit, *inputs, bootstrap: Bootstrap | None = None, level: float = 0.8) -> Forecast:
    """``fit.predict(*inputs)`` for one point, with a bootstrap interval if a bootstrap is given.

    >>> from scaling_course.science.fit import fit_power_law
    >>> fit = fit_power_law([1e3, 1e4, 1e5], [4.0, 2.0, 1.0], irreducible=False)
    >>> str(forecast(fit, 1e7))
    '0.25'
    """
    return _forecast(lambda f: f.predict(*inputs), fit, bootstrap, level)


def forecast_budget(fit, C: float, bootstrap: Bootstrap | None = None, level: float = 0.8,
                    flops_per_parameter_token: float = FLOPS_PER_PARAMETER_TOKEN) -> BudgetForecast:
    """Compute-optimal N, D (and loss, for a Chinchilla fit) at budget C, with bootstrap intervals.

    ``fit`` is a :class:`~.chinchilla.ChinchillaFit` or an :class:`~.isoflop.IsoFLOPFit`: anything
    with ``optimal_allocation(C)``; the loss is forecast when it also has ``optimal_loss(C)``.

    >>> from scaling_course.science.fit import fit_chinchilla
    >>> from scaling_course.science.simulate import simulate_chinchilla_runs
    >>> runs = simulate_chinchilla_runs(noise=0.0)
    >>> fit = fit_chinchilla(runs.N, runs.D, runs.loss, starts=[[6, 7, 0.5, 0.3, 0.3]])
    >>> round(forecast_budget(fit, 5.88e23).tokens_per_parameter.value, 1)     # Epoch's refit: 18.3
    18.3
    """
    C = check_positive_number(C, "C (the budget in FLOPs)")
    if not hasattr(fit, "optimal_allocation"):
        raise TypeError(f"fit must have optimal_allocation(C) (a ChinchillaFit or IsoFLOPFit), "
                        f"got {type(fit).__name__}")

    def n_opt(f):
        return f.optimal_allocation(C)[0]

    def d_opt(f):
        return f.optimal_allocation(C)[1]

    def ratio(f):
        n, d = f.optimal_allocation(C)
        return d / n

    loss = None
    if hasattr(fit, "optimal_loss"):
        loss = _forecast(lambda f: f.optimal_loss(C, flops_per_parameter_token), fit, bootstrap, level)
    return BudgetForecast(C=C, N_opt=_forecast(n_opt, fit, bootstrap, level),
                          D_opt=_forecast(d_opt, fit, bootstrap, level),
                          tokens_per_parameter=_forecast(ratio, fit, bootstrap, level), loss=loss)
