"""Data as the bottleneck (lesson 04): how much a repeated token is worth.

The ``data`` standard sweep trains one GPT for the same number of steps on training sets of
``n_train`` unique tokens, so the small sets are repeated for many epochs. To price repetition we
also need the same model on *fresh* data: the ``fresh-data`` standard sweep trains it on the whole
corpus for several lengths, and the fitted law L(D) of those runs turns any loss into "the fresh
tokens that would have reached it", an effective amount of data D' to set beside Muennighoff et
al.'s formula (:func:`scaling_course.science.laws.effective_data`).

    >>> from scaling_course.syllabus.sweeps import standard_sweep
    >>> [c.steps for c in standard_sweep("fresh-data", "ci")]
    [8, 15, 30, 60, 120]
"""

from __future__ import annotations

__all__ = [
    "data_law_plot", "early_stopped_tokens", "epochs", "fit_repetition_constant", "muennighoff_worth",
    "train_and_val_curves", "worth_plot",
]

import math

import matplotlib.pyplot as plt
import numpy as np
from scipy.optimize import minimize_scalar

from scaling_course.engine.data.corpus import load_corpus
from scaling_course.engine.runs import RunRecord
from scaling_course.science.laws import effective_data
from scaling_course.science.reference import MUENNIGHOFF
from scaling_course.validation import (
    check_instance,
    check_list_of,
    check_positive_array,
    check_positive_number,
    check_positive_or_infinite,
    fit_columns,
    same_length,
)

from .plots import LEGEND_BELOW, axes_or_new


def epochs(record: RunRecord) -> float:
    """Passes over the unique training tokens: tokens trained / n_train (a fresh-data run
    counts against the whole training corpus)."""
    check_instance(record, "record", RunRecord)
    unique = record.config.n_train or len(load_corpus(record.config.corpus).train)
    return (record.tokens[-1] if record.tokens else 0) / unique


def early_stopped_tokens(record: RunRecord) -> int:
    """Tokens trained when the held-out loss was lowest: where early stopping would have kept the
    model, and so the D that its lowest loss (``record.min_val_loss``) belongs to."""
    check_instance(record, "record", RunRecord)
    val = record.losses("val")
    if not np.isfinite(val).any():
        raise ValueError(f"the run of width {record.config.width} has no finite held-out loss")
    return int(record.tokens[int(np.nanargmin(val))])


def _check_bounds(bounds) -> tuple[float, float]:
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
        raise TypeError(f"bounds must be a pair (low, high) of positive numbers, got {bounds!r}")
    low, high = (check_positive_number(b, "bounds") for b in bounds)
    if low >= high:
        raise ValueError(f"bounds must be a pair (low, high) with low < high, got {bounds!r}")
    return low, high


def fit_repetition_constant(tokens, unique_tokens, effective_tokens, bounds=(0.05, 1000.0)) -> float:
    """R_D* that makes Muennighoff et al.'s D' = U + U·R_D*·(1 − exp(−R_D/R_D*)) match measured
    effective data best, by least squares in log D'. Runs that saw each token at most once
    carry no information about R_D* and are left out.

    >>> D = np.array([2e6, 4e6, 8e6]); U = np.full(3, 1e6)
    >>> round(fit_repetition_constant(D, U, effective_data(D, U, R_D_star=3.0)), 3)
    3.0
    """
    D, U, D_eff = fit_columns(1, "the repetition constant", tokens=tokens, unique_tokens=unique_tokens,
                              effective_tokens=effective_tokens)
    low, high = _check_bounds(bounds)
    repeated = D > U
    if not repeated.any():
        raise ValueError("no run repeated its data (tokens > unique_tokens): R_D* cannot be measured")
    D, U, D_eff = D[repeated], U[repeated], D_eff[repeated]

    def misfit(log_r):
        return float(np.sum((np.log(effective_data(D, U, R_D_star=math.exp(log_r))) - np.log(D_eff)) ** 2))

    best = minimize_scalar(misfit, bounds=(math.log(low), math.log(high)), method="bounded",
                           options={"xatol": 1e-8})
    return float(math.exp(best.x))


def muennighoff_worth(tokens, unique_tokens, R_D_star: float = MUENNIGHOFF.R_D_star):
    """What Muennighoff et al.'s law says a *repeated* token is worth relative to a fresh one:
    (D' − U) / (D − U), for D tokens trained on U unique ones (D > U)."""
    D, U = check_positive_array(tokens, "tokens"), check_positive_array(unique_tokens, "unique_tokens")
    check_positive_or_infinite(R_D_star, "R_D_star")
    if np.any(D <= U):
        raise ValueError("tokens must be > unique_tokens everywhere (the worth of a repeated token needs some "
                         f"repetition), got tokens {np.min(D):g} against unique_tokens {np.max(U):g}")
    return (effective_data(D, U, R_D_star=R_D_star) - U) / (D - U)


# --- plots ---------------------------------------------------------------------------------

def _label(record: RunRecord) -> str:
    unique = record.config.n_train
    data = f"{unique:,} unique tokens" if unique else "fresh data"
    return f"{data} ({epochs(record):.2g} epochs)"


