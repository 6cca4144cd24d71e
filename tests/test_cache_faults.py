"""The run cache under damage: every corruption is detected, named by file and trained again;
killed writes leave nothing behind; failed writes keep the run and warn."""

import json
import os
import time

import pytest

from scaling_course.engine.cache import STALE_SECONDS, RunCache
from scaling_course.engine.runs import RunConfig
from scaling_course.engine.sweep import run_sweep

CONFIG = RunConfig(task="sparse_parity", n_subtasks=6, n_bits=6, width=8, steps=30, batch_size=32, n_evals=3)
OTHER = RunConfig(task="sparse_parity", n_subtasks=6, n_bits=6, width=4, steps=30, batch_size=32, n_evals=3)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A real cache entry's text and record."""
    directory = tmp_path_factory.mktemp("cache")
    record = run_sweep([CONFIG], cache=directory, workers=1, progress=False)[0]
    return RunCache(directory).path(CONFIG).read_bytes(), record


def _edit(field, value):
    def corrupt(text):
        values = json.loads(text)
        values[field] = value
        return json.dumps(values).encode()
    return corrupt


def _edit_config(field, value):
    def corrupt(text):
        values = json.loads(text)
        values["config"][field] = value
        return json.dumps(values).encode()
    return corrupt


def _with_nan(text):
    values = json.loads(text)
    values["val_loss"][-1] = float("nan")
    return json.dumps(values).encode()                   # json writes the NaN literal Python reads back


CORRUPTIONS = {
    "empty file": lambda text: b"",
    "truncated": lambda text: text[: len(text) // 2],
    "invalid UTF-8": lambda text: b"\xc3\x28" + text,
    "a trailing 0xff byte": lambda text: text + b"\xff",
    "not JSON": lambda text: b"hello",
    "a JSON list": lambda text: b"[1, 2, 3]",
    "JSON null": lambda text: b"null",
    "no config": lambda text: json.dumps({k: v for k, v in json.loads(text).items() if k != "config"}).encode(),
    "another run's config": _edit_config("width", 4),
    "another version": _edit("version", "0.0.1"),
    "an impossible config": _edit_config("width", -1),
    "an unknown config field": _edit_config("colour", "blue"),
    "an unknown field": _edit("colour", "blue"),
    "empty val_loss": _edit("val_loss", []),
    "val_loss as text": lambda text: _edit("val_loss", ["low"] * len(json.loads(text)["val_loss"]))(text),
    "a NaN loss": _with_nan,
    "a negative loss": lambda text: _edit("val_loss", [-1.0] * len(json.loads(text)["val_loss"]))(text),
    "negative n_params": _edit("n_params", -5),
    "curves of different lengths": lambda text: _edit("tokens", json.loads(text)["tokens"][:-1])(text),
    "diverged as text": _edit("diverged", "yes"),
    "steps going backwards": lambda text: _edit("steps", json.loads(text)["steps"][::-1])(text),
    "subtask losses as text": _edit("subtask_loss", "none"),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_every_corruption_is_named_by_file_removed_and_trained_again(kind, stored, tmp_path):
    text, record = stored
    cache = RunCache(tmp_path)
    path = cache.path(CONFIG)
    path.write_bytes(CORRUPTIONS[kind](text))
    with pytest.warns(RuntimeWarning, match=f"cache entry {path}.* (corrupted|cannot be read)"):
        assert cache.get(CONFIG) is None
    assert not path.exists()
    again = run_sweep([CONFIG], cache=cache, workers=1, progress=False)[0]
    assert again.val_loss == record.val_loss and cache.get(CONFIG) == again


def test_a_folder_in_an_entrys_place_is_reported_and_the_run_is_kept(stored, tmp_path):
    cache = RunCache(tmp_path)
    cache.path(CONFIG).mkdir(parents=True)
    with pytest.warns(RuntimeWarning) as caught:
        again = run_sweep([CONFIG], cache=cache, workers=1, progress=False)[0]
    messages = " ".join(str(w.message) for w in caught)
    assert "cannot be read" in messages and "kept in memory" in messages and str(cache.path(CONFIG)) in messages
    assert again.val_loss == stored[1].val_loss


def test_a_failed_write_keeps_the_run_warns_and_the_sweep_goes_on(stored, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    cache = RunCache(blocker / "cache")                          # a cache folder under a regular file
    with pytest.warns(RuntimeWarning, match="kept in memory but not cached"):
        records = run_sweep([CONFIG, OTHER], cache=cache, workers=1, progress=False)
    assert records[0].val_loss == stored[1].val_loss and len(records) == 2


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root writes into read-only folders, so a read-only cache cannot be simulated")
def test_a_read_only_cache_keeps_the_run_and_warns(stored, tmp_path):
    tmp_path.chmod(0o500)
    try:
        with pytest.warns(RuntimeWarning, match="kept in memory"):
            record = run_sweep([CONFIG], cache=tmp_path, workers=1, progress=False)[0]
        assert record.val_loss == stored[1].val_loss
    finally:
        tmp_path.chmod(0o700)


def test_a_killed_writers_temporary_file_is_not_counted_and_is_cleaned_up(stored, tmp_path):
    cache = RunCache(tmp_path)
    run_sweep([CONFIG], cache=cache, workers=1, progress=False)
    leftover = tmp_path / ".tmp-killed.json"
    leftover.write_bytes(stored[0][:50])
    old = time.time() - 2 * STALE_SECONDS
    os.utime(leftover, (old, old))
    fresh = tmp_path / ".tmp-writing-now.json"                # a write in progress must be left alone
    fresh.write_bytes(b"{")
    assert len(cache) == 1
    run_sweep([OTHER], cache=cache, workers=1, progress=False)
    assert not leftover.exists() and fresh.exists() and len(cache) == 2
