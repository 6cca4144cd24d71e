"""Labelled plots the lessons share. Each function draws on ``ax`` (a new figure if None) and returns it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from . import polynomials
from .reference import CHINCHILLA_TOKENS_PER_PARAMETER, FLOPS_PER_PARAMETER_TOKEN
from .validation import check_array_1d, check_positive_int


def _axes(ax, figsize=(6.4, 4.2)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


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
    models = list(models)
    if not models:
        raise ValueError("famous_models_chart needs at least one model, e.g. reference.famous_models()")
    ax = _axes(ax, figsize=(7, 5))
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


def polynomial_fit(x_train, y_train, coef, ax=None, title=None):
    """Training points, the true function and a fitted polynomial on [-1, 1]."""
    x_train = check_array_1d(x_train, "x_train")
    y_train = check_array_1d(y_train, "y_train", length=len(x_train))
    ax = _axes(ax)
    grid = np.linspace(-1, 1, 400)
    ax.plot(grid, polynomials.target_function(grid), color="gray", lw=1.5, label="true function")
    fitted = polynomials.predict(coef, grid)
    ax.plot(grid, fitted, color="C1", lw=2, label=f"degree-{len(coef) - 1} fit ({len(coef)} parameters)")
    ax.scatter(x_train, y_train, color="C0", s=18, zorder=3, label=f"{len(x_train)} training points")
    spread = np.ptp(polynomials.target_function(grid))
    ax.set_ylim(-spread, spread)
    ax.set(xlabel="x", ylabel="y", title=title or "Least-squares polynomial fit")
    ax.legend(loc="lower left", fontsize=8)
    return ax


def error_vs_degree(degrees, train_mse, test_mse, ax=None, label=""):
    """Train and test mean squared error against polynomial degree (log y axis)."""
    degrees = check_array_1d(degrees, "degrees")
    train_mse = check_array_1d(train_mse, "train_mse", length=len(degrees))
    test_mse = check_array_1d(test_mse, "test_mse", length=len(degrees))
    ax = _axes(ax)
    suffix = f" ({label})" if label else ""
    ax.plot(degrees, train_mse, "o-", label="train" + suffix)
    ax.plot(degrees, test_mse, "s-", label="test" + suffix)
    ax.set(yscale="log", xlabel="polynomial degree (parameters − 1)", ylabel="mean squared error",
           title="Train and test error against model size")
    bottom = 0.3 * min(test_mse.min(), train_mse[train_mse > 1e-8].min(initial=np.inf))
    ax.set_ylim(bottom=bottom)   # an interpolating fit's train error (~1e-15) would squash the plot
    ax.legend(fontsize=8)
    return ax


def double_descent(feature_counts, test_mse, n_train, ax=None, label=None):
    """Median test error of min-norm fits against feature count, with the interpolation threshold marked."""
    feature_counts = check_array_1d(feature_counts, "feature_counts")
    test_mse = check_array_1d(test_mse, "test_mse", length=len(feature_counts))
    n_train = check_positive_int(n_train, "n_train")
    ax = _axes(ax)
    ax.plot(feature_counts, test_mse, "o-", ms=3, label=label)
    ax.axvline(n_train, color="k", ls="--", lw=1)
    ax.annotate(f"interpolation threshold\np = n = {n_train}", (n_train, np.nanmax(test_mse)),
                xytext=(6, -24), textcoords="offset points", fontsize=8)
    ax.set(xscale="log", yscale="log", xlabel="number of features p (parameters)",
           ylabel="median test MSE", title="Double descent: min-norm least squares")
    if label:
        ax.legend(fontsize=8, loc="upper left")
    return ax
