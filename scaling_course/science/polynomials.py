"""Polynomial least squares: parameter count as capacity, and double descent.

The wiggly target and the double-descent setup (Belkin et al. 2019; Nakkiran et al. 2021,
"Deep Double Descent", arXiv:1912.02292) in their minimal, one-dimensional form:

    y = sin(2πx) + 0.5·cos(5x) + N(0, 0.1²),   x ~ U[-1, 1]

A polynomial of degree d has p = d + 1 coefficients: its parameters. Past the interpolation
threshold (p = n samples) least squares has many exact solutions; ``np.linalg.lstsq`` returns
the one of minimum norm, whose test error can fall again ("double descent", Belkin et al.
2019, PNAS 116(32):15849). Which interpolant is "minimal" depends on how the features are
scaled: features s_k·P_k(x) with s_k = 1/(k+1) favour smooth, low-degree fits.
"""

from __future__ import annotations

__all__ = [
    "NOISE_STD", "design_matrix", "double_descent_curve", "errors_by_degree", "feature_count_grid", "fit_polynomial",
    "legendre_features", "mean_squared_error", "min_norm_test_error", "predict", "sample_data", "target_function",
]

import numbers

import numpy as np
from numpy.polynomial import legendre

from scaling_course.validation import (
    check_array_1d,
    check_callable,
    check_choice,
    check_finite_array,
    check_int,
    check_list_of,
    check_non_negative_int,
    check_number,
    check_positive_int,
    check_seed,
)

NOISE_STD = 0.1   # standard deviation of the label noise


def target_function(x):
    """The wiggly function the learner tries to fit: sin(2πx) + 0.5·cos(5x)."""
    x = check_finite_array(x, "x")
    return np.sin(2 * np.pi * x) + 0.5 * np.cos(5 * x)


def sample_data(n_samples: int, noise: float = NOISE_STD, seed: int | None = 0):
    """Draw ``n_samples`` noisy points ``(x, y)`` with x uniform on [-1, 1].

    >>> x, y = sample_data(5, seed=1)
    >>> x.shape, y.shape
    ((5,), (5,))
    """
    check_positive_int(n_samples, "n_samples")
    check_number(noise, "noise", minimum=0)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=n_samples)
    y = target_function(x) + noise * rng.standard_normal(n_samples)
    return x, y


def design_matrix(x, degree: int) -> np.ndarray:
    """Monomial features [1, x, x², ..., x^degree], one row per sample.

    A degree-d polynomial has d + 1 coefficients, so the matrix has shape (len(x), degree + 1).

    >>> design_matrix([2.0, 3.0], 2)
    array([[1., 2., 4.],
           [1., 3., 9.]])
    """
    x = check_array_1d(x, "x")
    degree = check_non_negative_int(degree, "degree")
    return np.vander(x, degree + 1, increasing=True)


def fit_polynomial(x, y, degree: int) -> np.ndarray:
    """Least-squares polynomial coefficients (lowest power first); min-norm when underdetermined.

    >>> np.round(fit_polynomial([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], 1), 6)
    array([1., 2.])
    """
    X = design_matrix(x, degree)
    y = check_array_1d(y, "y", length=X.shape[0])
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    return coef


def predict(coef, x) -> np.ndarray:
    """Evaluate the polynomial with coefficients ``coef`` (lowest power first) at ``x``."""
    coef = check_array_1d(coef, "coef")
    return design_matrix(x, len(coef) - 1) @ coef


def mean_squared_error(y_true, y_pred) -> float:
    """Mean of the squared differences between ``y_true`` and ``y_pred``."""
    y_true = check_array_1d(y_true, "y_true")
    y_pred = check_array_1d(y_pred, "y_pred", length=len(y_true))
    return float(np.mean((y_true - y_pred) ** 2))


