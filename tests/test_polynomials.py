"""Lesson 01's science: least squares, capacity, and double descent (Belkin et al. 2019)."""

import numpy as np
import pytest

from scaling_course.science import polynomials as P


def test_design_matrix_columns_are_powers():
    x = np.array([-0.5, 0.0, 2.0])
    X = P.design_matrix(x, 3)
    assert X.shape == (3, 4)
    for j in range(4):
        assert np.allclose(X[:, j], x ** j)


def test_fit_recovers_an_exact_polynomial():
    x = np.linspace(-1, 1, 30)
    coef = np.array([0.5, -1.0, 2.0, 0.25])
    assert np.allclose(P.fit_polynomial(x, P.predict(coef, x), 3), coef)


def test_fit_is_min_norm_past_the_threshold():
    x, y = P.sample_data(5, seed=2)
    coef = P.fit_polynomial(x, y, 9)
    assert np.allclose(P.predict(coef, x), y)            # interpolates
    assert np.allclose(coef, np.linalg.pinv(P.design_matrix(x, 9)) @ y)   # the min-norm interpolant


def test_training_error_never_rises_with_degree():
    x, y = P.sample_data(25, seed=4)
    xt, yt = P.sample_data(200, seed=5)
    train, test = P.errors_by_degree(x, y, xt, yt, range(15))
    assert np.all(np.diff(train) <= 1e-10)
    assert test[np.argmin(test)] < test[0] and test[-1] > test.min()   # U-shaped test error


def test_more_data_moves_the_best_degree_up():
    xt, yt = P.sample_data(2000, seed=1)

    def best_degree(n):
        curves = [P.errors_by_degree(*P.sample_data(n, seed=100 * n + r), xt, yt, range(min(n, 20)))[1]
                  for r in range(15)]
        return int(np.argmin(np.median(curves, axis=0)))

    assert best_degree(15) < best_degree(100)


def test_double_descent_peaks_at_the_interpolation_threshold():
    counts = [10, 20, 40, 500]
    decay = P.double_descent_curve(20, counts, repeats=20, scaling="decay")
    flat = P.double_descent_curve(20, counts, repeats=20, scaling="orthonormal")
    peak = decay[1]
    assert peak > 1e3 * decay[0] and peak > 1e3 * decay[3]       # a huge peak at p = n
    assert decay[3] < 0.1                                       # the second descent comes back down
    assert flat[3] > 3 * decay[3]                               # only with features that favour smoothness


def test_feature_grid_contains_the_threshold():
    grid = P.feature_count_grid(20, 500, 30)
    assert 20 in grid and grid.max() == 500 and np.all(np.diff(grid) > 0)
    with pytest.raises(ValueError, match="max_features"):
        P.feature_count_grid(20, 20, 10)


@pytest.mark.parametrize("call, message", [
    (lambda: P.design_matrix([0.0, np.nan], 2), "NaN"),
    (lambda: P.design_matrix([[0.0, 1.0]], 2), "1-D"),
    (lambda: P.design_matrix([], 2), "empty"),
    (lambda: P.design_matrix([0.0], -1), "degree"),
    (lambda: P.fit_polynomial([0.0, 1.0], [1.0], 1), "y must have 2 values"),
    (lambda: P.sample_data(0), "n_samples"),
    (lambda: P.sample_data(5, noise=-1), "noise"),
    (lambda: P.legendre_features([0.0], 3, scaling="weird"), "scaling"),
])
def test_bad_input_says_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call", [
    lambda: P.design_matrix([0.0], 2.5),
    lambda: P.design_matrix("abc", 2),
    lambda: P.sample_data(3.0),
])
def test_wrong_types_are_type_errors(call):
    with pytest.raises(TypeError):
        call()
