"""The standard sweeps of the syllabus, by name, sized by the run-size profile, and their
precomputed results.

==============  ======  ================================================================
name            lesson  what varies
==============  ======  ================================================================
``params``      03      MLP width on multitask sparse parity with unlimited data (theory: α_N = α)
``params-text`` 03      GPT width on the Python-stdlib corpus with unlimited data
``data``        04      training tokens D of one GPT, from 4 thousand to 4 million (repeated for many epochs when small)
``fresh-data``  04      the ``data`` sweep's GPT on fresh data (the whole corpus), for 1/8 to 2 times its steps
``compute``     05      IsoFLOP: at each of 2-4 compute budgets, GPT widths trained for exactly that many FLOPs
==============  ======  ================================================================

    >>> from scaling_course.syllabus import standard_sweep
    >>> len(standard_sweep("params", "ci"))
    4
    >>> records = run_standard_sweep("params")        # doctest: +SKIP   (trains, or reads the cache)
    >>> records = reference_results("params")         # doctest: +SKIP   (precomputed, instant)

The results of every sweep at the ``ci``, ``laptop`` and ``full`` profiles ship with the
course (``scaling_course/data/reference_runs/``) so that a workshop never waits. Regenerate
them (hours at ``full``) with::

    python -m scaling_course.syllabus --profile laptop            # all sweeps
    python -m scaling_course.syllabus --profile ci params data    # some of them
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib

import numpy as np

from .profiles import Profile, get_profile
from .sweep import grid, run_sweep
from .train import RunConfig, RunRecord, model_size

REFERENCE_DIR = pathlib.Path(__file__).parent / "data" / "reference_runs"
REFERENCE_PROFILES = ("ci", "laptop", "full")

# Multitask sparse parity scaled down to a CPU (SCIENCE.md §7a): 64 subtasks of 3-bit parities
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
    return [RunConfig(**{**TEXT.to_dict(), "steps": p.lm_steps, "width": w, "n_head": heads_for(w)})
            for w in text_width_grid(16, top, p.train_sizes)]


def _data(p: Profile) -> list[RunConfig]:
    # From 4 windows' worth of tokens up to 4 million: three decades of data (the corpus has 5.7 M).
    base = RunConfig(**{**TEXT.to_dict(), "steps": p.lm_steps, "width": 64, "n_head": heads_for(64)})
    return grid(base, n_train=log_grid(4096, 4_194_304, p.train_sizes))


#: The fresh-data runs train for these fractions of the profile's ``lm_steps`` (the data sweep's length).
FRESH_FRACTIONS = (1 / 8, 1 / 4, 1 / 2, 1, 2)


def _fresh_data(p: Profile) -> list[RunConfig]:
    # The yardstick that prices a repeated token (lesson 04): the data sweep's model with
    # n_train = 0 (windows drawn from the whole corpus: at most about half an epoch, so hardly any
    # text repeats), each length with its own full cosine schedule, as the data sweep's runs have.
    base = dataclasses.replace(_data(p)[0], n_train=0)
    steps = sorted({max(1, round(p.lm_steps * f)) for f in FRESH_FRACTIONS})
    return [dataclasses.replace(base, steps=s) for s in steps]


def _compute(p: Profile) -> list[RunConfig]:
    # IsoFLOP design (Hoffmann et al. 2022, approach 2): for each compute budget C, every width
    # trains for the number of steps that spends exactly C (C = 6N + attention, per token), with
    # its cosine schedule ending there. The middle budget is what the middle width spends in
    # lm_steps; the others are 3x, 9x, ... apart. Runs outside lm_steps/8 to 8·lm_steps steps are
    # left out (too noisy, or too slow).
    widths = text_width_grid(16, 128, max(3, p.train_sizes - 2))
    n_budgets = 2 if p.train_sizes <= 4 else 3 if p.train_sizes <= 8 else 4
    middle = _flops_per_step(widths[len(widths) // 2]) * p.lm_steps
    runs = []
    for k in range(n_budgets):
        budget = middle * 3.0 ** (k - (n_budgets - 1) / 2)
        for w in widths:
            steps = round(budget / _flops_per_step(w))
            if p.lm_steps / 8 <= steps <= 8 * p.lm_steps:
                runs.append(RunConfig(**{**TEXT.to_dict(), "steps": steps, "width": w, "n_head": heads_for(w)}))
    return runs


def _flops_per_step(width: int) -> float:
    config = RunConfig(**{**TEXT.to_dict(), "width": width, "n_head": heads_for(width)})
    size = model_size(config)
    return size["tokens_per_step"] * size["flops_per_token"]


STANDARD_SWEEPS = {
    "params": _params,
    "params-text": _params_text,
    "data": _data,
    "fresh-data": _fresh_data,
    "compute": _compute,
}


def standard_sweep(name: str, profile: str | Profile | None = None) -> list[RunConfig]:
    """The configs of a standard sweep at a profile (default: the current profile)."""
    if name not in STANDARD_SWEEPS:
        raise ValueError(f"unknown sweep {name!r}; allowed values: {', '.join(map(repr, STANDARD_SWEEPS))}")
    if not isinstance(profile, Profile):
        profile = get_profile(profile)
    return STANDARD_SWEEPS[name](profile)


def run_standard_sweep(name: str, profile: str | Profile | None = None, **options) -> list[RunRecord]:
    """Train (or read from the cache) a standard sweep; ``options`` go to :func:`run_sweep`."""
    configs = standard_sweep(name, profile)
    options.setdefault("description", name)
    return run_sweep(configs, **options)


def reference_path(name: str, profile: str) -> pathlib.Path:
    return REFERENCE_DIR / f"{name}-{profile}.json"


def reference_results(name: str, profile: str | None = None) -> list[RunRecord]:
    """The shipped results of a standard sweep (no training). ``grading`` uses ``ci``'s."""
    profile = get_profile(profile).name
    profile = "ci" if profile == "grading" else profile
    standard_sweep(name, profile)                          # validates the name
    path = reference_path(name, profile)
    if not path.exists():
        raise ValueError(f"no reference results for sweep {name!r} at profile {profile!r}; "
                         f"available: {sorted(p.stem for p in REFERENCE_DIR.glob('*.json'))}")
    return [RunRecord.from_dict(values) for values in json.loads(path.read_text())["runs"]]


