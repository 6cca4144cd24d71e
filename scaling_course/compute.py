"""Counting the three axes of scale: parameters N, training tokens D and compute C (lesson 00).

Kaplan et al. (2020, arXiv:2001.08361, §2.1): a forward pass costs about 2N FLOPs per token and
the backward pass about twice that, so training costs

    C ≈ 6 · N · D   FLOPs.

Hoffmann et al. (2022, "Chinchilla", arXiv:2203.15556) found compute-optimal models use about
20 training tokens per parameter (read off their Table 3, where D/N runs from 20.0 to 21.6).
"""

from __future__ import annotations

from .reference import CHINCHILLA_TOKENS_PER_PARAMETER, FLOPS_PER_PARAMETER_TOKEN, FamousModel
from .validation import check_positive_number


def training_flops(n_params: float, n_tokens: float) -> float:
    """Training compute C ≈ 6·N·D in FLOPs (Kaplan et al. 2020).

    >>> f"{training_flops(175e9, 300e9):.3g}"   # GPT-3; Brown et al. report 3.14e23
    '3.15e+23'
    """
    n_params = check_positive_number(n_params, "n_params")
    n_tokens = check_positive_number(n_tokens, "n_tokens")
    return FLOPS_PER_PARAMETER_TOKEN * n_params * n_tokens


def tokens_per_parameter(n_params: float, n_tokens: float) -> float:
    """Training tokens per parameter, D / N. Chinchilla: 1.4e12 / 70e9 = 20."""
    return check_positive_number(n_tokens, "n_tokens") / check_positive_number(n_params, "n_params")


def near_chinchilla(models: list[FamousModel], factor: float = 2.0) -> list[str]:
    """Names of the models whose D/N lies within ``factor`` of Chinchilla's ~20 tokens per parameter."""
    factor = check_positive_number(factor, "factor")
    if factor < 1:
        raise ValueError(f"factor must be >= 1 (a ratio band around 20), got {factor}")
    low, high = CHINCHILLA_TOKENS_PER_PARAMETER / factor, CHINCHILLA_TOKENS_PER_PARAMETER * factor
    return [m.name for m in models if low <= tokens_per_parameter(m.n_params, m.n_tokens) <= high]
