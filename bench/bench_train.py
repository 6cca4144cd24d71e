"""Training speed: stacked models, the lesson-03 sweep, matmul efficiency and peak memory.

    python -m bench train              # about 15 minutes on a 2-core machine
    BENCH_QUICK=1 python -m bench train   # times the sequential sweep baseline on a tenth of its steps

Every number is a ratio against a baseline measured in the same run:

1. 8 or 32 same-shaped sparse-parity MLPs trained at once (stacked weights, batched matmul)
   against the same models trained one after another with the same loop: model-steps per
   second, on one thread (as a sweep worker) and on all threads. Target >= 5x. The gain is
   largest where a single model is overhead-bound (small width and batch); the sweep's own
   batch of 1024 is shown too.
2. The largest MLP of the lesson-03 parameter sweep at ``laptop``: achieved GFLOP/s (6N rule)
   against fp32 matmul GFLOP/s, both on one thread (what a sweep worker uses) and on two.
   Target >= 50 %. The engine looks up the first layer's one-hot rows instead of multiplying
   (``models/mlp.py``), so the nominal 6N rate overstates the arithmetic done; the rate of
   the matmul FLOPs actually done (``matmul_flops_per_example``) is printed beside it, and so
   is one training step with the one-hot code multiplied, as written on paper. This model
   (76 -> width -> 2, three seeds stacked) has no square matmul: its products have 12 inputs
   or 2 outputs, shapes the BLAS runs far below its square-matrix peak, so the step is bound by
   those thin products and elementwise work, not by arithmetic.
3. The lesson-03 parameter sweep at ``laptop`` (``run_standard_sweep("params")``, no cache)
   against a plain sequential loop (``plain_loop``: ``nn.Linear`` layers and the default AdamW,
   one model after another in this process), and against the engine's own ``train`` called
   run after run. Targets: >= 2.5x, and under 3 minutes.
4. Peak resident memory of that sweep (this process plus its largest worker, counted twice
   for the two workers). Target < 2 GB.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import time

import torch
from torch import nn
from torch.nn import functional as F

from scaling_course.engine.models import mlp
from scaling_course.engine.runs import RunConfig
from scaling_course.engine.train import (
    eval_steps,
    learning_rate,
    make_task,
    model_config,
    model_size,
    per_model_loss,
    train,
    train_stack,
)
from scaling_course.syllabus.sweeps import run_standard_sweep, standard_sweep


def seconds_of(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def stacked_speedup(n_models: int, width: int = 16, batch_size: int = 256, steps: int = 1000) -> tuple[float, float]:
    """Model-steps/s of ``n_models`` sparse-parity MLPs trained at once and one after another."""
    base = dataclasses.replace(standard_sweep("params", "laptop")[0], width=width, batch_size=batch_size,
                               steps=steps, n_evals=2)
    configs = [dataclasses.replace(base, seed=s) for s in range(n_models)]
    train(base)                                                   # warm-up: imports, allocator
    sequential = seconds_of(lambda: [train(c) for c in configs])
    stacked = seconds_of(lambda: train_stack(configs))
    return n_models * steps / stacked, n_models * steps / sequential


def plain_loop(config: RunConfig) -> float:
    """The baseline a learner would write first: ``nn.Linear`` layers, the default AdamW, one
    fresh batch drawn per step, one model at a time. Same task, schedule, steps and evaluations
    as the engine; returns the final held-out loss."""
    task = dataclasses.replace(make_task(config), subtask_as_index=False)     # one-hot inputs, for nn.Linear
    torch.manual_seed(config.seed)
    model = nn.Sequential(nn.Linear(task.input_dim, config.width), nn.ReLU(), nn.Linear(config.width, 2))
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    generator = torch.Generator().manual_seed(config.seed)
    x_eval, y_eval, w_eval = task.eval_set()
    checkpoints, loss = set(eval_steps(config.steps, config.n_evals)), float("nan")
    for step in range(1, config.steps + 1):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(config, step)
        x, y = task.draw_fresh(config.batch_size, generator)
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
        if step in checkpoints:
            with torch.no_grad():
                loss = (F.cross_entropy(model(x_eval), y_eval, reduction="none") * w_eval).sum().item()
    return loss


def matmul_gflops(n: int = 1024, min_seconds: float = 1.0) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    c = torch.empty(n, n)
    torch.mm(a, b, out=c)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < min_seconds:
        torch.mm(a, b, out=c)
        count += 1
    return 2 * n ** 3 * count / (time.perf_counter() - started) / 1e9


def largest_mlp_gflops(steps: int = 300) -> tuple[int, float, float]:
    """GFLOP/s of the sweep's widest stack (all its seeds at once), as a worker trains it: by the
    6N rule (nominal, dense) and by the matmul FLOPs actually done (first layer looked up)."""
    configs = standard_sweep("params", "laptop")
    widest = max(c.width for c in configs)
    stack = [dataclasses.replace(c, steps=steps, n_evals=1) for c in configs if c.width == widest]
    train_stack(stack[:1])                                        # warm-up
    seconds = seconds_of(lambda: train_stack(stack))
    size = model_size(stack[0])
    examples = len(stack) * steps * size["tokens_per_step"]
    done = mlp.matmul_flops_per_example(model_config(stack[0]))
    return widest, examples * size["flops_per_token"] / seconds / 1e9, examples * done / seconds / 1e9


def dense_and_lookup_step_seconds(steps: int = 300) -> tuple[float, float, float]:
    """Seconds per training step of the sweep's widest stack with the one-hot subtask code
    multiplied (dense, as written on paper) and looked up (what the engine does), and the dense
    model's matmul GFLOP/s: the same model, optimiser and loss, only the first layer differs."""
    sweep = standard_sweep("params", "laptop")
    configs = [c for c in sweep if c.width == max(x.width for x in sweep)]
    results = []
    for lookup in (False, True):
        task = dataclasses.replace(make_task(configs[0]), subtask_as_index=lookup)
        shape = model_config(configs[0], task)
        model = mlp.MLP(shape, n_models=len(configs))
        optimizer = torch.optim.AdamW(model.parameters(), lr=configs[0].lr, fused=True)
        samplers = [task.sampler(0, c.seed) for c in configs]

        def step():
            batches = [draw(configs[0].batch_size) for draw in samplers]
            x, y = torch.stack([b[0] for b in batches]), torch.stack([b[1] for b in batches])
            losses = per_model_loss(model, task, x, y)
            optimizer.zero_grad(set_to_none=True)
            losses.sum().backward()
            optimizer.step()

        for _ in range(20):
            step()                                                # warm-up
        results.append(seconds_of(lambda: [step() for _ in range(steps)]) / steps)
        if not lookup:
            dense_flops = len(configs) * configs[0].batch_size * mlp.matmul_flops_per_example(shape)
    return results[0], results[1], dense_flops / results[0] / 1e9


