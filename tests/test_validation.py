"""The one validation module: TypeError for the wrong kind, ValueError for a wrong value, and every
message naming the argument, what is allowed and what it got."""

import math
import re

import numpy as np
import pytest

from scaling_course.validation import (
    check_array_1d,
    check_callable,
    check_choice,
    check_instance,
    check_int,
    check_list_of,
    check_number,
    check_positive_array,
    check_positive_int,
    fit_columns,
    positive_values,
)

STYLE = re.compile(r"^\S.* must (be|have) .+, got .+")


@pytest.mark.parametrize("call, error, message", [
    (lambda: check_int("3", "width"), TypeError, "width must be a whole number, got str '3'"),
    (lambda: check_int(True, "width"), TypeError, "width must be a whole number, got bool True"),
    (lambda: check_int(2.0, "width", minimum=1), TypeError, "width must be a whole number >= 1, got float 2.0"),
    (lambda: check_int(0, "width", minimum=1), ValueError, "width must be a whole number >= 1, got 0"),
    (lambda: check_int(np.int64(9), "n", maximum=8), ValueError, "n must be a whole number <= 8, got 9"),
    (lambda: check_positive_int(-2, "workers"), ValueError, "workers must be a whole number >= 1, got -2"),
    (lambda: check_number("0.01", "lr", above=0), TypeError, "lr must be a finite number > 0, got str '0.01'"),
    (lambda: check_number(None, "lr"), TypeError, "lr must be a finite number, got NoneType None"),
    (lambda: check_number(math.nan, "lr", above=0), ValueError, "lr must be a finite number > 0, got nan"),
    (lambda: check_number(1.0, "level", above=0, below=1), ValueError,
     "level must be a finite number > 0 and < 1, got 1.0"),
    (lambda: check_number(np.float64(-1.5), "E", minimum=0), ValueError, "E must be a finite number >= 0, got -1.5"),
    (lambda: check_choice("huge", "profile", ["ci", "laptop"]), ValueError,
     "profile must be one of 'ci', 'laptop', got 'huge'"),
    (lambda: check_choice(["a"], "sweep", {"data": 1}), ValueError,
     re.escape("sweep must be one of 'data', got ['a']")),
    (lambda: check_instance(3, "record", str), TypeError, "record must be str, got int 3"),
    (lambda: check_callable(5, "fit", "fit(x, y)"), TypeError,
     re.escape("fit must be a function fit(x, y), got int 5")),
    (lambda: check_list_of([], "records", int), ValueError, "records must be a non-empty list of int, got an empty one"),
    (lambda: check_list_of("abc", "records", int), TypeError, "records must be a non-empty list of int, got str"),
    (lambda: check_list_of([1, "x"], "records", int), TypeError, "got str 'x' at index 1"),
    (lambda: check_array_1d([[1.0]], "x"), ValueError, r"x must be a 1-D array of numbers, got an array of shape \(1, 1\)"),
    (lambda: check_array_1d(["a"], "x"), TypeError, "x must be a 1-D array of numbers, got list"),
    (lambda: check_array_1d([1.0, np.inf], "x"), ValueError, "x must be finite, got NaN or infinite values at index 1"),
    (lambda: check_array_1d([1.0], "y", length=2), ValueError, "y must have 2 values"),
    (lambda: check_positive_array([[1.0, 2.0], [3.0, 0.0]], "D"), ValueError,
     r"D must be finite and > 0, got 0.0 at index \(1, 1\)"),
    (lambda: check_positive_array("1e9", "N"), TypeError, "N must be positive numbers, got str '1e9'"),
    (lambda: positive_values(["a"], "loss"), TypeError, "loss must be numbers, got list"),
])
def test_each_check_raises_the_right_kind_with_a_message_in_one_style(call, error, message):
    with pytest.raises(error, match=message) as raised:
        call()
    assert STYLE.match(str(raised.value)), str(raised.value)


def test_checks_return_the_value_in_the_form_callers_compute_with():
    assert check_int(np.int64(3), "n") == 3 and type(check_int(np.int64(3), "n")) is int
    assert check_number(np.float32(0.5), "p") == 0.5 and type(check_number(1, "p")) is float
    assert check_positive_array(2.0, "C").shape == ()                 # a scalar stays a scalar
    assert check_list_of((i for i in range(3)), "xs", int) == [0, 1, 2]
    x, y = fit_columns(2, "a line", x=[1, 10], y=[3.0, 2.0])
    assert x.dtype == float and y.tolist() == [3.0, 2.0]
