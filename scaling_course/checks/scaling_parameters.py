"""Self-checks for lesson 03 (scaling parameters): a log-space fit with a fixed floor, diminishing
returns per tenfold, and predicting the largest run from the smaller ones."""

__all__ = []

import math
import warnings

import numpy as np

from scaling_course.science.fit import fit_power_law

from .registry import CheckFailed, call_learner, expect_callable, expect_close, expect_number, register

_N = np.geomspace(1e3, 1e6, 7)


def _law(n, E=1.2, A=30.0, alpha=0.3):
    return E + A * np.asarray(n, dtype=float) ** -alpha


def _noisy_law(seed=4):
    rng = np.random.default_rng(seed)
    return _N.copy(), _law(_N) * np.exp(rng.normal(0, 0.01, len(_N)))


@register("scaling_parameters.fit_fixed_floor",
          hint="Take logs: log(L − E) = log A − α·log N is a straight line in log N. Fit a line to it; "
               "α is minus its slope and A comes from its intercept.")
def _fit_fixed_floor(answer):
    fn = expect_callable(answer, "fit_fixed_floor(n, loss, E)")
    got = call_learner(fn, _N.copy(), _law(_N), 1.2)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise CheckFailed(f"fit_fixed_floor should return two numbers (A, alpha), got {type(got).__name__}.",
                          "End with `return A, alpha`.")
    A, alpha = expect_number(got[0], "A"), expect_number(got[1], "alpha")
    if math.isclose(alpha, -0.3, rel_tol=1e-3):
        raise CheckFailed("alpha came out negative.", "The loss falls with N, so the slope is −α: return α = −slope.")
    if math.isclose(A, 0.3, rel_tol=1e-3) and math.isclose(alpha, 30.0, rel_tol=1e-3):
        raise CheckFailed("A and alpha are swapped.", "Return (A, alpha) in that order.")
    expect_close(alpha, 0.3, "alpha on an exact law 1.2 + 30·N^(−0.3) with E = 1.2", rtol=1e-6,
                 hint="Subtract E from the loss before taking the log.")
    expect_close(A, 30.0, "A on the same law", rtol=1e-6, hint="A = exp(intercept) of the straight-line fit.")
    n, loss = _noisy_law()
    got = call_learner(fn, n, loss.copy(), 0.0)
    slope, intercept = np.polyfit(np.log(n), np.log(loss), 1)
    expect_close(expect_number(got[1], "alpha"), -slope, "alpha with E = 0 on noisy data", rtol=1e-6,
                 hint="Fit by least squares on the logs of all the points.")
    return "With E fixed, a power law is a straight line in log-log space."


@register("scaling_parameters.loss_drop_per_10x",
          hint="Evaluate the law twice: L(N) = E + A·N^(−α) and L(10·N); return L(N) − L(10·N).")
def _loss_drop_per_10x(answer):
    fn = expect_callable(answer, "loss_drop_per_10x(E, A, alpha, n)")
    for E, A, alpha, n in ((1.7, 400.0, 0.34, 1e9), (0.0, 5.0, 0.1, 1e4), (2.0, 30.0, 0.5, 123.0)):
        expected = A * n ** -alpha * (1 - 10 ** -alpha)
        got = expect_number(call_learner(fn, E, A, alpha, n), f"loss_drop_per_10x({E}, {A}, {alpha}, {n:g})")
        if math.isclose(got, -expected, rel_tol=1e-6):
            raise CheckFailed("the drop came out negative.", "Return L(N) − L(10·N): the loss before minus after.")
        if math.isclose(got, E + A * (10 * n) ** -alpha, rel_tol=1e-6) and E + A * (10 * n) ** -alpha != expected:
            raise CheckFailed("that is the loss after the tenfold, not the drop.", "Subtract it from L(N).")
        expect_close(got, expected, f"loss_drop_per_10x({E}, {A}, {alpha}, {n:g})", rtol=1e-6)
    return "Each tenfold buys 10^(−α) times the previous drop: E never enters the difference."


def _expected_largest(n, loss):
    """What the check expects for its own data: E + A·N^(−α) fitted to all sizes but the largest."""
    largest = np.argmax(n)
    keep = np.arange(len(n)) != largest
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = fit_power_law(n[keep], loss[keep])
    return float(fit.predict(n[largest]))


@register("scaling_parameters.predict_largest",
          hint="Leave the largest N out, fit the course's power law on the other sizes, "
               "then ask that fit for its prediction at the largest N.")
def _predict_largest(answer):
    fn = expect_callable(answer, "predict_largest(n, loss)")
    n, loss = _noisy_law(seed=9)
    got = expect_number(call_learner(fn, n.copy(), loss.copy()), "predict_largest(n, loss)")
    expected = _expected_largest(n, loss)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        leaked = fit_power_law(n, loss).predict(n[-1])
    if math.isclose(got, leaked, rel_tol=1e-6) and not math.isclose(got, expected, rel_tol=1e-4):
        raise CheckFailed("your fit saw the largest run: that is not a prediction.",
                          "Fit only on the smaller sizes, n[:-1] and loss[:-1] when n is sorted.")
    if math.isclose(got, loss[-1], rel_tol=1e-9):
        raise CheckFailed("you returned the measured loss of the largest run.", "Predict it from the law instead.")
    expect_close(got, expected, "the predicted loss of the largest run", rtol=1e-3,
                 hint="Fit E + A·N^(−α) with fit_power_law (irreducible=True) on all sizes but the largest.")
    return f"On this test law the prediction misses the truth by {100 * abs(got / loss[-1] - 1):.1f}%."
