"""Self-checks for lesson 04 (scaling data): the data law, effective data, the worth of repetition."""

__all__ = []

import math

import numpy as np

from scaling_course.science import laws
from scaling_course.science.fit import PowerLawFit, fit_power_law
from scaling_course.syllabus.shipped import reference_results

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


def _law_parts(fit, what):
    for name in ("E", "A", "alpha"):
        if not hasattr(fit, name):
            raise CheckFailed(f"{what} should be the fit that fit_power_law returns, got {type(fit).__name__}.",
                              "Return the fit itself: the object the course's power-law fit gives you.")
    return expect_number(fit.E, f"{what}.E"), expect_number(fit.A, f"{what}.A"), expect_number(fit.alpha, f"{what}.alpha")


@register("scaling_data.fit_data_law",
          hint="x is each run's number of unique training tokens (in its config), y its lowest validation loss; "
               "fit the course's power law with a floor to them.")
def _fit_data_law(answer):
    fn = expect_callable(answer, "fit_data_law(records)")
    records = reference_results("data", "laptop")
    got = _law_parts(call_learner(fn, list(records)), "fit_data_law(records)")
    unique = [r.config.n_train for r in records]
    expected = fit_power_law(unique, [r.min_val_loss for r in records], warn=False)
    final = fit_power_law(unique, [r.final_val_loss for r in records], warn=False)
    if np.allclose(got, (final.E, final.A, final.alpha), rtol=1e-3):
        raise CheckFailed("you fitted the final validation losses.",
                          "Small datasets overfit: their final loss is far above their best. Use r.min_val_loss.")
    expect_close(got[2], expected.alpha, "the exponent β", rtol=1e-3,
                 hint="Fit the lowest (early-stopped) validation loss against n_train, every run of the sweep.")
    expect_close(got[0], expected.E, "the floor E", rtol=1e-2, atol=1e-3)
    return f"L(D) = {expected.E:.2f} + {expected.A:.3g}·D^(−{expected.alpha:.3f}) on the shipped laptop runs."


def _effective_data_hint(got: float, D: float, U: float, R: float) -> str:
    """The hint for a wrong D', naming the mistake that gives exactly ``got`` where there is one."""
    unique = min(U, D)
    mistakes = {
        "R_D counts repetitions beyond the first pass: R_D = D/U − 1, not D/U.":
            unique + unique * R * (1 - math.exp(-(D / unique) / R)),
        "The worth of repeats decays: 1 − exp(−R_D/R*), with a minus sign in the exponent.":
            unique + unique * R * (1 - math.exp((D / unique - 1) / R)),
    }
    for hint, value in mistakes.items():
        if math.isclose(got, value, rel_tol=1e-6):
            return hint
    return "U_D = min(U, D), R_D = D/U_D − 1, D' = U_D + U_D·R*·(1 − exp(−R_D/R*)): check each piece."


@register("scaling_data.effective_data",
          hint="U_D = min(U, D), R_D = D/U_D − 1, D' = U_D + U_D·R*·(1 − exp(−R_D/R*)).")
def _effective_data(answer):
    fn = expect_callable(answer, "effective_data(D, U, R_star)")
    for D, U, R in [(4e9, 1e9, 15.387756), (1e9, 1e9, 15.387756), (40e9, 1e9, 15.387756), (3e6, 1e6, 2.0)]:
        got = call_learner(fn, D, U, R)
        expected = laws.effective_data(D, U, R_D_star=R)
        if math.isclose(expect_number(got, f"effective_data({D:g}, {U:g}, {R:g})"), D - U, rel_tol=1e-6) and D > U:
            raise CheckFailed("you returned the repeated tokens D − U, not the effective data D'.")
        expect_close(got, expected, f"effective_data({D:g}, {U:g}, {R:g})", rtol=1e-6,
                     hint=_effective_data_hint(float(got), D, U, R))
    got = call_learner(fn, 5e8, 1e9, 15.387756)
    expect_close(got, 5e8, "effective_data(5e8, 1e9) (less than one epoch)", rtol=1e-6,
                 hint="With fewer tokens than unique data nothing repeats: U_D = min(U, D), so D' = D.")
    got = call_learner(fn, np.array([2e9, 8e9]), np.array([1e9, 1e9]), 15.387756)
    expect_close(expect_array(got, "effective_data on arrays", shape=(2,)),
                 laws.effective_data(np.array([2e9, 8e9]), 1e9), "effective_data on arrays", rtol=1e-6,
                 hint="Use numpy functions (np.minimum, np.exp) so arrays work too.")
    return "4 epochs: a repeated token is worth 93% of a fresh one under Muennighoff et al.'s law."


