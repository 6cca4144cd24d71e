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
