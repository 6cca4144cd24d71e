"""Simulated training runs from a known law, and a FLOP budget to spend on them.

A fit can only be checked against the truth when the truth is known. Here it is: losses come from
L(N, D) = E + A/N^α + B/D^β with constants you choose (or a random hidden set), times noise:

    loss = L(N, D) · exp(σ·ε),  ε ~ Normal(0, 1)

Multiplicative noise is what real runs show: seeds, data order and evaluation batches move the
loss by a roughly constant percentage at every scale. σ = 0.01 (about 1%) is the default; the
residuals of Chinchilla's own runs are nearer 0.5% (the Σ Huber of Epoch AI's fit, 0.00102 over
240 runs, means a mean absolute log residual of about 0.005). ``outlier_fraction`` adds runs that
went wrong (always worse, never better), which is what the Huber loss is there to shrug off.

:class:`SimulatedLab` wraps this into a game for the capstone: every run costs 6·N·D FLOPs
(Kaplan et al. 2020) from a fixed :class:`FlopBudget`, and a run the budget cannot pay for is
refused with a :class:`BudgetExceeded` error.
"""

from __future__ import annotations

__all__ = [
    "BudgetExceeded", "FlopBudget", "SimulatedLab", "SimulatedRun", "SimulatedRuns", "add_noise", "isoflop_design",
    "random_chinchilla_law", "simulate_chinchilla_runs", "simulate_losses",
]

from dataclasses import dataclass, field

import numpy as np

from scaling_course.validation import (
    check_number,
    check_positive_array,
    check_positive_int,
    check_positive_number,
    check_seed,
)

from .laws import check_law, chinchilla_loss, compute_optimal_allocation
from .reference import EPOCH_REFIT, FLOPS_PER_PARAMETER_TOKEN, ParametricLaw

#: Typical relative noise of one run's final loss (a course choice, see the module docstring).
DEFAULT_NOISE = 0.01
#: Chinchilla's IsoFLOP budgets: 9 budgets from 6e18 to 3e21 FLOPs (Hoffmann et al. 2022, Approach 2).
CHINCHILLA_BUDGETS = tuple(np.geomspace(6e18, 3e21, 9))


def _rng(seed) -> np.random.Generator:
    seed = check_seed(seed)
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def add_noise(true_loss, noise: float = DEFAULT_NOISE, seed=None, outlier_fraction: float = 0.0,
              outlier_size: float = 0.1) -> np.ndarray:
    """Observed losses: true_loss · exp(σ·ε), plus upward outliers for a fraction of the runs.

    An outlier's loss is further multiplied by exp(outlier_size·|ε'|): a run that went wrong.

    >>> add_noise([2.0, 3.0], noise=0.0).tolist()
    [2.0, 3.0]
    """
    check_number(noise, "noise (a relative standard deviation)", minimum=0)
    check_number(outlier_fraction, "outlier_fraction", minimum=0, maximum=1)
    rng = _rng(seed)
    true_loss = np.asarray(true_loss, dtype=float)
    log_noise = noise * rng.standard_normal(true_loss.shape)
    went_wrong = rng.random(true_loss.shape) < outlier_fraction
    log_noise += went_wrong * outlier_size * np.abs(rng.standard_normal(true_loss.shape))
    return true_loss * np.exp(log_noise)


def simulate_losses(N, D, law: ParametricLaw = EPOCH_REFIT, noise: float = DEFAULT_NOISE, seed=None,
                    outlier_fraction: float = 0.0) -> np.ndarray:
    """Noisy final losses of runs with N parameters and D tokens under ``law``.

    loss = (E + A/N^α + B/D^β)·exp(σ·ε) (Hoffmann et al. 2022, eq. 2, with multiplicative noise).

    >>> round(float(simulate_losses(70e9, 1.4e12, noise=0.0)), 4)    # Chinchilla under Epoch's refit
    1.9734
    """
    return add_noise(chinchilla_loss(N, D, law), noise, seed, outlier_fraction)


