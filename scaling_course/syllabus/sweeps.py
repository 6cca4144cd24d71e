"""The standard sweeps of the syllabus, by name, sized by the run-size profile, with the rule
that says which runs a laptop trains itself.

==============  ======  ================================================================
name            lesson  what varies
==============  ======  ================================================================
``params``      03      MLP width on multitask sparse parity with unlimited data (theory: α_N = α)
``params-text`` 03      GPT width on the Python-stdlib corpus with fresh data, one training length, three seeds
``data``        04      unique training tokens U of one GPT, 4 thousand to 4 million random corpus blocks (small sets
                        repeated for many epochs), three seeds
``fresh-data``  04      the ``data`` sweep's GPT on fresh data (the whole corpus), for 1/8 to 2 times its steps, three seeds
``compute``     05      IsoFLOP: at each of 2-4 compute budgets, GPT widths trained for exactly that many FLOPs
``grid``        06      GPT widths x training lengths on fresh data (a decade of each), and one run beyond the box
                        (1.5x the top width for 1.5x the longest length) held out to test the fitted L(N, D)
``specialists`` 07      MLPs trained on one sparse-parity subtask alone: a team of 64 such specialists has the
                        parameters and the compute of one of the ``params`` sweep's generalists
``transfer``    07      GPT widths trained on slices of the stdlib's test suite (``pytests``), from scratch and after
                        pre-training on the ``pystdlib`` corpus
``lab``         08      the menu of lesson 08's lab: GPT widths x four compute budgets, a tenth of the game's target
                        budget and below (one menu at every profile, shipped once: its truth is ``compute`` at full)
==============  ======  ================================================================

    >>> from scaling_course.syllabus.sweeps import standard_sweep
    >>> len(standard_sweep("params", "ci"))
    4
    >>> records = run_standard_sweep("params")        # trains, or reads the cache  # doctest: +SKIP

The results of every sweep at the ``ci``, ``laptop`` and ``full`` profiles ship with the
course (:mod:`scaling_course.syllabus.shipped`) so that a workshop never waits.
"""

from __future__ import annotations

__all__ = ["PARITY", "STANDARD_SWEEPS", "TEXT", "StandardSweep", "game_flops", "grid_verify_config", "run_standard_sweep",
           "standard", "standard_sweep", "target_budget", "target_configs", "team_width"]

import dataclasses
import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np

from scaling_course.engine.runs import RunConfig, RunRecord
from scaling_course.engine.sweep import grid, run_sweep
from scaling_course.engine.train import model_size, run_flops
from scaling_course.science.laws import training_compute
from scaling_course.validation import check_choice, check_instance

from .profiles import PROFILES, Profile, as_profile

# Multitask sparse parity (Michaud et al. 2023, arXiv:2303.13506) scaled down to a CPU: 64 subtasks of 3-bit parities
# over 12 random bits, Zipf exponent α + 1 = 1.4, so theory predicts L - L_∞ ∝ N^-0.4.
PARITY = RunConfig(task="sparse_parity", n_subtasks=64, n_bits=12, k=3, alpha=0.4,
                   batch_size=1024, lr=1e-2, warmup=0.05)
# A character-level GPT with two blocks on the shipped corpus: 16 windows of 64 characters a step.
TEXT = RunConfig(task="text", depth=2, n_ctx=64, batch_size=16, lr=3e-3, warmup=0.05)


def log_grid(low: float, high: float, points: int) -> list[int]:
    """``points`` integers spaced evenly in log between low and high (duplicates dropped)."""
    return sorted({int(round(v)) for v in np.geomspace(low, high, points)})


def text_width_grid(low: int, high: int, points: int) -> list[int]:
    """GPT widths on a log grid, rounded to multiples of 8 so heads of 8+ dimensions divide them."""
    return sorted({max(8, 8 * int(round(v / 8))) for v in np.geomspace(low, high, points)})


