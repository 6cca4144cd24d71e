"""Loss against model size (lesson 03): averages over seeds, tables and plots, fits, an explorer.

    >>> from scaling_course.syllabus.live import gather
    >>> text = gather("params-text", "grading")
    >>> n, loss, spread = mean_loss_by_size(text.records)
    >>> len(n) == len({r.config.width for r in text.records})     # one point per size, seeds averaged
    True

A laptop cannot train the biggest models of a sweep in a few minutes, so a lesson trains the
smallest sizes live and reads the rest from the shipped results (:mod:`scaling_course.syllabus.live`);
:func:`size_table` and :func:`loss_vs_params` say which point came from where.

Also here: :func:`loss_vs_params` (log-log, with an optional fitted law) and :class:`FloorExplorer`
(a slider for the irreducible loss E of a log-space power-law fit).
"""

from __future__ import annotations

__all__ = [
    "FloorExplorer", "FloorFit", "fit_with_floor", "live_by_size", "loss_vs_params", "mean_loss_by_size",
    "size_table",
]

from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from scaling_course.engine.runs import RunRecord
from scaling_course.science.fit.goodness import Goodness, goodness
from scaling_course.science.fit.loglinear import fit_log_linear
from scaling_course.science.fit.power_law import means_by_x
from scaling_course.syllabus.sources import LIVE, SHIPPED
from scaling_course.validation import check_choice, check_list_of, check_number, fit_columns, same_length

from .explorer import Explorer
from .plots import axes_or_new, plain_log_ticks


def mean_loss_by_size(records: list[RunRecord], non_embedding: bool = True):
    """``(N, mean final loss, standard deviation over seeds)``, one entry per model size, sorted by N.

    N counts non-embedding parameters (Kaplan et al.'s convention) unless ``non_embedding=False``.
    """
    records = check_list_of(records, "records", RunRecord)
    size = (lambda r: r.n_params_non_embedding) if non_embedding else (lambda r: r.n_params)
    return means_by_x([size(r) for r in records], [r.final_val_loss for r in records])


def _check_sources(records, sources) -> tuple[list[RunRecord], list[str]]:
    records = check_list_of(records, "records", RunRecord)
    sources = [check_choice(s, "sources", (LIVE, SHIPPED)) for s in check_list_of(sources, "sources", str)]
    same_length(records=records, sources=sources)
    return records, sources


def live_by_size(records: list[RunRecord], sources: list[str], non_embedding: bool = True) -> list[bool]:
    """For each size of :func:`mean_loss_by_size` (same order), whether a run of that size was
    trained live (``sources`` as in :class:`scaling_course.syllabus.live.Gathered`)."""
    records, sources = _check_sources(records, sources)
    size = (lambda r: r.n_params_non_embedding) if non_embedding else (lambda r: r.n_params)
    sizes = sorted({size(r) for r in records})
    return [any(s == LIVE for r, s in zip(records, sources) if size(r) == n) for n in sizes]


def size_table(records: list[RunRecord], sources: list[str]) -> pd.DataFrame:
    """One row per width: non-embedding parameters N, seeds, mean final loss and where the runs came from."""
    records, sources = _check_sources(records, sources)
    rows = []
    for width in sorted({r.config.width for r in records}):
        runs = [(r, s) for r, s in zip(records, sources) if r.config.width == width]
        rows.append({"width": width, "params N": runs[0][0].n_params_non_embedding, "seeds": len(runs),
                     "mean final loss": float(np.mean([r.final_val_loss for r, _ in runs])),
                     "source": "+".join(sorted({s for _, s in runs}))})
    return pd.DataFrame(rows).set_index("width")


