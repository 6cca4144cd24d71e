"""Is scale all you need? (lesson 07): the critics' claims, each put to a test on the course's own runs.

* Diminishing returns, priced: :func:`own_laws` refits lessons 03, 05 and 06's laws on their shipped runs, with
  bootstrap intervals, and :func:`returns_table` sets the resource each halving of the reducible loss costs beside
  the published laws'; :func:`loss_steps_table` prices fixed steps of loss with a learner's ``compute_to_reach``.
* Cost: :func:`famous_costs` runs a learner's ``training_energy`` on four famous training runs and sets it beside
  their published accounting; :class:`EnergyMeter` and :func:`own_costs` do the same for the learner's own runs;
  :func:`cost_plot` draws energy against loss.
* Emergence as a metric artefact (Schaeffer et al. 2023): :func:`emergence_frame`, :func:`jump_share`,
  :func:`emergence_plot` and :func:`emergence_explorer`, from the scores every text run records
  (``token_accuracy``, ``exact_match``).
* Generalist or specialists (Michaud et al. 2023's multitask sparse parity): :func:`team_table` and
  :func:`team_plot` set one MLP trained on all subtasks beside teams of MLPs trained on one subtask each.
* In-context learning (Olsson et al. 2022): :func:`in_context_frame`, :func:`in_context_trend` and
  :func:`position_loss_plot`, from each text run's ``position_loss``.
* Data limits (Villalobos et al. 2024): :func:`data_limits_table`.

    >>> table = famous_costs(lambda flops, peak, utilisation, watts, pue: 1.0)
    >>> list(table["model"])[:2]
    ['GPT-3 175B', 'PaLM 540B']
"""

from __future__ import annotations

__all__ = [
    "ASSUMED_WATTS_PER_CORE", "H100_CHAIN", "SWEEP_CORES", "EnergyMeter", "OwnLaw", "cost_plot", "data_limits_table", "emergence_explorer",
    "emergence_frame", "emergence_plot", "famous_costs", "in_context_frame", "in_context_trend", "jump_share",
    "loss_steps_table", "own_costs", "own_laws", "position_loss_plot", "returns_plot", "returns_table",
    "team_plot", "team_table", "toy_emergence", "toy_emergence_plot", "LEARNED_BELOW", "transfer_plot",
    "transfer_table", "scratch_tokens_to_match",
]

import math
import pathlib
import time
import warnings
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from scaling_course.engine.runs import RunRecord
from scaling_course.science.fit import (
    Bootstrap,
    ConvergenceWarning,
    bootstrap,
    chinchilla_start_grid,
    fit_chinchilla,
    fit_power_law,
    fit_power_law_to_means,
)
from scaling_course.science.laws import chinchilla_loss, compute_optimal_loss_exponent
from scaling_course.science.reference import (
    CHINCHILLA_EQ10,
    DATA_LIMITS,
    EPOCH_REFIT,
    KAPLAN,
    TRAINING_COSTS,
    famous_model,
)
from scaling_course.syllabus.profiles import as_profile
from scaling_course.syllabus.sources import ANALYSED_PROFILE, LIVE, SHIPPED
from scaling_course.validation import (
    check_callable,
    check_choice,
    check_instance,
    check_int,
    check_list_of,
    check_number,
    check_positive_array,
    check_positive_number,
    same_length,
)

from . import fitting_laws, scaling_compute
from .explorer import Explorer
from .plots import LEGEND_BELOW, axes_or_new, plain_log_ticks

# --- 1. diminishing returns, priced ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnLaw:
    """One of the learner's laws from an earlier lesson, refitted on that lesson's shipped runs."""

    lesson: str            # e.g. "03 · L(N), text"
    resource: str          # what grows: "parameters" or "compute"
    fit: Any               # the fit (a PowerLawFit or a ChinchillaFit)
    bootstrap: Bootstrap   # refits on resampled runs
    exponent: Any          # fit -> the exponent of the resource in the reducible loss
    best_loss: float       # the lowest loss among the runs it was fitted on

    def halving_factor(self, fit=None) -> float:
        """How many times more of the resource halves the reducible loss: 2^(1/exponent)."""
        return 2.0 ** (1.0 / self.exponent(self.fit if fit is None else fit))


def _alpha(fit) -> float:
    return fit.alpha


