"""Tiny models: an MLP (many same-shaped copies at once) and a GPT-style transformer.

Each file holds one model, its dataclass config and its exact parameter and FLOP counts.
"""

from .gpt import GPT, GPTConfig
from .mlp import MLP, MLPConfig

__all__ = ["GPT", "GPTConfig", "MLP", "MLPConfig"]
