"""The training loop: determinism, schedule, logging, divergence and bad configs."""

import dataclasses
import json
import math

import numpy as np
import pytest
import torch

from scaling_course.engine.runs import RunConfig, RunRecord
from scaling_course.engine.train import eval_steps, learning_rate, model_size, run_flops, train, train_stack
from scaling_course.syllabus.shipped import reference_results

TINY = RunConfig(task="sparse_parity", n_subtasks=8, n_bits=8, width=16, steps=60, batch_size=64, n_evals=6)


def test_same_seed_gives_identical_losses_and_other_seeds_do_not():
    a, b, c = train(TINY), train(TINY), train(RunConfig(**{**TINY.to_dict(), "seed": 1}))
    assert a.train_loss == b.train_loss and a.val_loss == b.val_loss
    assert a.val_loss != c.val_loss


def test_text_runs_are_deterministic_too():
    config = RunConfig(task="text", width=16, depth=1, n_head=2, n_ctx=16, steps=12, batch_size=4, n_evals=3)
    assert train(config).val_loss == train(config).val_loss


@pytest.mark.parametrize("config", [
    RunConfig(task="sparse_parity", n_subtasks=4, n_bits=6, width=32, steps=300, batch_size=256, lr=1e-2),
    RunConfig(task="teacher_student", dim=16, width=32, steps=200, batch_size=128),
    RunConfig(task="text", width=32, depth=1, n_head=2, n_ctx=32, steps=80, batch_size=16, lr=1e-2),
], ids=["sparse_parity", "teacher_student", "text"])
def test_every_task_learns(config):
    record = train(config)
    assert record.val_loss[-1] < 0.8 * record.val_loss[0]
    assert record.train_loss[-1] < record.train_loss[0]


def test_record_logs_steps_tokens_and_flops_consistently():
    record = train(TINY)
    size = model_size(TINY)
    assert record.steps == eval_steps(TINY.steps, TINY.n_evals) and record.steps[-1] == TINY.steps
    assert record.tokens == [s * TINY.batch_size for s in record.steps]
    assert record.flops == [t * size["flops_per_token"] for t in record.tokens]
    assert record.n_params == 16 * 16 + 16 + 16 * 2 + 2            # (8 + 8 inputs -> 16 -> 2)
    assert len(record.subtask_loss) == 8
    weights = torch.arange(1, 9.0) ** -1.4
    weighted = sum(w * l for w, l in zip(weights / weights.sum(), record.subtask_loss))
    assert math.isclose(weighted, record.final_val_loss, rel_tol=1e-4)


def test_text_record_counts_tokens_and_kaplan_flops():
    config = RunConfig(task="text", width=16, depth=2, n_head=2, n_ctx=16, steps=4, batch_size=3, n_evals=2)
    record = train(config)
    assert record.tokens[-1] == 4 * 3 * 16
    n = record.n_params_non_embedding
    assert record.flops[-1] == record.tokens[-1] * (6 * n + 6 * 2 * 16 * 16)
    assert record.n_params - n == (96 + 16) * 16                  # token and position embeddings


def test_record_survives_a_json_round_trip():
    record = train(TINY)
    again = RunRecord.from_dict(json.loads(json.dumps(record.to_dict(), allow_nan=False)))
    assert again == record
    assert again.final_val_loss == record.final_val_loss


def test_warmup_then_cosine_schedule():
    config = RunConfig(steps=1000, lr=1.0, warmup=0.1, final_lr_ratio=0.1)
    rates = [learning_rate(config, s) for s in range(1, 1001)]
    assert rates[0] == pytest.approx(0.01) and rates[99] == pytest.approx(1.0)
    assert all(a < b for a, b in zip(rates[:99], rates[1:100]))              # warm-up rises
    assert all(a >= b for a, b in zip(rates[99:], rates[100:]))              # then decays
    assert rates[-1] == pytest.approx(0.1)
    assert learning_rate(config, 550) == pytest.approx(0.55)                 # half way down the cosine


def test_eval_steps_are_log_spaced_and_end_at_the_last_step():
    steps = eval_steps(10_000, 20)
    assert steps[-1] == 10_000 and steps[0] == 100
    ratios = [b / a for a, b in zip(steps, steps[1:])]
    assert max(ratios) / min(ratios) < 1.05


def test_divergence_is_marked_not_raised():
    record = train(RunConfig(task="teacher_student", dim=16, width=8, steps=50, batch_size=16, lr=1e30, n_evals=5))
    assert record.diverged and record.diverged_at_step is not None
    assert math.isnan(record.final_val_loss)
    json.dumps(record.to_dict(), allow_nan=False)                          # still valid JSON


def test_stacked_training_matches_training_alone():
    configs = [RunConfig(**{**TINY.to_dict(), "seed": s}) for s in range(3)]
    stacked = train_stack(configs)
    alone = train(configs[2])
    assert stacked[2].val_loss == pytest.approx(alone.val_loss, rel=1e-5)
    assert stacked[0].val_loss != stacked[1].val_loss


