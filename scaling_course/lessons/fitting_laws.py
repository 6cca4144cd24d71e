"""Fitting L(N, D) (lesson 06): the runs as a surface, the law fitted and bootstrapped, the pitfalls
of the fit, and the held-out run that tests it.

The ``grid`` standard sweep trains GPT widths for several lengths each, plus one run beyond the box
(:func:`~scaling_course.syllabus.sweeps.grid_verify_config`). This module reads those runs:

* :func:`grid_columns` gives the (N, D, loss) a fit takes, N counting all parameters as Hoffmann et al. do;
* :func:`split_held_out` separates the box from the held-out run;
* :func:`surface_plot` draws the loss over (N, D) with the earlier lessons' sweeps marked;
* :func:`pitfalls` refits simulated Chinchilla-sized runs the ways that go wrong;
* :func:`verify_run` trains the held-out run (or reads its shipped twin), and :func:`prediction_plot`
  shows the prediction against the truth.

    >>> from scaling_course.syllabus.live import gather
    >>> box, held_out = split_held_out(gather("grid", "grading").records)
    >>> held_out.config.width > max(r.config.width for r in box)
    True
"""

from __future__ import annotations

__all__ = [
    "PITFALL_DROPPED", "allocation_plot", "earlier_sweeps", "extrapolation_plot", "extrapolation_table", "grid_columns",
    "pitfalls", "pitfalls_plot", "prediction_plot", "split_held_out", "surface_plot", "verify_run",
]

import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import NullFormatter

from scaling_course.engine.runs import RunRecord
from scaling_course.science.fit import Bootstrap, ConvergenceWarning, chinchilla_start_grid, fit_chinchilla, forecast_budget
from scaling_course.science.reference import (
    CHINCHILLA_EQ10_UNROUNDED,
    CHINCHILLA_TABLE_2,
    EPOCH_ALLOCATION_EXPONENT,
    EPOCH_ALLOCATION_EXPONENT_SD,
    EPOCH_REFIT,
)
from scaling_course.science.simulate import simulate_chinchilla_runs
from scaling_course.syllabus.profiles import as_profile
from scaling_course.syllabus.sources import ANALYSED_PROFILE, LIVE, SHIPPED
from scaling_course.validation import (
    check_choice,
    check_instance,
    check_list_of,
    check_number,
    check_positive_array,
    check_positive_number,
    check_seed,
    same_length,
)

from .plots import LEGEND_BELOW, axes_or_new

#: How many of the highest-loss simulated runs the pitfalls drop (Besiroglu et al. 2024 dropped 5 of 245).
PITFALL_DROPPED = 5

#: The earlier sweeps marked on the surface, with the marker each gets.
EARLIER = {"params-text": ("s", "lesson 03: widths"), "fresh-data": ("^", "lesson 04: lengths"),
           "compute": ("D", "lesson 05: IsoFLOP")}


def _check_records(records, name: str = "records") -> list[RunRecord]:
    return check_list_of(records, name, RunRecord, "RunRecord (e.g. gather('grid').records)")


def grid_columns(records) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(N, D, loss)`` of the runs: all parameters (embeddings included, as Hoffmann et al. 2022 count),
    training tokens seen, final held-out loss."""
    records = _check_records(records)
    N = np.array([r.n_params for r in records], dtype=float)
    D = np.array([r.tokens[-1] if r.tokens else 0 for r in records], dtype=float)
    loss = np.array([r.final_val_loss for r in records], dtype=float)
    return N, D, loss


def split_held_out(records, sources=None):
    """The ``grid`` sweep's runs split into the box the law is fitted on and the one run held out beyond it
    (the only run of its width). With ``sources``, returns ``(box, box_sources, held_out, held_out_source)``."""
    records = _check_records(records)
    widest = max(r.config.width for r in records)
    held = [i for i, r in enumerate(records) if r.config.width == widest]
    if len(held) != 1 or len(records) < 2:
        raise ValueError(f"records must be a grid sweep with exactly one run at its largest width, got {len(held)} "
                         f"runs at width {widest} among {len(records)}")
    box = [r for i, r in enumerate(records) if i != held[0]]
    if sources is None:
        return box, records[held[0]]
    sources = [check_choice(s, "sources", (LIVE, SHIPPED)) for s in check_list_of(sources, "sources", str)]
    same_length(records=records, sources=sources)
    return box, [s for i, s in enumerate(sources) if i != held[0]], records[held[0]], sources[held[0]]


def earlier_sweeps(profile=ANALYSED_PROFILE) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(N, D) of the shipped runs of lessons 03-05's text sweeps at ``profile``, to mark on the surface."""
    from scaling_course.syllabus.shipped import reference_results     # here: the shipped results import torch
    return {sweep: grid_columns(reference_results(sweep, profile))[:2] for sweep in EARLIER}   # grading reads ci


