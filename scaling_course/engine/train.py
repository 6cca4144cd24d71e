"""One training loop for every model in the course.

    >>> from scaling_course.engine.runs import RunConfig
    >>> from scaling_course.engine.train import train
    >>> record = train(RunConfig(task="sparse_parity", width=32, steps=200))   # doctest: +SKIP
    >>> record.final_val_loss                                                   # doctest: +SKIP

A :class:`~scaling_course.engine.runs.RunConfig` says everything that determines a run; :func:`train` returns a
:class:`RunRecord` with the loss logged against steps, tokens (examples) and FLOPs, and the
held-out loss. The loop

* is deterministic: the weights and the data come from generators seeded by ``config.seed``,
  so the same config on the same machine gives identical losses;
* uses AdamW with a linear warm-up and a cosine decay to ``final_lr_ratio × lr``
  (the decay length matches the run, as Hoffmann et al. 2022 recommend);
* marks a run whose loss becomes NaN or infinite, or exceeds ``DIVERGED_ABOVE`` times its loss at the
  first step, as diverged instead of crashing or reporting an exploded loss as a result;
* uses a GPU when one is present, else the CPU.

:func:`train_stack` trains several runs that differ only in their seed and training set at once,
with their weights stacked (see ``models/mlp.py`` and ``models/gpt.py``); each model still sees
its own data and gets the updates it would get alone, because AdamW works element by element
and the summed loss gives each model the gradient of its own loss.
"""

from __future__ import annotations

__all__ = ["learning_rate", "make_task", "model_config", "model_size", "run_flops", "train", "train_model"]

import dataclasses
import math
import time
from typing import Callable

import numpy as np
import torch
from torch.nn import functional as F

from scaling_course.validation import check_instance, check_int

from .data.tasks import SparseParity, Task, TeacherStudent, TextTask
from .models import gpt, mlp
from .runs import RunConfig, RunRecord
from .scores import exact_match_rate, span_scores, word_starts


#: A run whose training loss climbs above this many times its first-step loss has diverged (an
#: exploding learning rate, say): no model that is learning gets there.
DIVERGED_ABOVE = 100.0


def make_task(config: RunConfig) -> Task:
    """The task object a config describes (see ``scaling_course.engine.data.tasks``). Sparse parity
    gives the subtask as an index, so the MLP can look up its first-layer row (``models/mlp.py``)."""
    check_instance(config, "config", RunConfig)
    if config.task == "sparse_parity":
        return SparseParity(n_subtasks=config.n_subtasks, n_bits=config.n_bits, k=config.k, alpha=config.alpha,
                            subtask_as_index=True)
    if config.task == "teacher_student":
        return TeacherStudent(dim=config.dim, alpha=config.alpha)
    return TextTask(corpus=config.corpus, n_ctx=config.n_ctx)


def model_config(config: RunConfig, task: Task | None = None) -> mlp.MLPConfig | gpt.GPTConfig:
    """The model's own config: an MLPConfig or a GPTConfig sized to the task."""
    check_instance(config, "config", RunConfig)
    task = task or make_task(config)
    if config.model_kind == "gpt":
        return gpt.GPTConfig(vocab_size=task.n_outputs, n_ctx=config.n_ctx, d_model=config.width,
                             n_layer=config.depth, n_head=config.n_head)
    return mlp.MLPConfig(d_in=task.input_dim, width=config.width, depth=config.depth, d_out=task.n_outputs,
                         one_hot_index=task.one_hot_index)


def model_size(config: RunConfig) -> dict:
    """Parameters (with and without embeddings), training FLOPs per example or token (6N rule,
    plus Kaplan's attention term for the GPT), and tokens (examples) per step."""
    check_instance(config, "config", RunConfig)
    shape = model_config(config)
    if isinstance(shape, gpt.GPTConfig):
        return {"n_params": gpt.n_params(shape), "n_params_non_embedding": gpt.n_params(shape, embeddings=False),
                "flops_per_token": gpt.flops_per_token(shape), "tokens_per_step": config.batch_size * config.n_ctx}
    n = mlp.n_params(shape)
    return {"n_params": n, "n_params_non_embedding": n,
            "flops_per_token": mlp.flops_per_example(shape), "tokens_per_step": config.batch_size}


