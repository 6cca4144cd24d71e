"""Plausible wrong answers for lesson 04, three per exercise and of different kinds, by exercise id.

Each must cost its exercise the points and no other exercise any: the first of each through nbgrader's
autograde (test_nbgrader_roundtrip.py), all of them in one kernel (test_wrong_answers.py).
"""

WRONG_ANSWERS = {
    "fit-data-law": [
        """
def fit_data_law(records):
    # the final losses: the overfitted small sets pull the law off
    return fit_power_law([r.config.n_train for r in records], [r.final_val_loss for r in records])
""",
        """
def fit_data_law(records):
    return fit_power_law([r.tokens[-1] for r in records], [r.min_val_loss for r in records])   # tokens trained, not unique
""",
        """
def fit_data_law(records):
    return fit_power_law([r.config.n_train for r in records], [r.min_val_loss for r in records], irreducible=False)
""",
    ],
    "effective-data": [
        """
def effective_data(D, U, R_star=MUENNIGHOFF.R_D_star):
    D, U = np.asarray(D, dtype=float), np.asarray(U, dtype=float)
    return U + U * R_star * (1 - np.exp(-(D / U) / R_star))   # counts the first pass as a repetition
""",
        """
def effective_data(D, U, R_star=MUENNIGHOFF.R_D_star):
    D, U = np.asarray(D, dtype=float), np.asarray(U, dtype=float)
    return U + U * R_star * (1 - np.exp(-(D / U - 1) / R_star))   # U not capped at D
""",
        """
def effective_data(D, U, R_star=MUENNIGHOFF.R_D_star):
    D, U = np.asarray(D, dtype=float), np.asarray(U, dtype=float)
    unique = np.minimum(U, D)
    return unique + unique * R_star * (1 - np.exp((D / unique - 1) / R_star))   # exp(+R/R*)
""",
    ],
    "fresh-tokens": [
        """
def fresh_tokens_for_loss(loss, law):
    return (law.A / np.asarray(loss, dtype=float)) ** (1 / law.alpha)   # forgot the floor E
""",
        """
def fresh_tokens_for_loss(loss, law):
    loss = np.asarray(loss, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        tokens = (law.A / (loss - law.E)) ** law.alpha   # alpha, not 1/alpha
    return np.where(loss > law.E, tokens, np.inf)
""",
        """
def fresh_tokens_for_loss(loss, law):
    loss = np.asarray(loss, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (law.A / (loss - law.E)) ** (1 / law.alpha)   # no infinity at or below E
""",
    ],
    "repeated-worth": [
        """
def repeated_token_worth(D, U, D_eff):
    return np.asarray(D_eff, dtype=float) / np.asarray(D, dtype=float)   # counts the fresh tokens too
""",
        """
def repeated_token_worth(D, U, D_eff):
    return (np.asarray(D_eff, dtype=float) - U) / np.asarray(D, dtype=float)   # divides by all tokens
""",
        """
def repeated_token_worth(D, U, D_eff):
    return (np.asarray(D, dtype=float) - U) / (np.asarray(D_eff, dtype=float) - U)
""",
    ],
    "bottleneck-question": [
        'bottleneck_answer = "a"',
        'bottleneck_answer = "b"',
        'bottleneck_answer = "c"',
    ],
}
