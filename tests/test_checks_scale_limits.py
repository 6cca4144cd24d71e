"""Self-check cases for lesson 07 (is scale all you need?): name -> (correct answer, plausible wrong answer)."""

import math

import numpy as np


def _compute_to_reach(target_loss, law, six=6):
    if target_loss <= law.E:
        return math.inf
    gamma = law.alpha * law.beta / (law.alpha + law.beta)
    G = (law.alpha * law.A / (law.beta * law.B)) ** (1 / (law.alpha + law.beta))
    K = law.A * G ** -law.alpha + law.B * G ** law.beta
    return six * (K / (target_loss - law.E)) ** (1 / gamma)


def _exact_match(correct, k, step=1):
    correct = np.asarray(correct, dtype=bool)
    return float(np.mean([correct[:, j:j + k].all(axis=1) for j in range(0, correct.shape[1] - k + 1, step)]))


def _gain(position_loss, early=(4, 8), late=(48, 64)):
    position_loss = np.asarray(position_loss, dtype=float)
    return float(position_loss[early[0] - 1:early[1]].mean() - position_loss[late[0] - 1:late[1]].mean())


def _zipf(subtask_loss, alpha, extra=1):
    p = np.arange(1, len(subtask_loss) + 1, dtype=float) ** -(alpha + extra)
    return float(p / p.sum() @ np.asarray(subtask_loss, dtype=float))


CASES = {
    "scale_limits.zipf_weighted_loss": (_zipf, lambda subtask_loss, alpha: float(np.mean(subtask_loss))),
    "scale_limits.compute_to_reach": (_compute_to_reach, lambda target, law: _compute_to_reach(target, law, six=1)),
    "scale_limits.training_energy": (lambda f, p, u, w, pue=1.0: f / (p * u) * w * pue / 3.6e6,
                                     lambda f, p, u, w, pue=1.0: f / (p * u) * w * pue / 3.6e3),
    "scale_limits.exact_match": (_exact_match, lambda correct, k: _exact_match(correct, k, step=k)),
    "scale_limits.in_context_gain": (_gain, lambda position_loss, early=(4, 8), late=(48, 64):
                                     -_gain(position_loss, early, late)),
    "scale_limits.years_to_exhaust": (lambda s, d, g: math.log10(s / d) / g, lambda s, d, g: math.log(s / d) / g),
    "scale_limits.emergence_question": ("a", "b"),
}
