"""A tiny GPT-style transformer language model (in the spirit of Karpathy's nanoGPT).

Pre-LayerNorm blocks of causal self-attention and a 4x-wide GELU MLP, learned position
embeddings, and an output head tied to the token embedding. Linear layers have no biases, so
the parameter count matches Kaplan et al.'s formula up to the LayerNorm parameters.

Parameter and FLOP counts follow Kaplan et al. 2020 ("Scaling Laws for Neural Language
Models", arXiv:2001.08361, Table 1), with d_attn = d_model and d_ff = 4·d_model:

* non-embedding parameters  N ≈ 2·d_model·n_layer·(2·d_attn + d_ff) = 12·n_layer·d_model²
  (plus 4·d_model per block and 2·d_model at the end for the LayerNorms, counted exactly here);
* embedding parameters      (n_vocab + n_ctx)·d_model, not part of N;
* forward FLOPs per token   2N + 2·n_layer·n_ctx·d_attn (the second term is attention itself),
  and training costs three times the forward pass: C ≈ 6N + 6·n_layer·n_ctx·d_model per token.

Attention is written out by hand rather than with ``scaled_dot_product_attention``: at these
sizes it is 15-18 % faster on a CPU, and a learner can read every step.

Like the MLP, the module holds ``n_models`` independent GPTs of one shape, every weight with a
leading model axis, so that several runs (other seeds, other data, the same width in another
sweep) train in one step with batched matmuls; a stack of one is the ordinary model. Each
model is initialised from its own seed, exactly as it would be alone.
"""

from __future__ import annotations

__all__ = ["GPT", "GPTConfig", "flops_per_token", "matmul_flops_per_token", "n_params"]

import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from scaling_course.validation import check_instance, check_int, check_list_of, check_positive_int

from ..runs import MAX_SIZE


@dataclass(frozen=True)
class GPTConfig:
    vocab_size: int = 96    # distinct tokens (characters of the shipped corpus)
    n_ctx: int = 64         # context length: tokens the model sees at once
    d_model: int = 64       # width of the residual stream
    n_layer: int = 2        # transformer blocks
    n_head: int = 4         # attention heads; each has d_model / n_head dimensions

    def __post_init__(self):
        for name in ("vocab_size", "n_ctx", "d_model", "n_layer", "n_head"):
            check_int(getattr(self, name), f"GPTConfig.{name}", minimum=1, maximum=MAX_SIZE)
        if self.d_model % self.n_head:
            raise ValueError(f"GPTConfig.n_head must divide d_model = {self.d_model}, got {self.n_head}")


def n_params(config: GPTConfig, embeddings: bool = True) -> int:
    """Exact parameter count. ``embeddings=False`` gives Kaplan's N (token and position
    embeddings left out; the output head shares the token embedding, so it adds nothing)."""
    check_instance(config, "config", GPTConfig)
    d = config.d_model
    per_block = 12 * d * d + 4 * d           # qkv 3d², proj d², MLP 8d²; two LayerNorms 2d each
    non_embedding = config.n_layer * per_block + 2 * d     # final LayerNorm
    if not embeddings:
        return non_embedding
    return non_embedding + (config.vocab_size + config.n_ctx) * d


def flops_per_token(config: GPTConfig) -> float:
    """Training FLOPs per token, Kaplan et al. (2020) Table 1: C = 6N + 6·n_layer·n_ctx·d_model.

    The output head (2·d_model·n_vocab forward) is left out as in Kaplan; with a ~100-character
    vocabulary and tiny widths it is not negligible, see :func:`matmul_flops_per_token`.
    """
    check_instance(config, "config", GPTConfig)
    return 6.0 * n_params(config, embeddings=False) + 6.0 * config.n_layer * config.n_ctx * config.d_model


def matmul_flops_per_token(config: GPTConfig) -> int:
    """Exact matmul FLOPs per token of one training step (what a FLOP counter sees).

    Forward: 2 FLOPs per weight of the 12·d² matrices per block, 2·d·n_vocab for the output
    head, and 4·n_ctx·d per block for attention (q·kᵀ and the weighted sum of v; the causal
    mask hides half of each, but the full products are computed, which is why Kaplan's
    attention term is half of ours). Backward: twice the forward, since every matmul here needs
    gradients for both of its inputs.
    """
    check_instance(config, "config", GPTConfig)
    d, layers = config.d_model, config.n_layer
    forward = 2 * 12 * d * d * layers + 2 * d * config.vocab_size + 4 * config.n_ctx * d * layers
    return 3 * forward


def _stacked(n_models: int, *shape: int) -> nn.Parameter:
    return nn.Parameter(torch.empty(n_models, *shape))


