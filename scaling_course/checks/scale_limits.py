"""Self-checks for lesson 07 (is scale all you need?): the compute to reach a loss, a training run's energy,
exact match from right and wrong guesses, the in-context gain and the years until the data runs out."""

__all__ = []

import dataclasses
import math

import numpy as np

from scaling_course.engine.scores import exact_match_rate
from scaling_course.science.laws import compute_optimal_allocation, compute_to_reach, zipf_frequencies
from scaling_course.science.reference import CHINCHILLA_EQ10, EPOCH_REFIT

from .registry import (
    CheckFailed,
    call_learner,
    expect_callable,
    expect_close,
    expect_number,
    register,
    register_question,
)


@register("scale_limits.compute_to_reach",
          hint="Invert L_opt(C) = E + K·(C/6)^(−γ): subtract E from the target, divide K by it, raise that to 1/γ and "
               "multiply by 6. A target at or below E is never reached.")
def _compute_to_reach(answer):
    fn = expect_callable(answer, "compute_to_reach(target_loss, law)")
    for law, target in ((CHINCHILLA_EQ10, 1.9), (EPOCH_REFIT, 2.0), (CHINCHILLA_EQ10, 2.3)):
        got = expect_number(call_learner(fn, target, law), f"compute_to_reach({target}, ...)")
        want = compute_to_reach(target, law)
        if math.isclose(got, want / 6, rel_tol=1e-6):
            raise CheckFailed("your compute is 6 times too small: L_opt is a power law in C/6 (C = 6ND), so multiply "
                              "by 6 at the end.")
        n_opt, d_opt = compute_optimal_allocation(want, law)
        if math.isclose(got, n_opt, rel_tol=1e-6) or math.isclose(got, d_opt, rel_tol=1e-6):
            raise CheckFailed("that is the compute-optimal model size (or token count) at the answer, not the compute.")
        if math.isclose(got, compute_to_reach(target, dataclasses.replace(law, E=0.0)), rel_tol=1e-6):
            raise CheckFailed("E was not taken off: only the reducible part L − E falls with compute.")
        expect_close(got, want, f"the compute to reach a loss of {target} under {law.source.split(',')[0]}", rtol=1e-6,
                     hint="γ = αβ/(α+β), G = (αA/(βB))^(1/(α+β)), K = A·G^(−α) + B·G^β.")
    below = call_learner(fn, CHINCHILLA_EQ10.E - 0.01, CHINCHILLA_EQ10)
    if not (isinstance(below, (int, float, np.floating)) and math.isinf(float(below)) and float(below) > 0):
        raise CheckFailed(f"a target below E = {CHINCHILLA_EQ10.E} can never be reached; return math.inf, got {below!r}.")
    return "Each further step of loss costs more compute than the last: that is what diminishing returns means in FLOPs."


@register("scale_limits.training_energy",
          hint="Seconds on the chips = FLOPs / (peak FLOP/s × utilisation); energy = seconds × watts × PUE, in joules; "
               "one kWh is 3.6 million joules.")
def _training_energy(answer):
    fn = expect_callable(answer, "training_energy(flops, peak_flops_per_second, utilisation, watts, pue)")
    cases = ((3.14e23, 125e12, 0.197, 330.0, 1.10), (1e18, 1e12, 0.5, 100.0, 1.0), (2e21, 312e12, 0.4, 400.0, 1.5))
    for flops, peak, utilisation, watts, pue in cases:
        got = expect_number(call_learner(fn, flops, peak, utilisation, watts, pue), "training_energy(...)")
        want = flops / (peak * utilisation) * watts * pue / 3.6e6
        mistakes = ((want * 3.6e6, "that is joules: one kWh is 3.6 million joules."),
                    (want * 1000, "that is watt-hours: divide by 1000 for kWh."),
                    (want * utilisation ** 2, "the chips reach only a share (the utilisation) of their peak, so the "
                                              "run takes longer: time = FLOPs / (peak × utilisation)."),
                    (want / pue, "PUE was left out: the datacentre draws PUE times what the chips draw."),
                    (want / pue ** 2, "PUE multiplies the chips' energy (cooling and losses come on top); it does "
                                      "not divide it."))
        for wrong, why in mistakes:
            if pue != 1 and utilisation != 1 and math.isclose(got, wrong, rel_tol=1e-6):
                raise CheckFailed(why)
        expect_close(got, want, "the energy in kWh", rtol=1e-6)
    return "GPT-3's inputs give about 1,290 MWh; Patterson et al. published 1,287."


