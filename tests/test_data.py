"""The shipped corpus and the synthetic tasks."""

import math

import numpy as np
import pytest
import torch

from scaling_course.engine.data import corpus as corpus_module
from scaling_course.engine.data.corpus import BLOCK, load_corpus, load_text
from scaling_course.engine.data.tasks import SparseParity, TeacherStudent, TextTask
from scaling_course.science.laws import unlearned_fraction, zipf_frequencies


def test_corpus_is_large_ascii_and_ships_its_licence():
    text = load_text("pystdlib")
    assert len(text) >= 5_000_000                     # three decades of data below 5 MB
    assert text.isascii()
    assert "\r" not in text
    licence = (corpus_module.DATA_DIR / "pystdlib-LICENSE.txt").read_text()
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in licence


def test_corpus_split_is_disjoint_deterministic_and_round_trips():
    corpus = load_corpus()
    text = load_text()
    assert len(corpus.train) + len(corpus.val) == len(text)
    assert 0.04 < len(corpus.val) / len(text) < 0.06          # every 20th block is held out
    # the first validation block is block 19 of the text
    start = corpus_module.BLOCK * (corpus_module.VALIDATION_EVERY - 1)
    assert corpus.decode(corpus.val[:100]) == text[start:start + 100]
    assert corpus.decode(corpus.train[:100]) == text[:100]
    assert corpus.decode(corpus.encode("def f(x):\n    return x")) == "def f(x):\n    return x"
    assert corpus.vocab_size == len(set(text)) < 128
    with pytest.raises(ValueError, match="not in the"):
        corpus.encode("caf\u00e9")


def test_unknown_corpus_names_the_allowed_values():
    with pytest.raises(ValueError, match=r"name \(the corpus\) must be one of 'pystdlib'.*got 'shakespeare'"):
        load_corpus("shakespeare")


def test_rebuilding_the_corpus_follows_the_selection_rule(tmp_path):
    lib = tmp_path / "lib"
    (lib / "pkg").mkdir(parents=True)
    (lib / "test").mkdir()
    (lib / "b.py").write_text("x = 1\r\n")
    (lib / "a.py").write_text("y = 2\n")
    (lib / "pkg" / "c.py").write_text("z = 3\n")
    (lib / "test" / "t.py").write_text("skipped = True\n")
    (lib / "u.py").write_bytes("s = '\u00e9'\n".encode())        # not ASCII: skipped
    (lib / "LICENSE.txt").write_text("licence text")
    out = tmp_path / "out"
    out.mkdir()
    path = corpus_module.build_pystdlib_corpus(out, stdlib=lib)
    import lzma
    text = lzma.open(path, "rt").read()
    assert text == ("# ===== Lib/a.py =====\ny = 2\n\n# ===== Lib/b.py =====\nx = 1\n\n"
                    "# ===== Lib/pkg/c.py =====\nz = 3\n")
    assert (out / "pystdlib-LICENSE.txt").read_text() == "licence text"


def test_sparse_parity_labels_are_parities_of_the_subtask_bits():
    task = SparseParity(n_subtasks=20, n_bits=8, k=3)
    x, y = task.draw_fresh(500, torch.Generator().manual_seed(1))
    assert x.shape == (500, 28) and y.shape == (500,)
    subtask = x[:, :20].argmax(dim=1)
    assert torch.all(x[:, :20].sum(dim=1) == 1)
    bits = x[:, 20:].long()
    for i in range(500):
        assert y[i] == bits[i, task.subsets[subtask[i]]].sum() % 2
    assert len({tuple(s.tolist()) for s in task.subsets}) == 20       # distinct subsets


def test_sparse_parity_can_give_the_subtask_as_an_index():
    one_hot = SparseParity(n_subtasks=20, n_bits=8, k=3)
    index = SparseParity(n_subtasks=20, n_bits=8, k=3, subtask_as_index=True)
    assert (one_hot.one_hot_index, index.one_hot_index) == (0, 20) and index.input_dim == one_hot.input_dim
    x, y = one_hot.draw_fresh(300, torch.Generator().manual_seed(1))
    xi, yi = index.draw_fresh(300, torch.Generator().manual_seed(1))
    assert xi.shape == (300, 1 + 8) and xi.dtype == torch.int64 and torch.equal(y, yi)
    assert torch.equal(xi[:, 0], x[:, :20].argmax(dim=1)) and torch.equal(xi[:, 1:].float(), x[:, 20:])
    xe, ye, we = one_hot.eval_set()
    xie, yie, wie = index.eval_set()
    assert torch.equal(xie[:, 0], xe[:, :20].argmax(dim=1)) and torch.equal(ye, yie) and torch.equal(we, wie)


def test_sparse_parity_frequencies_follow_zipf():
    task = SparseParity(n_subtasks=10, alpha=0.5)
    p = task.frequencies
    assert math.isclose(p.sum().item(), 1.0)
    assert math.isclose((p[0] / p[3]).item(), 4 ** 1.5, rel_tol=1e-9)
    x, _ = task.draw_fresh(200_000, torch.Generator().manual_seed(0))
    observed = x[:, :10].mean(dim=0).double()
    assert torch.allclose(observed, p, atol=0.005)


