"""Published scaling laws as plain functions: put in a size, get out a loss (or an allocation).

Each function is the paper's formula, with the paper's constants as defaults (from
:mod:`scaling_course.science.reference`), and works on numbers or numpy arrays alike.

* Kaplan et al. 2020: training compute C ≈ 6ND; L(N), L(D), L(C_min), L(N, D).
* Hoffmann et al. 2022 (Chinchilla): L(N, D) = E + A/N^α + B/D^β and its compute-optimal allocation.
* Muennighoff et al. 2023: the same law in effective data D' and effective parameters N' under repetition.
* Caballero et al. 2022: the broken neural scaling law.
* Michaud et al. 2023: the quantization model's loss, the unlearned tail of a Zipf distribution.

The fitting routines that estimate these constants from runs are in :mod:`scaling_course.science.fit`.
"""

from __future__ import annotations

__all__ = [
    "allocation_exponents", "broken_power_law", "check_law", "chinchilla_loss", "compute_optimal_allocation",
    "compute_optimal_loss_exponent", "compute_to_reach",
    "data_constrained_loss", "effective_data", "effective_parameters", "kaplan_loss_from_compute",
    "kaplan_loss_from_data", "kaplan_loss_from_parameters", "kaplan_loss_from_parameters_and_data",
    "tokens_per_parameter", "training_compute", "unlearned_fraction", "zipf_frequencies",
]

import numpy as np

from scaling_course.validation import (
    check_attributes,
    check_positive_array,
    check_positive_int,
    check_positive_number,
    check_positive_or_infinite,
)

from .reference import (
    CHINCHILLA_EQ10,
    FLOPS_PER_PARAMETER_TOKEN,
    KAPLAN,
    MUENNIGHOFF,
    DataConstrainedLaw,
    ParametricLaw,
)


def check_law(law, name: str = "law", extra: tuple[str, ...] = ()):
    """``law`` if it holds the constants E, A, B, alpha and beta (and ``extra``) as numbers, else a TypeError:
    a published law from :mod:`scaling_course.science.reference` or a fit of one.

    >>> check_law(CHINCHILLA_EQ10).alpha
    0.34
    """
    return check_attributes(law, name, ("E", "A", "B", "alpha", "beta") + extra,
                            "a law with E, A, B, alpha and beta" + "".join(f", {e}" for e in extra)
                            + " (from reference, or your own fit)")


def _check_constants(**constants) -> None:
    for name, value in constants.items():
        check_positive_number(value, name)


def _check_broadcast(**arrays: np.ndarray) -> None:
    try:
        np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        names = " and ".join(arrays)
        shapes = ", ".join(f"{name} {a.shape}" for name, a in arrays.items())
        raise ValueError(f"{names} must have one value per run (or one for all runs), got shapes {shapes}") from None


def _scalar_or_array(array: np.ndarray):
    return float(array) if np.ndim(array) == 0 else array


# --- Kaplan et al. 2020, arXiv:2001.08361 ----------------------------------------------------

def training_compute(n_params: float, n_tokens: float) -> float:
    """Training compute C ≈ 6·N·D in FLOPs (Kaplan et al. 2020, §2.1: a forward pass costs about 2N
    FLOPs per token and the backward pass twice that).

    >>> f"{training_compute(175e9, 300e9):.3g}"   # GPT-3; Brown et al. report 3.14e23
    '3.15e+23'
    """
    n_params = check_positive_number(n_params, "n_params")
    n_tokens = check_positive_number(n_tokens, "n_tokens")
    return FLOPS_PER_PARAMETER_TOKEN * n_params * n_tokens



def tokens_per_parameter(n_params: float, n_tokens: float) -> float:
    """Training tokens per parameter, D / N.

    >>> tokens_per_parameter(70e9, 1.4e12)    # Chinchilla (Hoffmann et al. 2022)
    20.0
    """
    return check_positive_number(n_tokens, "n_tokens") / check_positive_number(n_params, "n_params")



