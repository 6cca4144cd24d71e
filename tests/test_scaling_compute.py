"""Lesson 05 plumbing: budgets, curves read at any compute, the frontier, IsoFLOP slices, the slider."""

import matplotlib
import numpy as np
import pytest

from scaling_course.lessons import scaling_compute
from scaling_course.science.fit import isoflop_minimum
from scaling_course.syllabus.shipped import reference_results

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def runs():
    return reference_results("compute", "laptop")


def test_budgets_group_the_isoflop_runs(runs):
    groups = scaling_compute.budgets(runs)
    assert len(groups) == 3 and sum(len(g) for g in groups.values()) == len(runs)
    C = list(groups)
    assert C == sorted(C) and np.allclose(np.diff(np.log(C)), np.log(3), atol=0.01)
    for budget, members in groups.items():
        assert all(abs(r.total_flops / budget - 1) < 0.01 for r in members)


def test_loss_at_flops_reads_the_curve(runs):
    record = runs[0]
    flops, loss = scaling_compute.curve(record)
    assert scaling_compute.loss_at_flops(record, flops[3]) == pytest.approx(loss[3])
    between = np.sqrt(flops[3] * flops[4])
    assert min(loss[3], loss[4]) <= scaling_compute.loss_at_flops(record, between) <= max(loss[3], loss[4])
    assert np.isnan(scaling_compute.loss_at_flops(record, flops[-1] * 2))
    assert scaling_compute.loss_at_flops(record, flops[-1] * 1.005) == pytest.approx(loss[-1])
    with pytest.raises(ValueError):
        scaling_compute.loss_at_flops(record, -1.0)


def test_frontier_is_the_lower_envelope(runs):
    grid, best = scaling_compute.frontier(runs, points=40)
    for record in runs:
        own = scaling_compute.loss_at_flops(record, grid)
        ok = np.isfinite(own)
        assert np.all(best[ok] <= own[ok] + 1e-12)
    assert best[-1] == pytest.approx(min(r.final_val_loss for r in runs))


def test_isoflop_slice_at_a_budget_matches_the_finished_runs(runs):
    C, members = list(scaling_compute.budgets(runs).items())[0]
    N, loss = scaling_compute.isoflop_slice(runs, C, finished_only=True)
    assert list(N) == sorted(r.n_params for r in members)
    assert np.allclose(loss, [r.final_val_loss for r in sorted(members, key=lambda r: r.n_params)], rtol=1e-3)
    N_non, _ = scaling_compute.isoflop_slice(runs, C, embeddings=False, finished_only=True)
    assert np.all(N_non < N)
    with pytest.raises(ValueError):
        scaling_compute.isoflop_slice(runs, 0.0)


def test_explorer_moves_the_optimum_up_with_the_budget(runs):
    explorer = scaling_compute.IsoFLOPExplorer(runs)
    explorer.widget()
    low, _ = explorer.update(np.log10(list(scaling_compute.budgets(runs))[0]))
    high, _ = explorer.update(np.log10(list(scaling_compute.budgets(runs))[-1]))
    assert low.N_opt is not None and high.N_opt is not None and high.N_opt > low.N_opt
    explorer.budget.value = explorer.budget.min
    assert explorer.summary is not None and "C =" in str(explorer.summary)
    assert explorer.budget_label.value == f"C = {10 ** explorer.budget.min:.2g} FLOPs".replace("e+", "e")   # not a log
    for end in (explorer.budget.min, explorer.budget.max):              # both ends of the slider show a valley
        assert explorer.update(end)[0].N_opt is not None, end
    matplotlib.pyplot.close("all")


def test_explorer_uses_the_learners_optimum_and_survives_its_errors(runs, capsys):
    calls = []

    def mine(N, loss):
        calls.append(len(N))
        minimum = isoflop_minimum(N, loss, 1.0)
        return minimum.N_opt, minimum.loss

    explorer = scaling_compute.IsoFLOPExplorer(runs, optimum=mine)
    explorer.update(np.log10(list(scaling_compute.budgets(runs))[-1]))
    assert calls

    def unfinished(N, loss):
        raise NotImplementedError()

    broken = scaling_compute.IsoFLOPExplorer(runs, optimum=unfinished)
    broken.budget.value = round(np.log10(list(scaling_compute.budgets(runs))[-1]), 2)
    broken.redraw()
    assert "NotImplementedError" in capsys.readouterr().out
    matplotlib.pyplot.close("all")


def test_plots_are_labelled(runs):
    groups = scaling_compute.budgets(runs)
    axes = [scaling_compute.curves_plot(runs, sources=["shipped"] * len(runs)), scaling_compute.isoflop_plot(groups)]
    for ax in axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() and ax.get_legend() is not None
    with pytest.raises(ValueError):
        scaling_compute.curves_plot([])
    matplotlib.pyplot.close("all")
