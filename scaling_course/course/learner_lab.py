"""The learner's JupyterLab, as ``scaling-course lab`` (and ``make lab``) serves it.

Two things differ from a plain ``jupyter lab`` in the course folder:

* **No instructor tools.** nbgrader's "Validate" button, "Create Assignment" sidebar, formgrader
  and its menu are for whoever writes and grades the lessons; the learner's lab leaves them out.
  They are switched off by the configuration in ``learner_config/`` (a ``labconfig/page_config.json``
  and a server config), which the lab finds through ``JUPYTER_CONFIG_PATH``. An instructor's own
  ``jupyter lab`` keeps them.
* **The released lessons cannot be changed by accident.** Everything under ``lessons/`` and
  ``solutions/`` opens read-only (JupyterLab then offers "Save As" instead of "Save", and the
  server refuses a save there even where file permissions would allow it, e.g. as root); the
  learner's own copies live in ``workspace/``.
"""

from __future__ import annotations

# LearnerContentsManager is not called by anyone: the lab's server loads it by its dotted name.
__all__ = ["READ_ONLY_FOLDERS", "learner_environment"]

import os
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado import web

#: Folders (relative to the course root) a learner reads but never saves into.
READ_ONLY_FOLDERS = ("lessons", "solutions")

#: Holds the learner lab's Jupyter configuration (see the module docstring).
LEARNER_CONFIG = Path(__file__).with_name("learner_config")


def _read_only(path: str) -> bool:
    first = path.strip("/").split("/", 1)[0]
    return first in READ_ONLY_FOLDERS


class LearnerContentsManager(AsyncLargeFileManager):
    """Jupyter's file manager, with the released lessons read-only (see the module docstring)."""

    def is_writable(self, path: str) -> bool:
        return not _read_only(path) and super().is_writable(path)

    async def save(self, model, path=""):
        if _read_only(path):
            raise web.HTTPError(403, f"{path} is part of the released course and stays as it is: your own copy "
                                     f"of each lesson is in workspace/ (or use File > Save Notebook As...)")
        return await super().save(model, path)

    async def rename_file(self, old_path, new_path):
        if _read_only(old_path) or _read_only(new_path):
            raise web.HTTPError(403, f"files under {', '.join(READ_ONLY_FOLDERS)}/ are part of the released "
                                     f"course; copy one into workspace/ to change it")
        return await super().rename_file(old_path, new_path)

    async def delete_file(self, path):
        if _read_only(path):
            raise web.HTTPError(403, f"{path} is part of the released course and cannot be deleted from the lab")
        return await super().delete_file(path)


def learner_environment(env: dict) -> dict:
    """``env`` with the learner lab's configuration first on ``JUPYTER_CONFIG_PATH``."""
    if not isinstance(env, dict):
        raise TypeError(f"env must be a dict of environment variables such as os.environ, got {type(env).__name__}")
    env = dict(env)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [str(LEARNER_CONFIG), env.get("JUPYTER_CONFIG_PATH")]))
    return env