def heads_for(width: int) -> int:
    """One attention head per 16 dimensions (at least one; it must divide the width)."""
    heads = max(1, width // 16)
    while width % heads:
        heads -= 1
    return heads


def _params(p: Profile) -> list[RunConfig]:
    top = 256 if p.name == "full" else 128
    return grid(RunConfig(**{**PARITY.to_dict(), "steps": p.mlp_steps}),
                width=log_grid(4, top, p.train_sizes), seed=range(p.train_seeds))


def _params_text(p: Profile) -> list[RunConfig]:
    top = 192 if p.name == "full" else 128
    return [RunConfig(**{**TEXT.to_dict(), "steps": p.lm_steps, "width": w, "n_head": heads_for(w), "seed": seed})
            for w in text_width_grid(16, top, p.train_sizes) for seed in text_seeds(p)]


def text_seeds(p: Profile) -> range:
    """Seeds of the text sweeps that measure run-to-run noise: up to three (one at ``ci``)."""
    return range(min(3, p.train_seeds))


def _data(p: Profile) -> list[RunConfig]:
    # From 4 windows' worth of tokens up to 4 million: three decades of data (the corpus has 5.7 M).
    # Each seed draws its own random training blocks (and its own weights), so the spread
    # between seeds includes which text a small set happens to hold.
    base = RunConfig(**{**TEXT.to_dict(), "steps": p.lm_steps, "width": 64, "n_head": heads_for(64)})
    return grid(base, n_train=log_grid(4096, 4_194_304, p.train_sizes), seed=text_seeds(p))


#: The fresh-data runs train for these fractions of the profile's ``lm_steps`` (the data sweep's length).
FRESH_FRACTIONS = (1 / 8, 1 / 4, 1 / 2, 1, 2)


def _fresh_data(p: Profile) -> list[RunConfig]:
    # The yardstick that prices a repeated token (lesson 04): the data sweep's model with
    # n_train = 0 (windows drawn from the whole corpus: at most about half an epoch, so hardly any
    # text repeats), each length with its own full cosine schedule, as the data sweep's runs have.
    base = dataclasses.replace(_data(p)[0], n_train=0)
    steps = sorted({max(1, round(p.lm_steps * f)) for f in FRESH_FRACTIONS})
    return grid(base, steps=steps, seed=text_seeds(p))


MAX_STEPS_FACTOR = 15     # the longest IsoFLOP run trains for this many times the profile's lm_steps


def _compute(p: Profile) -> list[RunConfig]:
    # IsoFLOP design (Hoffmann et al. 2022, approach 2): for each compute budget C, every width
    # trains for the number of steps that spends exactly C (C = 6N + attention, per token), with
    # its cosine schedule ending there. The middle budget is what the middle width spends in
    # lm_steps; the others are 3x, 9x, ... apart. Runs outside lm_steps/8 to 15·lm_steps steps are
    # left out (too noisy, or too slow). The upper limit is set so that at laptop and full every
    # budget's valley has a width on each side of its minimum (a test checks the shipped runs):
    # at 8·lm_steps the top laptop budget's smallest width was its best one.
    widths = text_width_grid(16, 128, max(3, p.train_sizes - 2))
    n_budgets = 2 if p.train_sizes <= 4 else 3 if p.train_sizes <= 8 else 4
    middle = _flops_per_step(widths[len(widths) // 2]) * p.lm_steps
    runs = []
    for k in range(n_budgets):
        budget = middle * 3.0 ** (k - (n_budgets - 1) / 2)
        for w in widths:
            steps = round(budget / _flops_per_step(w))
            if p.lm_steps / 8 <= steps <= MAX_STEPS_FACTOR * p.lm_steps:
                runs.append(RunConfig(**{**TEXT.to_dict(), "steps": steps, "width": w, "n_head": heads_for(w)}))
    return runs


def _flops_per_step(width: int) -> float:
    return run_flops(RunConfig(**{**TEXT.to_dict(), "width": width, "n_head": heads_for(width), "steps": 1}))


GRID_TOP_WIDTH = 64           # the grid's widths run 16..64 (a decade of non-embedding parameters)
VERIFY_SCALE = 1.5            # the held-out run: 1.5x the top width for 1.5x the longest length


def _grid(p: Profile) -> list[RunConfig]:
    # Hoffmann et al. 2022 (approach 3) fit L(N, D) to runs spread over both axes. Every length has
    # its own warmup + cosine schedule ending at its last step (their correction of Kaplan et al.).
    # Widths at lm_steps are params-text runs and width 64 is the fresh-data model, so the cache
    # reuses those runs. The box is small enough that a laptop trains the held-out run beyond it,
    # with over 3x the compute of the largest run in the box, in about two minutes.
    widths = text_width_grid(16, GRID_TOP_WIDTH, p.train_sizes - 1)
    steps = sorted({max(1, round(p.lm_steps * f)) for f in FRESH_FRACTIONS})
    box = [RunConfig(**{**TEXT.to_dict(), "steps": s, "width": w, "n_head": heads_for(w)})
           for w in widths for s in steps]
    return box + [grid_verify_config(p)]


def grid_verify_config(profile: str | Profile | None = None) -> RunConfig:
    """The ``grid`` sweep's held-out run: beyond the fitted box in N and in D (lesson 06 predicts it, then trains it)."""
    p = as_profile(profile)
    width = 8 * round(VERIFY_SCALE * GRID_TOP_WIDTH / 8)
    steps = round(VERIFY_SCALE * max(FRESH_FRACTIONS) * p.lm_steps)
    return RunConfig(**{**TEXT.to_dict(), "steps": steps, "width": width, "n_head": heads_for(width)})


def team_width(generalist: RunConfig) -> int:
    """The width of a specialist such that ``n_subtasks`` of them (one per subtask) hold as many parameters as the
    generalist ``generalist`` (a ``params`` sweep config), to within one hidden unit: 0 if even one unit is too many."""
    check_instance(generalist, "generalist", RunConfig, "a params sweep config")
    total = model_size(generalist)["n_params"]
    one = RunConfig(**{**generalist.to_dict(), "n_subtasks": 1, "width": 1})
    per_unit = model_size(dataclasses.replace(one, width=2))["n_params"] - model_size(one)["n_params"]
    fixed = model_size(one)["n_params"] - per_unit
    return max(0, round((total / generalist.n_subtasks - fixed) / per_unit))


def _specialists(p: Profile) -> list[RunConfig]:
    # Lesson 07's team: the params sweep's tasks are 64 parities over different random bits and share nothing, so
    # a specialist trained on subtask 0 alone stands for any of them (by symmetry; seeds show the chance part). A team
    # of 64 specialists of team_width(W) has the parameters of the generalist of width W, and trained for the same
    # steps it spends the same compute: each member sees the same batches of its own subtask. Teams whose members
    # would have under 2 hidden units are left out; members of 2 and 4 units always train (too small to learn a
    # parity reliably: where a team fails).
    generalists = [c for c in _params(p) if c.seed == 0]
    widths = sorted(({team_width(c) for c in generalists} | {2, 4}) - {0, 1})
    base = RunConfig(**{**PARITY.to_dict(), "steps": p.mlp_steps, "n_subtasks": 1})
    return grid(base, width=widths, seed=range(p.train_seeds))


#: Lesson 07's transfer sweep: GPT widths, pre-trained (or not), then trained on this many tokens of ``pytests``.
TRANSFER_WIDTHS = (16, 32, 64)
TRANSFER_TOKENS = (4096, 32_768, 262_144, 1_048_576)


def _transfer(p: Profile) -> list[RunConfig]:
    # Hernandez et al. 2021 (arXiv:2102.01293): how much target data is pre-training worth? Each width trains on
    # slices of the test-suite corpus (random blocks; a smaller slice is part of a larger one) for the standard
    # length, either from scratch or after the standard length of pre-training on fresh pystdlib text (the
    # params-text run of that width). The largest slice is trained from scratch only: it prices what the
    # pre-trained runs on smaller slices are worth. Small slices repeat for many epochs, so the lesson reads each
    # run's best held-out loss (early stopping). Measured: with half the standard length, scratch runs were limited
    # by their steps, not their data (a million tokens did no better than a quarter of it), and no scratch run
    # caught up with any pre-trained one.
    runs = []
    for width in TRANSFER_WIDTHS:
        base = RunConfig(**{**TEXT.to_dict(), "corpus": "pytests", "steps": p.lm_steps, "width": width,
                            "n_head": heads_for(width)})
        for pretrain in (0, p.lm_steps):
            tokens = TRANSFER_TOKENS if not pretrain else TRANSFER_TOKENS[:-1]
            runs += grid(dataclasses.replace(base, pretrain_steps=pretrain), n_train=list(tokens), seed=text_seeds(p))
    return runs


# --- lesson 08's game: a lab that sells runs, and the truth it is graded against ------------------
# The truth is an IsoFLOP profile of real runs at the target budget: the compute sweep's largest budget at full
# (six widths, each trained for 1.08e13 FLOPs). The lab sells widths trained for a tenth of that budget and for
# 3x, 9x and 27x less: each column of the menu is one IsoFLOP budget (lesson 05), each row one width trained for
# several lengths (lesson 06). The game counts compute as 6·N·D (N: all parameters, as lesson 06 fits them), so
# the target, the prices and the learner's forecast use one currency.

LAB_WIDTHS = (16, 24, 32, 48, 64, 96, 128)
LAB_TARGET_FRACTIONS = (1 / 10, 1 / 30, 1 / 90, 1 / 270)   # the menu's budgets, as fractions of the target
LAB_STEPS = (150, 25_000)      # outside: still in the steep start of training, or longer than a class session


def game_flops(config: RunConfig) -> float:
    """What a run costs in lesson 08's game: C = 6·N·D with N all parameters and D the tokens it trains on."""
    check_instance(config, "config", RunConfig)
    size = model_size(config)
    return training_compute(size["n_params"], config.steps * size["tokens_per_step"])


@functools.cache
def target_configs() -> tuple[RunConfig, ...]:
    """Lesson 08's truth: the runs of the ``compute`` sweep's largest budget at ``full`` (one IsoFLOP profile)."""
    runs = _compute(PROFILES["full"])
    top = max(run_flops(c) for c in runs)
    return tuple(c for c in runs if run_flops(c) > top / 1.5)


def target_budget() -> float:
    """The game's target budget: the geometric mean of the truth runs' costs (:func:`game_flops`; within 2% of
    each other)."""
    return float(np.exp(np.mean([np.log(game_flops(c)) for c in target_configs()])))


def _lab(p: Profile) -> list[RunConfig]:
    # one menu whatever the profile: the game, its prices and its grading are the same for everyone
    runs = []
    for width in LAB_WIDTHS:
        base = RunConfig(**{**TEXT.to_dict(), "width": width, "n_head": heads_for(width), "steps": 1})
        for fraction in LAB_TARGET_FRACTIONS:
            steps = round(fraction * target_budget() / game_flops(base))
            if LAB_STEPS[0] <= steps <= LAB_STEPS[1]:
                runs.append(dataclasses.replace(base, steps=steps))
    return runs


def _smallest_transfer_width(config: RunConfig, p: Profile) -> bool:
    return config.width == TRANSFER_WIDTHS[0]


# --- which runs a laptop trains itself --------------------------------------------------------
# At ``laptop`` a lesson trains the cheap part of its sweep live (about a minute or two of CPU)
# and reads the rest from the shipped laptop results; these rules pick the cheap part.

def _every_run(config: RunConfig, p: Profile) -> bool:
    return True


def _small_parity_widths(config: RunConfig, p: Profile) -> bool:
    return config.width <= 7


def _first_seed(config: RunConfig, p: Profile) -> bool:
    return config.seed == 0


def _small_text_widths(config: RunConfig, p: Profile) -> bool:
    return config.width <= 40 and _first_seed(config, p)


def _shorter_half(config: RunConfig, p: Profile) -> bool:
    return config.steps <= p.lm_steps / 2 and _first_seed(config, p)


def _grid_shortest(config: RunConfig, p: Profile) -> bool:
    # the two shortest lengths of every width (about 30 s of CPU); the held-out run trains later, on request
    return config.steps <= p.lm_steps / 4 and config != grid_verify_config(p)


def _smallest_budget(config: RunConfig, p: Profile) -> bool:
    return run_flops(config) <= 1.01 * _smallest_compute_budget(p)


@functools.cache
def _smallest_compute_budget(p: Profile) -> float:
    # the rule is asked once per run of the sweep: design the sweep once per profile
    return min(run_flops(c) for c in _compute(p))


@dataclass(frozen=True)
class StandardSweep:
    """One named experiment of the syllabus."""

    lesson: str                                          # the lesson that analyses it
    design: Callable[[Profile], list[RunConfig]]        # its runs at a profile
    live_at_laptop: Callable[[RunConfig, Profile], bool] = _every_run   # runs a laptop trains itself
    live_at: tuple[str, ...] = ("ci", "laptop", "full")  # profiles that train; others read shipped runs
    shipped_at: tuple[str, ...] = ("ci", "laptop", "full")   # profiles whose runs ship with the course


STANDARD_SWEEPS = {
    "params": StandardSweep("scaling_parameters", _params, _small_parity_widths),
    "params-text": StandardSweep("scaling_parameters", _params_text, _small_text_widths),
    "data": StandardSweep("scaling_data", _data, _first_seed),
    # at ci the fresh-data runs are not trained: lesson 04 at ci reads them
    "fresh-data": StandardSweep("scaling_data", _fresh_data, _shorter_half, live_at=("laptop", "full")),
    "compute": StandardSweep("scaling_compute", _compute, _smallest_budget),
    # at ci the grid is not trained: lesson 06 at ci reads it
    "grid": StandardSweep("fitting_laws", _grid, _grid_shortest, live_at=("laptop", "full")),
    "specialists": StandardSweep("scale_limits", _specialists, _first_seed),
    # at ci the transfer runs are not trained (a minute of CPU): lesson 07 at ci reads them
    "transfer": StandardSweep("scale_limits", _transfer, _smallest_transfer_width, live_at=("laptop", "full")),
    # the lab trains its runs one at a time, on request (lesson 08's Lab); its menu ships once
    "lab": StandardSweep("capstone", _lab, live_at=(), shipped_at=("laptop",)),
}


def standard(name: str) -> StandardSweep:
    """The standard sweep called ``name``; a ValueError lists the names there are."""
    return STANDARD_SWEEPS[check_choice(name, "name (the sweep)", STANDARD_SWEEPS)]


def standard_sweep(name: str, profile: str | Profile | None = None) -> list[RunConfig]:
    """The configs of a standard sweep at a profile (default: the current profile)."""
    sweep = standard(name)
    return sweep.design(as_profile(profile))


def run_standard_sweep(name: str, profile: str | Profile | None = None, **options) -> list[RunRecord]:
    """Train (or read from the cache) a standard sweep; ``options`` go to :func:`run_sweep`."""
    configs = standard_sweep(name, profile)
    options.setdefault("description", name)
    return run_sweep(configs, **options)

