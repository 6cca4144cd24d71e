"""Self-checks for lesson 05 (scaling compute): embeddings, IsoFLOP minima, allocation exponents."""

__all__ = []

import math

import numpy as np

from scaling_course.engine.models import gpt

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


@register("scaling_compute.embedding_params",
          hint="One learned vector of `width` numbers per vocabulary token and per context position.")
def _embedding_params(answer):
    fn = expect_callable(answer, "embedding_params(width, vocab_size, n_ctx)")
    for width, vocab, n_ctx in [(16, 96, 64), (64, 96, 64), (128, 50, 256), (8, 1000, 32)]:
        config = gpt.GPTConfig(vocab_size=vocab, n_ctx=n_ctx, d_model=width, n_layer=2, n_head=1)
        expected = gpt.n_params(config) - gpt.n_params(config, embeddings=False)
        got = expect_number(call_learner(fn, width, vocab, n_ctx), f"embedding_params({width}, {vocab}, {n_ctx})")
        if got == vocab * width:
            raise CheckFailed("you counted the token embeddings but not the position embeddings.",
                              "The GPT also learns one vector per position of its context.")
        if got == 2 * vocab * width + n_ctx * width:
            raise CheckFailed("you counted the output head separately, but it shares the token embedding.")
        expect_close(got, expected, f"embedding_params({width}, {vocab}, {n_ctx})", rtol=0)
    return "In our GPT embeddings are 29% of the parameters at width 16 but 5% at width 128."


def _profile(n_opt=3e4, curvature=0.08, floor=1.7, sizes=(5e3, 1e4, 2e4, 4e4, 8e4, 1.6e5)):
    N = np.array(sizes)
    return N, floor + curvature * (np.log(N) - np.log(n_opt)) ** 2


@register("scaling_compute.isoflop_optimum",
          hint="Fit a parabola (a degree-2 polynomial) to the loss against log N; the optimum is its vertex, "
               "where the slope is zero.")
def _isoflop_optimum(answer):
    fn = expect_callable(answer, "isoflop_optimum(N, loss)")
    for n_opt, curvature in [(3e4, 0.08), (1.2e4, 0.2)]:
        N, loss = _profile(n_opt, curvature)
        got = call_learner(fn, N.copy(), loss.copy())
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise CheckFailed(f"isoflop_optimum should return two numbers (N_opt, loss_opt), got {got!r}.",
                              "End with `return N_opt, loss_opt`.")
        n_got = expect_number(got[0], "N_opt")
        if math.isclose(n_got, math.log(n_opt), rel_tol=1e-3):
            raise CheckFailed("N_opt came back as log N: exponentiate the vertex.", "N_opt is e raised to the vertex's log N.")
        if n_got in N:
            raise CheckFailed("N_opt is one of the sizes tried: fit the parabola and take its vertex, "
                              "which may fall between them.")
        expect_close(n_got, n_opt, "N_opt", rtol=1e-4, hint="Fit the parabola in log N, not in N.")
        expect_close(got[1], 1.7, "loss_opt", rtol=1e-4, hint="loss_opt is the parabola's value at its vertex.")
    # noisy, lopsided profile: compare with a parabola fitted in log N
    rng = np.random.default_rng(5)
    N = np.geomspace(4e3, 4e5, 7)
    loss = 1.6 + 0.05 * (np.log(N) - np.log(5e4)) ** 2 + 0.01 * np.log(N / 4e3) + rng.normal(0, 0.005, 7)
    coef = np.polyfit(np.log(N), loss, 2)
    vertex = -coef[1] / (2 * coef[0])
    got = call_learner(fn, N.copy(), loss.copy())
    expect_close(got[0], math.exp(vertex), "N_opt of a noisy profile", rtol=1e-4)
    return "The optimum can sit between the sizes you trained."


@register("scaling_compute.fit_exponent",
          hint="N_opt = k·C^a is a straight line on log-log axes: fit a line to log N_opt against log C; "
               "its slope is a and its intercept gives k.")
