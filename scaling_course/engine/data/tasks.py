"""Learning tasks with known structure, and the text task, behind one small interface.

Every task can

* ``sampler(n_train, seed)``: give a function ``draw(batch_size) -> (x, y)`` of training
  batches, either fresh samples every call (``n_train=0``: unlimited data) or minibatches of
  one fixed training set of ``n_train`` examples (tokens for text), drawn from ``seed``. A fixed
  set is a representative sample of the whole task (random examples; for text, random blocks
  of the whole training split), and with one seed a smaller set is the start of a larger one,
  so a sweep over ``n_train`` varies only the amount of data, not which kind;
* ``eval_set()``: give a fixed held-out set ``(x, y, weight)``, the same for every run, with
  one weight per example that sums to 1 (the test loss is the weighted mean loss).

The synthetic tasks have a *predicted* scaling exponent:

* :class:`SparseParity`, Michaud et al. 2023, "The Quantization Model of Neural Scaling"
  (arXiv:2303.13506): many parity subtasks used with Zipf frequencies p_i ∝ i^-(α+1).
  A network of N parameters learns the most frequent subtasks first, so L(N) - L_∞ ∝ N^-α,
  and with data D: L ∝ D^(-α/(α+1)).
* :class:`TeacherStudent`, Bahri et al. 2021, "Explaining Neural Scaling Laws"
  (arXiv:2102.06701): a linear teacher whose inputs have a power-law covariance spectrum
  λ_i = i^-(1+α); in the kernel limit both the data and the parameter exponents equal α.
"""

from __future__ import annotations

__all__ = ["SparseParity", "Task", "TeacherStudent", "TextTask"]

import collections
import itertools
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import numpy as np
import torch

from scaling_course.validation import (
    check_choice,
    check_instance,
    check_int,
    check_non_negative_int,
    check_positive_int,
    check_positive_number,
)

from .corpus import BLOCK, CORPORA, load_corpus

Batch = tuple[torch.Tensor, torch.Tensor]
FRESH_EXAMPLES = 4096      # fresh examples drawn per call to the random generator


