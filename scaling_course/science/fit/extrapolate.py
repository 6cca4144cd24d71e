"""Extrapolate a fitted law to a bigger budget, with the bootstrap's uncertainty attached.

The point of a scaling law is the prediction it makes for a run nobody has made yet. A
prediction without an interval cannot be checked honestly: the bootstrap (:mod:`.bootstrap`)
supplies one by asking every refit the same question.
"""

from __future__ import annotations

__all__ = ["BudgetForecast", "Forecast", "HeldOutScore", "estimate", "forecast", "forecast_budget", "score_held_out"]

import numbers
from dataclasses import dataclass
from typing import Any, Callable

from scaling_course.science.reference import FLOPS_PER_PARAMETER_TOKEN
from scaling_course.validation import check_instance, check_number, check_positive_array, check_positive_number

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
    check_number(level, "level", above=0, below=1)
    if bootstrap is not None:
        check_instance(bootstrap, "bootstrap", Bootstrap, "a Bootstrap (from bootstrap(...)) or None")
    value = float(function(fit))
    if bootstrap is None:
        return Forecast(value, None, None, level)
    low, high = bootstrap.interval(function, level)
    return Forecast(value, float(low), float(high), level)


def estimate(fit, quantity: str | Callable[[Any], float], bootstrap: Bootstrap | None = None,
             level: float = 0.8) -> Forecast:
    """A fitted quantity (an attribute name such as ``"alpha"``, or a function of a fit) with the
    bootstrap's interval around it: what a lesson prints instead of a bare number.

    >>> from scaling_course.science.fit import bootstrap, fit_power_law
    >>> x = [1e3, 1e4, 1e5, 1e6]; y = [4.0, 2.1, 0.98, 0.51]
    >>> fit = fit_power_law(x, y, irreducible=False)
    >>> str(estimate(fit, "alpha", bootstrap(fit_power_law, x, y, irreducible=False, n_resamples=50)))
    '0.3014 (80% interval 0.2837 to 0.3079)'
    """
    if not callable(quantity):
        check_instance(quantity, "quantity", str, "a fitted number's name such as 'alpha', or a function of a fit")
        if not isinstance(getattr(fit, quantity, None), numbers.Real):
            raise ValueError(f"quantity must name a number the fit holds (such as 'alpha'), got {quantity!r}")
    get = quantity if callable(quantity) else (lambda f: getattr(f, quantity))
    return _forecast(get, fit, bootstrap, level)


def forecast(fit, *inputs, bootstrap: Bootstrap | None = None, level: float = 0.8) -> Forecast:
    """``fit.predict(*inputs)`` for one point, with a bootstrap interval if a bootstrap is given.

    >>> from scaling_course.science.fit import fit_power_law
    >>> fit = fit_power_law([1e3, 1e4, 1e5], [4.0, 2.0, 1.0], irreducible=False)
    >>> str(forecast(fit, 1e7))
    '0.25'
    """
    if not callable(getattr(fit, "predict", None)):
        raise TypeError(f"fit must be a fitted law with predict(...), got {type(fit).__name__} {fit!r}")
    inputs = [check_positive_array(x, "inputs") for x in inputs]
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


@dataclass(frozen=True)
class HeldOutScore:
    """A prediction for a held-out run, scored against the gain it predicts and against "no change".

    A loss predicted within 2 % sounds good, but if the held-out run is only 3 % better than the
    best run the law was fitted on, "no improvement at all" is nearly as close. What a law adds
    is the *gain* it predicts: ``gain_error`` is the error as a fraction of the gain seen, and
    ``no_change_error`` is the error of predicting the baseline's loss again.
    """

    predicted: float          # the law's loss for the held-out run
    actual: float             # the loss the run reached
    baseline: float           # the loss of the best run the law was fitted on ("no change" predicts this)
    forecast: Forecast | None = None   # the prediction with its bootstrap interval, if there is one

    @property
    def predicted_gain(self) -> float:
        return self.baseline - self.predicted

    @property
    def actual_gain(self) -> float:
        return self.baseline - self.actual

    @property
    def error(self) -> float:
        """Predicted minus actual loss (positive: the law was too pessimistic)."""
        return self.predicted - self.actual

    @property
    def no_change_error(self) -> float:
        """The error of predicting no improvement (the baseline's loss again): the actual gain itself."""
        return self.actual_gain

    @property
    def gain_error(self) -> float:
        """(predicted gain − actual gain) / actual gain: +0.5 means the law promised 1.5× the gain seen."""
        return (self.predicted_gain - self.actual_gain) / self.actual_gain if self.actual_gain else float("nan")

    @property
    def beats_no_change(self) -> bool:
        return abs(self.error) < abs(self.no_change_error)

    @property
    def inside_interval(self) -> bool | None:
        """Whether the actual loss lies in the forecast's interval (None without an interval)."""
        if self.forecast is None or self.forecast.low is None:
            return None
        return self.forecast.low <= self.actual <= self.forecast.high

    def __str__(self) -> str:
        predicted = str(self.forecast) if self.forecast is not None else f"{self.predicted:.4g}"
        lines = [f"predicted {predicted}, actual {self.actual:.4g}: error {self.error:+.4f} "
                 f"({100 * self.error / self.actual:+.1f}% of the loss)",
                 f"gain over the best fitted run ({self.baseline:.4g}): predicted {self.predicted_gain:+.4f}, "
                 f"actual {self.actual_gain:+.4f} -> " + (f"error {100 * self.gain_error:+.0f}% of the gain"
                                                          if self.actual_gain > 0 else
                                                          "no gain happened, so the law's gain was all error"),
                 f"'no change' errs by {self.no_change_error:+.4f}: the law is "
                 + ("closer" if self.beats_no_change else "NOT closer") + " than no change"]
        if self.inside_interval is not None:
            lines.append("the actual loss is " + ("inside" if self.inside_interval else "OUTSIDE")
                         + f" the {self.forecast.level:.0%} interval")
        return "\n".join(lines)


def score_held_out(predicted, actual: float, baseline: float) -> HeldOutScore:
    """Score a held-out prediction (a number or a :class:`Forecast`) against the truth and the
    no-change baseline (the loss of the best run the law was fitted on).

    >>> score = score_held_out(2.44, actual=2.50, baseline=2.58)
    >>> round(score.gain_error, 2), score.beats_no_change
    (0.75, True)
    """
    given = predicted if isinstance(predicted, Forecast) else None
    value = given.value if given is not None else predicted
    value = check_number(value, "predicted")
    actual = check_positive_number(actual, "actual")
    baseline = check_positive_number(baseline, "baseline")
    return HeldOutScore(predicted=value, actual=actual, baseline=baseline, forecast=given)