def own_laws(profile=None) -> dict[str, OwnLaw]:
    """Lessons 03, 05 and 06's laws refitted on their shipped runs (the analysed profile's, as those lessons
    analyse them), each with ``profile.resamples`` bootstrap refits over runs.

    * 03: L(N) = E + A·N^−α over the text GPT's non-embedding parameters (means over seeds);
    * 05: L(C) = E + A·C^−α along the compute frontier of the IsoFLOP runs;
    * 06: L(N, D) = E + A/N^α + B/D^β on the grid's box, whose compute-optimal loss falls as C^−γ with
      γ = αβ/(α+β).
    """
    from scaling_course.syllabus.shipped import reference_results     # reads run files: no torch at import

    p = as_profile(profile)
    laws = {}
    text = reference_results("params-text", ANALYSED_PROFILE)
    n = np.array([r.n_params_non_embedding for r in text], dtype=float)
    loss = np.array([r.final_val_loss for r in text])
    laws["03"] = OwnLaw("03 · L(N), text GPT", "parameters", fit_power_law_to_means(n, loss, warn=False),
                        bootstrap(fit_power_law_to_means, n, loss, n_resamples=p.resamples, warn=False), _alpha,
                        float(loss.min()))
    compute = reference_results("compute", ANALYSED_PROFILE)
    budgets = list(scaling_compute.budgets(compute))
    grid, best = scaling_compute.frontier(compute, np.geomspace(budgets[0] / 3, budgets[-1], 30))
    laws["05"] = OwnLaw("05 · L(C), compute frontier", "compute", fit_power_law(grid, best, warn=False),
                        bootstrap(fit_power_law, grid, best, n_resamples=p.resamples, warn=False), _alpha,
                        float(np.nanmin(best)))
    box, _ = fitting_laws.split_held_out(reference_results("grid", ANALYSED_PROFILE))
    N, D, box_loss = fitting_laws.grid_columns(box)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)    # refits that stop on the flat E direction
        law = fit_chinchilla(N, D, box_loss, warn=False)
        boot = bootstrap(fit_chinchilla, N, D, box_loss, n_resamples=p.resamples,
                         starts=chinchilla_start_grid(coarse=True), warn=False)
    laws["06"] = OwnLaw("06 · L(N, D), grid", "compute", law, boot, compute_optimal_loss_exponent,
                        float(box_loss.min()))
    return laws


#: Published laws beside the learner's: name -> (resource, exponent, whether the law has a floor E, source).
PUBLISHED_RETURNS = {
    "Kaplan et al. 2020, L(N)": ("parameters", KAPLAN.alpha_N, False, "arXiv:2001.08361, eq. 1.1"),
    "Kaplan et al. 2020, L(C_min)": ("compute", KAPLAN.alpha_C_min, False, "arXiv:2001.08361, eq. 1.3"),
    "Hoffmann et al. 2022, eq. 10": ("compute", compute_optimal_loss_exponent(CHINCHILLA_EQ10), True,
                                     "arXiv:2203.15556, γ = αβ/(α+β)"),
    "Besiroglu et al. 2024 (Epoch's refit)": ("compute", compute_optimal_loss_exponent(EPOCH_REFIT), True,
                                              "arXiv:2404.10102, γ = αβ/(α+β)"),
}


def returns_table(laws: dict, level: float = 0.8) -> pd.DataFrame:
    """One row per law: the resource that grows, its exponent, and how many times more of it halves the reducible
    loss (2^(1/exponent)), with the bootstrap's ``level`` interval for the learner's own laws. Published laws
    without a floor (Kaplan's) halve the whole loss."""
    laws = _check_own_laws(laws)
    level = check_number(level, "level", above=0, below=1)
    tail = 100 * (1 - level) / 2
    rows = []
    for law in laws.values():
        exponents = np.array([law.exponent(f) for f in law.bootstrap.fits])
        low, high = np.percentile(exponents, [tail, 100 - tail]) if len(exponents) else (math.nan, math.nan)
        rows.append({"law": law.lesson, "resource": law.resource, "exponent": law.exponent(law.fit),
                     "exponent low": low, "exponent high": high, "× per halving": law.halving_factor(),
                     "× low": 2.0 ** (1 / high), "× high": 2.0 ** (1 / low), "source": "your runs"})
    for name, (resource, exponent, _floor, source) in PUBLISHED_RETURNS.items():
        rows.append({"law": name, "resource": resource, "exponent": exponent, "exponent low": math.nan,
                     "exponent high": math.nan, "× per halving": 2.0 ** (1 / exponent), "× low": math.nan,
                     "× high": math.nan, "source": source})
    return pd.DataFrame(rows)


def returns_plot(table: pd.DataFrame, ax=None):
    """How many times more of its resource each law needs to halve the reducible loss (log axis), with the
    bootstrap's interval for the learner's own laws."""
    check_instance(table, "table", pd.DataFrame, "the table returns_table() returns")
    ax = axes_or_new(ax, figsize=(8.5, 3.8))
    y = np.arange(len(table))[::-1]
    colours = ["tab:blue" if r == "parameters" else "tab:orange" for r in table["resource"]]
    ax.barh(y, table["× per halving"], color=colours, alpha=0.8)
    own = table["source"] == "your runs"
    low = (table["× per halving"] - table["× low"])[own]
    high = (table["× high"] - table["× per halving"])[own]
    ax.errorbar(table["× per halving"][own], y[own.to_numpy()], xerr=[low, high], fmt="none", color="black",
                capsize=3, label="80% bootstrap interval")
    ax.set_yticks(y, table["law"], fontsize=8)
    ax.set(xscale="log", xlabel="× more of the resource to halve the reducible loss",
           title="Diminishing returns: blue = parameters, orange = compute")
    ax.legend(fontsize=8, loc="lower right")
    return ax


