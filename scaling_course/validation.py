"""Input validation shared by the package: errors that say what was wrong and what is expected."""

from __future__ import annotations

import numbers

import numpy as np


def check_positive_int(value, name: str) -> int:
    """Return ``value`` as an int, or raise if it is not a whole number >= 1."""
    return _check_int(value, name, minimum=1)


def check_non_negative_int(value, name: str) -> int:
    """Return ``value`` as an int, or raise if it is not a whole number >= 0."""
    return _check_int(value, name, minimum=0)


def _check_int(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_positive_number(value, name: str) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return value


def check_array_1d(values, name: str, length: int | None = None) -> np.ndarray:
    """Return ``values`` as a finite 1-D float array, or raise saying what is wrong."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 1-D array of numbers, got {type(values).__name__}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty; expected at least one value")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if length is not None and array.size != length:
        raise ValueError(f"{name} has {array.size} values but {length} were expected (one per sample)")
    return array

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
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, got {type(values).__name__}") from None
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
    ValueError: the inputs must have the same length (one value per run): N has 3, loss has 2
    """
    lengths = {name: len(column) for name, column in columns.items()}
    if len(set(lengths.values())) > 1:
        listing = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"the inputs must have the same length (one value per run): {listing}")
    return next(iter(lengths.values()))


def enough_points(n_points: int, n_parameters: int, what: str) -> None:
    """A ``ValueError`` unless there are at least as many points as parameters to fit.

    >>> enough_points(2, 3, "L = E + A·x^(−α)")
    Traceback (most recent call last):
    ...
    ValueError: L = E + A·x^(−α) has 3 parameters, so it needs at least 3 data points; got 2
    """
    if n_points < n_parameters:
        raise ValueError(f"{what} has {n_parameters} parameters, so it needs at least "
                         f"{n_parameters} data points; got {n_points}")


def not_constant(values: np.ndarray, name: str) -> None:
    """A ``ValueError`` if every value is the same: no slope can be measured along that axis.

    >>> import numpy as np
    >>> not_constant(np.array([1e8, 1e8]), "N")
    Traceback (most recent call last):
    ...
    ValueError: N is constant (every value is 1e+08): a scaling exponent along N cannot be fitted; vary N across runs
    """
    if np.ptp(values) == 0:
        raise ValueError(f"{name} is constant (every value is {values[0]:g}): a scaling exponent "
                         f"along {name} cannot be fitted; vary {name} across runs")


def fit_columns(n_parameters: int, what: str, **columns) -> list[np.ndarray]:
    """Validate the columns of one fit in one call: positive, equal length, enough points.

    >>> x, y = fit_columns(2, "a power law", x=[1, 10], y=[3.0, 2.0])
    """
    arrays = {name: positive_values(values, name) for name, values in columns.items()}
    n_points = same_length(**arrays)
    enough_points(n_points, n_parameters, what)
    return list(arrays.values())