def run_flops(config: RunConfig) -> float:
    """The training compute a run will spend, in FLOPs, known before it trains:
    steps × tokens per step × FLOPs per token (the 6N rule plus Kaplan's attention term), its pre-training steps
    included."""
    check_instance(config, "config", RunConfig)
    size = model_size(config)
    return float((config.steps + config.pretrain_steps) * size["tokens_per_step"] * size["flops_per_token"])


def learning_rate(config: RunConfig, step: int) -> float:
    """Linear warm-up to ``lr``, then cosine decay to ``lr × final_lr_ratio`` at the last step.
    ``step`` counts from 1."""
    check_instance(config, "config", RunConfig)
    return _learning_rate(config, check_int(step, "step", minimum=1, maximum=config.steps))


def _learning_rate(config: RunConfig, step: int) -> float:
    # the training loop's own call, once per step: its arguments are known good, so no checks here
    warmup_steps = round(config.warmup * config.steps)
    if step <= warmup_steps:
        return config.lr * step / warmup_steps
    progress = (step - warmup_steps) / max(1, config.steps - warmup_steps)
    floor = config.lr * config.final_lr_ratio
    return floor + (config.lr - floor) * 0.5 * (1 + math.cos(math.pi * progress))


def eval_steps(steps: int, n_evals: int) -> list[int]:
    """Steps after which to evaluate: about ``n_evals`` points evenly spaced in log(step),
    from 1 % of the run to its last step (log-spaced, so log-log loss curves are even)."""
    points = np.geomspace(max(1, steps / 100), steps, n_evals)
    return sorted(set(int(round(p)) for p in points) | {steps})


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _device(device) -> torch.device:
    """``device`` as a torch.device (None: the default), refusing a name torch does not know."""
    if device is None:
        return default_device()
    check_instance(device, "device", (str, torch.device), "a torch device such as 'cpu' or 'cuda'")
    try:
        return torch.device(device)
    except RuntimeError:
        raise ValueError(f"device must be a torch device such as 'cpu' or 'cuda', got {device!r}") from None


def train(config: RunConfig, device: str | torch.device | None = None) -> RunRecord:
    """Train one model and return its record."""
    check_instance(config, "config", RunConfig)
    return train_stack([config], device)[0]


def train_model(config: RunConfig, device: str | torch.device | None = None) -> tuple[RunRecord, torch.nn.Module]:
    """Train one model and return its record and the trained model itself (e.g. to sample from)."""
    check_instance(config, "config", RunConfig)
    records, model = _train_stack([config], device)
    return records[0], model


def stack_key(config: RunConfig) -> RunConfig:
    """Runs with the same key train as one stack: they differ only in their seed (initial
    weights and data order) and their training set (``n_train``), so they share a shape and a
    learning-rate schedule, and each still sees only its own data."""
    return dataclasses.replace(config, seed=0, n_train=0)


def train_stack(configs: list[RunConfig], device: str | torch.device | None = None,
                on_steps: Callable[[int], None] | None = None) -> list[RunRecord]:
    """Train several runs with one :func:`stack_key` at once, as one stacked model.

    ``on_steps(k)`` is called about a hundred times along the way, each time with the number
    ``k`` of steps done since the last call: a sweep's progress bar moves with it inside a run."""
    return _train_stack(configs, device, on_steps)[0]


#: The corpus a run with ``pretrain_steps`` is pre-trained on (lesson 07's transfer experiment).
PRETRAIN_CORPUS = "pystdlib"


def pretraining(config: RunConfig) -> RunConfig:
    """The run a pre-trained config starts from: the same model and seed trained ``pretrain_steps`` steps on fresh
    text of :data:`PRETRAIN_CORPUS`, with its own warm-up and cosine decay."""
    return dataclasses.replace(config, corpus=PRETRAIN_CORPUS, n_train=0, steps=config.pretrain_steps,
                               pretrain_steps=0)