def errors_by_degree(x_train, y_train, x_test, y_test, degrees, fit=fit_polynomial):
    """Train and test mean squared error of a least-squares fit for each degree.

    ``fit(x, y, degree)`` returns coefficients; pass your own to compare with the course's.
    Returns two arrays, ``(train_mse, test_mse)``, aligned with ``degrees``.
    """
    check_callable(fit, "fit", "fit(x, y, degree) -> coefficients")
    degrees = check_list_of(degrees, "degrees", numbers.Integral, "whole numbers")
    degrees = [check_non_negative_int(degree, "degrees") for degree in degrees]
    train, test = [], []
    for degree in degrees:
        coef = np.asarray(fit(x_train, y_train, degree), dtype=float)
        train.append(mean_squared_error(y_train, predict(coef, x_train)))
        test.append(mean_squared_error(y_test, predict(coef, x_test)))
    return np.array(train), np.array(test)


# ---------------------------------------------------------------------------
# Double descent with scaled Legendre features 
# ---------------------------------------------------------------------------

FEATURE_SCALINGS = ("decay", "orthonormal")


def legendre_features(x, n_features: int, scaling: str = "decay") -> np.ndarray:
    """Features s_k·P_k(x) for k = 0 .. n_features-1, with P_k the Legendre 

    ``scaling="decay"`` uses s_k = 1/(k+1), which makes the min-norm fit prefer low degrees;
    ``scaling="orthonormal"`` uses s_k = √(2k+1), which treats every degree alike.
    """
    x = check_array_1d(x, "x")
    check_positive_int(n_features, "n_features")
    check_choice(scaling, "scaling", FEATURE_SCALINGS)
    k = np.arange(n_features)
    scale = 1.0 / (k + 1) if scaling == "decay" else np.sqrt(2 * k + 1)
    return legendre.legvander(x, n_features - 1) * scale


def min_norm_test_error(n_train: int, n_features: int, scaling: str = "decay", noise: float = NOISE_STD,
                        n_test: int = 500, seed: int | None = 0) -> float:
    """Test MSE of the minimum-norm least-squares fit on one random training set."""
    check_positive_int(n_train, "n_train")
    check_positive_int(n_test, "n_test")
    rng = np.random.default_rng(check_seed(seed))
    x_train, y_train = sample_data(n_train, noise, seed=rng)
    x_test, y_test = sample_data(n_test, noise, seed=rng)
    coef, *_ = np.linalg.lstsq(legendre_features(x_train, n_features, scaling), y_train, rcond=None)
    residual = legendre_features(x_test, n_features, scaling) @ coef - y_test
    return float(np.mean(residual ** 2))


def double_descent_curve(n_train: int, feature_counts, repeats: int = 30, scaling: str = "decay",
                         noise: float = NOISE_STD, seed: int = 0) -> np.ndarray:
    """Median test MSE of min-norm fits over ``repeats`` training sets, for each feature count.

    Medians, not means: near the interpolation threshold a few draws are enormously
    ill-conditioned and would swamp a mean.
    """
    check_positive_int(n_train, "n_train")
    check_positive_int(repeats, "repeats")
    counts = [check_positive_int(int(p), "feature count") for p in feature_counts]
    seeds = np.random.SeedSequence(seed).spawn(repeats)
    errors = np.array([[min_norm_test_error(n_train, p, scaling, noise, seed=np.random.default_rng(s))
                        for s in seeds] for p in counts])
    return np.median(errors, axis=1)


def feature_count_grid(n_train: int, max_features: int, points: int) -> np.ndarray:
    """Feature counts for a double-descent sweep: log-spaced, always including n_train itself."""
    check_positive_int(n_train, "n_train")
    check_positive_int(points, "points")
    check_int(max_features, f"max_features (above n_train = {n_train}, to see the second descent)",
              minimum=n_train + 1)
    grid = np.unique(np.round(np.geomspace(1, max_features, points)).astype(int))
    near = np.arange(max(1, n_train - 2), n_train + 3)   # resolve the peak at p = n
    return np.unique(np.concatenate([grid, near]))