def random_chinchilla_law(seed=None, typical_N: float = 1e9, typical_D: float = 2e10) -> ParametricLaw:
    """A plausible hidden law for exercises and tests (ranges are a course choice, set around the
    published fits in :mod:`scaling_course.science.reference`):

    * E ~ U[1.5, 2.2] and α, β ~ U[0.25, 0.5];
    * A and B such that, at ``typical_N`` parameters and ``typical_D`` tokens, each finite-size
      term is 10-50% of E (Epoch AI's refit gives about 20% at 1e9 and 2e10).

    Tying A and B to a typical scale keeps the law learnable there: draw A and B blindly and many
    laws have finite-size terms too small to measure under 1% noise. For laptop-sized runs pass
    e.g. ``typical_N=1e6, typical_D=2e7``.

    >>> law = random_chinchilla_law(seed=1); 0.25 <= law.alpha <= 0.5
    True
    """
    check_positive_number(typical_N, "typical_N")
    check_positive_number(typical_D, "typical_D")
    rng = _rng(seed)
    seed_text = "a generator" if isinstance(seed, np.random.Generator) else repr(seed)
    E = float(rng.uniform(1.5, 2.2))
    alpha, beta = (float(v) for v in rng.uniform(0.25, 0.5, size=2))
    share_N, share_D = rng.uniform(0.1, 0.5, size=2)
    return ParametricLaw(E=E, A=float(share_N * E * typical_N ** alpha), B=float(share_D * E * typical_D ** beta),
                         alpha=alpha, beta=beta,
                         source=f"random_chinchilla_law(seed={seed_text}, typical_N={typical_N:g}, "
                                f"typical_D={typical_D:g})")


def isoflop_design(budgets, centers, models_per_budget: int = 9, spread: float = 6.0,
                   flops_per_parameter_token: float = FLOPS_PER_PARAMETER_TOKEN):
    """IsoFLOP runs (Hoffmann et al. 2022, Approach 2): for each budget C, ``models_per_budget``
    sizes log-spaced from center/spread to center·spread, each trained on D = C/(6N) tokens.

    Returns arrays (N, D, C), one entry per run.

    >>> N, D, C = isoflop_design([1e18], centers=[1e8], models_per_budget=3, spread=10)
    >>> N.tolist(), (C == 6 * N * D).all()
    ([10000000.0, 100000000.0, 1000000000.0], np.True_)
    """
    budgets = np.atleast_1d(check_positive_array(budgets, "budgets"))
    centers = check_positive_array(centers, "centers")
    if centers.size not in (1, budgets.size):
        raise ValueError(f"centers must have one value per budget (or one for all), got {centers.size} "
                         f"for {budgets.size} budgets")
    centers = np.broadcast_to(centers, budgets.shape)
    check_positive_number(flops_per_parameter_token, "flops_per_parameter_token")
    check_positive_int(models_per_budget, "models_per_budget")
    check_number(spread, "spread", minimum=1)
    sizes = centers[:, None] * np.geomspace(1.0 / spread, spread, models_per_budget)[None, :]
    C = np.repeat(budgets, models_per_budget)
    N = sizes.ravel()
    return N, C / (flops_per_parameter_token * N), C


@dataclass(frozen=True)
class SimulatedRuns:
    """A simulated experiment: the runs, their noisy losses, and the truth behind them."""

    N: np.ndarray            # parameters of each run
    D: np.ndarray            # tokens of each run
    C: np.ndarray            # FLOPs of each run, 6·N·D
    loss: np.ndarray         # observed (noisy) final loss
    true_loss: np.ndarray    # the law's loss without noise
    law: ParametricLaw       # the true constants
    noise: float             # σ of the multiplicative noise


def simulate_chinchilla_runs(law: ParametricLaw = EPOCH_REFIT, budgets=CHINCHILLA_BUDGETS,
                             models_per_budget: int = 27, spread: float = 6.0, noise: float = DEFAULT_NOISE,
                             seed=None, outlier_fraction: float = 0.0) -> SimulatedRuns:
    """A Chinchilla-sized IsoFLOP experiment under ``law``: by default 9 budgets × 27 models = 243
    runs (Epoch AI extracted 245 from Chinchilla's Fig. 4), centred on the law's own optimum.

    >>> runs = simulate_chinchilla_runs(seed=0); len(runs.loss)
    243
    """
    centers, _ = compute_optimal_allocation(check_positive_array(budgets, "budgets"), law)
    N, D, C = isoflop_design(budgets, centers, models_per_budget, spread)
    true_loss = np.asarray(chinchilla_loss(N, D, law))
    loss = add_noise(true_loss, noise, seed, outlier_fraction)
    return SimulatedRuns(N=N, D=D, C=C, loss=loss, true_loss=true_loss, law=law, noise=noise)


# --- Spending compute --------------------------------------------------------------------------

class BudgetExceeded(ValueError):
    """A run would cost more FLOPs than the budget has left."""