def surface_plot(records, sources=None, marks=None, held_out=None, ax=None):
    """The loss over (N, D) on log axes: filled contours through the runs (dots; ringed: trained here),
    ``marks`` (name -> (N, D), e.g. :func:`earlier_sweeps`) as hollow markers, ``held_out`` as a star."""
    records = _check_records(records)
    if sources is not None:
        sources = [check_choice(s, "sources", (LIVE, SHIPPED)) for s in check_list_of(sources, "sources", str)]
        same_length(records=records, sources=sources)
    if marks is not None:
        check_instance(marks, "marks", dict, "a dict of name -> (N, D), as earlier_sweeps() gives")
    if held_out is not None:
        check_instance(held_out, "held_out", RunRecord)
    N, D, loss = grid_columns(records)
    ax = axes_or_new(ax, figsize=(7.0, 5.0))
    filled = ax.tricontourf(np.log10(N), np.log10(D), loss, levels=12, cmap="viridis_r")
    ax.figure.colorbar(filled, ax=ax, label="final held-out loss (nats per character)")
    ax.scatter(np.log10(N), np.log10(D), s=14, color="black", label="grid runs")
    if sources is not None:
        live = np.array(sources) == LIVE
        if live.any():
            ax.scatter(np.log10(N[live]), np.log10(D[live]), s=60, facecolors="none", edgecolors="white",
                       label="trained here")
    for name, (n, d) in (marks or {}).items():
        marker, label = EARLIER.get(name, ("o", name))
        ax.scatter(np.log10(n), np.log10(d), s=45, marker=marker, facecolors="none", edgecolors="tab:red",
                   linewidths=1.0, label=label)
    if held_out is not None:
        (n,), (d,), _ = grid_columns([held_out])
        ax.scatter([np.log10(n)], [np.log10(d)], s=160, marker="*", color="tab:orange", label="held out")
    ax.set(xlabel="log₁₀ N (parameters)", ylabel="log₁₀ D (training tokens)",
           title="Loss over model size and data")
    ax.legend(ncol=3, **LEGEND_BELOW)
    return ax


def _theta(law) -> list[float]:
    return [float(np.log(law.A)), float(np.log(law.B)), float(np.log(law.E)), law.alpha, law.beta]


def pitfalls(seed=0, profile=None) -> pd.DataFrame:
    """Besiroglu et al. 2024's lessons on simulated runs: a Chinchilla-sized IsoFLOP experiment (243 runs, 1%
    noise) from Epoch AI's refit, fitted five ways. One row per way: the exponents, E, a = β/(α+β), the summed
    Huber objective, whether the gradient says it converged, the relative gradient, and the seconds it took.

    The careful fits start from Hoffmann et al.'s 4500-point grid at ``laptop`` and ``full``, and from every
    other point of it (243 starts, :func:`~scaling_course.science.fit.chinchilla_start_grid` with
    ``coarse=True``) at the smaller profiles, where the notebook must run in seconds."""
    seed = check_seed(seed)
    grid = chinchilla_start_grid(coarse=as_profile(profile).name not in ("laptop", "full"))
    runs = simulate_chinchilla_runs(seed=seed)
    noisy = simulate_chinchilla_runs(seed=seed, outlier_fraction=0.03)
    keep = np.argsort(noisy.loss)[:-PITFALL_DROPPED]
    one_start = grid[np.random.default_rng(seed).choice(len(grid), 1)]
    ways = [
        (f"Σ Huber, {len(grid)} starts", "Hoffmann et al.'s recipe, done right", runs, None, dict(starts=grid)),
        ("mean Huber, default tolerances", "the original code's objective, started from Hoffmann et al.'s values",
         runs, None, dict(starts=[_theta(CHINCHILLA_EQ10_UNROUNDED)], reduction="mean", method="scipy",
                          scipy_options={})),
        ("Σ Huber, 1 start", "one start drawn from the grid", runs, None,
         dict(starts=one_start, method="scipy", scipy_options={})),
        ("3% of runs gone wrong", f"Σ Huber, {len(grid)} starts, on runs of which 3% came out worse", noisy, None,
         dict(starts=grid)),
        (f"... {PITFALL_DROPPED} highest losses dropped", f"the same, without the {PITFALL_DROPPED} highest losses",
         noisy, keep, dict(starts=grid)),
    ]
    rows = []
    for name, what, data, rows_kept, options in ways:
        N, D, loss = (data.N, data.D, data.loss) if rows_kept is None else \
            (data.N[rows_kept], data.D[rows_kept], data.loss[rows_kept])
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)      # the table shows it
            fit = fit_chinchilla(N, D, loss, warn=False, **options)
        rows.append({"fit": name, "how": what, "runs": len(N), "alpha": fit.alpha, "beta": fit.beta, "E": fit.E, "a": fit.a,
                     "objective (Σ Huber)": fit.objective, "converged": fit.converged,
                     "relative gradient": fit.convergence.relative_gradient,
                     "seconds": time.perf_counter() - start})
    truth = {"fit": "the truth", "how": "Epoch AI's refit, which drew the runs", "runs": len(runs.N), "alpha": EPOCH_REFIT.alpha,
             "beta": EPOCH_REFIT.beta, "E": EPOCH_REFIT.E,
             "a": EPOCH_REFIT.beta / (EPOCH_REFIT.alpha + EPOCH_REFIT.beta)}
    return pd.DataFrame([truth] + rows)


