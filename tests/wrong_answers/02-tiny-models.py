"""Plausible wrong answers for lesson 02, by exercise id (see test_nbgrader_roundtrip.py)."""

WRONG_ANSWERS = {
    "mlp-params": """
def mlp_params(layer_sizes):
    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))   # weights only, no biases
""",
    "gpt-params": """
def gpt_non_embedding_params(d_model, n_layer):
    return 12 * n_layer * d_model**2   # Kaplan's approximation, LayerNorms left out
""",
    "flops-per-token": """
def flops_per_token(d_model, n_layer, n_ctx):
    return 6 * gpt_non_embedding_params(d_model, n_layer)   # no attention term
""",
    "nats-to-bits": """
def nats_to_bits(loss_nats):
    return np.asarray(loss_nats, dtype=float) * np.log(2)   # multiplied instead of divided
""",
}
