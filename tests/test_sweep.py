"""Sweeps: grids, the on-disk cache, resuming after an interrupt, executors and parallel workers."""

import concurrent.futures
import dataclasses
import json
import re
import warnings

import pytest

import scaling_course.engine.cache as cache_module
from scaling_course.engine import sweep
from scaling_course.engine.cache import RunCache, default_cache_dir, run_key
from scaling_course.engine.runs import RunConfig
from scaling_course.engine.sweep import grid, plan_jobs, run_sweep

BASE = RunConfig(task="sparse_parity", n_subtasks=6, n_bits=6, width=8, steps=30, batch_size=32, n_evals=3)


def losses(records):
    return [loss for record in records for loss in record.val_loss]


def small_grid():
    return grid(BASE, width=[4, 8], seed=[0, 1])


def test_grid_is_the_product_of_the_axes():
    configs = grid(BASE, width=[4, 8, 16], seed=[0, 1])
    assert [(c.width, c.seed) for c in configs] == [(w, s) for w in (4, 8, 16) for s in (0, 1)]
    assert all(c.steps == 30 for c in configs)
    with pytest.raises(ValueError, match=r"grid's axes must be among .* got unknown field\(s\) \['widths'\]"):
        grid(BASE, widths=[1])
    with pytest.raises(ValueError, match=r"RunConfig\.width"):
        grid(BASE, width=[8, 0])                     # invalid values fail before any training


def test_jobs_stack_seeds_and_put_the_most_expensive_first():
    configs = grid(BASE, width=[4, 32], seed=[0, 1, 2])
    jobs = plan_jobs(configs, max_stack=2)
    assert [[c.width for c in job] for job in jobs] == [[32, 32], [32], [4, 4], [4]]
    text = grid(RunConfig(task="text", width=16, n_head=2, n_ctx=8, steps=3, batch_size=2), seed=[0, 1])
    assert [len(job) for job in plan_jobs(text)] == [1, 1]          # GPT runs train one at a time (measured)
    assert [len(job) for job in plan_jobs(configs, workers=2)] == [3, 3]     # a stack for each worker already


def test_runs_that_differ_in_their_training_set_stack_and_fill_the_workers():
    data = grid(BASE, n_train=[100, 200, 400, 800, 1600])
    assert [len(job) for job in plan_jobs(data)] == [5]
    assert sorted(len(job) for job in plan_jobs(data, workers=2)) == [2, 3]
    other_length = [dataclasses.replace(data[0], steps=4)]
    assert sorted(len(job) for job in plan_jobs(data + other_length)) == [1, 5]   # other schedules do not stack


def test_sweep_caches_results_and_a_rerun_trains_nothing(tmp_path, monkeypatch):
    first = run_sweep(small_grid(), cache=tmp_path, workers=1, progress=False)
    assert [r.config for r in first] == small_grid()
    assert len(RunCache(tmp_path)) == 4

    def must_not_train(job, device=None, *counting):
        raise AssertionError("a cached run was trained again")
    monkeypatch.setattr(sweep, "train_job", must_not_train)
    again = run_sweep(small_grid(), cache=tmp_path, workers=1, progress=False)
    assert [r.val_loss for r in again] == [r.val_loss for r in first]


def test_interrupted_sweep_keeps_finished_runs_and_resumes(tmp_path, monkeypatch):
    real_train_job = sweep.train_job
    calls = []

    def interrupted_after_one_job(job, device=None, *counting):
        calls.append(job)
        if len(calls) == 2:
            raise KeyboardInterrupt            # what Ctrl-C or "interrupt the kernel" raises
        return real_train_job(job, device, *counting)
    monkeypatch.setattr(sweep, "train_job", interrupted_after_one_job)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(small_grid(), cache=tmp_path, workers=1, progress=False)
    assert len(RunCache(tmp_path)) == 2                          # the first job's two seeds

    calls.clear()
    records = run_sweep(small_grid(), cache=tmp_path, workers=1, progress=False)
    assert len(calls) == 1 and len(calls[0]) == 2                # only the missing stack was trained
    assert len(records) == 4 and len(RunCache(tmp_path)) == 4


def test_corrupted_cache_entry_is_retrained_with_a_warning(tmp_path):
    config = small_grid()[0]
    record = run_sweep([config], cache=tmp_path, workers=1, progress=False)[0]
    path = RunCache(tmp_path).path(config)
    path.write_text(path.read_text()[:100])                      # a truncated file
    with pytest.warns(RuntimeWarning, match="corrupted"):
        again = run_sweep([config], cache=tmp_path, workers=1, progress=False)[0]
    assert again.val_loss == record.val_loss
    json.loads(path.read_text())                                 # rewritten whole


