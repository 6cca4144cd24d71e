"""Self-check cases for lesson 02 (tiny models): name -> (correct answer, plausible wrong answer)."""

import numpy as np


def _mlp_params(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


def _mlp_weights_only(layer_sizes):
    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


def _gpt_params(d_model, n_layer):
    return n_layer * (12 * d_model**2 + 4 * d_model) + 2 * d_model


def _gpt_kaplan_approximation(d_model, n_layer):
    return 12 * n_layer * d_model**2


def _flops(d_model, n_layer, n_ctx):
    return 6 * _gpt_params(d_model, n_layer) + 6 * n_layer * n_ctx * d_model


def _flops_forward_only(d_model, n_layer, n_ctx):
    return 2 * _gpt_params(d_model, n_layer) + 2 * n_layer * n_ctx * d_model


def _bits(loss):
    return np.asarray(loss, dtype=float) / np.log(2)


def _bits_times_ln2(loss):
    return np.asarray(loss, dtype=float) * np.log(2)


CASES = {
    "tiny_models.mlp_params": (_mlp_params, _mlp_weights_only),
    "tiny_models.gpt_non_embedding_params": (_gpt_params, _gpt_kaplan_approximation),
    "tiny_models.flops_per_token": (_flops, _flops_forward_only),
    "tiny_models.nats_to_bits": (_bits, _bits_times_ln2),
}