def test_sparse_parity_eval_set_weights_subtasks_by_frequency():
    task = SparseParity(n_subtasks=12, n_bits=8, eval_per_subtask=16)
    x, y, weight = task.eval_set()
    assert len(x) == 12 * 16
    assert math.isclose(weight.sum().item(), 1.0, rel_tol=1e-6)
    per_subtask = weight.view(12, 16).sum(dim=1).double()
    assert torch.allclose(per_subtask, task.frequencies, rtol=1e-6)
    x2, y2, _ = task.eval_set()
    assert torch.equal(x, x2) and torch.equal(y, y2)            # fixed held-out set


def test_the_quantization_law_is_the_zipf_tail_of_the_tasks_own_frequencies():
    task = SparseParity(n_subtasks=500, n_bits=20, alpha=0.4)
    p = task.frequencies.numpy()                   # what the data is drawn from (engine)
    assert p == pytest.approx(zipf_frequencies(500, 0.4))          # what the law assumes (science)

    def unlearned(n):
        return unlearned_fraction(n, 500, 0.4)
    assert unlearned(0) == pytest.approx(1.0)
    assert unlearned(3) == pytest.approx(p[3:].sum())
    assert unlearned(2.5) == pytest.approx((p[2:].sum() + p[3:].sum()) / 2)
    assert unlearned(500) == pytest.approx(0.0, abs=1e-9)
    # the tail sum is ∝ (n + ½)^-α − (500 + ½)^-α (midpoint rule): a power law with exponent α,
    # cut off at the last subtask (Michaud et al. 2023)
    def continuum(n):
        return (n + 0.5) ** -0.4 - 500.5 ** -0.4
    assert unlearned(20) / unlearned(10) == pytest.approx(
        continuum(20) / continuum(10), rel=0.01)


def test_teacher_student_has_a_power_law_spectrum():
    task = TeacherStudent(dim=32, alpha=0.5)
    x, y = task.draw_fresh(40_000, torch.Generator().manual_seed(0))
    variance = x.var(dim=0)
    assert torch.allclose(variance, torch.arange(1, 33.0) ** -1.5, rtol=0.05)
    assert torch.allclose(y, x @ task.teacher)


def test_fixed_training_set_repeats_examples_and_fresh_data_does_not():
    task = SparseParity(n_subtasks=8, n_bits=8)
    draw_fixed = task.sampler(n_train=50, seed=3)
    seen = {tuple(row.tolist()) for _ in range(20) for row in draw_fixed(25)[0]}
    assert len(seen) <= 50
    draw_fresh = task.sampler(n_train=0, seed=3)
    first, again = draw_fresh(25), task.sampler(n_train=0, seed=3)(25)
    assert torch.equal(first[0], again[0])                    # same seed, same data


def test_text_windows_are_shifted_by_one_and_stay_in_the_training_set():
    task = TextTask(n_ctx=16)
    x, y = task.sampler(n_train=1000, seed=0)(64)
    assert x.shape == y.shape == (64, 16)
    assert torch.equal(x[:, 1:], y[:, :-1])
    training_set = task.tokens.decode(task.training_set(1000, seed=0).tolist())
    for row in x[:8]:
        assert task.tokens.decode(row.tolist()) in training_set
    xe, ye, we = task.eval_set()
    assert xe.shape == (task.eval_windows, 16) and math.isclose(we.sum().item(), 1.0, rel_tol=1e-6)


def unigram_distance(tokens, other, vocab_size):
    """Total variation distance between the character frequencies of two token arrays."""
    p = np.bincount(tokens, minlength=vocab_size) / len(tokens)
    q = np.bincount(other, minlength=vocab_size) / len(other)
    return 0.5 * np.abs(p - q).sum()


def test_a_fixed_text_training_set_samples_the_whole_corpus_like_the_validation_split():
    # The confound this guards: the first U characters of a sorted list of files are a handful of
    # modules. Measured: at U = 215,046 random blocks sit 0.021-0.035 (seeds 0-2) from the
    # validation split's character frequencies, the prefix 0.051; the blocks span the whole split.
    task = TextTask()
    train, val, vocab = task.tokens.train, task.tokens.val, task.tokens.vocab_size
    for seed in range(3):
        chosen = task.training_set(215_046, seed)
        assert len(chosen) == 215_046
        assert unigram_distance(chosen, val, vocab) < 0.04
    assert unigram_distance(train[:215_046], val, vocab) > 0.045     # the old prefix would fail
    # the blocks come from every tenth of the training split, not from its start
    blocks = {tuple(train[i:i + 64]) for i in range(0, len(train), BLOCK)}
    chosen = task.training_set(215_046, seed=0)
    firsts = [i for i in range(0, len(train), BLOCK) if tuple(train[i:i + 64]) in
              {tuple(chosen[j:j + 64]) for j in range(0, len(chosen), BLOCK)}]
    assert len(blocks) > 1000 and len({10 * i // len(train) for i in firsts}) == 10


def test_a_smaller_training_set_is_the_start_of_a_larger_one_with_the_same_seed():
    task = TextTask()
    small, large = task.training_set(50_000, seed=4), task.training_set(400_000, seed=4)
    assert np.array_equal(small, large[:50_000])
    assert not np.array_equal(small, task.training_set(50_000, seed=5))
    assert task.training_set(0, seed=4) is task.tokens.train          # 0 = the whole training split
    parity = SparseParity(n_subtasks=8, n_bits=8)
    x_small, y_small = parity.nested_training_set(5000, torch.Generator().manual_seed(1))
    x_large, y_large = parity.nested_training_set(9000, torch.Generator().manual_seed(1))
    assert torch.equal(x_small, x_large[:5000]) and torch.equal(y_small, y_large[:5000])
