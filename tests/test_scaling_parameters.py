"""Loss against model size: live and shipped sweeps, plots, the floor explorer."""

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from scaling_course.lessons.plots import loss_curve
from scaling_course.lessons.scaling_parameters import (
    FloorExplorer,
    fit_with_floor,
    live_by_size,
    loss_vs_params,
    mean_loss_by_size,
    size_table,
)
from scaling_course.syllabus.shipped import reference_results


def test_size_table_and_live_flags_say_where_each_size_came_from():
    records = reference_results("params", "laptop")
    widths = sorted({r.config.width for r in records})
    sources = ["live" if r.config.width == widths[0] else "shipped" for r in records]
    n, _, _ = mean_loss_by_size(records)
    assert live_by_size(records, sources) == [True] + [False] * (len(n) - 1)
    table = size_table(records, sources)
    assert list(table.index) == widths and list(table.columns) == ["params N", "seeds", "mean final loss", "source"]
    assert table.loc[widths[0], "source"] == "live" and table.loc[widths[1], "source"] == "shipped"
    assert (table["seeds"] == 3).all()                                          # three seeds per width
    assert table.loc[widths[1], "mean final loss"] == pytest.approx(
        np.mean([r.final_val_loss for r in records if r.config.width == widths[1]]))
    with pytest.raises(ValueError, match="same length.*records has 24, sources has 23"):
        size_table(records, sources[:-1])
    with pytest.raises(ValueError, match="sources must be a non-empty list of str, got an empty one"):
        live_by_size(records, [])


def test_mean_loss_by_size_averages_seeds():
    records = reference_results("params", "laptop")
    n, loss, spread = mean_loss_by_size(records)
    assert len(n) == len({r.config.width for r in records}) and np.all(np.diff(n) > 0)
    first = [r.final_val_loss for r in records if r.n_params_non_embedding == n[0]]
    assert loss[0] == pytest.approx(np.mean(first)) and spread[0] == pytest.approx(np.std(first))
    with pytest.raises(ValueError):
        mean_loss_by_size([])


def test_fit_with_floor_recovers_an_exact_law_and_rejects_bad_floors():
    n = np.geomspace(1e3, 1e6, 6)
    fit = fit_with_floor(n, 1.5 + 20 * n ** -0.25, 1.5)
    assert (fit.A, fit.alpha, fit.r_squared_log) == pytest.approx((20, 0.25, 1.0))
    for E in (-0.1, 2.5, math.nan):
        with pytest.raises(ValueError, match=r"E \(below the smallest loss, 2.132\) must be a finite number >= 0 and < 2.13"):
            fit_with_floor(n, 1.5 + 20 * n ** -0.25, E)


def test_plots_label_their_axes():
    record = reference_results("params-text", "ci")[0]
    ax = loss_curve(record, per="character")
    assert "nats per character" in ax.get_ylabel()
    n, loss, _ = mean_loss_by_size(reference_results("params-text", "ci"))
    ax = loss_vs_params(n, loss, live=[True, True, False, False], fit=fit_with_floor(n, loss, 0.0))
    assert ax.get_xlabel() == "non-embedding parameters N"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("trained live" in t for t in labels) and any("shipped" in t for t in labels)
    with pytest.raises(ValueError):
        loss_vs_params([1, 2], [1.0])
    with pytest.raises(TypeError, match="record must be RunRecord, got str"):
        loss_curve("not a record")


def test_floor_explorer_refits_for_each_floor():
    n = np.geomspace(1e3, 1e6, 6)
    explorer = FloorExplorer(n, 1.0 + 10 * n ** -0.3)
    fit, fig = explorer.update(1.0)
    assert fit.alpha == pytest.approx(0.3) and "α = 0.300" in fig.axes[0].get_title()
    assert explorer.widget() is not None


def test_floor_explorer_prints_the_fit_for_the_slider_and_ends_on_a_step():
    n = np.geomspace(1e3, 1e6, 6)
    explorer = FloorExplorer(n, 1.0 + 10 * n ** -0.3)
    explorer.slider.value = 1.0
    summary, _ = explorer.current()
    assert summary.startswith("E = 1.000: α = 0.300, R² (log) = 1.0000; predicted loss at N = 1e+08:")
    explorer.slider.value = 0.0
    assert explorer.current()[0].startswith("E = 0.000: α = ") and "α = 0.300" not in explorer.current()[0]
    top = explorer.slider.max
    assert top / explorer.slider.step == pytest.approx(round(top / explorer.slider.step))
    matplotlib.pyplot.close("all")
