"""Self-check cases for lesson 05 (scaling compute): name -> (correct answer, plausible wrong answer)."""

import numpy as np


def _vertex(N, loss):
    coef = np.polyfit(np.log(N), loss, 2)
    vertex = -coef[1] / (2 * coef[0])
    return float(np.exp(vertex)), float(np.polyval(coef, vertex))


def _vertex_in_N(N, loss):            # parabola in N rather than log N
    coef = np.polyfit(N, loss, 2)
    vertex = -coef[1] / (2 * coef[0])
    return float(vertex), float(np.polyval(coef, vertex))


def _exponent(C, N):
    slope, intercept = np.polyfit(np.log(C), np.log(N), 1)
    return float(slope), float(np.exp(intercept))


CASES = {
    "scaling_compute.compute_question": ("c", "a"),
    "scaling_compute.embedding_params": (
        lambda width, vocab_size, n_ctx: (vocab_size + n_ctx) * width,
        lambda width, vocab_size, n_ctx: vocab_size * width,                       # forgot the positions
    ),
    "scaling_compute.isoflop_optimum": (_vertex, _vertex_in_N),
    "scaling_compute.fit_exponent": (_exponent, lambda C, N: _exponent(N, C)),    # axes swapped
    "scaling_compute.compute_optimal": (
        lambda C, a, k: (k * C ** a, C / (6 * k * C ** a), C / (6 * k * C ** a) / (k * C ** a)),
        lambda C, a, k: (k * C ** a, C / (k * C ** a), C / (k * C ** a) / (k * C ** a)),   # forgot the 6
    ),
}
