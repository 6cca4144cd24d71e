"""Training a language model that is kept, and sampling text from it."""

import pytest

from scaling_course.engine.models import gpt
from scaling_course.engine.runs import RunConfig
from scaling_course.engine.train import train
from scaling_course.lessons.tiny_models import (
    SamplingExplorer,
    next_char_probabilities,
    sample_text,
    train_language_model,
)
from scaling_course.syllabus.sweeps import TEXT

CONFIG = RunConfig(**{**TEXT.to_dict(), "width": 16, "n_head": 1, "steps": 8, "batch_size": 4})


@pytest.fixture(scope="module")
def trained():
    return train_language_model(CONFIG, device="cpu")


def test_record_matches_the_engine_and_the_model_is_kept(trained):
    """train_model hands back the network train() builds: same loop, same seeds, same record."""
    record, model = trained
    assert isinstance(model, gpt.GPT) and not model.training
    assert record.val_loss == train(CONFIG, device="cpu").val_loss


def test_sampling_is_reproducible_and_continues_the_prompt(trained):
    _, model = trained
    first = sample_text(model, "def ", n_chars=30, temperature=1.0, seed=3)
    assert first.startswith("def ") and len(first) == 34
    assert first == sample_text(model, "def ", n_chars=30, temperature=1.0, seed=3)
    assert sample_text(model, "x", n_chars=0) == "x"


def test_zero_temperature_takes_the_likeliest_character(trained):
    _, model = trained
    probabilities = next_char_probabilities(model, "import ")
    assert abs(sum(probabilities.values()) - 1) < 1e-9
    likeliest = next(iter(probabilities))
    assert sample_text(model, "import ", n_chars=1, temperature=0) == "import " + likeliest


def test_long_prompts_are_cropped_to_the_context(trained):
    _, model = trained
    prompt = "a" * (model.config.n_ctx + 20)
    assert len(sample_text(model, prompt, n_chars=5, temperature=0.5)) == len(prompt) + 5


@pytest.mark.parametrize("kwargs, error, message", [
    ({"prompt": ""}, ValueError, "prompt must be a non-empty string"),
    ({"prompt": 3}, TypeError, "prompt must be a string"),
    ({"prompt": "caf\u00e9"}, ValueError, "vocabulary"),
    ({"n_chars": -1}, ValueError, "n_chars must be a whole number >= 0, got -1"),
    ({"n_chars": 2.5}, TypeError, "n_chars must be a whole number >= 0, got float 2.5"),
    ({"temperature": -0.1}, ValueError, "temperature .* must be a finite number >= 0"),
    ({"temperature": float("nan")}, ValueError, "temperature"),
])
def test_bad_sampling_inputs_say_what_is_wrong(trained, kwargs, error, message):
    _, model = trained
    arguments = {"prompt": "def ", "n_chars": 5, "temperature": 1.0, **kwargs}
    with pytest.raises(error, match=message):
        sample_text(model, **arguments)


def test_only_text_configs_train_a_language_model():
    with pytest.raises(ValueError, match=r"config.task \(a language model reads text\) must be one of 'text'"):
        train_language_model(RunConfig(task="sparse_parity", steps=2))
    with pytest.raises(TypeError, match="config must be RunConfig, got dict"):
        train_language_model({"task": "text"})
    with pytest.raises(TypeError, match="model must be a trained GPT"):
        sample_text("not a model", "def ")


def test_sampling_explorer_updates(trained):
    _, model = trained
    explorer = SamplingExplorer(model, prompt="class ", n_chars=20)
    assert explorer.update("class ", 0.0, 0) == sample_text(model, "class ", 20, 0.0, 0)
    assert explorer.widget() is not None