def kaplan_loss_from_parameters(N, alpha_N: float = KAPLAN.alpha_N, N_c: float = KAPLAN.N_c):
    """L(N) = (N_c/N)^α_N: loss of a model with N non-embedding parameters trained to convergence
    on ample data (Kaplan et al. 2020, eq. 1.1; α_N ≈ 0.076, N_c ≈ 8.8e13).

    >>> round(kaplan_loss_from_parameters(1e9), 4)
    2.3756
    """
    _check_constants(alpha_N=alpha_N, N_c=N_c)
    return _scalar_or_array((N_c / check_positive_array(N, "N")) ** alpha_N)


def kaplan_loss_from_data(D, alpha_D: float = KAPLAN.alpha_D, D_c: float = KAPLAN.D_c):
    """L(D) = (D_c/D)^α_D: loss of a large model trained on D tokens with early stopping
    (Kaplan et al. 2020, eq. 1.2; α_D ≈ 0.095, D_c ≈ 5.4e13).

    >>> round(kaplan_loss_from_data(1e10), 4)
    2.2624
    """
    _check_constants(alpha_D=alpha_D, D_c=D_c)
    return _scalar_or_array((D_c / check_positive_array(D, "D")) ** alpha_D)


def kaplan_loss_from_compute(C_min_pf_days, alpha_C_min: float = KAPLAN.alpha_C_min,
                             C_c_min: float = KAPLAN.C_c_min):
    """L(C_min) = (C_c^min/C_min)^α_C^min: loss for C_min PF-days spent compute-optimally
    (Kaplan et al. 2020, eq. 1.3; α ≈ 0.050, C_c^min ≈ 3.1e8 PF-days). One PF-day is 8.64e19 FLOPs.

    >>> round(kaplan_loss_from_compute(1.0), 4)
    2.6581
    """
    _check_constants(alpha_C_min=alpha_C_min, C_c_min=C_c_min)
    return _scalar_or_array((C_c_min / check_positive_array(C_min_pf_days, "C_min_pf_days")) ** alpha_C_min)


def kaplan_loss_from_parameters_and_data(N, D, alpha_N: float = KAPLAN.joint_alpha_N,
                                         alpha_D: float = KAPLAN.joint_alpha_D,
                                         N_c: float = KAPLAN.joint_N_c, D_c: float = KAPLAN.joint_D_c):
    """L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D (Kaplan et al. 2020, eq. 1.5, Table 2 fit:
    α_N = 0.076, α_D = 0.103, N_c = 6.4e13, D_c = 1.8e13). Unlike Chinchilla's law it has no
    irreducible term: the loss goes to zero with infinite N and D.

    >>> round(kaplan_loss_from_parameters_and_data(1e9, 1e10), 4)
    2.4197
    """
    N, D = check_positive_array(N, "N"), check_positive_array(D, "D")
    _check_constants(alpha_N=alpha_N, alpha_D=alpha_D, N_c=N_c, D_c=D_c)
    return _scalar_or_array(((N_c / N) ** (alpha_N / alpha_D) + D_c / D) ** alpha_D)


# --- Hoffmann et al. 2022 (Chinchilla), arXiv:2203.15556 --------------------------------------

def chinchilla_loss(N, D, law: ParametricLaw = CHINCHILLA_EQ10):
    """L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, eq. 2), for N parameters and D tokens.

    ``law`` is anything with attributes ``E, A, B, alpha, beta``: a published law from
    :mod:`scaling_course.science.reference` or your own fit.

    >>> round(chinchilla_loss(70e9, 1.4e12), 4)     # Chinchilla under eq. 10
    1.9366
    """
    N, D = check_positive_array(N, "N"), check_positive_array(D, "D")
    check_law(law)
    _check_broadcast(N=N, D=D)
    return _scalar_or_array(law.E + law.A / N ** law.alpha + law.B / D ** law.beta)


