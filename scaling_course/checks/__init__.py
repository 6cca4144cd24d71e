"""The learners' self-checks: ``check("lesson.exercise", answer)`` and its registry (``registry.py``),
with one module of checks per lesson, named like the lesson's module in ``scaling_course.lessons``."""

from .registry import CheckResult, available_checks, check

__all__ = ["CheckResult", "available_checks", "check"]
