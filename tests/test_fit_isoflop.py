"""IsoFLOP analysis: parabola minima, honest fallbacks, and the allocation exponents of known laws."""

import numpy as np
import pytest

from scaling_course.science.fit import fit_isoflop, isoflop_minimum
from scaling_course.science.laws import allocation_exponents
from scaling_course.science.reference import EPOCH_REFIT
from scaling_course.science.simulate import random_chinchilla_law, simulate_chinchilla_runs

SIZES = np.geomspace(1e7, 1e9, 9)


def test_parabola_vertex_is_found_between_the_sizes_tried():
    log_best = np.log(3.3e7)
    loss = 2.0 + 0.05 * (np.log(SIZES) - log_best) ** 2
    minimum = isoflop_minimum(SIZES, loss, C=1e19)
    assert minimum.method == "parabola" and minimum.reason == ""
    assert minimum.N_opt == pytest.approx(3.3e7, rel=1e-9) and minimum.loss == pytest.approx(2.0)
    assert minimum.D_opt == pytest.approx(1e19 / (6 * 3.3e7)) and minimum.n_runs == 9
    assert minimum.parabola == pytest.approx((0.05, -0.1 * log_best, 2.0 + 0.05 * log_best ** 2))
    assert minimum.parabola_at(SIZES) == pytest.approx(loss)


@pytest.mark.parametrize("sizes, loss, reason", [
    (SIZES[:2], [2.1, 2.0], "at least 3 model sizes"),
    (SIZES, 2.0 - 0.01 * (np.log(SIZES) - np.log(1e8)) ** 2, "curves downwards"),
    (SIZES, 2.0 + 0.01 * (np.log(SIZES) - np.log(5e9)) ** 2, "outside the sizes tried"),
])
def test_raw_minimum_fallback_says_why(sizes, loss, reason):
    minimum = isoflop_minimum(sizes, loss, C=1e19)
    assert minimum.method == "raw minimum" and reason in minimum.reason
    assert minimum.N_opt == sizes[int(np.argmin(loss))]
    assert minimum.loss == pytest.approx(np.min(loss))
    assert minimum.parabola is None
    with pytest.raises(ValueError, match="no parabola"):
        minimum.parabola_at(sizes)


def test_noise_free_profiles_give_the_laws_exponents():
    runs = simulate_chinchilla_runs(noise=0.0)
    fit = fit_isoflop(runs.N, runs.D, runs.loss)
    a, b = allocation_exponents(EPOCH_REFIT)
    assert len(fit.minima) == 9 and all(m.method == "parabola" for m in fit.minima)
    assert fit.a == pytest.approx(a, abs=0.01) and fit.b == pytest.approx(b, abs=0.01)
    assert fit.a + fit.b == pytest.approx(1.0)
    np.testing.assert_allclose(6 * fit.N_opt * fit.D_opt, fit.budgets)
    assert np.all(np.diff(fit.budgets) > 0)


@pytest.mark.parametrize("seed", range(10))
def test_recovers_the_allocation_exponent_of_random_laws(seed):
    # 9 budgets × 27 sizes, 1% noise: the parabolas average the noise away
    law = random_chinchilla_law(seed)
    runs = simulate_chinchilla_runs(law, noise=0.01, seed=seed)
    fit = fit_isoflop(runs.N, runs.D, runs.loss)
    assert fit.a == pytest.approx(allocation_exponents(law)[0], abs=0.05)
    n_opt, _ = fit.optimal_allocation(1e22)
    assert n_opt == pytest.approx(fit.N_fit.coefficient * 1e22 ** fit.a)


def test_runs_group_by_budget_despite_rounding():
    runs = simulate_chinchilla_runs(noise=0.0, models_per_budget=5)
    jitter = 1 + 1e-6 * np.random.default_rng(0).standard_normal(len(runs.D))
    fit = fit_isoflop(runs.N, runs.D * jitter, runs.loss)
    assert len(fit.minima) == 9 and all(m.n_runs == 5 for m in fit.minima)
    assert "9 budgets" in str(fit)
