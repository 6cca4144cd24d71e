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

__all__ = ["CheckFailed", "CheckResult", "available_checks", "check", "progress", "register", "register_question"]

import importlib
import math
import numbers
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from scaling_course.validation import check_instance

from .timing import CHECK_SECONDS, CHECK_SECONDS_GRADING, TimeUp, grading, time_limit


#: A self-check stops the learner's code after this many seconds (an endless loop, a long sleep);
#: while nbgrader grades, after CHECK_SECONDS_GRADING (see timing.py).
TIME_LIMIT_SECONDS = CHECK_SECONDS


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
_LATEST: dict[str, bool] = {}          # the latest verdict of each check run in this session


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
    check_instance(name, "name", str)
    if name.count(".") != 1:
        raise ValueError(f"name must look like 'lesson.exercise', got {name!r}")

    def decorate(fn):
        _REGISTRY[name] = _Check(name, fn, hint)
        return fn

    return decorate


def register_question(name: str, explanations: dict[str, tuple[bool, str]]) -> None:
    """Register the self-check of a multiple-choice question: ``explanations`` maps each letter to (right or not,
    why). The check says why the chosen letter is right or wrong and nothing about the other letters."""
    check_instance(explanations, "explanations", dict, "a dict of letter to (right, why)")
    letters = sorted(explanations)

    def run(answer):
        if not isinstance(answer, str) or answer not in explanations:
            # exactly as the graded test reads it: "B" or " b" would lose the point there
            raise CheckFailed(f"answer with one lowercase letter, one of {', '.join(map(repr, letters))}, "
                              f"got {answer!r}.")
        right, why = explanations[answer]
        if not right:
            raise CheckFailed(f"not this one: {why}", "Re-read the section the statement is about, then try again.")
        return why
    register(name)(run)


#: The lessons with self-checks: each has a module of this package with the lesson's name.
LESSONS = ("welcome", "polynomials", "tiny_models", "scaling_parameters", "scaling_data", "scaling_compute",
           "fitting_laws", "scale_limits", "capstone")


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
    result = _check(name, answer)
    if result.name in _REGISTRY:            # an unknown name is reported, not recorded
        _LATEST[result.name] = result.passed
    return result


def progress(lesson: str) -> dict[str, bool | None]:
    """Print, and return, where each self-check of ``lesson`` stands in this session: passed (True), not yet
    (False) or not run (None), by check name. ``lesson`` is a lesson's module name, e.g. ``"polynomials"``."""
    check_instance(lesson, "lesson", str)
    if lesson not in LESSONS:
        raise ValueError(f"lesson must be one of {', '.join(map(repr, LESSONS))}, got {lesson!r}")
    _load(lesson)
    names = [name for name in _REGISTRY if name.startswith(lesson + ".")]      # in the order of the lesson
    state = {name: _LATEST.get(name) for name in names}
    marks = {True: "✅ passed", False: "❌ not yet", None: "·  not run"}
    print(f"{lesson}: {sum(v is True for v in state.values())} of {len(state)} self-checks passed")
    for name, passed in state.items():
        print(f"  {marks[passed]:<11} {name}")
    return state


def _check(name: str, answer: Any) -> CheckResult:
    spec = _lookup(name)
    if spec is None:
        names = ", ".join(available_checks())
        print(f"❓ There is no self-check called {name!r}. Known checks: {names}")
        return CheckResult(str(name), False)
    seconds = CHECK_SECONDS_GRADING if grading() else TIME_LIMIT_SECONDS
    try:
        with time_limit(seconds):
            extra = spec.run(answer)
    except CheckFailed as failure:
        _report_failure(spec.name, failure.message, failure.hint or spec.hint)
        return CheckResult(spec.name, False)
    except TimeUp:
        _report_failure(spec.name, f"your code was still running after {seconds:g} seconds, so the check "
                        "stopped it.", "Look for a loop that never ends, or a sleep; an exercise here takes well "
                        "under a second.")
        return CheckResult(spec.name, False)
    except SystemExit:
        _report_failure(spec.name, "your code called exit() or sys.exit(), which would stop the notebook's kernel.",
                        "Return a value instead of exiting.")
        return CheckResult(spec.name, False)
    except Exception as error:  # the check could not use the answer: say so, without blaming anyone
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        _report_failure(spec.name, f"the self-check could not use your answer ({detail}).",
                        spec.hint or "Check that you return the kind of value the exercise asks for.")
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

NOT_DONE_HINT = ("Replace the line `raise NotImplementedError(...)` with your code, run the cell, then run the check "
                 "again.")


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
    except SystemExit:
        raise CheckFailed(f"{name} called exit() or sys.exit(), which would stop the notebook's kernel.",
                          "Return a value instead of exiting.") from None
    except Exception as error:
        arg_text = ", ".join([_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()])
        raise CheckFailed(
            f"calling {name}({arg_text}) raised {type(error).__name__}: {error}",
            "Run your function on this input in a new cell to see the full error.",
        ) from None


