"""Parameter and FLOP counts of the tiny models, checked against the modules and a FLOP counter."""

import re

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F
from torch.utils.flop_counter import FlopCounterMode

from scaling_course.engine.models import gpt, mlp


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


def one_hot_and_index_inputs(n_models, batch, n_one_hot, n_rest, seed=0):
    """The same examples twice: [one-hot code, other inputs] floats, and [index, other inputs] integers."""
    generator = torch.Generator().manual_seed(seed)
    index = torch.randint(n_one_hot, (n_models, batch), generator=generator)
    rest = torch.randint(0, 2, (n_models, batch, n_rest), generator=generator)
    dense = torch.cat([F.one_hot(index, n_one_hot).float(), rest.float()], dim=2)
    return dense, torch.cat([index.unsqueeze(2), rest], dim=2)


@pytest.mark.parametrize("n_models,depth,n_rest", [(1, 1, 12), (3, 1, 12), (4, 2, 5), (2, 1, 0)])
def test_one_hot_lookup_is_the_dense_model_exactly(n_models, depth, n_rest):
    """The first layer as a row lookup: same parameters, initialisation, outputs and gradients."""
    n_one_hot, seeds = 64, [7 + m for m in range(n_models)]
    dense_config = mlp.MLPConfig(d_in=n_one_hot + n_rest, width=24, depth=depth, d_out=2)
    lookup_config = mlp.MLPConfig(d_in=n_one_hot + n_rest, width=24, depth=depth, d_out=2, one_hot_index=n_one_hot)
    dense, lookup = mlp.MLP(dense_config, n_models, seeds), mlp.MLP(lookup_config, n_models, seeds)
    assert mlp.n_params(lookup_config) == mlp.n_params(dense_config)
    assert mlp.flops_per_example(lookup_config) == mlp.flops_per_example(dense_config)    # nominal 6N
    assert all(torch.equal(p, q) for p, q in zip(dense.parameters(), lookup.parameters()))
    x_dense, x_index = one_hot_and_index_inputs(n_models, 50, n_one_hot, n_rest)
    out_dense, out_lookup = dense(x_dense), lookup(x_index)
    assert torch.allclose(out_lookup, out_dense, atol=1e-5)
    y = torch.randint(0, 2, (n_models * 50,))
    for model, out in ((dense, out_dense), (lookup, out_lookup)):
        F.cross_entropy(out.flatten(0, 1), y).backward()
    for p, q in zip(dense.parameters(), lookup.parameters()):
        assert torch.allclose(q.grad, p.grad, atol=1e-6, rtol=1e-4)


def test_one_hot_lookup_does_fewer_matmul_flops_as_counted():
    config = mlp.MLPConfig(d_in=76, width=32, depth=1, d_out=2, one_hot_index=64)
    model = mlp.MLP(config, n_models=3)
    _, x_index = one_hot_and_index_inputs(3, 7, 64, 12)
    counted = counted_training_flops(model, x_index, lambda out: out.sum())
    assert counted == 3 * 7 * mlp.matmul_flops_per_example(config)
    dense = mlp.matmul_flops_per_example(mlp.MLPConfig(d_in=76, width=32, depth=1, d_out=2))
    assert mlp.matmul_flops_per_example(config) == dense - 4 * 64 * 32      # no forward or weight-grad matmul
    assert mlp.matmul_flops_per_example(config) < 0.3 * mlp.flops_per_example(config)


@pytest.mark.parametrize("d_model,n_layer,n_head,n_ctx,vocab", [(32, 2, 4, 16, 96), (48, 1, 3, 8, 50), (16, 3, 1, 32, 20)])
def test_gpt_counts_match_the_module_and_the_flop_counter(d_model, n_layer, n_head, n_ctx, vocab):
    config = gpt.GPTConfig(vocab_size=vocab, n_ctx=n_ctx, d_model=d_model, n_layer=n_layer, n_head=n_head)
    model = gpt.GPT(config)
    total = sum(p.numel() for p in model.parameters())
    assert total == gpt.n_params(config)
    embedding = model.wte.numel() + model.wpe.numel()
    assert gpt.n_params(config, embeddings=False) == total - embedding
    # Kaplan's approximation N ≈ 12·n_layer·d² leaves out only the LayerNorms
    assert gpt.n_params(config, embeddings=False) - 12 * n_layer * d_model ** 2 == (4 * n_layer + 2) * d_model

    batch = 3
    tokens = torch.randint(0, vocab, (1, batch, n_ctx))                  # a stack of one model
    counted = counted_training_flops(
        model, tokens, lambda logits: F.cross_entropy(logits.flatten(0, 2), tokens.flatten()))
    assert counted == batch * n_ctx * gpt.matmul_flops_per_token(config)
    # Kaplan's C = 6N + 6·n_layer·n_ctx·d differs from the count by exactly: the head (6·d·vocab),
    # the LayerNorm parameters (no matmul), and half of the attention (the causal mask)
    kaplan = gpt.flops_per_token(config)
    layer_norm = (4 * n_layer + 2) * d_model
    assert gpt.matmul_flops_per_token(config) == kaplan + 6 * d_model * vocab - 6 * layer_norm \
        + 6 * n_layer * n_ctx * d_model


