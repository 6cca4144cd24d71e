"""Lesson 07 (is scale all you need?): the scores text runs record, the diminishing-returns price list, the cost
chain, the emergence and in-context analyses on the shipped runs, and the data-limits table."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from scaling_course.engine.runs import RunConfig, RunRecord
from scaling_course.engine.scores import exact_match_rate, span_scores, word_starts
from scaling_course.lessons import scale_limits
from scaling_course.lessons.plots import layout_problems
from scaling_course.science import reference
from scaling_course.science.laws import chinchilla_loss, compute_optimal_allocation, compute_to_reach
from scaling_course.syllabus.shipped import reference_results
from scaling_course.syllabus.sources import LIVE, SHIPPED

TEXT_RUNS = reference_results("params-text", "laptop")


def _gain(position_loss, early=(4, 8), late=(48, 64)):
    return float(np.mean(position_loss[early[0] - 1:early[1]]) - np.mean(position_loss[late[0] - 1:late[1]]))


def _energy(flops, peak, utilisation, watts, pue=1.0):
    return flops / (peak * utilisation) * watts * pue / 3.6e6


# --- the scores a text run records ------------------------------------------------------------------------------

def test_a_text_run_records_its_scores_consistently_with_its_loss():
    from scaling_course.engine.train import EXACT_MATCH_LENGTHS, make_task, train_model, text_scores

    config = RunConfig(task="text", width=16, n_head=1, depth=1, n_ctx=32, batch_size=8, steps=40, n_evals=3)
    record, model = train_model(config)
    assert len(record.exact_match) == len(record.word_exact_match) == EXACT_MATCH_LENGTHS
    assert len(record.position_loss) == config.n_ctx
    assert record.exact_match[0] == record.token_accuracy           # a 1-character span is one guess
    assert all(a >= b for a, b in zip(record.exact_match, record.exact_match[1:]))   # longer spans are harder
    assert all(0 <= v <= 1 for v in record.word_accuracy + record.word_exact_match)
    # recomputed from the model the run returned: the same numbers
    again = text_scores(model, make_task(config))[0]
    assert again["token_accuracy"] == record.token_accuracy and again["position_loss"] == record.position_loss
    # the position losses average to the loss of the scoring windows, which are more than the eval windows
    assert abs(np.mean(record.position_loss) - record.final_val_loss) < 0.2
    back = RunRecord.from_dict(record.to_dict())
    assert back.word_exact_match == record.word_exact_match


def test_a_record_with_an_impossible_score_is_refused():
    values = TEXT_RUNS[0].to_dict()
    with pytest.raises(ValueError, match="exact_match"):
        RunRecord.from_dict({**values, "exact_match": [1.5] + values["exact_match"][1:]})
    with pytest.raises(ValueError, match="position_loss"):
        RunRecord.from_dict({**values, "position_loss": [-1.0] + values["position_loss"][1:]})


def test_exact_match_counts_every_span_that_fits():
    correct = np.array([[True, True, True, False, True, True]])
    assert exact_match_rate(correct, 1) == pytest.approx(5 / 6)
    assert exact_match_rate(correct, 2) == pytest.approx(3 / 5)      # (1,2), (2,3), (5,6)
    assert exact_match_rate(correct, 3) == pytest.approx(1 / 4)
    rng = np.random.default_rng(1)
    big = rng.random((30, 20)) < 0.6
    brute = np.mean([big[:, j:j + 4].all(axis=1) for j in range(17)])
    assert exact_match_rate(big, 4) == pytest.approx(brute)


def test_span_scores_at_word_starts():
    blank = 0
    inputs = np.array([[blank, 5, 6, blank, 7, 8]])
    targets = np.array([[5, 6, blank, 7, 8, blank]])
    starts = word_starts(inputs, targets, [blank])
    assert starts.tolist() == [[True, False, False, True, False, False]]
    correct = np.array([[True, True, False, True, False, True]])
    accuracy, exact = span_scores(correct, 2, starts)
    assert accuracy == pytest.approx(0.75) and exact == pytest.approx(0.5)     # spans (1,2) right, (4,5) half right


# --- 1. diminishing returns -------------------------------------------------------------------------------------

def test_compute_to_reach_inverts_the_compute_optimal_loss():
    for law in (reference.CHINCHILLA_EQ10, reference.EPOCH_REFIT):
        for target in (1.95, 2.2, 3.0):
            C = compute_to_reach(target, law)
            assert chinchilla_loss(*compute_optimal_allocation(C, law), law) == pytest.approx(target, rel=1e-9)
    # the published table of SCIENCE figures: eq. 10 reaches 2.00 at 1.11e23 and 1.85 at 8.24e24 FLOPs
    assert compute_to_reach(2.0) == pytest.approx(1.11e23, rel=0.01)
    assert compute_to_reach(1.85) == pytest.approx(8.24e24, rel=0.01)
    assert math.isinf(compute_to_reach(1.5))


@pytest.fixture(scope="module")
def laws():
    return scale_limits.own_laws("grading")      # 20 refits per law: the intervals exist and are ordered


def test_own_laws_price_a_halving_with_an_interval(laws):
    table = scale_limits.returns_table(laws)
    own = table[table["source"] == "your runs"]
    assert list(own["law"].str[:2]) == ["03", "05", "06"]
    assert (own["× low"] <= own["× per halving"]).all() and (own["× per halving"] <= own["× high"]).all()
    assert (own["× per halving"] > 2).all()                      # returns diminish on every one of the course's laws
    published = table.set_index("law")["× per halving"]
    assert published["Hoffmann et al. 2022, eq. 10"] == pytest.approx(91, abs=1)
    assert published["Kaplan et al. 2020, L(C_min)"] == pytest.approx(2 ** 20)
    assert not layout_problems(scale_limits.returns_plot(table).figure)
    plt.close("all")


def test_each_further_step_of_loss_costs_more(laws):
    steps = scale_limits.loss_steps_table(compute_to_reach, {"eq10": reference.CHINCHILLA_EQ10, "own": laws["06"].fit},
                                          {"eq10": [2.0, 1.95, 1.9, 1.85],
                                           "own": [laws["06"].best_loss - d for d in (0, 0.1, 0.2)]})
    for _, rows in steps.groupby("law"):
        factors = rows["× previous"].dropna().to_numpy()
        assert (factors > 1).all() and (np.diff(factors) > 0).all()
    with pytest.raises(ValueError, match="targets"):
        scale_limits.loss_steps_table(compute_to_reach, {"a": reference.CHINCHILLA_EQ10}, {"b": [2.0]})


# --- 2. cost ----------------------------------------------------------------------------------------------------

def test_the_cost_chain_reproduces_gpt3s_published_energy():
    table = scale_limits.famous_costs(_energy).set_index("model")
    assert table.loc["GPT-3 175B", "estimate / published"] == pytest.approx(1.0, abs=0.01)
    assert table.loc["PaLM 540B", "estimate / published"] < 0.8            # restarts, recomputation: not in FLOPs
    assert table.loc["GPT-3 175B", "kg CO2e per kWh"] == pytest.approx(0.429, abs=0.001)
    assert table.loc["PaLM 540B", "kg CO2e per kWh"] == pytest.approx(0.079, abs=0.001)


def test_own_costs_count_the_cores_a_run_used():
    records = TEXT_RUNS[:2]
    table = scale_limits.own_costs(records, [SHIPPED, LIVE], watts_per_core=10.0)
    for (_, row), record in zip(table.iterrows(), records):
        assert row["kWh"] == pytest.approx(record.seconds * max(1, record.threads) * 10.0 / 3.6e6)
    axes = scale_limits.cost_plot(table, compute_to_reach, _energy)
    assert not layout_problems(axes[0].figure)
    plt.close("all")


def test_the_energy_meter_estimates_where_it_cannot_measure(monkeypatch, tmp_path):
    monkeypatch.setattr(scale_limits, "_RAPL", tmp_path)               # no energy counters here
    with scale_limits.EnergyMeter(watts=100.0) as meter:
        sum(range(10_000))
    assert not meter.measured and meter.joules == pytest.approx(meter.seconds * 100.0)
    zone = tmp_path / "intel-rapl:0"
    zone.mkdir()
    (zone / "energy_uj").write_text("1000000\n")
    (zone / "max_energy_range_uj").write_text("262143328850\n")
    with scale_limits.EnergyMeter() as meter:
        (zone / "energy_uj").write_text("3500000\n")                 # the counter advanced 2.5 J
    assert meter.measured and meter.joules == pytest.approx(2.5)
    assert "measured" in str(meter)


# --- 3. emergence -----------------------------------------------------------------------------------------------

def test_on_the_shipped_runs_exact_match_crowds_into_the_largest_models_while_accuracy_rises_evenly():
    for k in (10, 12):
        frame = scale_limits.emergence_frame(TEXT_RUNS, k)
        means = frame.groupby("n_params")[["word accuracy", "word exact match"]].mean()
        n = means.index.to_numpy(dtype=float)
        assert scale_limits.jump_share(n, means["word accuracy"]) < 0.5
        assert scale_limits.jump_share(n, means["word exact match"]) > 0.9
        assert means["word exact match"].iloc[0] == 0 and means["word exact match"].iloc[-1] > 0
    axes = scale_limits.emergence_plot(TEXT_RUNS, 10)
    assert not layout_problems(axes[0].figure)
    summary, fig = scale_limits.EmergenceExplorer(TEXT_RUNS, 4).update(12)
    assert "k = 12" in summary and fig is not None
    plt.close("all")


def test_jump_share_of_an_even_rise_is_a_half():
    n = np.geomspace(1e4, 1e6, 9)
    assert scale_limits.jump_share(n, np.log10(n)) == pytest.approx(0.5)
    assert scale_limits.jump_share(n, (n == n.max()).astype(float)) == pytest.approx(1.0)


def test_the_toy_shows_the_mirage():
    toy = scale_limits.toy_emergence(lambda correct, k: exact_match_rate(correct, k), ks=(1, 16))
    assert np.allclose(toy["exact match k=1"], toy["accuracy"])
    assert scale_limits.jump_share(toy["n_params"], toy["accuracy"]) == pytest.approx(0.5, abs=0.05)
    assert scale_limits.jump_share(toy["n_params"], toy["exact match k=16"]) > 0.9
    assert not layout_problems(scale_limits.toy_emergence_plot(toy).figure)
    plt.close("all")


# --- 4. generalist or specialists ------------------------------------------------------------------------------

def test_a_team_has_the_parameters_and_compute_of_its_generalist():
    from scaling_course.engine.train import model_size, run_flops
    from scaling_course.syllabus.sweeps import standard_sweep, team_width

    generalists = [c for c in standard_sweep("params", "laptop") if c.seed == 0]
    specialists = {c.width: c for c in standard_sweep("specialists", "laptop")}
    matched = [g for g in generalists if team_width(g) >= 2]
    assert len(matched) >= 3
    for g in matched:
        member = specialists[team_width(g)]
        team_params = g.n_subtasks * model_size(member)["n_params"]
        assert abs(team_params / model_size(g)["n_params"] - 1) < 0.15
        assert abs(g.n_subtasks * run_flops(member) / run_flops(g) - 1) < 0.15
        assert member.n_subtasks == 1 and member.steps == g.steps


def test_on_the_shipped_runs_big_enough_teams_learn_the_long_tail_the_generalist_leaves():
    table = scale_limits.team_table(reference_results("params", "laptop"), reference_results("specialists", "laptop"))
    means = table.groupby(["kind", "n_params"])[["weighted loss", "subtasks learned"]].mean()
    generalist, team = means.loc[scale_limits.GENERALIST], means.loc[scale_limits.TEAM]
    assert team["subtasks learned"].iloc[-1] == 64 and generalist["subtasks learned"].iloc[-1] < 32
    assert team["subtasks learned"].iloc[0] == 0             # members of 2 hidden units learn no parity
    # the generalist's recorded test loss is its subtask losses weighted by frequency
    from scaling_course.science.laws import zipf_frequencies
    run = reference_results("params", "laptop")[-1]
    assert zipf_frequencies(64, run.config.alpha) @ np.array(run.subtask_loss) == pytest.approx(run.final_val_loss,
                                                                                                 rel=1e-5)
    assert not layout_problems(scale_limits.team_plot(table)[0].figure)
    plt.close("all")
    with pytest.raises(ValueError, match=r"specialists\[0\]"):
        scale_limits.team_table(reference_results("params", "ci"), reference_results("params", "ci"))


# --- 5. in-context learning -------------------------------------------------------------------------------------

def test_the_in_context_gain_grows_with_size_on_the_shipped_runs():
    frame = scale_limits.in_context_frame(TEXT_RUNS, _gain)
    trend = scale_limits.in_context_trend(frame, n_resamples=100)
    assert trend.interval[0] <= trend.per_10x <= trend.interval[1]
    assert trend.interval[0] > 0                                     # measured: about +0.07 nats per 10x
    by_width = frame.groupby("width")["in-context gain"].mean()
    assert by_width.iloc[-1] > by_width.iloc[0]
    assert not layout_problems(scale_limits.position_loss_plot(TEXT_RUNS).figure)
    plt.close("all")


def test_a_run_without_scores_is_refused_by_name():
    old = RunRecord.from_dict({**TEXT_RUNS[0].to_dict(), "position_loss": None, "token_accuracy": None})
    with pytest.raises(ValueError, match=r"records\[1\]"):
        scale_limits.emergence_frame([TEXT_RUNS[0], old], 4)


# --- 5b. transfer -----------------------------------------------------------------------------------------------

def test_a_pretrained_run_starts_from_its_seeds_pretrained_model_stacked_or_alone():
    import dataclasses

    from scaling_course.engine.train import pretraining, train, train_stack
    from scaling_course.syllabus.sweeps import TEXT

    base = RunConfig(**{**TEXT.to_dict(), "corpus": "pytests", "width": 16, "n_head": 1, "steps": 20,
                        "pretrain_steps": 30, "n_evals": 2})
    configs = [dataclasses.replace(base, n_train=n, seed=s) for s in (0, 1) for n in (4096, 32768)]
    stacked = train_stack(configs)
    assert stacked[0].start_loss == stacked[1].start_loss != stacked[2].start_loss    # one pre-training per seed
    for record in stacked[:3:2]:
        alone = train(record.config)
        assert alone.start_loss == pytest.approx(record.start_loss, abs=1e-4)
        assert alone.final_val_loss == pytest.approx(record.final_val_loss, abs=2e-3)
    scratch = train(dataclasses.replace(base, pretrain_steps=0, n_train=4096))
    assert scratch.start_loss is None
    assert pretraining(base).corpus == "pystdlib" and pretraining(base).steps == 30


def test_on_the_shipped_runs_pretraining_is_worth_more_target_data_than_it_trains_on():
    table = scale_limits.transfer_table(reference_results("transfer", "laptop"))
    pretrained, scratch = table[table["pre-trained"]], table[~table["pre-trained"]]
    assert (pretrained["loss before"] < scratch.groupby("width")["best loss"].max().max()).all()
    matched = scale_limits.scratch_tokens_to_match(table)
    assert (matched["× the data"] > 1).all()                        # pre-training always saved target data
    assert not layout_problems(scale_limits.transfer_plot(table).figure)
    plt.close("all")
    with pytest.raises(ValueError, match=r"records\[0\]"):
        scale_limits.transfer_table(reference_results("params", "ci"))


# --- 6. data limits ---------------------------------------------------------------------------------------------

def test_the_data_limits_table_brackets_the_published_median_year():
    table = scale_limits.data_limits_table(lambda stock, data, growth: math.log10(stock / data) / growth)
    years = table.set_index("growth")["year"]
    assert years["fast (95% high)"] < years["central"] < years["slow (95% low)"]
    low, high = reference.DATA_LIMITS["year_range"]
    assert low <= years["central"] <= high
    assert abs(years["central"] - reference.DATA_LIMITS["median_year"]) < 1