def _as_numpy(value: Any, what: str) -> np.ndarray:
    """The answer as a numpy array of its own dtype, or a CheckFailed that says why not."""
    if hasattr(value, "detach") and hasattr(value, "numpy"):         # a torch tensor, possibly with grad
        value = value.detach().cpu().numpy()
    if isinstance(value, (str, bytes)):
        raise CheckFailed(f"{what} should be numbers, got the text {_short(value)}.")
    try:
        return np.asarray(value)
    except Exception as error:
        raise CheckFailed(f"{what} could not be read as numbers ({type(error).__name__}: {error}).") from None


def _real_floats(array: np.ndarray, what: str) -> np.ndarray:
    if np.iscomplexobj(array):
        raise CheckFailed(f"{what} has complex values; the answer is real.",
                          "Look for a square root or a power of a negative number, or a stray `j`.")
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.number)):
        raise CheckFailed(f"{what} should be numbers, got {array.dtype} values.")
    if np.issubdtype(array.dtype, np.floating) and array.dtype.itemsize < 8:
        return array.astype(np.float32)          # kept single, so expect_close compares it as such
    try:
        return array.astype(float)
    except OverflowError:
        raise CheckFailed(f"{what} has a value too large for a float.") from None


def expect_number(value: Any, what: str) -> float:
    """Fail unless ``value`` is one finite real number; return it as a float (float32 if it was one)."""
    if value is None:
        raise CheckFailed(f"{what} is None.", "Did you forget a `return` statement?")
    if isinstance(value, bool):
        raise CheckFailed(f"{what} should be a number, got {value}.")
    single = _single_precision(value)           # kept single, so expect_close compares it as such
    if not isinstance(value, numbers.Real):
        array = _as_numpy(value, what)
        if array.size != 1:
            raise CheckFailed(f"{what} should be one number, got {type(value).__name__} of shape {array.shape}.")
        value = _real_floats(array.reshape(()), what)[()]
    try:
        value = float(value)
    except OverflowError:
        raise CheckFailed(f"{what} is too large for a float ({_short(value)}).") from None
    if not math.isfinite(value):
        raise CheckFailed(f"{what} is {value}, not a finite number.",
                          "Look for a division by zero or a log of a non-positive number.")
    return np.float32(value) if single else value


def expect_array(value: Any, what: str, shape: tuple | None = None) -> np.ndarray:
    """Fail unless ``value`` is a finite, real numeric array of the given shape; return it as floats."""
    if value is None:
        raise CheckFailed(f"{what} is None.", "Did you forget a `return` statement?")
    raw = _as_numpy(value, what)
    if raw.dtype == object:
        raise CheckFailed(f"{what} should be an array of numbers, got {type(value).__name__}.")
    array = _real_floats(raw, what)
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
    single = _single_precision(actual)
    actual = expect_array(actual, what, shape=expected.shape) if expected.ndim else expect_number(actual, what)
    if single:            # float32 carries about 7 digits: compare it as such
        rtol, atol = max(rtol, 1e-5), max(atol, 1e-6 * float(np.max(np.abs(expected), initial=0.0)))
    if not np.allclose(actual, expected, rtol=rtol, atol=atol):
        if expected.ndim:
            worst = int(np.argmax(np.abs(np.asarray(actual) - expected).ravel()))
            detail = (f"{_where(np.unravel_index(worst, expected.shape))} it is "
                      f"{_digits(np.ravel(actual)[worst], expected.ravel()[worst])}")
        else:
            detail = f"it is {_digits(actual, float(expected))}"
        raise CheckFailed(f"{what} is off: {detail}.", hint)


def _where(index: tuple) -> str:
    """Where in an array, in words: entry 3, row 2 column 5, or position (1, 2, 0)."""
    if len(index) == 1:
        return f"at entry {index[0]} (counting from 0)"
    if len(index) == 2:
        return f"at row {index[0]}, column {index[1]} (counting from 0)"
    return f"at position {tuple(int(i) for i in index)}"


def _single_precision(value: Any) -> bool:
    dtype = getattr(value, "dtype", None)
    return dtype is not None and str(dtype).replace("torch.", "") in ("float32", "float16", "bfloat16")


def _digits(got: float, want: float) -> str:
    """'it is X but should be Y' with enough digits that X and Y differ on the page."""
    for digits in (6, 10, 17):
        a, b = f"{got:.{digits}g}", f"{want:.{digits}g}"
        if a != b:
            break
    return f"{a} but should be {b}"


def _short(value: Any, limit: int = 40) -> str:
    if isinstance(value, np.ndarray):
        return f"array(shape={value.shape})"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
