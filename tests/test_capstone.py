"""Lesson 08's game: the lab's menu, prices, refusals and replay; the practice worlds; the truth; the tiers; the
package's own strategy and the measures of how much a prediction owes to the runs bought."""

import math

import numpy as np
import pandas as pd
import pytest

from scaling_course.course.notebooks import model_answer
from scaling_course.engine.train import model_size
from scaling_course.lessons import capstone
from scaling_course.science.fit import isoflop_minimum
from scaling_course.science.laws import chinchilla_loss, compute_optimal_allocation
from scaling_course.science.simulate import BudgetExceeded
from scaling_course.syllabus import lab as game
from scaling_course.syllabus.profiles import PROFILES
from scaling_course.syllabus.shipped import reference_results
from scaling_course.syllabus.sweeps import game_flops, run_flops, standard_sweep, target_budget, target_configs


def _shipped_lab(**options):
    return capstone.Lab("ci", progress=False, **options)


# --- the menu and the prices ---------------------------------------------------------------------

def test_the_target_is_one_isoflop_budget_of_real_runs_ten_times_the_largest_run_for_sale():
    costs = np.array([game_flops(c) for c in target_configs()])
    assert len(costs) >= 5 and costs.max() / costs.min() < 1.03            # one budget, within 3%
    menu = standard_sweep("lab", "laptop")
    assert target_budget() / max(game_flops(c) for c in menu) == pytest.approx(10, rel=0.002)
    assert max(run_flops(c) for c in target_configs()) == max(run_flops(c) for c in standard_sweep("compute", "full"))


def test_each_column_of_the_menu_is_one_budget_and_each_row_one_width_at_several_lengths():
    menu = _shipped_lab().menu
    columns = (menu["target / cost"]).round()
    assert sorted(set(columns)) == [10, 30, 90, 270]
    for share, column in menu.groupby(columns):
        assert column["flops"].max() / column["flops"].min() < 1.01 and column["width"].is_unique, share
        assert (column["flops"] == menu["N"][column.index] * menu["D"][column.index] * 6).all()
    assert all(len(row) >= 2 for _, row in menu.groupby("width") if _ < 128)
    assert menu["steps"].between(150, 25_000).all()
    # the budget buys three of the largest runs, and not a fourth
    assert 3 * menu["flops"].max() <= capstone.GAME_BUDGET < 4 * menu["flops"].min() * 27 / 1.01


def test_a_run_is_charged_its_cost_once_and_a_repeat_is_free():
    lab = _shipped_lab()
    record = lab.train(width=32, steps=651)
    cost = game_flops(record.config)
    assert lab.spent == pytest.approx(cost) and lab.left == pytest.approx(lab.budget - cost)
    again = lab.train(width=32, steps=651)
    assert again is record and lab.spent == pytest.approx(cost) and len(lab.history) == 1
    row = lab.history.iloc[0]
    assert (row["width"], row["steps"], row["source"]) == (32, 651, "shipped")
    assert row["N"] == record.n_params and row["D"] == record.tokens[-1] and row["loss"] == record.final_val_loss


def test_an_empty_history_has_the_columns_and_types_of_a_full_one():
    empty, full = _shipped_lab(), _shipped_lab()
    full.train(width=32, steps=651)
    assert empty.history.empty and list(empty.history.columns) == list(full.history.columns)
    assert (empty.history.dtypes == full.history.dtypes).all()
    assert (empty.target / empty.history["flops"]).round().empty       # the notebook's valley loop: nothing to read


def test_each_run_bought_prints_one_line_of_a_running_ledger_as_it_comes_in(capsys):
    lab = capstone.Lab("ci")                                 # progress on, as the notebook's lab has it
    record = lab.train(width=32, steps=651)
    lab.train(width=16, steps=735)
    lab.train(width=32, steps=651)                           # a repeat: free, and not a new line
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("run  1: width  32,    651 steps") and f"loss {record.final_val_loss:.4f}" in lines[0]
    assert f"spent {game_flops(record.config) / lab.budget:4.0%} of the budget" in lines[0]
    assert lines[1].startswith("run  2: width  16") and f"{lab.left:.2e} FLOPs left" in lines[1]
    _shipped_lab().train(width=32, steps=651)
    assert capsys.readouterr().out == ""                     # progress=False: silent


