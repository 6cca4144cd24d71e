"""The simulator: known truth, realistic noise, and a FLOP budget that refuses overspending."""

import numpy as np
import pytest

from scaling_course.science.laws import allocation_exponents, chinchilla_loss, compute_optimal_allocation
from scaling_course.science.reference import EPOCH_REFIT
from scaling_course.science.simulate import (
    BudgetExceeded,
    FlopBudget,
    SimulatedLab,
    add_noise,
    isoflop_design,
    random_chinchilla_law,
    simulate_chinchilla_runs,
    simulate_losses,
)


def test_noise_is_multiplicative_with_the_stated_spread():
    true_loss = np.full(20_000, 2.5)
    observed = add_noise(true_loss, noise=0.02, seed=0)
    log_ratio = np.log(observed / true_loss)
    assert np.std(log_ratio) == pytest.approx(0.02, rel=0.03)
    assert abs(np.mean(log_ratio)) < 1e-3
    assert np.all(observed > 0)


def test_noise_is_reproducible_and_zero_noise_is_the_truth():
    a = simulate_losses([1e8, 1e9], [2e9, 2e10], seed=5)
    b = simulate_losses([1e8, 1e9], [2e9, 2e10], seed=5)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(simulate_losses([1e8], [2e9], noise=0.0), chinchilla_loss(1e8, 2e9, EPOCH_REFIT))


def test_outliers_only_make_runs_worse():
    true_loss = np.full(5000, 3.0)
    observed = add_noise(true_loss, noise=0.0, seed=1, outlier_fraction=0.1, outlier_size=0.2)
    went_wrong = observed > true_loss
    assert np.all(observed >= true_loss)
    assert went_wrong.mean() == pytest.approx(0.1, abs=0.02)


@pytest.mark.parametrize("bad", [dict(noise=-0.1), dict(noise=np.nan), dict(outlier_fraction=1.5)])
def test_bad_noise_settings_are_rejected(bad):
    with pytest.raises(ValueError, match="noise|outlier_fraction"):
        add_noise([1.0], **bad)


def test_isoflop_design_spends_each_budget_exactly():
    N, D, C = isoflop_design([1e18, 1e20], centers=[1e7, 1e8], models_per_budget=5, spread=4)
    np.testing.assert_allclose(6 * N * D, C)
    assert sorted(set(C)) == [1e18, 1e20]
    assert N[:5].min() == pytest.approx(1e7 / 4) and N[:5].max() == pytest.approx(1e7 * 4)


def test_chinchilla_runs_are_centred_on_the_true_optimum():
    runs = simulate_chinchilla_runs(noise=0.0)
    assert len(runs.N) == 243 and runs.law is EPOCH_REFIT
    budget = runs.C == runs.C.max()
    best = runs.N[budget][np.argmin(runs.loss[budget])]
    n_opt, _ = compute_optimal_allocation(runs.C.max(), EPOCH_REFIT)
    assert best == pytest.approx(n_opt, rel=0.1)
    np.testing.assert_allclose(runs.loss, runs.true_loss)


@pytest.mark.parametrize("seed", range(20))
def test_random_laws_are_plausible(seed):
    law = random_chinchilla_law(seed)
    assert 1.5 <= law.E <= 2.2 and 0.25 <= law.alpha <= 0.5 and 0.25 <= law.beta <= 0.5
    share_N = law.A / 1e9 ** law.alpha / law.E
    share_D = law.B / 2e10 ** law.beta / law.E
    assert 0.1 <= share_N <= 0.5 and 0.1 <= share_D <= 0.5
    assert 1 / 3 < allocation_exponents(law)[0] < 2 / 3


def test_flop_budget_refuses_overspending_and_charges_nothing():
    budget = FlopBudget(1e18)
    assert budget.spend(6e17, "first") == pytest.approx(4e17)
    with pytest.raises(BudgetExceeded, match=r"costs 5e\+17 FLOPs but only 4e\+17 of the 1e\+18 budget remain"):
        budget.spend(5e17, "second")
    assert budget.spent == 6e17 and budget.ledger == [("first", 6e17)]
    assert isinstance(BudgetExceeded("x"), ValueError)
    with pytest.raises(BudgetExceeded, match="second costs .*; buy less"):
        budget.require(5e17, "second", advice="buy less")          # the check before costly work: nothing charged
    budget.require(4e17, "the rest")
    assert budget.spent == 6e17 and len(budget.ledger) == 1
    budget.spend(4e17, "exactly the rest")
    assert budget.remaining == 0


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf])
def test_flop_budget_rejects_bad_amounts(bad):
    with pytest.raises(ValueError, match=r"total \(the FLOP budget\) must be a finite number > 0"):
        FlopBudget(bad)
    with pytest.raises(ValueError, match=r"flops \(the cost of run\) must be a finite number > 0"):
        FlopBudget(1e18).spend(bad)


def test_simulated_lab_charges_six_n_d_and_keeps_its_runs():
    lab = SimulatedLab(budget_flops=1e17, law=EPOCH_REFIT, noise=0.0, seed=0)
    loss = lab.train(1e6, 1e9)
    assert loss == pytest.approx(chinchilla_loss(1e6, 1e9, EPOCH_REFIT))
    assert lab.budget.spent == 6e15 and lab.N.tolist() == [1e6] and lab.loss.tolist() == [loss]
    with pytest.raises(BudgetExceeded, match="training N=1e\\+07 on D=1e\\+10 tokens costs"):
        lab.train(1e7, 1e10)
    assert len(lab.runs) == 1
    with pytest.raises(ValueError, match="N must be a finite number > 0, got 0"):
        lab.train(0, 1e6)


def test_simulated_lab_hides_a_random_law_until_revealed():
    lab = SimulatedLab(budget_flops=1e18, seed=11)
    law = lab.reveal()
    assert law.source.startswith("random_chinchilla_law")
    n_opt, d_opt, best_loss = lab.true_optimum(1e20)
    assert 6 * n_opt * d_opt == pytest.approx(1e20)
    assert best_loss == pytest.approx(chinchilla_loss(n_opt, d_opt, law))
