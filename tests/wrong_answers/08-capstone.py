"""Plausible wrong answers for lesson 08, three or more per exercise and of different kinds, by exercise id.

Each must cost its exercise the points and no other exercise any: the first of each through nbgrader's
autograde (test_nbgrader_roundtrip.py), all of them in one kernel (test_wrong_answers.py).
"""

WRONG_ANSWERS = {
    "strategy-question": [
        'strategy_answer = "a"',
        'strategy_answer = "c"',
        'strategy_answer = "d"',
    ],
    "isoflop-bottom": [
        """
def isoflop_bottom(N, loss):
    p2, p1, p0 = np.polyfit(N, loss, 2)   # a parabola in N, not in log N
    vertex = -p1 / (2 * p2)
    return float(vertex), float(np.polyval([p2, p1, p0], vertex))
""",
        """
def isoflop_bottom(N, loss):
    best = int(np.argmin(loss))   # the best run, not the bottom between the runs
    return float(N[best]), float(loss[best])
""",
        """
def isoflop_bottom(N, loss):
    p2, p1, p0 = np.polyfit(np.log(N), loss, 2)
    vertex = -p1 / (2 * p2)
    return float(vertex), float(np.polyval([p2, p1, p0], vertex))   # log N at the bottom, not N
""",
    ],
    "strategy": [
        """
def predict(history):
    best = history["loss"].idxmin()   # "no change": the best run bought stands in for the target
    return float(history["N"][best]), float(history["loss"][best])
""",
        """
def predict(history):
    law = fit_chinchilla(history["N"], history["D"], history["loss"], starts=chinchilla_start_grid(coarse=True),
                         warn=False)
    C = history["flops"].max()   # the largest run's budget, not the target's
    N_opt, _ = law.optimal_allocation(C)
    return float(N_opt), float(law.optimal_loss(C))
""",
        """
def plan(lab):
    for width, steps in ((16, 6617), (24, 3276), (32, 1954), (48, 924)):   # four runs: too few for five constants
        lab.train(width=width, steps=steps)
""",
        """
def predict(history):
    return 1.5e5, 1.3   # a guess that ignores the runs bought
""",
        """
def predict(history):
    law = fit_chinchilla(history["N"], history["D"], history["loss"], starts=chinchilla_start_grid(coarse=True),
                         warn=False)
    _, D_opt = law.optimal_allocation(TARGET)   # the tokens, not the parameters
    return float(D_opt), float(law.optimal_loss(TARGET))
""",
    ],
}