def test_a_run_the_budget_cannot_pay_for_is_refused_saying_what_it_costs_and_what_is_left():
    lab = _shipped_lab()
    for steps, width in ((19850, 16), (9827, 24), (5862, 32)):
        lab.train(width=width, steps=steps)
    spent, history = lab.spent, lab.history
    with pytest.raises(BudgetExceeded, match=r"width 48 for 2773 steps costs 1\.081e\+12 FLOPs but only .* of the "
                                             r"3\.244e\+12 budget remain .*; choose a cheaper run from lab\.menu"):
        lab.train(width=48, steps=2773)
    assert lab.spent == spent and lab.history.equals(history)              # nothing charged, nothing bought
    assert lab.train(width=16, steps=19850) is lab.records[0] and lab.spent == spent   # one bought: still free


def test_a_bought_run_shows_in_one_line_in_a_notebook():
    from IPython.lib.pretty import pretty

    record = _shipped_lab().train(width=64, steps=537)
    shown = pretty(record)
    assert shown == (f"RunRecord(text, width 64, depth 2, 537 steps: 109,184 parameters, 549,888 tokens, "
                     f"final held-out loss {record.final_val_loss:.4f})")
    assert "position_loss" in repr(record)                       # repr() still holds every field


def test_a_run_interrupted_while_training_costs_nothing(monkeypatch):
    lab = _shipped_lab()

    def interrupted(config):
        raise KeyboardInterrupt

    monkeypatch.setattr(lab, "_outcome", interrupted)
    with pytest.raises(KeyboardInterrupt):
        lab.train(width=24, steps=364)
    assert lab.spent == 0 and lab.history.empty


def test_the_menu_names_what_it_sells_when_asked_for_something_else():
    lab = _shipped_lab()
    with pytest.raises(ValueError, match=r"width must be one of 16, 24, 32, 48, 64, 96, 128, got 40"):
        lab.train(width=40, steps=1000)
    with pytest.raises(ValueError, match=r"steps \(for width 128\) must be one of 424, got 1000"):
        lab.train(width=128, steps=1000)


def test_the_lab_trains_live_at_laptop_and_reproduces_the_shipped_twin(tmp_path, monkeypatch):
    monkeypatch.setenv("SCALING_COURSE_CACHE", str(tmp_path))
    live = capstone.Lab("laptop", progress=False)
    assert live.live and not _shipped_lab().live
    record = live.train(width=32, steps=217)                 # the cheapest run on the menu: about two seconds
    shipped = {r.config: r for r in reference_results("lab", "laptop")}[record.config]
    assert live.history["source"].tolist() == ["live"]
    assert record.final_val_loss == pytest.approx(shipped.final_val_loss, abs=0.02, rel=0.02)
    assert capstone.Lab("laptop", progress=False).train(width=32, steps=217) == record       # the cache keeps it


def test_a_laptop_play_through_trains_for_under_eight_minutes_however_the_budget_is_spent():
    # the slowest play spends the whole budget on the runs that take longest per FLOP (a fractional knapsack bound:
    # no set of runs within the budget takes longer), timed by the shipped twins on a quiet 2-core machine
    menu = _shipped_lab().menu.assign(rate=lambda m: m["seconds"] / m["flops"]).sort_values("rate", ascending=False)
    left, seconds = capstone.GAME_BUDGET, 0.0
    for flops, rate in zip(menu["flops"], menu["rate"]):
        take = min(flops, left)
        seconds, left = seconds + take * rate, left - take
    assert seconds < 8 * 60, seconds


# --- practice worlds -----------------------------------------------------------------------------

def test_a_practice_world_sells_the_same_menu_with_losses_from_its_known_law():
    world = capstone.practice_lab(seed=3, noise=0.0)
    assert world.menu[["width", "steps", "flops"]].equals(_shipped_lab().menu[["width", "steps", "flops"]])
    loss = world.train(width=48, steps=924)
    config = next(c for c in standard_sweep("lab", "ci") if (c.width, c.steps) == (48, 924))
    n, d = model_size(config)["n_params"], 924 * model_size(config)["tokens_per_step"]
    assert loss == pytest.approx(chinchilla_loss(n, d, world.law)) and world.history["source"].tolist() == ["simulated"]
    n_opt, d_opt = compute_optimal_allocation(capstone.TARGET_BUDGET, world.law)
    assert world.true_answer() == pytest.approx((n_opt, chinchilla_loss(n_opt, d_opt, world.law)))


def test_practice_worlds_are_reproducible_and_differ_from_each_other():
    losses = [capstone.practice_lab(seed).train(width=24, steps=1092) for seed in (0, 0, 1)]
    assert losses[0] == losses[1] != losses[2]
    noisy = capstone.practice_lab(seed=5, noise=0.01)
    assert noisy.train(width=24, steps=1092) == noisy.train(width=24, steps=1092)


