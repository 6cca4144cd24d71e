"""The learners' self-checks: ``check("lesson.exercise", answer)`` and its registry (``registry.py``),
with one module of checks per lesson, named like the lesson's module in ``scaling_course.lessons``."""

from .registry import CheckResult, available_checks, check, progress
from .timing import install_while_grading

install_while_grading()     # while nbgrader grades: a time limit on every cell (see timing.py)

__all__ = ["CheckResult", "available_checks", "check", "progress"]
