"""The self-check API: passes good answers, explains bad ones, never raises.

Each lesson's checks get the same treatment: lessons 00-01 list their cases below; later lessons
add a ``tests/test_checks_<lesson>.py`` holding a dict ``CASES = {name: (correct, wrong)}``.
"""

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest

from scaling_course.checks import check
from scaling_course.checks.registry import available_checks
from scaling_course.science import polynomials


def _stub(*args, **kwargs):
    raise NotImplementedError()


def _near_chinchilla(models, factor=2.0):
    return [m.name for m in models if 20 / factor <= m.n_tokens / m.n_params <= 20 * factor]


# name -> (correct answer, a plausible wrong answer)
CASES = {
    "welcome.training_flops": (lambda n, d: 6 * n * d, lambda n, d: 2 * n * d),
    "welcome.tokens_per_parameter": (lambda n, d: d / n, lambda n, d: n / d),
    "welcome.near_chinchilla": (_near_chinchilla, lambda models, factor=2.0: [m.name for m in models]),
    "polynomials.design_matrix": (polynomials.design_matrix, lambda x, d: np.vander(x, d + 1)),
    "polynomials.fit_polynomial": (
        polynomials.fit_polynomial,
        lambda x, y, d: np.polyfit(x, y, d),   # highest power first: the wrong order
    ),
    "polynomials.errors_by_degree": (
        polynomials.errors_by_degree,
        lambda *args: polynomials.errors_by_degree(*args)[::-1],
    ),
    "polynomials.scale_question": ("b", "d"),
}


