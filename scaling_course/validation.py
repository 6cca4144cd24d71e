"""Input validation for the whole package, in one style.

Every check names the argument, says what it got and what is allowed, and raises

* ``TypeError`` when the argument is the wrong kind of thing (a string where a number belongs),
* ``ValueError`` when it is the right kind with a wrong value (a negative width, an unknown name),

and returns the value in the form the caller computes with (an int, a float, a float array).
It imports nothing but numpy, so every layer of the package can use it.
"""

from __future__ import annotations

__all__ = [
    "check_array_1d", "check_attributes", "check_callable", "check_choice", "check_finite_array", "check_instance",
    "check_int", "check_list_of", "check_non_negative_int", "check_number", "check_positive_array",
    "check_positive_int", "check_positive_number", "check_positive_or_infinite", "check_seed", "enough_points",
    "fit_columns", "not_constant", "positive_values", "same_length",
]

import numbers
from typing import Any, Callable, Iterable

import numpy as np


def _got(value) -> str:
    """The kind and value of a wrong argument, e.g. ``str '0.01'``."""
    return f"{type(value).__name__} {_show(value)}"


def _show(value) -> str:
    """A value as the learner typed it (numpy scalars as plain numbers), shortened if long."""
    text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_int(value, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an int, or an error unless it is a whole number in [minimum, maximum].

    >>> check_int(3, "width", minimum=1)
    3
    >>> check_int(0, "width", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: width must be a whole number >= 1, got 0
    """
    if minimum is not None and maximum is not None:
        allowed = f"a whole number from {minimum} to {maximum}"
    else:
        allowed = "a whole number" + (f" >= {minimum}" if minimum is not None else "") + \
            (f" <= {maximum}" if maximum is not None else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {allowed}, got {_got(value)}")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {allowed}, got {_show(value)}")
    return int(value)


def check_positive_int(value, name: str) -> int:
    """``value`` as an int, or an error unless it is a whole number >= 1."""
    return check_int(value, name, minimum=1)


def check_non_negative_int(value, name: str) -> int:
    """``value`` as an int, or an error unless it is a whole number >= 0."""
    return check_int(value, name, minimum=0)


def check_number(value, name: str, *, minimum: float | None = None, maximum: float | None = None,
                 above: float | None = None, below: float | None = None) -> float:
    """``value`` as a float, or an error unless it is a finite number within the given bounds
    (``minimum``/``maximum`` inclusive, ``above``/``below`` exclusive).

    >>> check_number(0.5, "level", above=0, below=1)
    0.5
    >>> check_number("0.01", "lr", above=0)
    Traceback (most recent call last):
    ...
    TypeError: lr must be a finite number > 0, got str '0.01'
    """
    bounds = [f">= {minimum:g}" if minimum is not None else "", f"> {above:g}" if above is not None else "",
              f"<= {maximum:g}" if maximum is not None else "", f"< {below:g}" if below is not None else ""]
    allowed = " and ".join(b for b in bounds if b)
    allowed = "a finite number" + (f" {allowed}" if allowed else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {allowed}, got {_got(value)}")
    number = float(value)
    if (not np.isfinite(number) or (minimum is not None and number < minimum)
            or (maximum is not None and number > maximum) or (above is not None and number <= above)
            or (below is not None and number >= below)):
        raise ValueError(f"{name} must be {allowed}, got {_show(value)}")
    return number


def check_positive_number(value, name: str) -> float:
    """``value`` as a float, or an error unless it is a finite number > 0."""
    return check_number(value, name, above=0)


def check_positive_or_infinite(value, name: str) -> float:
    """``value`` as a float if it is > 0, infinity included (a decay constant that never decays).

    >>> check_positive_or_infinite(0, "R_D_star")
    Traceback (most recent call last):
    ...
    ValueError: R_D_star must be a number > 0 (infinity allowed), got 0
    """
    allowed = "a number > 0 (infinity allowed)"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {allowed}, got {_got(value)}")
    if not value > 0:
        raise ValueError(f"{name} must be {allowed}, got {_show(value)}")
    return float(value)


def check_choice(value, name: str, allowed: Iterable) -> Any:
    """``value``, or a ``ValueError`` listing the allowed values.

    >>> check_choice("dataa", "sweep", ["params", "data"])
    Traceback (most recent call last):
    ...
    ValueError: sweep must be one of 'params', 'data', got 'dataa'
    """
    allowed = list(allowed)
    try:
        known = value in allowed
    except TypeError:                  # an unhashable value looked up in a dict's keys
        known = False
    if not known:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {_show(value)}")
    return value


def check_seed(value, name: str = "seed"):
    """``value`` if it can seed numpy's random generator: None (fresh randomness), a whole number
    >= 0, or a ``numpy.random.Generator``.

    >>> check_seed("abc")
    Traceback (most recent call last):
    ...
    TypeError: seed must be None, a whole number >= 0 or a numpy.random.Generator, got str 'abc'
    """
    if value is None or isinstance(value, np.random.Generator):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be None, a whole number >= 0 or a numpy.random.Generator, got {_got(value)}")
    return check_int(value, name, minimum=0)


def check_instance(value, name: str, kind: type | tuple[type, ...], what: str | None = None) -> Any:
    """``value``, or a ``TypeError`` unless it is an instance of ``kind`` (described as ``what``)."""
    if not isinstance(value, kind):
        expected = what or (kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind))
        raise TypeError(f"{name} must be {expected}, got {_got(value)}")
    return value


def check_attributes(value, name: str, attributes: Iterable[str], what: str) -> Any:
    """``value`` if it has every one of ``attributes`` as a number (a law's constants, say), else a ``TypeError``.

    >>> check_attributes("chinchilla", "law", ("E", "alpha"), "a law with E and alpha")
    Traceback (most recent call last):
    ...
    TypeError: law must be a law with E and alpha, got str 'chinchilla'
    """
    if not all(isinstance(getattr(value, attribute, None), numbers.Real) for attribute in attributes):
        raise TypeError(f"{name} must be {what}, got {_got(value)}")
    return value


def check_callable(value, name: str, signature: str) -> Callable:
    """``value``, or a ``TypeError`` unless it can be called as ``signature``."""
    if not callable(value):
        raise TypeError(f"{name} must be a function {signature}, got {_got(value)}")
    return value


def check_list_of(values, name: str, kind: type, what: str | None = None) -> list:
    """``values`` as a non-empty list whose items are all instances of ``kind``.

    >>> check_list_of([], "records", int)
    Traceback (most recent call last):
    ...
    ValueError: records must be a non-empty list of int, got an empty one
    """
    expected = what or kind.__name__
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a non-empty list of {expected}, got {_got(values)}")
    items = list(values)
    if not items:
        raise ValueError(f"{name} must be a non-empty list of {expected}, got an empty one")
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            raise TypeError(f"{name} must be a non-empty list of {expected}, got {_got(item)} at index {i}")
    return items


def check_array_1d(values, name: str, length: int | None = None) -> np.ndarray:
    """``values`` as a finite 1-D float array, or an error saying what is wrong."""
    array = _float_array(values, name, "a 1-D array of numbers")
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of numbers, got an array of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must be a 1-D array of numbers, got an empty one")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got NaN or infinite values at index "
                         f"{int(np.flatnonzero(~np.isfinite(array))[0])}")
    if length is not None and array.size != length:
        raise ValueError(f"{name} must have {length} values (one per sample), got {array.size}")
    return array


def check_finite_array(values, name: str, ndim: int | None = None) -> np.ndarray:
    """``values`` as a finite float array (of ``ndim`` dimensions when given), or an error saying what is wrong.

    >>> check_finite_array([[1.0, 2.0]], "log_inputs", ndim=1)
    Traceback (most recent call last):
    ...
    ValueError: log_inputs must be a 1-D array of numbers, got an array of shape (1, 2)
    """
    what = f"a {ndim}-D array of numbers" if ndim is not None else "numbers"
    array = _float_array(values, name, what)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {what}, got an array of shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got NaN or infinite values")
    return array


def check_positive_array(values, name: str) -> np.ndarray:
    """``values`` (a number or an array of any shape) as floats, or an error unless all are
    finite and > 0. Scaling laws take logarithms of sizes, so they need positive inputs.

    >>> check_positive_array([1e9, 0.0], "N")
    Traceback (most recent call last):
    ...
    ValueError: N must be finite and > 0, got 0.0 at index 1
    """
    array = _float_array(values, name, "positive numbers")
    bad = np.flatnonzero(~(np.isfinite(array) & (array > 0)))
    if bad.size:
        index = tuple(int(i) for i in np.unravel_index(bad[0], array.shape)) if array.ndim > 1 else int(bad[0])
        where = f" at index {index}" if array.ndim else ""
        raise ValueError(f"{name} must be finite and > 0, got {_show(array.flat[bad[0]])}{where}")
    return array


def _float_array(values, name: str, what: str) -> np.ndarray:
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be {what}, got {_got(values)}")
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be {what}, got {_got(values)}") from None


# ---------------------------------------------------------------------------
# Checks shared by every scaling-law fit. Fits work on logarithms, so every measured quantity
# (parameters, tokens, FLOPs, loss) must be a finite, strictly positive number. These catch the
# usual accidents before they become a nan deep inside an optimiser: a zero, negative, NaN or
# infinite value (a diverged run, a missing measurement); columns of different lengths (a run
# dropped from one list but not the other); fewer points than the law has parameters; and a
# constant input (a slope along an axis that never changes cannot be measured).
# ---------------------------------------------------------------------------

def positive_values(values, name: str) -> np.ndarray:
    """``values`` as a 1-D float array, or a ``ValueError`` naming the first bad entry.

    >>> positive_values([1, 2.5], "N")
    array([1. , 2.5])
    """
    array = _float_array(values, name, "numbers")
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat list or 1-D array, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty: a fit needs measured values")
    nan = np.flatnonzero(np.isnan(array))
    if nan.size:
        raise ValueError(f"{name} contains NaN at index {int(nan[0])} ({nan.size} in all): "
                         "drop the failed runs before fitting")
    infinite = np.flatnonzero(np.isinf(array))
    if infinite.size:
        raise ValueError(f"{name} contains an infinite value at index {int(infinite[0])} "
                         f"({infinite.size} in all): drop the diverged runs before fitting")
    non_positive = np.flatnonzero(array <= 0)
    if non_positive.size:
        i = int(non_positive[0])
        raise ValueError(f"{name} must be positive (scaling laws are fitted on logarithms), "
                         f"got {array[i]!r} at index {i} ({non_positive.size} non-positive in all)")
    return array


def same_length(**columns: np.ndarray) -> int:
    """The common length of the named columns, or a ``ValueError`` listing each length.

    >>> same_length(N=[1, 2, 3], loss=[3.0, 2.0])
    Traceback (most recent call last):
    ...
    ValueError: the inputs must have the same length (one value per run), got: N has 3, loss has 2
    """
    lengths = {name: len(column) for name, column in columns.items()}
    if len(set(lengths.values())) > 1:
        listing = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"the inputs must have the same length (one value per run), got: {listing}")
    return next(iter(lengths.values()))


def enough_points(n_points: int, n_parameters: int, what: str) -> None:
    """A ``ValueError`` unless there are at least as many points as parameters to fit.

    >>> enough_points(2, 3, "L = E + A·x^(−α)")
    Traceback (most recent call last):
    ...
    ValueError: L = E + A·x^(−α) has 3 parameters, so the data must have at least 3 points, got 2
    """
    if n_points < n_parameters:
        raise ValueError(f"{what} has {n_parameters} parameters, so the data must have at least "
                         f"{n_parameters} points, got {n_points}")


def not_constant(values: np.ndarray, name: str) -> None:
    """A ``ValueError`` if every value is the same: no slope can be measured along that axis.

    >>> import numpy as np
    >>> not_constant(np.array([1e8, 1e8]), "N")
    Traceback (most recent call last):
    ...
    ValueError: N must vary across runs to fit a scaling exponent along it, got every value 1e+08
    """
    if np.ptp(values) == 0:
        raise ValueError(f"{name} must vary across runs to fit a scaling exponent along it, "
                         f"got every value {values[0]:g}")


def fit_columns(n_parameters: int, what: str, **columns) -> list[np.ndarray]:
    """Validate the columns of one fit in one call: positive, equal length, enough points.

    >>> x, y = fit_columns(2, "a power law", x=[1, 10], y=[3.0, 2.0])
    """
    arrays = {name: positive_values(values, name) for name, values in columns.items()}
    n_points = same_length(**arrays)
    enough_points(n_points, n_parameters, what)
    return list(arrays.values())
