"""Lesson 04 plumbing: the fresh-data sweep, epochs, the repetition constant and the plots."""

import matplotlib
import numpy as np
import pytest

from scaling_course.lessons import scaling_data
from scaling_course.science import laws
from scaling_course.syllabus.shipped import reference_results
from scaling_course.syllabus.sweeps import standard_sweep

matplotlib.use("Agg")


def test_fresh_sweep_is_the_data_sweeps_model_on_unlimited_data():
    data = standard_sweep("data", "laptop")[0]
    fresh = standard_sweep("fresh-data", "laptop")
    assert sorted({c.steps for c in fresh}) == [188, 375, 750, 1500, 3000]
    assert all(sum(c.steps == steps for c in fresh) == 3 for steps in (188, 3000))      # three seeds each
    assert all(c.n_train == 0 and c.width == data.width and c.depth == data.depth for c in fresh)


@pytest.mark.parametrize("profile", ["laptop", "full"])
def test_fresh_runs_improve_with_more_tokens(profile):
    records = reference_results("fresh-data", profile)
    steps = sorted({r.config.steps for r in records})
    mean_loss = [np.mean([r.final_val_loss for r in records if r.config.steps == s]) for s in steps]
    assert all(np.diff(mean_loss) < 0)


def test_epochs_are_tokens_over_unique_tokens():
    records = reference_results("data", "laptop")
    for r in records:
        assert scaling_data.epochs(r) == pytest.approx(r.tokens[-1] / r.config.n_train)
    fresh = reference_results("fresh-data", "laptop")[-1]
    assert 0.5 < scaling_data.epochs(fresh) < 0.6        # 3.07 M tokens of a 5.7 M-token corpus
    with pytest.raises(TypeError):
        scaling_data.epochs("run")


@pytest.mark.parametrize("R", [0.5, 3.0, 15.4, 80.0])
def test_repetition_constant_is_recovered(R):
    D = np.array([2e6, 4e6, 16e6, 64e6])
    U = np.array([1e6, 1e6, 2e6, 1e6])
    assert scaling_data.fit_repetition_constant(D, U, laws.effective_data(D, U, R_D_star=R)) == pytest.approx(R, rel=1e-4)


def test_repetition_constant_needs_repeated_runs_and_sane_inputs():
    with pytest.raises(ValueError, match="no run repeated"):
        scaling_data.fit_repetition_constant([1e6], [2e6], [1e6])
    with pytest.raises(ValueError, match="effective_tokens must be positive"):
        scaling_data.fit_repetition_constant([2e6], [1e6], [-1.0])
    with pytest.raises(ValueError, match="same length"):
        scaling_data.fit_repetition_constant([2e6, 3e6], [1e6], [1e6])


def test_muennighoff_worth_matches_the_published_fractions():
    # Muennighoff et al. 2023 (arXiv:2305.16264): 4 epochs ≈ 93.1% of fresh data overall, so each repeated token ≈ 90.8%
    worth = scaling_data.muennighoff_worth(4.0, 1.0)
    assert (1 + 3 * worth) / 4 == pytest.approx(0.931, abs=1e-3)
    with pytest.raises(ValueError, match="tokens must be > unique_tokens"):
        scaling_data.muennighoff_worth(1.0, 1.0)


def test_plots_are_labelled():
    records = reference_results("data", "laptop")
    axes = [
        scaling_data.train_and_val_curves(records[:3]),
        scaling_data.data_law_plot([1e4, 1e5, 1e6], [3.0, 2.5, 2.0], [4.0, 2.6, 2.0]),
        scaling_data.worth_plot([2.0, 8.0], [0.5, 0.3], R_D_star_fit=2.0),
    ]
    for ax in axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
        assert ax.get_legend() is not None
    with pytest.raises(ValueError):
        scaling_data.train_and_val_curves([])
    matplotlib.pyplot.close("all")
