import matplotlib.pyplot as plt
import numpy as np
import pytest

from scaling_course.lessons import polynomials, welcome
from scaling_course.lessons.polynomials import PolynomialExplorer
from scaling_course.science.polynomials import fit_polynomial, sample_data
from scaling_course.science.reference import famous_models


def test_moving_a_slider_refits_and_redraws():
    explorer = PolynomialExplorer()
    explorer.widget()
    first = explorer.summary
    explorer.degree.value = 12
    assert explorer.summary.degree == 12 and explorer.summary.train_mse < first.train_mse
    explorer.n_samples.value = 150
    assert explorer.summary.n_samples == 150
    assert explorer.summary.test_mse < 0.05      # enough data tames degree 12


def test_more_samples_extend_rather_than_reshuffle():
    explorer = PolynomialExplorer()
    explorer.update(3, 10)
    x10 = explorer.x_pool[:10].copy()
    explorer.update(3, 50)
    assert np.array_equal(explorer.x_pool[:10], x10)


def test_explorer_uses_the_learners_fit_and_survives_its_errors(capsys):
    calls = []

    def my_fit(x, y, degree):
        calls.append(degree)
        return fit_polynomial(x, y, degree)

    explorer = PolynomialExplorer(my_fit)
    explorer.widget()
    assert calls == [3]

    def unfinished(x, y, degree):
        raise NotImplementedError()

    broken = PolynomialExplorer(unfinished)
    broken.widget()                       # must not raise: the sliders stay usable
    assert broken.summary is None
    assert "NotImplementedError" in capsys.readouterr().out


def test_explorer_rejects_impossible_sample_counts():
    with pytest.raises(ValueError, match="n_samples"):
        PolynomialExplorer(max_samples=30).update(2, 31)


def test_plots_are_labelled():
    axes = [
        welcome.famous_models_chart(famous_models()),
        polynomials.error_vs_degree(np.arange(5), np.linspace(1, 0.1, 5), np.linspace(1, 0.5, 5)),
        polynomials.double_descent(np.array([5, 10, 20, 40]), np.array([0.1, 0.5, 1e6, 0.2]), 20, label="decay"),
        polynomials.polynomial_fit(*sample_data(10), np.array([0.0, 1.0])),
    ]
    for ax in axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    plt.close("all")


@pytest.mark.parametrize("call, error, message", [
    (lambda: welcome.famous_models_chart([]), ValueError, "models must be a non-empty list"),
    (lambda: polynomials.error_vs_degree([1, 2], [0.1], [0.2, 0.3]), ValueError, "train_mse"),
    (lambda: polynomials.double_descent([5, 10], [1.0, np.nan], 20), ValueError, "NaN"),
    (lambda: polynomials.double_descent([5, 10], [1.0, 2.0], 0), ValueError, "n_train"),
    (lambda: polynomials.polynomial_fit([0.1, 0.2], [1.0], np.array([0.0])), ValueError, "y_train"),
    (lambda: PolynomialExplorer(fit="lstsq"), TypeError, "fit must be a function"),
    (lambda: PolynomialExplorer(max_degree=-1), ValueError, "max_degree"),
    (lambda: PolynomialExplorer(max_samples=1), ValueError, "max_samples"),
])
def test_bad_input_says_what_is_wrong(call, error, message):
    with pytest.raises(error, match=message):
        call()
    plt.close("all")


def _figure(**kwargs):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(**kwargs)
    return fig, ax


def test_layout_problems_finds_what_collides_and_nothing_else():
    from scaling_course.lessons.plots import layout_problems
    fig, ax = _figure(figsize=(3, 2))
    ax.set_xticks(range(20), [f"label {i}" for i in range(20)])
    assert "x tick labels 'label 0' and 'label 1' overlap" in layout_problems(fig)[0]
    fig, ax = _figure()
    ax.plot([0.1, 0.2, 0.9], [0.9, 0.85, 0.1], "o", label="runs")
    ax.legend(loc="upper left")
    assert layout_problems(fig) == ["panel 1: the legend covers 1 data point(s)"]
    fig, ax = _figure()
    ax.plot([0, 1], [0, 1], label="a line")
    ax.text(0.02, 0.97, "threshold", transform=ax.transAxes, va="top")
    ax.legend(loc="upper left")
    assert layout_problems(fig) == ["panel 1: the legend covers 'threshold'"]
    fig, ax = _figure()
    ax.set_title("tiny", fontsize=5)
    assert layout_problems(fig) == ["panel 1 ('tiny'): 'tiny' is set in 5 pt"]
    fig, ax = _figure()
    ax.plot([1, 2], [1, 2], "o-", label="clear of the legend")
    ax.legend(loc="lower right")
    assert layout_problems(fig) == []
