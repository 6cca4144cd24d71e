"""Real text corpora that ship with the course: Python's own standard library, and its tests.

Every Python installation carries the source code of its standard library, and the Python
Software Foundation licence allows redistributing it (the licence text sits beside the corpus
as ``pystdlib-LICENSE.txt``). We took a fixed selection of those files once, with
:func:`build_pystdlib_corpus`, and ship it compressed as ``pystdlib.txt.xz``. The course never
reads the running interpreter's library at run time: it differs between Python versions, and
the same seed must give the same data everywhere.

Tokens are characters (the corpus is pure ASCII), so the vocabulary is about 100 symbols and a
tiny language model can be trained on a CPU. Rebuild the file (only needed to change the
selection) with::

    python -m scaling_course.engine.data.corpus build

A second, smaller corpus, ``pytests``, holds files of the standard library's own test suite (``Lib/test``), which
``pystdlib`` leaves out: code of a different kind (test classes, assertions, fixtures) for lesson 07's transfer
experiment. It is written in ``pystdlib``'s vocabulary, so a model trained on one reads the other.
"""

from __future__ import annotations

__all__ = ["Corpus", "corpus_path", "load_corpus"]

import functools
import lzma
import pathlib
import sys
import sysconfig
from dataclasses import dataclass

import numpy as np

from scaling_course.validation import check_choice, check_instance

DATA_DIR = pathlib.Path(__file__).parent
CORPORA = ("pystdlib", "pytests")          # names accepted by load_corpus
#: A corpus whose token ids are another's: a model trained on the one can read the other.
VOCABULARY_OF = {"pytests": "pystdlib"}
TESTS_TARGET_CHARS = 1_500_000

# The selection: every pure-ASCII ``.py`` file of the standard library outside the folders below,
# in sorted path order, until the text reaches this many characters.
TARGET_CHARS = 6_000_000
SKIPPED_FOLDERS = {"test", "tests", "idle_test", "site-packages", "__pycache__",
                   "encodings"}     # encodings: mostly machine-generated character tables

# Held-out validation split: the text is cut into blocks of BLOCK characters and every
# VALIDATION_EVERY-th block is held out, so both splits mix all parts of the library.
BLOCK = 4096
VALIDATION_EVERY = 20


@dataclass(frozen=True)
class Corpus:
    """A character-level corpus split into training and validation tokens."""

    name: str
    vocab: str                   # the characters, in sorted order; token id = position here
    train: np.ndarray            # uint8 token ids of the training split
    val: np.ndarray              # uint8 token ids of the held-out validation split

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def encode(self, text: str) -> np.ndarray:
        """Characters -> token ids. Characters outside the vocabulary raise ``ValueError``."""
        index = {c: i for i, c in enumerate(self.vocab)}
        unknown = sorted(set(text) - set(index))
        if unknown:
            raise ValueError(f"characters {unknown!r} are not in the {self.name!r} vocabulary")
        return np.array([index[c] for c in text], dtype=np.uint8)

    def decode(self, tokens) -> str:
        """Token ids -> characters."""
        return "".join(self.vocab[int(t)] for t in tokens)


def corpus_path(name: str) -> pathlib.Path:
    """Where the shipped corpus ``name`` lies (xz-compressed text)."""
    check_choice(check_instance(name, "name (the corpus)", str), "name (the corpus)", CORPORA)
    return DATA_DIR / f"{name}.txt.xz"


@functools.lru_cache(maxsize=None)
def load_text(name: str = "pystdlib") -> str:
    """The corpus as one string (decompressed once per process)."""
    with lzma.open(corpus_path(name), "rt", encoding="ascii", newline="") as f:
        return f.read()


@functools.lru_cache(maxsize=None)
def load_corpus(name: str = "pystdlib") -> Corpus:
    """Load a shipped corpus, tokenised and split into training and validation tokens.

    >>> corpus = load_corpus()
    >>> corpus.decode(corpus.encode("def f(x):"))
    'def f(x):'
    """
    text = load_text(name)
    vocab = "".join(sorted(set(load_text(VOCABULARY_OF.get(name, name)))))
    lookup = np.zeros(128, dtype=np.uint8)
    lookup[[ord(c) for c in vocab]] = np.arange(len(vocab), dtype=np.uint8)
    tokens = lookup[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]
    block_index = np.arange(len(tokens)) // BLOCK
    held_out = block_index % VALIDATION_EVERY == VALIDATION_EVERY - 1
    train, val = tokens[~held_out], tokens[held_out]
    train.setflags(write=False)
    val.setflags(write=False)
    return Corpus(name, vocab, train, val)


