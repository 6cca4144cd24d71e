"""What a training run is, as plain data: its config and its record (no torch here).

    >>> from scaling_course.engine.runs import RunConfig
    >>> RunConfig(task="text", width=32, steps=200).model_kind
    'gpt'

A :class:`RunConfig` says everything that determines a run, and so names it in the run cache;
a :class:`RunRecord` is what :func:`scaling_course.engine.train.train` returns: the loss logged
against steps, tokens (examples) and FLOPs, and the held-out loss. Both turn into plain dicts
(JSON) and back, so the cache, the shipped results and every analysis read them without torch.
"""

from __future__ import annotations

__all__ = ["RunConfig", "RunRecord"]

import dataclasses
import math
from dataclasses import dataclass, field, fields

import numpy as np

from scaling_course.validation import (
    check_choice,
    check_instance,
    check_int,
    check_non_negative_int,
    check_number,
    check_positive_int,
    check_positive_number,
)
from scaling_course.version import __version__

from .data.corpus import CORPORA, load_corpus

TASKS = ("sparse_parity", "teacher_student", "text")
#: The largest width, depth, context or input dimension a run may ask for (the models' own limit):
#: far beyond what a CPU course trains, well short of a size that would only fail in the allocator.
MAX_SIZE = 8192


@dataclass(frozen=True)
class RunConfig:
    """Everything that determines one training run, and so its cache key."""

    # --- data ---
    task: str = "sparse_parity"   # "sparse_parity", "teacher_student" or "text"
    n_train: int = 0              # fixed training set: examples (tokens for "text"); 0 = fresh data every step
    # --- model: an MLP for the synthetic tasks, a GPT for "text" ---
    width: int = 64               # MLP hidden units per layer, or the GPT's d_model
    depth: int = 1                # MLP hidden layers, or GPT blocks
    n_head: int = 4               # GPT attention heads (must divide width)
    n_ctx: int = 64               # GPT context length in tokens
    # --- optimisation ---
    steps: int = 1000             # optimiser steps
    batch_size: int = 1024        # examples per step (sequences of n_ctx tokens for "text")
    lr: float = 3e-3              # peak learning rate of AdamW
    warmup: float = 0.05          # fraction of the steps spent warming the learning rate up linearly
    final_lr_ratio: float = 0.1   # the cosine decay ends at lr × this (a 10x decay, as in Chinchilla)
    weight_decay: float = 0.0     # AdamW's decoupled weight decay
    seed: int = 0                 # initial weights and the order (or draw) of training data
    pretrain_steps: int = 0       # text: first train this many steps on fresh pystdlib text (own warm-up and decay)
    n_evals: int = 20             # held-out evaluations, spaced evenly in log(step) (fewer in short runs)
    # --- task details (Michaud et al. 2023 and Bahri et al. 2021, scaled down for a CPU) ---
    alpha: float = 0.4            # the task's power law: subtask frequencies or spectrum ∝ i^-(alpha+1)
    n_subtasks: int = 64          # sparse parity: number of subtasks
    n_bits: int = 16              # sparse parity: random bits per example
    k: int = 3                    # sparse parity: bits in each parity
    dim: int = 256                # teacher-student: input dimension
    corpus: str = "pystdlib"      # text: which shipped corpus

    def __post_init__(self):
        _validate(self)

    @property
    def model_kind(self) -> str:
        return "gpt" if self.task == "text" else "mlp"

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "RunConfig":
        check_fields(values, "RunConfig fields")
        return cls(**values)


def check_fields(names, what: str) -> None:
    """A ValueError unless every name in ``names`` is a field of :class:`RunConfig`."""
    known = {f.name for f in fields(RunConfig)}
    unknown = sorted(set(names) - known)
    if unknown:
        raise ValueError(f"{what} must be among {sorted(known)}, got unknown field(s) {unknown}")


