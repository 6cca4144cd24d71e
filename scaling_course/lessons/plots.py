"""Labelled plots the lessons share. Each function draws on ``ax`` (a new figure if None) and returns it."""

from __future__ import annotations

__all__ = ["LEGEND_BELOW", "layout_problems", "loss_curve"]

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter

from scaling_course.engine.runs import RunRecord
from scaling_course.validation import check_choice, check_instance

LN2 = math.log(2)

#: A legend under the axes, for panels whose data and labels leave no free corner.
LEGEND_BELOW = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.15), "fontsize": 8, "frameon": False}


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


def _marker_points(ax) -> list:
    """Where ``ax`` draws its data points (lines drawn with markers, scatter plots), in pixels."""
    points = []
    for line in ax.get_lines():
        if line.get_visible() and line.get_marker() not in (None, "", " ", "None") and len(line.get_xdata()):
            xy = np.column_stack([np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)])
            points.extend(line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)]))
    for collection in ax.collections:
        offsets = getattr(collection, "get_offsets", lambda: [])()
        if collection.get_visible() and len(offsets) and type(collection).__name__ == "PathCollection":
            points.extend(collection.get_offset_transform().transform(np.asarray(offsets, float)))
    inside = ax.bbox
    return [p for p in points if inside.contains(*p)]


def layout_problems(fig, min_font: float = 7.0) -> list[str]:
    """What collides in ``fig`` as drawn at its own size (JupyterLab shows an inline figure at its
    size in inches × its dpi, cropped to what is drawn): tick labels of one axis that overlap each
    other, a legend over a text label or a title, a title that runs into another panel, text
    smaller than ``min_font`` points. An empty list means nothing was found. The tests run every
    figure of every lesson through it."""
    from matplotlib.figure import Figure
    check_instance(fig, "fig", Figure)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    problems = []

    def box(artist):
        return artist.get_window_extent(renderer)

    def shown(text):
        return text.get_visible() and text.get_text().strip()

    for number, ax in enumerate(fig.axes, 1):
        name = f"panel {number}" + (f" ({ax.get_title()[:40]!r})" if ax.get_title() else "")
        if not ax.get_visible():
            continue
        for which, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            labels = [t for t in axis.get_ticklabels(minor=False) + axis.get_ticklabels(minor=True) if shown(t)]
            boxes = [box(t) for t in labels]
            for i in range(len(labels)):
                for j in range(i + 1, len(labels)):
                    if boxes[i].overlaps(boxes[j]) and labels[i].get_text() != labels[j].get_text():
                        problems.append(f"{name}: {which} tick labels {labels[i].get_text()!r} and "
                                        f"{labels[j].get_text()!r} overlap")
        texts = [t for t in [*ax.texts, ax.title] if shown(t)]
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            legend_box = box(legend)
            for text in texts:
                if legend_box.overlaps(box(text)):
                    problems.append(f"{name}: the legend covers {text.get_text()[:40]!r}")
            covered = sum(legend_box.contains(*point) for point in _marker_points(ax))
            if covered:
                problems.append(f"{name}: the legend covers {covered} data point(s)")
        for text in texts + [ax.xaxis.label, ax.yaxis.label]:
            if shown(text) and text.get_fontsize() < min_font:
                problems.append(f"{name}: {text.get_text()[:40]!r} is set in {text.get_fontsize():.0f} pt")
        for other_number, other in enumerate(fig.axes, 1):
            if other is ax or not other.get_visible():
                continue
            if shown(ax.title) and box(ax.title).overlaps(other.get_window_extent(renderer)) \
                    and not ax.bbox.overlaps(other.bbox):
                problems.append(f"{name}: its title runs into panel {other_number}")
    return problems
