"""Plausible wrong answers for lesson 02, three per exercise and of different kinds, by exercise id.

Each must cost its exercise the points and no other exercise any: the first of each through nbgrader's
autograde (test_nbgrader_roundtrip.py), all of them in one kernel (test_wrong_answers.py).
"""

WRONG_ANSWERS = {
    "mlp-params": [
        """
def mlp_params(layer_sizes):
    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))   # weights only, no biases
""",
        """
def mlp_params(layer_sizes):
    return sum((a + 1) * (b + 1) for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))   # a bias on both ends
""",
        """
def mlp_params(layer_sizes):
    return sum(a * b + a for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))   # biases on the inputs
""",
    ],
    "gpt-params": [
        """
def gpt_non_embedding_params(d_model, n_layer):
    return 12 * n_layer * d_model**2   # Kaplan's approximation, LayerNorms left out
""",
        """
def gpt_non_embedding_params(d_model, n_layer):
    d = d_model
    return (n_layer + 1) * (12 * d * d + 4 * d) + 2 * d   # one block too many
""",
        """
def gpt_non_embedding_params(d_model, n_layer):
    d = d_model
    return n_layer * (3 * d * d + d * d + 2 * d * d + 4 * d) + 2 * d   # MLP of width 2d, not 4d
""",
    ],
    "flops-per-token": [
        """
def flops_per_token(d_model, n_layer, n_ctx):
    return 6 * gpt_non_embedding_params(d_model, n_layer)   # no attention term
""",
        """
def flops_per_token(d_model, n_layer, n_ctx):
    return 2 * gpt_non_embedding_params(d_model, n_layer) + 2 * n_layer * n_ctx * d_model   # forward pass only
""",
        """
def flops_per_token(d_model, n_layer, n_ctx):
    return 6 * gpt_non_embedding_params(d_model, n_layer) + 6 * n_layer * n_ctx**2 * d_model   # n_ctx squared
""",
    ],
    "nats-to-bits": [
        """
def nats_to_bits(loss_nats):
    return np.asarray(loss_nats, dtype=float) * np.log(2)   # multiplied instead of divided
""",
        """
def nats_to_bits(loss_nats):
    return np.asarray(loss_nats, dtype=float) / np.log(10)   # digits, not bits
""",
        """
def nats_to_bits(loss_nats):
    return np.round(np.asarray(loss_nats, dtype=float) / np.log(2), 1)   # rounded
""",
    ],
}