def _correct_examples():
    rng = np.random.default_rng(7)
    return [np.array([[True, True, False, True, True, True]]), rng.random((40, 32)) < 0.7,
            np.cumsum(rng.random((25, 20)) < 0.3, axis=1) % 2 == 0]


@register("scale_limits.exact_match",
          hint="Slide a window of k positions along each row (every start where k positions fit) and count the "
               "windows that are right throughout; divide by how many windows there are.")
def _exact_match(answer):
    fn = expect_callable(answer, "exact_match(correct, k)")
    for correct in _correct_examples():
        for k in (1, 2, 5):
            got = expect_number(call_learner(fn, correct.copy(), k), f"exact_match(correct, {k})")
            want = exact_match_rate(correct, k)
            p = correct.mean()
            if k > 1 and math.isclose(got, p ** k, rel_tol=1e-9) and not math.isclose(want, p ** k, rel_tol=1e-9):
                raise CheckFailed("that is p^k, what exact match would be if every character were right independently; "
                                  "count the spans that are right throughout instead.")
            starts = correct.shape[1] - k + 1
            disjoint = [row[j:j + k].all() for row in correct for j in range(0, starts, k)]
            if k > 1 and math.isclose(got, float(np.mean(disjoint)), rel_tol=1e-9) and not math.isclose(got, want):
                raise CheckFailed("you counted only spans that do not overlap; every start position counts.")
            if k > 1 and starts > 1:
                short = float(np.mean([row[j:j + k].all() for row in correct for j in range(starts - 1)]))
                if math.isclose(got, short, rel_tol=1e-9) and not math.isclose(got, want):
                    raise CheckFailed("the last span was left out: a row of T positions has T − k + 1 spans of k.")
            expect_close(got, want, f"exact match for k = {k}", rtol=1e-9)
    return "Exact match needs every character right; the accuracy of each character can improve a lot before it does."


@register("scale_limits.zipf_weighted_loss",
          hint="Subtask i (counting from 1) occurs with probability proportional to i^(−(α+1)); divide those numbers "
               "by their sum so they add up to 1, then weight each subtask's loss by its probability and add up.")
def _zipf_weighted_loss(answer):
    fn = expect_callable(answer, "zipf_weighted_loss(subtask_loss, alpha)")
    rng = np.random.default_rng(2)
    for n, alpha in ((64, 0.4), (10, 1.0), (5, 0.2)):
        losses = np.sort(rng.uniform(0.001, 0.7, n))
        got = expect_number(call_learner(fn, losses.copy(), alpha), f"zipf_weighted_loss(..., {alpha})")
        p = zipf_frequencies(n, alpha)
        want = float(p @ losses)
        if math.isclose(got, losses.mean(), rel_tol=1e-9):
            raise CheckFailed("that is the plain mean: every subtask counted the same, not by how often it occurs.")
        raw = np.arange(1, n + 1, dtype=float) ** -(alpha + 1)
        if math.isclose(got, float(raw @ losses), rel_tol=1e-9):
            raise CheckFailed("the frequencies do not add up to 1: divide them by their sum.")
        if math.isclose(got, float(zipf_frequencies(n, alpha + 1) @ losses), rel_tol=1e-9) or \
                math.isclose(got, float((np.arange(1, n + 1) ** -alpha / np.sum(np.arange(1, n + 1) ** -alpha)) @ losses),
                             rel_tol=1e-9):
            raise CheckFailed("the exponent is off: subtask i occurs ∝ i^(−(α+1)), with α the task's own alpha.")
        expect_close(got, want, f"the weighted loss of {n} subtasks at alpha = {alpha}", rtol=1e-9)
    return "That is the generalist's test loss: the common subtasks dominate it, and the long tail hardly shows."


