"""Standard sweeps by name and profile, and the shipped reference results."""

import json
import math

import numpy as np
import pytest

from scaling_course.engine.sweep import run_sweep
from scaling_course.engine.train import model_size
from scaling_course.lessons import scaling_compute
from scaling_course.lessons.scaling_parameters import mean_loss_by_size
from scaling_course.science.fit import fit_power_law, fit_quantization_law
from scaling_course.science.laws import unlearned_fraction
from scaling_course.syllabus import shipped
from scaling_course.syllabus.profiles import PROFILES
from scaling_course.syllabus.shipped import reference_results
from scaling_course.syllabus.sweeps import STANDARD_SWEEPS, standard, standard_sweep

# Re-running a reference run must land this close to the shipped loss. Same machine: identical;
# another CPU or BLAS library changes the last bits of every matmul, and training amplifies them.
ABSOLUTE_TOLERANCE = 0.02       # nats
RELATIVE_TOLERANCE = 0.02


@pytest.mark.parametrize("name", [name for name, sweep in STANDARD_SWEEPS.items() if len(sweep.shipped_at) == 3])
def test_sweeps_grow_with_the_profile(name):
    sizes = [len(standard_sweep(name, p)) for p in ("grading", "ci", "laptop", "full")]
    assert sizes == sorted(sizes) and sizes[0] >= 3
    costs = [sum(c.steps * c.width for c in standard_sweep(name, p)) for p in ("ci", "laptop", "full")]
    assert costs == sorted(costs)


def test_each_sweep_varies_what_its_lesson_is_about():
    params = standard_sweep("params", "laptop")
    assert len({c.width for c in params}) == PROFILES["laptop"].train_sizes
    assert {c.task for c in params} == {"sparse_parity"} and {c.n_train for c in params} == {0}
    data = standard_sweep("data", "laptop")
    n_train = sorted(c.n_train for c in data)
    assert n_train[-1] / n_train[0] >= 1000                       # three decades of data
    assert len({c.width for c in data}) == 1
    compute = standard_sweep("compute", "laptop")
    assert len({c.width for c in compute}) >= 5
    # IsoFLOP: every run spends one of a few budgets, 3x apart, each shared by several widths
    flops = np.array([c.steps * model_size(c)["tokens_per_step"] * model_size(c)["flops_per_token"]
                      for c in compute])
    budget_index = np.log(flops / flops.min()) / math.log(3)
    assert np.allclose(budget_index, np.round(budget_index), atol=0.02)
    assert all(np.sum(np.round(budget_index) == k) >= 4 for k in set(np.round(budget_index)))
    assert {c.task for c in standard_sweep("params-text", "ci")} == {"text"}


def test_unknown_sweep_or_profile_names_the_allowed_values():
    with pytest.raises(ValueError, match=r"the sweep\) must be one of 'params'.*got 'width'"):
        standard_sweep("width", "ci")
    with pytest.raises(ValueError, match="profile must be one of 'grading', 'ci', 'laptop', 'full', got 'huge'"):
        standard_sweep("params", "huge")


def test_the_lab_sells_one_menu_at_every_profile_and_ships_it_once():
    """Lesson 08's game is the same for everyone, so its menu does not grow with the profile."""
    menus = [standard_sweep("lab", p) for p in ("grading", "ci", "laptop", "full")]
    assert all(menu == menus[0] for menu in menus) and len(menus[0]) >= 15
    assert standard("lab").shipped_at == ("laptop",)
    with pytest.raises(ValueError, match="sweep 'lab' ships at profile\\(s\\) laptop only, got profile 'ci'"):
        reference_results("lab", "ci")


@pytest.mark.parametrize("name, profile", [(name, profile) for name, sweep in STANDARD_SWEEPS.items()
                                           for profile in sweep.shipped_at])
def test_shipped_references_match_the_sweep_definitions(name, profile):
    records = reference_results(name, profile)
    assert [r.config for r in records] == standard_sweep(name, profile)
    assert all(not r.diverged and math.isfinite(r.final_val_loss) for r in records)


@pytest.mark.parametrize("name", list(STANDARD_SWEEPS))
def test_rerunning_a_sample_of_the_ci_reference_agrees(name, tmp_path):
    shipped = reference_results(name, standard(name).shipped_at[0])          # the lab ships at laptop only
    sample = [shipped[0], shipped[-1]] if name == "params" else [min(shipped, key=lambda r: r.total_flops)]
    rerun = run_sweep([r.config for r in sample], cache=tmp_path, workers=1, progress=False)
    for old, new in zip(sample, rerun):
        assert new.final_val_loss == pytest.approx(
            old.final_val_loss, abs=ABSOLUTE_TOLERANCE, rel=RELATIVE_TOLERANCE)