def test_cache_entry_of_another_config_is_not_trusted(tmp_path):
    a, b = small_grid()[:2]
    cache = RunCache(tmp_path)
    record = run_sweep([a], cache=cache, workers=1, progress=False)[0]
    cache.path(b).write_text(cache.path(a).read_text())          # wrong content under b's name
    with pytest.warns(RuntimeWarning, match="different config"):
        assert cache.get(b) is None
    assert cache.get(a) == record


def test_cache_writes_are_atomic_and_keyed_by_config_and_version(tmp_path, monkeypatch):
    cache = RunCache(tmp_path)
    record = run_sweep([BASE], cache=cache, workers=1, progress=False)[0]
    assert [p.name for p in tmp_path.iterdir()] == [f"{run_key(BASE)}.json"]   # no temporary files left
    assert run_key(BASE) != run_key(RunConfig(**{**BASE.to_dict(), "lr": 0.002}))
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    assert cache.get(BASE) is None                                # a new version does not reuse old runs
    monkeypatch.undo()
    assert cache.get(BASE) == record


def test_default_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SCALING_COURSE_CACHE", str(tmp_path / "here"))
    assert default_cache_dir() == tmp_path / "here"
    monkeypatch.delenv("SCALING_COURSE_CACHE")
    assert default_cache_dir().parts[-2:] == (".cache", "scaling_course")


def test_any_executor_gives_the_same_results(tmp_path):
    alone = run_sweep(small_grid(), use_cache=False, workers=1, progress=False)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        threaded = run_sweep(small_grid(), cache=tmp_path, executor=pool, progress=False)
    assert losses(threaded) == pytest.approx(losses(alone), rel=1e-5)


def test_two_worker_processes_give_the_same_results():
    alone = run_sweep(small_grid(), use_cache=False, workers=1, progress=False)
    parallel = run_sweep(small_grid(), use_cache=False, workers=2, progress=False, in_process_below=0)
    assert losses(parallel) == pytest.approx(losses(alone), rel=1e-5)


def test_stopping_our_pool_mid_run_leaves_no_thread_to_race_the_exit_hook():
    # Python's exit hook wakes every pool's manager thread through a pipe that thread closes when
    # its workers die; a manager still running after the stop made Ctrl-C print "Bad file descriptor".
    import multiprocessing
    import time
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(time.sleep, 30)
    processes = list(pool._processes.values())
    manager = pool._executor_manager_thread
    sweep._stop_pool(pool)
    assert future.cancelled() or future.done()
    assert not any(process.is_alive() for process in processes)
    assert not manager.is_alive()


def test_dask_distributed_executor(tmp_path):
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            records = run_sweep(small_grid(), cache=tmp_path, executor=client.get_executor(), progress=False)
    alone = run_sweep(small_grid(), use_cache=False, workers=1, progress=False)
    assert losses(records) == pytest.approx(losses(alone), rel=1e-5)
    assert len(RunCache(tmp_path)) == 4


def test_sweep_rejects_things_that_are_not_configs():
    with pytest.raises(TypeError, match=r"configs\[1\] must be RunConfig, got dict"):
        run_sweep([BASE, {"width": 3}], use_cache=False, progress=False)


def test_small_sweeps_train_in_this_process(tmp_path, monkeypatch):
    import scaling_course.engine.sweep as sweep_module

    def no_pools(*args, **kwargs):
        raise AssertionError("a tiny sweep started worker processes")

    monkeypatch.setattr(sweep_module.concurrent.futures, "ProcessPoolExecutor", no_pools)
    records = run_sweep(small_grid(), cache=tmp_path, workers=2, progress=False)
    assert len(records) == len(small_grid())
    with pytest.raises(AssertionError, match="worker processes"):
        run_sweep(small_grid(), use_cache=False, workers=2, progress=False, in_process_below=0)


