"""Plausible wrong answers for lesson 05, by exercise id (see test_nbgrader_roundtrip.py)."""

WRONG_ANSWERS = {
    "isoflop-optimum": """
def isoflop_optimum(N, loss):
    loss = np.asarray(loss, dtype=float)
    best = int(np.argmin(loss))            # the best size tried, not the parabola's vertex
    return float(np.asarray(N)[best]), float(loss[best])
""",
    "fit-exponent": """
def fit_exponent(C, N_opt):
    slope, intercept = np.polyfit(np.log(N_opt), np.log(C), 1)   # axes swapped
    return float(slope), float(np.exp(intercept))
""",
    "compute-optimal": """
def compute_optimal(C, a, k):
    n_opt = k * C**a
    d_opt = C / n_opt                       # forgot the 6 FLOPs per parameter per token
    return n_opt, d_opt, d_opt / n_opt
""",
    "embedding-params": """
def embedding_params(width, vocab_size, n_ctx):
    return vocab_size * width               # forgot the position embeddings
""",
    "compute-question": 'compute_answer = "c"',
}