def allocation_exponents(law: ParametricLaw = CHINCHILLA_EQ10) -> tuple[float, float]:
    """(a, b) with N_opt ∝ C^a and D_opt ∝ C^b: a = β/(α+β), b = α/(α+β) (Hoffmann et al. 2022, eq. 4).

    >>> [round(x, 4) for x in allocation_exponents()]      # rounded eq. 10 gives 0.4516, not 0.46
    [0.4516, 0.5484]
    """
    check_law(law)
    total = law.alpha + law.beta
    return law.beta / total, law.alpha / total


def compute_optimal_allocation(C, law: ParametricLaw = CHINCHILLA_EQ10,
                               flops_per_parameter_token: float = FLOPS_PER_PARAMETER_TOKEN):
    """(N_opt, D_opt) minimising L(N, D) subject to C = 6·N·D (Hoffmann et al. 2022, eq. 4):

        N_opt = G·(C/6)^a,  D_opt = G⁻¹·(C/6)^b,  G = (αA/(βB))^(1/(α+β)),  a = β/(α+β),  b = α/(α+β).

    >>> n, d = compute_optimal_allocation(5.88e23)
    >>> f"{n:.3g} {d:.3g}"
    '3.25e+10 3.02e+12'
    """
    C = check_positive_array(C, "C")
    check_positive_number(flops_per_parameter_token, "flops_per_parameter_token")
    a, b = allocation_exponents(law)
    G = (law.alpha * law.A / (law.beta * law.B)) ** (1.0 / (law.alpha + law.beta))
    per_token = C / flops_per_parameter_token
    return _scalar_or_array(G * per_token ** a), _scalar_or_array(per_token ** b / G)


def compute_optimal_loss_exponent(law: ParametricLaw = CHINCHILLA_EQ10) -> float:
    """γ in L_opt(C) = E + K·(C/6)^−γ, the loss of the compute-optimal model: γ = αβ/(α+β).

    Substituting the allocation of :func:`compute_optimal_allocation` into L(N, D) gives this power law in C, so
    halving the reducible loss L − E takes 2^(1/γ) times the compute.

    >>> round(2 ** (1 / compute_optimal_loss_exponent()))      # eq. 10: each halving costs about 91x
    91
    """
    check_law(law)
    return law.alpha * law.beta / (law.alpha + law.beta)


def compute_to_reach(target_loss, law: ParametricLaw = CHINCHILLA_EQ10,
                     flops_per_parameter_token: float = FLOPS_PER_PARAMETER_TOKEN):
    """The least training compute C (FLOPs) whose compute-optimal model reaches ``target_loss`` under ``law``:

        C*(L*) = 6·(K / (L* − E))^(1/γ),  K = A·G^−α + B·G^β,  γ = αβ/(α+β),  G = (αA/(βB))^(1/(α+β)),

    from L_opt(C) = E + K·(C/6)^−γ (:func:`compute_optimal_loss_exponent`). A target at or below E is never
    reached: the answer is infinite.

    >>> f"{compute_to_reach(1.9):.3g}"                         # eq. 10: a loss of 1.9 needs about 1.4e24 FLOPs
    '1.4e+24'
    """
    target = np.asarray(check_positive_array(target_loss, "target_loss"), dtype=float)
    check_positive_number(flops_per_parameter_token, "flops_per_parameter_token")
    check_law(law)
    gamma = compute_optimal_loss_exponent(law)
    G = (law.alpha * law.A / (law.beta * law.B)) ** (1.0 / (law.alpha + law.beta))
    K = law.A * G ** -law.alpha + law.B * G ** law.beta
    reducible = target - law.E
    with np.errstate(divide="ignore"):
        C = np.where(reducible > 0, flops_per_parameter_token * (K / np.where(reducible > 0, reducible, 1.0))
                     ** (1.0 / gamma), np.inf)
    return _scalar_or_array(C)


# --- Muennighoff et al. 2023, arXiv:2305.16264 -------------------------------------------------