def test_saving_a_reference_refuses_records_of_another_sweep(tmp_path, monkeypatch):
    records = reference_results("data", "ci")
    monkeypatch.setattr(shipped, "REFERENCE_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"records must be those of standard_sweep\('fresh-data', 'ci'\)"):
        shipped.save_reference("fresh-data", "ci", records)
    assert list(tmp_path.iterdir()) == []


def test_grading_profile_reads_the_ci_references():
    assert [r.config for r in reference_results("params", "grading")] == standard_sweep("params", "ci")


@pytest.mark.parametrize("alpha", [0.3, 0.4, 0.8])
def test_quantization_fit_recovers_the_exponent_of_an_ideal_curve(alpha):
    width = np.geomspace(4, 128, 8)
    loss = 0.6 * unlearned_fraction(width / 9.0, 64, alpha)
    fit = fit_quantization_law(width, loss, 64)
    assert fit.alpha == pytest.approx(alpha, abs=0.01) and fit.width_per_subtask == pytest.approx(9.0, rel=0.02)
    assert np.allclose(fit.predict(width), loss, rtol=1e-3)
    assert fit.alpha_fitted


def test_quantization_fit_with_the_exponent_held_fits_only_scale_and_width_per_subtask():
    width = np.geomspace(4, 128, 8)
    loss = 0.6 * unlearned_fraction(width / 9.0, 64, 0.4)
    fit = fit_quantization_law(width, loss, 64, alpha=0.4)
    assert (fit.scale, fit.width_per_subtask, fit.r_squared_log) == pytest.approx((0.6, 9.0, 1.0), rel=1e-3)
    assert fit.alpha == 0.4 and not fit.alpha_fitted
    assert fit_quantization_law(width, 1.1 * loss, 64, alpha=0.4).scale == pytest.approx(0.66, rel=1e-3)
    with pytest.raises(ValueError, match="at least"):
        fit_quantization_law(width[:1], loss[:1], 64, alpha=0.4)
    with pytest.raises(ValueError, match="alpha"):
        fit_quantization_law(width, loss, 64, alpha=-1.0)


@pytest.mark.parametrize("profile", ["laptop", "full"])
def test_sparse_parity_sweep_recovers_the_predicted_exponent(profile):
    """The quantization model (Michaud et al. 2023) predicts α_N = α = 0.4: the tail Σ_{i>n} p_i of Zipf-distributed subtasks
    falls as n^-α for large n. At CPU sizes a width learns only 0.3 to 11 (laptop) or 36 (full)
    of the 64 subtasks, far from that limit, so the exponent is fitted with the quantization
    model's exact tail sum; a plain E + A·N^-α fit is biased here (it gives 0.2-0.3 even on the
    model's ideal curve)."""
    records = reference_results("params", profile)
    widths = sorted({r.config.width for r in records})
    loss = [np.mean([r.final_val_loss for r in records if r.config.width == w]) for w in widths]
    fit = fit_quantization_law(np.array(widths, float), np.array(loss), records[0].config.n_subtasks)
    assert abs(fit.alpha - 0.4) <= 0.1, fit
    assert fit.r_squared_log >= 0.99
    assert 2 < fit.width_per_subtask < 30               # hidden units per learned subtask


@pytest.mark.parametrize("profile", ["laptop", "full"])
def test_text_sweep_loss_falls_with_size_as_a_power_law(profile):
    n, loss, _ = mean_loss_by_size(reference_results("params-text", profile))
    assert np.all(np.diff(loss) < 0)
    fit = fit_power_law(n, loss)
    assert fit.r_squared_log >= 0.95 and fit.alpha > 0


def test_cli_sweep_trains_prints_and_saves_a_csv(tmp_path, monkeypatch, capsys):
    import csv

    from scaling_course.course import cli
    monkeypatch.setenv("SCALING_COURSE_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "params.csv"
    assert cli.main(["sweep", "params", "--profile", "ci", "--workers", "1", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "sweep 'params'" in printed and "final_val_loss" in printed
    rows = list(csv.DictReader(out.open()))
    assert [int(r["width"]) for r in rows] == [c.width for c in standard_sweep("params", "ci")]
    assert cli.main(["sweep", "nonsense", "--profile", "ci"]) == 2
    assert "(the sweep) must be one of 'params'" in capsys.readouterr().err


@pytest.mark.parametrize("profile", ["laptop", "full"])
def test_every_isoflop_budget_of_the_shipped_compute_sweep_is_bracketed(profile):
    # a valley whose best run is its smallest or largest model puts the parabola's vertex outside the runs
    groups = scaling_compute.budgets(reference_results("compute", profile))
    assert len(groups) >= 3
    for budget, runs in groups.items():
        losses = [round(r.final_val_loss, 3) for r in runs]
        assert scaling_compute.bracketed(runs), f"budget {budget:.3g}: losses {losses} by size"


def test_bracketed_needs_a_smaller_and_a_larger_model_beside_the_best():
    runs = reference_results("compute", "laptop")[:5]            # the smallest budget, five widths
    assert scaling_compute.bracketed(runs)
    best = min(runs, key=lambda r: r.final_val_loss)
    assert not scaling_compute.bracketed([r for r in runs if r.n_params <= best.n_params])
    assert not scaling_compute.bracketed([r for r in runs if r.n_params >= best.n_params])


@pytest.mark.parametrize("name", ["params-text", "data", "fresh-data"])
def test_text_sweeps_measure_run_to_run_noise_with_three_seeds(name):
    for profile in ("laptop", "full"):
        assert {c.seed for c in standard_sweep(name, profile)} == {0, 1, 2}
    live = [c for c in standard_sweep(name, "laptop") if standard(name).live_at_laptop(c, PROFILES["laptop"])]
    assert live and {c.seed for c in live} == {0}                  # a laptop trains seed 0, the rest ship


def test_keep_shipped_trains_only_the_runs_a_design_gained(tmp_path, monkeypatch):
    records = reference_results("compute", "ci")
    kept, gained = records[:-1], records[-1]
    monkeypatch.setattr(shipped, "REFERENCE_DIR", tmp_path)
    path = tmp_path / "compute-ci.json"
    path.write_text(json.dumps({"sweep": "compute", "profile": "ci", "runs": [r.to_dict() for r in kept]}))
    trained = []

    def fake_run_sweep(configs, **options):
        trained.extend(configs)
        return [gained]
    monkeypatch.setattr(shipped, "run_sweep", fake_run_sweep)
    shipped.regenerate_reference("compute", "ci", keep_shipped=True, workers=1)
    assert trained == [gained.config]
    assert [r.config for r in reference_results("compute", "ci")] == standard_sweep("compute", "ci")
