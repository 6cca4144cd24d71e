"""Live and shipped runs side by side (scaling_course.live_runs)."""

import dataclasses

import pytest

from scaling_course import live_runs
from scaling_course.syllabus import reference_results, standard_sweep


def test_grading_trains_nothing_and_analyses_the_shipped_laptop_runs():
    runs = live_runs.standard("data", "grading")
    assert runs.live == [] and runs.own_source == "shipped"
    assert [r.config for r in runs.own] == standard_sweep("data", "ci")
    assert [r.config for r in runs.records] == standard_sweep("data", "laptop")
    assert set(runs.sources) == {"shipped"} and "trained nothing" in runs.describe()


def test_laptop_trains_only_what_it_affords_and_keeps_the_order(tmp_path, monkeypatch):
    monkeypatch.setenv("SCALING_COURSE_CACHE", str(tmp_path))
    shipped = reference_results("data", "laptop")
    cheap = shipped[0].config

    def fake_sweep(configs, **options):            # stands in for training: the shipped twins, 0.003 nats off
        twins = [next(r for r in shipped if r.config == c) for c in configs]
        return [dataclasses.replace(r, val_loss=r.val_loss[:-1] + [r.val_loss[-1] + 0.003]) for r in twins]

    monkeypatch.setattr(live_runs, "run_sweep", fake_sweep)
    runs = live_runs.standard("data", "laptop", affordable=lambda c: c == cheap)
    assert [r.config for r in runs.records] == [r.config for r in shipped]
    assert runs.sources == ["live"] + ["shipped"] * (len(shipped) - 1)
    assert [r.config for r in runs.live] == [cheap] and runs.n_live == 1
    assert runs.twin_gap == pytest.approx(0.003)
    assert "reproduce their shipped twins to within 3.0e-03 nats" in runs.describe()


def test_ci_trains_its_own_sweep_and_analyses_the_laptop_one(monkeypatch):
    trained = []
    monkeypatch.setattr(live_runs, "run_sweep", lambda configs, **k: trained.extend(configs) or
                        reference_results("params", "ci"))
    runs = live_runs.standard("params", "ci")
    assert trained == standard_sweep("params", "ci") and runs.live == reference_results("params", "ci")
    assert [r.config for r in runs.records] == standard_sweep("params", "laptop")
    assert set(runs.sources) == {"shipped"} and runs.twin_gap is None


def test_a_profile_left_out_of_live_at_reads_the_shipped_runs(monkeypatch):
    monkeypatch.setattr(live_runs, "run_sweep", lambda *a, **k: pytest.fail("must not train"))
    runs = live_runs.standard("data", "ci", live_at=("laptop", "full"))
    assert runs.live == [] and runs.own_source == "shipped"


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="unknown sweep"):
        live_runs.standard("width", "ci")
    with pytest.raises(TypeError, match="configs_for"):
        live_runs.gather(None, None, "ci")
    with pytest.raises(ValueError, match="workers"):
        live_runs.standard("data", "ci", workers=0)
    with pytest.raises(ValueError, match="full profile"):
        live_runs.standard("data", "full", live_at=("ci",))