def _train_stack(configs: list[RunConfig], device, on_steps=None, score: bool = True
                 ) -> tuple[list[RunRecord], torch.nn.Module]:
    first = configs[0]
    if any(stack_key(c) != stack_key(first) for c in configs):
        raise ValueError("train_stack: configs must be equal except for their seed and n_train")
    device = _device(device)
    started = time.perf_counter()
    task = make_task(first)
    shape = model_config(first, task)
    n_models = len(configs)
    seeds = [c.seed for c in configs]
    if first.pretrain_steps:
        # pre-train once per seed on the other corpus (runs that differ only in n_train share their pre-training),
        # then give each run its own copy of its seed's pre-trained model and go on here
        unique = list(dict.fromkeys(c.seed for c in configs))
        _, model = _train_stack([pretraining(dataclasses.replace(first, seed=s)) for s in unique], device, on_steps,
                                score=False)
        copy_models(model, [unique.index(c.seed) for c in configs])
    elif first.model_kind == "gpt":
        model = gpt.GPT(shape, n_models=n_models, seeds=seeds).to(device)
    else:
        model = mlp.MLP(shape, n_models=n_models, seeds=seeds).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=first.lr, weight_decay=first.weight_decay,
                                  fused=True)
    samplers = [task.sampler(c.n_train, c.seed) for c in configs]
    x_eval, y_eval, w_eval = (t.to(device) for t in task.eval_set())
    size = model_size(first)
    records = [RunRecord(config=c, **size, device=device.type, threads=torch.get_num_threads()) for c in configs]
    if first.pretrain_steps:
        for record, loss in zip(records, evaluate(model, task, x_eval, y_eval, w_eval)):
            record.start_loss = loss
    loss_sum = [0.0] * n_models             # training loss summed since the last evaluation
    first_loss = [math.inf] * n_models      # each model's loss at step 1, the yardstick for divergence
    since_eval = 0
    checkpoints = set(eval_steps(first.steps, first.n_evals))
    report_every, reported = max(1, first.steps // 100), 0

    for step in range(1, first.steps + 1):
        for group in optimizer.param_groups:
            group["lr"] = _learning_rate(first, step)
        batches = [draw(first.batch_size) for draw in samplers]
        x = torch.stack([b[0] for b in batches]).to(device)
        y = torch.stack([b[1] for b in batches]).to(device)
        losses = per_model_loss(model, task, x, y)             # [n_models]
        optimizer.zero_grad(set_to_none=True)
        losses.sum().backward()
        optimizer.step()
        for m, loss in enumerate(losses.tolist()):
            if records[m].diverged:
                continue
            if step == 1:
                first_loss[m] = loss
            if not math.isfinite(loss) or loss > DIVERGED_ABOVE * first_loss[m]:
                records[m].diverged, records[m].diverged_at_step = True, step   # mark it, keep the others going
            loss_sum[m] += loss
        since_eval += 1
        all_diverged = all(r.diverged for r in records)
        if step in checkpoints or all_diverged:
            val = evaluate(model, task, x_eval, y_eval, w_eval)
            for m, record in enumerate(records):
                record.steps.append(step)
                record.tokens.append(step * size["tokens_per_step"])
                record.flops.append(step * size["tokens_per_step"] * size["flops_per_token"])
                if not record.diverged and not (math.isfinite(val[m]) and val[m] <= DIVERGED_ABOVE * first_loss[m]):
                    record.diverged, record.diverged_at_step = True, step          # the held-out loss exploded
                ok = not record.diverged
                record.train_loss.append(loss_sum[m] / since_eval if ok else None)
                record.val_loss.append(val[m] if ok else None)
            loss_sum = [0.0] * n_models
            since_eval = 0
            if all_diverged:
                break                                          # nothing left to train
        if on_steps is not None and step % report_every == 0:
            on_steps(step - reported)
            reported = step

    if isinstance(task, SparseParity):
        per_subtask = subtask_losses(model, task, x_eval, y_eval)
        for m, record in enumerate(records):
            record.subtask_loss = per_subtask[m] if not record.diverged else None
    if isinstance(task, TextTask) and score:
        for record, scores in zip(records, text_scores(model, task)):
            if not record.diverged:
                for name, value in scores.items():
                    setattr(record, name, value)
    seconds = time.perf_counter() - started
    for record in records:
        record.seconds = seconds
    return records, model


@torch.no_grad()
def copy_models(model: torch.nn.Module, index: list[int]) -> None:
    """Make ``model`` a stack of copies: its model m becomes a copy of its former model ``index[m]`` (every
    parameter's leading dimension is the model, as in ``models/gpt.py`` and ``models/mlp.py``)."""
    rows = torch.tensor(index, device=next(model.parameters()).device)
    for parameter in model.parameters():
        parameter.data = parameter.data.index_select(0, rows).clone()
    model.n_models = len(index)


def per_model_loss(model, task: Task, x: torch.Tensor, y: torch.Tensor, reduce: bool = True) -> torch.Tensor:
    """Loss of each stacked model, [n_models] (or per example [n_models, batch] if not ``reduce``).

    x and y carry a leading model dimension.
    """
    output = model(x)
    n_models, batch = output.shape[:2]
    if task.loss == "mse":
        per_example = ((output - y) ** 2).flatten(2).mean(dim=2)
    else:
        per_element = F.cross_entropy(output.reshape(-1, output.shape[-1]), y.reshape(-1), reduction="none")
        per_example = per_element.view(n_models, batch, -1).mean(dim=2)    # text: mean over positions
    return per_example.mean(dim=1) if reduce else per_example


@torch.no_grad()
def held_out_losses(model, task: Task, x: torch.Tensor, y: torch.Tensor, chunk: int = 4096) -> torch.Tensor:
    """Per-example held-out loss of every model in the stack, [n_models, n_examples],
    computed in chunks to bound memory."""
    n_models = getattr(model, "n_models", 1)
    if isinstance(model, gpt.GPT):
        chunk = max(1, chunk // task.n_ctx)          # chunk counts tokens, not windows
    parts = []
    for start in range(0, len(x), chunk):
        xs, ys = x[start:start + chunk], y[start:start + chunk]
        parts.append(per_model_loss(model, task, xs.expand(n_models, *xs.shape),
                                    ys.expand(n_models, *ys.shape), reduce=False).double())
    return torch.cat(parts, dim=1)


def evaluate(model, task: Task, x: torch.Tensor, y: torch.Tensor, weight: torch.Tensor) -> list[float]:
    """Weighted held-out loss of every model in the stack."""
    return (held_out_losses(model, task, x, y) * weight).sum(dim=1).cpu().tolist()


#: Text runs record exact match of continuations of 1 to this many characters.
EXACT_MATCH_LENGTHS = 16


@torch.no_grad()
def text_scores(model, task: TextTask, chunk: int = 4096) -> list[dict]:
    """Text: each stacked model's scores beyond the loss on the task's held-out scoring windows (lesson 07), one dict
    per model. "Right" means the model's most likely next character, given the true text before it, is the true one.

    * ``token_accuracy``: the share of characters guessed right;
    * ``exact_match[k - 1]``: the share of k-character spans (every start in every window, k = 1 to
      :data:`EXACT_MATCH_LENGTHS`) guessed right throughout, which is exactly when greedy decoding from that point
      writes the span out right;
    * ``word_accuracy[k - 1]`` and ``word_exact_match[k - 1]``: the mean share of characters right, and the share
      right throughout, of the k-character continuations that begin a word (after a blank);
    * ``position_loss[i]``: the mean loss of the character that follows i + 1 characters of context (the
      in-context learning curve of Olsson et al. 2022).
    """
    x, y = task.score_set()
    n_models = getattr(model, "n_models", 1)
    windows = max(1, chunk // task.n_ctx)
    losses, correct = [], []
    for start in range(0, len(x), windows):
        xs, ys = x[start:start + windows], y[start:start + windows]
        ys = ys.expand(n_models, *ys.shape)                               # [models, windows, positions]
        logits = model(xs.expand(n_models, *xs.shape))
        losses.append(F.cross_entropy(logits.flatten(0, 2), ys.flatten(), reduction="none").view(ys.shape).double())
        correct.append(logits.argmax(dim=-1) == ys)
    loss, correct = torch.cat(losses, dim=1), torch.cat(correct, dim=1).cpu().numpy()
    starts = word_starts(x.numpy(), y.numpy(), task.whitespace)
    lengths = range(1, min(EXACT_MATCH_LENGTHS, task.n_ctx) + 1)
    scores = []
    for m in range(n_models):
        word = [span_scores(correct[m], k, starts) for k in lengths]
        scores.append({"token_accuracy": float(correct[m].mean()),
                       "exact_match": [exact_match_rate(correct[m], k) for k in lengths],
                       "word_accuracy": [accuracy for accuracy, _ in word],
                       "word_exact_match": [exact for _, exact in word],
                       "position_loss": loss[m].mean(dim=0).tolist()})
    return scores


def subtask_losses(model, task: SparseParity, x: torch.Tensor, y: torch.Tensor) -> list[list[float]]:
    """Sparse parity: mean held-out loss of each subtask, for each model (the eval set holds
    ``eval_per_subtask`` examples of every subtask, in order)."""
    per_example = held_out_losses(model, task, x, y)
    return per_example.view(per_example.shape[0], task.n_subtasks, -1).mean(dim=2).cpu().tolist()
