"""A tiny multilayer perceptron, written so that many same-shaped copies train at once.

A model this small spends most of each training step on Python and kernel-launch overhead,
not on arithmetic. So instead of one ``nn.Linear`` per layer we keep the weights of M
independent models stacked along a leading dimension, ``W[m]`` being model m's matrix, and run
all M models with one batched matrix multiply (``torch.baddbmm``). With ``n_models=1`` this is
an ordinary MLP. On a 2-core CPU, training 8-32 small models this way gives several times the
model-steps per second of training them one after another (see ``bench/bench_train.py``).

One-hot inputs. Sparse parity's input starts with a one-hot code of the subtask: 64 columns
of which one is 1. Multiplying a one-hot row by the first weight matrix just picks out one of
its rows, so with ``one_hot_index = n`` the model takes that code as a single index (the first
column of ``x``) and the first layer *looks the row up* instead of multiplying by 63 zeros.
Same parameters, same initialisation, same outputs and gradients (up to float rounding), much
less arithmetic: at width 128 the dense first layer was nearly all of the work.

Parameter count: a layer from a to b units has a·b weights and b biases.
FLOPs: a multiply-add is 2 FLOPs, so the forward pass costs 2 FLOPs per weight per example,
and the backward pass twice that (gradients for the inputs and for the weights): about
6·N FLOPs per training example (Kaplan et al. 2020, arXiv:2001.08361, section 2.1). That is
the nominal cost of the dense model, and the FLOPs the course logs; the row lookup does less
(``matmul_flops_per_example``).
"""

from __future__ import annotations

__all__ = ["MLP", "MLPConfig", "flops_per_example", "matmul_flops_per_example", "n_params"]

import math
from dataclasses import dataclass

import torch
from torch import nn

from scaling_course.validation import check_instance, check_int, check_list_of, check_positive_int

from ..runs import MAX_SIZE


@dataclass(frozen=True)
class MLPConfig:
    d_in: int = 80          # input features (sparse parity: subtask code + random bits)
    width: int = 64         # hidden units in every hidden layer
    depth: int = 1          # hidden layers; Michaud et al. (2023) use one ("depth 2" in their code)
    d_out: int = 2          # outputs: class logits, or 1 for regression
    one_hot_index: int = 0  # the first this-many inputs are a one-hot code, given as its index (see MLP)

    def __post_init__(self):
        for name in ("d_in", "width", "depth", "d_out"):
            check_int(getattr(self, name), f"MLPConfig.{name}", minimum=1, maximum=MAX_SIZE)
        check_int(self.one_hot_index, "MLPConfig.one_hot_index", minimum=0, maximum=self.d_in)

    @property
    def layer_sizes(self) -> list[int]:
        """Units per layer, input first: [d_in, width, ..., width, d_out]."""
        return [self.d_in] + [self.width] * self.depth + [self.d_out]


def n_params(config: MLPConfig) -> int:
    """Exact number of parameters (weights and biases) of one model."""
    check_instance(config, "config", MLPConfig)
    sizes = config.layer_sizes
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def flops_per_example(config: MLPConfig) -> float:
    """Training FLOPs per example by the 6N rule (Kaplan et al. 2020): 2N forward + 4N backward.

    The nominal cost of the dense model, whatever ``one_hot_index`` says: looking rows up
    instead of multiplying by a one-hot code does less arithmetic (see
    ``matmul_flops_per_example``) but computes the same model, so scaling plots keep 6N.
    """
    check_instance(config, "config", MLPConfig)
    return 6.0 * n_params(config)


def matmul_flops_per_example(config: MLPConfig) -> int:
    """Exact matmul FLOPs of one training step per example (what a FLOP counter sees).

    Every layer a->b costs 2ab forward, 2ab for its weight gradient and 2ab for its input
    gradient, except the first layer: nothing upstream needs the gradient of the input.
    Biases are additions and are not counted. So this is 6N minus the first layer's input
    gradient, minus the biases. With ``one_hot_index = n`` the first layer's n one-hot rows
    are looked up, not multiplied: no matmul FLOPs for them at all.
    """
    check_instance(config, "config", MLPConfig)
    sizes = config.layer_sizes
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return 6 * weights - 2 * sizes[0] * sizes[1] - 4 * config.one_hot_index * sizes[1]


class MLP(nn.Module):
    """``n_models`` independent MLPs of one shape. Input [M, B, d_in] -> output [M, B, d_out].

    With ``config.one_hot_index = n`` the input is [M, B, 1 + d_in - n] integers instead: the
    index of the one-hot code (which of the first n inputs is 1), then the other inputs.
    """

    def __init__(self, config: MLPConfig, n_models: int = 1, seeds: list[int] | None = None):
        super().__init__()
        self.config = config
        self.n_models = n_models
        check_instance(config, "config", MLPConfig)
        check_positive_int(n_models, "n_models")
        seeds = list(range(n_models)) if seeds is None else check_list_of(seeds, "seeds", int)
        if len(seeds) != n_models:
            raise ValueError(f"seeds must have n_models = {n_models} entries, got {len(seeds)}")
        sizes = config.layer_sizes
        self.weights = nn.ParameterList(
            [nn.Parameter(torch.empty(n_models, a, b)) for a, b in zip(sizes[:-1], sizes[1:])])
        self.biases = nn.ParameterList(
            [nn.Parameter(torch.empty(n_models, 1, b)) for b in sizes[1:]])
        self.reset_parameters(seeds)

    @torch.no_grad()
    def reset_parameters(self, seeds: list[int]) -> None:
        """Initialise like ``nn.Linear`` (uniform in ±1/sqrt(fan_in)), model m from its own seed,
        so a model's starting point does not depend on which other models share its stack."""
        for m, seed in enumerate(seeds):
            generator = torch.Generator().manual_seed(seed)
            for weight, bias in zip(self.weights, self.biases):
                bound = 1.0 / math.sqrt(weight.shape[1])
                weight[m].uniform_(-bound, bound, generator=generator)
                bias[m].uniform_(-bound, bound, generator=generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        last = len(self.weights) - 1
        for i, (weight, bias) in enumerate(zip(self.weights, self.biases)):
            if i == 0 and self.config.one_hot_index:
                x = self.first_layer_by_lookup(x)
            else:
                x = torch.baddbmm(bias, x, weight)      # bias + x @ weight, for all M models at once
            if i < last:
                x = torch.relu(x)
        return x

    def first_layer_by_lookup(self, x: torch.Tensor) -> torch.Tensor:
        """The first layer when its first n inputs are a one-hot code given as an index.

        one_hot(i) @ W[:n] is row i of W, so look that row up (for all M models at once, in
        the M stacked matrices flattened to one table of M·d_in rows), then add the bias and
        the ordinary matmul of the remaining inputs. The gradient of a lookup adds each
        example's output gradient into its row, exactly what the dense matmul computes.
        """
        weight, bias, n = self.weights[0], self.biases[0], self.config.one_hot_index
        index, rest = x[..., 0], x[..., 1:].to(weight.dtype)
        n_models, d_in, width = weight.shape
        row = index + d_in * torch.arange(n_models, device=index.device).unsqueeze(1)   # row in the flat table
        looked_up = weight.reshape(n_models * d_in, width).index_select(0, row.flatten()).view(*index.shape, width)
        return torch.baddbmm(bias + looked_up, rest, weight[:, n:])
