"""pyproject.toml and environment.yml describe the same environment."""

import re

import pytest
import yaml

tomllib = pytest.importorskip("tomllib")   # Python 3.11+

# conda-forge splits dask[distributed] into two packages and has python/pip entries of its own
CONDA_ONLY = {"python", "pip"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)$", requirement)
    return match.group(1).lower().replace("_", "-"), match.group(3).replace(" ", "")


def _pyproject(course_root) -> dict[str, str]:
    project = tomllib.loads((course_root / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    wanted = dict(_split(r) for r in requirements)
    if "dask" in wanted:                       # dask[distributed] -> dask + distributed on conda
        wanted["distributed"] = wanted["dask"]
    return wanted


def _environment(course_root) -> dict[str, str]:
    env = yaml.safe_load((course_root / "environment.yml").read_text())
    found = {}
    for entry in env["dependencies"]:
        entries = entry["pip"] if isinstance(entry, dict) else [entry]
        for requirement in entries:
            name, spec = _split(requirement)
            if name not in CONDA_ONLY:
                found[name] = spec
    return found


def test_same_packages_and_bounds(course_root):
    assert _environment(course_root) == _pyproject(course_root)


def test_torch_is_pinned_to_the_cpu_wheel(course_root):
    assert _pyproject(course_root)["torch"] == "==2.13.0"


def test_every_dependency_has_a_tested_upper_bound_or_pin(course_root):
    for name, spec in _pyproject(course_root).items():
        if name in ("dask", "distributed"):
            continue   # an optional extra that follows the user's cluster
        assert "<" in spec or spec.startswith("=="), f"{name} has no upper bound: {spec!r}"
