"""Train a tiny language model and keep it, then let it write text.

    >>> from scaling_course.lessons.tiny_models import train_language_model, sample_text
    >>> from scaling_course.engine.runs import RunConfig
    >>> record, model = train_language_model(RunConfig(task="text", width=32, n_head=2, steps=50))  # doctest: +SKIP
    >>> print(sample_text(model, "def ", n_chars=80))                                                # doctest: +SKIP

:func:`scaling_course.engine.train.train` returns the run's record but not the trained weights, which
is all a scaling sweep needs. To *sample* from a model we need the model itself, so
:func:`train_language_model` runs the same training loop through ``train.train_model``, which
also hands back the trained network: the record is identical to the one ``train`` returns.

:func:`sample_text` then generates characters one at a time: the model gives a probability
for every next character, we draw one (``temperature`` sharpens or flattens the
distribution, 0 always takes the most likely character), append it and repeat.
"""

from __future__ import annotations

__all__ = ["SamplingExplorer", "next_char_probabilities", "sample_text", "train_language_model"]

import ipywidgets as w
import torch

from scaling_course.engine.data.corpus import load_corpus
from scaling_course.engine.models import gpt
from scaling_course.engine.runs import RunConfig, RunRecord
from scaling_course.engine.train import train_model
from scaling_course.validation import (
    check_choice,
    check_instance,
    check_int,
    check_non_negative_int,
    check_number,
    check_positive_int,
)

from .explorer import Explorer


def train_language_model(config: RunConfig, device: str | None = None) -> tuple[RunRecord, gpt.GPT]:
    """Train one GPT on a text config and return ``(record, model)``.

    The record is what :func:`scaling_course.engine.train.train` returns for ``config`` (same loop,
    same seeds); the model is the trained network, in evaluation mode, on the CPU.
    """
    check_instance(config, "config", RunConfig)
    check_choice(config.task, "config.task (a language model reads text)", ("text",))
    record, model = train_model(config, device)
    return record, model.cpu().eval()


def _check_sampling_inputs(model, prompt, n_chars, temperature, corpus):
    check_instance(model, "model", gpt.GPT, "a trained GPT (from train_language_model)")
    check_int(model.n_models, "model.n_models (one model to sample from)", minimum=1, maximum=1)
    if not check_instance(prompt, "prompt", str, "a string such as 'def '"):
        raise ValueError("prompt must be a non-empty string such as 'def ', got ''")
    check_non_negative_int(n_chars, "n_chars")
    check_number(temperature, "temperature (0 = always the likeliest)", minimum=0)
    unknown = sorted(set(prompt) - set(corpus.vocab))
    if unknown:
        raise ValueError(f"prompt must use only characters of the {corpus.name!r} vocabulary, got {unknown!r}")
    if corpus.vocab_size != model.config.vocab_size:
        raise ValueError(f"the model predicts {model.config.vocab_size} tokens but corpus {corpus.name!r} "
                         f"has {corpus.vocab_size}")


@torch.no_grad()
def next_char_probabilities(model: gpt.GPT, prompt: str, corpus: str = "pystdlib") -> dict[str, float]:
    """The model's probability for each possible next character after ``prompt``, likeliest first."""
    text = load_corpus(corpus)
    _check_sampling_inputs(model, prompt, 0, 1.0, text)
    context = torch.from_numpy(text.encode(prompt).astype("int64"))[None, -model.config.n_ctx:]
    probs = torch.softmax(model(context[None])[0, 0, -1].double(), dim=-1)     # a stack of one model
    order = torch.argsort(probs, descending=True).tolist()
    return {text.vocab[i]: float(probs[i]) for i in order}


@torch.no_grad()
def sample_text(model: gpt.GPT, prompt: str, n_chars: int = 200, temperature: float = 1.0,
                seed: int = 0, corpus: str = "pystdlib") -> str:
    """Continue ``prompt`` with ``n_chars`` characters drawn from the model; returns prompt + continuation.

    Each step feeds the last ``n_ctx`` characters to the model, divides the next-character
    logits by ``temperature`` and draws from the softmax (``temperature=0``: the most likely
    character every time). The draw is reproducible: the same ``seed`` gives the same text.
    """
    text = load_corpus(corpus)
    _check_sampling_inputs(model, prompt, n_chars, temperature, text)
    was_training = model.training
    model.eval()
    generator = torch.Generator().manual_seed(int(seed))
    tokens = torch.from_numpy(text.encode(prompt).astype("int64"))[None, :]
    try:
        for _ in range(n_chars):
            logits = model(tokens[None, :, -model.config.n_ctx:])[0, 0, -1].double()   # a stack of one model
            if temperature == 0:
                choice = torch.argmax(logits).view(1)
            else:
                probs = torch.softmax(logits / temperature, dim=-1)
                choice = torch.multinomial(probs, 1, generator=generator)
            tokens = torch.cat([tokens, choice.view(1, 1)], dim=1)
    finally:
        model.train(was_training)
    return text.decode(tokens[0].tolist())


class SamplingExplorer(Explorer):
    """Sliders for temperature and seed over text sampled from a trained model, redrawn live.

    Low temperatures repeat the likeliest characters (safe, dull, loops); high temperatures
    draw unlikely ones too (varied, then gibberish).
    """

    failure = "Cannot sample"

    def __init__(self, model: gpt.GPT, prompt: str = "def ", n_chars: int = 300, corpus: str = "pystdlib"):
        super().__init__()
        _check_sampling_inputs(model, prompt, n_chars, 1.0, load_corpus(corpus))
        check_positive_int(n_chars, "n_chars")
        self.model, self.n_chars, self.corpus = model, n_chars, corpus
        # sample when the learner presses Enter or leaves the box, not at every key (half a prompt fails)
        self.prompt = w.Text(value=prompt, description="prompt", continuous_update=False)
        self.temperature = w.FloatSlider(value=0.8, min=0.0, max=2.0, step=0.1, description="temperature",
                                         continuous_update=False)
        self.seed = w.IntSlider(value=0, min=0, max=20, description="seed", continuous_update=False)
        self.watch(self.prompt, self.temperature, self.seed)

    def update(self, prompt: str, temperature: float, seed: int) -> str:
        """The sampled text for these settings."""
        return sample_text(self.model, prompt, self.n_chars, temperature, seed, self.corpus)

    def current(self):
        return self.update(self.prompt.value, self.temperature.value, self.seed.value), None

    def controls(self) -> list:
        return [w.HBox([self.temperature, self.seed]), self.prompt]
