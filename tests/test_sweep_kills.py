"""Killing a sweep at random moments, ten times for each signal and each way of training: at most
the runs in flight are lost, no worker process outlives its sweep, and no cache entry is damaged."""

import os
import random
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from scaling_course.engine.cache import RunCache
from scaling_course.engine.runs import RunConfig
from scaling_course.engine.sweep import grid, run_sweep

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds worker processes through Linux's /proc")

CONFIGS = grid(RunConfig(task="sparse_parity", n_subtasks=6, n_bits=6, width=8, steps=200, batch_size=64,
                         n_evals=3), width=[4, 8, 12, 16, 20, 24])

SWEEP = """
import sys
from scaling_course.engine.runs import RunConfig
from scaling_course.engine.sweep import grid, run_sweep
if __name__ == "__main__":
    configs = grid(RunConfig(task="sparse_parity", n_subtasks=6, n_bits=6, width=8, steps=200, batch_size=64,
                             n_evals=3), width=[4, 8, 12, 16, 20, 24])
    pool = sys.argv[2] == "pool"
    # max_stack=1: one run per job, so runs finish one by one and a kill lands between or inside them
    run_sweep(configs, cache=sys.argv[1], workers=2 if pool else 1, max_stack=1, progress=False,
              in_process_below=0 if pool else float("inf"))
    print("finished")
"""
TRIALS = 10


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The same runs trained without interruption."""
    records = run_sweep(CONFIGS, cache=tmp_path_factory.mktemp("reference"), workers=1, max_stack=1, progress=False)
    return {r.config: r.val_loss for r in records}


CONCURRENT = 2      # trials killed side by side: each waits out its own random delay, so pairs halve the waiting


@pytest.mark.parametrize("path", ["in-process", "pool"])
@pytest.mark.parametrize("kill", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_killed_sweep_loses_only_runs_in_flight_and_leaves_no_orphans(kill, path, reference, tmp_path):
    script = tmp_path / "sweep.py"
    script.write_text(SWEEP)
    rng = random.Random(f"{kill.name} {path}")
    for first in range(0, TRIALS, CONCURRENT):
        trials = range(first, min(first + CONCURRENT, TRIALS))
        started = time.time()
        launched = {}
        for trial in trials:
            launched[trial] = (subprocess.Popen([sys.executable, str(script), str(tmp_path / f"cache-{trial}"), path],
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE),
                               rng.uniform(1.0, 4.0))       # interpreter start, worker start, then mid-sweep
        for trial, (process, delay) in sorted(launched.items(), key=lambda item: item[1][1]):
            time.sleep(max(0.0, started + delay - time.time()))
            workers = _children(process.pid)
            process.send_signal(kill)
            launched[trial] = (process, workers)
        for trial, (process, workers) in launched.items():
            _check_trial(trial, process, workers, kill, reference, tmp_path / f"cache-{trial}")


def _check_trial(trial, process, workers, kill, reference, cache_dir):
    out, err = process.communicate(timeout=60)
    deadline = time.time() + 10
    while any(_alive(w) for w in workers) and time.time() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], f"trial {trial}: workers outlived the sweep"
    assert b"Traceback" not in err or kill == signal.SIGINT or b"KeyboardInterrupt" in err, err[-500:]
    cache = RunCache(cache_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # a damaged entry would warn
        kept = {c: cache.get(c) for c in CONFIGS}
    for config, record in kept.items():
        if record is not None:                   # what was kept is what an uninterrupted sweep gets
            assert record.val_loss == reference[config], f"trial {trial}: width {config.width} differs"
    if b"finished" not in out:
        resumed = run_sweep(CONFIGS, cache=cache, workers=1, max_stack=1, progress=False)
        assert [r.val_loss for r in resumed] == [reference[c] for c in CONFIGS]


COUNTING_SWEEP = """
import sys
from scaling_course.engine import sweep
from scaling_course.engine.runs import RunConfig

trained = []
original = sweep.train_job

def counting(job, device=None, *progress):
    trained.extend(job)
    return original(job, device, *progress)

sweep.train_job = counting
if __name__ == "__main__":
    configs = sweep.grid(RunConfig(task="sparse_parity", n_subtasks=6, n_bits=6, width=8, steps=300, batch_size=64,
                                   n_evals=3), width=[4, 8, 12, 16, 20, 24])
    if sys.argv[2] == "reversed":
        configs = configs[::-1]
    records = sweep.run_sweep(configs, cache=sys.argv[1], workers=1, max_stack=1, progress=False)
    print(len(trained), len(records))
"""


def test_two_sweeps_sharing_a_cache_train_each_run_once(tmp_path):
    script = tmp_path / "sweep.py"
    script.write_text(COUNTING_SWEEP)
    cache_dir = tmp_path / "cache"
    processes = [subprocess.Popen([sys.executable, str(script), str(cache_dir), order], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for order in ("forward", "reversed")]
    outputs = [p.communicate(timeout=300) for p in processes]
    counts = [tuple(map(int, out.split())) for out, _ in outputs]
    assert all(n_records == 6 for _, n_records in counts), outputs
    assert sum(n_trained for n_trained, _ in counts) == 6, counts        # each run trained by one of them
    assert not list(cache_dir.glob(".claim-*"))                          # claims released
