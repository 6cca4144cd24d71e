"""Fitting scaling laws to runs, one file a law (power law, Chinchilla's L(N, D), IsoFLOP, broken, data-constrained,
quantization), with the bootstrap, forecasts, and checks that a fit converged and can be trusted."""

from .bootstrap import Bootstrap, bootstrap
from .broken_power_law import BrokenPowerLawFit, fit_broken_power_law
from .chinchilla import ChinchillaFit, chinchilla_start_grid, fit_chinchilla
from .convergence import Convergence, ConvergenceWarning
from .data_constrained import DataConstrainedFit, fit_data_constrained
from .extrapolate import (
    BudgetForecast,
    Forecast,
    HeldOutScore,
    estimate,
    forecast,
    forecast_budget,
    score_held_out,
)
from .huber import huber
from .isoflop import (
    IsoFLOPFit,
    IsoFLOPMinimum,
    fit_allocation,
    fit_isoflop,
    isoflop_minimum,
)
from .loglinear import LogLinearFit
from .objective import HuberLogObjective, log_sum_exp_prediction
from .power_law import PowerLawFit, fit_power_law, fit_power_law_to_means, means_by_x
from .quantization import QuantizationFit, fit_quantization_law

__all__ = [
    "QuantizationFit", "fit_quantization_law",
    "Bootstrap", "BrokenPowerLawFit", "BudgetForecast", "ChinchillaFit", "Convergence", "ConvergenceWarning",
    "DataConstrainedFit", "Forecast", "HeldOutScore", "HuberLogObjective", "IsoFLOPFit", "IsoFLOPMinimum", "LogLinearFit", "PowerLawFit",
    "bootstrap", "chinchilla_start_grid", "estimate", "fit_allocation", "fit_broken_power_law", "fit_chinchilla",
    "fit_data_constrained", "fit_isoflop", "fit_power_law", "fit_power_law_to_means", "means_by_x", "forecast", "forecast_budget", "huber", "score_held_out",
    "isoflop_minimum", "log_sum_exp_prediction",
]