def effective_data(D, unique_tokens, R_D_star: float = MUENNIGHOFF.R_D_star):
    """D' = U_D + U_D·R_D*·(1 − exp(−R_D/R_D*)), with U_D = min(U, D) unique tokens and
    R_D = D/U_D − 1 repetitions (Muennighoff et al. 2023, eq. 5; R_D* ≈ 15.4).

    The first few epochs count almost fully; D' never exceeds (1 + R_D*)·U_D.

    >>> round(effective_data(4e9, 1e9) / 4e9, 3)      # 4 epochs: a repeated token is worth 93%
    0.931
    """
    D, U = check_positive_array(D, "D"), check_positive_array(unique_tokens, "unique_tokens")
    check_positive_or_infinite(R_D_star, "R_D_star")
    unique = np.minimum(U, D)
    repeats = D / unique - 1.0
    return _scalar_or_array(unique + unique * R_D_star * (1.0 - np.exp(-repeats / R_D_star)))


def effective_parameters(N, unique_parameters, R_N_star: float = MUENNIGHOFF.R_N_star):
    """N' = U_N + U_N·R_N*·(1 − exp(−R_N/R_N*)), with R_N = N/U_N − 1 the excess of N over the
    useful size U_N (Muennighoff et al. 2023, eq. 6; R_N* ≈ 5.3): oversized models lose value faster
    than repeated data.

    >>> round(effective_parameters(2e9, 1e9) / 1e9, 3)     # twice the useful size: worth 1.91×
    1.911
    """
    N, U_N = check_positive_array(N, "N"), check_positive_array(unique_parameters, "unique_parameters")
    check_positive_or_infinite(R_N_star, "R_N_star")
    useful = np.minimum(U_N, N)
    excess = N / useful - 1.0
    return _scalar_or_array(useful + useful * R_N_star * (1.0 - np.exp(-excess / R_N_star)))


def data_constrained_loss(N, D, unique_tokens, law: DataConstrainedLaw = MUENNIGHOFF):
    """L = E + A/N'^α + B/D'^β for N parameters trained on D tokens drawn from U unique ones
    (Muennighoff et al. 2023, section 3.1).

    D' is :func:`effective_data`. N' is :func:`effective_parameters` with U_N = min(N, the
    compute-optimal size for U_D tokens), that size coming from inverting eq. 4 of Hoffmann et
    al.: N = G·(G·D)^(β/α), as in the huggingface/datablations README.

    >>> round(data_constrained_loss(6.34e9, 242e9, 25e9), 10)
    2.225644089
    """
    N, D, U = check_positive_array(N, "N"), check_positive_array(D, "D"), check_positive_array(unique_tokens, "unique_tokens")
    check_law(law, extra=("R_D_star", "R_N_star"))
    return _scalar_or_array(data_constrained_loss_unchecked(N, D, U, law))


def data_constrained_loss_unchecked(N: np.ndarray, D: np.ndarray, unique_tokens: np.ndarray,
                                    law: DataConstrainedLaw) -> np.ndarray:
    """:func:`data_constrained_loss` without input checks, for optimisers that may step anywhere.

    >>> round(float(data_constrained_loss_unchecked(6.34e9, 242e9, 25e9, MUENNIGHOFF)), 6)
    2.225644
    """
    unique_data = np.minimum(unique_tokens, D)
    # numpy powers, so that a nonsensical trial law gives nan rather than Python's complex numbers
    G = np.float64(law.alpha * law.A / (law.beta * law.B)) ** (1.0 / (law.alpha + law.beta))
    optimal_size_for_unique_data = G * (G * unique_data) ** (law.beta / law.alpha)
    useful_size = np.minimum(N, optimal_size_for_unique_data)
    N_eff = useful_size * (1.0 + law.R_N_star * (1.0 - np.exp(-(N / useful_size - 1.0) / law.R_N_star)))
    D_eff = unique_data * (1.0 + law.R_D_star * (1.0 - np.exp(-(D / unique_data - 1.0) / law.R_D_star)))
    return law.E + law.A / N_eff ** law.alpha + law.B / D_eff ** law.beta


