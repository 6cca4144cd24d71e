"""Data that ships with the course: a real text corpus and synthetic tasks with known scaling.

* ``corpus``: a fixed selection of Python's standard-library source (6 MB of text), with a
  held-out validation split and character-level tokens.
* ``tasks``: multitask sparse parity and teacher-student regression, whose scaling exponents
  are predicted by theory, and the next-character text task, behind one interface.
"""

from .corpus import Corpus, load_corpus, load_text
from .tasks import SparseParity, TeacherStudent, TextTask

__all__ = ["Corpus", "load_corpus", "load_text", "SparseParity", "TeacherStudent", "TextTask"]
