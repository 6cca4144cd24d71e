"""An on-disk cache of finished runs, so no training is ever done twice.

One JSON file per run, named by a hash of the run's full config and the package version (a
new version of the course may train differently, so it never reuses an older result). Files
are written to a temporary name and then renamed with ``os.replace``, which is atomic: an
interrupted write leaves either the old file or none, never half a file. A file that cannot
be read back anyway (edited by hand, a full disk) is reported with a warning, deleted and
trained again.

The folder is ``$SCALING_COURSE_CACHE`` if set, else ``~/.cache/scaling_course``.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import tempfile
import warnings

from scaling_course.version import __version__

from .runs import RunConfig, RunRecord

ENV_VAR = "SCALING_COURSE_CACHE"


def default_cache_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get(ENV_VAR) or pathlib.Path.home() / ".cache" / "scaling_course")


def run_key(config: RunConfig) -> str:
    """Hash of the full config and the package version: the run's name in the cache."""
    text = json.dumps({"config": config.to_dict(), "version": __version__}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class RunCache:
    """Finished runs on disk, looked up by config."""

    def __init__(self, directory: str | os.PathLike | None = None):
        self.directory = pathlib.Path(directory) if directory is not None else default_cache_dir()

    def path(self, config: RunConfig) -> pathlib.Path:
        return self.directory / f"{run_key(config)}.json"

    def get(self, config: RunConfig) -> RunRecord | None:
        """The cached record of this run, or None if it has not been trained (or is unreadable)."""
        path = self.path(config)
        try:
            text = path.read_text()
        except FileNotFoundError:
            return None
        try:
            record = RunRecord.from_dict(json.loads(text))
            if record.config != config or record.version != __version__:
                raise ValueError("the stored run belongs to a different config or version")
        except (ValueError, TypeError, KeyError) as error:      # JSONDecodeError is a ValueError
            warnings.warn(f"cache entry {path} is corrupted ({error}); it will be trained again",
                          RuntimeWarning, stacklevel=2)
            path.unlink(missing_ok=True)
            return None
        return record

    def put(self, record: RunRecord) -> pathlib.Path:
        """Store a record atomically: write a temporary file, then rename it into place."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path(record.config)
        text = json.dumps(record.to_dict(), allow_nan=False)
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w") as f:
                f.write(text)
            os.replace(temporary, path)
        except BaseException:
            pathlib.Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def __contains__(self, config: RunConfig) -> bool:
        return self.path(config).exists()

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob("*.json")) if self.directory.exists() else 0

    def __repr__(self) -> str:
        return f"RunCache({str(self.directory)!r}, {len(self)} runs)"