def _law(E=0.4, A=60.0, alpha=0.26):
    return PowerLawFit(E=E, A=A, alpha=alpha, irreducible=True, r_squared_log=1.0, rmse_log=0.0,
                       n_points=5, converged=True)


@register("scaling_data.fresh_tokens_for_loss",
          hint="Solve loss = E + A·D^(−α) for D: D = (A / (loss − E))^(1/α).")
def _fresh_tokens(answer):
    fn = expect_callable(answer, "fresh_tokens_for_loss(loss, law)")
    law = _law()
    for D in (1e5, 3e6):
        loss = law.predict(D)
        got = expect_number(call_learner(fn, loss, law), f"fresh_tokens_for_loss({loss:.4f}, law)")
        if math.isclose(got, law.predict(loss), rel_tol=1e-6):
            raise CheckFailed("you evaluated the law at the loss instead of inverting it.")
        expect_close(got, D, f"fresh_tokens_for_loss({loss:.4f}, law)", rtol=1e-6,
                     hint="Subtract E first, then divide A by it, then take the 1/α power.")
    got = call_learner(fn, np.array([2.0, 1.5]), law)
    expect_close(expect_array(got, "fresh_tokens_for_loss on an array", shape=(2,)),
                 (law.A / (np.array([2.0, 1.5]) - law.E)) ** (1 / law.alpha), "fresh_tokens_for_loss on an array",
                 rtol=1e-6)
    got = call_learner(fn, 0.3, law)
    if not (isinstance(got, (float, np.floating, np.ndarray)) and np.all(np.isinf(got)) and np.all(np.asarray(got) > 0)):
        raise CheckFailed(f"a loss at or below the floor E should need infinitely many tokens (np.inf), got {got!r}.",
                          "Return np.inf where loss <= E: no amount of data gets below the floor.")
    return "Any loss now reads as 'the fresh tokens that would have reached it'."


@register("scaling_data.repeated_token_worth",
          hint="The first U tokens count as fresh; the other D − U tokens added D' − U: worth = (D' − U)/(D − U).")
def _repeated_worth(answer):
    fn = expect_callable(answer, "repeated_token_worth(D, U, D_eff)")
    cases = [(4e6, 1e6, 4e6, 1.0), (4e6, 1e6, 1e6, 0.0), (4e6, 1e6, 2.5e6, 0.5)]
    for D, U, D_eff, expected in cases:
        got = expect_number(call_learner(fn, D, U, D_eff), f"repeated_token_worth({D:g}, {U:g}, {D_eff:g})")
        if expected == 0.5 and math.isclose(got, D_eff / D, rel_tol=1e-6):
            raise CheckFailed("you returned D'/D, the worth of all tokens, fresh ones included.",
                              "Leave out the first pass: compare D' − U with D − U.")
        expect_close(got, expected, f"repeated_token_worth({D:g}, {U:g}, {D_eff:g})", rtol=1e-9, atol=1e-12)
    got = call_learner(fn, np.array([4e6, 8e6]), np.array([1e6, 1e6]), np.array([2.5e6, 2.5e6]))
    expect_close(expect_array(got, "repeated_token_worth on arrays", shape=(2,)), [0.5, 1.5 / 7],
                 "repeated_token_worth on arrays", rtol=1e-9)
    return "1 means a repeated token is as good as a fresh one, 0 that it taught nothing."


register_question("scaling_data.bottleneck_question", {
    "a": (False, "(a) says repetition never hurts, but your runs on repeated data ended above the fresh-data run, and "
                 "further above with every halving of the unique data."),
    "b": (False, "(b) says early stopping makes unique data irrelevant, but even at their best, early-stopped point "
                 "the runs on less unique data reach a higher validation loss."),
    "c": (False, "(c) says the smallest set wins, but learning a small set by heart is what overfitting is: its "
                 "training loss falls while its validation loss rises."),
    "d": (True, "less unique data gives a worse loss, a repeated token is worth less than a fresh one and less with "
                "every epoch, and many epochs mostly overfit: the curves and the worth plot show each part."),
})