def test_free_cores_reads_the_idle_share_of_the_machine(tmp_path, monkeypatch):
    stat = tmp_path / "stat"
    readings = iter([[100, 0, 100, 800, 0, 0, 0, 0], [150, 0, 150, 900, 0, 0, 0, 0]])   # 100 idle of 200 ticks

    def next_reading(_seconds=0):
        stat.write_text("cpu " + " ".join(map(str, next(readings))) + "\ncpu0 1 2 3\n")
    next_reading()
    monkeypatch.setattr(sweep, "PROC_STAT", str(stat))
    monkeypatch.setattr(sweep.time, "sleep", next_reading)
    monkeypatch.setattr(sweep.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(sweep.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert sweep.free_cores() == 1                     # half of two cores is idle
    monkeypatch.setattr(sweep, "PROC_STAT", str(tmp_path / "missing"))
    assert sweep.free_cores() == 2                     # no /proc/stat: every core counts as free


def test_a_sweep_in_this_process_trains_with_as_many_threads_as_idle_cores(tmp_path, monkeypatch):
    import torch
    seen, real_train_job = [], sweep.train_job
    monkeypatch.setattr(sweep, "free_cores", lambda: 1)
    monkeypatch.setattr(sweep, "train_job", lambda job, device=None, *counting: seen.append(torch.get_num_threads()) or
                        real_train_job(job, device, *counting))
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        run_sweep(small_grid(), cache=tmp_path, workers=1, progress=False)
        assert seen and set(seen) == {1} and torch.get_num_threads() == 2     # restored afterwards
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("call, error, words", [
    (lambda: grid(width=8), TypeError, "axis width must be a list of values, got int 8; for one value write width=[8]"),
    (lambda: grid(task="text"), TypeError, "axis task must be a list of values, got str 'text'"),
    (lambda: grid(width=[]), ValueError, "axis width must have at least one value, got an empty one"),
    (lambda: grid("base", width=[8]), TypeError, "base must be RunConfig"),
    (lambda: run_sweep([]), ValueError, "configs must be a non-empty list of RunConfig"),
    (lambda: run_sweep([RunConfig()], workers=-1), ValueError, "workers must be a whole number >= 1, got -1"),
    (lambda: run_sweep([RunConfig()], workers=0), ValueError, "workers must be a whole number >= 1, got 0"),
])
def test_bad_sweep_input_is_refused_before_any_training(call, error, words):
    with pytest.raises(error, match=re.escape(words)):
        call()


class RecordingBar(sweep.tqdm):
    """The sweep's tqdm bar, remembering where it stood each time it moved."""
    positions: list = []
    postfixes: list = []

    def update(self, n=1):
        super().update(n)
        RecordingBar.positions.append(self.n)

    def set_postfix_str(self, s="", refresh=True):
        super().set_postfix_str(s, refresh)
        RecordingBar.postfixes.append(s)


@pytest.mark.parametrize("workers, in_process_below, steps", [(1, sweep.IN_PROCESS_FLOPS, 600), (2, 0.0, 4000)],
                         ids=["in this process", "in two workers"])
def test_the_progress_bar_counts_flops_and_moves_inside_a_run(tmp_path, monkeypatch, workers, in_process_below,
                                                              steps):
    # two runs of different sizes: a bar that counted finished runs would move twice, at their ends
    configs = [dataclasses.replace(BASE, steps=steps, n_evals=2, width=w) for w in (64, 96)]
    total = sum(sweep.run_flops(c) for c in configs)
    RecordingBar.positions, RecordingBar.postfixes = [], []
    monkeypatch.setattr(sweep, "tqdm", RecordingBar)
    run_sweep(configs, cache=tmp_path, workers=workers, in_process_below=in_process_below, max_stack=1)
    flops = RecordingBar.positions
    assert flops == sorted(flops) and flops[-1] == pytest.approx(total)
    assert sum(0 < n < total for n in flops) >= 3             # it moved while the runs trained
    assert RecordingBar.postfixes[0] == "0/2 runs"
    assert RecordingBar.postfixes[-1].startswith("2/2 runs · width")    # runs finished beside the FLOPs


def test_progress_resumes_from_the_flops_of_cached_runs(tmp_path, monkeypatch):
    configs = small_grid()
    run_sweep(configs[:2], cache=tmp_path, workers=1, progress=False)
    opened = []
    monkeypatch.setattr(sweep, "tqdm", lambda **kw: opened.append(kw) or RecordingBar(**kw))
    run_sweep(configs, cache=tmp_path, workers=1)
    assert opened[0]["initial"] == pytest.approx(sum(sweep.run_flops(c) for c in configs[:2]))
    assert opened[0]["total"] == pytest.approx(sum(sweep.run_flops(c) for c in configs))
    assert opened[0]["unit"] == "FLOP"
