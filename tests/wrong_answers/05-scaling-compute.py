"""Plausible wrong answers for lesson 05, three per exercise and of different kinds, by exercise id.

Each must cost its exercise the points and no other exercise any: the first of each through nbgrader's
autograde (test_nbgrader_roundtrip.py), all of them in one kernel (test_wrong_answers.py).
"""

WRONG_ANSWERS = {
    "isoflop-optimum": [
        """
def isoflop_optimum(N, loss):
    loss = np.asarray(loss, dtype=float)
    best = int(np.argmin(loss))            # the best size tried, not the parabola's vertex
    return float(np.asarray(N)[best]), float(loss[best])
""",
        """
def isoflop_optimum(N, loss):
    N, loss = np.asarray(N, dtype=float), np.asarray(loss, dtype=float)
    p2, p1, p0 = np.polyfit(N, loss, 2)   # parabola in N, not log N
    vertex = -p1 / (2 * p2)
    return float(vertex), float(p2 * vertex**2 + p1 * vertex + p0)
""",
        """
def isoflop_optimum(N, loss):
    log_N = np.log(np.asarray(N, dtype=float))
    p2, p1, p0 = np.polyfit(log_N, np.asarray(loss, dtype=float), 2)
    vertex = -p1 / (2 * p2)
    return float(vertex), float(p2 * vertex**2 + p1 * vertex + p0)   # log N_opt, not N_opt
""",
    ],
    "fit-exponent": [
        """
def fit_exponent(C, N_opt):
    slope, intercept = np.polyfit(np.log(N_opt), np.log(C), 1)   # axes swapped
    return float(slope), float(np.exp(intercept))
""",
        """
def fit_exponent(C, N_opt):
    slope, intercept = np.polyfit(np.log10(C), np.log10(N_opt), 1)
    return float(slope), float(np.exp(intercept))   # k from a base-10 intercept
""",
        """
def fit_exponent(C, N_opt):
    slope, intercept = np.polyfit(np.asarray(C, dtype=float), np.asarray(N_opt, dtype=float), 1)
    return float(slope), float(intercept)   # a straight line in C, not log C
""",
    ],
    "compute-optimal": [
        """
def compute_optimal(C, a, k):
    n_opt = k * C**a
    d_opt = C / n_opt                       # forgot the 6 FLOPs per parameter per token
    return n_opt, d_opt, d_opt / n_opt
""",
        """
def compute_optimal(C, a, k):
    n_opt = k * C**(1 - a)   # the data exponent
    d_opt = C / (6 * n_opt)
    return n_opt, d_opt, d_opt / n_opt
""",
        """
def compute_optimal(C, a, k):
    n_opt = k * C**a
    d_opt = C / (6 * n_opt)
    return n_opt, d_opt, n_opt / d_opt   # parameters per token
""",
    ],
    "embedding-params": [
        """
def embedding_params(width, vocab_size, n_ctx):
    return vocab_size * width               # forgot the position embeddings
""",
        """
def embedding_params(width, vocab_size, n_ctx):
    return (vocab_size + n_ctx + 1) * width   # an extra row
""",
        """
def embedding_params(width, vocab_size, n_ctx):
    return (2 * vocab_size + n_ctx) * width   # an output head of its own (ours shares the embedding)
""",
    ],
    "compute-question": [
        'compute_answer = "a"',
        'compute_answer = "b"',
        'compute_answer = "d"',
    ],
}