def _position_loss_examples():
    rng = np.random.default_rng(3)
    return [np.linspace(3.0, 1.5, 64), 2.0 + rng.standard_normal(64) * 0.3, np.arange(64, dtype=float)]


def _gain(position_loss, early, late):
    band = lambda b: np.mean(position_loss[b[0] - 1:b[1]])
    return float(band(early) - band(late))


@register("scale_limits.in_context_gain",
          hint="position_loss[c − 1] is the loss with c characters of context. Average it over the early band and over "
               "the late band (both ends included) and return early minus late.")
def _in_context_gain(answer):
    fn = expect_callable(answer, "in_context_gain(position_loss, early, late)")
    for curve in _position_loss_examples():
        for early, late in (((4, 8), (48, 64)), ((1, 3), (10, 20))):
            got = expect_number(call_learner(fn, curve.copy(), early, late), f"in_context_gain(..., {early}, {late})")
            want = _gain(curve, early, late)
            if math.isclose(got, -want, rel_tol=1e-9) and want != 0:
                raise CheckFailed("the sign is flipped: a model that learns in context has a lower loss late, so the "
                                  "gain is early minus late (Olsson et al. write it late minus early, a negative number).")
            shifted = float(np.mean(curve[early[0]:early[1] + 1]) - np.mean(curve[late[0]:late[1] + 1])) \
                if late[1] < len(curve) else None
            exclusive = float(np.mean(curve[early[0] - 1:early[1] - 1]) - np.mean(curve[late[0] - 1:late[1] - 1]))
            if shifted is not None and math.isclose(got, shifted, rel_tol=1e-9) and not math.isclose(got, want):
                raise CheckFailed("the bands are one position late: c characters of context is position_loss[c − 1].")
            if math.isclose(got, exclusive, rel_tol=1e-9) and not math.isclose(got, want):
                raise CheckFailed("the last position of each band was left out: both ends are included.")
            expect_close(got, want, f"the in-context gain for bands {early} and {late}", rtol=1e-9)
    return "Olsson et al. found this gain jumps to about 0.4 nats early in training, and then hardly depends on size."


@register("scale_limits.years_to_exhaust",
          hint="The gap is log10(stock / dataset) orders of magnitude; at g orders of magnitude a year it closes in "
               "gap / g years.")
def _years_to_exhaust(answer):
    fn = expect_callable(answer, "years_to_exhaust(stock_tokens, dataset_tokens, growth_oom_per_year)")
    for stock, dataset, growth in ((4e14, 15e12, 0.38), (1e15, 1e12, 0.5), (3e14, 1e14, 0.27)):
        got = expect_number(call_learner(fn, stock, dataset, growth), "years_to_exhaust(...)")
        want = math.log10(stock / dataset) / growth
        if math.isclose(got, math.log(stock / dataset) / growth, rel_tol=1e-9):
            raise CheckFailed("growth is in orders of magnitude (powers of ten) a year: use log10, not the natural log.")
        if math.isclose(got, -want, rel_tol=1e-9):
            raise CheckFailed("the answer is negative: the gap is stock / dataset, the larger over the smaller.")
        if math.isclose(got, math.log(stock / dataset) / math.log(growth), rel_tol=1e-9):
            raise CheckFailed("growth is already in orders of magnitude a year (0.38 means ×10^0.38 ≈ 2.4), not a factor.")
        expect_close(got, want, f"years for stock {stock:.0e}, dataset {dataset:.0e}, growth {growth}", rtol=1e-9)
    return "Villalobos et al. put the median year at 2028: does your central answer agree?"


register_question("scale_limits.emergence_question", {
    "a": (True, "if the per-token loss (or the share of characters right) on the same answers fell smoothly across "
                "sizes, the models were improving all along; exact match only crossed the bar late. That is Schaeffer "
                "et al.'s argument, and your k slider shows it."),
    "b": (False, "(b) is what makes the curve look like a jump; it says nothing about whether the models were already "
                 "getting closer below the bar."),
    "c": (False, "(c) is expected of a real ability and of a metric artefact alike."),
    "d": (False, "(d) changes nothing: more than 92% of BIG-Bench's emergent abilities appeared under exact string "
                 "match or multiple choice grade, the two all-or-nothing metrics."),
})
