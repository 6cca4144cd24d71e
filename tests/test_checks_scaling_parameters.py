"""Self-check cases for lesson 03 (scaling parameters): name -> (correct answer, plausible wrong answer)."""

import math

import numpy as np

from scaling_course.science.fit import fit_power_law


def _fit_fixed_floor(n, loss, E=0.0):
    slope, intercept = np.polyfit(np.log(n), np.log(np.asarray(loss) - E), 1)
    return math.exp(intercept), -slope


def _fit_ignoring_floor(n, loss, E=0.0):
    slope, intercept = np.polyfit(np.log(n), np.log(loss), 1)     # forgot to subtract E
    return math.exp(intercept), -slope


def _drop(E, A, alpha, n):
    return A * n ** -alpha - A * (10 * n) ** -alpha


def _loss_after(E, A, alpha, n):
    return E + A * (10 * n) ** -alpha


def _predict_largest(n, loss):
    smaller = n < np.max(n)
    return fit_power_law(n[smaller], loss[smaller], warn=False).predict(np.max(n))


def _predict_with_the_answer_seen(n, loss):
    return fit_power_law(n, loss, warn=False).predict(np.max(n))


CASES = {
    "scaling_parameters.fit_fixed_floor": (_fit_fixed_floor, _fit_ignoring_floor),
    "scaling_parameters.loss_drop_per_10x": (_drop, _loss_after),
    "scaling_parameters.predict_largest": (_predict_largest, _predict_with_the_answer_seen),
}
