"""Scores of a text model beyond its loss, from which of its guesses were right (lesson 07; plain numpy).

    >>> import numpy as np
    >>> correct = np.array([[True, True, False, True]])       # one window: the 3rd character was missed
    >>> exact_match_rate(correct, 2)                           # 2-character spans: (1,2) right, (2,3), (3,4) not
    0.3333333333333333

A model's *top guess* for the next character is right or wrong at each position of each held-out window. Per-token
accuracy averages that; exact match asks for k right guesses in a row, which is exactly when greedy decoding from
that point writes the next k characters out correctly. Schaeffer et al. (2023, arXiv:2304.15004) showed that a
smoothly improving accuracy p becomes a sudden-looking jump under exact match, which is about p^k when the
characters' errors are independent.
"""

from __future__ import annotations

__all__ = ["exact_match_rate", "span_scores", "word_starts"]

import numpy as np

from scaling_course.validation import check_int


def _check_correct(correct) -> np.ndarray:
    correct = np.asarray(correct)
    if correct.ndim != 2 or correct.dtype != bool:
        raise ValueError(f"correct must be a boolean array [windows, positions], got a {correct.dtype} array of "
                         f"shape {correct.shape}")
    return correct


def _right_in_span(correct: np.ndarray, k: int) -> np.ndarray:
    """[windows, starts]: how many of the k characters from each start were guessed right."""
    running = np.concatenate([np.zeros((len(correct), 1), dtype=int), np.cumsum(correct, axis=1)], axis=1)
    return running[:, k:] - running[:, :-k]


def exact_match_rate(correct, k: int) -> float:
    """The share of k-character spans (every start in every window) whose characters were all guessed right.

    ``correct`` is a boolean array [windows, positions]: whether the model's top guess was right at each position.
    """
    correct = _check_correct(correct)
    k = check_int(k, "k (characters in a row)", minimum=1, maximum=correct.shape[1])
    return float(np.mean(_right_in_span(correct, k) == k))


def span_scores(correct, k: int, starts=None) -> tuple[float, float]:
    """(per-character accuracy, exact match) over the k-character spans that begin where ``starts`` is True
    (a boolean array shaped like ``correct``; None: everywhere). The accuracy is the mean share of a span's
    characters guessed right, so k·(1 − accuracy) is Schaeffer et al.'s token edit distance for equal lengths;
    exact match is the share of spans with every character right. NaN where no span begins."""
    correct = _check_correct(correct)
    k = check_int(k, "k (characters in a row)", minimum=1, maximum=correct.shape[1])
    right = _right_in_span(correct, k)
    if starts is not None:
        starts = _check_correct(starts)
        if starts.shape != correct.shape:
            raise ValueError(f"starts must have the shape of correct {correct.shape}, got {starts.shape}")
        right = right[starts[:, :right.shape[1]]]
    if right.size == 0:
        return float("nan"), float("nan")
    return float(np.mean(right / k)), float(np.mean(right == k))


def word_starts(inputs, targets, whitespace) -> np.ndarray:
    """[windows, positions]: True where the target character begins a word, i.e. is not whitespace while the
    character before it (the input at that position) is. ``whitespace`` lists the token ids of blanks."""
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    if inputs.shape != targets.shape:
        raise ValueError(f"targets must have the shape of inputs {inputs.shape}, got {targets.shape}")
    if isinstance(whitespace, (str, bytes)) or not all(isinstance(t, (int, np.integer)) for t in whitespace):
        raise TypeError(f"whitespace must be a list of token ids (integers), got {whitespace!r}")
    blank_before, blank = np.isin(inputs, whitespace), np.isin(targets, whitespace)
    return blank_before & ~blank
