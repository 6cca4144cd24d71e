"""A sweep as a table: one row per run, printed or saved as CSV (``scaling-course sweep``)."""

from __future__ import annotations

__all__ = ["print_sweep", "summary_rows", "write_csv"]

import csv

from scaling_course.engine.runs import RunRecord
from scaling_course.validation import check_list_of


def summary_rows(records: list[RunRecord]) -> list[dict]:
    """One row per run: what a table or a CSV file of a sweep shows."""
    records = check_list_of(records, "records", RunRecord)
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
    rows = summary_rows(records)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