class LayerNorm(nn.Module):
    """LayerNorm over the last axis with each model's own gain and bias: x [M, ..., d]."""

    def __init__(self, d: int, n_models: int):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n_models, d))
        self.bias = nn.Parameter(torch.zeros(n_models, d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (x.shape[0],) + (1,) * (x.dim() - 2) + (x.shape[-1],)     # [M, 1, ..., d]
        return torch.addcmul(self.bias.view(shape), F.layer_norm(x, x.shape[-1:]), self.weight.view(shape))


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPTConfig, n_models: int):
        super().__init__()
        d = config.d_model
        self.n_head = config.n_head
        self.qkv = _stacked(n_models, d, 3 * d)       # x @ qkv gives queries, keys and values
        self.proj = _stacked(n_models, d, d)
        # -inf above the diagonal: added to the scores, it hides every later token (no peeking ahead)
        future = torch.full((config.n_ctx, config.n_ctx), float("-inf")).triu(diagonal=1)
        self.register_buffer("future", future, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        M, B, T, d = x.shape
        q, k, v = torch.bmm(x.reshape(M, B * T, d), self.qkv).split(d, dim=2)
        # [M, B·T, d] -> [M·B, heads, T, d_head]: every sequence of every model attends on its own
        d_head = d // self.n_head
        q, k, v = (t.reshape(M * B, T, self.n_head, d_head).transpose(1, 2).reshape(-1, T, d_head)
                   for t in (q, k, v))                                       # [M·B·heads, T, d_head]
        # scores = q·kᵀ/√d_head + the mask, in one matmul call: scaling and masking the T×T scores
        # as separate passes costs about a fifth of a training step on a CPU
        scores = torch.baddbmm(self.future[:T, :T], q, k.transpose(1, 2), alpha=1 / math.sqrt(d_head))
        y = torch.bmm(scores.softmax(dim=-1), v).view(M * B, self.n_head, T, d_head)
        y = y.transpose(1, 2).reshape(M, B * T, d)
        return torch.bmm(y, self.proj).view(M, B, T, d)


class Block(nn.Module):
    def __init__(self, config: GPTConfig, n_models: int):
        super().__init__()
        d = config.d_model
        self.ln1 = LayerNorm(d, n_models)
        self.attn = CausalSelfAttention(config, n_models)
        self.ln2 = LayerNorm(d, n_models)
        self.fc = _stacked(n_models, d, 4 * d)         # the MLP: d -> 4d, GELU, 4d -> d
        self.fc_proj = _stacked(n_models, 4 * d, d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))          # pre-LN: normalise, transform, add to the stream
        M, B, T, d = x.shape
        h = self.ln2(x).reshape(M, B * T, d)
        return x + torch.bmm(F.gelu(torch.bmm(h, self.fc)), self.fc_proj).view(M, B, T, d)


class GPT(nn.Module):
    """``n_models`` independent GPTs of one shape: token ids [M, B, T] -> next-token logits [M, B, T, vocab_size]."""

    def __init__(self, config: GPTConfig, n_models: int = 1, seeds: list[int] | None = None):
        super().__init__()
        check_instance(config, "config", GPTConfig)
        check_positive_int(n_models, "n_models")
        seeds = list(range(n_models)) if seeds is None else check_list_of(seeds, "seeds", int)
        if len(seeds) != n_models:
            raise ValueError(f"seeds must have n_models = {n_models} entries, got {len(seeds)}")
        self.config = config
        self.n_models = n_models
        self.wte = _stacked(n_models, config.vocab_size, config.d_model)   # token embedding = output head
        self.wpe = _stacked(n_models, config.n_ctx, config.d_model)        # learned positions
        self.blocks = nn.ModuleList([Block(config, n_models) for _ in range(config.n_layer)])
        self.ln_f = LayerNorm(config.d_model, n_models)
        self.reset_parameters(seeds)

    @torch.no_grad()
    def reset_parameters(self, seeds: list[int]) -> None:
        """GPT-2 initialisation: N(0, 0.02²), output projections scaled by 1/sqrt(2·n_layer)
        so the residual stream does not grow with depth; LayerNorms start as identity. Model m
        draws from its own seed, in nn.Linear's [out, in] layout, so its weights do not depend
        on which other models share its stack."""
        residual = 0.02 / math.sqrt(2 * self.config.n_layer)
        for m, seed in enumerate(seeds):
            generator = torch.Generator().manual_seed(seed)

            def draw(weight: torch.Tensor, std: float, as_linear: bool = True) -> None:
                rows, cols = weight.shape[1:]
                shape = (cols, rows) if as_linear else (rows, cols)
                values = torch.empty(shape).normal_(0.0, std, generator=generator)
                weight[m] = values.T if as_linear else values

            draw(self.wte, 0.02, as_linear=False)
            draw(self.wpe, 0.02, as_linear=False)
            for block in self.blocks:
                draw(block.attn.qkv, 0.02)
                draw(block.attn.proj, residual)
                draw(block.fc, 0.02)
                draw(block.fc_proj, residual)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        M, B, T = idx.shape
        V, d = self.config.vocab_size, self.config.d_model
        if T > self.config.n_ctx:
            raise ValueError(f"the input has {T} tokens, more than the model's context n_ctx = {self.config.n_ctx}")
        # every model looks its tokens up in its own table: the M tables as one of M·V rows
        rows = idx + V * torch.arange(M, device=idx.device).view(M, 1, 1)
        x = F.embedding(rows, self.wte.reshape(M * V, d)) + self.wpe[:, None, :T]
        for block in self.blocks:
            x = block(x)
        h = self.ln_f(x).reshape(M, B * T, d)
        return torch.bmm(h, self.wte.transpose(1, 2)).view(M, B, T, V)   # tied head: logits = h · embeddingᵀ