def _check_own_laws(laws) -> dict:
    check_instance(laws, "laws", dict, "the dict own_laws() returns")
    for key, law in laws.items():
        check_instance(law, f"laws[{key!r}]", OwnLaw, "an OwnLaw (from own_laws())")
    return laws


def loss_steps_table(compute_to_reach, laws: dict, targets: dict) -> pd.DataFrame:
    """``compute_to_reach(target, law)`` for each law at each of its target losses, and how many times the previous
    target's compute each further step costs. ``laws`` maps a name to a law (E, A, B, alpha, beta); ``targets`` maps
    the same names to increasing-difficulty (decreasing) target losses."""
    check_callable(compute_to_reach, "compute_to_reach", "(target_loss, law) -> FLOPs")
    check_instance(laws, "laws", dict, "a dict of name -> law")
    check_instance(targets, "targets", dict, "a dict of name -> target losses")
    if set(laws) != set(targets):
        raise ValueError(f"targets must name the same laws as laws ({sorted(laws)}), got {sorted(targets)}")
    rows = []
    for name, law in laws.items():
        previous = None
        for target in check_positive_array(targets[name], f"targets[{name!r}]").ravel():
            C = float(compute_to_reach(float(target), law))
            rows.append({"law": name, "target loss": float(target), "compute (FLOPs)": C,
                         "× previous": C / previous if previous else math.nan})
            previous = C
    return pd.DataFrame(rows)


# --- 2. cost: FLOPs -> hours -> energy -> CO2e -> money -----------------------------------------------------------

#: What one busy CPU core is assumed to draw while it trains, where the energy counters cannot be read: an assumption
#: to replace with your own machine's figure (its TDP divided by its cores, or a wall-socket meter's reading).
ASSUMED_WATTS_PER_CORE = 15.0
#: Cores a sweep keeps busy (two worker processes of one thread each, or one process with two threads).
SWEEP_CORES = 2

_RAPL = pathlib.Path("/sys/class/powercap")


def _rapl_counters() -> list[tuple[pathlib.Path, int]]:
    """The CPU packages' energy counters (Intel RAPL on Linux) with their wrap-around ranges; none if unreadable."""
    counters = []
    for zone in sorted(_RAPL.glob("intel-rapl:[0-9]*")):
        if zone.name.count(":") != 1:          # a package, not one of its sub-zones
            continue
        try:
            int((zone / "energy_uj").read_text())
            counters.append((zone / "energy_uj", int((zone / "max_energy_range_uj").read_text())))
        except (OSError, ValueError):
            return []
    return counters


class EnergyMeter:
    """Measures the energy a block of work takes: from the CPU's own energy counters where the operating system lets
    a user read them (Intel RAPL on Linux), otherwise estimated as wall time × ``watts`` and said to be an estimate.

        >>> with EnergyMeter(watts=30) as meter:
        ...     pass
        >>> meter.joules >= 0
        True
    """

    def __init__(self, watts: float = ASSUMED_WATTS_PER_CORE * SWEEP_CORES):
        self.watts = check_positive_number(watts, "watts (what the CPU draws while training, assumed)")
        self.seconds = 0.0
        self.joules = 0.0
        self.measured = False

    def __enter__(self):
        self._counters = _rapl_counters()
        self._start = [int(path.read_text()) for path, _ in self._counters]
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._started
        try:
            ends = [int(path.read_text()) for path, _ in self._counters]
        except (OSError, ValueError):
            ends = []
        if self._counters and len(ends) == len(self._start):
            used = [(end - start) % top for end, start, (_, top) in zip(ends, self._start, self._counters)]
            self.joules, self.measured = sum(used) / 1e6, True
        else:
            self.joules, self.measured = self.seconds * self.watts, False
        return False

    def __str__(self) -> str:
        how = ("measured by the CPU's energy counters (RAPL)" if self.measured else
               f"estimated: {self.seconds:.0f} s × an assumed {self.watts:.0f} W (this machine's energy counters "
               "are not readable to this user; EnergyMeter(watts=...) takes your CPU's own figure)")
        return f"{self.joules / 3.6e6 * 1000:.3g} Wh in {self.seconds:.0f} s, {how}"


def famous_costs(training_energy) -> pd.DataFrame:
    """Four famous training runs: what ``training_energy(flops, peak, utilisation, watts, pue)`` (kWh) estimates
    from their FLOPs, beside the energy, CO₂e and money their authors published. Inputs not read in a primary
    source are marked in ``marks`` (S: secondary source, D: derived by arithmetic)."""
    check_callable(training_energy, "training_energy", "(flops, peak_flops_per_second, utilisation, watts, pue) -> kWh")
    rows = []
    for run in TRAINING_COSTS:
        kwh = float(training_energy(run.flops, run.peak_flops_per_second, run.utilisation, run.watts, run.pue))
        rows.append({"model": run.name, "FLOPs": run.flops, "accelerator": run.accelerator,
                     "utilisation": run.utilisation, "estimated MWh": kwh / 1000, "published MWh": run.energy_mwh,
                     "estimate / published": kwh / 1000 / run.energy_mwh,
                     "published tCO2e": run.co2e_tonnes, "kg CO2e per kWh": run.grid_kg_per_kwh,
                     "hardware + energy cost (USD)": run.amortized_cost_usd,
                     "marks": ", ".join(f"{k}: {v}" for k, v in run.marks.items())})
    return pd.DataFrame(rows)


