"""The package's layers hold: the import contracts in pyproject.toml, torch only where training is,
one name per lesson, and stored runs that name no module."""

import dataclasses
import hashlib
import importlib
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import scaling_course
from scaling_course.checks.registry import LESSONS, available_checks
from scaling_course.engine.cache import RunCache, run_key
from scaling_course.syllabus.shipped import REFERENCE_DIR, reference_results
from scaling_course.syllabus.sweeps import STANDARD_SWEEPS, standard_sweep

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(scaling_course.__file__).parent
LAYERS = ("engine", "science", "syllabus", "lessons", "checks", "course")


def test_the_import_contracts_hold():
    """lint-imports reads the contracts from pyproject.toml: layers, and no torch where none belongs."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout and "kept" in result.stdout


def test_a_contract_breach_is_caught(tmp_path):
    """The contracts can fail: a copy of the package whose science imports the engine breaks them."""
    copy = tmp_path / "scaling_course"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.json", "*.xz", "__pycache__"))
    laws = copy / "science" / "laws.py"
    laws.write_text(laws.read_text() + "\nfrom scaling_course.engine.train import run_flops  # noqa\n")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)})
    assert result.returncode != 0
    assert "scaling_course.science.laws -> scaling_course.engine.train" in result.stdout


TORCH_FREE = [
    "scaling_course",
    "scaling_course.validation",
    "scaling_course.science.fit",
    "scaling_course.science.laws",
    "scaling_course.science.simulate",
    "scaling_course.science.polynomials",
    "scaling_course.engine.runs",
    "scaling_course.engine.cache",
    "scaling_course.engine.data.corpus",
    "scaling_course.syllabus.profiles",
    "scaling_course.lessons.welcome",
    "scaling_course.lessons.polynomials",
    "scaling_course.lessons.scaling_parameters",
    "scaling_course.lessons.scaling_data",
    "scaling_course.lessons.scaling_compute",
    "scaling_course.lessons.fitting_laws",
    "scaling_course.lessons.scale_limits",
    "scaling_course.checks.welcome",
    "scaling_course.checks.polynomials",
]


@pytest.mark.parametrize("module", TORCH_FREE)
def test_analysis_and_plain_data_import_no_torch(module):
    """Run configs and records, the cache, the fits and the lessons' analysis load without torch
    (at run time too, parent packages included, which a static contract does not see)."""
    code = f"import sys, {module}; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False", f"importing {module} imports torch"


def test_training_does_import_torch():
    """The check above can fail: the training loop does import torch."""
    code = "import sys, scaling_course.engine.train; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "True", result.stderr


FOLDERS = sorted(str(p.parent.relative_to(PACKAGE.parent)).replace("/", ".")
                 for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE)


def test_every_folder_is_a_layer_or_inside_one():
    assert {folder.split(".")[1] for folder in FOLDERS} == set(LAYERS)


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_folder_says_in_two_lines_what_lives_there(folder):
    module = importlib.import_module(folder)
    doc = (module.__doc__ or "").strip()
    assert doc and len(doc.splitlines()) == 2, f"{folder}/__init__.py: {doc!r}"


def test_one_name_per_lesson():
    """Notebook NN-some-name has its module some_name in lessons/ (and, with self-checks, in checks/)."""
    slugs = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir() and p.name[:2].isdigit())
    names = [slug[3:].replace("-", "_") for slug in slugs]
    lesson_modules = {m.name for m in pkgutil.iter_modules([str(PACKAGE / "lessons")])}
    shared = {"registry", "timing"}          # the machinery every lesson's checks share
    check_modules = {m.name for m in pkgutil.iter_modules([str(PACKAGE / "checks")])} - shared
    assert set(names) <= lesson_modules, sorted(set(names) - lesson_modules)
    assert lesson_modules - set(names) == {"explorer", "plots", "demo"}   # shared helpers; the dashboard's views
    assert check_modules == set(LESSONS) and set(LESSONS) <= set(names)
    assert {name.split(".")[0] for name in available_checks()} == set(LESSONS)
    for sweep in STANDARD_SWEEPS.values():
        assert sweep.lesson in names


def test_shipped_results_and_cache_entries_name_no_module(tmp_path):
    """Stored runs are plain data (configs and numbers), so moving code never invalidates them."""
    files = sorted(REFERENCE_DIR.glob("*.json"))
    assert len(files) == sum(len(sweep.shipped_at) for sweep in STANDARD_SWEEPS.values())
    for path in files:
        text = path.read_text()
        assert "scaling_course" not in text and "__module__" not in text and "py/object" not in text, path.name
        name, profile = path.stem.rsplit("-", 1)
        assert [r.config for r in reference_results(name, profile)] == standard_sweep(name, profile)
    record = dataclasses.replace(reference_results("params", "ci")[0], version=scaling_course.__version__)
    cache = RunCache(tmp_path)
    stored = cache.put(record).read_text()
    assert "scaling_course" not in stored and cache.get(record.config) == record
    key_source = json.dumps({"config": record.config.to_dict(), "version": scaling_course.__version__}, sort_keys=True)
    assert "scaling_course" not in key_source           # the key hashes the config's fields and the version only
    assert run_key(record.config) == hashlib.sha256(key_source.encode()).hexdigest()[:24]
