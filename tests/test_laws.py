"""The published laws reproduce the papers' own check values, and fitting them recovers known truths."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from scaling_course.science import laws
from scaling_course.science.fit import fit_broken_power_law, fit_data_constrained
from scaling_course.science.reference import (
    BNSL_FIGURE_1,
    CHINCHILLA_EQ10,
    CHINCHILLA_EQ10_UNROUNDED,
    EPOCH_REFIT,
    MUENNIGHOFF,
    DataConstrainedLaw,
)
from scaling_course.science.simulate import add_noise

# --- Kaplan et al. 2020 (arXiv:2001.08361) ------------------------------------

def test_kaplan_reference_values():
    assert laws.kaplan_loss_from_parameters(1e9) == pytest.approx(2.3756, abs=5e-5)
    assert laws.kaplan_loss_from_data(1e10) == pytest.approx(2.2624, abs=5e-5)
    assert laws.kaplan_loss_from_compute(1.0) == pytest.approx(2.6581, abs=5e-5)
    assert laws.kaplan_loss_from_parameters_and_data(1e9, 1e10) == pytest.approx(2.4197, abs=5e-5)


def test_kaplan_doubling_the_model_multiplies_loss_by_095():
    ratio = laws.kaplan_loss_from_parameters(2e9) / laws.kaplan_loss_from_parameters(1e9)
    assert ratio == pytest.approx(2 ** -0.076) and round(ratio, 2) == 0.95


def test_kaplan_joint_law_tends_to_the_single_variable_laws():
    # with infinite data L(N, D) → (N_c/N)^α_N, with the Table-2 constants
    assert laws.kaplan_loss_from_parameters_and_data(1e9, 1e30) == pytest.approx(
        laws.kaplan_loss_from_parameters(1e9, alpha_N=0.076, N_c=6.4e13), rel=1e-9)


def test_laws_accept_arrays_and_reject_bad_sizes():
    values = laws.kaplan_loss_from_parameters(np.array([1e8, 1e9]))
    assert values.shape == (2,) and values[0] > values[1]
    for bad in (0.0, -1.0, np.nan, np.inf):
        with pytest.raises(ValueError, match="N must be finite and > 0"):
            laws.chinchilla_loss(bad, 1e10)


# --- Hoffmann et al. 2022 (arXiv:2203.15556) and Besiroglu et al. 2024 (arXiv:2404.10102) ------------------------------------------------

@pytest.mark.parametrize("N, D, expected", [(70e9, 1.4e12, 1.9366), (280e9, 300e9, 1.9933),
                                            (175e9, 300e9, 2.0023), (1e9, 20e9, 2.5800)])
def test_chinchilla_reference_losses(N, D, expected):
    assert laws.chinchilla_loss(N, D) == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize("law, a, N_opt, D_opt, ratio", [
    (CHINCHILLA_EQ10, 0.452, 3.25e10, 3.02e12, 93),
    (CHINCHILLA_EQ10_UNROUNDED, 0.457, 4.07e10, 2.41e12, 59),
    (EPOCH_REFIT, 0.513, 7.3e10, 1.34e12, 18.3),
])
def test_closed_form_allocation_at_chinchillas_budget(law, a, N_opt, D_opt, ratio):
    n, d = laws.compute_optimal_allocation(5.88e23, law)
    assert laws.allocation_exponents(law)[0] == pytest.approx(a, abs=5e-4)
    assert n == pytest.approx(N_opt, rel=6e-3) and d == pytest.approx(D_opt, rel=6e-3)
    assert d / n == pytest.approx(ratio, rel=6e-3)
    assert 6 * n * d == pytest.approx(5.88e23)


def test_rounding_moves_a_from_0457_to_0452():
    assert laws.allocation_exponents(CHINCHILLA_EQ10)[0] == pytest.approx(0.4516, abs=1e-4)
    assert laws.allocation_exponents(CHINCHILLA_EQ10_UNROUNDED)[0] == pytest.approx(0.4565, abs=1e-4)


@pytest.mark.parametrize("C", [1e19, 5.88e23, 1e26])
def test_closed_form_is_the_minimum_along_the_budget(C):
    # minimise L(N, C/(6N)) numerically over log N and compare with eq. 4
    result = minimize_scalar(lambda log_n: laws.chinchilla_loss(np.exp(log_n), C / (6 * np.exp(log_n))),
                             bounds=(np.log(1e3), np.log(C / 6 / 1e3)), method="bounded",
                             options={"xatol": 1e-10})
    n_opt, _ = laws.compute_optimal_allocation(C)
    assert np.exp(result.x) == pytest.approx(n_opt, rel=1e-4)


def test_allocation_exponents_sum_to_one():
    for law in (CHINCHILLA_EQ10, EPOCH_REFIT, MUENNIGHOFF):
        a, b = laws.allocation_exponents(law)
        assert a + b == pytest.approx(1.0)


# --- Muennighoff et al. 2023 (arXiv:2305.16264) ------------------------------------------------------

def test_muennighoff_check_values():
    assert laws.data_constrained_loss(6.34e9, 242e9, 25e9) == pytest.approx(2.2256440889984477, abs=1e-12)
    assert laws.data_constrained_loss(8.67e9, 178e9, 25e9) == pytest.approx(2.2269634075087867, abs=1e-12)


@pytest.mark.parametrize("epochs, worth", [(2, 0.984), (4, 0.931), (8, 0.828), (16, 0.661), (40, 0.379)])
def test_worth_of_repeated_tokens(epochs, worth):
    assert laws.effective_data(epochs * 1e9, 1e9) / (epochs * 1e9) == pytest.approx(worth, abs=6e-4)


def test_effective_data_is_bounded_and_equals_D_for_one_epoch():
    assert laws.effective_data(5e9, 5e9) == pytest.approx(5e9)
    assert laws.effective_data(7e9, 10e9) == pytest.approx(7e9)      # fewer tokens than unique: no repeats
    assert laws.effective_data(1e11, 1e9) < (1 + MUENNIGHOFF.R_D_star) * 1e9
    assert laws.effective_data(1e15, 1e9) == pytest.approx((1 + MUENNIGHOFF.R_D_star) * 1e9, rel=1e-6)


def test_single_epoch_data_constrained_law_is_chinchillas_form():
    # one epoch and a model below the useful size: N' = N and D' = D
    N, D = 1e8, 2e9
    expected = MUENNIGHOFF.E + MUENNIGHOFF.A / N ** MUENNIGHOFF.alpha + MUENNIGHOFF.B / D ** MUENNIGHOFF.beta
    assert laws.data_constrained_loss(N, D, 1e12) == pytest.approx(expected, rel=1e-12)


def test_more_repetition_never_beats_fresh_data():
    fresh = laws.data_constrained_loss(1e9, 100e9, 100e9)
    repeated = laws.data_constrained_loss(1e9, 100e9, np.array([50e9, 25e9, 10e9, 1e9]))
    assert np.all(np.diff(repeated) > 0) and np.all(repeated > fresh)


# --- Caballero et al. 2022 (arXiv:2210.14891) --------------------------------------------------------

def test_broken_power_law_test_vector():
    values = laws.broken_power_law(np.array([1e3, 1e7, 1e15, 1e21]), **BNSL_FIGURE_1)
    np.testing.assert_allclose(values, [3297.8, 987.643, 0.441705, 0.515452], rtol=2e-5)


def test_broken_power_law_without_breaks_is_a_power_law():
    x = np.geomspace(1, 1e6, 7)
    np.testing.assert_allclose(laws.broken_power_law(x, 0.5, 3.0, 0.2), 0.5 + 3.0 * x ** -0.2)


def test_broken_power_law_slope_after_the_break():
    x = np.array([1e12, 1e13])
    y = laws.broken_power_law(x, a=0.0, b=1.0, c0=0.2, c=(0.5,), d=(1e4,), f=(0.3,))
    assert np.diff(np.log(y))[0] / np.log(10) == pytest.approx(-0.7, abs=1e-6)


def test_broken_power_law_rejects_mismatched_breaks():
    with pytest.raises(ValueError, match="c, d and f must have one value per break each"):
        laws.broken_power_law(10.0, 0.0, 1.0, 0.1, c=(0.1, 0.2), d=(1e3,), f=(1.0,))


@pytest.mark.parametrize("seed", range(3))
def test_fit_broken_power_law_recovers_a_bend(seed):
    rng = np.random.default_rng(seed)
    c0, c1, d1 = rng.uniform(0.1, 0.3), rng.uniform(0.3, 0.8), 10 ** rng.uniform(4, 6)
    x = np.geomspace(1e2, 1e8, 30)
    truth = laws.broken_power_law(x, 0.05, 50.0, c0, (c1,), (d1,), (0.5,))
    fit = fit_broken_power_law(x, add_noise(truth, 0.01, seed))
    assert fit.converged
    assert fit.c0 == pytest.approx(c0, abs=0.03)
    assert fit.final_slope == pytest.approx(-(c0 + c1), abs=0.1)
    assert np.log10(fit.d[0]) == pytest.approx(np.log10(d1), abs=0.5)
    assert fit.rmse_log < 0.02


# --- fitting the repetition constants -------------------------------------------------------------

def _repetition_runs(seed, R_D_star, R_N_star, noise=0.005):
    """Muennighoff-style runs: single-epoch runs on plenty of data, plus 4 unique-data budgets repeated
    for up to 64 epochs by models from small to oversized."""
    law = DataConstrainedLaw(E=MUENNIGHOFF.E, A=MUENNIGHOFF.A, B=MUENNIGHOFF.B, alpha=MUENNIGHOFF.alpha,
                             beta=MUENNIGHOFF.beta, R_D_star=R_D_star, R_N_star=R_N_star, source="test")
    N, D, U = [], [], []
    for size in (1e7, 1e8, 1e9):
        for tokens in np.geomspace(1e8, 1e12, 9):
            N.append(size), D.append(tokens), U.append(1e13)
    for unique in (1e8, 4e8, 1.6e9, 6.4e9):
        for epochs in (2, 4, 8, 16, 32, 64):
            for size in (1e7, 1e8, 1e9):
                N.append(size), D.append(unique * epochs), U.append(unique)
    N, D, U = map(np.array, (N, D, U))
    return law, N, D, U, add_noise(laws.data_constrained_loss(N, D, U, law), noise, seed)


@pytest.mark.parametrize("seed", range(3))
def test_fit_data_constrained_recovers_decay_constants(seed):
    rng = np.random.default_rng(seed)
    R_D_star, R_N_star = rng.uniform(5, 40), rng.uniform(2, 15)
    law, N, D, U, loss = _repetition_runs(seed, R_D_star, R_N_star)
    fit = fit_data_constrained(N, D, U, loss, base=law)
    assert fit.converged and fit.fitted_R_N_star
    assert fit.R_D_star == pytest.approx(R_D_star, rel=0.15)
    assert fit.R_N_star == pytest.approx(R_N_star, rel=0.3)


def test_fit_data_constrained_fits_the_base_law_itself():
    law, N, D, U, loss = _repetition_runs(0, 15.0, 5.0, noise=0.002)
    fit = fit_data_constrained(N, D, U, loss)
    assert fit.R_D_star == pytest.approx(15.0, rel=0.25)
    assert np.max(np.abs(np.log(fit.predict(N, D, U) / laws.data_constrained_loss(N, D, U, law)))) < 0.01


def test_fit_data_constrained_needs_repeated_runs():
    with pytest.raises(ValueError, match="no run repeats its data"):
        fit_data_constrained([1e8, 2e8, 4e8], [1e9, 1e9, 1e9], 1e10, [3.0, 2.9, 2.8], base=MUENNIGHOFF)