def own_costs(records, sources, watts_per_core: float = ASSUMED_WATTS_PER_CORE,
              kg_per_kwh: float = 0.385) -> pd.DataFrame:
    """The learner's own runs priced like the famous ones: FLOPs, seconds (this machine's for live runs, the shipped
    twin's on a quiet 2-core machine otherwise), energy at ``watts_per_core`` for each thread the run trained with,
    and CO₂e at ``kg_per_kwh`` (default: the US average the LLaMA paper used)."""
    records = check_list_of(records, "records", RunRecord)
    sources = list(sources)
    same_length(records=records, sources=sources)
    for source in sources:
        check_choice(source, "sources", (LIVE, SHIPPED))
    watts_per_core = check_positive_number(watts_per_core, "watts_per_core")
    kg_per_kwh = check_positive_number(kg_per_kwh, "kg_per_kwh")
    rows = []
    for record, source in zip(records, sources):
        cores = max(1, record.threads)
        kwh = record.seconds * cores * watts_per_core / 3.6e6
        rows.append({"width": record.config.width, "seed": record.config.seed, "n_params": record.n_params,
                     "FLOPs": record.total_flops, "seconds": record.seconds, "cores": cores, "source": source,
                     "kWh": kwh,
                     "g CO2e": 1000 * kwh * kg_per_kwh, "final_val_loss": record.final_val_loss})
    return pd.DataFrame(rows)


#: The conversion behind the published laws' energy curve: an H100's dense BF16 peak (NVIDIA's whitepaper, as
#: quoted secondhand), 40% utilisation (within Llama 3's reported 38-43%), 700 W and a PUE of 1.1.
#: In the order training_energy takes them: (peak FLOP/s, utilisation, watts, PUE).
H100_CHAIN = (989.4e12, 0.40, 700.0, 1.1)


def cost_plot(own: pd.DataFrame, compute_to_reach, training_energy, axes=None):
    """Energy against loss on log axes: left, the learner's runs (their measured or shipped wall time × the assumed
    power); right, the energy each published law needs to reach a loss (its compute converted on H100s), with the
    famous runs at the loss eq. 10 assigns their N and D and their published energy."""
    check_instance(own, "own", pd.DataFrame, "the table own_costs() returns")
    check_callable(compute_to_reach, "compute_to_reach", "(target_loss, law) -> FLOPs")
    check_callable(training_energy, "training_energy", "(flops, peak, utilisation, watts, pue) -> kWh")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(12.5, 4.4))
    left, right = axes
    for source, marker in ((SHIPPED, "o"), (LIVE, "*")):
        rows = own[own["source"] == source]
        if len(rows):
            left.scatter(rows["final_val_loss"], 1000 * rows["kWh"], marker=marker, s=40 if marker == "o" else 90,
                         label=f"{source} runs", zorder=3)
    left.set(xscale="log", yscale="log", xlabel="final held-out loss (nats per character)",
             ylabel="energy (Wh, assumed CPU power)", title="Your runs: energy against loss")
    plain_log_ticks(left.xaxis)
    left.legend(fontsize=8)
    losses = np.linspace(1.86, 2.6, 80)
    for name, law in (("Hoffmann et al. 2022, eq. 10", CHINCHILLA_EQ10), ("Besiroglu et al. 2024", EPOCH_REFIT)):
        usable = losses[losses > law.E + 0.01]
        mwh = [training_energy(float(compute_to_reach(float(L), law)), *H100_CHAIN) / 1000 for L in usable]
        right.plot(usable, mwh, label=f"compute-optimal, {name}")
    for run in TRAINING_COSTS:
        model = famous_model(_FAMOUS_NAMES[run.name])
        L = chinchilla_loss(model.n_params, model.n_tokens, CHINCHILLA_EQ10)
        right.scatter([L], [run.energy_mwh], color="black", zorder=3)
        right.annotate(run.name, (L, run.energy_mwh), textcoords="offset points", xytext=(5, 4), fontsize=8)
    right.set(xscale="log", yscale="log", xlabel="loss (nats per token, eq. 10's scale)", ylabel="energy (MWh)",
              title="Published laws: energy to reach a loss")
    plain_log_ticks(right.xaxis)
    right.legend(**LEGEND_BELOW)
    return axes


_FAMOUS_NAMES = {"GPT-3 175B": "GPT-3", "PaLM 540B": "PaLM", "LLaMA-65B": "LLaMA-65B",
                 "Llama 3.1 405B": "Llama 3.1 405B"}


