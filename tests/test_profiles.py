import pytest

from scaling_course.syllabus.profiles import PROFILES, Profile, get_profile


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


def test_explicit_name_wins(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert get_profile(" CI ").name == "ci"


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
