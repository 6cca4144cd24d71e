"""Plausible wrong answers for lesson 04, by exercise id (see test_nbgrader_roundtrip.py)."""

WRONG_ANSWERS = {
    "fit-data-law": """
def fit_data_law(records):
    # the final losses: the overfitted small sets pull the law off
    return fit_power_law([r.config.n_train for r in records], [r.final_val_loss for r in records])
""",
    "effective-data": """
def effective_data(D, U, R_star=MUENNIGHOFF.R_D_star):
    D, U = np.asarray(D, dtype=float), np.asarray(U, dtype=float)
    return U + U * R_star * (1 - np.exp(-(D / U) / R_star))   # counts the first pass as a repetition
""",
    "fresh-tokens": """
def fresh_tokens_for_loss(loss, law):
    return (law.A / np.asarray(loss, dtype=float)) ** (1 / law.alpha)   # forgot the floor E
""",
    "repeated-worth": """
def repeated_token_worth(D, U, D_eff):
    return np.asarray(D_eff, dtype=float) / np.asarray(D, dtype=float)   # counts the fresh tokens too
""",
    "bottleneck-question": 'bottleneck_answer = "a"',
}
