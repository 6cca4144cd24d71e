"""Tiny models, one file each with its dataclass config, exact parameter counts and two FLOP counts (Kaplan's
nominal one, and the matmul FLOPs a step does): ``mlp`` (many copies trained at once) and ``gpt`` (nanoGPT-style)."""
