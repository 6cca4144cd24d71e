"""Published figures the course quotes, each with its source: one place for all of them.

Every number here comes from the paper, model card or the authors' own code named beside it.
Where a paper reports a FLOP count we keep it; ``6 N D`` (Kaplan et al. 2020, C ≈ 6ND) is
computed, never stored, so the two can be compared.
"""

from __future__ import annotations

__all__ = [
    "BNSL_FIGURE_1", "CHINCHILLA_EQ10", "CHINCHILLA_EQ10_UNROUNDED", "CHINCHILLA_HUBER_DELTA", "CHINCHILLA_TABLE_2",
    "CHINCHILLA_TABLE_3", "CHINCHILLA_TOKENS_PER_PARAMETER", "DATA_LIMITS", "EMERGENCE", "IN_CONTEXT",
    "TRAINING_COSTS", "TRAINING_COST_GROWTH", "EPOCH_ALLOCATION_EXPONENT",
    "EPOCH_ALLOCATION_EXPONENT_SD", "EPOCH_GRID_FIT", "EPOCH_REFIT", "EPOCH_REFIT_95_INTERVALS",
    "EPOCH_REFIT_STANDARD_ERRORS", "FAMOUS_MODELS", "FLOPS_PER_PARAMETER_TOKEN", "KAPLAN", "MUENNIGHOFF",
    "PF_DAY_FLOPS", "AllocationEstimate", "ComputeOptimalProjection", "DataConstrainedLaw", "FamousModel",
    "KaplanConstants", "TrainingCost", "ParametricLaw", "famous_model", "famous_models", "format_famous_models", "near_chinchilla",
]

import math
from dataclasses import dataclass

from scaling_course.validation import (
    check_choice,
    check_instance,
    check_list_of,
    check_number,
    check_positive_number,
    check_positive_or_infinite,
)

#: Tokens per parameter of a compute-optimal model, read off Hoffmann et al. (2022) Table 3,
#: where D/N runs from 20.0 to 21.6, and off Chinchilla itself: 1.4T tokens / 70B parameters = 20.
#: The paper never states it as a rule.
CHINCHILLA_TOKENS_PER_PARAMETER = 20.0

#: Kaplan et al. (2020), arXiv:2001.08361, section 2.1: training compute C ≈ 6 N D FLOPs
#: (2N per token forward, about twice that backward).
FLOPS_PER_PARAMETER_TOKEN = 6.0


@dataclass(frozen=True)
class FamousModel:
    """A published language model: size, training data and (if reported) training compute."""

    name: str
    n_params: float                    # total parameters N
    n_tokens: float                    # training tokens D
    reported_flops: float | None       # training FLOPs as published, None where not reported
    year: int
    source: str                        # where N, D (and the FLOPs) were published

    @property
    def tokens_per_parameter(self) -> float:
        return self.n_tokens / self.n_params


FAMOUS_MODELS: tuple[FamousModel, ...] = (
    FamousModel("GPT-3", 175e9, 300e9, 3.14e23, 2020,
                "Brown et al. 2020, arXiv:2005.14165, Table 2.1 and Table D.1"),
    FamousModel("Gopher", 280e9, 300e9, 6.31e23, 2021,
                "Rae et al. 2021, arXiv:2112.11446 (FLOPs include rematerialisation); "
                "Hoffmann et al. 2022 quote 5.76e23"),
    FamousModel("Chinchilla", 70e9, 1.4e12, 5.76e23, 2022,
                "Hoffmann et al. 2022, arXiv:2203.15556, Tables 1 and 3 (same budget as Gopher)"),
    FamousModel("PaLM", 540e9, 780e9, 2.527e24, 2022,
                "Chowdhery et al. 2022, arXiv:2204.02311, compute table"),
    FamousModel("LLaMA-65B", 65.2e9, 1.4e12, None, 2023,
                "Touvron et al. 2023, arXiv:2302.13971, Table 2; LLaMA model card"),
    FamousModel("Llama 2 70B", 70e9, 2.0e12, None, 2023,
                "Touvron et al. 2023, arXiv:2307.09288; Llama 2 model card (2 trillion tokens)"),
    FamousModel("Llama 3 8B", 8e9, 15e12, None, 2024,
                "Meta Llama 3 model card ('over 15T tokens'; 15T used here)"),
    FamousModel("Llama 3 70B", 70e9, 15e12, None, 2024,
                "Meta Llama 3 model card ('over 15T tokens'; 15T used here)"),
    FamousModel("Llama 3.1 405B", 405e9, 15.6e12, 3.8e25, 2024,
                "Llama 3 Herd of Models, arXiv:2407.21783, section 3"),
)


