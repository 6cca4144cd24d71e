"""Live and shipped runs side by side (scaling_course.syllabus.live)."""

import dataclasses
import importlib.util
import re

import pytest

from scaling_course.engine.train import run_flops
from scaling_course.syllabus import live
from scaling_course.syllabus.profiles import get_profile
from scaling_course.syllabus.shipped import reference_results
from scaling_course.syllabus.sweeps import STANDARD_SWEEPS, standard, standard_sweep


def test_grading_trains_nothing_and_analyses_the_shipped_laptop_runs():
    runs = live.gather("data", "grading")
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

    monkeypatch.setattr(live, "run_sweep", fake_sweep)
    monkeypatch.setitem(STANDARD_SWEEPS, "data", dataclasses.replace(
        STANDARD_SWEEPS["data"], live_at_laptop=lambda config, profile: config == cheap))
    runs = live.gather("data", "laptop")
    assert [r.config for r in runs.records] == [r.config for r in shipped]
    assert runs.sources == ["live"] + ["shipped"] * (len(shipped) - 1)
    assert [r.config for r in runs.live] == [cheap] and runs.n_live == 1
    assert runs.twin_gap == pytest.approx(0.003)
    assert "reproduce their shipped twins to within 3.0e-03 nats" in runs.describe()


def test_ci_trains_its_own_sweep_and_analyses_the_laptop_one(monkeypatch):
    trained = []
    monkeypatch.setattr(live, "run_sweep", lambda configs, **k: trained.extend(configs) or
                        reference_results("params", "ci"))
    runs = live.gather("params", "ci")
    assert trained == standard_sweep("params", "ci") and runs.live == reference_results("params", "ci")
    assert [r.config for r in runs.records] == standard_sweep("params", "laptop")
    assert set(runs.sources) == {"shipped"} and runs.twin_gap is None


def test_a_profile_the_sweep_does_not_train_at_reads_the_shipped_runs(monkeypatch):
    monkeypatch.setattr(live, "run_sweep", lambda *a, **k: pytest.fail("must not train"))
    assert "ci" not in standard("fresh-data").live_at
    runs = live.gather("fresh-data", "ci")
    assert runs.live == [] and runs.own_source == "shipped"
    assert [r.config for r in runs.records] == standard_sweep("fresh-data", "laptop")


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"the sweep\) must be one of 'params'.*got 'width'"):
        live.gather("width", "ci")
    for workers in (0, -1):
        with pytest.raises(ValueError, match="workers must be a whole number >= 1"):
            live.gather("data", "ci", workers=workers)
    for workers in (1.5, True, "2"):
        with pytest.raises(TypeError, match="workers must be a whole number >= 1"):
            live.gather("data", "ci", workers=workers)


def _live_at_laptop(name):
    laptop = get_profile("laptop")
    return [c for c in standard_sweep(name, laptop) if standard(name).live_at_laptop(c, laptop)]


def test_each_sweep_says_which_runs_a_laptop_trains_itself():
    # lesson 03: the small widths train, the big ones are read
    assert {c.width for c in _live_at_laptop("params")} == {w for w in {c.width for c in standard_sweep("params", "laptop")}
                                                              if w <= 7}
    assert {c.width for c in _live_at_laptop("params-text")} == {c.width for c in standard_sweep("params-text", "laptop")
                                                                   if c.width <= 40}
    assert {c.seed for c in _live_at_laptop("params-text")} == {0}          # one seed live, the others ship
    # lesson 04: seed 0 of every data run; seed 0 of the fresh-data runs up to half the data sweep's length
    assert _live_at_laptop("data") == [c for c in standard_sweep("data", "laptop") if c.seed == 0]
    half = get_profile("laptop").lm_steps / 2
    assert _live_at_laptop("fresh-data") == [c for c in standard_sweep("fresh-data", "laptop")
                                              if c.steps <= half and c.seed == 0]
    # lesson 05: the runs of the smallest compute budget
    smallest = min(run_flops(c) for c in standard_sweep("compute", "laptop"))
    chosen = _live_at_laptop("compute")
    assert chosen and all(run_flops(c) == pytest.approx(smallest, rel=0.01) for c in chosen)
    assert len(chosen) < len(standard_sweep("compute", "laptop"))
    for name in STANDARD_SWEEPS:                   # something trains live, but not everything is needed
        assert 0 < len(_live_at_laptop(name)) <= len(standard_sweep(name, "laptop")), name


def test_each_sweep_names_the_lesson_module_that_analyses_it():
    for name, sweep in STANDARD_SWEEPS.items():
        assert importlib.util.find_spec(f"scaling_course.lessons.{sweep.lesson}"), (name, sweep.lesson)


def test_before_training_the_lesson_says_how_long_it_will_take_and_how_to_go_quicker(tmp_path, monkeypatch):
    monkeypatch.setenv("SCALING_COURSE_CACHE", str(tmp_path / "empty"))
    laptop = get_profile("laptop")
    sweep = standard("params-text")
    configs = [c for c in sweep.design(laptop) if sweep.live_at_laptop(c, laptop)]
    said = live.time_estimate("params-text", laptop, configs)
    assert f"training {len(configs)} run(s) at profile 'laptop'" in said
    assert re.search(r"took about \d+ s on a quiet 2-core machine", said), said
    assert 'set profile = "ci"' in said
    at_ci = live.time_estimate("params", get_profile("ci"), standard_sweep("params", "ci"))
    assert "took about" in at_ci and "set profile" not in at_ci
