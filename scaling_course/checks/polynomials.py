"""Self-checks for lesson 01 (polynomials): design matrix, least squares, error vs degree."""

__all__ = []

import numpy as np

from scaling_course.science import polynomials

from .registry import (
    CheckFailed,
    call_learner,
    expect_array,
    expect_callable,
    expect_close,
    register,
    register_question,
)

_X = np.array([-1.0, -0.5, 0.0, 0.25, 0.9])


@register("polynomials.design_matrix", hint="Column j holds x**j, for j = 0 .. degree: try np.vander or a loop.")
def _design_matrix(answer):
    fn = expect_callable(answer, "design_matrix(x, degree)")
    for degree in (0, 1, 3, 6):
        got = expect_array(call_learner(fn, _X.copy(), degree), f"design_matrix(x, {degree})",
                           shape=(len(_X), degree + 1))
        expected = polynomials.design_matrix(_X, degree)
        if degree >= 1 and np.allclose(got, expected[:, ::-1]):
            raise CheckFailed("your columns run from the highest power down.",
                              "Put the constant column first: [1, x, x², ...].")
        expect_close(got, expected, f"design_matrix(x, {degree})", rtol=1e-9, atol=1e-12)
    return f"A degree-d polynomial has d + 1 parameters: design_matrix(x, 3) has {3 + 1} columns."


@register("polynomials.fit_polynomial",
          hint="Build the design matrix X, then solve the least-squares problem X·coef ≈ y with numpy's "
               "least-squares solver.")
def _fit_polynomial(answer):
    fn = expect_callable(answer, "fit_polynomial(x, y, degree)")
    x, y = polynomials.sample_data(12, seed=3)
    for degree in (1, 3, 5):
        got = expect_array(call_learner(fn, x.copy(), y.copy(), degree), f"fit_polynomial(x, y, {degree})",
                           shape=(degree + 1,))
        expect_close(got, polynomials.fit_polynomial(x, y, degree), f"fit_polynomial(x, y, {degree})",
                     rtol=1e-5, atol=1e-8, hint="Fit the coefficients of 1, x, x², ... in that order.")
    # Past the interpolation threshold least squares has many solutions; lstsq picks the min-norm one.
    min_norm_hint = ("np.linalg.lstsq returns the minimum-norm solution; "
                     "np.linalg.solve and the normal equations fail when there are more coefficients than points.")
    try:
        got = call_learner(fn, x[:4].copy(), y[:4].copy(), 6)
    except CheckFailed as failure:
        raise CheckFailed(f"with 4 points and degree 6, {failure.message}", min_norm_hint) from None
    got = expect_array(got, "fit_polynomial(4 points, degree 6)", shape=(7,))
    expect_close(got, polynomials.fit_polynomial(x[:4], y[:4], 6), "the fit with more coefficients than points",
                 rtol=1e-5, atol=1e-8, hint=min_norm_hint)
    return "Your fit also handles more coefficients than points (the minimum-norm solution)."


@register("polynomials.errors_by_degree",
          hint="For each degree: fit on the training data, then compute the MSE on train and on test.")
def _errors_by_degree(answer):
    fn = expect_callable(answer, "errors_by_degree(x_train, y_train, x_test, y_test, degrees)")
    x_train, y_train = polynomials.sample_data(15, seed=5)
    x_test, y_test = polynomials.sample_data(200, seed=6)
    degrees = [0, 2, 5, 9]
    got = call_learner(fn, x_train, y_train, x_test, y_test, degrees)
    if not isinstance(got, tuple) or len(got) != 2:
        raise CheckFailed(f"errors_by_degree should return two arrays (train_mse, test_mse), got {type(got).__name__}.",
                          "Return the two lists of errors as arrays, training first.")
    expected_train, expected_test = polynomials.errors_by_degree(x_train, y_train, x_test, y_test, degrees)
    train = expect_array(got[0], "train_mse", shape=(len(degrees),))
    test = expect_array(got[1], "test_mse", shape=(len(degrees),))
    if np.allclose(train, expected_test, rtol=1e-4) and np.allclose(test, expected_train, rtol=1e-4):
        raise CheckFailed("train and test errors are swapped.", "Return (train_mse, test_mse) in that order.")
    if np.allclose(train, np.sqrt(expected_train), rtol=1e-4):
        raise CheckFailed("these are root mean squared errors (you took a square root at the end).",
                          "The mean squared error is the mean of the squared differences, without the root.")
    absolute = [np.mean(np.abs(polynomials.predict(polynomials.fit_polynomial(x_train, y_train, d), x_train) - y_train))
                for d in degrees]
    if np.allclose(train, absolute, rtol=1e-4):
        raise CheckFailed("these are mean absolute errors: each difference was made positive, not squared.",
                          "Square each difference (prediction minus target), then take the mean.")
    expect_close(train, expected_train, "train_mse", rtol=1e-4,
                 hint="Train MSE: predict on x_train, compare with y_train.")
    expect_close(test, expected_test, "test_mse", rtol=1e-4, hint="Test MSE: fit on the training data only, "
                                                                  "then predict on x_test and compare with y_test.")
    return "Training error only falls with degree; test error falls, then rises."


register_question("polynomials.scale_question", {
    "a": (False, "(a) says more parameters always lower the test error, but at 20 samples your test error rose again "
                 "past a middle degree and peaked at the interpolation threshold."),
    "b": (True, "at fixed data more parameters help up to a point, more data moves that point, and past the "
                "interpolation threshold a well-chosen over-parameterised fit improves again: each part is in a plot "
                "of this notebook."),
    "c": (False, "(c) says parameters hardly matter, but at a fixed number of samples the degree moved your test "
                 "error by orders of magnitude."),
    "d": (False, "(d) puts the best fit at the interpolation threshold, which is where your test error peaked."),
})