# --- 3. emergence as a metric artefact --------------------------------------------------------------------------

def _text_records(records, name: str = "records") -> list[RunRecord]:
    records = check_list_of(records, name, RunRecord, "text runs (from gather('params-text', ...))")
    for i, record in enumerate(records):
        if record.token_accuracy is None or record.position_loss is None:
            raise ValueError(f"{name}[{i}] must be a text run that recorded its scores (token_accuracy, "
                             "exact_match, position_loss), got one without them: a run from an older version of "
                             "the course or not a text run")
    return records


def emergence_frame(records, k: int) -> pd.DataFrame:
    """One row per text run: its size and loss, its per-character accuracy, and for k-character continuations that
    begin a word, the mean share of characters right ("word accuracy", a smooth metric) and the share right
    throughout ("word exact match", the metric of emergence claims)."""
    records = _text_records(records)
    k = check_int(k, "k (characters in the continuation)", minimum=1, maximum=len(records[0].word_exact_match))
    return pd.DataFrame([{"width": r.config.width, "seed": r.config.seed, "n_params": r.n_params_non_embedding,
                          "loss": r.final_val_loss, "token accuracy": r.token_accuracy,
                          "word accuracy": r.word_accuracy[k - 1], "word exact match": r.word_exact_match[k - 1],
                          "exact match (any start)": r.exact_match[k - 1]} for r in records])


def _means(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    means = frame.groupby("n_params")[column].mean()
    return means.index.to_numpy(dtype=float), means.to_numpy(dtype=float)


def jump_share(n_params, values) -> float:
    """The share of a metric's whole change, from the smallest model to the largest, that comes in the upper half of
    the sizes on a log scale. A metric that moves evenly with log N gives about 0.5; one that only moves among the
    largest models, close to 1. ``values`` are one per size (e.g. the mean over seeds), in any order of size."""
    n = check_positive_array(n_params, "n_params").ravel()
    v = np.asarray(values, dtype=float).ravel()
    same_length(n_params=n, values=v)
    if len(n) < 3:
        raise ValueError(f"n_params must hold at least 3 sizes to split them in halves, got {len(n)}")
    order = np.argsort(n)
    n, v = n[order], v[order]
    middle = np.exp(0.5 * (np.log(n[0]) + np.log(n[-1])))
    total = v[-1] - v[0]
    if total == 0:
        return math.nan
    at_middle = np.interp(np.log(middle), np.log(n), v)
    return float((v[-1] - at_middle) / total)


def emergence_plot(records, k: int, axes=None):
    """Three panels against the parameter count (non-embedding), each run a dot and the mean over seeds a line: the
    loss (log axes), the word accuracy of k-character continuations (smooth) and their word exact match, with the
    p^k of independent errors built from the word accuracy beside it."""
    frame = emergence_frame(records, k)
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(14, 4.0))
    panels = (("loss", "held-out loss (nats per character)"),
              ("word accuracy", f"share of {k} characters right\n(continuations that begin a word)"),
              ("word exact match", f"all {k} characters right"))
    for ax, (column, label) in zip(axes, panels):
        ax.scatter(frame["n_params"], frame[column], s=14, alpha=0.5, label="one run (seed)")
        n, mean = _means(frame, column)
        ax.plot(n, mean, "o-", label="mean over seeds")
        ax.set(xscale="log", xlabel="parameters (non-embedding)", ylabel=label)
    axes[0].set_yscale("log")
    plain_log_ticks(axes[0].yaxis)
    n, accuracy = _means(frame, "word accuracy")
    axes[2].plot(n, accuracy ** k, "--", color="grey", label=f"(word accuracy)^{k}: independent errors")
    axes[2].set_ylim(bottom=0)
    axes[1].set_ylim(bottom=0)
    axes[2].legend(fontsize=8)
    axes[0].set_title("loss: smooth")
    axes[1].set_title(f"per-character score, k = {k}")
    axes[2].set_title(f"exact match, k = {k}")
    return axes


def toy_emergence(exact_match, ks=(1, 4, 8, 16), sizes: int = 9, windows: int = 400, positions: int = 32,
                  seed: int = 0) -> pd.DataFrame:
    """Schaeffer et al.'s toy: models whose per-character accuracy p rises evenly with log N, from 0.3 to 0.95 over
    ``sizes`` sizes, each character right independently with probability p; ``exact_match(correct, k)`` scores the
    same simulated guesses for each k in ``ks``. One row per size."""
    check_callable(exact_match, "exact_match", "(correct, k) -> share")
    ks = [check_int(k, "ks", minimum=1, maximum=positions) for k in ks]
    sizes = check_int(sizes, "sizes", minimum=2)
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    rows = []
    for n, p in zip(np.geomspace(1e6, 1e10, sizes), np.linspace(0.3, 0.95, sizes)):
        correct = rng.random((windows, positions)) < p
        row = {"n_params": n, "p": p, "accuracy": correct.mean()}
        row.update({f"exact match k={k}": float(exact_match(correct.copy(), k)) for k in ks})
        rows.append(row)
    return pd.DataFrame(rows)