def _validate(c: RunConfig) -> None:
    """Raise TypeError or ValueError naming the field and what it accepts, before any training starts."""
    def fail(name, allowed):
        raise ValueError(f"RunConfig.{name} must be {allowed}, got {getattr(c, name)!r}")

    check_choice(c.task, "RunConfig.task", TASKS)
    check_choice(c.corpus, "RunConfig.corpus", CORPORA)
    for name in ("width", "depth", "n_head", "n_ctx", "steps", "batch_size", "n_evals",
                 "n_subtasks", "n_bits", "k", "dim"):
        check_positive_int(getattr(c, name), f"RunConfig.{name}")
    for name in ("width", "depth", "n_ctx", "dim"):       # sizes past these fail in the allocator, not here
        check_int(getattr(c, name), f"RunConfig.{name}", minimum=1, maximum=MAX_SIZE)
    for name in ("n_train", "seed", "pretrain_steps"):
        check_non_negative_int(getattr(c, name), f"RunConfig.{name}")
    if c.pretrain_steps and c.task != "text":
        fail("pretrain_steps", "0 for a task other than text (only a GPT is pre-trained, on the pystdlib corpus)")
    check_positive_number(c.lr, "RunConfig.lr")
    check_positive_number(c.alpha, "RunConfig.alpha")
    check_number(c.warmup, "RunConfig.warmup", minimum=0, below=1)
    check_number(c.final_lr_ratio, "RunConfig.final_lr_ratio", minimum=0, maximum=1)
    check_number(c.weight_decay, "RunConfig.weight_decay", minimum=0)
    if c.task == "sparse_parity":
        if c.k > c.n_bits:
            fail("k", f"1 to n_bits = {c.n_bits}")
        if c.n_subtasks > math.comb(c.n_bits, c.k):
            fail("n_subtasks", f"1 to C(n_bits, k) = {math.comb(c.n_bits, c.k)} (the subsets must differ)")
    if c.task == "text":
        if c.width % c.n_head:
            fail("n_head", f"a divisor of width = {c.width}")
        available = len(load_corpus(c.corpus).train)
        if c.n_train > available:
            fail("n_train", f"0 (all) or at most the {available:,} training tokens of {c.corpus!r}")
        if c.n_train and c.batch_size * c.n_ctx >= c.n_train:     # a window needs n_ctx + 1 tokens
            fail("batch_size", f"at most (n_train - 1) / n_ctx = {(c.n_train - 1) // c.n_ctx} sequences "
                               f"(a batch larger than the data)")
    elif c.n_train and c.batch_size > c.n_train:
        fail("batch_size", f"at most n_train = {c.n_train} (a batch larger than the data)")


@dataclass
class RunRecord:
    """What a run produced. Curves are logged at the evaluation steps; ``train_loss[i]`` is
    the mean training loss since the previous evaluation. Losses are in nats (per token for
    text); a diverged run has ``diverged=True`` and ``None`` where its loss was not finite.

    The same config gives identical losses on one machine with one number of torch ``threads``.
    A different thread count sums the matmuls in another order, which changes a GPT's losses in
    their last digits (measured: up to 6.5e-4 nats after a laptop run); so a sweep trained in
    worker processes (1 thread each) and one trained in this process (the idle cores' worth)
    can differ that much under the same cache key, and ``threads`` says which it was."""

    config: RunConfig
    n_params: int
    n_params_non_embedding: int
    flops_per_token: float        # training FLOPs per token (per example for the MLP tasks)
    tokens_per_step: int
    steps: list[int] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)
    flops: list[float] = field(default_factory=list)
    train_loss: list[float | None] = field(default_factory=list)
    val_loss: list[float | None] = field(default_factory=list)
    diverged: bool = False
    diverged_at_step: int | None = None
    subtask_loss: list[float] | None = None   # sparse parity: final held-out loss of each subtask
    start_loss: float | None = None           # pre-trained runs: the held-out loss before this run's own training
    # text: scored at the end of training on 2048 held-out windows (lesson 07); None for other tasks
    token_accuracy: float | None = None       # share of held-out characters the model's top guess gets right
    exact_match: list[float] | None = None    # [k - 1]: share of k-character continuations it gets all right
    word_accuracy: list[float] | None = None  # [k - 1]: mean share right of the k characters that begin a word
    word_exact_match: list[float] | None = None   # [k - 1]: share of those continuations it gets all right
    position_loss: list[float] | None = None  # [i]: mean held-out loss of the character after i + 1 of context
    seconds: float = 0.0                      # wall time (shared by the runs of a stack)
    device: str = "cpu"
    threads: int = 0                          # torch threads it trained with (0: not recorded); see below
    version: str = __version__

    def _repr_pretty_(self, printer, cycle) -> None:
        # a notebook shows the record in one line; repr() keeps every field, curves included
        c = self.config
        size = f"width {c.width}" + (f", depth {c.depth}" if c.task == "text" else "")
        tokens = self.tokens[-1] if self.tokens else 0
        printer.text(f"RunRecord({c.task}, {size}, {c.steps:,} steps: {self.n_params:,} parameters, "
                     f"{tokens:,} {'tokens' if c.task == 'text' else 'examples'}, "
                     f"final held-out loss {self.final_val_loss:.4f})")

    @property
    def final_val_loss(self) -> float:
        """Held-out loss at the end of training (NaN if the run diverged)."""
        last = self.val_loss[-1] if self.val_loss else None
        return math.nan if last is None else last

    def losses(self, which: str = "val") -> np.ndarray:
        """The held-out (``"val"``) or training (``"train"``) loss at each evaluation as a float
        array, NaN where the run had diverged (stored as None), ready to plot or average."""
        check_choice(which, "which", ("val", "train"))
        values = self.val_loss if which == "val" else self.train_loss
        return np.array([np.nan if v is None else v for v in values], dtype=float)

    @property
    def min_val_loss(self) -> float:
        """Best held-out loss seen during training (early stopping)."""
        finite = [v for v in self.val_loss if v is not None]
        return min(finite) if finite else math.nan

    @property
    def total_flops(self) -> float:
        return self.flops[-1] if self.flops else 0.0

    def to_dict(self) -> dict:
        values = dataclasses.asdict(self)
        values["config"] = self.config.to_dict()
        return values

    @classmethod
    def from_dict(cls, values: dict) -> "RunRecord":
        """A record from its dict (JSON), checked: a ValueError or TypeError names the first field
        that no training run could have written (a cache entry edited or damaged on disk)."""
        values = dict(values)
        unknown = sorted(set(values) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"RunRecord fields must be among {sorted(f.name for f in fields(cls))}, "
                             f"got unknown field(s) {unknown}")
        values["config"] = RunConfig.from_dict(values["config"])
        record = cls(**values)
        _check_record(record)
        return record


