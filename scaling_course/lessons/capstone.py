"""The capstone (lesson 08): predict a run ten times bigger than any you may train, from runs bought with a fixed
FLOP budget, then meet the truth.

The game itself (the lab, its simulated twin, the truth and the tiers) is :mod:`scaling_course.syllabus.lab`; this
module re-exports it and adds what the lesson does with it:

* :func:`expert_plan` and :func:`expert_predict` are the package's own strategy, to compare with;
* :func:`practice` scores a strategy on several simulated worlds;
* :func:`bootstrap_prediction` and :func:`leave_one_out` measure how much a prediction owes to the runs bought;
* :func:`purchases_plot` and :func:`reveal_plot` draw the purchases and the reveal.

    >>> lab = Lab("ci", progress=False)
    >>> expert_plan(lab)
    >>> len(lab.history), lab.spent <= lab.budget
    (11, True)
"""

from __future__ import annotations

__all__ = [
    "GAME_BUDGET", "LOSS_TIERS", "N_OPT_TIERS", "TARGET_BUDGET", "Lab", "Prediction", "PracticeLab", "Score", "Truth",
    "bootstrap_prediction", "expert_plan", "expert_predict", "leave_one_out", "practice", "practice_lab",
    "purchases_plot", "reveal_plot", "score_prediction", "truth",
]

import warnings
from dataclasses import dataclass
from typing import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import NullFormatter

from scaling_course.science.fit import chinchilla_start_grid, fit_chinchilla
from scaling_course.science.fit.convergence import ConvergenceWarning
from scaling_course.syllabus.lab import (
    GAME_BUDGET,
    LOSS_TIERS,
    N_OPT_TIERS,
    TARGET_BUDGET,
    Lab,
    PracticeLab,
    Score,
    Truth,
    practice_lab,
    score_prediction,
    truth,
)
from scaling_course.syllabus.sweeps import LAB_TARGET_FRACTIONS, target_budget
from scaling_course.validation import check_instance, check_number, check_positive_int, check_seed

from .plots import LEGEND_BELOW, axes_or_new


# --- strategies ----------------------------------------------------------------------------------

def expert_plan(lab: Lab) -> None:
    """The package's strategy: every width of the menu at the two largest budgets whose whole column the budget
    can pay for, largest first (two IsoFLOP profiles, as few as Hoffmann et al.'s approach 2 allows)."""
    check_instance(lab, "lab", Lab)
    menu = lab.menu
    chosen, left = [], lab.left
    for _, column in menu.groupby(menu["target / cost"].round()):        # the largest budget first
        if len(chosen) < 2 and column["flops"].sum() <= left:
            chosen.append(column)
            left -= column["flops"].sum()
    for column in chosen:
        for width, steps in zip(column["width"], column["steps"]):
            lab.train(width=int(width), steps=int(steps))


@dataclass(frozen=True)
class Prediction:
    """A strategy's forecast for the target: the point and, from a bootstrap, intervals."""

    N_opt: float
    loss: float
    N_opt_interval: tuple[float, float] | None = None
    loss_interval: tuple[float, float] | None = None
    level: float = 0.8             # what share of the resampled predictions each interval holds

    def __str__(self) -> str:
        text = f"N_opt = {self.N_opt:,.0f}"
        if self.N_opt_interval:
            text += f" ({self.level:.0%} interval {self.N_opt_interval[0]:,.0f} to {self.N_opt_interval[1]:,.0f})"
        text += f", loss = {self.loss:.4f}"
        if self.loss_interval:
            text += f" ({self.level:.0%} interval {self.loss_interval[0]:.4f} to {self.loss_interval[1]:.4f})"
        return text


def expert_predict(history: pd.DataFrame) -> tuple[float, float]:
    """The package's forecast from a lab's history: L(N, D) fitted to every run bought (Hoffmann et al. 2022's
    approach 3: Huber loss of log residuals, from the coarse version of their grid of starts), then its
    compute-optimal run at the target budget. Returns (N_opt, loss)."""
    N, D, loss = _history_columns(history)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)    # a flat E direction; the fit is still the best found
        law = fit_chinchilla(N, D, loss, starts=chinchilla_start_grid(coarse=True))
    n_opt, _ = law.optimal_allocation(target_budget())
    return float(n_opt), float(law.optimal_loss(target_budget()))


