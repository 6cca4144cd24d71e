"""One training step of the course's GPT: how close it runs to the machine's matmul peak, and what
stacking eight same-shaped GPTs buys.

For widths 32, 64 and 128 (two blocks, 16 windows of 64 characters a step, as the text sweeps
train), on 1 and 2 threads, in the same run:

* the fp32 matmul peak of this machine (a 1024x1024 product), the baseline;
* one step of one GPT: milliseconds, and the matmul FLOPs it actually does
  (``gpt.matmul_flops_per_token``) per second as a share of that peak;
* one step of eight GPTs stacked (``GPT(n_models=8)``): tokens per second against eight single
  GPTs stepped one after another.

Targets: width 64 at >= 60 % and width 128 at >= 70 % of the peak; eight stacked GPTs at
>= 2.5x (width 32) and >= 1.5x (width 64) the tokens per second of one after another, on 1 thread.

    python -m bench gpt
"""

import time

import torch

from scaling_course.engine.models import gpt
from scaling_course.engine.runs import RunConfig
from scaling_course.engine.train import make_task, model_config, per_model_loss
from scaling_course.syllabus.sweeps import TEXT, heads_for

from .bench_train import matmul_gflops

WIDTHS = (32, 64, 128)
STACK = 8


def step_seconds(width: int, n_models: int, min_seconds: float = 2.0) -> tuple[float, float]:
    """Median seconds of one training step of ``n_models`` stacked GPTs, and its matmul FLOPs."""
    config = RunConfig(**{**TEXT.to_dict(), "width": width, "n_head": heads_for(width)})
    task = make_task(config)
    shape = model_config(config, task)
    model = gpt.GPT(shape, n_models=n_models, seeds=list(range(n_models)))
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, fused=True)
    draws = [task.sampler(0, seed) for seed in range(n_models)]

    def step():
        batches = [draw(config.batch_size) for draw in draws]
        x, y = torch.stack([b[0] for b in batches]), torch.stack([b[1] for b in batches])
        loss = per_model_loss(model, task, x, y).sum()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    for _ in range(3):
        step()
    times, started = [], time.perf_counter()
    while time.perf_counter() - started < min_seconds or len(times) < 5:
        begin = time.perf_counter()
        step()
        times.append(time.perf_counter() - begin)
    flops = n_models * config.batch_size * config.n_ctx * gpt.matmul_flops_per_token(shape)
    return sorted(times)[len(times) // 2], flops


def main() -> None:
    before = torch.get_num_threads()
    try:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            peak = matmul_gflops()
            print(f"{threads} thread(s): fp32 matmul peak {peak:.1f} GFLOP/s", flush=True)
            for width in WIDTHS:
                alone, flops = step_seconds(width, 1)
                stacked, stacked_flops = step_seconds(width, STACK)
                share = flops / alone / 1e9 / peak
                stacked_share = stacked_flops / stacked / 1e9 / peak
                print(f"  width {width:3d}: one GPT {alone * 1e3:6.1f} ms/step, {100 * share:4.0f} % of peak; "
                      f"{STACK} stacked {stacked * 1e3:6.1f} ms/step, {100 * stacked_share:4.0f} % of peak, "
                      f"{STACK * alone / stacked:.2f}x the tokens/s of one after another", flush=True)
    finally:
        torch.set_num_threads(before)


if __name__ == "__main__":
    main()