def test_gpt_is_causal():
    config = gpt.GPTConfig(vocab_size=20, n_ctx=8, d_model=16, n_layer=2, n_head=2)
    model = gpt.GPT(config, seeds=[1])
    tokens = torch.randint(0, 20, (1, 1, 8))
    changed = tokens.clone()
    changed[0, 0, 5] = (changed[0, 0, 5] + 1) % 20
    a, b = model(tokens)[0], model(changed)[0]
    assert torch.allclose(a[0, :5], b[0, :5], atol=1e-6)      # the past does not see the future
    assert not torch.allclose(a[0, 5:], b[0, 5:])


def test_gpt_initialisation_depends_only_on_the_seed():
    config = gpt.GPTConfig(vocab_size=20, n_ctx=8, d_model=16, n_layer=1, n_head=2)
    a, b, c = gpt.GPT(config, seeds=[3]), gpt.GPT(config, seeds=[3]), gpt.GPT(config, seeds=[4])
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a.wte, c.wte)


def test_stacked_gpts_are_the_models_alone_side_by_side():
    """Model m of a stack starts from its own seed and computes exactly what it computes alone."""
    config = gpt.GPTConfig(vocab_size=20, n_ctx=8, d_model=16, n_layer=2, n_head=2)
    stack = gpt.GPT(config, n_models=3, seeds=[5, 6, 7])
    tokens = torch.randint(0, 20, (3, 4, 8))
    logits = stack(tokens)
    assert logits.shape == (3, 4, 8, 20)
    for m, seed in enumerate([5, 6, 7]):
        alone = gpt.GPT(config, seeds=[seed])
        assert all(torch.equal(p[m], q[0]) for p, q in zip(stack.parameters(), alone.parameters()))
        assert torch.allclose(logits[m], alone(tokens[m:m + 1])[0], atol=1e-6)
    # the models are independent: one model's loss moves only its own weights
    logits[1].sum().backward()
    assert stack.wte.grad[1].abs().sum() > 0 and stack.wte.grad[0].abs().sum() == 0
    with pytest.raises(ValueError, match="seeds must have n_models = 2 entries, got 3"):
        gpt.GPT(config, n_models=2, seeds=[1, 2, 3])


@pytest.mark.parametrize("make, error, words", [
    (lambda: gpt.GPTConfig(d_model=0), ValueError, "GPTConfig.d_model must be a whole number from 1 to 8192, got 0"),
    (lambda: gpt.GPTConfig(d_model=65, n_head=4), ValueError, "GPTConfig.n_head must divide d_model = 65, got 4"),
    (lambda: gpt.GPTConfig(d_model=64.0), TypeError, "GPTConfig.d_model must be a whole number"),
    (lambda: gpt.GPTConfig(n_layer=-1), ValueError, "GPTConfig.n_layer"),
    (lambda: gpt.GPTConfig(vocab_size=10**9), ValueError, "GPTConfig.vocab_size"),
    (lambda: mlp.MLPConfig(width=0), ValueError, "MLPConfig.width must be a whole number from 1 to 8192, got 0"),
    (lambda: mlp.MLPConfig(width=-5), ValueError, "MLPConfig.width"),
    (lambda: mlp.MLPConfig(depth=2.5), TypeError, "MLPConfig.depth"),
    (lambda: mlp.MLPConfig(d_in=4, one_hot_index=5), ValueError, "MLPConfig.one_hot_index"),
])
def test_model_configs_refuse_impossible_shapes_before_building(make, error, words):
    with pytest.raises(error, match=re.escape(words)):
        make()


def test_a_gpt_refuses_an_input_longer_than_its_context():
    model = gpt.GPT(gpt.GPTConfig(n_ctx=8, d_model=16, n_head=1, n_layer=1))
    with pytest.raises(ValueError, match="9 tokens, more than the model's context n_ctx = 8"):
        model(torch.zeros(1, 1, 9, dtype=torch.long))