@dataclass
class FlopBudget:
    """A compute account: spend FLOPs on runs until they are gone.

    >>> budget = FlopBudget(1e18)
    >>> budget.spend(4e17, "first run")
    6e+17
    >>> budget.spend(1e18, "too big")
    Traceback (most recent call last):
    ...
    scaling_course.science.simulate.BudgetExceeded: too big costs 1e+18 FLOPs but only 6e+17 of the 1e+18 budget remain (4e+17 spent); choose a smaller model or fewer tokens
    """

    total: float                                   # FLOPs available at the start
    spent: float = 0.0                             # FLOPs used so far
    ledger: list[tuple[str, float]] = field(default_factory=list)   # (what, FLOPs) per charge

    def __post_init__(self):
        check_positive_number(self.total, "total (the FLOP budget)")

    @property
    def remaining(self) -> float:
        return self.total - self.spent

    def can_afford(self, flops: float) -> bool:
        return flops <= self.remaining

    def require(self, flops: float, what: str = "run", advice: str = "choose a smaller model or fewer tokens"):
        """Refuse ``what`` (:class:`BudgetExceeded`, saying what it costs, what is left and ``advice``) unless the
        budget can pay ``flops``; charges nothing. Call it before work that :meth:`spend` will pay for."""
        check_positive_number(flops, f"flops (the cost of {what})")
        if not self.can_afford(flops):
            raise BudgetExceeded(f"{what} costs {flops:.4g} FLOPs but only {self.remaining:.4g} of the "
                                 f"{self.total:.4g} budget remain ({self.spent:.4g} spent); {advice}")

    def spend(self, flops: float, what: str = "run", advice: str = "choose a smaller model or fewer tokens") -> float:
        """Charge ``flops`` for ``what`` and return what remains; refuse (nothing charged) if over budget."""
        self.require(flops, what, advice)
        self.spent += flops
        self.ledger.append((what, flops))
        return self.remaining


@dataclass(frozen=True)
class SimulatedRun:
    """One run made in a :class:`SimulatedLab`."""

    N: float        # parameters
    D: float        # tokens
    flops: float    # 6·N·D, charged to the budget
    loss: float     # observed final loss (noisy)


class SimulatedLab:
    """A pretend lab for the capstone: ``train(N, D)`` returns a noisy loss from a hidden law and
    charges 6·N·D FLOPs to a fixed budget.

    Without ``law`` the lab draws a hidden one with :func:`random_chinchilla_law`; for a laptop-sized
    game pass e.g. ``law=random_chinchilla_law(seed, typical_N=1e6, typical_D=2e7)``.

    >>> lab = SimulatedLab(budget_flops=1e18, seed=3)
    >>> loss = lab.train(1e6, 2e7)
    >>> lab.budget.spent == 6 * 1e6 * 2e7, len(lab.runs)
    (True, 1)
    """

    def __init__(self, budget_flops: float, law: ParametricLaw | None = None, noise: float = DEFAULT_NOISE,
                 seed=None, flops_per_parameter_token: float = FLOPS_PER_PARAMETER_TOKEN):
        budget_flops = check_positive_number(budget_flops, "budget_flops")
        if law is not None:
            check_law(law)
        self.noise = check_number(noise, "noise", minimum=0)
        self.flops_per_parameter_token = check_positive_number(flops_per_parameter_token, "flops_per_parameter_token")
        self._rng = _rng(seed)
        self._law = random_chinchilla_law(self._rng) if law is None else law
        self.budget = FlopBudget(budget_flops)
        self.runs: list[SimulatedRun] = []

    def cost(self, N: float, D: float) -> float:
        """FLOPs a run would cost: C = 6·N·D (Kaplan et al. 2020)."""
        return self.flops_per_parameter_token * float(N) * float(D)

    def train(self, N: float, D: float) -> float:
        """Train (in simulation) N parameters on D tokens; return the final loss."""
        N, D = check_positive_number(N, "N"), check_positive_number(D, "D")
        flops = self.cost(N, D)
        self.budget.spend(flops, f"training N={N:.3g} on D={D:.3g} tokens")
        loss = float(simulate_losses(N, D, self._law, self.noise, self._rng))
        self.runs.append(SimulatedRun(N=float(N), D=float(D), flops=flops, loss=loss))
        return loss

    @property
    def N(self) -> np.ndarray:
        return np.array([r.N for r in self.runs])

    @property
    def D(self) -> np.ndarray:
        return np.array([r.D for r in self.runs])

    @property
    def loss(self) -> np.ndarray:
        return np.array([r.loss for r in self.runs])

    def true_optimum(self, C: float) -> tuple[float, float, float]:
        """The hidden law's answer for budget C: (N_opt, D_opt, loss at the optimum), for grading."""
        n_opt, d_opt = compute_optimal_allocation(C, self._law, self.flops_per_parameter_token)
        return n_opt, d_opt, chinchilla_loss(n_opt, d_opt, self._law)

    def reveal(self) -> ParametricLaw:
        """The hidden law. Look only after you have made your prediction."""
        return self._law
