"""Loss against compute (lesson 05): training curves, the compute frontier and IsoFLOP slices.

The ``compute`` standard sweep trains several GPT widths at a few compute budgets, each run
ending exactly at its budget. This module reads those runs:

* :func:`budgets` groups runs by the compute they spent (an IsoFLOP profile per budget);
* :func:`loss_at_flops` reads a run's validation loss at any compute it passed through;
* :func:`frontier` is the lower envelope of all training curves (the best loss at each compute);
* :func:`isoflop_slice` is loss against model size at one compute, read off the curves;
* :class:`IsoFLOPExplorer` puts a compute-budget slider on the slice and its optimum.
"""

from __future__ import annotations

__all__ = [
    "IsoFLOPExplorer", "SliceSummary", "allocation_exponents", "bracketed", "budgets", "curve", "curves_plot",
    "frontier", "isoflop_explorer", "isoflop_plot", "isoflop_slice", "loss_at_flops", "n_params",
]

from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from scaling_course.engine.runs import RunRecord
from scaling_course.science.fit.isoflop import PARABOLA, fit_allocation, isoflop_minimum
from scaling_course.validation import (
    check_callable,
    check_instance,
    check_int,
    check_list_of,
    check_non_negative_int,
    check_number,
    check_positive_array,
    check_positive_int,
    check_positive_number,
    check_seed,
)

from .explorer import Explorer
from .plots import axes_or_new

#: How far (relative) past either end of a training curve :func:`loss_at_flops` still reads its end point.
END_TOLERANCE = 0.01


def _check_records(records, name: str = "records") -> list[RunRecord]:
    return check_list_of(records, name, RunRecord, "RunRecord (e.g. reference_results('compute'))")


def _check_groups(groups) -> dict[float, list[RunRecord]]:
    check_instance(groups, "groups", dict, "a dict of budget to runs, as budgets(records) gives")
    for C, runs in groups.items():
        check_positive_number(C, "groups' budgets")
        _check_records(runs, f"groups[{C:.3g}]")
    return groups


def n_params(record: RunRecord, embeddings: bool = True) -> int:
    """Parameters of a run's model, with (Chinchilla's count) or without (Kaplan's) embeddings."""
    check_instance(record, "record", RunRecord)
    return record.n_params if embeddings else record.n_params_non_embedding


def budgets(records, decimals: int = 2) -> dict[float, list[RunRecord]]:
    """Runs grouped by the compute they spent: ``{C: runs}``, smallest budget first. Runs whose
    log₁₀ C agree to ``decimals`` decimals share a budget; C is the group's geometric mean."""
    check_non_negative_int(decimals, "decimals")
    groups: dict[float, list[RunRecord]] = {}
    for record in _check_records(records):
        if record.total_flops <= 0:
            raise ValueError(f"run of width {record.config.width} logged no compute")
        groups.setdefault(round(float(np.log10(record.total_flops)), decimals), []).append(record)
    out = {}
    for key in sorted(groups):
        runs = sorted(groups[key], key=lambda r: r.n_params)
        out[float(np.exp(np.mean(np.log([r.total_flops for r in runs]))))] = runs
    return out


def bracketed(runs) -> bool:
    """Whether one budget's runs bracket their valley: the best run has a smaller and a larger
    model beside it. Without that the parabola's vertex is an extrapolation, not a measurement."""
    runs = sorted(_check_records(runs, "runs"), key=lambda r: r.n_params)
    best = int(np.argmin([r.final_val_loss for r in runs]))
    return 0 < best < len(runs) - 1


