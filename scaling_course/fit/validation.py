"""Input checks shared by every fit: each bad input gets a ``ValueError`` that says what was wrong.

Scaling-law fits work on logarithms, so every measured quantity (parameters, tokens, FLOPs, loss)
must be a finite, strictly positive number. The checks below catch the usual accidents before
they turn into a ``nan`` deep inside an optimiser:

* a zero, negative, NaN or infinite value (a diverged run, a missing measurement);
* columns of different lengths (a run dropped from one list but not the other);
* fewer points than the law has parameters (nothing to fit);
* a constant input (a slope along an axis that never changes cannot be measured).
"""

from __future__ import annotations

import numpy as np


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