def toy_emergence_plot(toy: pd.DataFrame, ax=None):
    """The toy's accuracy and exact match for each k against the (pretend) parameter count, linear y axis."""
    check_instance(toy, "toy", pd.DataFrame, "the table toy_emergence() returns")
    ax = axes_or_new(ax, figsize=(7, 4.2))
    ax.plot(toy["n_params"], toy["accuracy"], "o-", color="black", label="per-character accuracy p")
    for column in [c for c in toy.columns if c.startswith("exact match")]:
        ax.plot(toy["n_params"], toy[column], "o--", label=column.replace("exact match", "exact match,"))
    ax.set(xscale="log", ylim=(0, 1), xlabel="parameters (pretend)", ylabel="score",
           title="Toy: the same guesses, scored two ways")
    ax.legend(fontsize=8)
    return ax


class EmergenceExplorer(Explorer):
    """A slider for k, the length of the continuation, over :func:`emergence_plot`."""

    def __init__(self, records, k: int = 8):
        super().__init__()
        import ipywidgets as w
        self.records = _text_records(records)
        longest = len(self.records[0].word_exact_match)
        self.k = w.IntSlider(value=check_int(k, "k", minimum=1, maximum=longest), min=1, max=longest,
                             description="k (chars)", continuous_update=False)
        self.watch(self.k)

    def update(self, k: int):
        axes = emergence_plot(self.records, k)
        fig = axes[0].figure
        fig.tight_layout()
        plt.close(fig)
        frame = emergence_frame(self.records, k)
        shares = {c: jump_share(*_means(frame, c)) for c in ("word accuracy", "word exact match")}
        summary = (f"k = {k}: share of the change that comes in the larger half of the sizes: word accuracy "
                   f"{shares['word accuracy']:.2f}, word exact match {shares['word exact match']:.2f} "
                   "(an even rise with log N gives about 0.5)")
        return summary, fig

    def current(self):
        return self.update(self.k.value)

    def controls(self) -> list:
        return [self.k]


def emergence_explorer(records, k: int = 8):
    """The emergence plot with a slider for k (ipywidgets): drag it and watch exact match turn into a 'jump'."""
    return EmergenceExplorer(records, k).widget()


# --- 4. generalist or specialists ------------------------------------------------------------------------------

#: A subtask counts as learned when its held-out loss is below this (nats; guessing a parity costs ln 2 = 0.69).
LEARNED_BELOW = 0.1

GENERALIST, TEAM = "generalist", "team of specialists"


def team_table(generalists, specialists) -> pd.DataFrame:
    """One row per run: the ``params`` sweep's generalists (one MLP for all subtasks) and teams of specialists (the
    ``specialists`` sweep: one MLP per subtask, each trained on its subtask alone), with the team's parameters and
    compute counted over all its members. A specialist run stands for every member of its team: the subtasks are the
    same problem on different random bits, so the members differ only by chance (the seeds show how much), and a team
    learns all subtasks or none. Losses: the test loss weighted by how often each subtask occurs (what the
    generalist is trained on), and the plain mean over subtasks (every subtask as important as any other)."""
    generalists = check_list_of(generalists, "generalists", RunRecord, "the params sweep's runs")
    specialists = check_list_of(specialists, "specialists", RunRecord, "the specialists sweep's runs")
    rows = []
    for i, r in enumerate(generalists):
        if r.subtask_loss is None or r.config.task != "sparse_parity":
            raise ValueError(f"generalists[{i}] must be a sparse-parity run with its subtask losses, got a "
                             f"{r.config.task} run")
        losses = np.array(r.subtask_loss)
        rows.append({"kind": GENERALIST, "width": r.config.width, "seed": r.config.seed, "n_params": r.n_params,
                     "FLOPs": r.total_flops, "weighted loss": r.final_val_loss, "mean loss over subtasks": losses.mean(),
                     "subtasks learned": int((losses < LEARNED_BELOW).sum()), "of": len(losses)})
    n_subtasks = generalists[0].config.n_subtasks if generalists else 0
    for i, r in enumerate(specialists):
        if r.config.task != "sparse_parity" or r.config.n_subtasks != 1:
            raise ValueError(f"specialists[{i}] must be a sparse-parity run on one subtask, got a {r.config.task} run "
                             f"on {r.config.n_subtasks}")
        rows.append({"kind": TEAM, "width": r.config.width, "seed": r.config.seed, "n_params": n_subtasks * r.n_params,
                     "FLOPs": n_subtasks * r.total_flops, "weighted loss": r.final_val_loss,
                     "mean loss over subtasks": r.final_val_loss,
                     "subtasks learned": n_subtasks if r.final_val_loss < LEARNED_BELOW else 0, "of": n_subtasks})
    return pd.DataFrame(rows)