def pitfalls_plot(table, ax=None, limit: float = 1.0):
    """α and β of each fit in :func:`pitfalls`' table as bars; an exponent beyond ``limit`` is cut there and labelled."""
    check_instance(table, "table", pd.DataFrame, "a DataFrame from pitfalls()")
    limit = check_positive_number(limit, "limit")
    ax = axes_or_new(ax, figsize=(6.4, 3.8))
    rows = np.arange(len(table))
    for offset, name, symbol in ((-0.2, "alpha", "α"), (0.2, "beta", "β")):
        values = table[name].to_numpy(dtype=float)
        bars = ax.barh(rows + offset, np.minimum(values, limit), height=0.4, label=symbol)
        for y, value in zip(rows + offset, values):
            if value > limit:
                ax.text(limit * 0.98, y, f"{symbol} = {value:.1f} →", ha="right", va="center", fontsize=8,
                        color="white")
    ax.set_yticks(rows, list(table["fit"]))
    ax.invert_yaxis()
    ax.set(xlim=(0, limit), xlabel="fitted exponent (first row: the truth)", title="Same runs, five fits")
    ax.legend(loc="lower right")
    return ax


def verify_run(profile=None, progress: bool = True) -> tuple[RunRecord, str]:
    """The ``grid`` sweep's held-out run and where it came from: trained now at ``laptop`` and ``full`` (or read
    from the run cache), its shipped ``laptop`` twin at ``ci`` and under nbgrader, which never train it. It trains
    on one thread, as the shipped runs did, so that a live run reproduces its twin."""
    # imported here: reading shipped results and training import torch, the analysis above does not
    from scaling_course.engine.sweep import run_sweep, torch_threads
    from scaling_course.syllabus.live import time_estimate
    from scaling_course.syllabus.shipped import reference_results
    from scaling_course.syllabus.sweeps import grid_verify_config

    check_instance(progress, "progress", bool)
    p = as_profile(profile)
    if p.name not in ("laptop", "full"):
        _, held_out = split_held_out(reference_results("grid", ANALYSED_PROFILE))
        return held_out, SHIPPED
    config = grid_verify_config(p)
    if progress:
        print(time_estimate("grid", p, [config], workers=1), flush=True)
    # one thread, as its shipped twin trained (in a one-thread worker): the same arithmetic gives the same loss
    with torch_threads(1):
        record, = run_sweep([config], workers=1, progress=progress, description="held-out run")
    return record, LIVE


def prediction_plot(records, fit, held_out, interval, one_axis=None, ax=None):
    """Loss against training tokens for every width of the box (dots) and the fitted law's curves through
    them, the held-out run's prediction with its interval (bar), its true loss (star), and the one-axis law's
    prediction (``one_axis``: a number) if given."""
    records = _check_records(records)
    check_instance(held_out, "held_out", RunRecord)
    if not callable(getattr(fit, "predict", None)):
        raise TypeError(f"fit must be a fitted law with predict(N, D), got {type(fit).__name__}")
    low, high = (check_number(v, "interval") for v in interval)
    ax = axes_or_new(ax, figsize=(7.0, 4.6))
    N, D, loss = grid_columns(records)
    (n_held,), (d_held,), (loss_held,) = grid_columns([held_out])
    colors = plt.get_cmap("viridis")(np.linspace(0, 0.9, len(set(N)) + 1))
    D_line = np.geomspace(D.min() / 1.3, d_held * 1.3, 60)
    for color, n in zip(colors, sorted(set(N))):
        rows = N == n
        ax.plot(D[rows], loss[rows], "o", color=color, ms=4)
        ax.plot(D_line, fit.predict(np.full_like(D_line, n), D_line), "-", color=color, lw=1,
                label=f"N = {n:,.0f}")
    ax.plot(D_line, fit.predict(np.full_like(D_line, n_held), D_line), "--", color=colors[-1], lw=1.2,
            label=f"law at N = {n_held:,.0f} (held out)")
    predicted = float(fit.predict(n_held, d_held))
    ax.errorbar([d_held], [predicted], yerr=[[predicted - low], [high - predicted]], fmt="o", color="tab:red",
                capsize=4, label="prediction, 80% interval")
    ax.plot([d_held], [loss_held], "*", color="tab:orange", ms=14, label="held-out run: the truth")
    if one_axis is not None:
        ax.plot([d_held], [check_number(one_axis, "one_axis")], "x", color="black", ms=9,
                label="one-axis law L(N) (lesson 03)")
    ax.set(xscale="log", xlabel="D (training tokens)", ylabel="final held-out loss (nats)",
           title="The law's curves, and the run it had not seen")
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.legend(ncol=3, **LEGEND_BELOW)
    return ax


