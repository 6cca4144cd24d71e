"""Bad input to any fit raises a ValueError that names the problem (property-based, with hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaling_course.science.fit import (
    bootstrap,
    fit_allocation,
    fit_broken_power_law,
    fit_chinchilla,
    fit_data_constrained,
    fit_isoflop,
    fit_power_law,
    isoflop_minimum,
)
from scaling_course.science.reference import MUENNIGHOFF
from scaling_course.science.simulate import add_noise


def _bootstrap_power_law(x, y):
    return bootstrap(fit_power_law, x, y, n_resamples=2, irreducible=False)


# name: (function, column names, parameters to fit, column that must vary or None)
FITTERS = {
    "power law with E": (lambda x, y: fit_power_law(x, y), ("x", "y"), 3, "x"),
    "power law without E": (lambda x, y: fit_power_law(x, y, irreducible=False), ("x", "y"), 2, "x"),
    "chinchilla": (lambda N, D, loss: fit_chinchilla(N, D, loss, starts=[[6, 7, 0.5, 0.3, 0.3]]),
                   ("N", "D", "loss"), 5, "N"),
    "isoflop": (fit_isoflop, ("N", "D", "loss"), 2, None),
    "allocation": (fit_allocation, ("C", "N_opt"), 2, "C"),
    "broken power law": (lambda x, y: fit_broken_power_law(x, y), ("x", "y"), 6, "x"),
    "data-constrained": (lambda N, D, U, loss: fit_data_constrained(N, D, U, loss, base=MUENNIGHOFF),
                         ("N", "D", "unique_tokens", "loss"), 2, None),
    "bootstrap": (_bootstrap_power_law, ("column 0", "column 1"), 1, None),
}
NAMES = sorted(FITTERS)
SETTINGS = settings(max_examples=25, deadline=None)

good_value = st.floats(min_value=1e-3, max_value=1e12)
bad_value = st.sampled_from([0.0, -1.0, -1e-9, np.nan, np.inf, -np.inf])


def _columns(draw, n_columns, length):
    return [np.array(draw(st.lists(good_value, min_size=length, max_size=length))) for _ in range(n_columns)]


@SETTINGS
@given(name=st.sampled_from(NAMES), data=st.data(), bad=bad_value)
def test_non_positive_nan_or_infinite_values_are_named(name, data, bad):
    function, columns, n_params, _ = FITTERS[name]
    length = data.draw(st.integers(n_params, n_params + 6))
    arrays = _columns(data.draw, len(columns), length)
    which = data.draw(st.integers(0, len(columns) - 1))
    arrays[which][data.draw(st.integers(0, length - 1))] = bad
    kind = "NaN" if np.isnan(bad) else "infinite" if np.isinf(bad) else "must be positive"
    with pytest.raises(ValueError, match=f"{columns[which]} (contains|must be).*") as error:
        function(*arrays)
    assert kind in str(error.value)


@SETTINGS
@given(name=st.sampled_from(NAMES), data=st.data())
def test_columns_of_different_lengths_are_rejected(name, data):
    function, columns, n_params, _ = FITTERS[name]
    length = data.draw(st.integers(n_params + 1, n_params + 6))
    arrays = _columns(data.draw, len(columns), length)
    which = data.draw(st.integers(0, len(columns) - 1))
    arrays[which] = arrays[which][:-1]
    with pytest.raises(ValueError, match="same length") as error:
        function(*arrays)
    assert f"{columns[which]} has {length - 1}" in str(error.value)


@SETTINGS
@given(name=st.sampled_from([n for n in NAMES if FITTERS[n][2] > 1]), data=st.data())
def test_fewer_points_than_parameters_are_rejected(name, data):
    function, columns, n_params, _ = FITTERS[name]
    length = data.draw(st.integers(1, n_params - 1))
    arrays = _columns(data.draw, len(columns), length)
    with pytest.raises(ValueError, match=f"must have at least {n_params} points, got {length}"):
        function(*arrays)


@SETTINGS
@given(name=st.sampled_from([n for n in NAMES if FITTERS[n][3]]), data=st.data(), value=good_value)
def test_a_constant_input_is_rejected(name, data, value):
    function, columns, n_params, varying = FITTERS[name]
    length = data.draw(st.integers(n_params, n_params + 6))
    arrays = _columns(data.draw, len(columns), length)
    arrays[columns.index(varying)] = np.full(length, value)
    with pytest.raises(ValueError, match=f"{varying} must vary across runs"):
        function(*arrays)


@pytest.mark.parametrize("name", NAMES)
def test_empty_and_non_numeric_inputs_are_named(name):
    function, columns, _, _ = FITTERS[name]
    with pytest.raises(ValueError, match=f"{columns[0]} is empty"):
        function(*[[] for _ in columns])
    with pytest.raises(TypeError, match=f"{columns[0]} must be numbers, got list"):
        function(*[["a", "b"]] + [[1.0, 2.0]] * (len(columns) - 1))


def test_one_budget_is_not_enough_for_an_isoflop_fit():
    with pytest.raises(ValueError, match="share one compute budget"):
        fit_isoflop([1e6, 2e6, 4e6], [4e8, 2e8, 1e8], [3.0, 2.9, 3.1])


def test_two_dimensional_input_is_rejected():
    with pytest.raises(ValueError, match="1-D"):
        fit_power_law(np.ones((3, 2)), np.ones((3, 2)))


_N4 = np.array([1e6, 2e6, 4e6, 8e6])
_L4 = np.array([3.0, 2.8, 2.85, 3.1])

# name: (call, error type, words the message must contain)
NAMED_BAD_INPUTS = {
    "negative IsoFLOP budget": (lambda: isoflop_minimum(_N4, _L4, C=-1e19), ValueError, "C (the budget"),
    "IsoFLOP budget as text": (lambda: isoflop_minimum(_N4, _L4, C="1e19"), TypeError, "C (the budget"),
    "bootstrap without columns": (lambda: bootstrap(fit_power_law), ValueError, "columns"),
    "bootstrap of a non-function": (lambda: bootstrap(5, _N4, _L4), TypeError, "fit_function"),
    "bootstrap seed as text": (lambda: bootstrap(fit_power_law, _N4, _L4, seed="abc"), TypeError, "seed"),
    "negative bootstrap seed": (lambda: bootstrap(fit_power_law, _N4, _L4, seed=-1), ValueError, "seed"),
    "noise seed as text": (lambda: add_noise([1.0, 2.0], seed="x"), TypeError, "seed"),
    "a flat loss": (lambda: fit_power_law(_N4, np.full(4, 2.0)), ValueError, "y must vary across runs"),
}


@pytest.mark.parametrize("case", list(NAMED_BAD_INPUTS))
def test_named_bad_inputs_are_refused_before_any_work(case):
    call, error, words = NAMED_BAD_INPUTS[case]
    with pytest.raises(error, match=words.replace("(", r"\(")):
        call()
