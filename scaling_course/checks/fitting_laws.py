"""Self-checks for lesson 06 (fitting scaling laws): the log-sum-exp law, the summed Huber loss, a multi-start
fit, the compute-optimal exponents and a bootstrap interval."""

__all__ = []

import math

import numpy as np

from scaling_course.science.fit import huber, log_sum_exp_prediction

from .registry import (
    CheckFailed,
    call_learner,
    expect_array,
    expect_callable,
    expect_close,
    expect_number,
    register,
    register_question,
)

# Hoffmann et al. 2022's eq. 10 as (a, b, e, α, β) = (log A, log B, log E, α, β), unrounded
HOFFMANN_THETA = (6.0073404, 6.0179186, 0.5267228, 0.33917, 0.28491)


def _expected_log_loss(theta, N, D):
    return log_sum_exp_prediction(list(theta), np.log(np.column_stack([N, D])))


@register("fitting_laws.chinchilla_log_loss",
          hint="log L̂ = LSE(a − α·log N, b − β·log D, e): compute the three terms and combine them with "
               "np.logaddexp (or subtract their maximum before np.exp, then add it back).")
def _chinchilla_log_loss(answer):
    fn = expect_callable(answer, "chinchilla_log_loss(theta, N, D)")
    N, D = np.array([1e8, 1e9, 7e10]), np.array([2e9, 2e10, 1.4e12])
    got = expect_array(call_learner(fn, np.array(HOFFMANN_THETA), N.copy(), D.copy()), "chinchilla_log_loss(...)",
                       shape=(3,))
    want = _expected_log_loss(HOFFMANN_THETA, N, D)
    if np.allclose(got, np.exp(want), rtol=1e-6):
        raise CheckFailed("you returned the loss L̂ itself, not its logarithm.", "Return log L̂, the log-sum-exp.")
    a, b, e, alpha, beta = HOFFMANN_THETA
    with np.errstate(invalid="ignore"):
        summed_logs = np.log(a + b + e - alpha * np.log(N) - beta * np.log(D))
    if np.allclose(got, summed_logs, rtol=1e-6, equal_nan=True):
        raise CheckFailed("A, B and E are exp(a), exp(b) and exp(e): theta holds their logarithms.")
    expect_close(got, want, "log L̂ at Chinchilla's eq. 10", rtol=1e-6,
                 hint="The three terms are a − α·log N, b − β·log D and e.")
    # a law whose terms are huge in log space: exp() of them overflows unless the maximum is taken out first
    huge = np.array([800.0, 790.0, 0.5, 0.3, 0.3])
    got = call_learner(fn, huge, N.copy(), D.copy())
    with np.errstate(all="ignore"):
        finite = np.all(np.isfinite(np.asarray(got, dtype=float)))
    if not finite:
        raise CheckFailed("with terms of size e^800 the answer overflowed to inf: exp() of a term over about 709 "
                          "is too big for a float.",
                          "Use np.logaddexp, or subtract the largest term before exponentiating and add it back.")
    expect_close(got, _expected_log_loss(huge, N, D), "log L̂ with terms near e^800", rtol=1e-9)
    return "That is why Hoffmann et al. fit in log-sum-exp form: no overflow, and residuals that are relative errors."


def _huber_sum(residuals, delta):
    return float(np.sum(huber(np.asarray(residuals, dtype=float), delta)))


@register("fitting_laws.huber_sum",
          hint="Huber_δ(r) is r²/2 where |r| ≤ δ and δ·(|r| − δ/2) beyond; add it up over all residuals.")