def team_plot(table: pd.DataFrame, axes=None):
    """Generalists and teams against total parameters: the frequency-weighted loss, the plain mean over subtasks and
    the subtasks learned (each run a dot, the mean over seeds a line)."""
    check_instance(table, "table", pd.DataFrame, "the table team_table() returns")
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(14, 4.0))
    columns = (("weighted loss", "test loss, weighted by frequency (nats)"),
               ("mean loss over subtasks", "mean loss over subtasks (nats)"),
               ("subtasks learned", f"subtasks learned (loss < {LEARNED_BELOW})"))
    for ax, (column, label) in zip(axes, columns):
        for kind, marker in ((GENERALIST, "o"), (TEAM, "s")):
            rows = table[table["kind"] == kind]
            if not len(rows):
                continue
            ax.scatter(rows["n_params"], rows[column], marker=marker, s=14, alpha=0.4)
            means = rows.groupby("n_params")[column].mean()
            ax.plot(means.index, means.values, marker=marker, label=kind)
        ax.set(xscale="log", xlabel="parameters (all members of a team)", ylabel=label)
    axes[0].set_yscale("log")
    axes[0].legend(fontsize=8)
    axes[0].set_title("what the generalist is trained on")
    axes[1].set_title("every subtask counts the same")
    axes[2].set_title("the long tail")
    return axes


# --- 5. in-context learning -------------------------------------------------------------------------------------

def in_context_frame(records, in_context_gain) -> pd.DataFrame:
    """One row per text run: its size, loss and ``in_context_gain(position_loss)`` (nats)."""
    records = _text_records(records)
    check_callable(in_context_gain, "in_context_gain", "(position_loss) -> nats")
    return pd.DataFrame([{"width": r.config.width, "seed": r.config.seed, "n_params": r.n_params_non_embedding,
                          "loss": r.final_val_loss,
                          "in-context gain": float(in_context_gain(np.array(r.position_loss)))} for r in records])


@dataclass(frozen=True)
class Trend:
    """A straight-line fit of a quantity against log10 of the parameter count, with a bootstrap interval."""

    per_10x: float                    # change of the quantity per 10x parameters
    interval: tuple[float, float]     # its central interval over resampled runs
    level: float
    mean: float                       # the quantity's mean over all runs

    def __str__(self) -> str:
        return (f"{self.per_10x:+.3f} per 10× parameters ({self.level:.0%} interval {self.interval[0]:+.3f} to "
                f"{self.interval[1]:+.3f}); mean {self.mean:.3f}")


def in_context_trend(frame: pd.DataFrame, n_resamples: int = 200, level: float = 0.8, seed: int = 0) -> Trend:
    """How the in-context gain changes per 10× parameters: a least-squares line in log10 N, refitted on
    ``n_resamples`` resamples of the runs (with replacement) for its interval."""
    check_instance(frame, "frame", pd.DataFrame, "the table in_context_frame() returns")
    n_resamples = check_int(n_resamples, "n_resamples", minimum=1)
    level = check_number(level, "level", above=0, below=1)
    x = np.log10(check_positive_array(frame["n_params"].to_numpy(dtype=float), "frame['n_params']"))
    y = frame["in-context gain"].to_numpy(dtype=float)
    if len(set(x)) < 2:
        raise ValueError("frame must hold runs of at least two sizes to fit a trend, got one size")
    rng = np.random.default_rng(seed)
    slopes = []
    for _ in range(n_resamples):
        rows = rng.integers(len(x), size=len(x))
        if len(set(x[rows])) > 1:
            slopes.append(np.polyfit(x[rows], y[rows], 1)[0])
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(slopes, [tail, 100 - tail])
    return Trend(float(np.polyfit(x, y, 1)[0]), (float(low), float(high)), level, float(y.mean()))


def position_loss_plot(records, bands=((4, 8), (48, 64)), ax=None):
    """The held-out loss of a character against the characters of context before it (log axis), one line per width
    (mean over seeds), with the bands an in-context gain compares shaded."""
    records = _text_records(records)
    ax = axes_or_new(ax, figsize=(7.5, 4.4))
    widths = sorted({r.config.width for r in records})
    colours = plt.cm.viridis(np.linspace(0, 0.9, len(widths)))
    for width, colour in zip(widths, colours):
        curves = np.array([r.position_loss for r in records if r.config.width == width])
        context = np.arange(1, curves.shape[1] + 1)
        ax.plot(context, curves.mean(axis=0), color=colour, label=f"width {width}")
    for low, high in bands:
        ax.axvspan(low, high, color="grey", alpha=0.15)
    ax.set(xscale="log", xlabel="characters of context before the predicted one",
           ylabel="held-out loss (nats per character)", title="Loss by position in the context")
    ax.legend(fontsize=8, ncol=2)
    return ax


# --- 5b. transfer: pre-training as data ------------------------------------------------------------------------

