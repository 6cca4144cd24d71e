"""Sweeps: a grid of configs becomes trained runs, fast, cached and resumable.

    >>> from scaling_course.engine.sweep import grid, run_sweep
    >>> from scaling_course.engine.runs import RunConfig
    >>> configs = grid(RunConfig(task="sparse_parity", steps=2000), width=[8, 16, 32, 64], seed=[0, 1, 2])
    >>> records = run_sweep(configs)                                            # doctest: +SKIP

What :func:`run_sweep` does for you:

* **Cache.** Each finished run is written to the on-disk cache (``scaling_course.engine.cache``) as
  soon as it is done. Running the same sweep again reads the results back; stopping a sweep
  (Ctrl-C, "interrupt the kernel") keeps every finished run, and the next call resumes there.
* **Many models at once.** MLP runs that differ only in their seed share one stack of weights
  and train together with batched matrix multiplies (``train.train_stack``).
* **Both CPU cores.** By default the stacks are spread over two worker processes of one
  thread each: on a 2-core machine that beats one two-thread process by 1.6-1.9x. The workers
  are started with "spawn", so a *script* (not a notebook) that runs a sweep must do it under
  ``if __name__ == "__main__":``, as with any Python process pool.
* **Any executor.** Pass any ``concurrent.futures.Executor`` to use something else: a thread
  pool, a bigger process pool, or a cluster (``distributed.Client(...).get_executor()``).
* **Progress.** A ``tqdm`` bar, drawn as a widget in notebooks and as text in terminals, that
  counts training FLOPs done of the total, so it moves inside a run and estimates the time left.
"""

from __future__ import annotations

__all__ = ["grid", "run_sweep"]

import concurrent.futures
import contextlib
import dataclasses
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from typing import Callable, Iterable

import torch
from tqdm.auto import tqdm

from scaling_course.validation import check_instance, check_positive_int

from .cache import RunCache
from .runs import RunConfig, RunRecord, check_fields
from .train import run_flops, stack_key, train_stack

DEFAULT_WORKERS = 2          # processes; each trains with one thread
MAX_STACK = 32               # at most this many models share one stack of weights


def grid(base: RunConfig | None = None, **axes: Iterable) -> list[RunConfig]:
    """Every combination of the values given for each field, starting from ``base``.

    >>> [(c.width, c.seed) for c in grid(RunConfig(), width=[8, 16], seed=[0, 1])]
    [(8, 0), (8, 1), (16, 0), (16, 1)]
    """
    base = check_instance(base, "base", RunConfig) if base is not None else RunConfig()
    check_fields(axes, "grid's axes")
    names = list(axes)
    values = []
    for name in names:
        axis = axes[name]
        if isinstance(axis, (str, bytes)) or not isinstance(axis, Iterable):
            raise TypeError(f"grid's axis {name} must be a list of values, got {type(axis).__name__} {axis!r}; "
                            f"for one value write {name}=[{axis!r}]")
        values.append(list(axis))
        if not values[-1]:
            raise ValueError(f"grid's axis {name} must have at least one value, got an empty one")
    return [dataclasses.replace(base, **dict(zip(names, combo))) for combo in itertools.product(*values)]