def _history_columns(history) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    check_instance(history, "history", pd.DataFrame, "a lab's history table (lab.history)")
    missing = {"N", "D", "loss"} - set(history.columns)
    if missing:
        raise ValueError(f"history must have the columns N, D and loss of lab.history, got {list(history.columns)}")
    return (history["N"].to_numpy(dtype=float), history["D"].to_numpy(dtype=float),
            history["loss"].to_numpy(dtype=float))


def _call(predict: Callable, history: pd.DataFrame) -> tuple[float, float]:
    # resampled or thinned histories make degenerate fits: their warnings would bury the answer
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        result = predict(history.copy())
    try:
        n_opt, loss = (float(v) for v in result)
    except (TypeError, ValueError):
        raise TypeError(f"predict must return two numbers (N_opt, loss), got {result!r}") from None
    return n_opt, loss


def bootstrap_prediction(predict: Callable, history: pd.DataFrame, n_resamples: int = 100, seed=0,
                         level: float = 0.8) -> Prediction:
    """``predict(history)`` with intervals: the runs bought are resampled with replacement ``n_resamples`` times
    and ``predict`` asked again each time (any method of prediction: the bootstrap needs only the function).
    Resamples it cannot predict from (too few distinct runs, a failed fit) are skipped."""
    if not callable(predict):
        raise TypeError(f"predict must be a function of a lab's history returning (N_opt, loss), got {predict!r}")
    check_positive_int(n_resamples, "n_resamples")
    check_number(level, "level", above=0, below=1)
    _history_columns(history)
    n_opt, loss = _call(predict, history)
    rng = np.random.default_rng(check_seed(seed))
    values = []
    for _ in range(n_resamples):
        rows = rng.integers(0, len(history), len(history))
        try:
            values.append(_call(predict, history.iloc[rows].reset_index(drop=True)))
        except (ValueError, ArithmeticError, TypeError):
            continue
    values = np.array([v for v in values if all(np.isfinite(v)) and min(v) > 0])
    if len(values) < 2:
        return Prediction(n_opt, loss, level=level)
    tail = 100 * (1 - level) / 2
    n_low, n_high = np.percentile(values[:, 0], [tail, 100 - tail])
    l_low, l_high = np.percentile(values[:, 1], [tail, 100 - tail])
    return Prediction(n_opt, loss, (float(n_low), float(n_high)), (float(l_low), float(l_high)), level)


def leave_one_out(predict: Callable, history: pd.DataFrame) -> pd.DataFrame:
    """How much the prediction owes to each run: ``predict`` again without each run bought in turn."""
    if not callable(predict):
        raise TypeError(f"predict must be a function of a lab's history returning (N_opt, loss), got {predict!r}")
    _history_columns(history)
    rows = []
    for i in range(len(history)):
        rest = history.drop(index=history.index[i]).reset_index(drop=True)
        try:
            n_opt, loss = _call(predict, rest)
        except (ValueError, ArithmeticError, TypeError):
            n_opt, loss = float("nan"), float("nan")
        rows.append({"left out": f"width {history['width'].iloc[i]}, {history['steps'].iloc[i]} steps",
                     "N_opt": n_opt, "loss": loss})
    return pd.DataFrame(rows)


def practice(plan: Callable, predict: Callable, seeds=range(5)) -> pd.DataFrame:
    """Play ``plan`` and ``predict`` on simulated worlds (one per seed) and score each against that world's
    known answer: runs bought, share of the budget spent, N_opt and loss errors, tiers."""
    for fn, name in ((plan, "plan"), (predict, "predict")):
        if not callable(fn):
            raise TypeError(f"{name} must be a function, got {fn!r}")
    rows = []
    for seed in seeds:
        lab = practice_lab(seed)
        plan(lab)
        n_opt, loss = _call(predict, lab.history)
        score = score_prediction(n_opt, loss, lab.true_answer())
        rows.append({"world": seed, "runs": len(lab.history), "spent": lab.spent / lab.budget,
                     "N_opt factor": score.N_factor, "loss error": score.loss_error,
                     "N_opt tiers": score.N_tiers, "loss tiers": score.loss_tiers})
    return pd.DataFrame(rows)


# --- plots ---------------------------------------------------------------------------------------