# --- the truth and the tiers ---------------------------------------------------------------------

def test_the_truth_is_the_bottom_of_the_target_valley_with_its_seed_noise():
    target = capstone.truth()
    runs = {r.config: r for r in reference_results("compute", "full")}
    assert list(target.loss) == [runs[c].final_val_loss for c in target_configs()]
    best = int(np.argmin(target.loss))
    assert target.N[best - 1] < target.N_opt < target.N[best + 1]            # between the best run's neighbours
    assert abs(target.loss_opt - target.loss.min()) < 0.01                  # a smooth valley through its runs
    p2, p1, _ = target.parabola
    assert p2 > 0 and math.exp(-p1 / (2 * p2)) == pytest.approx(target.N_opt)
    assert target.N_opt_interval[0] < target.N_opt < target.N_opt_interval[1]
    assert target.loss_opt_interval[0] < target.loss_opt < target.loss_opt_interval[1]
    assert 0.001 < target.noise < 0.02 and target.noise == game.seed_noise()
    assert target.N_opt_interval[1] / target.N_opt_interval[0] < min(capstone.N_OPT_TIERS) ** 2   # tiers are wider
    with pytest.raises(ValueError, match="read-only"):
        target.loss[0] = 0.0
    table = target.runs
    assert list(table.columns) == ["width", "N", "D", "epochs of the text", "loss"]
    assert table["width"].tolist() == list(target.widths) and (table["N"] == target.N).all()
    assert (table["D"] / table["epochs of the text"]).round(-5).nunique() == 1       # one training text
    np.testing.assert_allclose(table["loss"], target.loss, atol=5e-5)


def test_the_seed_noise_is_the_spread_of_lesson_03s_seeds():
    runs = reference_results("params-text", "full")
    widths = sorted({r.config.width for r in runs})
    spreads = []
    for width in widths:
        losses = [r.final_val_loss for r in runs if r.config.width == width]
        spreads.append(np.std(losses, ddof=1) / np.mean(losses))
    assert game.seed_noise() == pytest.approx(float(np.sqrt(np.mean(np.square(spreads)))))


@pytest.mark.parametrize("factor, error, tiers", [
    (1.0, 0.0, (3, 3)), (1.24, 0.019, (3, 3)), (1 / 1.24, -0.019, (3, 3)), (1.3, 0.03, (2, 2)),
    (1 / 1.6, -0.07, (1, 1)), (2.5, 0.2, (0, 0)), (1.49, -0.11, (2, 0)),
])
def test_a_prediction_earns_a_tier_for_each_threshold_it_stays_within(factor, error, tiers):
    score = capstone.score_prediction(1e5 * factor, 1.3 * (1 + error), answer=(1e5, 1.3))
    assert (score.N_tiers, score.loss_tiers) == tiers and score.tiers == sum(tiers)
    assert score.N_factor == pytest.approx(max(factor, 1 / factor)) and score.loss_error == pytest.approx(error)


def test_without_an_answer_a_prediction_is_scored_against_the_truth():
    target = capstone.truth()
    assert capstone.score_prediction(target.N_opt, target.loss_opt).tiers == 6
    assert capstone.score_prediction(target.N_opt * 3, target.loss_opt).N_tiers == 0


# --- strategies ----------------------------------------------------------------------------------

def test_the_package_strategy_buys_two_whole_budget_columns_and_scores_well():
    lab = _shipped_lab()
    capstone.expert_plan(lab)
    history = lab.history
    shares = sorted(set((capstone.TARGET_BUDGET / history["flops"]).round()))
    assert shares == [30, 90] and len(history) == 11 and lab.spent <= lab.budget
    menu = lab.menu
    for share in shares:                                      # every width of each column it chose
        assert len(history[(capstone.TARGET_BUDGET / history["flops"]).round() == share]) == \
               len(menu[menu["target / cost"].round() == share])
    score = capstone.score_prediction(*capstone.expert_predict(history))
    assert score.N_tiers >= 2 and score.loss_tiers >= 2, score       # "scores well": the standard


