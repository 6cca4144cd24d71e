"""Bootstrap intervals cover the truth about as often as they claim, and forecasts carry them."""

import warnings

import numpy as np
import pytest

from scaling_course.science.fit import (
    ConvergenceWarning,
    bootstrap,
    fit_chinchilla,
    fit_power_law,
    forecast,
    forecast_budget,
    score_held_out,
)
from scaling_course.science.fit.extrapolate import Forecast
from scaling_course.science.laws import chinchilla_loss, compute_optimal_allocation
from scaling_course.science.simulate import (
    add_noise,
    random_chinchilla_law,
    simulate_chinchilla_runs,
)

X = np.geomspace(1e3, 1e6, 15)


def test_80_percent_intervals_cover_the_truth_about_80_percent_of_the_time():
    covered = []
    for seed in range(60):
        y = add_noise(3.0 * X ** -0.2, noise=0.02, seed=seed)
        low, high = bootstrap(fit_power_law, X, y, n_resamples=100, seed=seed, irreducible=False).interval("alpha")
        covered.append(low <= 0.2 <= high)
    # binomial(60, 0.8) has sd 3.1 hits; the percentile bootstrap runs a little narrow at n = 15
    assert 0.6 <= np.mean(covered) <= 0.95


def test_interval_std_and_values_agree():
    y = add_noise(3.0 * X ** -0.2, noise=0.02, seed=0)
    boot = bootstrap(fit_power_law, X, y, n_resamples=200, irreducible=False)
    values = boot.values("alpha")
    assert values.shape == (200,) and boot.n_failed == 0 and boot.n_not_converged == 0
    low, high = boot.interval("alpha", level=0.8)
    assert (low, high) == pytest.approx(tuple(np.percentile(values, [10, 90])))
    assert boot.std("alpha") == pytest.approx(np.std(values, ddof=1))
    wider = boot.interval("alpha", level=0.95)
    assert wider[0] <= low and wider[1] >= high
    # any function of a fit works as a quantity
    predictions = boot.values(lambda fit: fit.predict(1e8))
    assert np.all(predictions > 0)


def test_hoffmanns_eighty_percent_subsampling():
    y = add_noise(3.0 * X ** -0.2, noise=0.02, seed=0)
    boot = bootstrap(fit_power_law, X, y, n_resamples=20, fraction=0.8, replace=False, irreducible=False)
    assert all(fit.n_points == 12 for fit in boot.fits)


def test_failed_resamples_are_counted_not_fatal():
    x = np.array([1.0, 1.0, 1.0, 1.0, 10.0])          # most resamples of x are constant
    boot = bootstrap(fit_power_law, x, [2.0, 2.1, 1.9, 2.0, 1.0], n_resamples=30, irreducible=False)
    assert boot.n_failed > 0 and boot.n_failed + len(boot.fits) == 30


def test_bad_bootstrap_settings_are_rejected():
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap(fit_power_law, X, X, n_resamples=0)
    with pytest.raises(ValueError, match="fraction"):
        bootstrap(fit_power_law, X, X, fraction=1.5, replace=False)
    boot = bootstrap(fit_power_law, X, X ** -0.5, n_resamples=3, irreducible=False)
    with pytest.raises(ValueError, match="level"):
        boot.interval("alpha", level=1.0)


def test_non_converged_refits_are_reported_once():
    y = add_noise(2.0 + 20.0 * X ** -0.4, noise=0.01, seed=0)
    with pytest.warns(ConvergenceWarning, match="bootstrap: 5 of 5 refits did not converge"):
        boot = bootstrap(fit_power_law, X, y, n_resamples=5, starts=[[1.0, 0.0, 0.1]], method="scipy",
                         scipy_options={"maxiter": 1})
    assert boot.n_not_converged == 5


def test_budget_forecast_with_intervals_covers_the_true_optimum():
    law = random_chinchilla_law(4)
    runs = simulate_chinchilla_runs(law, noise=0.01, seed=4, models_per_budget=9)
    fit = fit_chinchilla(runs.N, runs.D, runs.loss, starts=[[6.0, 7.0, 0.5, 0.3, 0.3]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        boot = bootstrap(fit_chinchilla, runs.N, runs.D, runs.loss, n_resamples=40, starts=[fit.theta])
    big = 10 * runs.C.max()                             # extrapolate one decade past the largest budget
    result = forecast_budget(fit, big, bootstrap=boot, level=0.95)
    n_true, d_true = compute_optimal_allocation(big, law)
    assert result.N_opt.low < n_true < result.N_opt.high
    assert result.loss.low < chinchilla_loss(n_true, d_true, law) < result.loss.high
    assert result.N_opt.value * result.D_opt.value * 6 == pytest.approx(big)
    assert result.tokens_per_parameter.value == pytest.approx(result.D_opt.value / result.N_opt.value)
    assert "95% interval" in str(result)


def test_forecast_without_bootstrap_has_no_interval():
    fit = fit_power_law([1e3, 1e4, 1e5], [4.0, 2.0, 1.0], irreducible=False)
    point = forecast(fit, 1e7)
    assert point == Forecast(value=pytest.approx(0.25), low=None, high=None, level=0.8)
    with pytest.raises(TypeError, match="fit must have optimal_allocation"):
        forecast_budget(fit, 1e20)
    with pytest.raises(ValueError, match=r"C \(the budget in FLOPs\) must be a finite number > 0"):
        forecast_budget(fit, -1.0)


def test_a_held_out_prediction_is_scored_against_its_gain_and_against_no_change():
    # lesson 03's old case: the law predicted a 0.088-nat gain where the run gained 0.048
    score = score_held_out(2.000 - 0.088, actual=2.000 - 0.048, baseline=2.000)
    assert score.predicted_gain == pytest.approx(0.088) and score.actual_gain == pytest.approx(0.048)
    assert score.gain_error == pytest.approx(0.088 / 0.048 - 1)
    assert score.error == pytest.approx(-0.040) and score.no_change_error == pytest.approx(0.048)
    assert score.beats_no_change                          # 0.040 off against 0.048: barely
    worse = score_held_out(1.85, actual=1.952, baseline=2.0)
    assert not worse.beats_no_change and "NOT closer" in str(worse)
    assert score.inside_interval is None
    with_interval = score_held_out(Forecast(1.93, 1.90, 1.96, 0.8), actual=1.952, baseline=2.0)
    assert with_interval.inside_interval and "inside the 80% interval" in str(with_interval)
    assert not score_held_out(Forecast(1.93, 1.90, 1.94, 0.8), 1.952, 2.0).inside_interval
    with pytest.raises(ValueError, match="actual"):
        score_held_out(1.9, actual=-1.0, baseline=2.0)


def test_a_held_out_run_that_gained_nothing_is_not_given_a_percentage_of_its_gain():
    score = score_held_out(1.63, actual=1.761, baseline=1.760)
    assert score.actual_gain < 0 and "no gain happened" in str(score) and "% of the gain" not in str(score)
    assert not score.beats_no_change
