"""Plausible wrong answers for lesson 07, three per exercise and of different kinds, by exercise id.

Each must cost its exercise the points and no other exercise any: the first of each through nbgrader's
autograde (test_nbgrader_roundtrip.py), all of them in one kernel (test_wrong_answers.py).
"""

WRONG_ANSWERS = {
    "compute-to-reach": [
        """
def compute_to_reach(target_loss, law):
    if target_loss <= law.E:
        return math.inf
    gamma = law.alpha * law.beta / (law.alpha + law.beta)
    G = (law.alpha * law.A / (law.beta * law.B)) ** (1 / (law.alpha + law.beta))
    K = law.A * G ** -law.alpha + law.B * G ** law.beta
    return (K / (target_loss - law.E)) ** (1 / gamma)   # forgot the 6 of C = 6ND
""",
        """
def compute_to_reach(target_loss, law):
    gamma = law.alpha * law.beta / (law.alpha + law.beta)
    G = (law.alpha * law.A / (law.beta * law.B)) ** (1 / (law.alpha + law.beta))
    K = law.A * G ** -law.alpha + law.B * G ** law.beta
    return 6 * (K / target_loss) ** (1 / gamma)   # the floor E not taken off
""",
        """
def compute_to_reach(target_loss, law):
    if target_loss <= law.E:
        return math.inf
    gamma = law.alpha + law.beta                  # the sum of the exponents, not αβ/(α+β)
    G = (law.alpha * law.A / (law.beta * law.B)) ** (1 / (law.alpha + law.beta))
    K = law.A * G ** -law.alpha + law.B * G ** law.beta
    return 6 * (K / (target_loss - law.E)) ** (1 / gamma)
""",
    ],
    "training-energy": [
        """
def training_energy(flops, peak_flops_per_second, utilisation, watts, pue=1.0):
    return flops / (peak_flops_per_second * utilisation) * watts * pue   # joules, not kWh
""",
        """
def training_energy(flops, peak_flops_per_second, utilisation, watts, pue=1.0):
    return flops / peak_flops_per_second * utilisation * watts * pue / 3.6e6   # multiplied by the utilisation
""",
        """
def training_energy(flops, peak_flops_per_second, utilisation, watts, pue=1.0):
    return flops / (peak_flops_per_second * utilisation) * watts / 3.6e6   # PUE left out
""",
    ],
    "exact-match": [
        """
def exact_match(correct, k):
    correct = np.asarray(correct, dtype=bool)
    return float(correct.mean() ** k)   # p^k: independent errors assumed
""",
        """
def exact_match(correct, k):
    correct = np.asarray(correct, dtype=bool)
    windows, positions = correct.shape
    spans = [correct[:, start:start + k].all(axis=1) for start in range(0, positions - k + 1, k)]   # disjoint spans
    return float(np.mean(spans))
""",
        """
def exact_match(correct, k):
    correct = np.asarray(correct, dtype=bool)
    windows, positions = correct.shape
    spans = [correct[:, start:start + k].all(axis=1) for start in range(positions - k)]   # the last span left out
    return float(np.mean(spans))
""",
    ],
    "zipf-weighted-loss": [
        """
def zipf_weighted_loss(subtask_loss, alpha):
    subtask_loss = np.asarray(subtask_loss, dtype=float)
    return float(subtask_loss.mean())   # every subtask counted the same
""",
        """
def zipf_weighted_loss(subtask_loss, alpha):
    subtask_loss = np.asarray(subtask_loss, dtype=float)
    frequencies = np.arange(1, len(subtask_loss) + 1, dtype=float) ** -(alpha + 1)
    return float(frequencies @ subtask_loss)   # frequencies not normalised
""",
        """
def zipf_weighted_loss(subtask_loss, alpha):
    subtask_loss = np.asarray(subtask_loss, dtype=float)
    frequencies = np.arange(1, len(subtask_loss) + 1, dtype=float) ** -alpha   # exponent alpha, not alpha + 1
    frequencies /= frequencies.sum()
    return float(frequencies @ subtask_loss)
""",
    ],
    "in-context-gain": [
        """
def in_context_gain(position_loss, early=(4, 8), late=(48, 64)):
    position_loss = np.asarray(position_loss, dtype=float)
    return float(position_loss[late[0] - 1:late[1]].mean() - position_loss[early[0] - 1:early[1]].mean())   # late - early
""",
        """
def in_context_gain(position_loss, early=(4, 8), late=(48, 64)):
    position_loss = np.asarray(position_loss, dtype=float)
    return float(position_loss[early[0]:early[1] + 1].mean() - position_loss[late[0]:late[1] + 1].mean())   # one late
""",
        """
def in_context_gain(position_loss, early=(4, 8), late=(48, 64)):
    position_loss = np.asarray(position_loss, dtype=float)
    return float(position_loss[early[0] - 1] - position_loss[late[1] - 1])   # two positions, not two bands
""",
    ],
    "years-to-exhaust": [
        """
def years_to_exhaust(stock_tokens, dataset_tokens, growth_oom_per_year):
    return math.log(stock_tokens / dataset_tokens) / growth_oom_per_year   # natural log
""",
        """
def years_to_exhaust(stock_tokens, dataset_tokens, growth_oom_per_year):
    return math.log10(dataset_tokens / stock_tokens) / growth_oom_per_year   # the ratio upside down
""",
        """
def years_to_exhaust(stock_tokens, dataset_tokens, growth_oom_per_year):
    return (stock_tokens - dataset_tokens) / (dataset_tokens * 10 ** growth_oom_per_year)   # linear growth
""",
    ],
    "emergence-question": [
        'emergence_answer = "b"',
        'emergence_answer = "c"',
        'emergence_answer = "d"',
    ],
}
