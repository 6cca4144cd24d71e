"""The published constants in scaling_course.science.reference agree with the papers' own numbers and with each other."""

import math

import pytest

from scaling_course.science import reference as ref
from scaling_course.science.fit import fit_allocation


def test_chinchilla_eq10_rounded_and_unrounded():
    assert (ref.CHINCHILLA_EQ10.E, ref.CHINCHILLA_EQ10.A, ref.CHINCHILLA_EQ10.B) == (1.69, 406.4, 410.7)
    assert (ref.CHINCHILLA_EQ10.alpha, ref.CHINCHILLA_EQ10.beta) == (0.34, 0.28)
    unrounded = ref.CHINCHILLA_EQ10_UNROUNDED
    # Epoch AI store them in log space, (a, b, e) = (6.0073404, 6.0179186, 0.5267228); A, B, E are those to 5 digits
    assert unrounded.A == pytest.approx(math.exp(6.0073404), rel=5e-5)
    assert unrounded.B == pytest.approx(math.exp(6.0179186), rel=5e-5)
    assert unrounded.E == pytest.approx(math.exp(0.5267228), rel=5e-5)
    assert (unrounded.alpha, unrounded.beta) == (0.33917, 0.28491)
    for rounded, exact in [("E", 2), ("alpha", 2), ("beta", 2)]:
        assert getattr(ref.CHINCHILLA_EQ10, rounded) == round(getattr(unrounded, rounded), exact)


def test_epoch_refit_values():
    assert ref.EPOCH_REFIT.A == 482.00572 and ref.EPOCH_REFIT.B == 2085.43420
    assert (ref.EPOCH_REFIT.E, ref.EPOCH_REFIT.alpha, ref.EPOCH_REFIT.beta) == (1.81686, 0.34781, 0.36585)
    assert ref.EPOCH_GRID_FIT.E == 1.81724 and ref.EPOCH_GRID_FIT.beta == 0.36718
    a = ref.EPOCH_REFIT.beta / (ref.EPOCH_REFIT.alpha + ref.EPOCH_REFIT.beta)
    assert a == pytest.approx(ref.EPOCH_ALLOCATION_EXPONENT, abs=5e-4)
    for name, (low, high) in ref.EPOCH_REFIT_95_INTERVALS.items():
        assert low < getattr(ref.EPOCH_REFIT, name) < high
        assert ref.EPOCH_REFIT_STANDARD_ERRORS[name] > 0


def test_muennighoff_constants():
    law = ref.MUENNIGHOFF
    assert round(law.A, 2) == 520.82 and round(law.B, 2) == 1487.72 and round(law.E, 4) == 1.8691
    assert law.alpha == law.beta == 0.3526596
    assert (law.R_D_star, law.R_N_star) == (15.387756, 5.309743)


def test_kaplan_constants_and_allocation():
    k = ref.KAPLAN
    assert (k.alpha_N, k.N_c, k.alpha_D, k.D_c) == (0.076, 8.8e13, 0.095, 5.4e13)
    assert (k.alpha_C_min, k.C_c_min) == (0.050, 3.1e8)
    assert (k.joint_alpha_N, k.joint_alpha_D, k.joint_N_c, k.joint_D_c) == (0.076, 0.103, 6.4e13, 1.8e13)
    assert k.optimal_N_exponent + k.optimal_D_exponent == pytest.approx(1.0)
    # "10× more compute means 10^0.73 = 5.37× the parameters and 10^0.27 = 1.86× the data"
    assert 10 ** k.optimal_N_exponent == pytest.approx(5.37, abs=0.005)
    assert 10 ** k.optimal_D_exponent == pytest.approx(1.86, abs=0.005)
    assert ref.PF_DAY_FLOPS == 8.64e19


def test_chinchilla_table_2():
    approaches = {row.approach[:2]: row for row in ref.CHINCHILLA_TABLE_2}
    assert (approaches["1."].a, approaches["2."].a, approaches["3."].a) == (0.50, 0.49, 0.46)
    for row in ref.CHINCHILLA_TABLE_2:
        assert row.a + row.b == pytest.approx(1.0)
        if row.a_range is not None:
            assert row.a_range[0] <= row.a_range[1] and row.b_range[0] <= row.b_range[1]


def test_chinchilla_table_3_tokens_per_parameter():
    ratios = [round(row.tokens_per_parameter, 1) for row in ref.CHINCHILLA_TABLE_3]
    published = [20.0, 20.2, 20.5, 22.4, 21.1, 21.1, 21.2, 21.2, 21.6]
    assert ratios == pytest.approx(published, abs=0.11)


def test_chinchilla_table_3_gives_a_of_one_half():
    rows = ref.CHINCHILLA_TABLE_3
    fit = fit_allocation([r.flops for r in rows], [r.n_params for r in rows])
    assert fit.slope == pytest.approx(0.5, abs=0.01)
    assert fit.r_squared_log > 0.999
    tokens = fit_allocation([r.flops for r in rows], [r.n_tokens for r in rows])
    assert tokens.slope == pytest.approx(0.5, abs=0.01)


def test_famous_models_are_untouched():
    chinchilla = ref.famous_model("Chinchilla")
    assert (chinchilla.n_params, chinchilla.n_tokens) == (70e9, 1.4e12)
    assert len(ref.FAMOUS_MODELS) == len(ref.famous_models())


def test_every_published_law_names_its_source():
    for law in (ref.CHINCHILLA_EQ10, ref.CHINCHILLA_EQ10_UNROUNDED, ref.EPOCH_REFIT, ref.EPOCH_GRID_FIT,
                ref.MUENNIGHOFF, ref.KAPLAN):
        assert "arXiv" in law.source or "Epoch" in law.source