def peak_memory_gb() -> float:
    """Upper bound on the peak memory of this process and two workers (ru_maxrss is in kB on Linux)."""
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (self_kb + 2 * worker_kb) / 1e6


def main() -> None:
    quick = bool(os.environ.get("BENCH_QUICK"))
    threads = torch.get_num_threads()

    # 3 and 4 first, so the memory figure is that of the sweep alone.
    configs = standard_sweep("params", "laptop")
    sweep_seconds = seconds_of(lambda: run_standard_sweep("params", "laptop", use_cache=False, progress=False))
    memory = peak_memory_gb()
    fraction = 10 if quick else 1
    shorter = [dataclasses.replace(c, steps=c.steps // fraction) for c in configs]
    plain_seconds = fraction * seconds_of(lambda: [plain_loop(c) for c in shorter])
    engine_seconds = fraction * seconds_of(lambda: [train(c) for c in shorter])
    note = " (timed on 1/10 of the steps, x10)" if quick else ""
    print(f"lesson-03 parameter sweep at laptop ({len(configs)} runs, widths "
          f"{sorted({c.width for c in configs})}, {configs[0].steps} steps each):")
    print(f"  plain sequential loop (nn.Linear, one model at a time) {plain_seconds:7.1f} s{note}")
    print(f"  the engine's train(), one run after another            {engine_seconds:7.1f} s{note}")
    print(f"  run_sweep (stacked seeds, 2 worker processes)          {sweep_seconds:7.1f} s   -> "
          f"{plain_seconds / sweep_seconds:.2f}x the plain loop, {engine_seconds / sweep_seconds:.2f}x train() "
          f"(target >= 2.5x, and < 180 s)")
    print(f"  peak memory of the sweep                               {memory:7.2f} GB  (target < 2 GB)")

    for n_threads in (1, threads):
        torch.set_num_threads(n_threads)
        for n_models, width, batch_size in ((8, 16, 256), (32, 16, 256), (32, 8, 128), (8, 16, 1024)):
            together, apart = stacked_speedup(n_models, width, batch_size)
            print(f"{n_threads} thread(s): {n_models:2d} MLPs (width {width:2d}, batch {batch_size:4d}) at once "
                  f"{together:6.0f} model-steps/s vs {apart:5.0f} one after another -> {together / apart:4.1f}x "
                  f"(target >= 5x)")

    for n_threads in (1, threads):
        torch.set_num_threads(n_threads)
        peak = matmul_gflops()
        width, achieved, done = largest_mlp_gflops()
        dense_step, lookup_step, dense_gflops = dense_and_lookup_step_seconds()
        print(f"{n_threads} thread(s): largest sweep MLP (width {width}) {achieved:5.1f} GFLOP/s (6N) vs fp32 matmul "
              f"{peak:5.1f} GFLOP/s -> {100 * achieved / peak:.0f} % (target >= 50 %); matmul FLOPs actually "
              f"done (first layer looked up): {done:5.1f} GFLOP/s, {100 * done / peak:.0f} %")
        print(f"{n_threads} thread(s):   one training step of that stack: {1e3 * dense_step:.2f} ms with the one-hot "
              f"code multiplied ({dense_gflops:.1f} GFLOP/s of real matmul, {100 * dense_gflops / peak:.0f} % of "
              f"peak), {1e3 * lookup_step:.2f} ms looked up ({dense_step / lookup_step:.2f}x)")
    torch.set_num_threads(threads)


if __name__ == "__main__":
    main()
