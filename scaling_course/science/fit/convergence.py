"""Did the optimiser really find a minimum? Judge by the gradient, not by the exit flag.

Besiroglu et al. 2024 (arXiv:2404.10102) found that Chinchilla's parametric fit had stopped
before converging: the objective was averaged rather than summed, so with δ = 10⁻³ it was about
10⁻⁵ and L-BFGS-B's default tolerances declared victory after a couple of iterations. The exit
flag said "success". Only the gradient tells the truth.

The yardstick used here does not depend on how the objective was scaled. With the Huber loss each
run pulls on the parameters with a force of at most δ (times d log L̂/dθ), so n runs pull with at most
n·δ. A fit counts as converged when the largest component of the gradient of the **summed**
objective is below ``tolerance`` · n · δ, that is when the runs' pulls cancel to within a
hundred-thousandth (by default) of the most they could pull.
"""

from __future__ import annotations

__all__ = ["Convergence", "ConvergenceWarning"]

import warnings
from dataclasses import dataclass

import numpy as np

#: Net pull allowed at a minimum, as a fraction of the largest possible pull n·δ. Stalled fits on
#: simulated Chinchilla-like data sit at 1e-4 and above; properly converged ones at 1e-6 and below.
DEFAULT_GRADIENT_TOLERANCE = 1e-5


class ConvergenceWarning(UserWarning):
    """A fit stopped where the gradient is not (close to) zero: its parameters are not a minimum."""


@dataclass(frozen=True)
class Convergence:
    """The verdict on one fit."""

    converged: bool            # the relative gradient is under the tolerance
    relative_gradient: float   # max |∇ Σ Huber| / (n·δ): 0 at an exact minimum
    tolerance: float           # the threshold it was compared with
    returned_a_start: bool     # the answer is one of the starting points, unchanged (said in the message)
    message: str               # a sentence for the learner


def assess_convergence(summed_gradient_norm: float, n_points: int, delta: float, theta, starts,
                       tolerance: float = DEFAULT_GRADIENT_TOLERANCE) -> Convergence:
    """Compare the gradient at the answer with n·δ, and say so if the answer is a start unchanged.

    >>> verdict = assess_convergence(1e-9, 100, 1e-3, [1.0, 2.0], [[0.0, 0.0]])
    >>> verdict.converged, verdict.message
    (True, 'converged: largest gradient component is 1e-08 of the largest possible pull (tolerance 1e-05)')
    """
    relative = float(summed_gradient_norm / (n_points * delta))
    theta, starts = np.asarray(theta, dtype=float), np.atleast_2d(np.asarray(starts, dtype=float))
    returned_a_start = bool(np.any(np.all(theta == starts, axis=1)))
    converged = relative <= tolerance
    pull = f"largest gradient component is {relative:.2g} of the largest possible pull (tolerance {tolerance:g})"
    if converged and returned_a_start:
        message = f"converged at one of the starting points, which was already a minimum: {pull}"
    elif converged:
        message = f"converged: {pull}"
    elif returned_a_start:
        message = (f"NOT converged: the optimiser returned a starting point unchanged, so nothing was fitted "
                   f"({pull}); scale the objective (sum, not mean) or tighten the optimiser's tolerances")
    else:
        message = (f"NOT converged: {pull}; the optimiser stopped early, so these parameters are not a "
                   "minimum. Sum (not average) the Huber terms or tighten ftol/gtol")
    return Convergence(converged=converged, relative_gradient=relative, tolerance=tolerance,
                       returned_a_start=returned_a_start, message=message)


def warn_unless_converged(verdict: Convergence, what: str) -> None:
    """Issue a :class:`ConvergenceWarning` naming the fit if it did not converge.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_unless_converged(assess_convergence(1.0, 100, 1e-3, [1.0], [[0.0]]), "my fit")
    >>> str(caught[0].message)[:24]
    'my fit: NOT converged: l'
    """
    if not verdict.converged:
        warnings.warn(f"{what}: {verdict.message}", ConvergenceWarning, stacklevel=3)
