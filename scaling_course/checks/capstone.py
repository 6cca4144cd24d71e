"""Self-checks for lesson 08 (the capstone): the bottom of an IsoFLOP valley, a strategy played on simulated worlds,
and the planning question."""

__all__ = []

import numpy as np

from scaling_course.science.fit import isoflop_minimum

from .registry import (
    CheckFailed,
    call_learner,
    expect_callable,
    expect_close,
    expect_number,
    register,
    register_question,
)


def _valley(N, center, curvature=0.05, floor=2.0, tilt=0.0):
    x = np.log(N) - np.log(center)
    return floor + curvature * x ** 2 + tilt * x ** 3


@register("capstone.isoflop_bottom",
          hint="Fit loss ≈ p₂·(log N)² + p₁·log N + p₀ (numpy's polyfit of degree 2, on log N); the bottom is "
               "at log N = −p₁/(2·p₂), and its loss is the parabola's value there.")
def _isoflop_bottom(answer):
    fn = expect_callable(answer, "isoflop_bottom(N, loss)")
    N = np.geomspace(1e4, 4e5, 6)
    loss = _valley(N, 6e4)
    got = call_learner(fn, N.copy(), loss.copy())
    try:
        n_opt, loss_opt = got
    except (TypeError, ValueError):
        raise CheckFailed(f"isoflop_bottom should return two numbers (N_opt, loss at the bottom), got {got!r}.",
                          "End with `return N_opt, loss_opt`.") from None
    n_opt, loss_opt = expect_number(n_opt, "N_opt"), expect_number(loss_opt, "the loss at the bottom")
    if abs(n_opt - np.log(6e4)) < 1e-3:
        raise CheckFailed("you returned log N at the bottom; return N itself (np.exp of it).")
    if n_opt == N[np.argmin(loss)] and not np.isclose(n_opt, 6e4, rtol=1e-3):
        raise CheckFailed("you returned the best run's N, not the parabola's bottom between the runs.",
                          "The bottom of a valley usually lies between two runs: fit the parabola.")
    expect_close(n_opt, 6e4, "N_opt of a valley whose bottom is at N = 60 000", rtol=1e-4,
                 hint="Fit the parabola in log N, not in N: the valley is symmetric in log N.")
    expect_close(loss_opt, 2.0, "the loss at that bottom", rtol=1e-4,
                 hint="The loss at the bottom is the parabola's value at its vertex (numpy's polyval evaluates it).")
    # a lopsided valley, as real ones are: the answer must match the package's own IsoFLOP fit
    loss = _valley(N, 3e4, tilt=0.01)
    want = isoflop_minimum(N, loss, C=1.0)
    n_opt, loss_opt = call_learner(fn, N.copy(), loss.copy())
    expect_close(n_opt, want.N_opt, "N_opt of a lopsided valley", rtol=1e-4)
    expect_close(loss_opt, want.loss, "its loss", rtol=1e-4)
    return "The vertex of a parabola in log N: Hoffmann et al.'s approach 2 reads each budget's valley this way."


@register("capstone.strategy",
          hint="plan(lab) calls lab.train(width=..., steps=...) for the runs you choose (see lab.menu); "
               "predict(history) fits a law to history's N, D and loss columns and returns (N_opt, loss) at "
               "TARGET, e.g. from fit_chinchilla's optimal_allocation and optimal_loss.")
def _strategy(answer):
    from scaling_course.syllabus.lab import practice_lab, score_prediction

    try:
        plan, predict = answer
    except (TypeError, ValueError):
        raise CheckFailed(f"pass both functions as a pair: check('capstone.strategy', (plan, predict)), "
                          f"got {type(answer).__name__}.") from None
    expect_callable(plan, "plan(lab)")
    expect_callable(predict, "predict(history)")
    lines, answers = [], []
    for seed in (11, 12, 13):
        lab = practice_lab(seed)
        call_learner(plan, lab)
        if len(lab.history) < 5:
            raise CheckFailed(f"plan bought {len(lab.history)} distinct runs; a law with five constants needs at "
                              "least five.", "Buy more runs (smaller ones cost less): see lab.menu's flops column.")
        result = call_learner(predict, lab.history.copy())
        try:
            n_opt, loss = result
        except (TypeError, ValueError):
            raise CheckFailed(f"predict should return two numbers (N_opt, loss), got {result!r}.") from None
        n_opt, loss = expect_number(n_opt, "predict's N_opt"), expect_number(loss, "predict's loss")
        if n_opt <= 0 or loss <= 0:
            raise CheckFailed(f"predict returned N_opt = {n_opt:g} and loss = {loss:g}; both must be positive.")
        answers.append((n_opt, loss))
        score = score_prediction(n_opt, loss, lab.true_answer())
        lines.append(f"world {seed}: {len(lab.history)} runs, {lab.spent / lab.budget:.0%} of the budget; {score}")
    if len(set(answers)) == 1:
        raise CheckFailed("predict returned the same answer in three different worlds: it ignores the runs bought.",
                          "Fit your law to history['N'], history['D'] and history['loss'].")
    return ("Your plan and predict work; how close they come is what the rehearsals and the graded test score. On "
            "three simulated worlds (their truth known):\n  " + "\n  ".join(lines))


register_question("capstone.strategy_question", {
    "a": (False, "(a) buys three points of one budget: one valley with three widths, and nothing to say how the "
                 "valley's bottom moves as the budget grows, which is what the target needs."),
    "b": (True, "two valleys at two budgets show where the bottom is and how it moves with compute: approach 2's "
                "line, and runs over both N and D for approach 3's law."),
    "c": (False, "(c) varies D at one N: the law's N term, and so where the compute-optimal size lies, is not "
                 "measured at all."),
    "d": (False, "(d) buys the most points, but the cheapest runs are the furthest from the target and, at the "
                 "smallest budgets, their valley's bottom lies below the smallest width on the menu."),
})