def select_stdlib_files(stdlib: pathlib.Path, target_chars: int = TARGET_CHARS) -> list[pathlib.Path]:
    """The fixed selection rule: sorted pure-ASCII ``.py`` files outside test folders."""
    chosen, total = [], 0
    for path in sorted(stdlib.rglob("*.py"), key=lambda p: p.relative_to(stdlib).as_posix()):
        relative = path.relative_to(stdlib)
        if SKIPPED_FOLDERS & set(relative.parts[:-1]):
            continue
        raw = path.read_bytes()
        if not raw.isascii():
            continue
        chosen.append(path)
        total += len(raw.replace(b"\r", b"")) + len(_header(relative))
        if total >= target_chars:
            break
    return chosen


def select_test_files(stdlib: pathlib.Path, vocab: str, target_chars: int = TESTS_TARGET_CHARS) -> list[pathlib.Path]:
    """The selection rule of ``pytests``: sorted ``test/test_*.py`` files whose characters all lie in ``vocab``."""
    chosen, total, allowed = [], 0, set(vocab.encode("ascii"))
    for path in sorted((stdlib / "test").glob("test_*.py")):
        raw = path.read_bytes().replace(b"\r", b"")
        if not raw.isascii() or not set(raw) <= allowed:
            continue
        chosen.append(path)
        total += len(raw) + len(_header(path.relative_to(stdlib)))
        if total >= target_chars:
            break
    return chosen


def build_pytests_corpus(out_dir: pathlib.Path = DATA_DIR, stdlib: pathlib.Path | None = None) -> pathlib.Path:
    """Rebuild ``pytests.txt.xz`` from a standard library's test folder (default: this interpreter's), in
    ``pystdlib``'s vocabulary. The shipped file was built with CPython 3.11.7."""
    stdlib = pathlib.Path(stdlib or sysconfig.get_paths()["stdlib"])
    vocab = "".join(sorted(set(load_text("pystdlib"))))
    parts = [_header(path.relative_to(stdlib)) + path.read_bytes().replace(b"\r", b"")
             for path in select_test_files(stdlib, vocab)]
    out = pathlib.Path(out_dir) / "pytests.txt.xz"
    with lzma.open(out, "wb", preset=9 | lzma.PRESET_EXTREME) as f:
        f.write(b"\n".join(parts))
    return out


def _header(relative: pathlib.PurePath) -> bytes:
    return f"# ===== Lib/{relative.as_posix()} =====\n".encode("ascii")


def build_pystdlib_corpus(out_dir: pathlib.Path = DATA_DIR, stdlib: pathlib.Path | None = None) -> pathlib.Path:
    """Rebuild ``pystdlib.txt.xz`` from a standard library folder (default: this interpreter's).

    Each file is preceded by a one-line header naming it; carriage returns are dropped.
    The shipped file was built with CPython 3.11.7.
    """
    stdlib = pathlib.Path(stdlib or sysconfig.get_paths()["stdlib"])
    parts = []
    for path in select_stdlib_files(stdlib):
        parts.append(_header(path.relative_to(stdlib)) + path.read_bytes().replace(b"\r", b""))
    out = pathlib.Path(out_dir) / "pystdlib.txt.xz"
    with lzma.open(out, "wb", preset=9 | lzma.PRESET_EXTREME) as f:
        f.write(b"\n".join(parts))
    licence = stdlib / "LICENSE.txt"          # the PSF licence that covers the copied files
    (pathlib.Path(out_dir) / "pystdlib-LICENSE.txt").write_bytes(licence.read_bytes())
    return out


if __name__ == "__main__":
    builders = {"pystdlib": build_pystdlib_corpus, "pytests": build_pytests_corpus}
    if sys.argv[1:2] != ["build"] or not set(sys.argv[2:]) <= set(builders):
        sys.exit("usage: python -m scaling_course.engine.data.corpus build [pystdlib] [pytests]")
    for name in sys.argv[2:] or builders:
        print(f"wrote {builders[name]()}")