def _check_record(r: RunRecord) -> None:
    """Raise unless every field holds what a training run writes: equal-length curves, losses that
    are finite and >= 0 (or None after a divergence), positive counts, a yes/no ``diverged``."""
    check_instance(r.diverged, "RunRecord.diverged", bool, "True or False")
    for name in ("n_params", "n_params_non_embedding", "tokens_per_step"):
        check_positive_int(getattr(r, name), f"RunRecord.{name}")
    check_positive_number(r.flops_per_token, "RunRecord.flops_per_token")
    check_number(r.seconds, "RunRecord.seconds", minimum=0)
    check_int(r.threads, "RunRecord.threads", minimum=0)
    curves = ("steps", "tokens", "flops", "train_loss", "val_loss")
    for name in curves:
        check_instance(getattr(r, name), f"RunRecord.{name}", list, "a list")
    lengths = {name: len(getattr(r, name)) for name in curves}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"RunRecord's curves must have one entry per evaluation, got lengths {lengths}")
    for i, step in enumerate(r.steps):
        check_positive_int(step, f"RunRecord.steps[{i}]")
    if any(b <= a for a, b in zip(r.steps, r.steps[1:])):
        raise ValueError(f"RunRecord.steps must increase, got {r.steps}")
    for name in ("train_loss", "val_loss"):
        for i, value in enumerate(getattr(r, name)):
            if value is not None:
                check_number(value, f"RunRecord.{name}[{i}]", minimum=0)
    if not r.diverged and (not r.val_loss or r.val_loss[-1] is None):
        raise ValueError("RunRecord.val_loss must end with a held-out loss for a run that did not diverge, "
                         f"got {r.val_loss}")
    if r.start_loss is not None:
        check_number(r.start_loss, "RunRecord.start_loss", minimum=0)
    if r.token_accuracy is not None:
        check_number(r.token_accuracy, "RunRecord.token_accuracy", minimum=0, maximum=1)
    for name, top in (("exact_match", 1), ("word_accuracy", 1), ("word_exact_match", 1), ("position_loss", None)):
        values = getattr(r, name)
        if values is not None:
            check_instance(values, f"RunRecord.{name}", list, "a list or None")
            for i, value in enumerate(values):
                check_number(value, f"RunRecord.{name}[{i}]", minimum=0, maximum=top)
    if r.subtask_loss is not None:
        check_instance(r.subtask_loss, "RunRecord.subtask_loss", list, "a list or None")
        for i, value in enumerate(r.subtask_loss):
            check_number(value, f"RunRecord.subtask_loss[{i}]", minimum=0)