def allocation_exponents(groups: dict, optimum, n_resamples: int = 200, seed: int = 0,
                         embeddings: bool = True) -> np.ndarray:
    """Bootstrap of the allocation exponent a in N_opt ∝ C^a: within every budget, draw its runs
    again with replacement, find each budget's optimum with ``optimum(N, loss) -> (N_opt, loss_opt)``
    and fit a line to log N_opt against log C. Resamples with fewer than three distinct sizes in a
    budget (no parabola) are skipped. Returns the exponents of the resamples that could be fitted.
    """
    _check_groups(groups)
    check_callable(optimum, "optimum", "optimum(N, loss) -> (N_opt, loss_opt)")
    check_positive_int(n_resamples, "n_resamples")
    rng = np.random.default_rng(check_seed(seed))
    budget_list = np.array(list(groups), dtype=float)
    sizes = [np.array([n_params(r, embeddings) for r in runs], dtype=float) for runs in groups.values()]
    losses = [np.array([r.final_val_loss for r in runs]) for runs in groups.values()]
    exponents = []
    for _ in range(n_resamples):
        optima = []
        for N, loss in zip(sizes, losses):
            rows = rng.choice(len(N), size=len(N), replace=True)
            if len(set(rows)) < 3:
                break
            optima.append(optimum(N[rows], loss[rows])[0])
        else:
            if np.all(np.isfinite(optima)) and np.all(np.asarray(optima) > 0):
                exponents.append(fit_allocation(budget_list, optima).slope)
    return np.array(exponents)


def curve(record: RunRecord) -> tuple[np.ndarray, np.ndarray]:
    """(FLOPs, validation loss) of one run, evaluation points whose loss is finite."""
    check_instance(record, "record", RunRecord)
    flops = np.array(record.flops, dtype=float)
    loss = record.losses("val")
    keep = np.isfinite(loss) & (flops > 0)
    return flops[keep], loss[keep]


def loss_at_flops(record: RunRecord, C) -> np.ndarray | float:
    """A run's validation loss after spending C FLOPs, interpolated linearly in log-log between
    its evaluations; NaN where C lies outside the logged curve. Runs of one budget end within a
    fraction of a percent of each other (steps are whole numbers), so C up to 1 % past either end
    of the curve reads the end point."""
    flops, loss = curve(record)
    C = check_positive_array(C, "C")
    if len(flops) == 0:
        return np.full(C.shape, np.nan) if C.ndim else float("nan")
    inside = (C >= flops[0] * (1 - END_TOLERANCE)) & (C <= flops[-1] * (1 + END_TOLERANCE))
    values = np.exp(np.interp(np.log(C), np.log(flops), np.log(loss)))
    values = np.where(inside, values, np.nan)
    return float(values) if values.ndim == 0 else values