def train_and_val_curves(records: list[RunRecord], ax=None, title: str | None = None):
    """Training loss (dashed) and held-out loss (solid) against tokens trained, one colour per run."""
    records = check_list_of(records, "records", RunRecord)
    ax = axes_or_new(ax, figsize=(7, 4.4))
    colours = plt.cm.viridis(np.linspace(0, 0.9, len(records)))
    for record, colour in zip(records, colours):
        tokens = np.array(record.tokens, dtype=float)
        val, train = record.losses("val"), record.losses("train")
        ax.plot(tokens, val, "-", color=colour, lw=1.8, label=_label(record))
        ax.plot(tokens, train, "--", color=colour, lw=1)
        best = int(np.nanargmin(val))
        ax.plot(tokens[best], val[best], "o", color=colour, ms=5)
    ax.plot([], [], "k-", label="held-out (validation) loss")
    ax.plot([], [], "k--", lw=1, label="training loss")
    ax.plot([], [], "ko", ms=5, label="lowest validation loss")
    ax.set(xscale="log", xlabel="tokens trained", ylabel="loss (nats per character)",
           title=title or "Training and validation loss: small datasets overfit")
    ax.legend(fontsize=7, loc="lower left")
    return ax


def data_law_plot(unique_tokens, min_loss, final_loss, fit=None, ax=None, tokens_trained: float | None = None,
                  min_spread=None):
    """Best and final validation loss against unique training tokens U (one point per size, or per
    run), with a fitted law, error bars of the spread over seeds if given, and a line where U
    reaches the tokens trained (to its right the data is seen less than once)."""
    U, min_loss, final_loss = fit_columns(1, "the data-law plot", unique_tokens=unique_tokens, min_loss=min_loss,
                                          final_loss=final_loss)
    ax = axes_or_new(ax, figsize=(6.6, 4.3))
    ax.plot(U, final_loss, "s", color="tab:red", mfc="none", label="final validation loss")
    ax.errorbar(U, min_loss, yerr=min_spread, fmt="o", color="tab:blue", capsize=3,
                label="lowest validation loss (early stopping)" + (" ± spread over seeds" if min_spread is not None else ""))
    if fit is not None:
        grid = np.geomspace(U.min() / 1.5, U.max() * 1.5, 100)
        ax.plot(grid, fit.predict(grid), "k-", lw=1,
                label=f"fit: {fit.E:.2f} + {fit.A:.3g}·U^(−{fit.alpha:.3f})")
    if tokens_trained is not None:
        ax.axvline(tokens_trained, color="gray", ls=":", lw=1)
        ax.annotate(" U = tokens trained:\n one epoch", (tokens_trained, ax.get_ylim()[1]), va="top", fontsize=7,
                    color="gray")
    ax.set(xscale="log", yscale="log", xlabel="unique training tokens U",
           ylabel="validation loss (nats per character)", title="Loss against the amount of unique data")
    ax.yaxis.set_major_formatter(plt.ScalarFormatter())
    ax.yaxis.set_minor_formatter(plt.FormatStrFormatter("%.1f"))
    ax.legend(**LEGEND_BELOW)       # below the axes: points and the epoch label fill the panel
    return ax


def worth_plot(run_epochs, measured_worth, ax=None, R_D_star_fit: float | None = None, spread=None):
    """Measured worth of a repeated token against epochs, beside Muennighoff et al.'s law
    (error bars: ``spread``, e.g. the standard deviation over seeds)."""
    run_epochs = check_positive_array(run_epochs, "run_epochs")
    same_length(run_epochs=np.atleast_1d(run_epochs), measured_worth=np.atleast_1d(measured_worth))
    ax = axes_or_new(ax, figsize=(6.6, 4.3))
    grid = np.geomspace(1.05, max(60.0, float(np.max(run_epochs)) * 1.2), 200)
    ax.plot(grid, muennighoff_worth(grid, 1.0), "k-",
            label=f"Muennighoff et al. 2023 (R_D* = {MUENNIGHOFF.R_D_star:.1f})")
    if R_D_star_fit is not None:
        ax.plot(grid, muennighoff_worth(grid, 1.0, R_D_star=R_D_star_fit), "k--",
                label=f"same law, R_D* = {R_D_star_fit:.2g} fitted to our runs")
    ax.errorbar(run_epochs, measured_worth, yerr=spread, fmt="o", color="tab:orange", ms=7, capsize=3,
                label="our runs (measured)" + (" ± spread over seeds" if spread is not None else ""))
    ax.axhline(0, color="gray", lw=0.5)
    top = max(1.05, float(np.nanmax(np.asarray(measured_worth, dtype=float) + (0 if spread is None else spread))) + 0.05)
    ax.set(xscale="log", ylim=(-0.1, top), xlabel="epochs (passes over the unique data)",
           ylabel="worth of a repeated token\n(fraction of a fresh one)",
           title="What repetition is worth")
    ax.legend(fontsize=8)
    return ax