# --- Caballero et al. 2022, arXiv:2210.14891 ---------------------------------------------------

def broken_power_law(x, a: float, b: float, c0: float, c=(), d=(), f=()):
    """y = a + b·x^(−c₀)·∏ᵢ (1 + (x/dᵢ)^(1/fᵢ))^(−cᵢ·fᵢ): the broken neural scaling law
    (Caballero et al. 2022, eq. 1).

    a is the limit as x → ∞, b the scale, c₀ the initial log-log slope; break i changes the slope
    by cᵢ around x = dᵢ with sharpness fᵢ (smaller is sharper). After the last break the slope is
    −(c₀ + Σcᵢ). With no breaks it is the plain power law a + b·x^(−c₀).

    >>> round(broken_power_law(1e7, a=1e-3, b=4.66e3, c0=0.05, c=(0.49, -0.811, 2.1),
    ...                        d=(3e6, 1e14, 2e20), f=(1.1, 1.425, 0.05)), 3)
    987.643
    """
    x = check_positive_array(x, "x")
    c, d, f = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (c, d, f))
    if not len(c) == len(d) == len(f):
        raise ValueError(f"c, d and f must have one value per break each, got {len(c)} c, {len(d)} d and {len(f)} f")
    if np.any(d <= 0) or np.any(f <= 0):
        raise ValueError(f"d (break positions) and f (sharpnesses) must be positive, got d={d}, f={f}")
    return _scalar_or_array(broken_power_law_unchecked(x, a, b, c0, c, d, f))


def broken_power_law_unchecked(x: np.ndarray, a, b, c0, c, d, f) -> np.ndarray:
    """:func:`broken_power_law` without input checks, for optimisers that may step anywhere.

    >>> float(broken_power_law_unchecked(100.0, 1.0, 10.0, 0.5, (), (), ()))
    2.0
    """
    y = b * x ** (-c0)
    for c_i, d_i, f_i in zip(c, d, f):
        y = y * (1.0 + (x / d_i) ** (1.0 / f_i)) ** (-c_i * f_i)
    return a + y


# --- Michaud, Liu, Girit & Tegmark 2023, arXiv:2303.13506 ------------------------------------

def zipf_frequencies(n_subtasks: int, alpha: float) -> np.ndarray:
    """p_i ∝ i^-(α+1), i = 1..n_subtasks, normalised to sum to 1: how often each subtask
    ("quantum") is used in the quantization model.

    >>> zipf_frequencies(3, 1.0).round(3)     # ∝ 1, 1/4, 1/9
    array([0.735, 0.184, 0.082])
    """
    n_subtasks, alpha = check_positive_int(n_subtasks, "n_subtasks"), check_positive_number(alpha, "alpha")
    p = np.arange(1, n_subtasks + 1, dtype=float) ** -(alpha + 1)
    return p / p.sum()


def unlearned_fraction(n_learned, n_subtasks: int, alpha: float):
    """Σ_{i>n} p_i: the fraction of examples a model still fails on once it has learned the
    ``n_learned`` most frequent of ``n_subtasks`` Zipf-distributed subtasks (Michaud et al. 2023).
    It falls as n^-α once n is large, and is interpolated linearly between whole numbers.

    >>> float(unlearned_fraction(0, 64, 0.4))
    1.0
    >>> round(float(unlearned_fraction(32, 64, 0.4)), 4)
    0.0566
    """
    learned = np.asarray(n_learned, dtype=float)
    if np.any(np.isnan(learned)) or np.any(learned < 0):
        raise ValueError(f"n_learned must be >= 0, got {n_learned!r}")
    tail = np.concatenate([[1.0], 1.0 - np.cumsum(zipf_frequencies(n_subtasks, alpha))])   # tail[n] = Σ_{i>n} p_i
    return _scalar_or_array(np.interp(n_learned, np.arange(n_subtasks + 1), np.clip(tail, 0.0, 1.0)))

