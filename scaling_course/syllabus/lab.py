"""Lesson 08's game: a lab that sells training runs from a fixed FLOP budget, the same game on simulated worlds, the
truth it is graded against and the tiers of a score.

* :class:`Lab` sells runs of lessons 05 and 06's GPT from a menu (the ``lab`` standard sweep: widths × training
  lengths, each column one IsoFLOP budget) and charges each its 6·N·D FLOPs from a budget of :data:`GAME_BUDGET`; it
  refuses a run the budget cannot pay for, and charges nothing for one already bought. At ``laptop`` and ``full``
  it trains live (one thread, as the shipped runs trained, so a live run reproduces its shipped twin; the run cache
  keeps it); at ``ci`` and under nbgrader it hands out the shipped twin, so grading replays a learner's purchases
  without training.
* :class:`PracticeLab` (:func:`practice_lab`) is the same game on a simulated world whose law is known
  (:mod:`scaling_course.science.simulate`).
* :func:`truth` is the target: six widths trained for the target budget (the ``compute`` sweep's largest budget at
  ``full``) and the bottom of their IsoFLOP valley (Hoffmann et al. 2022, approach 2); :func:`score_prediction`
  puts a prediction in tiers.

    >>> lab = Lab("ci", progress=False)
    >>> record = lab.train(width=32, steps=651)
    >>> lab.spent == game_flops(record.config), lab.left < lab.budget
    (True, True)
"""

from __future__ import annotations

__all__ = [
    "GAME_BUDGET", "LOSS_TIERS", "N_OPT_TIERS", "TARGET_BUDGET", "Lab", "PracticeLab", "Score", "Truth",
    "practice_lab", "score_prediction", "seed_noise", "truth",
]

import functools
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scaling_course.engine.runs import RunConfig, RunRecord
from scaling_course.engine.train import model_size
from scaling_course.science.fit import isoflop_minimum
from scaling_course.science.laws import chinchilla_loss, compute_optimal_allocation
from scaling_course.science.simulate import FlopBudget, random_chinchilla_law, simulate_losses
from scaling_course.validation import check_choice, check_instance, check_number, check_positive_number, check_seed

from .profiles import as_profile
from .sources import LIVE, SHIPPED
from .sweeps import game_flops, standard_sweep, target_budget, target_configs

#: The budget to predict for: the truth's six runs each cost this (6·N·D, to within 2%).
TARGET_BUDGET = target_budget()
#: The game's budget: what three of the largest runs on the menu cost (three tenths of the target), or many smaller.
GAME_BUDGET = 3 * max(game_flops(c) for c in standard_sweep("lab", "laptop"))
#: A predicted loss earns one tier for each of these relative errors it stays within.
LOSS_TIERS = (0.10, 0.05, 0.02)
#: A predicted compute-optimal size earns one tier for each of these factors it stays within (either way).
N_OPT_TIERS = (2.0, 1.5, 1.25)


