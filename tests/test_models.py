"""Parameter and FLOP counts of the tiny models, checked against the modules and a FLOP counter."""

import pytest
import torch
from hypothesis import given, settings, strategies as st
from torch.nn import functional as F
from torch.utils.flop_counter import FlopCounterMode

from scaling_course.models import gpt, mlp


def counted_training_flops(model, inputs, loss_fn) -> int:
    with FlopCounterMode(display=False) as counter:
        loss_fn(model(inputs)).backward()
    return counter.get_total_flops()


@settings(max_examples=15, deadline=None)
@given(d_in=st.integers(1, 40), width=st.integers(1, 40), depth=st.integers(1, 3),
       d_out=st.integers(1, 5), n_models=st.integers(1, 4))
def test_mlp_counts_match_the_module_and_the_flop_counter(d_in, width, depth, d_out, n_models):
    config = mlp.MLPConfig(d_in=d_in, width=width, depth=depth, d_out=d_out)
    model = mlp.MLP(config, n_models=n_models)
    assert sum(p.numel() for p in model.parameters()) == n_models * mlp.n_params(config)
    batch = 7
    counted = counted_training_flops(model, torch.randn(n_models, batch, d_in), lambda out: out.sum())
    assert counted == n_models * batch * mlp.matmul_flops_per_example(config)


def test_mlp_six_n_rule_is_close_to_the_exact_count_for_wide_layers():
    config = mlp.MLPConfig(d_in=512, width=512, depth=2, d_out=512)
    exact, rule = mlp.matmul_flops_per_example(config), mlp.flops_per_example(config)
    assert 0.7 < exact / rule < 1.0       # the rule also counts the first layer's input gradient


def test_stacked_models_are_independent_and_seeded():
    config = mlp.MLPConfig(d_in=5, width=8, d_out=2)
    stack = mlp.MLP(config, n_models=3, seeds=[10, 11, 12])
    alone = mlp.MLP(config, n_models=1, seeds=[11])
    for w_stack, w_alone in zip(stack.weights, alone.weights):
        assert torch.equal(w_stack[1], w_alone[0])
    x = torch.randn(1, 4, 5)
    assert torch.allclose(stack(x.expand(3, 4, 5))[1], alone(x)[0], atol=1e-6)
    assert not torch.equal(stack.weights[0][0], stack.weights[0][1])


@pytest.mark.parametrize("d_model,n_layer,n_head,n_ctx,vocab", [(32, 2, 4, 16, 96), (48, 1, 3, 8, 50), (16, 3, 1, 32, 20)])
def test_gpt_counts_match_the_module_and_the_flop_counter(d_model, n_layer, n_head, n_ctx, vocab):
    config = gpt.GPTConfig(vocab_size=vocab, n_ctx=n_ctx, d_model=d_model, n_layer=n_layer, n_head=n_head)
    model = gpt.GPT(config)
    total = sum(p.numel() for p in model.parameters())
    assert total == gpt.n_params(config)
    embedding = model.wte.weight.numel() + model.wpe.weight.numel()
    assert gpt.n_params(config, embeddings=False) == total - embedding
    # Kaplan's approximation N ≈ 12·n_layer·d² leaves out only the LayerNorms
    assert gpt.n_params(config, embeddings=False) - 12 * n_layer * d_model ** 2 == (4 * n_layer + 2) * d_model

    batch = 3
    tokens = torch.randint(0, vocab, (batch, n_ctx))
    counted = counted_training_flops(
        model, tokens, lambda logits: F.cross_entropy(logits.flatten(0, 1), tokens.flatten()))
    assert counted == batch * n_ctx * gpt.matmul_flops_per_token(config)
    # Kaplan's C = 6N + 6·n_layer·n_ctx·d differs from the count by exactly: the head (6·d·vocab),
    # the LayerNorm parameters (no matmul), and half of the attention (the causal mask)
    kaplan = gpt.flops_per_token(config)
    layer_norm = (4 * n_layer + 2) * d_model
    assert gpt.matmul_flops_per_token(config) == kaplan + 6 * d_model * vocab - 6 * layer_norm \
        + 6 * n_layer * n_ctx * d_model


def test_gpt_is_causal():
    config = gpt.GPTConfig(vocab_size=20, n_ctx=8, d_model=16, n_layer=2, n_head=2)
    model = gpt.GPT(config, seed=1)
    tokens = torch.randint(0, 20, (1, 8))
    changed = tokens.clone()
    changed[0, 5] = (changed[0, 5] + 1) % 20
    a, b = model(tokens), model(changed)
    assert torch.allclose(a[0, :5], b[0, :5], atol=1e-6)      # the past does not see the future
    assert not torch.allclose(a[0, 5:], b[0, 5:])


def test_gpt_initialisation_depends_only_on_the_seed():
    config = gpt.GPTConfig(vocab_size=20, n_ctx=8, d_model=16, n_layer=1, n_head=2)
    a, b, c = gpt.GPT(config, seed=3), gpt.GPT(config, seed=3), gpt.GPT(config, seed=4)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a.wte.weight, c.wte.weight)
