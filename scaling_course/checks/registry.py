"""Self-checks for learners: one call after an exercise says "passed" or what to fix.

In a notebook::

    from scaling_course import check
    check("polynomials.design_matrix", design_matrix)

prints a pass message, or what is wrong plus a hint. It never raises: wrong types,
wrong shapes, NaNs, ``None`` returned by mistake and exceptions inside the learner's
own code all become friendly messages. It returns a :class:`CheckResult`, which is true
when the check passed and shows nothing extra in a notebook.

Self-checks are for learning, not grading; nbgrader's test cells grade. Each lesson's
checks live in ``scaling_course/checks/<lesson>.py`` (the lesson's module name, as in
``scaling_course/lessons/``) and are registered with :func:`register`.
"""

from __future__ import annotations

import importlib
import math
import numbers
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np


class CheckFailed(Exception):
    """Raised inside a check to report a problem with the learner's answer."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class _Check:
    name: str
    run: Callable[[Any], str | None]   # returns an optional extra pass message
    hint: str                          # shown when the check fails without its own hint


_REGISTRY: dict[str, _Check] = {}


@dataclass(frozen=True)
class CheckResult:
    """The verdict of :func:`check`: true if it passed. The message was already printed."""

    name: str
    passed: bool

    def __bool__(self) -> bool:
        return self.passed

    def _ipython_display_(self):
        """Show nothing: a notebook cell ending in check(...) should not add an Out[] line."""


def register(name: str, hint: str = ""):
    """Decorator that registers a check under ``"<lesson>.<exercise>"``."""
    if name.count(".") != 1:
        raise ValueError(f"check names look like 'lesson.exercise', got {name!r}")

    def decorate(fn):
        _REGISTRY[name] = _Check(name, fn, hint)
        return fn

    return decorate


#: The lessons with self-checks: each has a module of this package with the lesson's name.
LESSONS = ("welcome", "polynomials", "tiny_models", "scaling_parameters", "scaling_data", "scaling_compute")


def available_checks() -> list[str]:
    """Names of all self-checks, e.g. ``'polynomials.design_matrix'``."""
    for lesson in LESSONS:
        _load(lesson)
    return sorted(_REGISTRY)


def _load(lesson: str) -> None:
    # A lesson's checks are imported when first asked for, so that checking lesson 00 does not
    # import torch (lesson 02's checks count a GPT's parameters with the engine).
    importlib.import_module(f"scaling_course.checks.{lesson}")


def _lookup(name: str) -> _Check | None:
    if not isinstance(name, str) or "." not in name:
        return None
    lesson = name.split(".", 1)[0]
    if lesson in LESSONS:
        _load(lesson)
    return _REGISTRY.get(name)


def check(name: str, answer: Any) -> CheckResult:
    """Check the learner's ``answer`` for exercise ``name``; print the verdict and return it."""
    spec = _lookup(name)
    if spec is None:
        names = ", ".join(available_checks())
        print(f"❓ There is no self-check called {name!r}. Known checks: {names}")
        return CheckResult(str(name), False)
    try:
        extra = spec.run(answer)
    except CheckFailed as failure:
        _report_failure(spec.name, failure.message, failure.hint or spec.hint)
        return CheckResult(spec.name, False)
    except Exception as error:  # a bug in the check itself must not look like the learner's fault
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        _report_failure(spec.name, f"the self-check itself stumbled ({detail}).",
                        "This may be a course bug; the nbgrader tests below still grade your answer.")
        return CheckResult(spec.name, False)
    message = f"✅ {spec.name}: passed."
    if extra:
        message += f" {extra}"
    print(message)
    return CheckResult(spec.name, True)


def _report_failure(name: str, message: str, hint: str) -> None:
    text = f"❌ {name}: not yet. {message}"
    if hint:
        text += f"\n💡 Hint: {hint}"
    print(text)


# ---------------------------------------------------------------------------
# Building blocks for writing checks
# ---------------------------------------------------------------------------

NOT_DONE_HINT = "Replace the line `raise NotImplementedError()` with your code, run the cell, then run the check again."


def expect_callable(answer: Any, what: str) -> Callable:
    """Fail unless ``answer`` is a function (and not, say, its result)."""
    if not callable(answer):
        raise CheckFailed(
            f"expected the function {what}, got a {type(answer).__name__}.",
            f"Pass the function itself, without calling it: check(..., {what.split('(')[0]}).",
        )
    return answer


def call_learner(fn: Callable, *args, **kwargs) -> Any:
    """Call the learner's function, turning its exceptions into friendly failures."""
    name = getattr(fn, "__name__", "your function")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise CheckFailed(f"{name} is not written yet.", NOT_DONE_HINT) from None
    except Exception as error:
        arg_text = ", ".join([_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()])
        raise CheckFailed(
            f"calling {name}({arg_text}) raised {type(error).__name__}: {error}",
            "Run your function on this input in a new cell to see the full error.",
        ) from None


def expect_number(value: Any, what: str) -> float:
    """Fail unless ``value`` is one finite real number; return it as a float."""
    if value is None:
        raise CheckFailed(f"{what} is None.", "Did you forget a `return` statement?")
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise CheckFailed(f"{what} should be a number, got {type(value).__name__} {_short(value)}.")
    value = float(value)
    if not math.isfinite(value):
        raise CheckFailed(f"{what} is {value}, not a finite number.",
                          "Look for a division by zero or a log of a non-positive number.")
    return value


def expect_array(value: Any, what: str, shape: tuple | None = None) -> np.ndarray:
    """Fail unless ``value`` is a finite numeric array of the given shape; return it."""
    if value is None:
        raise CheckFailed(f"{what} is None.", "Did you forget a `return` statement?")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"{what} should be an array of numbers, got {type(value).__name__}.") from None
    if shape is not None and array.shape != tuple(shape):
        raise CheckFailed(
            f"{what} has shape {array.shape}, expected {tuple(shape)}.",
            "Print the .shape of your intermediate arrays to see where rows or columns go astray.",
        )
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.isfinite(array).sum())
        raise CheckFailed(f"{what} contains {bad} NaN or infinite value(s).",
                          "Look for a division by zero, an overflow, or an uninitialised array.")
    return array


def expect_close(actual: Any, expected: Any, what: str, rtol: float = 1e-6, atol: float = 0.0,
                 hint: str = "") -> None:
    """Fail unless ``actual`` matches ``expected`` to the given tolerance."""
    expected = np.asarray(expected, dtype=float)
    actual = expect_array(actual, what, shape=expected.shape) if expected.ndim else expect_number(actual, what)
    if not np.allclose(actual, expected, rtol=rtol, atol=atol):
        if expected.ndim:
            worst = int(np.argmax(np.abs(np.asarray(actual) - expected).ravel()))
            detail = (f"at flat index {worst} it is {np.ravel(actual)[worst]:.6g} "
                      f"but should be {expected.ravel()[worst]:.6g}")
        else:
            detail = f"it is {actual:.6g} but should be {float(expected):.6g}"
        raise CheckFailed(f"{what} is off: {detail}.", hint)


def _short(value: Any, limit: int = 40) -> str:
    if isinstance(value, np.ndarray):
        return f"array(shape={value.shape})"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
