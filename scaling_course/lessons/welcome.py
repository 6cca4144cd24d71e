"""Lesson 00 (welcome): famous models on the map of parameters N, training tokens D and compute C.

The chart draws Chinchilla's ~20 tokens per parameter (Hoffmann et al. 2022, arXiv:2203.15556,
Table 3) and lines of equal training compute C ≈ 6·N·D (Kaplan et al. 2020, arXiv:2001.08361,
§2.1); the formulas are :func:`scaling_course.science.laws.training_compute` and
:func:`~scaling_course.science.laws.tokens_per_parameter`.
"""

from __future__ import annotations

__all__ = ["famous_models_chart"]

import numpy as np

from scaling_course.science.reference import CHINCHILLA_TOKENS_PER_PARAMETER, FLOPS_PER_PARAMETER_TOKEN, FamousModel
from scaling_course.validation import check_list_of, check_positive_array

from .plots import axes_or_new


def _label_points(ax, names, x, y, radius=0.25):
    """Label points on log-log axes, fanning out the labels of points closer than ``radius`` decades."""
    offsets = [((5, 4), "left"), ((5, -11), "left"), ((-5, -3), "right"), ((-5, 8), "right")]
    logs = np.log10(np.column_stack([x, y]))
    rank = np.zeros(len(names), dtype=int)
    for i in np.argsort(-logs[:, 1], kind="stable"):   # top of each cluster first
        above = [j for j in range(len(names)) if logs[j, 1] > logs[i, 1] or (logs[j, 1] == logs[i, 1] and j < i)]
        rank[i] = sum(np.hypot(*(logs[i] - logs[j])) < radius for j in above)
    for name, xi, yi, r in zip(names, x, y, rank):
        offset, align = offsets[r % len(offsets)]
        ax.annotate(name, (xi, yi), textcoords="offset points", xytext=offset, ha=align, fontsize=8)


def famous_models_chart(models, ax=None, flop_lines=(1e21, 1e23, 1e25)):
    """Parameters vs training tokens on log-log axes, with Chinchilla's D = 20·N line and iso-FLOP lines."""
    models = check_list_of(models, "models", FamousModel, "FamousModel (e.g. famous_models())")
    flop_lines = check_positive_array(flop_lines, "flop_lines")
    ax = axes_or_new(ax, figsize=(7, 5))
    n = np.array([m.n_params for m in models])
    d = np.array([m.n_tokens for m in models])
    ax.scatter(n, d, zorder=3)
    _label_points(ax, [m.name for m in models], n, d)
    grid = np.geomspace(n.min() / 3, n.max() * 3, 50)
    ax.plot(grid, CHINCHILLA_TOKENS_PER_PARAMETER * grid, "k--", lw=1,
            label=f"D = {CHINCHILLA_TOKENS_PER_PARAMETER:g}·N (Chinchilla ratio)")
    y_low, y_high = d.min() / 5, d.max() * 5
    for c in flop_lines:
        ax.plot(grid, c / (FLOPS_PER_PARAMETER_TOKEN * grid), ":", color="gray", lw=1)
        # label each line where it crosses the middle of the visible token range
        y_mid = np.sqrt(y_low * y_high)
        x_mid = c / (FLOPS_PER_PARAMETER_TOKEN * y_mid)
        if grid[0] <= x_mid <= grid[-1]:
            ax.annotate(f"C = {c:.0e} FLOPs", (x_mid, y_mid), fontsize=7, color="gray", rotation=-30)
    ax.set(xscale="log", yscale="log", xlabel="parameters N", ylabel="training tokens D",
           title="Famous language models: parameters, data and compute (C ≈ 6ND)")
    ax.set_ylim(y_low, y_high)
    ax.legend(loc="upper left", fontsize=8)
    return ax
