"""Plausible wrong answers for lesson 03, by exercise id (see test_nbgrader_roundtrip.py)."""

WRONG_ANSWERS = {
    "fit-fixed-floor": """
def fit_fixed_floor(n, loss, E=0.0):
    n, loss = np.asarray(n, dtype=float), np.asarray(loss, dtype=float)
    slope, intercept = np.polyfit(np.log(n), np.log(loss), 1)   # E never subtracted
    A, alpha = math.exp(intercept), -slope
    return A, alpha
""",
    "loss-drop-per-10x": """
def loss_drop_per_10x(E, A, alpha, n):
    return (E + A * n ** -alpha) * (1 - 10 ** -alpha)   # shrinks E too
""",
    "predict-largest": """
def predict_largest(n, loss):
    n, loss = np.asarray(n, dtype=float), np.asarray(loss, dtype=float)
    fit = fit_power_law(n, loss, warn=False)   # the fit sees the run it should predict
    return fit.predict(n.max())
""",
}