def save_reference(name: str, profile: str, records: list[RunRecord]) -> pathlib.Path:
    """Write a sweep's records as a reference file (curves included, a few kB per run)."""
    if [r.config for r in records] != standard_sweep(name, profile):
        raise ValueError(f"these records are not the {name!r} sweep at profile {profile!r}: "
                         f"save the records of standard_sweep({name!r}, {profile!r}), in its order")
    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    path = reference_path(name, profile)
    runs = []
    for record in records:
        values = record.to_dict()
        values["seconds"] = round(values["seconds"], 2)
        runs.append(values)
    path.write_text(json.dumps({"sweep": name, "profile": profile, "runs": runs}, allow_nan=False) + "\n")
    return path


def summary_rows(records: list[RunRecord]) -> list[dict]:
    """One row per run: what a table or a CSV file of a sweep shows."""
    return [{"width": r.config.width, "depth": r.config.depth, "n_train": r.config.n_train,
             "steps": r.config.steps, "seed": r.config.seed, "n_params": r.n_params,
             "n_params_non_embedding": r.n_params_non_embedding, "tokens": r.tokens[-1] if r.tokens else 0,
             "flops": r.total_flops, "final_val_loss": r.final_val_loss, "min_val_loss": r.min_val_loss,
             "diverged": r.diverged, "seconds": round(r.seconds, 2)} for r in records]


def print_sweep(records: list[RunRecord], file=None) -> None:
    """A plain-text table of a sweep, one line per run."""
    rows = summary_rows(records)
    columns = ["width", "depth", "n_train", "steps", "seed", "n_params", "tokens", "flops", "final_val_loss",
               "min_val_loss", "seconds"]
    print("  ".join(f"{c:>14}" for c in columns), file=file)
    for row in rows:
        cells = [f"{row[c]:14.4g}" if isinstance(row[c], float) else f"{row[c]:>14}" for c in columns]
        print("  ".join(cells), file=file)


def write_csv(records: list[RunRecord], path) -> None:
    """Save a sweep's summary (one row per run) as CSV."""
    import csv
    rows = summary_rows(records)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def sweep_command(name: str, profile: str | None = None, workers: int = 2, csv_path=None) -> int:
    """What ``scaling-course sweep NAME --profile P`` does: train (or read from the cache) with a
    progress bar, print one line per run, optionally save a CSV."""
    profile = get_profile(profile)
    configs = standard_sweep(name, profile)
    print(f"sweep {name!r} at {profile}: {len(configs)} runs", flush=True)
    records = run_sweep(configs, workers=workers, description=name)
    print_sweep(records)
    if csv_path:
        write_csv(records, csv_path)
        print(f"wrote {csv_path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scaling_course.syllabus",
                                     description="Regenerate the shipped reference results of the standard sweeps.")
    parser.add_argument("names", nargs="*", help=f"sweeps (default: all of {', '.join(STANDARD_SWEEPS)})")
    parser.add_argument("--profile", default="laptop", choices=REFERENCE_PROFILES)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    for name in args.names or list(STANDARD_SWEEPS):
        records = run_standard_sweep(name, args.profile, workers=args.workers)
        print(f"wrote {save_reference(name, args.profile, records)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
