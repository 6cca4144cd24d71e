"""Fitting scaling laws to runs, and checking that the fit can be trusted.

* :func:`fit_power_law`: L = E + A·x^(−α), with or without the irreducible term E.
* :func:`fit_chinchilla`: L = E + A/N^α + B/D^β the way Hoffmann et al. 2022 and Epoch AI fit it,
  with a convergence check and the compute-optimal allocation.
* :func:`fit_isoflop`: IsoFLOP profiles → N_opt ∝ C^a, D_opt ∝ C^b; :func:`fit_allocation` for
  (budget, size) pairs such as Chinchilla's Table 3.
* :func:`fit_broken_power_law`, :func:`fit_data_constrained`: Caballero et al.'s broken power law and
  Muennighoff et al.'s repetition constants.
* :func:`bootstrap`: confidence intervals for any of them; :func:`forecast_budget` and
  :func:`forecast`: predictions for a bigger run with those intervals.

Every fit validates its inputs and raises ``ValueError`` naming what is wrong.
"""

from .bootstrap import Bootstrap, bootstrap
from .broken_power_law import BrokenPowerLawFit, fit_broken_power_law
from .chinchilla import ChinchillaFit, chinchilla_start_grid, fit_chinchilla
from .convergence import Convergence, ConvergenceWarning
from .data_constrained import DataConstrainedFit, fit_data_constrained
from .extrapolate import BudgetForecast, Forecast, forecast, forecast_budget
from .huber import huber
from .isoflop import IsoFLOPFit, IsoFLOPMinimum, fit_allocation, fit_isoflop, isoflop_minimum
from .loglinear import LogLinearFit
from .power_law import PowerLawFit, fit_power_law
from .quantization import QuantizationFit, fit_quantization_law

__all__ = [
    "QuantizationFit", "fit_quantization_law",
    "Bootstrap", "BrokenPowerLawFit", "BudgetForecast", "ChinchillaFit", "Convergence", "ConvergenceWarning",
    "DataConstrainedFit", "Forecast", "IsoFLOPFit", "IsoFLOPMinimum", "LogLinearFit", "PowerLawFit",
    "bootstrap", "chinchilla_start_grid", "fit_allocation", "fit_broken_power_law", "fit_chinchilla",
    "fit_data_constrained", "fit_isoflop", "fit_power_law", "forecast", "forecast_budget", "huber",
    "isoflop_minimum",
]