class Lab:
    """A lab that sells training runs from a fixed FLOP budget (lesson 08's game).

    ``lab.menu`` lists what it sells; ``lab.train(width=..., steps=...)`` buys one run and returns its record;
    ``lab.spent``, ``lab.left`` and ``lab.history`` say what has been bought. ``live``: train the runs here (the
    default at ``laptop`` and ``full``) or hand out their shipped twins (the default at ``ci`` and under nbgrader).
    ``progress``: show each live run's progress bar and print one line of a running ledger per run bought.
    """

    def __init__(self, profile=None, budget: float | None = None, *, live: bool | None = None,
                 progress: bool = True):
        p = as_profile(profile)
        self.profile = p.name
        if live is not None:
            check_instance(live, "live", bool, "True (train here), False (shipped runs) or None (by profile)")
        self.live = p.name in ("laptop", "full") if live is None else live
        self.progress = check_instance(progress, "progress", bool)
        self._account = FlopBudget(GAME_BUDGET if budget is None else check_positive_number(budget, "budget"))
        self._menu = standard_sweep("lab", p)
        self._bought: dict[RunConfig, tuple[float, RunRecord | None, str]] = {}

    # --- what the lab sells ---------------------------------------------------------------------
    @property
    def budget(self) -> float:
        """FLOPs the lab started with."""
        return self._account.total

    @property
    def spent(self) -> float:
        """FLOPs charged so far."""
        return self._account.spent

    @property
    def left(self) -> float:
        """FLOPs still to spend."""
        return self._account.remaining

    @property
    def target(self) -> float:
        """The budget to predict for, in FLOPs (6·N·D)."""
        return target_budget()

    @property
    def widths(self) -> list[int]:
        return sorted({c.width for c in self._menu})

    def steps_for(self, width: int) -> list[int]:
        """The training lengths the menu offers for ``width``."""
        check_choice(width, "width", self.widths)
        return sorted(c.steps for c in self._menu if c.width == width)

    @property
    def menu(self) -> pd.DataFrame:
        """Every run the lab sells: its width, parameters N, steps, tokens D, cost in FLOPs (and as a share of the
        budget and of the target), how long its shipped twin took on a quiet 2-core machine, and whether it is
        bought."""
        seconds = _shipped_seconds()
        rows = [{"width": c.width, "N": model_size(c)["n_params"], "steps": c.steps, "D": _tokens(c),
                 "flops": game_flops(c), "share of budget": game_flops(c) / self.budget,
                 "target / cost": self.target / game_flops(c), "seconds": seconds.get(c, float("nan")),
                 "bought": c in self._bought} for c in self._menu]
        return pd.DataFrame(rows)

    def _config(self, width, steps) -> RunConfig:
        check_choice(width, "width", self.widths)
        check_choice(steps, f"steps (for width {width})", self.steps_for(width))
        return next(c for c in self._menu if c.width == width and c.steps == steps)

    # --- buying -----------------------------------------------------------------------------------
    def train(self, width: int, steps: int):
        """Buy the run of ``width`` trained for ``steps`` and return what it gives (for the real lab, its
        :class:`~scaling_course.engine.runs.RunRecord`). A run already bought is free; one that costs more than is
        left is refused (:class:`~scaling_course.science.simulate.BudgetExceeded`), and nothing is charged."""
        config = self._config(width, steps)
        if config not in self._bought:
            cost, what = game_flops(config), f"width {width} for {steps} steps"
            self._account.require(cost, what, advice="choose a cheaper run from lab.menu (its flops column)")
            loss, record, source = self._outcome(config)     # train first: an interrupted run costs nothing
            self._account.spend(cost, what)
            self._bought[config] = (loss, record, source)
            if self.progress:
                print(self._receipt(config))
        loss, record, _ = self._bought[config]
        return record if record is not None else loss

    def _outcome(self, config: RunConfig) -> tuple[float, RunRecord | None, str]:
        if not self.live:
            record = _shipped()[config]
            return record.final_val_loss, record, SHIPPED
        # imported here: training imports torch, reading the menu does not
        from scaling_course.engine.sweep import run_sweep, torch_threads
        # one thread, as the shipped twin trained: the same arithmetic gives the same loss
        with torch_threads(1):
            record, = run_sweep([config], workers=1, progress=self.progress,
                                description=f"lab: width {config.width}, {config.steps} steps")
        return record.final_val_loss, record, LIVE

    def _receipt(self, config: RunConfig) -> str:
        """One line of the running ledger: the run just bought, its loss, and where the budget stands."""
        loss, _, source = self._bought[config]
        return (f"run {len(self._bought):>2}: width {config.width:>3}, {config.steps:>6,} steps ({source:>9})  "
                f"loss {loss:.4f}  spent {self.spent / self.budget:4.0%} of the budget, {self.left:.2e} FLOPs left")

    @property
    def history(self) -> pd.DataFrame:
        """The runs bought, in order: width, steps, N (all parameters), D (tokens), cost in FLOPs, final
        held-out loss and where the run came from ("live", "shipped" or "simulated")."""
        rows = [{"width": c.width, "steps": c.steps, "N": float(model_size(c)["n_params"]), "D": float(_tokens(c)),
                 "flops": game_flops(c), "loss": loss, "source": source}
                for c, (loss, _, source) in self._bought.items()]
        columns = {"width": int, "steps": int, "N": float, "D": float, "flops": float, "loss": float, "source": str}
        return pd.DataFrame(rows, columns=list(columns)).astype(columns)    # typed even before the first purchase

    @property
    def records(self) -> list[RunRecord]:
        """The records of the runs bought (the real lab only)."""
        return [record for _, record, _ in self._bought.values() if record is not None]

    def __repr__(self) -> str:
        return (f"{type(self).__name__}: {len(self._bought)} runs bought, {self.spent:.3g} of {self.budget:.3g} "
                f"FLOPs spent, {self.left:.3g} left; target {self.target:.3g} FLOPs")


