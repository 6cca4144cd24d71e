"""Self-check cases for lesson 08 (the capstone): name -> (correct answer, plausible wrong answer)."""

import numpy as np

from scaling_course.lessons.capstone import expert_plan, expert_predict


def _bottom(N, loss, log=True):
    x = np.log(N) if log else np.asarray(N, dtype=float)
    p2, p1, p0 = np.polyfit(x, loss, 2)
    vertex = -p1 / (2 * p2)
    return float(np.exp(vertex) if log else vertex), float(np.polyval([p2, p1, p0], vertex))


def _five_runs(lab):
    for width, steps in ((16, 6617), (24, 3276), (32, 1954), (48, 924), (64, 537)):
        lab.train(width=width, steps=steps)


CASES = {
    "capstone.isoflop_bottom": (_bottom, lambda N, loss: _bottom(N, loss, log=False)),
    "capstone.strategy": ((expert_plan, expert_predict), (_five_runs, lambda history: (1.5e5, 1.3))),
    "capstone.strategy_question": ("b", "a"),
}
