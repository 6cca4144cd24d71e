"""Self-check cases for lesson 04 (scaling data): name -> (correct answer, plausible wrong answer)."""

import numpy as np
import pytest

from scaling_course.science import laws
from scaling_course.science.fit import fit_power_law


def _fresh_tokens(loss, law):
    loss = np.asarray(loss, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        tokens = (law.A / (loss - law.E)) ** (1 / law.alpha)
    return np.where(loss > law.E, tokens, np.inf)


CASES = {
    "scaling_data.bottleneck_question": ("d", "b"),
    "scaling_data.fit_data_law": (
        lambda records: fit_power_law([r.config.n_train for r in records], [r.min_val_loss for r in records]),
        lambda records: fit_power_law([r.config.n_train for r in records], [r.final_val_loss for r in records]),
    ),
    "scaling_data.effective_data": (
        lambda D, U, R_star=15.4: laws.effective_data(D, U, R_D_star=R_star),
        lambda D, U, R_star=15.4: U + U * R_star * (1 - np.exp(-(D / U) / R_star)),   # R_D = D/U: one too many
    ),
    "scaling_data.fresh_tokens_for_loss": (
        _fresh_tokens,
        lambda loss, law: (law.A / np.asarray(loss, float)) ** (1 / law.alpha),        # forgot the floor E
    ),
    "scaling_data.repeated_token_worth": (
        lambda D, U, D_eff: (D_eff - U) / (D - U),
        lambda D, U, D_eff: D_eff / D,                                                  # counts the fresh tokens too
    ),
}


@pytest.mark.parametrize("wrong, hint", [
    (lambda D, U, R_star=15.4: U + U * R_star * (1 - np.exp(-(D / U) / R_star)), "R_D = D/U − 1, not D/U"),
    (lambda D, U, R_star=15.4: np.minimum(U, D) * (1 + R_star * (1 - np.exp((D / np.minimum(U, D) - 1) / R_star))),
     "with a minus sign in the exponent"),
    (lambda D, U, R_star=15.4: D * 0.9, "check each piece"),
])
def test_the_effective_data_hint_names_the_mistake_made(wrong, hint, capsys):
    from scaling_course import check
    assert not check("scaling_data.effective_data", wrong)
    assert hint in capsys.readouterr().out