def _huber_sum_check(answer):
    fn = expect_callable(answer, "huber_sum(residuals, delta)")
    small = np.array([1e-4, -3e-4, 5e-4])
    big = np.array([0.01, -0.02, 2e-4, 0.0])
    for residuals, delta in [(small, 1e-3), (big, 1e-3), (big, 0.05)]:
        got = expect_number(call_learner(fn, residuals.copy(), delta), f"huber_sum({list(residuals)}, {delta})")
        want = _huber_sum(residuals, delta)
        if math.isclose(got, want / len(residuals), rel_tol=1e-9) and len(residuals) > 1:
            raise CheckFailed("you averaged the Huber terms; sum them instead.",
                              "Averaging divides the objective by the number of runs: Besiroglu et al. 2024 found "
                              "that this is why the original fit stopped early.")
        if math.isclose(got, float(np.sum(0.5 * residuals ** 2)), rel_tol=1e-9) and not math.isclose(got, want):
            raise CheckFailed("large residuals were squared too: beyond δ, Huber grows linearly, δ·(|r| − δ/2).")
        if math.isclose(got, float(np.sum(np.where(np.abs(residuals) <= delta, 0.5 * residuals ** 2,
                                                    delta * (residuals - 0.5 * delta)))), rel_tol=1e-9) \
                and not math.isclose(got, want):
            raise CheckFailed("a negative residual made its term negative: use |r| in the linear part.")
        expect_close(got, want, f"huber_sum at delta = {delta}", rtol=1e-9)
    return "Squared near zero and linear beyond δ: a run that went wrong pulls the fit much less than in least squares."


def _bumpy(theta):
    x, y = theta
    # two valleys: a shallow one at (2, 2) and the deepest at (-3, 1)
    return float(min((x - 2) ** 2 + (y - 2) ** 2 + 1.0, 0.5 * (x + 3) ** 2 + 2 * (y - 1) ** 2))


@register("fitting_laws.fit_by_hand",
          hint="Run L-BFGS-B (with the TIGHT options) from each start, keep the result with the smallest objective, "
               "and return its parameters and its objective.")
def _fit_by_hand(answer):
    fn = expect_callable(answer, "fit_by_hand(objective, starts)")
    starts = np.array([[2.5, 2.5], [-2.0, 0.0], [3.0, 1.5]])
    got = call_learner(fn, _bumpy, starts.copy())
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise CheckFailed(f"fit_by_hand should return two things (theta, objective), got {got!r}.",
                          "End with `return best.x, best.fun`.")
    theta = expect_array(got[0], "theta", shape=(2,))
    value = expect_number(got[1], "the objective at theta")
    if np.allclose(theta, [2, 2], atol=1e-3):
        raise CheckFailed("you kept the first start's (or the last start's) minimum, a shallow valley; keep the best "
                          "over all starts.")
    if any(np.allclose(theta, s) for s in starts):
        raise CheckFailed("theta is one of the starting points: minimise from each start, do not just evaluate it.")
    expect_close(theta, [-3, 1], "the best theta of a two-valley objective", atol=1e-3)
    expect_close(value, 0.0, "the objective at the best theta", atol=1e-6,
                 hint="Return the objective's value at the best theta (the result's .fun).")
    got = call_learner(fn, _bumpy, starts[:1].copy())
    expect_close(expect_array(got[0], "theta from one start", shape=(2,)), [2, 2], "theta from the one start (2.5, 2.5)",
                 atol=1e-3, hint="Start each minimisation from the start you were given.")
    tiny = call_learner(fn, lambda t: 1e-7 * float((t[0] - 1) ** 2 + (t[1] + 2) ** 2), np.zeros((1, 2)))
    if np.allclose(expect_array(tiny[0], "theta of a tiny objective", shape=(2,)), [0, 0]):
        raise CheckFailed("on an objective of size 1e-7 the optimiser stopped at its start: scipy's default "
                          "tolerances call a gradient that small zero.", "Pass options=TIGHT to minimize.")
    expect_close(tiny[0], [1, -2], "the minimum of a tiny objective", atol=1e-3,
                 hint="Pass options=TIGHT to minimize, so that it stops only at the minimum.")
    return "More starts cost time, but only the best of many finds the deepest valley."


@register("fitting_laws.optimal_exponents",
          hint="Minimising E + A/N^α + B/D^β along C = 6ND gives N_opt ∝ C^(β/(α+β)) and D_opt ∝ C^(α/(α+β)).")
