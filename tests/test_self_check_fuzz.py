"""Every self-check, fed wrong answers of every kind: it never raises, never hangs, never passes
them, and never blames the course for the learner's value."""

import sys
import time

import numpy as np
import pytest
import torch

from scaling_course.checks import registry
from scaling_course.checks.registry import available_checks, check


class Unreadable:
    """An object that claims to be an array and then fails when asked for one."""

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("no array here")


def _generator():
    yield from ("GPT-3", "Chinchilla")


WRONG_VALUES = {
    "None": None, "True": True, "zero": 0, "minus one": -1, "10**400": 10**400, "1.5": 1.5,
    "nan": float("nan"), "inf": float("inf"), "complex": 1 + 5j, "text": "text", "bytes": b"bytes",
    "empty list": [], "short list": [1, 2], "tuple": (1,), "dict": {"a": 1}, "empty array": np.zeros(0),
    "2x3 zeros": np.zeros((2, 3)), "complex array": np.array([1 + 5j, 2.0]), "string array": np.array(["a"]),
    "float32": np.float32(0.9), "object": object(), "unreadable": Unreadable(),
    "tensor with grad": torch.ones(3, requires_grad=True), "generator": _generator(),
}


def _returns(value):
    def learner_function(*args, **kwargs):
        return value
    return learner_function


def _exits(*args, **kwargs):
    sys.exit(1)


def _raises(*args, **kwargs):
    raise ValueError("my own bug")


def _loops_forever(*args, **kwargs):
    while True:
        pass


def _sleeps(*args, **kwargs):
    time.sleep(60)


WRONG_ANSWERS = {**{f"value {k}": v for k, v in WRONG_VALUES.items()},
                 **{f"function returning {k}": _returns(v) for k, v in WRONG_VALUES.items()},
                 "function calling sys.exit": _exits, "function raising": _raises,
                 "function looping forever": _loops_forever, "function sleeping": _sleeps}


@pytest.fixture(autouse=True)
def short_time_limit(monkeypatch):
    monkeypatch.setattr(registry, "TIME_LIMIT_SECONDS", 0.3)


@pytest.mark.parametrize("name", available_checks())
def test_no_wrong_answer_passes_raises_or_blames_the_course(name, capsys):
    for label, answer in WRONG_ANSWERS.items():
        started = time.perf_counter()
        result = check(name, answer)
        out = capsys.readouterr().out
        assert not result, f"{name} passed {label}"
        assert "❌" in out, f"{name} printed no verdict for {label}: {out}"
        assert "stumbled" not in out and "course bug" not in out, f"{name} blamed itself for {label}: {out}"
        assert time.perf_counter() - started < 10, f"{name} took too long on {label}"


def test_an_endless_loop_is_stopped_and_named(capsys):
    assert not check("welcome.training_flops", _loops_forever)
    out = capsys.readouterr().out
    assert "still running after 0.3 seconds" in out and "loop" in out


def test_sys_exit_in_learner_code_does_not_escape(capsys):
    assert not check("welcome.training_flops", _exits)
    assert "sys.exit()" in capsys.readouterr().out


def test_a_complex_answer_is_rejected_even_when_its_real_part_is_right(capsys):
    from scaling_course.science import polynomials
    assert not check("polynomials.design_matrix", lambda x, degree: polynomials.design_matrix(x, degree) + 5j)
    assert "complex" in capsys.readouterr().out


def test_a_float32_answer_is_compared_at_float32_precision(capsys):
    from scaling_course.science import polynomials
    assert check("polynomials.design_matrix",
                 lambda x, degree: polynomials.design_matrix(x, degree).astype(np.float32))
    assert check("welcome.tokens_per_parameter", lambda n, d: np.float32(d / n))


def test_a_generator_of_the_right_names_passes(capsys):
    from scaling_course.science import reference
    assert check("welcome.near_chinchilla", lambda models, factor: iter(reference.near_chinchilla(models, factor)))


def test_an_off_answer_shows_enough_digits_to_see_the_difference():
    assert registry._digits(0.9000001, 0.9) == "0.9000001 but should be 0.9"
    assert registry._digits(2.5, 3.0) == "2.5 but should be 3"
