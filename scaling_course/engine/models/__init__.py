"""Tiny models, one file each with its dataclass config and exact parameter and FLOP counts:
``mlp`` (many same-shaped copies trained at once) and ``gpt`` (a nanoGPT-style transformer)."""
