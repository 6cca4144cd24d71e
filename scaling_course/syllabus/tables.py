"""A sweep as a table: one row per run, as a pandas DataFrame in a notebook, printed or saved as CSV
(``scaling-course sweep``)."""

from __future__ import annotations

__all__ = ["print_sweep", "runs_frame", "summary_rows", "write_csv"]

import csv

import pandas as pd

from scaling_course.engine.runs import RunRecord
from scaling_course.validation import check_choice, check_list_of

from .sources import LIVE, SHIPPED


def summary_rows(records: list[RunRecord]) -> list[dict]:
    """One row per run: what a table or a CSV file of a sweep shows."""
    records = check_list_of(records, "records", RunRecord)
    return [{"width": r.config.width, "depth": r.config.depth, "n_train": r.config.n_train,
             "steps": r.config.steps, "seed": r.config.seed, "n_params": r.n_params,
             "n_params_non_embedding": r.n_params_non_embedding, "tokens": r.tokens[-1] if r.tokens else 0,
             "flops": r.total_flops, "final_val_loss": r.final_val_loss, "min_val_loss": r.min_val_loss,
             "diverged": r.diverged, "seconds": round(r.seconds, 2)} for r in records]


def runs_frame(records: list[RunRecord], sources: list[str] | None = None) -> pd.DataFrame:
    """The runs as a DataFrame, one row per run (the columns of :func:`summary_rows`), and where each came from
    when ``sources`` is given (``"live"`` or ``"shipped"``, as in ``Gathered.sources``). JupyterLab shows it as
    a table."""
    frame = pd.DataFrame(summary_rows(records))
    if sources is not None:
        sources = [check_choice(s, "sources", (LIVE, SHIPPED)) for s in check_list_of(sources, "sources", str)]
        if len(sources) != len(frame):
            raise ValueError(f"sources must have one entry per run ({len(frame)}), got {len(sources)}")
        frame["source"] = sources
    return frame


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