def _tokens(config: RunConfig) -> int:
    return config.steps * model_size(config)["tokens_per_step"]


@functools.cache
def _shipped() -> dict[RunConfig, RunRecord]:
    from scaling_course.syllabus.shipped import reference_results     # here: the shipped results import torch
    return {r.config: r for r in reference_results("lab", "laptop")}


def _shipped_seconds() -> dict[RunConfig, float]:
    return {config: record.seconds for config, record in _shipped().items()}


class PracticeLab(Lab):
    """The game on a simulated world: the same menu, prices and budget, but each run's loss comes from a known
    law L(N, D) = E + A/N^α + B/D^β with 1% noise (:func:`~scaling_course.science.simulate.simulate_losses`), and
    :meth:`true_answer` says what the target's compute-optimal run is in this world."""

    def __init__(self, seed=0, noise: float = 0.01, budget: float | None = None):
        super().__init__("ci", budget, live=False, progress=False)
        self.seed = check_seed(seed)
        self.noise = check_number(noise, "noise", minimum=0)
        # laws tied to the menu's scale: at its middle run each finite-size term is 10-50% of E
        self.law = random_chinchilla_law(seed, typical_N=3e4, typical_D=3e6)

    def train(self, width: int, steps: int) -> float:
        """Buy a simulated run; returns its loss."""
        return super().train(width, steps)

    def _outcome(self, config: RunConfig) -> tuple[float, None, str]:
        n, d = model_size(config)["n_params"], _tokens(config)
        # a fixed draw per world and run: buying the same run again would return the same loss
        draw = zlib.crc32(f"{self.seed}-{config.width}-{config.steps}".encode())
        return float(simulate_losses(n, d, self.law, self.noise, seed=draw)), None, "simulated"

    def true_answer(self) -> tuple[float, float]:
        """(N_opt, loss) of the compute-optimal run at the target budget, by this world's law."""
        n_opt, d_opt = compute_optimal_allocation(self.target, self.law)
        return float(n_opt), float(chinchilla_loss(n_opt, d_opt, self.law))


def practice_lab(seed=0, noise: float = 0.01) -> PracticeLab:
    """A :class:`PracticeLab`: the game on simulated world number ``seed``."""
    return PracticeLab(seed, noise)


# --- the truth ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Truth:
    """The target: real runs at the target budget, and the bottom of their IsoFLOP valley."""

    C: float                  # the target budget, FLOPs (6·N·D)
    widths: tuple[int, ...]   # the widths trained for it
    N: np.ndarray             # their parameters
    D: np.ndarray             # their tokens
    loss: np.ndarray          # their final held-out losses
    epochs: np.ndarray        # D over the training text's length: how many times each run read it
    N_opt: float              # the parabola's vertex in log N: the compute-optimal size
    loss_opt: float           # the parabola's value there: the loss the compute-optimal run reaches
    parabola: tuple[float, float, float]   # (p₂, p₁, p₀) of loss ≈ p₂·(log N)² + p₁·log N + p₀
    noise: float              # relative run-to-run noise of one final loss (seed_noise())
    N_opt_interval: tuple[float, float]    # 80% interval of N_opt under that noise (parametric bootstrap)
    loss_opt_interval: tuple[float, float]  # and of loss_opt

    @property
    def runs(self) -> pd.DataFrame:
        """The target's runs as a table: width, N, D, epochs of the training text, final held-out loss."""
        return pd.DataFrame({"width": self.widths, "N": self.N.astype(int), "D": self.D.astype(int),
                             "epochs of the text": self.epochs.round(2), "loss": self.loss.round(4)})

    def __str__(self) -> str:
        return (f"the target, {self.C:.3g} FLOPs: {len(self.widths)} widths trained; the bottom of their valley is "
                f"N_opt = {self.N_opt:,.0f} parameters (80% interval {self.N_opt_interval[0]:,.0f} to "
                f"{self.N_opt_interval[1]:,.0f}) at a loss of {self.loss_opt:.4f} ({self.loss_opt_interval[0]:.4f} "
                f"to {self.loss_opt_interval[1]:.4f}), the intervals from one seed's noise per run "
                f"({self.noise:.2%} of the loss)")


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def seed_noise() -> float:
    """How much a final loss moves with the seed, relative to it: the root mean square over widths of the standard
    deviation over seeds divided by the mean, on lesson 03's text runs at ``full`` (the same GPT, three seeds a
    width)."""
    from scaling_course.syllabus.shipped import reference_results     # here: the shipped results import torch
    by_width: dict[int, list[float]] = {}
    for record in reference_results("params-text", "full"):
        by_width.setdefault(record.config.width, []).append(record.final_val_loss)
    spread = [np.std(losses, ddof=1) / np.mean(losses) for losses in by_width.values() if len(losses) > 1]
    return float(np.sqrt(np.mean(np.square(spread))))