def purchases_plot(lab: Lab, ax=None):
    """The menu on the (N, D) plane: grey circles for what is for sale, coloured dots for the runs bought (their
    loss), a dotted line for each budget of the menu and a dashed one for the target budget."""
    check_instance(lab, "lab", Lab)
    ax = axes_or_new(ax, figsize=(6.6, 4.4))
    menu, bought = lab.menu, lab.history
    ax.scatter(menu["N"], menu["D"], s=60, facecolors="none", edgecolors="0.6", label="for sale")
    N_line = np.geomspace(menu["N"].min() / 1.5, menu["N"].max() * 4, 50)
    for i, fraction in enumerate(LAB_TARGET_FRACTIONS):
        ax.plot(N_line, fraction * lab.target / (6 * N_line), ":", color="0.6", lw=0.8,
                label="the menu's budgets (1/10 to 1/270 of the target)" if i == 0 else None)
    ax.plot(N_line, lab.target / (6 * N_line), "--", color="tab:red", lw=1.2, label="the target budget")
    if len(bought):
        points = ax.scatter(bought["N"], bought["D"], c=bought["loss"], cmap="viridis_r", s=40, zorder=3,
                            label="bought")
        plt.colorbar(points, ax=ax, label="final held-out loss (nats)")
    ax.set(xscale="log", yscale="log", xlabel="N (parameters)", ylabel="D (training tokens)",
           title=f"Bought {len(bought)} runs: {lab.spent / lab.budget:.0%} of the budget")
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.legend(**LEGEND_BELOW)
    return ax


def reveal_plot(target: Truth, predictions: dict, ax=None):
    """The target's valley (its runs, the parabola, the bottom) and each prediction in ``predictions`` (name ->
    :class:`Prediction`) with its intervals."""
    check_instance(target, "target", Truth, "truth()")
    check_instance(predictions, "predictions", dict, "a dict of name -> Prediction")
    ax = axes_or_new(ax, figsize=(6.6, 4.4))
    N_line = np.geomspace(target.N.min() / 1.3, target.N.max() * 1.3, 80)
    ax.plot(target.N, target.loss, "o", color="black", label="the target's runs")
    ax.plot(N_line, np.polyval(target.parabola, np.log(N_line)), "-", color="0.5", lw=1)
    ax.errorbar([target.N_opt], [target.loss_opt],
                xerr=[[target.N_opt - target.N_opt_interval[0]], [target.N_opt_interval[1] - target.N_opt]],
                yerr=[[target.loss_opt - target.loss_opt_interval[0]], [target.loss_opt_interval[1] - target.loss_opt]],
                fmt="*", color="tab:orange", ms=16, capsize=3,
                label="the truth: bottom of the valley (80%, seed noise)")
    styles = [("tab:blue", "D"), ("tab:green", "s"), ("tab:purple", "^"), ("tab:red", "v"), ("tab:brown", "P")]
    for (color, marker), (name, p) in zip(styles * (1 + len(predictions) // len(styles)), predictions.items()):
        check_instance(p, f"predictions[{name!r}]", Prediction)
        xerr = yerr = None
        # a bootstrap interval need not hold its own point estimate: draw the bar to its ends all the same
        if p.N_opt_interval:
            xerr = [[max(0.0, p.N_opt - p.N_opt_interval[0])], [max(0.0, p.N_opt_interval[1] - p.N_opt)]]
        if p.loss_interval:
            yerr = [[max(0.0, p.loss - p.loss_interval[0])], [max(0.0, p.loss_interval[1] - p.loss)]]
        ax.errorbar([p.N_opt], [p.loss], xerr=xerr, yerr=yerr, fmt=marker, color=color, capsize=3, label=name,
                    alpha=0.8)
    ax.set(xscale="log", xlabel="N (parameters)", ylabel="final held-out loss (nats)",
           title=f"The target, {target.C:.2g} FLOPs, and the predictions")
    low, high = ax.get_xlim()          # a valley spans less than a decade: label 1-2-5 ticks, not powers of ten
    ticks = [m * 10.0 ** e for e in range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
             for m in (1, 2, 5) if low <= m * 10.0 ** e <= high]
    ax.set_xticks(ticks, [f"{t:,.0f}" for t in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.legend(**LEGEND_BELOW)
    return ax
