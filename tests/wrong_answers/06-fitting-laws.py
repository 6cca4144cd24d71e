"""Plausible wrong answers for lesson 06, three per exercise and of different kinds, by exercise id.

Each must cost its exercise the points and no other exercise any: the first of each through nbgrader's
autograde (test_nbgrader_roundtrip.py), all of them in one kernel (test_wrong_answers.py).
"""

WRONG_ANSWERS = {
    "chinchilla-log-loss": [
        """
def chinchilla_log_loss(theta, N, D):
    a, b, e, alpha, beta = theta
    with np.errstate(over="ignore"):
        return np.log(np.exp(a) / N**alpha + np.exp(b) / D**beta + np.exp(e))   # overflows for large terms
""",
        """
def chinchilla_log_loss(theta, N, D):
    a, b, e, alpha, beta = theta
    return np.logaddexp(a - alpha * np.log(N), b - beta * np.log(D))   # forgot the irreducible term e
""",
        """
def chinchilla_log_loss(theta, N, D):
    a, b, e, alpha, beta = theta
    return a + b + e - alpha * np.log(N) - beta * np.log(D)   # a sum of logs, not the log of a sum
""",
    ],
    "huber-sum": [
        """
def huber_sum(residuals, delta=1e-3):
    r = np.abs(np.asarray(residuals, dtype=float))
    return float(np.mean(np.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta))))   # averaged
""",
        """
def huber_sum(residuals, delta=1e-3):
    r = np.asarray(residuals, dtype=float)
    return float(np.sum(0.5 * r**2))   # plain least squares: large residuals squared too
""",
        """
def huber_sum(residuals, delta=1e-3):
    r = np.abs(np.asarray(residuals, dtype=float))
    return float(np.sum(np.where(r <= delta, r**2, delta * (r - delta))))   # without the halves
""",
    ],
    "fit-by-hand": [
        """
def fit_by_hand(objective, starts):
    result = scipy.optimize.minimize(objective, starts[0], method="L-BFGS-B", options=TIGHT)   # first start only
    return result.x, result.fun
""",
        """
def fit_by_hand(objective, starts):
    best = None
    for start in starts:
        result = scipy.optimize.minimize(objective, start, method="L-BFGS-B")   # default tolerances
        if best is None or result.fun < best.fun:
            best = result
    return best.x, best.fun
""",
        """
def fit_by_hand(objective, starts):
    values = [objective(start) for start in starts]   # evaluates the starts, minimises nothing
    best = int(np.argmin(values))
    return np.asarray(starts[best], dtype=float), float(values[best])
""",
    ],
    "optimal-exponents": [
        """
def optimal_exponents(alpha, beta):
    return alpha / (alpha + beta), beta / (alpha + beta)   # a and b swapped
""",
        """
def optimal_exponents(alpha, beta):
    return beta / alpha, alpha / beta   # ratios, not shares
""",
        """
def optimal_exponents(alpha, beta):
    return 0.5, 0.5   # "Chinchilla says half and half"
""",
    ],
    "prediction-interval": [
        """
def prediction_interval(predictions, level=0.8):
    m, s = np.mean(predictions), np.std(predictions)
    return float(m - 1.2816 * s), float(m + 1.2816 * s)   # assumes a normal spread
""",
        """
def prediction_interval(predictions, level=0.8):
    low, high = np.percentile(predictions, [0, 100 * level])   # the whole tail on one side
    return float(low), float(high)
""",
        """
def prediction_interval(predictions, level=0.8):
    low, high = np.percentile(predictions, [10, 90])   # always 80%, whatever the level
    return float(low), float(high)
""",
    ],
    "prediction": [
        'predicted_loss = float(loss.min())   # "no change": the best run of the box',
        'predicted_loss = float(law.predict(N.max(), D.max()))   # the corner of the box, not the held-out run',
        'predicted_loss = float(law.predict(held_out.n_params_non_embedding, D_held))   # Kaplan\'s N, not the law\'s',
    ],
    "extrapolation-question": [
        'extrapolation_answer = "a"',
        'extrapolation_answer = "b"',
        'extrapolation_answer = "d"',
    ],
}
