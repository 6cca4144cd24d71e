"""The workshop dashboard (``make demo``, ``scaling-course demo``): the course's story in a few views.

``demo/demo.ipynb`` shows these views under Voilà, as a page without code for a projector. Nothing
trains: every view reads the course's shipped results (at ``full``, the smoothest curves it ships),
so the page is ready seconds after it opens.

1. :func:`famous_models_view`: famous models on the parameters / tokens map (lesson 00).
2. :func:`polynomial_view`: more parameters against more data, with sliders (lesson 01).
3. :func:`floor_view`: loss against model size and the floor E under the power law (lesson 03).
4. :func:`isoflop_view`: one compute budget, many model sizes: the IsoFLOP valley (lesson 05).
"""

from __future__ import annotations

__all__ = ["DEMO_PROFILE", "famous_models_view", "floor_view", "isoflop_view", "polynomial_view"]

import matplotlib.pyplot as plt

from scaling_course.science.reference import famous_models
from scaling_course.syllabus.shipped import REFERENCE_PROFILES, reference_results
from scaling_course.validation import check_choice

from . import polynomials, scaling_compute, welcome
from .scaling_parameters import FloorExplorer, mean_loss_by_size

DEMO_PROFILE = "full"        # the shipped results with the most sizes and budgets


def famous_models_view():
    """Lesson 00's chart of famous models (published figures), as a figure."""
    ax = welcome.famous_models_chart(famous_models())
    ax.set_title("Famous models: parameters against training tokens")
    plt.close(ax.figure)
    return ax.figure


def polynomial_view():
    """Lesson 01's polynomial explorer: degree (parameters) and samples (data) as sliders."""
    return polynomials.polynomial_explorer()


def floor_view(profile: str = DEMO_PROFILE):
    """Lesson 03's floor explorer over the shipped text-model size sweep (mean loss by size)."""
    check_choice(profile, "profile", REFERENCE_PROFILES)
    n, loss, _ = mean_loss_by_size(reference_results("params-text", profile))
    return FloorExplorer(n, loss, label=f"GPTs on Python text (mean over seeds, shipped {profile} runs)").widget()


def isoflop_view(profile: str = DEMO_PROFILE):
    """Lesson 05's compute-budget explorer over the shipped compute sweep."""
    check_choice(profile, "profile", REFERENCE_PROFILES)
    return scaling_compute.isoflop_explorer(reference_results("compute", profile))