def test_stacked_gpt_runs_match_the_runs_alone():
    """Other seeds and other training sets of one GPT shape train as one stack, each as it would alone."""
    base = RunConfig(task="text", width=16, n_head=2, n_ctx=16, depth=2, batch_size=4, steps=30, n_evals=4)
    configs = [dataclasses.replace(base, seed=1, n_train=4096), dataclasses.replace(base, seed=2, n_train=0),
               dataclasses.replace(base, seed=1, n_train=20_000)]
    stacked = train_stack(configs)
    for config, record in zip(configs, stacked):
        alone = train(config)
        assert record.config == config and record.steps == alone.steps
        assert record.val_loss == pytest.approx(alone.val_loss, rel=1e-5)
        assert record.train_loss == pytest.approx(alone.train_loss, rel=1e-5)
    assert stacked[0].val_loss != stacked[2].val_loss            # same seed, other data: another run


def test_stack_rejects_configs_that_differ_in_more_than_the_seed():
    with pytest.raises(ValueError, match="equal except for their seed and n_train"):
        train_stack([TINY, RunConfig(**{**TINY.to_dict(), "width": 8})])


@pytest.mark.parametrize("changes, field", [
    ({"width": 0}, "width"), ({"depth": -1}, "depth"), ({"steps": 0}, "steps"), ({"batch_size": 0}, "batch_size"),
    ({"lr": 0.0}, "lr"), ({"task": "vision"}, "task"), ({"task": "text", "corpus": "wikipedia"}, "corpus"),
    ({"n_train": 100, "batch_size": 200}, "batch_size"), ({"n_train": -5}, "n_train"), ({"width": 2.5}, "width"),
    ({"task": "text", "n_train": 1000, "batch_size": 32, "n_ctx": 64}, "batch_size"),
    ({"task": "text", "width": 30, "n_head": 4}, "n_head"), ({"task": "text", "n_train": 10**9}, "n_train"),
    ({"n_bits": 4, "k": 3, "n_subtasks": 5}, "n_subtasks"), ({"warmup": 1.0}, "warmup"), ({"n_evals": 0}, "n_evals"),
])
def test_invalid_configs_name_the_field_and_allowed_values(changes, field):
    error = TypeError if changes.get(field) == 2.5 else ValueError        # a wrong kind, or a wrong value
    with pytest.raises(error, match=rf"RunConfig\.{field} must be .+, got "):
        RunConfig(**changes)


@pytest.mark.parametrize("changes, field, kind", [
    ({"lr": "0.01"}, "lr", "str"), ({"width": "64"}, "width", "str"), ({"seed": None}, "seed", "NoneType"),
    ({"warmup": True}, "warmup", "bool"),
])
def test_wrong_kinds_of_config_values_are_type_errors(changes, field, kind):
    with pytest.raises(TypeError, match=rf"RunConfig\.{field} must be .+, got {kind} "):
        RunConfig(**changes)


def test_from_dict_rejects_unknown_fields():
    with pytest.raises(ValueError, match="RunConfig fields must be among .* got unknown field.*'widht'"):
        RunConfig.from_dict({"widht": 3})


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no GPU on this machine")
def test_gpu_training_matches_cpu_closely():
    cpu, gpu = train(TINY, device="cpu"), train(TINY)
    assert gpu.device == "cuda"
    assert gpu.val_loss == pytest.approx(cpu.val_loss, rel=1e-2)


@pytest.mark.parametrize("sweep", ["compute", "params", "data"])
def test_run_flops_is_known_before_training(sweep):
    for record in reference_results(sweep, "ci"):
        assert run_flops(record.config) == pytest.approx(record.total_flops)
    with pytest.raises(TypeError, match="RunConfig"):
        run_flops("width 16")



def test_losses_are_float_arrays_with_nan_where_a_run_diverged():
    record = reference_results("params", "ci")[0]
    n = len(record.steps)
    record = RunRecord.from_dict({**record.to_dict(), "diverged": True, "diverged_at_step": record.steps[1],
                                  "val_loss": [2.0] + [None] * (n - 1), "train_loss": [3.0] + [None] * (n - 1)})
    assert np.isnan(record.losses("val")[1]) and record.losses("val")[0] == 2.0
    assert record.losses("train").dtype == float and record.losses("train")[0] == 3.0
    with pytest.raises(ValueError, match="which must be one of 'val', 'train', got 'test'"):
        record.losses("test")


def test_an_exploding_loss_is_marked_diverged_not_reported_as_a_result():
    record = train(RunConfig(task="sparse_parity", n_bits=12, width=16, steps=100, batch_size=64, lr=1e6, n_evals=5))
    assert record.diverged and all(v is None for v in record.val_loss)


def test_a_width_beyond_any_course_model_is_refused_before_allocating():
    with pytest.raises(ValueError, match="RunConfig.width must be a whole number from 1 to 8192, got 1000000000"):
        RunConfig(width=10**9)


def test_a_record_says_how_many_threads_trained_it():
    config = RunConfig(task="sparse_parity", n_bits=12, width=16, steps=20, batch_size=64, n_evals=2)
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        assert train(config).threads == 1
    finally:
        torch.set_num_threads(before)
    assert RunRecord.from_dict({**train(config).to_dict(), "threads": 0}).threads == 0   # older records: unknown