#: Parametric-bootstrap resamples behind the truth's intervals.
TRUTH_RESAMPLES = 1000


@functools.cache
def truth() -> Truth:
    """The runs of the target budget (the ``compute`` sweep's largest budget at ``full``, shipped) and the bottom
    of their IsoFLOP valley (a parabola in log N, Hoffmann et al. 2022's approach 2). Each run is one seed, so
    the bottom is measured too: its 80% intervals redraw every run's loss with :func:`seed_noise` and read the
    valley again. ``scaling-course references --profile full compute`` regenerates the runs (about an hour of
    them on two cores)."""
    from scaling_course.engine.data.corpus import load_corpus
    from scaling_course.syllabus.shipped import reference_results     # here: the shipped results import torch
    by_config = {r.config: r for r in reference_results("compute", "full")}
    runs = [by_config[c] for c in target_configs()]
    N = np.array([r.n_params for r in runs], dtype=float)
    D = np.array([r.tokens[-1] for r in runs], dtype=float)
    loss = np.array([r.final_val_loss for r in runs])
    bottom = isoflop_minimum(N, loss, target_budget())
    noise = seed_noise()
    rng = np.random.default_rng(0)
    redrawn = [isoflop_minimum(N, loss * (1 + noise * rng.standard_normal(len(loss))), target_budget())
               for _ in range(TRUTH_RESAMPLES)]
    n_low, n_high = np.percentile([m.N_opt for m in redrawn], [10, 90])
    l_low, l_high = np.percentile([m.loss for m in redrawn], [10, 90])
    text = len(load_corpus(runs[0].config.corpus).train)
    N, D, loss = (_read_only(column) for column in (N, D, loss))    # one truth per session, shared: read-only
    return Truth(C=target_budget(), widths=tuple(r.config.width for r in runs), N=N, D=D, loss=loss,
                 epochs=_read_only(D / text),
                 N_opt=bottom.N_opt, loss_opt=bottom.loss, parabola=bottom.parabola, noise=noise,
                 N_opt_interval=(float(n_low), float(n_high)), loss_opt_interval=(float(l_low), float(l_high)))


@dataclass(frozen=True)
class Score:
    """A prediction against the truth: its errors and the tiers it reached."""

    N_opt: float            # predicted compute-optimal parameters
    loss: float             # predicted loss
    N_factor: float         # max(predicted/true, true/predicted) of N_opt: 1 is exact
    loss_error: float       # predicted/true − 1 of the loss
    N_tiers: int            # how many of N_OPT_TIERS the prediction stays within (0-3)
    loss_tiers: int         # how many of LOSS_TIERS it stays within (0-3)

    @property
    def tiers(self) -> int:
        return self.N_tiers + self.loss_tiers

    def __str__(self) -> str:
        return (f"N_opt {self.N_opt:,.0f}: off by a factor {self.N_factor:.2f} ({self.N_tiers} of 3 tiers); "
                f"loss {self.loss:.4f}: {self.loss_error:+.1%} ({self.loss_tiers} of 3 tiers)")


def score_prediction(N_opt, loss, answer: tuple[float, float] | None = None) -> Score:
    """Score a predicted (N_opt, loss) against ``answer`` = (true N_opt, true loss), by default :func:`truth`'s.
    One tier for each of :data:`N_OPT_TIERS` and :data:`LOSS_TIERS` the prediction stays within."""
    N_opt = check_positive_number(N_opt, "N_opt")
    loss = check_positive_number(loss, "loss")
    if answer is None:
        target = truth()
        answer = (target.N_opt, target.loss_opt)
    true_N, true_loss = (check_positive_number(v, "answer") for v in answer)
    factor = max(N_opt / true_N, true_N / N_opt)
    error = loss / true_loss - 1
    return Score(N_opt=N_opt, loss=loss, N_factor=factor, loss_error=error,
                 N_tiers=sum(factor <= t for t in N_OPT_TIERS), loss_tiers=sum(abs(error) <= t for t in LOSS_TIERS))
