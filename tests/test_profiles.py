import pytest

from scaling_course.syllabus import profiles
from scaling_course.syllabus.profiles import PROFILES, Profile, get_profile
from scaling_course.syllabus.shipped import reference_results


def test_default_is_laptop(monkeypatch):
    monkeypatch.delenv("SCALING_COURSE_PROFILE", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert get_profile().name == "laptop"


def test_environment_variable_chooses(monkeypatch):
    monkeypatch.setenv("SCALING_COURSE_PROFILE", "ci")
    assert get_profile().name == "ci"


def test_nbgrader_execution_uses_grading_size(monkeypatch):
    monkeypatch.setenv("SCALING_COURSE_PROFILE", "full")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert get_profile().name == "grading"


def test_explicit_name_wins_outside_nbgrader(monkeypatch):
    monkeypatch.setenv("SCALING_COURSE_PROFILE", "full")
    assert get_profile(" CI ").name == "ci"


@pytest.mark.parametrize("asked", ["ci", "laptop", "full", "grading"])
def test_under_nbgrader_grading_wins_whatever_the_notebook_asks(monkeypatch, capsys, asked):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setattr(profiles, "_OVERRIDDEN", set())
    assert get_profile(asked).name == "grading"
    assert get_profile(asked).name == "grading"
    printed = capsys.readouterr().out
    if asked == "grading":
        assert printed == ""
    else:                                     # said once, so the student knows the choice did not count
        assert printed.count(f"profile = {asked!r} is ignored") == 1


def test_under_nbgrader_results_that_belong_to_a_profile_are_still_read_at_it(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert profiles.profile_named("laptop").name == "laptop"
    assert profiles.as_profile("full").name == "full" and profiles.as_profile(None).name == "grading"
    assert reference_results("data", "laptop") != reference_results("data")      # the latter: ci's, as grading


@pytest.mark.parametrize("asked", ["lapto", 3])
def test_under_nbgrader_even_a_misspelt_profile_grades_at_grading(monkeypatch, capsys, asked):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setattr(profiles, "_OVERRIDDEN", set())
    assert get_profile(asked).name == "grading"
    assert f"profile = {asked!r} is ignored" in capsys.readouterr().out


def test_unknown_profile_names_the_allowed_ones(monkeypatch):
    with pytest.raises(ValueError, match="'ci', 'laptop', 'full'"):
        get_profile("huge")
    monkeypatch.setenv("SCALING_COURSE_PROFILE", "tiny")
    with pytest.raises(ValueError, match="SCALING_COURSE_PROFILE"):
        get_profile()


def test_non_string_profile_is_a_type_error():
    with pytest.raises(TypeError):
        get_profile(3)


def test_profiles_grow_with_size():
    order = ["grading", "ci", "laptop", "full"]
    for small, big in zip(order, order[1:]):
        assert PROFILES[small].repeats <= PROFILES[big].repeats
        assert PROFILES[small].max_features <= PROFILES[big].max_features


def test_profile_fields_are_validated():
    with pytest.raises(ValueError, match="repeats"):
        Profile("bad", repeats=0)