def _fit_exponent(answer):
    fn = expect_callable(answer, "fit_exponent(C, N_opt)")
    C = np.array([1e11, 3e11, 9e11, 2.7e12])
    for a, k in [(0.5, 0.1), (0.73, 2e-4)]:
        got = call_learner(fn, C.copy(), k * C ** a)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise CheckFailed(f"fit_exponent should return two numbers (a, k), got {got!r}.", "End with `return a, k`.")
        a_got = expect_number(got[0], "a")
        if math.isclose(a_got, 1 / a, rel_tol=1e-3):
            raise CheckFailed("you fitted log C against log N_opt: the exponent came out inverted.",
                              "Put log C on the x axis and log N_opt on the y axis.")
        expect_close(a_got, a, "a", rtol=1e-6, hint="Fit a straight line to (log C, log N_opt).")
        expect_close(got[1], k, "k", rtol=1e-6, hint="k = exp(intercept), the prefactor in N_opt = k·C^a.")
    rng = np.random.default_rng(2)
    N = 0.01 * C ** 0.55 * np.exp(rng.normal(0, 0.05, len(C)))
    got = call_learner(fn, C.copy(), N.copy())
    expect_close(got[0], np.polyfit(np.log(C), np.log(N), 1)[0], "a on noisy optima", rtol=1e-6)
    return "Chinchilla measured a ≈ 0.5 this way; Kaplan et al. 0.73."


@register("scaling_compute.compute_optimal",
          hint="N_opt = k·C**a; each token costs about 6·N_opt FLOPs, so D_opt = C / (6·N_opt).")
def _compute_optimal(answer):
    fn = expect_callable(answer, "compute_optimal(C, a, k)")
    for C, a, k in [(1e13, 0.5, 0.02), (5.88e23, 0.5, 0.09), (1e12, 0.6, 0.003)]:
        got = call_learner(fn, C, a, k)
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            raise CheckFailed(f"compute_optimal should return three numbers (N_opt, D_opt, tokens per parameter), "
                              f"got {got!r}.", "End with `return N_opt, D_opt, D_opt / N_opt`.")
        n_opt = k * C ** a
        d_opt = C / (6 * n_opt)
        expect_close(got[0], n_opt, f"N_opt at C = {C:g}", rtol=1e-9)
        if math.isclose(expect_number(got[1], "D_opt"), C / n_opt, rel_tol=1e-9):
            raise CheckFailed("D_opt forgot the 6: training costs about 6 FLOPs per parameter per token.")
        expect_close(got[1], d_opt, f"D_opt at C = {C:g}", rtol=1e-9)
        if math.isclose(expect_number(got[2], "tokens per parameter"), n_opt / d_opt, rel_tol=1e-9):
            raise CheckFailed("tokens per parameter is the other way round: D_opt / N_opt.")
        expect_close(got[2], d_opt / n_opt, f"tokens per parameter at C = {C:g}", rtol=1e-9)
    expect_array([fn(1e13, 0.5, 0.02)[0]], "N_opt")
    return "With a ≈ 0.5, tokens per parameter stay the same as the budget grows."


register_question("scaling_compute.compute_question", {
    "a": (False, "(a) says the biggest affordable model always wins, but in each IsoFLOP valley the loss rose again "
                 "towards the largest models, which see too few tokens."),
    "b": (False, "(b) fixes 20 tokens per parameter for every model and data, but your own table of tokens per "
                 "parameter at each budget's optimum is your models' number; Chinchilla's 20 is read off theirs."),
    "c": (True, "each budget has a best size at the bottom of its valley and it grows with the budget, as do the "
                "tokens; the exponent's interval says how sure these runs are of how fast."),
    "d": (False, "(d) says the split does not matter, but each IsoFLOP valley is the loss changing with the split at "
                 "one fixed budget."),
})
