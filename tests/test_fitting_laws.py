"""Lesson 06's sweep and analysis: the grid's design, the law fitted to its shipped runs, the held-out run, the
pitfalls on simulated runs, and the plots."""

import dataclasses
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from scaling_course.engine.train import run_flops  # noqa: E402
from scaling_course.lessons import fitting_laws  # noqa: E402
from scaling_course.lessons.plots import layout_problems  # noqa: E402
from scaling_course.science.fit import bootstrap, chinchilla_start_grid, fit_chinchilla  # noqa: E402
from scaling_course.science.fit.convergence import ConvergenceWarning  # noqa: E402
from scaling_course.syllabus.profiles import profile_named  # noqa: E402
from scaling_course.syllabus.shipped import reference_results  # noqa: E402
from scaling_course.syllabus.sources import LIVE, SHIPPED  # noqa: E402
from scaling_course.syllabus.sweeps import grid_verify_config, standard, standard_sweep  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("profile", ["laptop", "full"])
def test_the_grid_spans_a_decade_of_each_axis_and_holds_out_one_run_beyond_it(profile):
    configs = standard_sweep("grid", profile)
    held_out = grid_verify_config(profile)
    assert configs[-1] == held_out and configs.count(held_out) == 1
    box = configs[:-1]
    records_like = [(c.width, c.steps) for c in box]
    assert len(set(records_like)) == len(box), "every run of the box is a distinct (width, length)"
    from scaling_course.engine.models import gpt
    from scaling_course.engine.train import model_config
    N = [gpt.n_params(model_config(c)) for c in box]
    steps = [c.steps for c in box]
    assert max(N) / min(N) >= 10 and max(steps) / min(steps) >= 10
    # outside the box in both N and D, with over three times the compute of its largest run
    assert held_out.width > max(c.width for c in box) and held_out.steps > max(steps)
    assert run_flops(held_out) >= 3 * max(run_flops(c) for c in box)


def test_grid_runs_reuse_the_runs_of_lessons_03_and_04():
    grid = set(standard_sweep("grid", "laptop"))
    widths = {c.width for c in standard_sweep("grid", "laptop")[:-1]}      # the box, without the held-out run
    params_text = [c for c in standard_sweep("params-text", "laptop") if c.seed == 0 and c.width in widths]
    fresh = [c for c in standard_sweep("fresh-data", "laptop") if c.seed == 0]
    assert len(params_text) >= 4 and all(c in grid for c in params_text)
    assert fresh and all(c in grid for c in fresh)


def test_a_laptop_trains_the_two_shortest_lengths_live_and_never_the_held_out_run():
    p = profile_named("laptop")
    sweep = standard("grid")
    live = [c for c in standard_sweep("grid", p) if sweep.live_at_laptop(c, p)]
    assert sorted({c.steps for c in live}) == sorted({c.steps for c in standard_sweep("grid", p)})[:2]
    assert grid_verify_config(p) not in live
    assert "ci" not in sweep.live_at


@pytest.fixture(scope="module")
def laptop_law():
    box, held_out = fitting_laws.split_held_out(reference_results("grid", "laptop"))
    N, D, loss = fitting_laws.grid_columns(box)
    law = fit_chinchilla(N, D, loss)
    with warnings.catch_warnings():        # a refit may still stop on the flat floor direction: counted below
        warnings.simplefilter("ignore", ConvergenceWarning)
        boot = bootstrap(fit_chinchilla, N, D, loss, n_resamples=40, starts=chinchilla_start_grid(coarse=True),
                         warn=False)
    return box, held_out, law, boot


def test_the_shipped_laptop_grid_fits_the_law_and_predicts_its_held_out_run(laptop_law):
    box, held_out, law, boot = laptop_law
    assert law.converged and law.r_squared_log >= 0.95
    assert boot.n_not_converged <= 2, f"{boot.n_not_converged} of 40 refits failed the gradient check"
    for name in ("alpha", "beta"):
        low, high = boot.interval(name)
        assert 0 < low <= getattr(law, name) <= high * 1.001 and high - low < 0.3, (name, low, high)
    (N_held,), (D_held,), (actual,) = fitting_laws.grid_columns([held_out])
    predicted = float(law.predict(N_held, D_held))
    assert abs(predicted / actual - 1) < 0.05
    low, high = np.percentile([f.predict(N_held, D_held) for f in boot.fits], [10, 90])
    assert low <= actual <= high
    assert actual < min(r.final_val_loss for r in box), "the held-out run beats every run of the box"


