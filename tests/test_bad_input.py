"""Every public callable refuses bad input before doing any work, naming the argument, what it got and what is
allowed, with a TypeError for the wrong kind of thing and a ValueError for a wrong value.

The public API is what each module lists in ``__all__``. `test_every_public_callable_has_bad_input_cases` fails
when a callable is added there without a case below, and `test_the_notebooks_use_only_the_public_api` fails when a
notebook reaches past ``__all__``, so a new function cannot slip past either list.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import math
import os
import pkgutil
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scaling_course
from scaling_course import check, get_profile
from scaling_course.checks import registry, timing
from scaling_course.course import benchmarks, cli, environment, learner_lab, notebooks, release
from scaling_course.engine import cache, runs, scores, sweep, train
from scaling_course.engine.data import corpus, tasks
from scaling_course.engine.models import gpt, mlp
from scaling_course.lessons import demo, fitting_laws, plots, polynomials as poly_plots, scaling_compute, scaling_data
from scaling_course.lessons import capstone, scale_limits, scaling_parameters, tiny_models, welcome
from scaling_course.science import fit, laws, polynomials, reference, simulate
from scaling_course.syllabus import live, profiles, shipped, sweeps, tables

ROOT = Path(__file__).resolve().parent.parent
STYLE = re.compile(r"^\S.* must \w+ .+, got\b.+", re.S)

# Results the package returns and callers only read (or exceptions it raises): a caller never builds one, so they
# take no input worth validating. Anything else in an __all__ needs a case below.
RESULTS = {
    "checks.registry.CheckFailed", "checks.registry.CheckResult", "checks.timing.TimeUp", "course.environment.EnvironmentReport",
    "course.notebooks.NotebookRun", "engine.data.corpus.Corpus", "engine.runs.RunRecord",
    "lessons.polynomials.FitSummary", "lessons.scaling_compute.SliceSummary", "lessons.scaling_parameters.FloorFit",
    "science.fit.bootstrap.Bootstrap", "science.fit.broken_power_law.BrokenPowerLawFit",
    "science.fit.chinchilla.ChinchillaFit", "science.fit.convergence.Convergence",
    "science.fit.convergence.ConvergenceWarning", "science.fit.data_constrained.DataConstrainedFit",
    "science.fit.extrapolate.BudgetForecast", "science.fit.extrapolate.Forecast",
    "science.fit.extrapolate.HeldOutScore", "science.fit.goodness.CheckedFit", "science.fit.goodness.Goodness",
    "science.fit.isoflop.IsoFLOPFit", "science.fit.isoflop.IsoFLOPMinimum", "science.fit.loglinear.LogLinearFit",
    "science.fit.power_law.PowerLawFit", "science.fit.quantization.QuantizationFit",
    "science.reference.AllocationEstimate", "science.reference.ComputeOptimalProjection",
    "science.reference.FamousModel", "science.reference.KaplanConstants", "science.reference.TrainingCost",
    "lessons.scale_limits.OwnLaw", "science.simulate.BudgetExceeded",
    "science.simulate.SimulatedRun", "science.simulate.SimulatedRuns", "syllabus.live.Gathered",
    "syllabus.sweeps.StandardSweep", "syllabus.lab.Score", "syllabus.lab.Truth", "lessons.capstone.Prediction",
}
# The validation module is the checks themselves; tests/test_validation.py tests them.
SELF_TESTED = {"scaling_course.validation"}


def _record(name="params-text"):
    return shipped.reference_results(name, "ci")[0]


def _records(name="compute"):
    return shipped.reference_results(name, "ci")


def _model():
    return gpt.GPT(gpt.GPTConfig(d_model=16, n_head=2, n_layer=1))


def _text_config(**changes):
    return runs.RunConfig(task="text", width=16, depth=1, n_ctx=16, steps=2, batch_size=2, **changes)


def _enter(context_manager):
    with context_manager:
        pass


def _cli(argv):
    """The command line as a shell sees it: its exit status raised as SystemExit."""
    raise SystemExit(cli.main(argv))


LAW = reference.CHINCHILLA_EQ10
N, D, LOSS = [1e6, 1e7, 1e8], [1e8, 1e9, 1e10], [3.0, 2.5, 2.2]
N6, D6 = np.array([1e6, 1e7, 1e8] * 2), np.array([1e8, 1e9, 1e10, 1e9, 1e10, 1e11])
LOSS6 = laws.chinchilla_loss(N6, D6)

# (public callable, the call, the error it must raise, the argument its message must name)
CASES = [
    # --- self-checks (check() itself never raises: see QUIET_CASES)
    ("checks.registry.register", lambda: registry.register(5), TypeError, "name"),
    ("checks.registry.register", lambda: registry.register("nodot"), ValueError, "name"),
    ("checks.registry.progress", lambda: registry.progress("lesson-03"), ValueError, "lesson"),
    ("checks.registry.progress", lambda: registry.progress(3), TypeError, "lesson"),
    ("checks.registry.register_question", lambda: registry.register_question("welcome.q", ["a", "b"]), TypeError,
     "explanations"),
    ("checks.timing.time_limit", lambda: _enter(timing.time_limit("10")), TypeError, "seconds"),
    ("checks.timing.GradingTimeLimit", lambda: timing.GradingTimeLimit(cell_seconds=0), ValueError, "cell_seconds"),
    # --- the course on disk and the CLI
    ("course.benchmarks.run_benchmarks", lambda: benchmarks.run_benchmarks("gpt"), TypeError, "names"),
    ("course.benchmarks.run_benchmarks", lambda: benchmarks.run_benchmarks(["nope"]), ValueError, "names"),
    ("course.cli.main", lambda: cli.main("sweep params"), TypeError, "argv"),
    ("course.cli.main", lambda: _cli(["sweep", "nope"]), SystemExit, "name (the sweep) must be one of"),
    ("course.cli.main", lambda: _cli(["sweep", "params", "--workers", "0"]), SystemExit, "--workers"),
    ("course.cli.main", lambda: _cli(["run-notebooks", "--profile", "huge"]), SystemExit, "--profile"),
    ("course.release.student_release", lambda: release.student_release(5), TypeError, "out_dir"),
    ("course.release.student_release", lambda: release.student_release(ROOT), ValueError, "out_dir"),
    ("course.release.check_student_release", lambda: release.check_student_release("class.whl"), TypeError,
     "paths"),
    ("course.environment.check_environment", lambda: environment.check_environment(["numpy"]), TypeError,
     "required"),
    ("course.environment.check_environment", lambda: environment.check_environment({"numpy": 2}), TypeError,
     "required"),
    ("course.notebooks.course_root", lambda: notebooks.course_root(5), TypeError, "start"),
    ("course.notebooks.assignments", lambda: notebooks.assignments(5), TypeError, "root"),
    ("course.notebooks.notebook_path", lambda: notebooks.notebook_path(3), TypeError, "assignment"),
    ("course.notebooks.notebook_path", lambda: notebooks.notebook_path("99-nope"), ValueError, "assignment"),
    ("course.notebooks.notebook_path", lambda: notebooks.notebook_path("00-welcome", kind="answers"), ValueError,
     "kind"),
    ("course.notebooks.build_lessons", lambda: notebooks.build_lessons(only=["99-nope"]), ValueError, "only"),
    ("course.notebooks.model_answer", lambda: notebooks.model_answer(4), TypeError, "assignment"),
    ("course.notebooks.model_answer", lambda: notebooks.model_answer("01-polynomials"), ValueError, "assignment"),
    ("course.notebooks.build_lessons", lambda: notebooks.build_lessons(root=5), TypeError, "root"),
    ("course.notebooks.prepare_workspace", lambda: notebooks.prepare_workspace(root=5), TypeError, "root"),
    ("lessons.plots.layout_problems", lambda: plots.layout_problems("figure"), TypeError, "fig"),
    ("lessons.demo.floor_view", lambda: demo.floor_view("huge"), ValueError, "profile"),
    ("lessons.demo.isoflop_view", lambda: demo.isoflop_view(3), ValueError, "profile"),
    ("course.learner_lab.learner_environment", lambda: learner_lab.learner_environment("PATH=/bin"), TypeError,
     "env"),
    ("course.notebooks.run_notebook", lambda: notebooks.run_notebook("no/such.ipynb"), ValueError, "path"),
    ("course.notebooks.run_notebook", lambda: notebooks.run_notebook(
        ROOT / "solutions/00-welcome/00-welcome.ipynb", profile="huge"), ValueError, "profile"),
    ("course.notebooks.run_notebook", lambda: notebooks.run_notebook(
        ROOT / "solutions/00-welcome/00-welcome.ipynb", timeout=0), ValueError, "timeout"),
    # --- engine: cache, data, models, runs, sweeps, training
    ("engine.cache.RunCache", lambda: cache.RunCache(5), TypeError, "directory"),
    ("engine.cache.run_key", lambda: cache.run_key({"width": 8}), TypeError, "config"),
    ("engine.data.corpus.corpus_path", lambda: corpus.corpus_path("shakespeare"), ValueError, "name"),
    ("engine.data.corpus.load_corpus", lambda: corpus.load_corpus("shakespeare"), ValueError, "name"),
    ("engine.data.corpus.load_corpus", lambda: corpus.load_corpus(3), TypeError, "name"),
    ("engine.data.tasks.SparseParity", lambda: tasks.SparseParity(n_subtasks=0), ValueError, "n_subtasks"),
    ("engine.data.tasks.SparseParity", lambda: tasks.SparseParity(k=20, n_bits=16), ValueError, "k"),
    ("engine.data.tasks.SparseParity", lambda: tasks.SparseParity(alpha="big"), TypeError, "alpha"),
    ("engine.data.tasks.TeacherStudent", lambda: tasks.TeacherStudent(dim=0), ValueError, "dim"),
    ("engine.data.tasks.TeacherStudent", lambda: tasks.TeacherStudent(alpha=None), TypeError, "alpha"),
    ("engine.data.tasks.TextTask", lambda: tasks.TextTask(corpus="shakespeare"), ValueError, "corpus"),
    ("engine.data.tasks.TextTask", lambda: tasks.TextTask(n_ctx=0), ValueError, "n_ctx"),
    ("engine.data.tasks.TextTask", lambda: tasks.TextTask(eval_windows=1.5), TypeError, "eval_windows"),
    ("engine.models.gpt.GPTConfig", lambda: gpt.GPTConfig(d_model=0), ValueError, "d_model"),
    ("engine.models.gpt.GPTConfig", lambda: gpt.GPTConfig(d_model=65, n_head=4), ValueError, "d_model"),
    ("engine.models.gpt.GPTConfig", lambda: gpt.GPTConfig(n_layer="2"), TypeError, "n_layer"),
    ("engine.models.gpt.GPT", lambda: gpt.GPT("small"), TypeError, "config"),
    ("engine.models.gpt.GPT", lambda: gpt.GPT(gpt.GPTConfig(), n_models=0), ValueError, "n_models"),
    ("engine.models.gpt.GPT", lambda: gpt.GPT(gpt.GPTConfig(), n_models=2, seeds=[1]), ValueError, "seeds"),
    ("engine.models.gpt.n_params", lambda: gpt.n_params(mlp.MLPConfig()), TypeError, "config"),
    ("engine.models.gpt.flops_per_token", lambda: gpt.flops_per_token(None), TypeError, "config"),
    ("engine.models.gpt.matmul_flops_per_token", lambda: gpt.matmul_flops_per_token(64), TypeError, "config"),
    ("engine.models.mlp.MLPConfig", lambda: mlp.MLPConfig(width=-3), ValueError, "width"),
    ("engine.models.mlp.MLPConfig", lambda: mlp.MLPConfig(depth=1.5), TypeError, "depth"),
    ("engine.models.mlp.MLP", lambda: mlp.MLP(gpt.GPTConfig()), TypeError, "config"),
    ("engine.models.mlp.MLP", lambda: mlp.MLP(mlp.MLPConfig(), n_models=-1), ValueError, "n_models"),
    ("engine.models.mlp.n_params", lambda: mlp.n_params("wide"), TypeError, "config"),
    ("engine.models.mlp.flops_per_example", lambda: mlp.flops_per_example(None), TypeError, "config"),
    ("engine.models.mlp.matmul_flops_per_example", lambda: mlp.matmul_flops_per_example(8), TypeError, "config"),
    ("engine.runs.RunConfig", lambda: runs.RunConfig(lr="0.01"), TypeError, "lr"),
    ("engine.runs.RunConfig", lambda: runs.RunConfig(width=10**9), ValueError, "width"),
    ("engine.runs.RunConfig", lambda: runs.RunConfig(task="txt"), ValueError, "task"),
    ("engine.runs.RunConfig", lambda: runs.RunConfig(pretrain_steps=100), ValueError, "pretrain_steps"),
    ("engine.runs.RunConfig", lambda: runs.RunConfig(task="text", pretrain_steps=-1), ValueError, "pretrain_steps"),
    ("engine.runs.RunConfig", lambda: runs.RunConfig(steps=0), ValueError, "steps"),
    ("engine.runs.RunConfig", lambda: runs.RunConfig(warmup=1.5), ValueError, "warmup"),
    ("engine.runs.RunConfig", lambda: runs.RunConfig(seed="a"), TypeError, "seed"),
    ("engine.sweep.grid", lambda: sweep.grid(width=8), TypeError, "width"),
    ("engine.sweep.grid", lambda: sweep.grid(width=[]), ValueError, "width"),
    ("engine.sweep.grid", lambda: sweep.grid(height=[1, 2]), ValueError, "height"),
    ("engine.sweep.grid", lambda: sweep.grid(base={"width": 8}, seed=[0, 1]), TypeError, "base"),
    ("engine.sweep.run_sweep", lambda: sweep.run_sweep([]), ValueError, "configs"),
    ("engine.sweep.run_sweep", lambda: sweep.run_sweep([{"width": 8}]), TypeError, "configs"),
    ("engine.sweep.run_sweep", lambda: sweep.run_sweep([_text_config()], workers=-1), ValueError, "workers"),
    ("engine.train.train", lambda: train.train({"width": 8}), TypeError, "config"),
    ("engine.train.train", lambda: train.train(_text_config(), device="tpu"), ValueError, "device"),
    ("engine.train.train_model", lambda: train.train_model("config"), TypeError, "config"),
    ("engine.train.make_task", lambda: train.make_task(None), TypeError, "config"),
    ("engine.train.model_config", lambda: train.model_config(5), TypeError, "config"),
    ("engine.train.model_size", lambda: train.model_size("small"), TypeError, "config"),
    ("engine.train.run_flops", lambda: train.run_flops([]), TypeError, "config"),
    ("engine.train.learning_rate", lambda: train.learning_rate(_text_config(), -1), ValueError, "step"),
    ("engine.train.learning_rate", lambda: train.learning_rate("config", 1), TypeError, "config"),
    # --- lessons: plumbing the notebooks call
    ("lessons.plots.loss_curve", lambda: plots.loss_curve([1, 2]), TypeError, "record"),
    ("lessons.plots.loss_curve", lambda: plots.loss_curve(_record(), x="epochs"), ValueError, "x"),
    ("lessons.polynomials.polynomial_fit", lambda: poly_plots.polynomial_fit([0.1, 0.2], [1.0], [1.0]),
     ValueError, "y_train"),
    ("lessons.polynomials.polynomial_fit", lambda: poly_plots.polynomial_fit("x", [1.0], [1.0]), TypeError,
     "x_train"),
    ("lessons.polynomials.error_vs_degree", lambda: poly_plots.error_vs_degree([1, 2], [0.1], [0.2, 0.3]),
     ValueError, "train_mse"),
    ("lessons.polynomials.double_descent", lambda: poly_plots.double_descent([1, 2], [0.1, 0.2], 0),
     ValueError, "n_train"),
    ("lessons.polynomials.double_descent", lambda: poly_plots.double_descent([1, 2], [0.1], 10), ValueError,
     "test_mse"),
    ("lessons.polynomials.PolynomialExplorer", lambda: poly_plots.PolynomialExplorer(fit="polyfit"), TypeError,
     "fit"),
    ("lessons.polynomials.PolynomialExplorer", lambda: poly_plots.PolynomialExplorer(max_degree=-1), ValueError,
     "max_degree"),
    ("lessons.polynomials.polynomial_explorer", lambda: poly_plots.polynomial_explorer(fit=3), TypeError, "fit"),
    ("lessons.fitting_laws.grid_columns", lambda: fitting_laws.grid_columns("runs"), TypeError, "records"),
    ("lessons.fitting_laws.split_held_out", lambda: fitting_laws.split_held_out(_records("grid") + _records("grid")[-1:]),
     ValueError,
     "records"),
    ("lessons.fitting_laws.split_held_out", lambda: fitting_laws.split_held_out(_records("grid"), ["live"]),
     ValueError, "records"),
    ("lessons.fitting_laws.earlier_sweeps", lambda: fitting_laws.earlier_sweeps("huge"), ValueError, "profile"),
    ("lessons.fitting_laws.surface_plot", lambda: fitting_laws.surface_plot(_records("grid"), marks=[1]), TypeError,
     "marks"),
    ("lessons.fitting_laws.pitfalls", lambda: fitting_laws.pitfalls(seed=-1), ValueError, "seed"),
    ("lessons.fitting_laws.pitfalls", lambda: fitting_laws.pitfalls(profile="huge"), ValueError, "profile"),
    ("lessons.fitting_laws.pitfalls_plot", lambda: fitting_laws.pitfalls_plot([1, 2]), TypeError, "table"),
    ("lessons.fitting_laws.verify_run", lambda: fitting_laws.verify_run("ci", progress="yes"), TypeError, "progress"),
    ("lessons.fitting_laws.verify_run", lambda: fitting_laws.verify_run("huge"), ValueError, "profile"),
    ("lessons.fitting_laws.prediction_plot", lambda: fitting_laws.prediction_plot(
        _records("grid"), "law", _record("grid"), (1.0, 2.0)), TypeError, "fit"),
    ("lessons.fitting_laws.prediction_plot", lambda: fitting_laws.prediction_plot(
        _records("grid"), fit.fit_chinchilla(*fitting_laws.grid_columns(_records("grid")), starts=[[3, 3, 0, .4, .2]],
                                             warn=False), _record("grid"), (1.0, "high")), TypeError, "interval"),
    ("lessons.fitting_laws.allocation_plot", lambda: fitting_laws.allocation_plot(0.5, "low", 0.6), TypeError, "low"),
    ("lessons.fitting_laws.extrapolation_table", lambda: fitting_laws.extrapolation_table(None, None, 1e12),
     TypeError, "boot"),
    ("lessons.fitting_laws.extrapolation_plot", lambda: fitting_laws.extrapolation_plot({"loss": [1]}), TypeError,
     "table"),
    ("lessons.scaling_compute.n_params", lambda: scaling_compute.n_params("run"), TypeError, "record"),
    ("science.laws.compute_to_reach", lambda: laws.compute_to_reach(-1.0), ValueError, "target_loss"),
    ("science.laws.compute_to_reach", lambda: laws.compute_to_reach(2.0, law=5), TypeError, "law"),
    ("science.laws.compute_optimal_loss_exponent", lambda: laws.compute_optimal_loss_exponent("eq10"), TypeError,
     "law"),
    ("engine.scores.exact_match_rate", lambda: scores.exact_match_rate([[1, 0]], 1), ValueError, "correct"),
    ("engine.scores.exact_match_rate", lambda: scores.exact_match_rate(np.ones((2, 3), bool), 5), ValueError, "k"),
    ("engine.scores.span_scores", lambda: scores.span_scores(np.ones((2, 3), bool), 2, np.ones((2, 2), bool)),
     ValueError, "starts"),
    ("engine.scores.word_starts", lambda: scores.word_starts(np.ones((2, 3)), np.ones((2, 3)), " "), TypeError,
     "whitespace"),
    ("lessons.scale_limits.EnergyMeter", lambda: scale_limits.EnergyMeter(watts=-1), ValueError, "watts"),
    ("lessons.scale_limits.own_laws", lambda: scale_limits.own_laws("huge"), ValueError, "profile"),
    ("lessons.scale_limits.returns_table", lambda: scale_limits.returns_table([1]), TypeError, "laws"),
    ("lessons.scale_limits.returns_table", lambda: scale_limits.returns_table({"06": 1}), TypeError, "laws"),
    ("lessons.scale_limits.returns_plot", lambda: scale_limits.returns_plot("table"), TypeError, "table"),
    ("lessons.scale_limits.loss_steps_table", lambda: scale_limits.loss_steps_table(5, {}, {}), TypeError,
     "compute_to_reach"),
    ("lessons.scale_limits.loss_steps_table", lambda: scale_limits.loss_steps_table(
        laws.compute_to_reach, {"a": reference.CHINCHILLA_EQ10}, {"b": [2.0]}), ValueError, "targets"),
    ("lessons.scale_limits.famous_costs", lambda: scale_limits.famous_costs(3), TypeError, "training_energy"),
    ("lessons.scale_limits.own_costs", lambda: scale_limits.own_costs(_records("params-text")[:1], ["cached"]),
     ValueError, "sources"),
    ("lessons.scale_limits.own_costs", lambda: scale_limits.own_costs(_records("params-text")[:1], ["live"],
                                                                       watts_per_core=0), ValueError, "watts_per_core"),
    ("lessons.scale_limits.cost_plot", lambda: scale_limits.cost_plot([1], laws.compute_to_reach, max), TypeError,
     "own"),
    ("lessons.scale_limits.emergence_frame", lambda: scale_limits.emergence_frame(_records("params-text"), 0),
     ValueError, "k"),
    ("lessons.scale_limits.emergence_frame", lambda: scale_limits.emergence_frame(_records("compute"), 2),
     ValueError, "records"),
    ("lessons.scale_limits.jump_share", lambda: scale_limits.jump_share([1, 2], [1, 2]), ValueError, "n_params"),
    ("lessons.scale_limits.emergence_plot", lambda: scale_limits.emergence_plot(["run"], 3), TypeError, "records"),
    ("lessons.scale_limits.emergence_explorer", lambda: scale_limits.emergence_explorer(_records("params-text"), 99),
     ValueError, "k"),
    ("lessons.scale_limits.toy_emergence", lambda: scale_limits.toy_emergence(max, ks=(0,)), ValueError, "ks"),
    ("lessons.scale_limits.toy_emergence_plot", lambda: scale_limits.toy_emergence_plot(5), TypeError, "toy"),
    ("lessons.scale_limits.in_context_frame", lambda: scale_limits.in_context_frame(_records("params-text"), "f"),
     TypeError, "in_context_gain"),
    ("lessons.scale_limits.in_context_trend", lambda: scale_limits.in_context_trend(
        scale_limits.in_context_frame(_records("params-text"), lambda loss: 0.1), n_resamples=0), ValueError,
     "n_resamples"),
    ("lessons.scale_limits.position_loss_plot", lambda: scale_limits.position_loss_plot(_records("grid")),
     ValueError, "records"),
    ("lessons.scale_limits.team_table", lambda: scale_limits.team_table(_records("params-text"),
                                                                         _records("specialists")), ValueError,
     "generalists"),
    ("lessons.scale_limits.team_table", lambda: scale_limits.team_table("runs", []), TypeError, "generalists"),
    ("lessons.scale_limits.team_plot", lambda: scale_limits.team_plot([1]), TypeError, "table"),
    ("syllabus.sweeps.team_width", lambda: sweeps.team_width("params"), TypeError, "generalist"),
    ("lessons.scale_limits.transfer_table", lambda: scale_limits.transfer_table(_records("params-text")), ValueError,
     "records"),
    ("lessons.scale_limits.scratch_tokens_to_match", lambda: scale_limits.scratch_tokens_to_match([1]), TypeError,
     "table"),
    ("lessons.scale_limits.transfer_plot", lambda: scale_limits.transfer_plot("runs"), TypeError, "table"),
    ("lessons.scale_limits.data_limits_table", lambda: scale_limits.data_limits_table(None), TypeError,
     "years_to_exhaust"),
    ("course.notebooks.model_answer", lambda: notebooks.model_answer("07-scale-limits", question=3), TypeError,
     "question"),
    ("syllabus.sweeps.game_flops", lambda: sweeps.game_flops({"width": 16}), TypeError, "config"),
    ("syllabus.lab.Lab", lambda: capstone.Lab("huge"), ValueError, "profile"),
    ("syllabus.lab.Lab", lambda: capstone.Lab("ci", budget=-1.0), ValueError, "budget"),
    ("syllabus.lab.Lab", lambda: capstone.Lab("ci", live="yes"), TypeError, "live"),
    ("syllabus.lab.Lab", lambda: capstone.Lab("ci", progress=None), TypeError, "progress"),
    ("syllabus.lab.Lab", lambda: capstone.Lab("ci", progress=False).train(width=40, steps=945), ValueError, "width"),
    ("syllabus.lab.Lab", lambda: capstone.Lab("ci", progress=False).train(width=16, steps=100), ValueError, "steps"),
    ("syllabus.lab.PracticeLab", lambda: capstone.PracticeLab(noise=-0.1), ValueError, "noise"),
    ("syllabus.lab.practice_lab", lambda: capstone.practice_lab(seed="x"), TypeError, "seed"),
    ("syllabus.lab.score_prediction", lambda: capstone.score_prediction(-1.0, 1.3), ValueError, "N_opt"),
    ("syllabus.lab.score_prediction", lambda: capstone.score_prediction(1e5, 1.3, answer=(0, 1)), ValueError,
     "answer"),
    ("lessons.capstone.expert_plan", lambda: capstone.expert_plan("lab"), TypeError, "lab"),
    ("lessons.capstone.expert_predict", lambda: capstone.expert_predict([1, 2]), TypeError, "history"),
    ("lessons.capstone.expert_predict", lambda: capstone.expert_predict(pd.DataFrame({"N": [1.0]})), ValueError,
     "history"),
    ("lessons.capstone.bootstrap_prediction", lambda: capstone.bootstrap_prediction(5, pd.DataFrame()), TypeError,
     "predict"),
    ("lessons.capstone.bootstrap_prediction", lambda: capstone.bootstrap_prediction(
        capstone.expert_predict, capstone.Lab("ci", progress=False).history, n_resamples=0), ValueError, "n_resamples"),
    ("lessons.capstone.leave_one_out", lambda: capstone.leave_one_out(capstone.expert_predict, "history"), TypeError,
     "history"),
    ("lessons.capstone.practice", lambda: capstone.practice(1, capstone.expert_predict), TypeError, "plan"),
    ("lessons.capstone.purchases_plot", lambda: capstone.purchases_plot("lab"), TypeError, "lab"),
    ("lessons.capstone.reveal_plot", lambda: capstone.reveal_plot("truth", {}), TypeError, "target"),
    ("lessons.capstone.reveal_plot", lambda: capstone.reveal_plot(capstone.truth(), {"you": (1, 2)}), TypeError,
     "predictions"),
    ("lessons.scaling_compute.budgets", lambda: scaling_compute.budgets([]), ValueError, "records"),
    ("lessons.scaling_compute.budgets", lambda: scaling_compute.budgets(_records(), decimals=-1), ValueError,
     "decimals"),
    ("lessons.scaling_compute.bracketed", lambda: scaling_compute.bracketed(["run"]), TypeError, "runs"),
    ("lessons.scaling_compute.allocation_exponents", lambda: scaling_compute.allocation_exponents([], None),
     TypeError, "groups"),
    ("lessons.scaling_compute.allocation_exponents", lambda: scaling_compute.allocation_exponents(
        scaling_compute.budgets(_records()), fit.isoflop_minimum, n_resamples=0), ValueError, "n_resamples"),
    ("lessons.scaling_compute.curve", lambda: scaling_compute.curve(None), TypeError, "record"),
    ("lessons.scaling_compute.loss_at_flops", lambda: scaling_compute.loss_at_flops(_record(), -1.0), ValueError,
     "C"),
    ("lessons.scaling_compute.loss_at_flops", lambda: scaling_compute.loss_at_flops("run", 1e9), TypeError,
     "record"),
    ("lessons.scaling_compute.frontier", lambda: scaling_compute.frontier(_records(), points=1), ValueError,
     "points"),
    ("lessons.scaling_compute.frontier", lambda: scaling_compute.frontier("runs"), TypeError, "records"),
    ("lessons.scaling_compute.isoflop_slice", lambda: scaling_compute.isoflop_slice(_records(), 0.0), ValueError,
     "C"),
    ("lessons.scaling_compute.curves_plot", lambda: scaling_compute.curves_plot([1.0]), TypeError, "records"),
    ("lessons.scaling_compute.isoflop_plot", lambda: scaling_compute.isoflop_plot([1.0]), TypeError, "groups"),
    ("lessons.scaling_compute.IsoFLOPExplorer", lambda: scaling_compute.IsoFLOPExplorer([]), ValueError,
     "records"),
    ("lessons.scaling_compute.IsoFLOPExplorer", lambda: scaling_compute.IsoFLOPExplorer(_records(), steps=1),
     ValueError, "steps"),
    ("lessons.scaling_compute.isoflop_explorer", lambda: scaling_compute.isoflop_explorer("runs"), TypeError,
     "records"),
    ("lessons.scaling_data.epochs", lambda: scaling_data.epochs({"tokens": [1]}), TypeError, "record"),
    ("lessons.scaling_data.early_stopped_tokens", lambda: scaling_data.early_stopped_tokens(3), TypeError,
     "record"),
    ("lessons.scaling_data.fit_repetition_constant", lambda: scaling_data.fit_repetition_constant(
        [2e6, 4e6], [1e6, 1e6], [1.5e6, 2e6], bounds=(5.0, 1.0)), ValueError, "bounds"),
    ("lessons.scaling_data.fit_repetition_constant", lambda: scaling_data.fit_repetition_constant(
        [2e6, 4e6], [1e6], [1.5e6, 2e6]), ValueError, "unique_tokens"),
    ("lessons.scaling_data.muennighoff_worth", lambda: scaling_data.muennighoff_worth("many", 1e6), TypeError,
     "tokens"),
    ("lessons.scaling_data.muennighoff_worth", lambda: scaling_data.muennighoff_worth(1e6, 2e6), ValueError,
     "tokens"),
    ("lessons.scaling_data.muennighoff_worth", lambda: scaling_data.muennighoff_worth(2e6, 1e6, R_D_star=0),
     ValueError, "R_D_star"),
    ("lessons.scaling_data.train_and_val_curves", lambda: scaling_data.train_and_val_curves([None]), TypeError,
     "records"),
    ("lessons.scaling_data.data_law_plot", lambda: scaling_data.data_law_plot([1e5, 1e6], [2.0], [2.1, 2.0]),
     ValueError, "min_loss"),
    ("lessons.scaling_data.data_law_plot", lambda: scaling_data.data_law_plot([-1e5, 1e6], [2.0, 1.9],
                                                                              [2.1, 2.0]), ValueError,
     "unique_tokens"),
    ("lessons.scaling_data.worth_plot", lambda: scaling_data.worth_plot([1.0, 2.0], [0.9]), ValueError,
     "measured_worth"),
    ("lessons.scaling_parameters.mean_loss_by_size", lambda: scaling_parameters.mean_loss_by_size([1.0]),
     TypeError, "records"),
    ("lessons.scaling_parameters.live_by_size", lambda: scaling_parameters.live_by_size([_record()], []),
     ValueError, "sources"),
    ("lessons.scaling_parameters.live_by_size", lambda: scaling_parameters.live_by_size(["run"], ["live"]),
     TypeError, "records"),
    ("lessons.scaling_parameters.size_table", lambda: scaling_parameters.size_table([_record()], ["cached"]),
     ValueError, "sources"),
    ("lessons.scaling_parameters.loss_vs_params", lambda: scaling_parameters.loss_vs_params([1e3, 1e4], [2.0]),
     ValueError, "loss"),
    ("lessons.scaling_parameters.loss_vs_params", lambda: scaling_parameters.loss_vs_params(
        [1e3, 1e4], [2.0, 1.9], extend=0.5), ValueError, "extend"),
    ("lessons.scaling_parameters.fit_with_floor", lambda: scaling_parameters.fit_with_floor(
        [1e3, 1e4, 1e5], [2.0, 1.9, 1.8], E=-1.0), ValueError, "E"),
    ("lessons.scaling_parameters.fit_with_floor", lambda: scaling_parameters.fit_with_floor(
        [1e3, 1e4, 1e5], [2.0, 1.9, 1.8], E=1.9), ValueError, "E"),
    ("lessons.scaling_parameters.FloorExplorer", lambda: scaling_parameters.FloorExplorer([1e3, 1e4], [2.0]),
     ValueError, "loss"),
    ("lessons.scaling_parameters.FloorExplorer", lambda: scaling_parameters.FloorExplorer(
        [1e3, 1e4, 1e5], [2.0, 1.9, 1.8], extend=0), ValueError, "extend"),
    ("lessons.tiny_models.train_language_model", lambda: tiny_models.train_language_model("gpt"), TypeError,
     "config"),
    ("lessons.tiny_models.train_language_model", lambda: tiny_models.train_language_model(
        runs.RunConfig(task="sparse_parity")), ValueError, "config"),
    ("lessons.tiny_models.next_char_probabilities", lambda: tiny_models.next_char_probabilities(_model(), ""),
     ValueError, "prompt"),
    ("lessons.tiny_models.next_char_probabilities", lambda: tiny_models.next_char_probabilities("model", "a"),
     TypeError, "model"),
    ("lessons.tiny_models.sample_text", lambda: tiny_models.sample_text(_model(), "def ", temperature=-1),
     ValueError, "temperature"),
    ("lessons.tiny_models.sample_text", lambda: tiny_models.sample_text(_model(), "def ", n_chars=-5),
     ValueError, "n_chars"),
    ("lessons.tiny_models.sample_text", lambda: tiny_models.sample_text(_model(), "\u00e9t\u00e9"), ValueError,
     "prompt"),
    ("lessons.tiny_models.SamplingExplorer", lambda: tiny_models.SamplingExplorer(_model(), n_chars=0),
     ValueError, "n_chars"),
    ("lessons.welcome.famous_models_chart", lambda: welcome.famous_models_chart(["GPT-3"]), TypeError, "models"),
    ("lessons.welcome.famous_models_chart", lambda: welcome.famous_models_chart(
        reference.famous_models(), flop_lines=(-1.0,)), ValueError, "flop_lines"),
    # --- science: fits
    ("science.fit.bootstrap.bootstrap", lambda: fit.bootstrap(fit.fit_power_law), ValueError, "columns"),
    ("science.fit.bootstrap.bootstrap", lambda: fit.bootstrap("fit", N, LOSS), TypeError, "fit_function"),
    ("science.fit.bootstrap.bootstrap", lambda: fit.bootstrap(fit.fit_power_law, N, LOSS, seed="abc"), TypeError,
     "seed"),
    ("science.fit.bootstrap.bootstrap", lambda: fit.bootstrap(fit.fit_power_law, N, LOSS, fraction=0), ValueError,
     "fraction"),
    ("science.fit.broken_power_law.fit_broken_power_law", lambda: fit.fit_broken_power_law(N, LOSS, n_breaks=-1),
     ValueError, "n_breaks"),
    ("science.fit.broken_power_law.fit_broken_power_law", lambda: fit.fit_broken_power_law(N, LOSS[:2]),
     ValueError, "y"),
    ("science.fit.chinchilla.fit_chinchilla", lambda: fit.fit_chinchilla(N, D, [3.0, -1.0, 2.0]), ValueError,
     "loss"),
    ("science.fit.chinchilla.fit_chinchilla", lambda: fit.fit_chinchilla(N6, D6, LOSS6, delta=0), ValueError,
     "delta"),
    ("science.fit.chinchilla.fit_chinchilla", lambda: fit.fit_chinchilla(N6, D6, LOSS6, method="adam"), ValueError,
     "method"),
    ("science.fit.chinchilla.chinchilla_start_grid", lambda: fit.chinchilla_start_grid(coarse="yes"), TypeError,
     "coarse"),
    ("science.fit.data_constrained.fit_data_constrained", lambda: fit.fit_data_constrained(
        N, D, [1e8, 1e8], LOSS, base=reference.MUENNIGHOFF), ValueError, "unique_tokens"),
    ("science.fit.data_constrained.fit_data_constrained", lambda: fit.fit_data_constrained(
        N, D, D, LOSS, base="muennighoff"), TypeError, "base"),
    ("science.fit.extrapolate.estimate", lambda: fit.estimate(fit.fit_power_law(
        [1e3, 1e4, 1e5, 1e6], [3.0, 2.5, 2.2, 2.05]), "gamma"), ValueError, "quantity"),
    ("science.fit.extrapolate.estimate", lambda: fit.estimate(fit.fit_power_law(
        [1e3, 1e4, 1e5, 1e6], [3.0, 2.5, 2.2, 2.05]), "alpha", level=1.5), ValueError, "level"),
    ("science.fit.extrapolate.forecast", lambda: fit.forecast(fit.fit_power_law(
        [1e3, 1e4, 1e5, 1e6], [3.0, 2.5, 2.2, 2.05]), -1e7), ValueError, "inputs"),
    ("science.fit.extrapolate.forecast", lambda: fit.forecast("fit", 1e7), TypeError, "fit"),
    ("science.fit.extrapolate.forecast_budget", lambda: fit.forecast_budget(LAW, 0.0), ValueError, "C"),
    ("science.fit.extrapolate.score_held_out", lambda: fit.score_held_out(2.0, "2.1", 2.2), TypeError, "actual"),
    ("science.fit.extrapolate.score_held_out", lambda: fit.score_held_out(2.0, 2.1, math.nan), ValueError,
     "baseline"),
    ("science.fit.huber.huber", lambda: fit.huber([0.1, 0.2], delta=-1), ValueError, "delta"),
    ("science.fit.huber.huber", lambda: fit.huber("residuals"), TypeError, "residuals"),
    ("science.fit.isoflop.isoflop_minimum", lambda: fit.isoflop_minimum(N, LOSS, C=-1e19), ValueError, "C"),
    ("science.fit.isoflop.isoflop_minimum", lambda: fit.isoflop_minimum(N, LOSS[:2], C=1e19), ValueError, "loss"),
    ("science.fit.isoflop.fit_isoflop", lambda: fit.fit_isoflop(N, D, LOSS, budget_decimals=-1), ValueError,
     "budget_decimals"),
    ("science.fit.isoflop.fit_allocation", lambda: fit.fit_allocation([1e18, 1e19], [1e6, 0.0]), ValueError,
     "N_opt"),
    ("science.fit.objective.HuberLogObjective", lambda: fit.HuberLogObjective(
        np.log([N, D]).T, np.log(LOSS), reduction="median"), ValueError, "reduction"),
    ("science.fit.objective.HuberLogObjective", lambda: fit.HuberLogObjective(
        np.log([N, D]).T, np.log(LOSS[:2])), ValueError, "log_loss"),
    ("science.fit.objective.log_sum_exp_prediction", lambda: fit.log_sum_exp_prediction(
        [1.0, 2.0], np.log([N, D]).T), ValueError, "theta"),
    ("science.fit.power_law.fit_power_law", lambda: fit.fit_power_law(N, [2.0, 2.0, 2.0]), ValueError, "y"),
    ("science.fit.power_law.fit_power_law", lambda: fit.fit_power_law(N, LOSS, irreducible="yes"), TypeError,
     "irreducible"),
    ("science.fit.power_law.fit_power_law_to_means", lambda: fit.fit_power_law_to_means(N, LOSS[:2]), ValueError,
     "y"),
    ("science.fit.power_law.means_by_x", lambda: fit.means_by_x(N, "loss"), TypeError, "y"),
    ("science.fit.quantization.fit_quantization_law", lambda: fit.fit_quantization_law(
        [8, 16, 32], [0.5, 0.4, 0.3], n_subtasks=0), ValueError, "n_subtasks"),
    ("science.fit.quantization.fit_quantization_law", lambda: fit.fit_quantization_law(
        [8, 16, 32], [0.5, 0.4, 0.3], n_subtasks=64, alpha=-0.4), ValueError, "alpha"),
    # --- science: laws
    ("science.laws.check_law", lambda: laws.check_law({"E": 1.7}), TypeError, "law"),
    ("science.laws.training_compute", lambda: laws.training_compute(-1e9, 1e10), ValueError, "n_params"),
    ("science.laws.tokens_per_parameter", lambda: laws.tokens_per_parameter(1e9, "many"), TypeError, "n_tokens"),
    ("science.laws.kaplan_loss_from_parameters", lambda: laws.kaplan_loss_from_parameters(0.0), ValueError, "N"),
    ("science.laws.kaplan_loss_from_data", lambda: laws.kaplan_loss_from_data(1e9, alpha_D=-0.1), ValueError,
     "alpha_D"),
    ("science.laws.kaplan_loss_from_compute", lambda: laws.kaplan_loss_from_compute(math.inf), ValueError,
     "C_min_pf_days"),
    ("science.laws.kaplan_loss_from_parameters_and_data", lambda: laws.kaplan_loss_from_parameters_and_data(
        1e9, -1.0), ValueError, "D"),
    ("science.laws.chinchilla_loss", lambda: laws.chinchilla_loss(1e9, 2e10, law="chinchilla"), TypeError, "law"),
    ("science.laws.chinchilla_loss", lambda: laws.chinchilla_loss([1e9, -1.0], 2e10), ValueError, "N"),
    ("science.laws.allocation_exponents", lambda: laws.allocation_exponents({"alpha": 0.3}), TypeError, "law"),
    ("science.laws.compute_optimal_allocation", lambda: laws.compute_optimal_allocation(-1e21), ValueError, "C"),
    ("science.laws.effective_data", lambda: laws.effective_data(1e9, 1e8, R_D_star=0), ValueError, "R_D_star"),
    ("science.laws.effective_data", lambda: laws.effective_data(1e8, "many"), TypeError, "unique_tokens"),
    ("science.laws.effective_parameters", lambda: laws.effective_parameters(1e9, 1e8, R_N_star="5"), TypeError,
     "R_N_star"),
    ("science.laws.data_constrained_loss", lambda: laws.data_constrained_loss(1e9, 1e10, 0.0), ValueError,
     "unique_tokens"),
    ("science.laws.broken_power_law", lambda: laws.broken_power_law([1.0, 2.0], 1.0, 1.0, 0.5, c=(1.0,)),
     ValueError, "d"),
    ("science.laws.zipf_frequencies", lambda: laws.zipf_frequencies(0, 0.4), ValueError, "n_subtasks"),
    ("science.laws.unlearned_fraction", lambda: laws.unlearned_fraction(-1, 64, 0.4), ValueError, "n_learned"),
    # --- science: polynomials (lesson 01)
    ("science.polynomials.target_function", lambda: polynomials.target_function("x"), TypeError, "x"),
    ("science.polynomials.sample_data", lambda: polynomials.sample_data(0), ValueError, "n_samples"),
    ("science.polynomials.sample_data", lambda: polynomials.sample_data(10, noise=-0.1), ValueError, "noise"),
    ("science.polynomials.design_matrix", lambda: polynomials.design_matrix([0.1, 0.2], -1), ValueError, "degree"),
    ("science.polynomials.design_matrix", lambda: polynomials.design_matrix([[0.1]], 2), ValueError, "x"),
    ("science.polynomials.fit_polynomial", lambda: polynomials.fit_polynomial([0.1, 0.2], [1.0], 1), ValueError,
     "y"),
    ("science.polynomials.predict", lambda: polynomials.predict([], [0.1]), ValueError, "coef"),
    ("science.polynomials.mean_squared_error", lambda: polynomials.mean_squared_error([1.0], [1.0, 2.0]),
     ValueError, "y_pred"),
    ("science.polynomials.errors_by_degree", lambda: polynomials.errors_by_degree(
        [0.1, 0.2], [1.0, 2.0], [0.3], [1.5], [1], fit="fit"), TypeError, "fit"),
    ("science.polynomials.errors_by_degree", lambda: polynomials.errors_by_degree(
        [0.1, 0.2], [1.0, 2.0], [0.3], [1.5], [-1]), ValueError, "degrees"),
    ("science.polynomials.legendre_features", lambda: polynomials.legendre_features([0.1], 3, scaling="none"),
     ValueError, "scaling"),
    ("science.polynomials.legendre_features", lambda: polynomials.legendre_features([0.1], 0), ValueError,
     "n_features"),
    ("science.polynomials.min_norm_test_error", lambda: polynomials.min_norm_test_error(0, 10), ValueError,
     "n_train"),
    ("science.polynomials.double_descent_curve", lambda: polynomials.double_descent_curve(10, [5], repeats=0),
     ValueError, "repeats"),
    ("science.polynomials.feature_count_grid", lambda: polynomials.feature_count_grid(10, 5, 20), ValueError,
     "max_features"),
    # --- science: published figures and the simulator
    ("science.reference.famous_model", lambda: reference.famous_model("GPT-7"), ValueError, "name"),
    ("science.reference.format_famous_models", lambda: reference.format_famous_models(["GPT-3"]), TypeError,
     "models"),
    ("science.reference.near_chinchilla", lambda: reference.near_chinchilla(reference.famous_models(), factor=0.5),
     ValueError, "factor"),
    ("science.reference.ParametricLaw", lambda: reference.ParametricLaw(1.7, 400, 410, -0.3, 0.3, "mine"),
     ValueError, "alpha"),
    ("science.reference.ParametricLaw", lambda: reference.ParametricLaw("1.7", 400, 410, 0.3, 0.3, "mine"),
     TypeError, "E"),
    ("science.reference.DataConstrainedLaw", lambda: reference.DataConstrainedLaw(
        1.9, 500, 2000, 0.35, 0.35, R_D_star=0.0, R_N_star=5.0, source="mine"), ValueError, "R_D_star"),
    ("science.simulate.add_noise", lambda: simulate.add_noise(LOSS, noise=-0.1), ValueError, "noise"),
    ("science.simulate.add_noise", lambda: simulate.add_noise(LOSS, outlier_fraction=2.0), ValueError,
     "outlier_fraction"),
    ("science.simulate.simulate_losses", lambda: simulate.simulate_losses(N, D[:2]), ValueError, "D"),
    ("science.simulate.random_chinchilla_law", lambda: simulate.random_chinchilla_law(typical_N=-1.0), ValueError,
     "typical_N"),
    ("science.simulate.isoflop_design", lambda: simulate.isoflop_design([1e18], [1e6], models_per_budget=0),
     ValueError, "models_per_budget"),
    ("science.simulate.isoflop_design", lambda: simulate.isoflop_design([1e18, 1e19], [1e6, 1e7, 1e8]), ValueError,
     "centers"),
    ("science.simulate.simulate_chinchilla_runs", lambda: simulate.simulate_chinchilla_runs(law="chinchilla"),
     TypeError, "law"),
    ("science.simulate.FlopBudget", lambda: simulate.FlopBudget(total=-1.0), ValueError, "total"),
    ("science.simulate.SimulatedLab", lambda: simulate.SimulatedLab(0.0), ValueError, "budget_flops"),
    ("science.simulate.SimulatedLab", lambda: simulate.SimulatedLab(1e20, noise="low"), TypeError, "noise"),
    # --- syllabus: profiles, standard sweeps, shipped results, tables
    ("syllabus.live.gather", lambda: live.gather("paramz", "ci"), ValueError, "name"),
    ("syllabus.live.time_estimate", lambda: live.time_estimate("params", "ci", []), TypeError, "profile"),
    ("syllabus.live.time_estimate", lambda: live.time_estimate("params", get_profile("ci"), []), ValueError,
     "configs"),
    ("syllabus.live.gather", lambda: live.gather("params", "ci", workers=0), ValueError, "workers"),
    ("syllabus.profiles.get_profile", lambda: profiles.get_profile("huge"), ValueError, "profile"),
    ("syllabus.profiles.get_profile", lambda: get_profile(3), TypeError, "profile"),
    ("syllabus.profiles.profile_named", lambda: profiles.profile_named("huge"), ValueError, "profile"),
    ("syllabus.profiles.as_profile", lambda: profiles.as_profile(3.5), TypeError, "profile"),
    ("syllabus.profiles.Profile", lambda: profiles.Profile("mine", repeats=0), ValueError, "repeats"),
    ("syllabus.profiles.Profile", lambda: profiles.Profile("mine", lm_steps="many"), TypeError, "lm_steps"),
    ("syllabus.shipped.reference_path", lambda: shipped.reference_path("nope", "ci"), ValueError, "name"),
    ("syllabus.shipped.reference_results", lambda: shipped.reference_results("params", "huge"), ValueError,
     "profile"),
    ("syllabus.shipped.save_reference", lambda: shipped.save_reference("params", "ci", []), ValueError,
     "records"),
    ("syllabus.shipped.regenerate_reference", lambda: shipped.regenerate_reference("nope", "ci"), ValueError,
     "name"),
    ("syllabus.sweeps.grid_verify_config", lambda: sweeps.grid_verify_config("huge"), ValueError, "profile"),
    ("syllabus.sweeps.standard", lambda: sweeps.standard("everything"), ValueError, "name"),
    ("syllabus.sweeps.standard_sweep", lambda: sweeps.standard_sweep("params", profile="huge"), ValueError,
     "profile"),
    ("syllabus.sweeps.run_standard_sweep", lambda: sweeps.run_standard_sweep("params", "ci", workers=0),
     ValueError, "workers"),
    ("syllabus.tables.summary_rows", lambda: tables.summary_rows([{"loss": 2.0}]), TypeError, "records"),
    ("syllabus.tables.print_sweep", lambda: tables.print_sweep("runs"), TypeError, "records"),
    ("syllabus.tables.runs_frame", lambda: tables.runs_frame([_record()], ["cached"]), ValueError, "sources"),
    ("syllabus.tables.runs_frame", lambda: tables.runs_frame([_record()], ["live", "live"]), ValueError, "sources"),
    ("syllabus.tables.write_csv", lambda: tables.write_csv([], os.devnull), ValueError, "records"),
]


# check() runs in a learner's notebook and never raises: it refuses a bad name by returning a failed result and
# printing what is wrong. (public callable, the call, what the printed message must say)
QUIET_CASES = [
    ("checks.registry.check", lambda: check(3, 1.0), "no self-check called 3"),
    ("checks.registry.check", lambda: check("welcome.nope", 1.0), "no self-check called 'welcome.nope'"),
    ("checks.registry.check", lambda: check(None, 1.0), "no self-check called None"),
]


@pytest.mark.parametrize("target, call, message", QUIET_CASES)
def test_check_refuses_a_bad_name_without_raising(target, call, message, capsys):
    result = call()
    printed = capsys.readouterr().out
    assert not result and message in printed and "Known checks:" in printed


def _case_id(case) -> str:
    return f"{case[0]}-{case[3]}"


@pytest.mark.parametrize("target, call, error, argument", CASES, ids=[_case_id(c) for c in CASES])
def test_bad_input_is_refused_naming_the_argument(target, call, error, argument, capsys):
    with pytest.raises(error) as raised:
        call()
    if error is SystemExit:        # the command line: exit status 2 and the argument named on stderr
        assert raised.value.code == 2
        assert argument in capsys.readouterr().err
        return
    message = str(raised.value)
    assert re.search(rf"(^|[\s.(\['\"]){re.escape(argument)}\b", message), \
        f"{target}: the message should name {argument!r}: {message}"
    assert STYLE.match(message), f"{target}: the message should say what is allowed and what it got: {message}"


def test_there_are_enough_bad_input_cases():
    assert len(CASES) + len(QUIET_CASES) >= 130


def _modules():
    for info in pkgutil.walk_packages(scaling_course.__path__, "scaling_course."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            yield info, importlib.import_module(info.name)


def _public_callables():
    """(defining module.name, object) for every function and class in an ``__all__``, re-exports counted once."""
    seen = {}
    for _, module in _modules():
        if module.__name__ in SELF_TESTED:
            continue
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isfunction(getattr(obj, "__wrapped__", 0)):
                home = f"{obj.__module__}.{obj.__name__}".removeprefix("scaling_course.")
                seen.setdefault(home, obj)
    return seen.items()


def test_every_module_says_what_is_public():
    missing = [info.name for info, module in _modules()
               if not info.ispkg and not hasattr(module, "__all__")]
    assert not missing, f"modules without __all__: {missing}"


def test_every_public_callable_has_bad_input_cases():
    covered = {case[0] for case in CASES + QUIET_CASES}
    untested = []
    for qualname, obj in _public_callables():
        if qualname in RESULTS or qualname in covered:
            continue
        try:
            takes_input = bool(inspect.signature(obj).parameters)
        except (TypeError, ValueError):
            takes_input = True
        if takes_input:
            untested.append(qualname)
    assert not untested, f"public callables without a bad-input case in {Path(__file__).name}: {untested}"
    known = {qualname for qualname, _ in _public_callables()}
    stale = (covered | RESULTS) - known
    assert not stale, f"cases or results for names no module exports: {sorted(stale)}"


def _notebook_imports():
    """(module, name) for every name a solution notebook or the demo imports from the package or reads off an imported module."""
    for path in [*sorted(ROOT.glob("solutions/*/*.ipynb")), ROOT / "demo" / "demo.ipynb"]:
        cells = json.loads(path.read_text())["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        tree = ast.parse(source)
        modules = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scaling_course"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    try:
                        importlib.import_module(full)
                        modules[alias.asname or alias.name] = full
                    except ImportError:
                        yield path.name, node.module, alias.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
                yield path.name, modules[node.value.id], node.attr


def test_the_notebooks_use_only_the_public_api():
    reached = []
    for notebook, module_name, name in _notebook_imports():
        module = importlib.import_module(module_name)
        if name not in getattr(module, "__all__", ()) and not inspect.ismodule(getattr(module, name, None)):
            reached.append(f"{notebook}: {module_name}.{name}")
    assert not reached, f"notebooks use names outside their module's __all__: {reached}"