class Task:
    """Shared plumbing: fixed training sets and minibatches drawn from them."""

    input_dim: int
    n_outputs: int
    loss: str                     # "cross_entropy" or "mse"
    one_hot_index: int = 0        # n > 0: x gives its first n inputs, a one-hot code, as one index

    def draw_fresh(self, n: int, generator: torch.Generator) -> Batch:
        raise NotImplementedError

    def sampler(self, n_train: int, seed: int) -> Callable[[int], Batch]:
        generator = torch.Generator().manual_seed(seed)
        if n_train == 0:                                   # unlimited data: a new sample each step
            return self._fresh_sampler(generator)
        x_train, y_train = self.nested_training_set(n_train, generator)

        def draw(batch_size: int) -> Batch:                # minibatch of the fixed training set
            index = torch.randint(n_train, (batch_size,), generator=generator)
            return x_train[index], y_train[index]
        return draw

    def nested_training_set(self, n_train: int, generator: torch.Generator) -> Batch:
        """``n_train`` random examples, drawn FRESH_EXAMPLES at a time, so that with the same
        generator a smaller set is the first part of a larger one."""
        chunks = [self.draw_fresh(FRESH_EXAMPLES, generator) for _ in range(-(-n_train // FRESH_EXAMPLES))]
        return torch.cat([c[0] for c in chunks])[:n_train], torch.cat([c[1] for c in chunks])[:n_train]

    def _fresh_sampler(self, generator: torch.Generator) -> Callable[[int], Batch]:
        """Fresh batches, drawn FRESH_EXAMPLES at a time and handed out one batch per call: one
        call per batch would cost more in overhead than the sampling itself for tiny models."""
        queue: collections.deque = collections.deque()

        def draw(batch_size: int) -> Batch:
            if not queue:
                x, y = self.draw_fresh(batch_size * max(1, FRESH_EXAMPLES // batch_size), generator)
                queue.extend(zip(x.split(batch_size), y.split(batch_size)))
            return queue.popleft()
        return draw


@dataclass(frozen=True)
class SparseParity(Task):
    """Multitask sparse parity (Michaud et al. 2023), scaled down for a CPU.

    Input: a one-hot code of the subtask i (``n_subtasks`` entries) followed by ``n_bits``
    random bits. Label: the parity of the ``k`` bits in subtask i's fixed random subset S_i.
    Subtask i = 1, 2, ... is used with probability ∝ i^-(alpha+1).

    With ``subtask_as_index=True`` the same examples come in a compact form: x is
    [n, 1 + n_bits] integers, the subtask's index followed by the bits. The course's MLP takes
    that form and looks up the first-layer row of the subtask instead of multiplying by the
    one-hot code (``models/mlp.py``); ``input_dim`` is still the one-hot width.
    """

    n_subtasks: int = 64     # distinct parity problems ("quanta"); the paper uses 500
    n_bits: int = 16         # random bits per example; the paper uses 100
    k: int = 3               # bits in each parity
    alpha: float = 0.4       # Zipf exponent minus one: predicted L(N) exponent (paper: 0.4)
    eval_per_subtask: int = 256   # held-out examples per subtask
    subsets_seed: int = 0    # which subsets S_i: fixed, part of the task's definition
    subtask_as_index: bool = False   # x = [subtask index, bits] instead of [one-hot code, bits]

    n_outputs = 2
    loss = "cross_entropy"

    def __post_init__(self):
        check_positive_int(self.n_subtasks, "n_subtasks")
        check_positive_int(self.n_bits, "n_bits")
        check_int(self.k, "k", minimum=1, maximum=self.n_bits)
        check_positive_number(self.alpha, "alpha")
        check_positive_int(self.eval_per_subtask, "eval_per_subtask")
        check_non_negative_int(self.subsets_seed, "subsets_seed")
        check_instance(self.subtask_as_index, "subtask_as_index", bool)

    @property
    def input_dim(self) -> int:
        return self.n_subtasks + self.n_bits

    @property
    def one_hot_index(self) -> int:
        return self.n_subtasks if self.subtask_as_index else 0

    @cached_property
    def frequencies(self) -> torch.Tensor:
        """p_i ∝ i^-(alpha+1), i = 1..n_subtasks."""
        p = torch.arange(1, self.n_subtasks + 1, dtype=torch.float64) ** -(self.alpha + 1)
        return p / p.sum()

    @cached_property
    def subsets(self) -> torch.Tensor:
        """[n_subtasks, k] bit positions of each parity; all subsets distinct."""
        all_subsets = list(itertools.combinations(range(self.n_bits), self.k))
        rng = np.random.default_rng(self.subsets_seed)
        chosen = rng.choice(len(all_subsets), size=self.n_subtasks, replace=False)
        return torch.tensor([all_subsets[i] for i in chosen])

    def examples(self, subtask: torch.Tensor, bits: torch.Tensor) -> Batch:
        """Build inputs and labels for given subtask ids [n] and random bits [n, n_bits]."""
        labels = bits.gather(1, self.subsets[subtask]).sum(dim=1) % 2
        if self.subtask_as_index:
            return torch.cat([subtask.unsqueeze(1), bits], dim=1), labels
        x = torch.zeros(len(subtask), self.input_dim)
        x[torch.arange(len(subtask)), subtask] = 1.0            # one-hot code of the subtask
        x[:, self.n_subtasks:] = bits
        return x, labels

    def draw_fresh(self, n: int, generator: torch.Generator) -> Batch:
        # Subtask i with probability p_i, by inverse-CDF sampling: the first i whose cumulative
        # probability exceeds a uniform number.
        uniform = torch.rand(n, dtype=torch.float64, generator=generator)
        subtask = torch.searchsorted(self.frequencies.cumsum(0), uniform, right=True).clamp_(max=self.n_subtasks - 1)
        # n_bits fair coin flips = the binary digits of one uniform integer below 2^n_bits.
        number = torch.randint(0, 2 ** self.n_bits, (n, 1), generator=generator)
        bits = (number >> torch.arange(self.n_bits)) & 1
        return self.examples(subtask, bits)

    def eval_set(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The same number of examples for every subtask, weighted by the subtask's frequency,
        so rare subtasks are measured as precisely as common ones."""
        generator = torch.Generator().manual_seed(10_000 + self.subsets_seed)
        subtask = torch.arange(self.n_subtasks).repeat_interleave(self.eval_per_subtask)
        bits = torch.randint(0, 2, (len(subtask), self.n_bits), generator=generator)
        x, y = self.examples(subtask, bits)
        weight = (self.frequencies[subtask] / self.eval_per_subtask).float()
        return x, y, weight


@dataclass(frozen=True)
class TeacherStudent(Task):
    """Regression on a random linear teacher with a power-law input spectrum (Bahri et al. 2021).

    x ~ N(0, diag(λ)), λ_i = i^-(1+alpha), and y = w·x with w ~ N(0, I) fixed by ``teacher_seed``.
    """

    dim: int = 256           # input dimension (the spectrum's extent); should exceed N and D
    alpha: float = 0.5       # spectrum exponent minus one: predicted exponent in N and D
    eval_size: int = 4096
    teacher_seed: int = 0

    n_outputs = 1
    loss = "mse"

    def __post_init__(self):
        check_positive_int(self.dim, "dim")
        check_positive_number(self.alpha, "alpha")
        check_positive_int(self.eval_size, "eval_size")
        check_non_negative_int(self.teacher_seed, "teacher_seed")

    @property
    def input_dim(self) -> int:
        return self.dim

    @cached_property
    def spectrum(self) -> torch.Tensor:
        return torch.arange(1, self.dim + 1, dtype=torch.float32) ** -(1 + self.alpha)

    @cached_property
    def teacher(self) -> torch.Tensor:
        return torch.randn(self.dim, 1, generator=torch.Generator().manual_seed(self.teacher_seed))

    def draw_fresh(self, n: int, generator: torch.Generator) -> Batch:
        x = torch.randn(n, self.dim, generator=generator) * self.spectrum.sqrt()
        return x, x @ self.teacher

    def eval_set(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        x, y = self.draw_fresh(self.eval_size, torch.Generator().manual_seed(20_000 + self.teacher_seed))
        return x, y, torch.full((self.eval_size,), 1.0 / self.eval_size)


@dataclass(frozen=True)
class TextTask(Task):
    """Next-character prediction on a shipped corpus: x = a window of n_ctx tokens, y = x shifted by one."""

    corpus: str = "pystdlib"
    n_ctx: int = 64
    eval_windows: int = 256   # held-out windows, evenly spaced over the validation split
    score_windows: int = 2048  # more of them for the scores a run records at its end (lesson 07): rare events

    loss = "cross_entropy"

    def __post_init__(self):
        check_choice(check_instance(self.corpus, "corpus", str), "corpus", CORPORA)
        check_positive_int(self.n_ctx, "n_ctx")
        check_positive_int(self.eval_windows, "eval_windows")
        check_positive_int(self.score_windows, "score_windows")

    @cached_property
    def tokens(self):
        return load_corpus(self.corpus)

    @property
    def n_outputs(self) -> int:
        return self.tokens.vocab_size

    @property
    def input_dim(self) -> int:       # a vocabulary of this many token ids
        return self.tokens.vocab_size

    def windows(self, tokens: np.ndarray, starts: torch.Tensor) -> Batch:
        offsets = starts[:, None] + torch.arange(self.n_ctx + 1)
        chunk = torch.from_numpy(tokens[offsets.numpy()].astype(np.int64))
        return chunk[:, :-1], chunk[:, 1:]

    def training_set(self, n_train: int, seed: int) -> np.ndarray:
        """The ``n_train`` unique training tokens of a run: whole blocks of BLOCK tokens taken in a
        random order (from ``seed``) from anywhere in the training split, the last one cut short.

        A prefix of the corpus would not do: the corpus is a sorted list of files, so its first
        few hundred thousand characters are a handful of modules while the validation split
        samples all of them, and a smaller set would differ in kind, not only in amount. Random
        blocks keep every set representative, and one seed's order nests a smaller set inside a
        larger one. (A window that crosses from one block into the next sees a seam, as it does
        at the seams of the held-out blocks and between files.)
        """
        train = self.tokens.train
        if n_train == 0:
            return train
        n_blocks = len(train) // BLOCK
        order = torch.randperm(n_blocks, generator=torch.Generator().manual_seed(seed)).numpy()
        chosen = order[:-(-n_train // BLOCK)]
        starts = chosen[:, None] * BLOCK + np.arange(BLOCK)
        return train[starts.ravel()[:n_train]]

    def sampler(self, n_train: int, seed: int) -> Callable[[int], Batch]:
        """Windows starting anywhere in the run's training set (:meth:`training_set`)."""
        generator = torch.Generator().manual_seed(seed)
        train = self.training_set(n_train, seed)
        return lambda batch_size: self.windows(
            train, torch.randint(len(train) - self.n_ctx, (batch_size,), generator=generator))

    def eval_set(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        val = self.tokens.val
        starts = torch.linspace(0, len(val) - self.n_ctx - 1, self.eval_windows).long()
        x, y = self.windows(val, starts)
        return x, y, torch.full((self.eval_windows,), 1.0 / self.eval_windows)

    def score_set(self) -> Batch:
        """``score_windows`` held-out windows evenly spaced over the validation split (x, y): the loss at each
        position and the share of rare exact matches need many more than the loss does."""
        val = self.tokens.val
        return self.windows(val, torch.linspace(0, len(val) - self.n_ctx - 1, self.score_windows).long())

    @cached_property
    def whitespace(self) -> list[int]:
        """Token ids of the blank characters (space, tab, line break) that end a word."""
        return [i for i, c in enumerate(self.tokens.vocab) if c in " \t\n"]
