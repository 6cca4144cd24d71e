import math

import pytest

from scaling_course.science import laws
from scaling_course.science.reference import famous_model, famous_models, format_famous_models, near_chinchilla


def test_six_nd_matches_published_flops_where_reported():
    # Brown et al. report 3.14e23 for GPT-3; Chowdhery et al. 2.527e24 for PaLM.
    for name in ["GPT-3", "PaLM", "Llama 3.1 405B"]:
        m = famous_model(name)
        assert laws.training_compute(m.n_params, m.n_tokens) == pytest.approx(m.reported_flops, rel=0.01)


def test_chinchilla_ratio_is_twenty():
    m = famous_model("chinchilla")
    assert laws.tokens_per_parameter(m.n_params, m.n_tokens) == pytest.approx(20.0)


def test_near_chinchilla_bands():
    models = famous_models()
    assert near_chinchilla(models, 2.0) == ["Chinchilla", "LLaMA-65B", "Llama 2 70B", "Llama 3.1 405B"]
    assert near_chinchilla(models, 1.0) == ["Chinchilla"]
    assert len(near_chinchilla(models, 1e4)) == len(models)


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf])
def test_bad_sizes_are_rejected(bad):
    with pytest.raises(ValueError, match="n_params"):
        laws.training_compute(bad, 1e9)
    with pytest.raises(ValueError, match="n_tokens"):
        laws.tokens_per_parameter(1e9, bad)


def test_non_numbers_are_type_errors():
    with pytest.raises(TypeError):
        laws.training_compute("7e10", 1e12)


def test_factor_below_one_is_rejected():
    with pytest.raises(ValueError, match="factor"):
        near_chinchilla(famous_models(), 0.5)


def test_unknown_model_lists_known_ones():
    with pytest.raises(ValueError, match="GPT-3"):
        famous_model("GPT-7")


def test_table_lists_every_model_with_its_source():
    table = format_famous_models()
    for m in famous_models():
        assert m.name in table and m.source in table


def test_famous_models_is_a_fresh_list():
    models = famous_models()
    models.clear()
    assert famous_models()
