"""Self-checks for lesson 00 (welcome): C ≈ 6ND and tokens per parameter."""

__all__ = []

import numpy as np

from scaling_course.science import laws, reference

from .registry import CheckFailed, call_learner, expect_callable, expect_close, expect_number, register

_CASES = [(175e9, 300e9), (70e9, 1.4e12), (1.0, 1.0), (3e6, 2e3)]


@register("welcome.training_flops", hint="Training costs about 6 FLOPs per parameter per token: C = 6·N·D.")
def _training_flops(answer):
    fn = expect_callable(answer, "training_flops(n_params, n_tokens)")
    for n, d in _CASES:
        value = expect_number(call_learner(fn, n, d), f"training_flops({n:g}, {d:g})")
        expect_close(value, laws.training_compute(n, d), f"training_flops({n:g}, {d:g})", rtol=1e-9)
    gpt3 = laws.training_compute(175e9, 300e9)
    return f"GPT-3: 6·N·D = {gpt3:.3g} FLOPs; Brown et al. (2020) report 3.14e23."


@register("welcome.tokens_per_parameter", hint="Tokens per parameter is D divided by N.")
def _tokens_per_parameter(answer):
    fn = expect_callable(answer, "tokens_per_parameter(n_params, n_tokens)")
    for n, d in _CASES:
        value = expect_number(call_learner(fn, n, d), f"tokens_per_parameter({n:g}, {d:g})")
        if np.isclose(value, n / d, rtol=1e-9) and not np.isclose(n, d):
            raise CheckFailed(f"tokens_per_parameter({n:g}, {d:g}) returned N/D = {value:.3g}.",
                              "It is the other way round: tokens (D) per parameter (N) is D / N.")
        expect_close(value, laws.tokens_per_parameter(n, d), f"tokens_per_parameter({n:g}, {d:g})", rtol=1e-9)
    return "Chinchilla trained on 1.4e12 / 70e9 = 20 tokens per parameter."


@register("welcome.near_chinchilla",
          hint="Keep a model when 20/factor <= D/N <= 20·factor; use your tokens_per_parameter.")
def _near_chinchilla(answer):
    fn = expect_callable(answer, "near_chinchilla(models, factor)")
    models = reference.famous_models()
    for factor in (2.0, 1.5, 100.0):
        got = call_learner(fn, models, factor)
        if got is None:
            raise CheckFailed(f"near_chinchilla(models, {factor}) returned None.", "Did you forget `return`?")
        if not isinstance(got, (str, bytes)) and hasattr(got, "__iter__"):
            got = list(got)                          # a generator or a set of names is fine too
        if got and all(hasattr(item, "name") and not isinstance(item, str) for item in got):
            raise CheckFailed(f"near_chinchilla returned the models themselves ({len(got)} of them), not their names.",
                              "Collect model.name for each model that qualifies.")
        if isinstance(got, str) or not all(isinstance(name, str) for name in got):
            shown = repr(got) if len(repr(got)) <= 80 else f"a {type(got).__name__} starting {repr(got)[:60]}..."
            raise CheckFailed(f"near_chinchilla should return a list of model names, got {shown}.",
                              "Collect model.name for each model that qualifies.")
        expected = reference.near_chinchilla(models, factor)
        if sorted(got) != sorted(expected):
            missing = sorted(set(expected) - set(got))
            extra = sorted(set(got) - set(expected))
            raise CheckFailed(f"with factor={factor}: missing {missing}, should not include {extra}.")
    return "Within 2× of 20 tokens per parameter: " + ", ".join(reference.near_chinchilla(models, 2.0)) + "."