def frontier(records, grid=None, points: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """The compute frontier: at each compute on ``grid``, the lowest validation loss any run had
    reached there (the lower envelope of the training curves)."""
    records = _check_records(records)
    check_int(points, "points", minimum=2)
    if grid is None:
        low = max(min(curve(r)[0][0] for r in records), 1.0)
        high = max(r.total_flops for r in records)
        grid = np.geomspace(low, high, points)
    grid = check_positive_array(grid, "grid")
    losses = np.array([loss_at_flops(r, grid) for r in records])
    with np.errstate(all="ignore"):
        best = np.where(np.all(np.isnan(losses), axis=0), np.nan, np.nanmin(np.where(np.isnan(losses), np.inf, losses), axis=0))
    return grid, best


def isoflop_slice(records, C: float, embeddings: bool = True, finished_only: bool = False):
    """Loss against parameters at compute C: for each model size, the lowest loss any of its runs
    had at C (read off the training curves). ``finished_only`` keeps only runs that *end* at C
    (within 1 %), as an IsoFLOP experiment trains them. Returns (N, loss), sorted by N."""
    records = _check_records(records)
    C = check_positive_number(C, "C")
    best: dict[int, float] = {}
    for record in records:
        if finished_only and abs(np.log(record.total_flops / C)) > 0.01:
            continue
        value = loss_at_flops(record, C)
        if np.isfinite(value):
            n = n_params(record, embeddings)
            best[n] = min(best.get(n, np.inf), value)
    sizes = np.array(sorted(best), dtype=float)
    return sizes, np.array([best[int(n)] for n in sizes])


# --- plots ---------------------------------------------------------------------------------

def _colours(records):
    widths = sorted({r.config.width for r in records})
    palette = plt.cm.plasma(np.linspace(0, 0.85, len(widths)))
    return dict(zip(widths, palette))


def curves_plot(records, ax=None, show_frontier: bool = True, sources=None):
    """Validation loss against training FLOPs for every run, coloured by model size, with the
    compute frontier. Shipped runs (``sources[i] == "shipped"``) are drawn thinner."""
    records = _check_records(records)
    ax = axes_or_new(ax, figsize=(7.2, 4.6))
    colours = _colours(records)
    labelled = set()
    for i, record in enumerate(records):
        flops, loss = curve(record)
        width = record.config.width
        label = None if width in labelled else f"width {width}: N = {record.n_params:,}"
        labelled.add(width)
        thin = sources is not None and sources[i] != "live"
        ax.plot(flops, loss, "-", color=colours[width], lw=1.0 if thin else 2.0, alpha=0.9, label=label)
        ax.plot(flops[-1], loss[-1], "o", color=colours[width], ms=4)
    if show_frontier:
        grid, best = frontier(records)
        ax.plot(grid, best, "k--", lw=1.5, label="compute frontier (lower envelope)")
    ax.set(xscale="log", yscale="log", xlabel="training compute C (FLOPs)",
           ylabel="validation loss (nats per character)", title="Training curves against compute")
    ax.yaxis.set_major_formatter(plt.ScalarFormatter())
    ax.yaxis.set_minor_formatter(plt.FormatStrFormatter("%.1f"))
    ax.legend(fontsize=7, loc="upper right")
    return ax


def isoflop_plot(groups: dict, optima: dict | None = None, ax=None, embeddings: bool = True):
    """Final loss against parameters, one curve per budget, with each budget's fitted parabola
    and its minimum. ``optima`` maps each budget to (N_opt, loss_opt, coefficients) or None."""
    _check_groups(groups)
    if optima is not None:
        check_instance(optima, "optima", dict, "a dict of budget to (N_opt, loss_opt, coefficients) or None")
    ax = axes_or_new(ax, figsize=(6.8, 4.4))
    palette = plt.cm.viridis(np.linspace(0, 0.85, len(groups)))
    for (C, runs), colour in zip(groups.items(), palette):
        N = np.array([n_params(r, embeddings) for r in runs], dtype=float)
        loss = np.array([r.final_val_loss for r in runs])
        ax.plot(N, loss, "o", color=colour, label=f"C = {C:.2g} FLOPs")
        best = (optima or {}).get(C)
        if best is not None:
            n_opt, loss_opt, coef = best
            grid = np.geomspace(N.min(), N.max(), 100)
            ax.plot(grid, np.polyval(coef, np.log(grid)), "-", color=colour, lw=1)
            ax.plot(n_opt, loss_opt, "*", color=colour, ms=14, mec="k")
    ax.plot([], [], "k*", ms=10, label="parabola minimum: N_opt(C)")
    ax.set(xscale="log", xlabel="parameters N" + ("" if embeddings else " (non-embedding)"),
           ylabel="final validation loss (nats per character)", title="IsoFLOP profiles")
    ax.legend(fontsize=8)
    return ax


# --- the budget slider ---------------------------------------------------------------------

@dataclass
class SliceSummary:
    """What the IsoFLOP explorer shows under its plots."""

    C: float
    n_sizes: int
    N_opt: float | None
    loss_opt: float | None
    tokens_per_parameter: float | None

    def __str__(self) -> str:
        if self.N_opt is None:
            return (f"C = {self.C:.3g} FLOPs: {self.n_sizes} model sizes reach this compute; "
                    "no valley to fit a parabola to here (move the slider)")
        return (f"C = {self.C:.3g} FLOPs: best size N_opt ≈ {self.N_opt:,.0f} parameters, loss {self.loss_opt:.3f}; "
                f"it trains on D ≈ C/(6·N_opt) = {self.C / (6 * self.N_opt):,.0f} tokens, "
                f"{self.tokens_per_parameter:.0f} tokens per parameter")


class IsoFLOPExplorer(Explorer):
    """A compute-budget slider over the training curves: the left panel marks the budget on the
    curves, the right panel shows the IsoFLOP slice there (loss against N, read off the curves),
    its parabola in log N and the optimum (:func:`~scaling_course.science.fit.isoflop_minimum`).
    Pass your own ``optimum(N, loss) -> (N_opt, loss_opt)`` to see it at work instead. A slice
    whose parabola has no minimum inside the sizes there is reported as such."""

    failure = "The slice failed"

    def __init__(self, records, optimum=None, embeddings: bool = True, steps: int = 40):
        if optimum is not None:
            check_callable(optimum, "optimum", "optimum(N, loss) -> (N_opt, loss_opt)")
        check_int(steps, "steps", minimum=2)
        super().__init__()
        self.records = _check_records(records)
        self.optimum = optimum
        self.embeddings = embeddings
        lows = [curve(r)[0][0] for r in self.records]
        low = np.log10(np.median(lows) * 3)
        high = np.log10(max(r.total_flops for r in self.records))
        # the slider spans the budgets whose slice has a valley to fit (its ends show one, not "no valley")
        with_valley = [x for x in np.linspace(low, high, steps + 1) if self._has_valley(10.0 ** x)]
        if len(with_valley) >= 2:
            low, high = with_valley[0], with_valley[-1]
        # every position of the slider is one of the budgets above (its readout is the label below)
        step = (high - low) / steps
        self.budget = w.FloatSlider(value=low + step * (steps // 2), min=low, max=high, step=step,
                                    description="budget", continuous_update=False, readout=False)
        self.budget_label = w.Label()
        self.budget.observe(lambda _change: self._say_budget(), names="value")
        self._say_budget()
        self.summary: SliceSummary | None = None
        self.watch(self.budget)

    def _has_valley(self, C: float) -> bool:
        N, loss = isoflop_slice(self.records, C, self.embeddings)
        return len(N) >= 3 and isoflop_minimum(N, loss, C).method == PARABOLA

    def _say_budget(self) -> None:
        self.budget_label.value = f"C = {10.0 ** self.budget.value:.2g} FLOPs".replace("e+", "e")

    def update(self, log10_C: float) -> tuple[SliceSummary, plt.Figure]:
        """The slice at C = 10**log10_C: its summary and the two-panel figure."""
        C = 10.0 ** check_number(log10_C, "log10_C")
        N, loss = isoflop_slice(self.records, C, self.embeddings)
        minimum = isoflop_minimum(N, loss, C)
        valley = minimum.method == PARABOLA
        if not valley:
            best = None
        else:
            best = self.optimum(N, loss) if self.optimum is not None else (minimum.N_opt, minimum.loss)
        if best is not None:
            n_opt, loss_opt = float(best[0]), float(best[1])
            summary = SliceSummary(C, len(N), n_opt, loss_opt, C / (6 * n_opt) / n_opt)
        else:
            summary = SliceSummary(C, len(N), None, None, None)
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
        curves_plot(self.records, ax=left)
        left.axvline(C, color="k", lw=1)
        colours = _colours(self.records)
        by_size = {n_params(r, self.embeddings): r.config.width for r in self.records}
        right.scatter(N, loss, c=[colours[by_size[int(n)]] for n in N], s=40, zorder=3)
        if best is not None:
            grid = np.geomspace(N.min(), N.max(), 100)
            right.plot(grid, minimum.parabola_at(grid), "k-", lw=1, label="parabola in log N")
            right.plot(summary.N_opt, summary.loss_opt, "k*", ms=14, label="N_opt at this budget")
            right.legend(fontsize=8)
        right.set(xscale="log", xlabel="parameters N", ylabel="validation loss at C",
                  title=f"IsoFLOP slice at C = {C:.2g} FLOPs")
        fig.tight_layout()
        plt.close(fig)   # shown through the Output widget, not by the inline backend
        self.summary = summary
        return summary, fig

    def current(self):
        return self.update(self.budget.value)

    def controls(self) -> list:
        return [w.HBox([self.budget, self.budget_label])]


def isoflop_explorer(records, optimum=None, **kwargs) -> w.VBox:
    """Show a compute-budget slider over the training curves and the IsoFLOP slice (lesson 05)."""
    return IsoFLOPExplorer(records, optimum, **kwargs).widget()