def loss_vs_params(n, loss, ax=None, fit=None, live=None, spread=None, label: str = "runs",
                   extend: float = 1.0):
    """Final loss against non-embedding parameters on log-log axes.

    ``live`` (one bool per point) draws live runs filled and shipped runs hollow; ``fit`` is
    anything with ``predict(n)`` (e.g. a :class:`~scaling_course.science.fit.PowerLawFit`), drawn as a
    line reaching ``extend`` times past the largest N.
    """
    n, loss = fit_columns(1, "a loss-against-size plot", n=n, loss=loss)
    extend = check_number(extend, "extend", minimum=1)
    ax = axes_or_new(ax)
    kinds = {True: "", False: ""} if live is None else {True: ": trained live", False: ": shipped"}
    live = np.ones(len(n), dtype=bool) if live is None else np.asarray(live, dtype=bool)
    yerr = None if spread is None else np.asarray(spread, dtype=float)
    color = None
    for mask, is_live in ((live, True), (~live, False)):
        if mask.any():
            handle = ax.errorbar(n[mask], loss[mask], yerr=None if yerr is None else yerr[mask], fmt="o",
                                 color=color, mfc=None if is_live else "white", capsize=2,
                                 label=f"{label}{kinds[is_live]}")
            color = handle[0].get_color()
    if fit is not None:
        grid = np.geomspace(n.min() / 1.2, n.max() * extend * 1.2, 200)
        ax.plot(grid, fit.predict(grid), "-", color=color, lw=1, alpha=0.8, label=f"fit: {_law_text(fit)}")
    ax.set(xscale="log", yscale="log", xlabel="non-embedding parameters N", ylabel="final held-out loss (nats)")
    plain_log_ticks(ax.yaxis)
    ax.legend(fontsize=8)
    return ax


def _law_text(fit) -> str:
    E, A, alpha = (getattr(fit, k, None) for k in ("E", "A", "alpha"))
    if None in (E, A, alpha):
        return "fitted law"
    if not E:
        return f"{A:.3g}·N^(−{alpha:.3g})"
    floor = f"{E:.3g}" if E >= 1e-3 else "≈0"
    return f"{floor} + {A:.3g}·N^(−{alpha:.3g})"


@dataclass(frozen=True)
class FloorFit(Goodness):
    """L = E + A·N^(−α) with E chosen by hand and A, α fitted by a straight line in log space.
    Its goodness is that of log L (not of log(L − E)), so it compares across choices of E."""

    E: float
    A: float
    alpha: float

    def predict(self, n):
        return self.E + self.A * np.asarray(n, dtype=float) ** (-self.alpha)


def fit_with_floor(n, loss, E: float) -> FloorFit:
    """Fit log(L − E) = log A − α·log N by least squares, for a fixed irreducible loss E < min(L)."""
    n, loss = fit_columns(2, "L = E + A·N^(−α) with E fixed", n=n, loss=loss)
    E = check_number(E, f"E (below the smallest loss, {loss.min():.4g})", minimum=0, below=float(loss.min()))
    line = fit_log_linear(n, loss - E, "n", "loss - E")
    predicted = E + line.predict(n)
    return FloorFit(E=float(E), A=line.coefficient, alpha=-line.slope, **goodness(loss, predicted))


class FloorExplorer(Explorer):
    """A slider for E: the log-space fit of L − E, its exponent and its extrapolation, redrawn live.

    It shows that E and α trade off: many floors fit the same few points almost equally well,
    but they disagree far outside them.
    """

    failure = "The fit failed"

    def __init__(self, n, loss, extend: float = 100.0, label: str = "runs"):
        super().__init__()
        self.n, self.loss = fit_columns(3, "the floor explorer", n=n, loss=loss)
        self.extend, self.label = check_number(extend, "extend", minimum=1), label
        top = float(self.loss.min())
        step = round(top / 100, 4)
        self.slider = w.FloatSlider(value=0.0, min=0.0, max=step * 98, step=step,   # the top stays on the steps
                                    description="floor E", readout_format=".3f", continuous_update=False)
        self.watch(self.slider)

    def update(self, E: float):
        """The fit for this E and its figure."""
        fit = fit_with_floor(self.n, self.loss, E)
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        loss_vs_params(self.n, self.loss, ax=ax, fit=fit, label=self.label, extend=self.extend)
        far = self.n.max() * self.extend
        ax.set_title(f"E = {E:.3f}: α = {fit.alpha:.3f}, R² (log) = {fit.r_squared_log:.4f}\n"
                     f"predicted loss at N = {far:.2g}: {fit.predict(far):.3f} nats", fontsize=10)
        fig.tight_layout()
        plt.close(fig)
        return fit, fig

    def current(self):
        E = self.slider.value
        fit, fig = self.update(E)
        far = self.n.max() * self.extend
        return (f"E = {E:.3f}: α = {fit.alpha:.3f}, R² (log) = {fit.r_squared_log:.4f}; "
                f"predicted loss at N = {far:.2g}: {fit.predict(far):.3f} nats"), fig

    def controls(self) -> list:
        return [self.slider]
