"""Self-checks for lesson 02 (tiny models): parameter and FLOP counts by hand, nats and bits."""

__all__ = []

import math

import numpy as np

from scaling_course.engine.models import gpt, mlp

from .registry import CheckFailed, call_learner, expect_callable, expect_close, expect_number, register


def _gpt(d_model, n_layer, n_ctx=64):
    return gpt.GPTConfig(d_model=d_model, n_layer=n_layer, n_ctx=n_ctx, n_head=1)


@register("tiny_models.mlp_params",
          hint="A layer from a units to b units has a·b weights and b biases; add up every layer.")
def _mlp_params(answer):
    fn = expect_callable(answer, "mlp_params(layer_sizes)")
    for sizes in ([76, 64, 2], [10, 5, 5, 1], [3, 1], [80, 128, 128, 2]):
        expected = mlp.n_params(mlp.MLPConfig(d_in=sizes[0], width=sizes[1], depth=len(sizes) - 2, d_out=sizes[-1])) \
            if len(sizes) > 2 else sizes[0] * sizes[1] + sizes[1]
        got = expect_number(call_learner(fn, list(sizes)), f"mlp_params({sizes})")
        weights_only = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        if got == weights_only != expected:
            raise CheckFailed(f"mlp_params({sizes}) = {got:g} counts the weights but not the biases.",
                              "Each layer also has one bias per output unit.")
        expect_close(got, expected, f"mlp_params({sizes})", rtol=0)
    return f"The parity MLP [76, 64, 2] has {mlp_example():,} parameters."


def mlp_example() -> int:
    return mlp.n_params(mlp.MLPConfig(d_in=76, width=64, depth=1, d_out=2))


@register("tiny_models.gpt_non_embedding_params",
          hint="Per block: qkv 3d², output projection d², MLP 4d² + 4d² = 12d², plus two LayerNorms of 2d each; "
               "then one final LayerNorm of 2d.")
def _gpt_non_embedding_params(answer):
    fn = expect_callable(answer, "gpt_non_embedding_params(d_model, n_layer)")
    for d, layers in ((64, 2), (16, 1), (128, 4), (768, 12)):
        expected = gpt.n_params(_gpt(d, layers), embeddings=False)
        got = expect_number(call_learner(fn, d, layers), f"gpt_non_embedding_params({d}, {layers})")
        if got == 12 * layers * d * d:
            raise CheckFailed(f"gpt_non_embedding_params({d}, {layers}) = {got:g} is Kaplan's approximation 12·n_layer·d².",
                              "Count the LayerNorms exactly: 2d in each of the two per block, and 2d at the end.")
        if got == expected + (96 + 64) * d:
            raise CheckFailed("you included the embeddings.", "Non-embedding parameters leave out the token "
                                                                "and position embeddings.")
        expect_close(got, expected, f"gpt_non_embedding_params({d}, {layers})", rtol=0)
    return "GPT-2 small's blocks (d = 768, 12 layers) hold about 85 million non-embedding parameters."


@register("tiny_models.flops_per_token",
          hint="Training ≈ 3 × forward. Forward ≈ 2N + 2·n_layer·n_ctx·d, so C ≈ 6N + 6·n_layer·n_ctx·d per token.")
def _flops_per_token(answer):
    fn = expect_callable(answer, "flops_per_token(d_model, n_layer, n_ctx)")
    for d, layers, n_ctx in ((64, 2, 64), (16, 1, 32), (256, 4, 128)):
        config = _gpt(d, layers, n_ctx)
        expected = gpt.flops_per_token(config)
        n = gpt.n_params(config, embeddings=False)
        got = expect_number(call_learner(fn, d, layers, n_ctx), f"flops_per_token({d}, {layers}, {n_ctx})")
        if math.isclose(got, expected / 3, rel_tol=1e-9):
            raise CheckFailed("that is the forward pass only.", "The backward pass costs about twice the "
                                                                "forward pass: multiply by 3.")
        if math.isclose(got, 6 * n, rel_tol=1e-9):
            raise CheckFailed("6N leaves out attention over the context.",
                              "Add Kaplan's attention term 6·n_layer·n_ctx·d_model.")
        expect_close(got, expected, f"flops_per_token({d}, {layers}, {n_ctx})", rtol=1e-9)
    return "At d = 64 the attention term is a few percent of the total; it grows with n_ctx / d."


@register("tiny_models.nats_to_bits", hint="One bit is ln 2 ≈ 0.693 nats, so bits = nats / ln 2.")
def _nats_to_bits(answer):
    fn = expect_callable(answer, "nats_to_bits(loss_nats)")
    got = expect_number(call_learner(fn, math.log(2)), "nats_to_bits(ln 2)")
    if math.isclose(got, math.log(2) ** 2, rel_tol=1e-6):
        raise CheckFailed("you multiplied by ln 2.", "A bit is bigger than a nat: divide by ln 2.")
    expect_close(got, 1.0, "nats_to_bits(ln 2)", rtol=1e-9, hint="A coin flip costs ln 2 nats, which is 1 bit.")
    values = np.array([0.5, 1.0, 2.0, math.log(96)])
    got = call_learner(fn, values.copy())
    expect_close(got, values / math.log(2), "nats_to_bits(array)", rtol=1e-9,
                 hint="Use operations that work on whole arrays (np.log, /), not math.log on each value.")
    return f"A uniform guess over 96 characters costs {math.log(96):.2f} nats = {math.log2(96):.2f} bits."
