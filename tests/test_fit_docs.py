"""Every public function of the scaling-law toolkit has a docstring, and its examples run."""

import doctest
import importlib
import inspect

import pytest

MODULES = ["scaling_course.science.laws", "scaling_course.science.simulate"] + [
    f"scaling_course.science.fit.{name}" for name in (
        "batched_bfgs", "bootstrap", "broken_power_law", "chinchilla", "convergence",
        "data_constrained", "extrapolate", "goodness", "huber", "isoflop", "loglinear", "multistart",
        "objective", "power_law", "quantization", "robust_least_squares")]


#: Other modules whose docstrings carry examples: they must run too.
EXAMPLES_ELSEWHERE = ["scaling_course.validation", "scaling_course.engine.runs", "scaling_course.syllabus.sweeps",
                      "scaling_course.syllabus.shipped", "scaling_course.syllabus.live",
                      "scaling_course.syllabus.profiles", "scaling_course.science.reference",
                      "scaling_course.science.polynomials", "scaling_course.lessons.scaling_parameters",
                      "scaling_course.syllabus.lab", "scaling_course.lessons.capstone"]


@pytest.mark.parametrize("name", MODULES + EXAMPLES_ELSEWHERE)
def test_examples_in_docstrings_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if name in EXAMPLES_ELSEWHERE:
        assert result.attempted > 0, f"{name} has no examples left: drop it from the list"


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_have_docstrings(name):
    module = importlib.import_module(name)
    assert module.__doc__
    for attribute, value in vars(module).items():
        if attribute.startswith("_") or getattr(value, "__module__", None) != name:
            continue
        if inspect.isfunction(value) or inspect.isclass(value):
            assert value.__doc__, f"{name}.{attribute} has no docstring"
        if inspect.isfunction(value):
            assert ">>>" in value.__doc__, f"{name}.{attribute} has no example"


def test_the_fit_package_exports_its_api():
    fit = importlib.import_module("scaling_course.science.fit")
    for name in fit.__all__:
        assert getattr(fit, name).__doc__, name
