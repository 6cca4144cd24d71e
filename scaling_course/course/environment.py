"""Environment check: is this machine ready for the course? (lesson 00, ``scaling-course check-env``)"""

from __future__ import annotations

__all__ = ["EnvironmentReport", "check_environment"]

import importlib
import os
import platform
import sys
from dataclasses import dataclass, field

from scaling_course.syllabus.profiles import get_profile
from scaling_course.validation import check_instance

#: Packages the course imports, with the smallest version tested.
REQUIRED = {
    "numpy": "2.0", "scipy": "1.13", "matplotlib": "3.9", "torch": "2.13.0",
    "ipywidgets": "8.1", "tqdm": "4.66", "nbgrader": "0.9.6", "pandas": "2.2", "voila": "0.5.8",
}


@dataclass
class EnvironmentReport:
    """What the check found. ``ok`` is False when a required package is missing or too old."""

    python: str
    cpu_count: int
    versions: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    torch_threads: int | None = None
    gpu: str | None = None
    profile: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        lines = [f"Python {self.python} on {self.cpu_count} CPU core(s)"]
        lines += [f"  {name:<11} {version}" for name, version in self.versions.items()]
        if self.torch_threads is not None:
            lines.append(f"torch uses {self.torch_threads} thread(s); GPU: {self.gpu or 'none (CPU only, as the course expects)'}")
        lines.append(f"run-size {self.profile}")
        if self.problems:
            lines += ["Problems:"] + [f"  ✗ {p}" for p in self.problems]
            lines.append("Fix: run `make lab` (or `pip install -e .`) from the repository root.")
        else:
            lines.append("✅ Everything the course needs is installed.")
        return "\n".join(lines)


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def check_environment(required: dict[str, str] = REQUIRED) -> EnvironmentReport:
    """Import each required package, compare versions, and describe the hardware."""
    check_instance(required, "required", dict, "a dict of package name to minimum version")
    for name, minimum in required.items():
        check_instance(name, "required", str, "a dict of package name to minimum version")
        check_instance(minimum, "required", str, "a dict of package name to minimum version, as text like '2.0'")
    report = EnvironmentReport(python=platform.python_version(), cpu_count=os.cpu_count() or 1)
    for name, minimum in required.items():
        try:
            module = importlib.import_module(name)
        except ImportError as error:
            report.problems.append(f"{name} is not installed ({error})")
            continue
        version = getattr(module, "__version__", "unknown")
        report.versions[name] = version
        if version != "unknown" and _version_tuple(version) < _version_tuple(minimum):
            report.problems.append(f"{name} {version} is older than the tested {minimum}")
    if "torch" in report.versions:
        import torch
        report.torch_threads = torch.get_num_threads()
        if torch.cuda.is_available():
            report.gpu = torch.cuda.get_device_name(0)
    try:
        report.profile = str(get_profile())
    except ValueError as error:
        report.problems.append(str(error))
    if sys.version_info < (3, 10):
        report.problems.append(f"Python {report.python} is too old; the course needs 3.10 or newer")
    return report