def _lesson_cases() -> dict:
    cases = dict(CASES)
    for path in sorted(Path(__file__).parent.glob("test_checks_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cases.update(module.CASES)
    return cases


ALL_CASES = _lesson_cases()
FUNCTION_CASES = sorted(name for name, (correct, _) in ALL_CASES.items() if callable(correct))


def test_every_registered_check_is_covered():
    assert sorted(ALL_CASES) == available_checks()


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_correct_answer_passes(name, capsys):
    assert check(name, ALL_CASES[name][0])
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_wrong_answer_fails_with_a_hint(name, capsys):
    assert not check(name, ALL_CASES[name][1])
    out = capsys.readouterr().out
    assert "❌" in out and "Traceback" not in out


@pytest.mark.parametrize("name", FUNCTION_CASES)
def test_unfinished_stub_is_reported_kindly(name, capsys):
    assert not check(name, _stub)
    out = capsys.readouterr().out
    assert "not written yet" in out and "NotImplementedError(...)" in out


@pytest.mark.parametrize("name", FUNCTION_CASES)
def test_a_value_instead_of_a_function(name, capsys):
    assert not check(name, 42)
    assert "expected the function" in capsys.readouterr().out


def test_exceptions_in_learner_code_become_messages(capsys):
    def broken(x, degree):
        return x / undefined_name  # noqa: F821
    assert not check("polynomials.design_matrix", broken)
    assert "NameError" in capsys.readouterr().out


def test_nan_results_are_reported(capsys):
    assert not check("polynomials.design_matrix", lambda x, d: np.full((len(x), d + 1), np.nan))
    assert "NaN" in capsys.readouterr().out


def test_wrong_shape_is_reported(capsys):
    assert not check("polynomials.design_matrix", lambda x, d: np.vander(x, d + 2, increasing=True))
    assert "shape" in capsys.readouterr().out


def test_missing_return_is_reported(capsys):
    assert not check("welcome.training_flops", lambda n, d: None)
    assert "return" in capsys.readouterr().out


def test_swapped_ratio_gets_a_specific_hint(capsys):
    check("welcome.tokens_per_parameter", lambda n, d: n / d)
    assert "other way round" in capsys.readouterr().out


def test_a_question_takes_the_letter_exactly_as_its_graded_test_does(capsys):
    for answer in ("B", " b", "b "):
        assert not check("capstone.strategy_question", answer)
        assert "one lowercase letter" in capsys.readouterr().out
    assert check("capstone.strategy_question", "b")


def test_unknown_check_lists_known_ones(capsys):
    assert not check("polynomials.no_such_exercise", 1)
    assert "polynomials.design_matrix" in capsys.readouterr().out


def test_check_never_raises_on_odd_input(capsys):
    for answer in [None, "text", object(), [1, 2], {"a": 1}]:
        for name in ALL_CASES:
            assert not check(name, answer)
    capsys.readouterr()


def test_result_shows_nothing_in_a_notebook():
    from IPython.core.formatters import DisplayFormatter
    result = check("welcome.training_flops", lambda n, d: 6 * n * d)
    assert result and result.name == "welcome.training_flops"
    assert hasattr(result, "_ipython_display_") and result._ipython_display_() is None
    assert DisplayFormatter().format(result) == ({}, {})


def _package_calls() -> str:
    from scaling_course.science import fit, laws
    exercises = {name.split(".")[1] for name in available_checks()}     # the learner's own functions
    return "|".join(sorted((set(fit.__all__) | set(laws.__all__)) - exercises))


# numpy or torch called with arguments, a fit or law of the package called, or a fit's prediction asked for
CODE_IN_A_HINT = re.compile(rf"\b(np|numpy|math|torch)\.[\w.]+\(|\b({_package_calls()})\(|\.predict\(")


def test_hints_guide_without_writing_the_solution_code():
    """A hint may name an idea, a formula from the lesson or a function to look up, never the call that solves it."""
    import ast
    import scaling_course.checks as checks_package
    found = []
    for path in sorted(Path(checks_package.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE_IN_A_HINT.search(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value[:80]}")
    assert not found, found


def _abs_errors(x_train, y_train, x_test, y_test, degrees):
    fits = [polynomials.fit_polynomial(x_train, y_train, d) for d in degrees]
    return (np.array([np.mean(np.abs(polynomials.predict(c, x_train) - y_train)) for c in fits]),
            np.array([np.mean(np.abs(polynomials.predict(c, x_test) - y_test)) for c in fits]))


def _root_errors(*args):
    train, test = polynomials.errors_by_degree(*args)
    return np.sqrt(train), np.sqrt(test)


def _design_matrix_one_entry_off(x, degree):
    X = polynomials.design_matrix(x, degree)
    X[1, -1] += 1.0                 # at degree 0 that is column 0
    return X


@pytest.mark.parametrize("name, answer, words", [
    ("polynomials.errors_by_degree", _abs_errors, "mean absolute errors"),
    ("polynomials.errors_by_degree", _root_errors, "root mean squared errors"),
    ("welcome.near_chinchilla", lambda models, factor=2.0: list(models), "returned the models themselves"),
    ("polynomials.design_matrix", _design_matrix_one_entry_off, "at row 1, column 0"),
])
def test_hints_name_the_likely_mistake_in_the_learners_words(name, answer, words, capsys):
    assert not check(name, answer)
    printed = capsys.readouterr().out
    assert words in printed and "flat index" not in printed and "FamousModel(" not in printed, printed


def test_progress_lists_each_check_of_a_lesson_with_its_latest_verdict(capsys, monkeypatch):
    from scaling_course import progress
    from scaling_course.checks import registry
    monkeypatch.setattr(registry, "_LATEST", {})
    check("polynomials.design_matrix", polynomials.design_matrix)
    check("polynomials.fit_polynomial", lambda x, y, degree: np.zeros(degree + 1))
    capsys.readouterr()
    state = progress("polynomials")
    printed = capsys.readouterr().out
    assert state["polynomials.design_matrix"] is True and state["polynomials.fit_polynomial"] is False
    assert state["polynomials.errors_by_degree"] is None
    assert "1 of 4 self-checks passed" in printed and "not run" in printed