def allocation_plot(a, low, high, ax=None):
    """The allocation exponent a (N_opt ∝ C^a) of the learner's law with its interval, beside Hoffmann et al.'s
    three approaches (Table 2, 10th-90th percentiles) and Epoch AI's refit (±1.28 SD: an 80% interval)."""
    a, low, high = (check_number(v, name) for v, name in ((a, "a"), (low, "low"), (high, "high")))
    ax = axes_or_new(ax, figsize=(6.4, 3.6))
    rows = [("your runs (bootstrap, 80%)", a, low, high, "tab:red")]
    for row in CHINCHILLA_TABLE_2:
        if row.a_range is not None:
            rows.append((f"Chinchilla approach {row.approach.split('.')[0]}", row.a, *row.a_range, "tab:blue"))
    z80 = 1.2816
    rows.append(("Epoch AI's refit", EPOCH_ALLOCATION_EXPONENT, EPOCH_ALLOCATION_EXPONENT - z80 * EPOCH_ALLOCATION_EXPONENT_SD,
                 EPOCH_ALLOCATION_EXPONENT + z80 * EPOCH_ALLOCATION_EXPONENT_SD, "tab:green"))
    for y, (label, value, lo, hi, color) in enumerate(reversed(rows)):
        # drawn as a segment and a dot: Table 2 rounds approach 3's a to 0.46, outside its printed interval
        ax.plot([lo, hi], [y, y], "|-", color=color, ms=10, lw=2)
        ax.plot([value], [y], "o", color=color)
    ax.set_yticks(range(len(rows)), [r[0] for r in reversed(rows)])
    ax.axvline(0.5, color="grey", lw=0.8, ls=":")
    ax.set(xlabel="a in N_opt ∝ C^a (80% intervals)", title="How a bigger budget should grow the model")
    return ax


def extrapolation_table(fit, boot, C_start, factors=(1, 3, 10, 30, 100, 300, 1000)) -> pd.DataFrame:
    """The compute-optimal run at ``C_start`` times each factor, from the fitted law: N_opt, D_opt and the loss
    with the bootstrap's 80% interval, and how wide that interval is relative to the loss."""
    check_instance(boot, "boot", Bootstrap, "a Bootstrap of the fit (from bootstrap(...))")
    C_start = check_positive_number(C_start, "C_start")
    factors = check_positive_array(factors, "factors")
    rows = []
    for factor in np.atleast_1d(factors):
        predicted = forecast_budget(fit, float(C_start * factor), boot)
        loss = predicted.loss
        rows.append({"compute × largest run": float(factor), "C (FLOPs)": float(C_start * factor),
                     "N_opt": predicted.N_opt.value, "D_opt": predicted.D_opt.value, "loss": loss.value,
                     "low (10%)": loss.low, "high (90%)": loss.high,
                     "interval width / loss": (loss.high - loss.low) / loss.value})
    return pd.DataFrame(rows)


def extrapolation_plot(table, held_out_factor=None, ax=None):
    """The predicted loss along the compute-optimal path and its 80% band, against how far beyond the
    largest fitted run it reaches; ``held_out_factor`` marks where the held-out run stood."""
    check_instance(table, "table", pd.DataFrame, "a DataFrame from extrapolation_table(...)")
    ax = axes_or_new(ax)
    x = table["compute × largest run"]
    ax.fill_between(x, table["low (10%)"], table["high (90%)"], color="tab:blue", alpha=0.25,
                    label="80% interval (bootstrap)")
    ax.plot(x, table["loss"], "o-", color="tab:blue", ms=3, label="the law's compute-optimal loss")
    if held_out_factor is not None:
        ax.axvline(check_positive_number(held_out_factor, "held_out_factor"), color="tab:orange", ls="--",
                   label="the held-out run")
    ax.set(xscale="log", xlabel="compute, as a multiple of the largest fitted run",
           ylabel="predicted loss (nats)", title="Further out, wider intervals")
    ax.legend(**LEGEND_BELOW)
    return ax
