"""An on-disk cache of finished runs, so no training is ever done twice.

One JSON file per run, named by a hash of the run's full config and the package version (a
new version of the course may train differently, so it never reuses an older result). Files
are written to a temporary name and then renamed with ``os.replace``, which is atomic: an
interrupted write leaves either the old file or none, never half a file, and the temporary
files a killed writer leaves are removed later. A file that cannot be read back anyway (edited
by hand, a full disk, values that no run could have) is reported with a warning that names it,
deleted and trained again; a write that fails warns and the sweep goes on with the run in memory.

The folder is ``$SCALING_COURSE_CACHE`` if set, else ``~/.cache/scaling_course``.
"""

from __future__ import annotations

__all__ = ["RunCache", "default_cache_dir", "run_key"]

import contextlib
import hashlib
import json
import os
import pathlib
import tempfile
import time
import warnings

from scaling_course.validation import check_instance
from scaling_course.version import __version__

from .runs import RunConfig, RunRecord

ENV_VAR = "SCALING_COURSE_CACHE"
TEMPORARY_PREFIX = ".tmp-"     # a write in progress; renamed into place when complete
STALE_SECONDS = 60.0           # a temporary file this old belongs to a writer that was killed
CLAIM_PREFIX = ".claim-"       # "this process is training that run": holds the trainer's pid
CLAIM_HOURS = 24.0             # where a pid cannot be checked (Windows), a claim this old is stale


def default_cache_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get(ENV_VAR) or pathlib.Path.home() / ".cache" / "scaling_course")


def run_key(config: RunConfig) -> str:
    """Hash of the full config and the package version: the run's name in the cache."""
    check_instance(config, "config", RunConfig)
    text = json.dumps({"config": config.to_dict(), "version": __version__}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class RunCache:
    """Finished runs on disk, looked up by config."""

    def __init__(self, directory: str | os.PathLike | None = None):
        if directory is not None:
            check_instance(directory, "directory", (str, os.PathLike), "a folder path")
        self.directory = pathlib.Path(directory) if directory is not None else default_cache_dir()

    def path(self, config: RunConfig) -> pathlib.Path:
        return self.directory / f"{run_key(config)}.json"

    def get(self, config: RunConfig) -> RunRecord | None:
        """The cached record of this run, or None if it has not been trained (or cannot be used:
        then a warning names the file and why, the file is removed, and the run trains again)."""
        path = self.path(config)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:          # a folder in the file's place, the cache under a file, no permission
            warnings.warn(f"cache entry {path} cannot be read ({error}); the run will be trained again",
                          RuntimeWarning, stacklevel=2)
            return None
        try:
            record = RunRecord.from_dict(json.loads(raw.decode("utf-8")))
            if record.config != config or record.version != __version__:
                raise ValueError("the stored run belongs to a different config or version")
        except (ValueError, TypeError, KeyError, AttributeError) as error:  # bad UTF-8 and JSON are ValueErrors
            warnings.warn(f"cache entry {path} is corrupted ({error}); it will be trained again",
                          RuntimeWarning, stacklevel=2)
            path.unlink(missing_ok=True)
            return None
        return record

    def put(self, record: RunRecord) -> pathlib.Path | None:
        """Store a record atomically: write a temporary file, then rename it into place. A write
        that fails (read-only folder, full disk) warns and returns None; the caller keeps the record."""
        path = self.path(record.config)
        text = json.dumps(record.to_dict(), allow_nan=False)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._remove_stale_temporaries()
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=TEMPORARY_PREFIX, suffix=".json")
        except OSError as error:
            warnings.warn(f"could not write cache entry {path} ({error}); the run is kept in memory but "
                          "not cached", RuntimeWarning, stacklevel=2)
            return None
        try:
            with os.fdopen(handle, "w") as f:
                f.write(text)
            os.replace(temporary, path)
        except OSError as error:
            pathlib.Path(temporary).unlink(missing_ok=True)
            warnings.warn(f"could not write cache entry {path} ({error}); the run is kept in memory but "
                          "not cached", RuntimeWarning, stacklevel=2)
            return None
        except BaseException:
            pathlib.Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def _remove_stale_temporaries(self) -> None:
        """Remove temporary files left by a writer that was killed mid-write (older than a minute:
        a live writer's file exists for milliseconds)."""
        now = time.time()
        for leftover in self.directory.glob(TEMPORARY_PREFIX + "*"):
            with contextlib.suppress(OSError):
                if now - leftover.stat().st_mtime > STALE_SECONDS:
                    leftover.unlink()

    # --- claims: two sweeps sharing a cache train each run once ------------------------------

    def claim_path(self, config: RunConfig) -> pathlib.Path:
        return self.directory / f"{CLAIM_PREFIX}{run_key(config)}"

    def claim(self, config: RunConfig) -> bool:
        """Claim a run this process is about to train: True if it is now ours, False if another
        live process is training it. A claim left by a process that has died is taken over."""
        path = self.claim_path(config)
        for _ in range(2):
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                owner = _claim_owner(path)
                if owner is not None and owner != os.getpid() and _process_alive(owner, path):
                    return False
                path.unlink(missing_ok=True)            # stale: its owner is gone
                continue
            except OSError:
                return True                             # cannot claim (read-only cache): train it anyway
            with os.fdopen(handle, "w") as f:
                f.write(str(os.getpid()))
            return True
        return True

    def release(self, config: RunConfig) -> None:
        """Give up this process's claim on a run (trained, or interrupted)."""
        path = self.claim_path(config)
        if _claim_owner(path) == os.getpid():
            path.unlink(missing_ok=True)

    def claimed_by_another(self, config: RunConfig) -> bool:
        """Whether a live process other than this one holds the claim on a run."""
        path = self.claim_path(config)
        owner = _claim_owner(path)
        return owner is not None and owner != os.getpid() and _process_alive(owner, path)

    def __contains__(self, config: RunConfig) -> bool:
        return self.path(config).exists()

    def __len__(self) -> int:
        """Finished runs stored (temporary files of writes in progress or killed do not count)."""
        if not self.directory.is_dir():
            return 0
        return sum(1 for p in self.directory.glob("*.json") if not p.name.startswith(TEMPORARY_PREFIX))

    def __repr__(self) -> str:
        return f"RunCache({str(self.directory)!r}, {len(self)} runs)"


def _claim_owner(path: pathlib.Path) -> int | None:
    try:
        return int(path.read_text().strip() or -1)
    except (OSError, ValueError):
        return None


def _process_alive(pid: int, claim: pathlib.Path) -> bool:
    if os.name == "posix":
        try:
            os.kill(pid, 0)                       # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return False
        except PermissionError:
            return True                           # it exists, under another user
        return True
    try:                                          # no signal 0 elsewhere: trust a claim for a day
        return time.time() - claim.stat().st_mtime < CLAIM_HOURS * 3600
    except OSError:
        return False
