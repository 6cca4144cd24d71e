"""Self-check cases for lesson 06 (fitting scaling laws): name -> (correct answer, plausible wrong answer)."""

import numpy as np
import scipy.optimize

TIGHT = {"ftol": 1e-15, "gtol": 1e-15}


def _log_loss(theta, N, D):
    a, b, e, alpha, beta = theta
    return np.logaddexp(np.logaddexp(a - alpha * np.log(N), b - beta * np.log(D)), e)


def _naive_log_loss(theta, N, D):          # overflows for large terms
    a, b, e, alpha, beta = theta
    with np.errstate(over="ignore"):
        return np.log(np.exp(a) / N ** alpha + np.exp(b) / D ** beta + np.exp(e))


def _huber_sum(residuals, delta=1e-3):
    r = np.abs(np.asarray(residuals, dtype=float))
    return float(np.sum(np.where(r <= delta, 0.5 * r ** 2, delta * (r - 0.5 * delta))))


def _fit(objective, starts, options=TIGHT):
    best = None
    for start in starts:
        result = scipy.optimize.minimize(objective, start, method="L-BFGS-B", options=options)
        if best is None or result.fun < best.fun:
            best = result
    return best.x, best.fun


def _interval(predictions, level=0.8):
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(predictions, [tail, 100 - tail])
    return float(low), float(high)


CASES = {
    "fitting_laws.chinchilla_log_loss": (_log_loss, _naive_log_loss),
    "fitting_laws.huber_sum": (_huber_sum, lambda residuals, delta=1e-3: _huber_sum(residuals, delta) / len(residuals)),
    "fitting_laws.fit_by_hand": (_fit, lambda objective, starts: _fit(objective, starts, options={})),
    "fitting_laws.optimal_exponents": (lambda alpha, beta: (beta / (alpha + beta), alpha / (alpha + beta)),
                                       lambda alpha, beta: (alpha / (alpha + beta), beta / (alpha + beta))),
    "fitting_laws.prediction_interval": (_interval, lambda predictions, level=0.8: (
        float(np.mean(predictions) - np.std(predictions)), float(np.mean(predictions) + np.std(predictions)))),
    "fitting_laws.extrapolation_question": ("c", "b"),
}
