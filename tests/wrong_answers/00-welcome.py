"""Plausible wrong answers for lesson 00, by exercise id (see test_nbgrader_roundtrip.py)."""

WRONG_ANSWERS = {
    "training-flops": """
def training_flops(n_params, n_tokens):
    return 2 * n_params * n_tokens   # the forward pass only
""",
    "tokens-per-parameter": """
def tokens_per_parameter(n_params, n_tokens):
    return n_params / n_tokens   # upside down
""",
    "near-chinchilla": """
def near_chinchilla(models, factor=2.0):
    return [m.name for m in models]   # no filter
""",
}
