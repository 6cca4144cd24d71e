"""Plausible wrong answers for lesson 03, three per exercise and of different kinds, by exercise id.

Each must cost its exercise the points and no other exercise any: the first of each through nbgrader's
autograde (test_nbgrader_roundtrip.py), all of them in one kernel (test_wrong_answers.py).
"""

WRONG_ANSWERS = {
    "fit-fixed-floor": [
        """
def fit_fixed_floor(n, loss, E=0.0):
    n, loss = np.asarray(n, dtype=float), np.asarray(loss, dtype=float)
    slope, intercept = np.polyfit(np.log(n), np.log(loss), 1)   # E never subtracted
    A, alpha = math.exp(intercept), -slope
    return A, alpha
""",
        """
def fit_fixed_floor(n, loss, E=0.0):
    n, loss = np.asarray(n, dtype=float), np.asarray(loss, dtype=float)
    slope, intercept = np.polyfit(np.log(n), np.log(loss - E), 1)
    return math.exp(intercept), slope   # alpha with its sign flipped
""",
        """
def fit_fixed_floor(n, loss, E=0.0):
    n, loss = np.asarray(n, dtype=float), np.asarray(loss, dtype=float)
    slope, intercept = np.polyfit(np.log10(n), np.log10(loss - E), 1)
    return math.exp(intercept), -slope   # A from a base-10 intercept
""",
    ],
    "loss-drop-per-10x": [
        """
def loss_drop_per_10x(E, A, alpha, n):
    return (E + A * n ** -alpha) * (1 - 10 ** -alpha)   # shrinks E too
""",
        """
def loss_drop_per_10x(E, A, alpha, n):
    return (E + A * (10 * n) ** -alpha) - (E + A * n ** -alpha)   # after minus before
""",
        """
def loss_drop_per_10x(E, A, alpha, n):
    return (E + A * n ** -alpha) - (E + A * (2 * n) ** -alpha)   # a doubling, not a tenfold
""",
    ],
    "predict-largest": [
        """
def predict_largest(n, loss):
    n, loss = np.asarray(n, dtype=float), np.asarray(loss, dtype=float)
    fit = fit_power_law(n, loss, warn=False)   # the fit sees the run it should predict
    return fit.predict(n.max())
""",
        """
def predict_largest(n, loss):
    n, loss = np.asarray(n, dtype=float), np.asarray(loss, dtype=float)
    order = np.argsort(n)
    fit = fit_power_law(n[order][:-2], loss[order][:-2], warn=False)   # leaves out two sizes
    return fit.predict(n.max())
""",
        """
def predict_largest(n, loss):
    n, loss = np.asarray(n, dtype=float), np.asarray(loss, dtype=float)
    smaller = n < n.max()
    fit = fit_power_law(n[smaller], loss[smaller], irreducible=False, warn=False)   # no E
    return fit.predict(n.max())
""",
    ],
}