def plan_jobs(configs: list[RunConfig], max_stack: int = MAX_STACK, workers: int = 1) -> list[list[RunConfig]]:
    """Group runs into jobs: MLP runs with one :func:`~.train.stack_key` (other seeds, other
    training sets) share a stack; a GPT run is a job of its own. With fewer groups than
    ``workers``, groups are split so every worker has a stack. The most expensive jobs come
    first, so parallel workers finish together.

    GPTs can stack too (``train_stack``), but on a CPU it does not pay: eight stacked GPTs
    measured 1.1x (width 32), 0.9x (64) and 1.0x (128) the tokens per second of one after
    another on one thread (``python -m bench gpt``), since their steps are bound by the
    work itself, not by per-step overhead as the MLP's are."""
    groups: dict[RunConfig, list[RunConfig]] = {}
    for config in configs:
        groups.setdefault(stack_key(config) if config.model_kind == "mlp" else config, []).append(config)
    size = max_stack
    if groups and len(groups) < workers:
        size = min(max_stack, max(1, -(-max(len(g) for g in groups.values()) // workers)))
    jobs = [members[i:i + size] for members in groups.values() for i in range(0, len(members), size)]
    return sorted(jobs, key=job_cost, reverse=True)


def job_cost(job: list[RunConfig]) -> float:
    """Training FLOPs of a job, a rough guide to its run time."""
    return len(job) * run_flops(job[0])


def train_job(job: list[RunConfig], device: str | None = None, flops_done=None,
              after_steps: Callable[[], None] | None = None) -> list[RunRecord]:
    """Train one job (a stack of seeds, or one GPT run). Runs in whichever worker gets it.

    ``flops_done``: a shared number (``multiprocessing.Value``) that grows with the job's training
    FLOPs as it trains, by default the one a worker of the sweep's own pool was started with;
    ``after_steps()`` is called after each addition."""
    flops_done = _flops_done if flops_done is None else flops_done
    if flops_done is None:
        return train_stack(job, device)
    return _train_counted(job, device, flops_done, after_steps)


#: In a worker of a sweep's own pool: the sweep's shared count of training FLOPs done.
_flops_done = None


def _train_counted(job: list[RunConfig], device, flops_done, after_steps: Callable[[], None] | None = None):
    """Train ``job``, adding to the shared number ``flops_done`` the FLOPs of each stretch of steps as
    it finishes, so that a progress bar in another process can move inside a run."""
    per_step = job_cost(job) / job[0].steps
    added = 0.0

    def on_steps(steps: int) -> None:
        nonlocal added
        with flops_done.get_lock():
            flops_done.value += steps * per_step
        added += steps * per_step
        if after_steps is not None:
            after_steps()
    records = train_stack(job, device, on_steps)
    with flops_done.get_lock():
        flops_done.value += job_cost(job) - added       # a stack that stopped early (all diverged) is done too
    return records


def _init_worker(parent: int, flops_done) -> None:
    global _flops_done
    _flops_done = flops_done
    torch.set_num_threads(1)                        # one thread per process: two such workers beat one 2-thread process
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is handled by the parent
    # the sweep's pid comes from the sweep itself: if it died while this worker was starting,
    # os.getppid() would already name another process
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    """End this worker when the sweep that started it is gone (killed with SIGKILL, say, which
    leaves it no chance to stop its workers): an orphan would train on for nothing."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


@contextlib.contextmanager
def _terminate_as_interrupt():
    """Inside the block, SIGTERM stops a sweep the way Ctrl-C does: workers stopped, finished runs
    kept and reported. (Signal handlers can only be set in the main thread; elsewhere nothing changes.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


#: Training FLOPs below which a sweep runs in this process: two fresh torch workers take seconds
#: to start, which pays off only above a few seconds of training. Measured on 2 cores: every
#: ci sweep (at most 2e11) is fastest here, lesson 03's laptop text runs (9e11) in two workers.
IN_PROCESS_FLOPS = 4e11

#: Where Linux reports the time every core spent busy and idle.
PROC_STAT = "/proc/stat"


def free_cores(interval: float = 0.2) -> int:
    """How many of this process's cores are idle right now (at least 1): the idle share of the
    machine's time over ``interval`` seconds, from /proc/stat. Where that file is missing (not
    Linux), every core counts as free."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

    def idle_and_total() -> tuple[int, int]:
        with open(PROC_STAT) as stat:
            ticks = [int(v) for v in stat.readline().split()[1:9]]   # user nice system idle iowait irq softirq steal
        return ticks[3] + ticks[4], sum(ticks)
    try:
        idle_before, total_before = idle_and_total()
        time.sleep(interval)
        idle_after, total_after = idle_and_total()
    except (OSError, ValueError, IndexError):
        return cores
    idle_share = (idle_after - idle_before) / max(1, total_after - total_before)
    return max(1, min(cores, round(idle_share * (os.cpu_count() or cores))))


@contextlib.contextmanager
def torch_threads(n: int):
    """Train with ``n`` torch threads inside the block, then restore the number there was."""
    before = torch.get_num_threads()
    torch.set_num_threads(max(1, n))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def run_sweep(configs: Iterable[RunConfig], *, cache: RunCache | str | os.PathLike | None = None,
              use_cache: bool = True, executor: concurrent.futures.Executor | None = None,
              workers: int = DEFAULT_WORKERS, max_stack: int = MAX_STACK, progress: bool = True,
              device: str | None = None, description: str = "sweep",
              in_process_below: float = IN_PROCESS_FLOPS) -> list[RunRecord]:
    """Train every config (reading finished runs from the cache) and return their records in order.

    ``executor``: any ``concurrent.futures.Executor``; by default ``workers`` single-thread
    processes (``workers=1`` trains in this process). A sweep needing fewer than
    ``in_process_below`` training FLOPs also trains in this process: starting worker
    interpreters would cost more than the second core saves. ``use_cache=False`` trains
    everything and stores nothing.
    """
    configs = list(configs)
    if not configs:
        raise ValueError("configs must be a non-empty list of RunConfig (grid(...) builds one), got an empty one")
    for i, config in enumerate(configs):
        check_instance(config, f"configs[{i}]", RunConfig)
    check_positive_int(workers, "workers")
    if not isinstance(cache, RunCache):
        cache = RunCache(cache)
    found = {c: cache.get(c) for c in dict.fromkeys(configs)} if use_cache else {}
    done = {c: r for c, r in found.items() if r is not None}
    todo = [c for c in dict.fromkeys(configs) if c not in done]
    bar = _Progress(configs, done, description, enabled=progress)
    mine: list[RunConfig] = []
    try:
        with _terminate_as_interrupt():
            while todo:
                # another sweep sharing this cache may be training some of these runs: leave them
                # to it and read its results when they land, rather than train them twice
                mine = [c for c in todo if not use_cache or cache.claim(c)]
                others = [c for c in todo if c not in mine]
                if mine:
                    train_in = 1 if executor is None and sum(run_flops(c) for c in mine) < in_process_below \
                        else workers
                    jobs = plan_jobs(mine, max_stack, train_in)
                    for records, counted in _execute(jobs, executor, train_in, device, bar):
                        for record in records:
                            if use_cache:
                                cache.put(record)
                                cache.release(record.config)
                            done[record.config] = record
                        bar.runs_finished(records, counted)
                todo = _wait_for_others(others, cache, done, bar)
    except KeyboardInterrupt:
        if use_cache:
            for config in mine:
                cache.release(config)
        bar.close()
        if use_cache:
            print(f"Interrupted: {len(done)} of {bar.runs_total} runs are finished and cached in {cache.directory}; "
                  f"run the sweep again to resume.", file=sys.stderr)
        raise
    bar.close(complete=True)
    return [done[c] for c in configs]


class _Progress:
    """A sweep's progress bar, counted in training FLOPs, so that it moves inside a run (a run of
    lesson 03 can take minutes) and its time estimate weighs big runs as they are; the number
    of finished runs stands beside it.

    Training adds to ``flops_done``, a number shared with the sweep's own worker processes;
    runs read from the cache, trained by another sweep, or by an executor that cannot share it
    count when they finish."""

    def __init__(self, configs: list[RunConfig], done: dict, description: str, enabled: bool):
        self.cost = {c: run_flops(c) for c in dict.fromkeys(configs)}
        self.runs_total, self.runs_done = len(self.cost), len(done)
        self.flops_done = multiprocessing.get_context("spawn").Value("d", 0.0)
        self.finished = sum(self.cost[c] for c in done)          # FLOPs counted at the end of their runs
        self.bar = tqdm(total=sum(self.cost.values()), initial=self.finished, desc=description, unit="FLOP",
                        unit_scale=True, disable=not enabled, dynamic_ncols=True)
        self._postfix()

    def _postfix(self, text: str = "") -> None:
        self.bar.set_postfix_str(f"{self.runs_done}/{self.runs_total} runs{text}", refresh=False)

    def refresh(self) -> None:
        """Move the bar to the FLOPs done so far (tqdm itself limits how often it redraws)."""
        ahead = self.finished + self.flops_done.value - self.bar.n
        if ahead > 0:
            self.bar.update(ahead)

    def runs_finished(self, records: list[RunRecord], counted: bool) -> None:
        """``records`` are done; ``counted``: their FLOPs are already in ``flops_done``."""
        if not counted:
            self.finished += sum(self.cost[r.config] for r in records)
        self.runs_done += len(records)
        last = records[0]
        self._postfix(f" · width {last.config.width}: loss {last.final_val_loss:.3f}")
        self.refresh()

    def close(self, complete: bool = False) -> None:
        if complete:                                  # sums of floats may stop a hair short of the total
            self.bar.n = self.bar.total
            self.bar.refresh()
        self.bar.close()


def _wait_for_others(configs: list[RunConfig], cache: RunCache, done: dict, progress: _Progress,
                     poll: float = 1.0) -> list[RunConfig]:
    """Wait while other processes train ``configs``; return those whose trainer stopped without
    storing a result (they are ours to train now)."""
    waiting = list(configs)
    while waiting:
        still = []
        for config in waiting:
            record = cache.get(config)
            if record is not None:
                done[config] = record
                progress.runs_finished([record], counted=False)
            elif cache.claimed_by_another(config):
                still.append(config)
            else:
                return [c for c in waiting if c not in done]      # its trainer gave up: train it here
        waiting = still
        if waiting:
            time.sleep(poll)
    return []


def _execute(jobs: list[list[RunConfig]], executor, workers: int, device: str | None, progress: _Progress,
             poll: float = 0.5):
    """Yield each job's records as soon as the job finishes, with whether its FLOPs are already in
    ``progress.flops_done``; move the progress bar while jobs train."""
    if not jobs:
        return
    if executor is None and (workers <= 1 or len(jobs) == 1):
        # In this process, one job after another, with as many threads as there are idle cores:
        # threads that share a busy core wait for each other at every operation (measured: lesson
        # 03's live sweeps took 3.9x as long with 2 threads beside one busy process, 1.2x with 1).
        with torch_threads(min(torch.get_num_threads(), free_cores())):
            for job in jobs:
                yield train_job(job, device, progress.flops_done, progress.refresh), True
        return
    own_pool = executor is None
    if own_pool:
        # "spawn" starts clean interpreters: forking a process that already runs torch's
        # thread pools (as a notebook kernel does) can deadlock.
        executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=min(workers, len(jobs)), mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker, initargs=(os.getpid(), progress.flops_done))
    futures = [executor.submit(train_job, job, device) for job in jobs]
    try:
        pending = set(futures)
        while pending:
            finished, pending = concurrent.futures.wait(pending, timeout=poll,
                                                        return_when=concurrent.futures.FIRST_COMPLETED)
            progress.refresh()
            for future in finished:
                yield future.result(), own_pool      # another executor's workers cannot share the count
    finally:
        for future in futures:
            future.cancel()
        if own_pool:
            _stop_pool(executor)


def _stop_pool(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Shut our own worker processes down at once, even if they are mid-run (after Ctrl-C)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())   # no public API for this
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
    # The pool's manager thread closes its wake-up pipe when it sees the workers gone; the exit hook
    # of concurrent.futures writes to that pipe, and if the two race, Python 3.11 prints
    # "OSError: Bad file descriptor" at exit. Waiting for the thread here settles the race.
    if manager is not None:
        manager.join(timeout=5)