def transfer_table(records) -> pd.DataFrame:
    """One row per run of the ``transfer`` sweep: its width, seed, whether it was pre-trained, the target tokens it
    trained on, its held-out loss on the target before its own training (pre-trained runs: what pre-training alone
    gives) and its best held-out loss during training (early stopping: small slices overfit)."""
    records = check_list_of(records, "records", RunRecord, "the transfer sweep's runs")
    for i, r in enumerate(records):
        if r.config.task != "text" or not r.config.n_train:
            raise ValueError(f"records[{i}] must be a text run on a fixed slice of data (the transfer sweep), got a "
                             f"{r.config.task} run with n_train = {r.config.n_train}")
    return pd.DataFrame([{"width": r.config.width, "n_params": r.n_params, "seed": r.config.seed,
                          "pre-trained": r.config.pretrain_steps > 0, "tokens": r.config.n_train,
                          "loss before": r.start_loss, "best loss": r.min_val_loss} for r in records])


def scratch_tokens_to_match(table: pd.DataFrame) -> pd.DataFrame:
    """For each pre-trained run, the target tokens a model of its width and seed trained from scratch needs to reach
    the same best loss: read off the scratch runs' best loss against log tokens (linear between slices, made
    monotone by keeping the best so far). Beyond the largest scratch slice it is only a lower bound ("at least")."""
    check_instance(table, "table", pd.DataFrame, "the table transfer_table() returns")
    rows = []
    for (width, seed), runs in table.groupby(["width", "seed"]):
        scratch = runs[~runs["pre-trained"]].sort_values("tokens")
        if len(scratch) < 2:
            raise ValueError(f"table must hold at least two scratch runs of width {width}, seed {seed}, got "
                             f"{len(scratch)}")
        tokens = scratch["tokens"].to_numpy(dtype=float)
        best = np.minimum.accumulate(scratch["best loss"].to_numpy(dtype=float))
        for _, run in runs[runs["pre-trained"]].sort_values("tokens").iterrows():
            loss = run["best loss"]
            if loss < best[-1]:
                needed, bound = tokens[-1], True
            elif loss >= best[0]:
                needed, bound = tokens[0], False
            else:
                j = int(np.argmax(best <= loss))              # first slice whose scratch loss is at or below it
                share = (best[j - 1] - loss) / (best[j - 1] - best[j]) if best[j - 1] > best[j] else 1.0
                needed, bound = float(np.exp(np.log(tokens[j - 1]) + share * np.log(tokens[j] / tokens[j - 1]))), False
            rows.append({"width": width, "seed": seed, "tokens": run["tokens"], "best loss": loss,
                         "scratch tokens to match": needed, "at least": bound,
                         "× the data": needed / run["tokens"]})
    return pd.DataFrame(rows)


def transfer_plot(table: pd.DataFrame, ax=None):
    """Best held-out loss on the target against the target tokens trained on (log axes): one colour per width,
    solid for pre-trained runs (their loss before any target training at the left), dashed from scratch."""
    check_instance(table, "table", pd.DataFrame, "the table transfer_table() returns")
    ax = axes_or_new(ax, figsize=(7.5, 4.6))
    widths = sorted(table["width"].unique())
    colours = dict(zip(widths, plt.cm.viridis(np.linspace(0, 0.85, len(widths)))))
    for (width, pretrained), runs in table.groupby(["width", "pre-trained"]):
        means = runs.groupby("tokens")["best loss"].mean()
        ax.plot(means.index, means.values, "o-" if pretrained else "s--", color=colours[width],
                label=f"width {width}, {'pre-trained' if pretrained else 'from scratch'}")
        ax.scatter(runs["tokens"], runs["best loss"], color=colours[width], s=10, alpha=0.4)
        if pretrained:
            before = runs["loss before"].mean()
            ax.axhline(before, color=colours[width], lw=0.8, ls=":")
    ax.set(xscale="log", yscale="log", xlabel="target tokens trained on (the stdlib's test suite)",
           ylabel="best held-out loss on the target (nats)", title="Transfer: pre-training as data")
    plain_log_ticks(ax.yaxis)
    ax.legend(fontsize=7, ncol=2, **{k: v for k, v in LEGEND_BELOW.items() if k != "fontsize"})
    return ax


# --- 6. data limits ---------------------------------------------------------------------------------------------

def data_limits_table(years_to_exhaust) -> pd.DataFrame:
    """When the largest training sets reach the stock of public text, by ``years_to_exhaust(stock, dataset,
    growth)``, at the low, central and high growth Villalobos et al. (2024) estimate."""
    check_callable(years_to_exhaust, "years_to_exhaust", "(stock_tokens, dataset_tokens, growth_oom_per_year) -> years")
    low, high = DATA_LIMITS["dataset_growth_interval"]
    rows = []
    for name, growth in (("slow (95% low)", low), ("central", DATA_LIMITS["dataset_growth_oom_per_year"]),
                         ("fast (95% high)", high)):
        years = float(years_to_exhaust(DATA_LIMITS["effective_stock_tokens"], DATA_LIMITS["largest_dataset_tokens"],
                                       growth))
        rows.append({"growth": name, "orders of magnitude per year": growth, "× per year": 10 ** growth,
                     "years": years, "year": DATA_LIMITS["largest_dataset_year"] + years})
    return pd.DataFrame(rows)
