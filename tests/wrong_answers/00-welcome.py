"""Plausible wrong answers for lesson 00, three per exercise and of different kinds, by exercise id.

Each must cost its exercise the points and no other exercise any: the first of each through nbgrader's
autograde (test_nbgrader_roundtrip.py), all of them in one kernel (test_wrong_answers.py).
"""

WRONG_ANSWERS = {
    "training-flops": [
        """
def training_flops(n_params, n_tokens):
    return 2 * n_params * n_tokens   # the forward pass only
""",
        """
def training_flops(n_params, n_tokens):
    return 6 * n_params * n_tokens / 1e15   # in PFLOPs, not FLOPs
""",
        """
def training_flops(n_params, n_tokens):
    return 6 * n_params * (n_tokens + 1)   # one token too many
""",
    ],
    "tokens-per-parameter": [
        """
def tokens_per_parameter(n_params, n_tokens):
    return n_params / n_tokens   # upside down
""",
        """
def tokens_per_parameter(n_params, n_tokens):
    return n_tokens // n_params   # whole tokens only
""",
        """
def tokens_per_parameter(n_params, n_tokens):
    return 6 * n_params * n_tokens / n_params   # FLOPs per parameter
""",
    ],
    "near-chinchilla": [
        """
def near_chinchilla(models, factor=2.0):
    return [m.name for m in models]   # no filter
""",
        """
def near_chinchilla(models, factor=2.0):
    return [m.name for m in models if 20 / factor < m.n_tokens / m.n_params < 20 * factor]   # ends left out
""",
        """
def near_chinchilla(models, factor=2.0):
    return [m.name for m in models if 20 / factor <= m.n_params / m.n_tokens <= 20 * factor]   # N/D
""",
    ],
}