def _optimal_exponents(answer):
    fn = expect_callable(answer, "optimal_exponents(alpha, beta)")
    for alpha, beta in [(0.34, 0.28), (0.348, 0.366), (0.2, 0.6)]:
        got = call_learner(fn, alpha, beta)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise CheckFailed(f"optimal_exponents should return two numbers (a, b), got {got!r}.", "End with `return a, b`.")
        a_got, b_got = expect_number(got[0], "a"), expect_number(got[1], "b")
        if math.isclose(a_got, alpha / (alpha + beta), rel_tol=1e-9) and alpha != beta:
            raise CheckFailed("a and b are swapped: N_opt grows as C^(β/(α+β)).",
                              "The term that falls more slowly needs more of a bigger budget: if β < α, the data "
                              "term lags, so b = α/(α+β) is the larger share.")
        expect_close(a_got, beta / (alpha + beta), f"a for α = {alpha}, β = {beta}", rtol=1e-9)
        expect_close(b_got, alpha / (alpha + beta), f"b for α = {alpha}, β = {beta}", rtol=1e-9,
                     hint="b = α/(α+β); a and b add up to 1, since C = 6ND.")
    return "With Chinchilla's printed eq. 10 (α = 0.34, β = 0.28), a = 0.45: below the 0.5 of approaches 1 and 2."


@register("fitting_laws.prediction_interval",
          hint="The 80% interval runs from the 10th to the 90th percentile of the bootstrap's predictions, leaving "
               "10% out on each side; numpy has a function for percentiles.")
def _prediction_interval(answer):
    fn = expect_callable(answer, "prediction_interval(predictions, level)")
    rng = np.random.default_rng(4)
    predictions = 1.4 + 0.03 * rng.standard_normal(200) + 0.05 * rng.exponential(1.0, 200)
    for level in (0.8, 0.5, 0.9):
        got = call_learner(fn, predictions.copy(), level)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise CheckFailed(f"prediction_interval should return two numbers (low, high), got {got!r}.",
                              "End with `return low, high`.")
        low, high = expect_number(got[0], "low"), expect_number(got[1], "high")
        tail = 100 * (1 - level) / 2
        want = np.percentile(predictions, [tail, 100 - tail])
        mean, std = predictions.mean(), predictions.std()
        if math.isclose(low, mean - 1.2816 * std, rel_tol=1e-3) or math.isclose(low, mean - std, rel_tol=1e-6):
            raise CheckFailed("that interval assumes the predictions are normal (mean ± a multiple of the standard "
                              "deviation); take percentiles of the predictions themselves.",
                              "A bootstrap's predictions are often skewed: read the interval off their percentiles.")
        if math.isclose(low, np.percentile(predictions, 0), rel_tol=1e-9) or \
                math.isclose(high, np.percentile(predictions, 100 * level), rel_tol=1e-9):
            raise CheckFailed(f"a {level:.0%} interval leaves {tail:.0f}% of the predictions out on each side, not all "
                              "on one.")
        expect_close([low, high], want, f"the {level:.0%} interval", rtol=1e-9)
    return "Percentiles need no assumption about the shape of the spread."


register_question("fitting_laws.extrapolation_question", {
    "a": (False, "(a) promises the same accuracy 1000× away as 3× away, but every bootstrap interval you printed "
                 "widens as the prediction moves away from the fitted box."),
    "b": (False, "(b) reads R² as a guarantee, but R² only says how well the law fits the runs it was fitted on."),
    "c": (True, "an interval that grows with the distance from the box, an irreducible term these runs could not pin "
                "down, and a bend (a broken power law) that small runs cannot show are all reasons why only a run "
                "at that scale can check the forecast."),
    "d": (False, "(d) says small runs measure E exactly, but E is the loss of an infinite model: runs far from the "
                 "floor pin it down worst of all (look at E's interval)."),
})