def test_the_model_answer_says_what_the_package_strategys_runs_show():
    """The solution's reflection is the package's strategy's play: each fact it states must hold for the shipped
    runs, so a regenerated sweep that changes one shows up here."""
    text = model_answer("08-capstone").data
    lab = _shipped_lab()
    capstone.expert_plan(lab)
    history = lab.history
    columns = dict(list(history.groupby((lab.target / history["flops"]).round())))
    assert "a thirtieth and a ninetieth" in text and sorted(columns) == [30, 90]
    larger, smaller = columns[30], columns[90]
    assert "its bottom inside the widths I bought" in text
    bottom = isoflop_minimum(larger["N"].to_numpy(), larger["loss"].to_numpy(), C=float(larger["flops"].mean()))
    assert larger["N"].min() < bottom.N_opt < larger["N"].max()
    assert "the smallest width was the best run" in text
    assert smaller.loc[smaller["loss"].idxmin(), "width"] == smaller["width"].min()
    assert "buys exactly one run at the largest budget" in text
    largest = lab.menu.loc[lab.menu["target / cost"].round() == 10, "flops"]
    assert largest.max() <= smaller["flops"].sum() + lab.left < 2 * largest.min()


def test_the_bootstrap_of_a_prediction_needs_only_the_function():
    world = capstone.practice_lab(seed=2, noise=0.0)
    capstone.expert_plan(world)
    exact = capstone.bootstrap_prediction(capstone.expert_predict, world.history, n_resamples=8)
    assert exact.N_opt_interval[1] / exact.N_opt_interval[0] < 1.05      # no noise: every resample agrees
    noisy = capstone.practice_lab(seed=2, noise=0.03)
    capstone.expert_plan(noisy)
    spread = capstone.bootstrap_prediction(capstone.expert_predict, noisy.history, n_resamples=8)
    assert spread.N_opt_interval[1] / spread.N_opt_interval[0] > 1.05
    assert spread == capstone.bootstrap_prediction(capstone.expert_predict, noisy.history, n_resamples=8)   # seeded

    calls = []

    def fussy(history):                          # refuses resamples with repeated runs: they are skipped
        calls.append(len(history))
        if history.duplicated(["width", "steps"]).any():
            raise ValueError("repeated runs")
        return float(history["N"].max()), float(history["loss"].min())

    point = capstone.bootstrap_prediction(fussy, noisy.history, n_resamples=5)
    assert point.N_opt_interval is None and len(calls) == 6


def test_leave_one_out_predicts_once_without_each_run():
    lab = _shipped_lab()
    capstone.expert_plan(lab)
    table = capstone.leave_one_out(lambda history: (len(history), history["loss"].sum()), lab.history)
    assert len(table) == 11 and (table["N_opt"] == 10).all()
    assert table["loss"].tolist() == pytest.approx([lab.history["loss"].sum() - v for v in lab.history["loss"]])
    assert table["left out"].iloc[0] == f"width {lab.history['width'].iloc[0]}, {lab.history['steps'].iloc[0]} steps"


def test_practice_scores_a_strategy_against_each_worlds_own_answer():
    def plan(lab):
        for width, steps in ((16, 6617), (24, 3276), (32, 1954), (48, 924), (64, 537)):
            lab.train(width=width, steps=steps)

    table = capstone.practice(plan, lambda history: (1e5, 2.0), seeds=[0, 1])
    for _, row in table.iterrows():
        want = capstone.score_prediction(1e5, 2.0, capstone.practice_lab(int(row["world"])).true_answer())
        assert row["runs"] == 5 and row["N_opt factor"] == want.N_factor and row["N_opt tiers"] == want.N_tiers
        assert row["loss error"] == want.loss_error and row["loss tiers"] == want.loss_tiers
    assert table["spent"].iloc[0] == pytest.approx(5 * 3.6e11 / capstone.GAME_BUDGET, rel=0.01)


def test_the_plots_draw_the_purchases_and_the_reveal():
    import matplotlib

    matplotlib.use("Agg")
    lab = _shipped_lab()
    capstone.expert_plan(lab)
    ax = capstone.purchases_plot(lab)
    assert len(ax.collections[-1].get_offsets()) == 11 and "11 runs" in ax.get_title()
    prediction = capstone.Prediction(1.2e5, 1.3, (5e4, 2e5), (1.2, 1.5))
    ax = capstone.reveal_plot(capstone.truth(), {"you": prediction, "point only": capstone.Prediction(9e4, 1.4)})
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "you" in labels and "point only" in labels and any("truth" in t for t in labels)


def test_the_grading_profile_replays_the_shipped_runs():
    lab = capstone.Lab(PROFILES["grading"], progress=False)
    record = lab.train(width=24, steps=364)
    shipped = {r.config: r for r in reference_results("lab", "laptop")}
    assert not lab.live and record == shipped[record.config] and lab.history["source"].tolist() == ["shipped"]
