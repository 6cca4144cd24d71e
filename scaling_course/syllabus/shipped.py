"""The shipped results of the standard sweeps: precomputed runs at ``ci``, ``laptop`` and ``full``.

    >>> from scaling_course.syllabus.shipped import reference_results
    >>> len(reference_results("params", "ci"))
    4

They let a workshop skip training and let nbgrader grade without training. Each file in
``reference_runs/`` holds one sweep at one profile as JSON (plain run configs and records:
no module paths, so they survive a reorganisation of the code). Regenerate them with
``scaling-course references --profile laptop [names]``; when a sweep's design only gained runs,
``--keep-shipped`` trains just the new ones and keeps the shipped rest.
"""

from __future__ import annotations

__all__ = ["reference_path", "reference_results", "regenerate_reference", "save_reference"]

import json
import pathlib

from scaling_course.engine.runs import RunRecord
from scaling_course.engine.sweep import run_sweep
from scaling_course.validation import check_list_of

from .profiles import as_profile
from .sweeps import run_standard_sweep, standard, standard_sweep

REFERENCE_DIR = pathlib.Path(__file__).parent / "reference_runs"


REFERENCE_PROFILES = ("ci", "laptop", "full")


def reference_path(name: str, profile: str) -> pathlib.Path:
    """Where the shipped results of sweep ``name`` at ``profile`` lie (a sweep ships at its ``shipped_at``
    profiles: most at all three, lesson 08's one menu at ``laptop`` only)."""
    shipped_at = standard(name).shipped_at
    if profile not in shipped_at:
        raise ValueError(f"sweep {name!r} ships at profile(s) {', '.join(shipped_at)} only, got profile {profile!r}")
    return REFERENCE_DIR / f"{name}-{profile}.json"


def reference_results(name: str, profile: str | None = None) -> list[RunRecord]:
    """The shipped results of a standard sweep (no training). ``grading`` uses ``ci``'s."""
    profile = as_profile(profile).name
    profile = "ci" if profile == "grading" else profile
    standard_sweep(name, profile)                          # validates the name
    path = reference_path(name, profile)
    if not path.exists():
        raise ValueError(f"no reference results for sweep {name!r} at profile {profile!r}; "
                         f"available: {sorted(p.stem for p in REFERENCE_DIR.glob('*.json'))}")
    return [RunRecord.from_dict(values) for values in json.loads(path.read_text())["runs"]]


def save_reference(name: str, profile: str, records: list[RunRecord]) -> pathlib.Path:
    """Write a sweep's records as a reference file (curves included, a few kB per run)."""
    records = check_list_of(records, "records", RunRecord)
    if [r.config for r in records] != standard_sweep(name, profile):
        raise ValueError(f"records must be those of standard_sweep({name!r}, {profile!r}), in its order, got "
                         f"{len(records)} runs that are not")
    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    path = reference_path(name, profile)
    runs = []
    for record in records:
        values = record.to_dict()
        values["seconds"] = round(values["seconds"], 2)
        runs.append(values)
    path.write_text(json.dumps({"sweep": name, "profile": profile, "runs": runs}, allow_nan=False) + "\n")
    return path


def regenerate_reference(name: str, profile: str, keep_shipped: bool = False, **options) -> pathlib.Path:
    """Train a standard sweep at a profile and save it as the shipped results. With
    ``keep_shipped``, runs already in the shipped file are kept and only the runs the sweep's
    design has gained since are trained (valid only if the training code has not changed what
    those runs produce). ``options`` go to :func:`~scaling_course.engine.sweep.run_sweep`."""
    if not keep_shipped or not reference_path(name, profile).exists():
        return save_reference(name, profile, run_standard_sweep(name, profile, **options))
    shipped = {record.config: record for record in reference_results(name, profile)}
    design = standard_sweep(name, profile)
    missing = [config for config in design if config not in shipped]
    options.setdefault("description", f"{name} (new runs)")
    trained = {record.config: record for record in run_sweep(missing, **options)} if missing else {}
    return save_reference(name, profile, [shipped.get(config) or trained[config] for config in design])