def test_split_held_out_separates_the_widest_run_and_keeps_the_sources():
    records = reference_results("grid", "ci")
    sources = [LIVE] * (len(records) - 1) + [SHIPPED]
    box, box_sources, held_out, source = fitting_laws.split_held_out(records, sources)
    assert held_out.config == grid_verify_config("ci") and source == SHIPPED
    assert len(box) == len(box_sources) == len(records) - 1 and set(box_sources) == {LIVE}
    with pytest.raises(ValueError, match="exactly one run at its largest width"):
        fitting_laws.split_held_out(records + records[-1:])


def test_grid_columns_count_all_parameters_and_tokens_seen():
    record = reference_results("grid", "ci")[0]
    (N,), (D,), (loss,) = fitting_laws.grid_columns([record])
    assert N == record.n_params > record.n_params_non_embedding
    assert D == record.tokens[-1] == record.config.steps * record.config.batch_size * record.config.n_ctx
    assert loss == record.final_val_loss


def test_verify_run_reads_the_shipped_twin_below_laptop_and_trains_at_laptop(monkeypatch):
    shipped, source = fitting_laws.verify_run("ci")
    assert source == SHIPPED and shipped.config == grid_verify_config("laptop")
    asked = []

    def fake_sweep(configs, **options):
        asked.append((configs, options))
        return [dataclasses.replace(shipped, config=configs[0])]
    import scaling_course.engine.sweep as sweep_module
    monkeypatch.setattr(sweep_module, "run_sweep", fake_sweep)
    record, source = fitting_laws.verify_run("laptop", progress=False)
    assert source == LIVE and asked[0][0] == [grid_verify_config("laptop")] and asked[0][1]["workers"] == 1


def test_the_pitfalls_show_what_goes_wrong():
    table = fitting_laws.pitfalls(seed=0, profile="ci")
    truth, right, mean, one_start, outliers, dropped = (table.iloc[i] for i in range(6))
    assert right["converged"] and abs(right["alpha"] - truth["alpha"]) < 0.05
    assert not mean["converged"] and mean["relative gradient"] > 100 * right["relative gradient"]
    assert abs(mean["beta"] - 0.28491) < 0.01, "the mean-Huber fit stops next to Hoffmann et al.'s values"
    assert one_start["objective (Σ Huber)"] > 2 * right["objective (Σ Huber)"]
    assert dropped["runs"] == outliers["runs"] - fitting_laws.PITFALL_DROPPED
    assert dropped["alpha"] != outliers["alpha"]
    assert right["fit"] == "Σ Huber, 243 starts", "the small profiles start from every other point of the grid"
    fig = fitting_laws.pitfalls_plot(table).figure
    assert not layout_problems(fig)


def test_the_plots_are_labelled_and_uncluttered(laptop_law):
    box, held_out, law, boot = laptop_law
    sources = [SHIPPED] * len(box)
    for ax in (fitting_laws.surface_plot(box, sources, marks=fitting_laws.earlier_sweeps(), held_out=held_out),
               fitting_laws.prediction_plot(box, law, held_out, (1.3, 1.5), one_axis=1.9),
               fitting_laws.allocation_plot(0.34, 0.3, 0.46)):
        assert ax.get_xlabel() and ax.get_title()
        assert not layout_problems(ax.figure), layout_problems(ax.figure)
    table = fitting_laws.extrapolation_table(law, boot, max(r.total_flops for r in box))
    widths = table["interval width / loss"].to_numpy()
    assert np.all(table["low (10%)"] <= table["loss"]) and np.all(table["loss"] <= table["high (90%)"])
    assert widths[-1] > widths[0], "the interval widens further out"
    ax = fitting_laws.extrapolation_plot(table, held_out_factor=3.3)
    assert not layout_problems(ax.figure)


def test_earlier_sweeps_are_the_shipped_text_sweeps():
    marks = fitting_laws.earlier_sweeps("grading")
    assert set(marks) == {"params-text", "fresh-data", "compute"}
    assert len(marks["compute"][0]) == len(reference_results("compute", "ci"))