def famous_models() -> list[FamousModel]:
    """The famous-models table (a fresh list, safe to modify).

    >>> [m.name for m in famous_models()][:3]
    ['GPT-3', 'Gopher', 'Chinchilla']
    """
    return list(FAMOUS_MODELS)


def famous_model(name: str) -> FamousModel:
    """Look up one famous model by name (case-insensitive)."""
    by_name = {model.name.lower(): model for model in FAMOUS_MODELS}
    if str(name).lower() not in by_name:
        check_choice(name, "name", [m.name for m in FAMOUS_MODELS])
    return by_name[str(name).lower()]


def format_famous_models(models=None) -> str:
    """The famous-models table as aligned text, with 6ND beside the reported FLOPs."""
    models = famous_models() if models is None else check_list_of(models, "models", FamousModel,
                                                                  "FamousModel (e.g. famous_models())")
    header = f"{'model':<15} {'params N':>9} {'tokens D':>9} {'D/N':>7} {'6ND':>9} {'reported':>9}  source"
    lines = [header, "-" * len(header)]
    for m in models:
        six_nd = FLOPS_PER_PARAMETER_TOKEN * m.n_params * m.n_tokens
        reported = f"{m.reported_flops:9.2e}" if m.reported_flops else f"{'-':>9}"
        lines.append(f"{m.name:<15} {m.n_params:9.3g} {m.n_tokens:9.3g} {m.tokens_per_parameter:7.1f} "
                     f"{six_nd:9.2e} {reported}  {m.source}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Scaling-law constants, each with the paper (and where possible the authors' own code) it comes
# from. The formulas that use them live in scaling_course.science.laws.
# ---------------------------------------------------------------------------------------------

#: One petaflop/s-day, Kaplan et al.'s unit of compute: 10¹⁵ FLOP/s × 86,400 s.
PF_DAY_FLOPS = 1e15 * 86_400


@dataclass(frozen=True)
class KaplanConstants:
    """Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361.

    N counts non-embedding parameters, D tokens, C_min compute in PF-days; loss in nats per token
    on WebText2. The scales N_c, D_c, C_c depend on the vocabulary and tokenisation "and hence do
    not have a fundamental meaning" (Kaplan et al.).
    """

    alpha_N: float = 0.076          # L(N) = (N_c/N)^α_N, eq. 1.1
    N_c: float = 8.8e13             # non-embedding parameters, eq. 1.1
    alpha_D: float = 0.095          # L(D) = (D_c/D)^α_D, eq. 1.2
    D_c: float = 5.4e13             # tokens, eq. 1.2
    alpha_C_min: float = 0.050      # L(C_min) = (C_c^min/C_min)^α_C^min, eq. 1.3
    C_c_min: float = 3.1e8          # PF-days, eq. 1.3
    alpha_C: float = 0.057          # L(C) at fixed batch size, figure 1
    C_c: float = 1.6e7              # PF-days, figure 1
    alpha_B: float = 0.21           # critical batch B_crit(L) = B_*/L^(1/α_B), eq. 1.4
    B_star: float = 2e8             # tokens, eq. 1.4
    # the joint law L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D, eq. 1.5, fitted in Table 2
    joint_alpha_N: float = 0.076
    joint_alpha_D: float = 0.103
    joint_N_c: float = 6.4e13
    joint_D_c: float = 1.8e13
    # empirical compute-optimal allocation (eqs. 1.7-1.8): N_opt ∝ C_min^0.73, D ∝ C_min^0.27
    optimal_N_exponent: float = 0.73
    optimal_D_exponent: float = 0.27
    optimal_N_prefactor: float = 1.3e9   # N_opt = 1.3e9 · C_min^0.73 with C_min in PF-days, figure 14
    source: str = "Kaplan et al. 2020, arXiv:2001.08361: eqs. 1.1-1.8, Table 2, figures 1 and 14"


KAPLAN = KaplanConstants()


def _check_law_constants(law) -> None:
    check_number(law.E, "E", minimum=0)
    for name in ("A", "B", "alpha", "beta"):
        check_positive_number(getattr(law, name), name)
    check_instance(law.source, "source", str, "text naming where the constants come from")


@dataclass(frozen=True)
class ParametricLaw:
    """Constants of the parametric loss L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, eq. 2).

    N counts all parameters (embeddings included) and D training tokens. Evaluate it with
    ``scaling_course.science.laws.chinchilla_loss(N, D, law)``.
    """

    E: float          # irreducible loss: the entropy of text, reached only by an infinite model
    A: float          # scale of the finite-model term A/N^α
    B: float          # scale of the finite-data term B/D^β
    alpha: float      # how fast loss falls with parameters
    beta: float       # how fast loss falls with tokens
    source: str

    def __post_init__(self):
        _check_law_constants(self)


#: Hoffmann et al. 2022, arXiv:2203.15556, eq. 10 as printed (rounded).
CHINCHILLA_EQ10 = ParametricLaw(
    E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28,
    source="Hoffmann et al. 2022, arXiv:2203.15556, eq. 10 (rounded, as printed)")

#: The same fit unrounded, from the paper's TeX source as used in Epoch AI's notebook (`true_params`).
#: Rounding matters: the allocation exponent a is 0.4565 here but 0.4516 with the rounded values.
CHINCHILLA_EQ10_UNROUNDED = ParametricLaw(
    E=1.6934, A=406.40, B=410.72, alpha=0.33917, beta=0.28491,
    source="Hoffmann et al. 2022, arXiv:2203.15556, eq. 10 unrounded (TeX source), via Besiroglu et al. "
           "2024, arXiv:2404.10102, epoch-research/analyzing-chinchilla data_analysis.ipynb `true_params`")

#: Epoch AI's headline refit (Huber likelihood with a free scale) of data extracted from Chinchilla's Fig. 4.
EPOCH_REFIT = ParametricLaw(
    E=1.81686, A=482.00572, B=2085.43420, alpha=0.34781, beta=0.36585,
    source="Besiroglu et al. 2024, arXiv:2404.10102, data_analysis.ipynb (likelihood fit, 240 points)")

#: Epoch AI's plain refit the Chinchilla way: Σ Huber, L-BFGS-B from Hoffmann's 4500-start grid.
EPOCH_GRID_FIT = ParametricLaw(
    E=1.81724, A=477.84, B=2143.86, alpha=0.34731, beta=0.36718,
    source="Besiroglu et al. 2024, arXiv:2404.10102, data_analysis.ipynb (grid fit, objective 0.0010182740)")

#: Epoch AI's bootstrap (4000 resamples): standard errors and 95% intervals of their headline refit.
EPOCH_REFIT_STANDARD_ERRORS = {"A": 124.52, "B": 1293.28, "E": 0.0257, "alpha": 0.0154, "beta": 0.0206}
EPOCH_REFIT_95_INTERVALS = {"A": (285.21, 743.63), "B": (1042.36, 5810.34), "E": (1.769, 1.871),
                            "alpha": (0.317, 0.373), "beta": (0.331, 0.415)}
#: Epoch's allocation exponent a = β/(α+β) and its bootstrap standard deviation.
EPOCH_ALLOCATION_EXPONENT = 0.513
EPOCH_ALLOCATION_EXPONENT_SD = 0.020

#: Hoffmann et al. 2022, arXiv:2203.15556, eq. 3: the Huber threshold on log residuals.
CHINCHILLA_HUBER_DELTA = 1e-3


@dataclass(frozen=True)
class AllocationEstimate:
    """One row of Hoffmann et al. 2022, Table 2: N_opt ∝ C^a and D_opt ∝ C^b."""

    approach: str
    a: float                                   # exponent of N_opt
    a_range: tuple[float, float] | None        # 10th-90th bootstrap percentiles, where published
    b: float                                   # exponent of D_opt
    b_range: tuple[float, float] | None
    source: str


_TABLE_2 = "Hoffmann et al. 2022, arXiv:2203.15556, Table 2"
CHINCHILLA_TABLE_2: tuple[AllocationEstimate, ...] = (
    AllocationEstimate("1. Minimum over training curves", 0.50, (0.488, 0.502), 0.50, (0.501, 0.512), _TABLE_2),
    AllocationEstimate("2. IsoFLOP profiles", 0.49, (0.462, 0.534), 0.51, (0.483, 0.529), _TABLE_2),
    AllocationEstimate("3. Parametric modelling of the loss", 0.46, (0.454, 0.455), 0.54, (0.542, 0.543),
                       _TABLE_2),
    AllocationEstimate("Kaplan et al. (2020)", 0.73, None, 0.27, None, _TABLE_2),
)


@dataclass(frozen=True)
class ComputeOptimalProjection:
    """One row of Hoffmann et al. 2022, Table 3 (projections from Approach 1)."""

    n_params: float       # model size N
    flops: float          # training compute C
    n_tokens: float       # compute-optimal tokens D

    @property
    def tokens_per_parameter(self) -> float:
        return self.n_tokens / self.n_params


#: Hoffmann et al. 2022, arXiv:2203.15556, Table 3: compute-optimal size and tokens per budget.
CHINCHILLA_TABLE_3: tuple[ComputeOptimalProjection, ...] = (
    ComputeOptimalProjection(400e6, 1.92e19, 8.0e9),
    ComputeOptimalProjection(1e9, 1.21e20, 20.2e9),
    ComputeOptimalProjection(10e9, 1.23e22, 205.1e9),
    ComputeOptimalProjection(67e9, 5.76e23, 1.5e12),
    ComputeOptimalProjection(175e9, 3.85e24, 3.7e12),
    ComputeOptimalProjection(280e9, 9.90e24, 5.9e12),
    ComputeOptimalProjection(520e9, 3.43e25, 11.0e12),
    ComputeOptimalProjection(1e12, 1.27e26, 21.2e12),
    ComputeOptimalProjection(10e12, 1.30e28, 216.2e12),
)


@dataclass(frozen=True)
class DataConstrainedLaw:
    """Constants of Muennighoff et al.'s data-constrained law: Chinchilla's form in N' and D'."""

    E: float
    A: float
    B: float
    alpha: float
    beta: float
    R_D_star: float     # decay constant: after R_D* repetitions a further repeated token is worth 1/e of a fresh one
    R_N_star: float     # the same decay constant for parameters beyond the compute-optimal size
    source: str

    def __post_init__(self):
        _check_law_constants(self)
        check_positive_or_infinite(self.R_D_star, "R_D_star")
        check_positive_or_infinite(self.R_N_star, "R_N_star")


#: Muennighoff et al. 2023, arXiv:2305.16264. The README publishes log-space values a, b, e;
#: A = e^a, B = e^b, E = e^e are kept unrounded so the README's check values come out exactly.
MUENNIGHOFF = DataConstrainedLaw(
    E=math.exp(0.6254804), A=math.exp(6.255414), B=math.exp(7.3049974),
    alpha=0.3526596, beta=0.3526596, R_D_star=15.387756, R_N_star=5.309743,
    source="Muennighoff et al. 2023, arXiv:2305.16264; huggingface/datablations README, parametric fit")

#: Caballero et al. 2022 (arXiv:2210.14891): the parameters of their repository's figure 1, a
#: broken power law with three breaks (ethancaballero/broken_neural_scaling_laws).
BNSL_FIGURE_1 = {"a": 1e-3, "b": 4.66e3, "c0": 0.05, "c": (0.49, -0.811, 2.1),
                 "d": (3e6, 1e14, 2e20), "f": (1.1, 1.425, 0.05)}


def near_chinchilla(models: list[FamousModel], factor: float = 2.0) -> list[str]:
    """Names of the models whose D/N lies within ``factor`` of Chinchilla's ~20 tokens per parameter."""
    factor = check_number(factor, "factor (a band around 20 tokens per parameter)", minimum=1)
    low, high = CHINCHILLA_TOKENS_PER_PARAMETER / factor, CHINCHILLA_TOKENS_PER_PARAMETER * factor
    models = check_list_of(models, "models", FamousModel, "FamousModel (e.g. famous_models())")
    return [m.name for m in models if low <= m.n_tokens / m.n_params <= high]


# --- lesson 07: what scale costs, and what else there is -----------------------------------------


@dataclass(frozen=True)
class TrainingCost:
    """What training one famous model took, as its authors accounted for it.

    Time on the accelerators follows from the FLOPs: hours = FLOPs / (peak FLOP/s × utilisation) / 3600 per chip;
    energy = chip-hours × watts × PUE (the datacentre's overhead); CO₂e = energy × the grid's carbon intensity.
    ``marks`` says which inputs are not read in the primary source: "S" seen only in a secondary source,
    "D" derived by arithmetic from published inputs.
    """

    name: str
    flops: float                    # training FLOPs
    accelerator: str
    peak_flops_per_second: float    # the accelerator's peak dense 16-bit matmul rate
    utilisation: float              # model FLOPs utilisation reported for the run
    watts: float                    # power per accelerator in the authors' accounting
    pue: float                      # power usage effectiveness of the datacentre (1.0: already included)
    accelerator_hours: float        # as published, or derived from published chip counts and hours
    energy_mwh: float               # as published, or derived
    co2e_tonnes: float              # as published
    amortized_cost_usd: float       # hardware and energy for the final run (Epoch AI's training-cost data)
    marks: dict                     # input name -> "S" or "D" where not read in the primary source
    source: str

    @property
    def grid_kg_per_kwh(self) -> float:
        """The carbon intensity the published figures imply (kg CO₂e per kWh)."""
        return self.co2e_tonnes / self.energy_mwh


_EPOCH_COSTS = ("amortized cost: Epoch AI's training-cost-trends repository, model_costs.csv, column "
                "Hardware_Capex_Energy_Cost (a later snapshot than Cottier et al. 2024, arXiv:2405.21015)")

#: Four famous training runs, each with its authors' own accounting (Patterson et al. 2021 for GPT-3).
TRAINING_COSTS: tuple[TrainingCost, ...] = (
    TrainingCost("GPT-3 175B", 3.14e23, "V100", 125e12, 0.197, 330.0, 1.10, 3.552e6, 1287.0, 552.1, 2.20e6,
                 {"utilisation": "D", "accelerator_hours": "D"},
                 "Patterson et al. 2021, arXiv:2104.10350, Table 4 (10,000 V100 for 14.8 days, measured 330 W, "
                 "24.6 TFLOP/s per V100 = 19.7% of 125; PUE 1.10; 1,287 MWh; 552.1 tCO2e); " + _EPOCH_COSTS),
    TrainingCost("PaLM 540B", 2.56e24, "TPU v4", 275e12, 0.462, 378.5, 1.08, 8.405e6, 3436.0, 271.43, 2.86e6,
                 {"accelerator_hours": "D", "energy_mwh": "D"},
                 "Chowdhery et al. 2022, arXiv:2204.02311, section 4.1, appendix B and Table 22 (6,144 chips for "
                 "1,200 h and 3,072 for 336 h, 378.5 W, PUE 1.08, MFU 46.2%, 271.43 tCO2e); " + _EPOCH_COSTS),
    TrainingCost("LLaMA-65B", 6 * 65.2e9 * 1.4e12, "A100", 312e12, 0.476, 400.0, 1.1, 1.022362e6, 449.0, 173.0,
                 0.58e6, {"flops": "D", "utilisation": "D"},
                 "Touvron et al. 2023, arXiv:2302.13971, Table 15 and section 6 (1,022,362 GPU-hours, 449 MWh, "
                 "173 tCO2e at the US average 0.385 kg/kWh and PUE 1.1; FLOPs = 6ND; utilisation from 380 "
                 "tokens/s/GPU); " + _EPOCH_COSTS),
    TrainingCost("Llama 3.1 405B", 3.8e25, "H100", 989.4e12, 0.41, 700.0, 1.0, 30.84e6, 21588.0, 8930.0, 51.0e6,
                 {"peak_flops_per_second": "S", "energy_mwh": "D"},
                 "Llama 3.1 model card (30.84M GPU-hours at 700 W, 8,930 tCO2e location-based) and Llama Team 2024, "
                 "arXiv:2407.21783, sections 1 and 3.3.2 (3.8e25 FLOPs, MFU 38-43%); H100 peak from NVIDIA's "
                 "Hopper whitepaper as quoted secondhand; " + _EPOCH_COSTS),
)

#: Cottier et al. 2024, arXiv:2405.21015, abstract: the amortized cost of the most compute-intensive training runs
#: grew 2.4x a year since 2016 (95% interval 2.0x to 3.1x in the first version).
TRAINING_COST_GROWTH = {"per_year": 2.4, "interval": (2.0, 3.1),
                        "source": "Cottier et al. 2024, arXiv:2405.21015, abstract (v1)"}

#: Schaeffer, Miranda & Koyejo 2023, arXiv:2304.15004 ("Are Emergent Abilities of Large Language Models a Mirage?")
#: and Wei et al. 2022, arXiv:2206.07682.
EMERGENCE = {
    "share_under_two_metrics": 0.92,     # "> 92%" of emergent abilities on BIG-Bench appear under 2 metrics
    "two_metrics": ("Multiple Choice Grade", "Exact String Match"),
    "metrics_showing_emergence": (5, 39),   # at most 5 of the 39 preferred BIG-Bench metrics
    "source": "Schaeffer et al. 2023, arXiv:2304.15004, sections 1 and 4; Wei et al. 2022, arXiv:2206.07682",
}

#: Olsson et al. 2022, arXiv:2209.11895 ("In-context Learning and Induction Heads").
IN_CONTEXT = {
    "early_token": 50, "late_token": 500, "context": 512,  # score = loss(500th token) - loss(50th token)
    "after_phase_change_nats": 0.4,       # "roughly 0.4 nats" of in-context learning after the phase change
    "before_phase_change_nats": 0.15,     # "less than 0.15 nats" before it
    "source": "Olsson et al. 2022, arXiv:2209.11895, Key Concepts and Argument 1",
}

#: Villalobos et al. 2024, arXiv:2211.04325 v2 ("Will we run out of data?"), and the Llama 3 paper.
DATA_LIMITS = {
    "effective_stock_tokens": 4e14,       # "around 4e14 tokens" of public human text when it runs out (Fig. 1)
    "compute_at_exhaustion_flops": 5e28,  # "~5e28 FLOP" of training compute at that point (not overtrained)
    "median_year": 2028, "year_range": (2026, 2032),
    "dataset_growth_oom_per_year": 0.38,  # largest training sets grow 0.38 orders of magnitude a year ...
    "dataset_growth_interval": (0.27, 0.48),      # ... 95% interval
    "largest_dataset_tokens": 15e12,      # Llama 3 (2024): 15T tokens (Llama Team 2024, arXiv:2407.21783)
    "largest_dataset_year": 2024,
    "source": "Villalobos et al. 2024, arXiv:2211.04325, abstract, section 2.4, Figs. 1 and 5; "
              "Llama Team 2024, arXiv:2407.21783",
}
