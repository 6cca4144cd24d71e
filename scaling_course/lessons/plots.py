"""Labelled plots the lessons share. Each function draws on ``ax`` (a new figure if None) and returns it."""

from __future__ import annotations

__all__ = ["loss_curve"]

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter

from scaling_course.engine.runs import RunRecord
from scaling_course.validation import check_choice, check_instance

LN2 = math.log(2)


def axes_or_new(ax, figsize=(6.4, 4.2)):
    """``ax`` itself, or the axes of a new figure when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def loss_curve(record: RunRecord, ax=None, label: str | None = None, x: str = "tokens",
               bits_axis: bool = True, per: str = "token"):
    """A run's held-out (and training) loss against ``x`` ("tokens", "steps" or "flops") on
    log-x axes, in nats, with the same loss in bits (nats / ln 2) on a right-hand axis."""
    check_instance(record, "record", RunRecord)
    check_choice(x, "x", ("tokens", "steps", "flops"))
    ax = axes_or_new(ax)
    xs = np.asarray(getattr(record, x), dtype=float)
    val, train = record.losses("val"), record.losses("train")
    line, = ax.plot(xs, val, "o-", ms=3, label=label or "held-out loss")
    ax.plot(xs, train, "--", color=line.get_color(), lw=1, alpha=0.7,
            label=None if label else "training loss (mean since the last point)")
    ax.set(xscale="log", xlabel={"tokens": f"training {per}s seen", "steps": "optimiser steps",
                                 "flops": "training FLOPs"}[x],
           ylabel=f"loss (nats per {per})")
    if bits_axis:
        right = ax.secondary_yaxis("right", functions=(lambda v: v / LN2, lambda b: b * LN2))
        right.set_ylabel(f"bits per {per}")
    return ax


def plain_log_ticks(axis) -> None:
    """Label a log axis with plain numbers (1.5, 2) instead of powers of ten (1.5×10⁰)."""

    def minor(value, _pos):
        low, high = sorted(axis.get_view_interval())
        if low > 0 and high / low >= 5:           # a wide range: label only 2, 3 and 5 between decades
            mantissa = round(value / 10 ** math.floor(math.log10(value) + 1e-9), 6)
            if mantissa not in (2, 3, 5):
                return ""
        return f"{value:.3g}"
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:.3g}"))
    axis.set_minor_formatter(FuncFormatter(minor))
