"""The course's version: part of every run's cache key, so a new version never reuses an older result."""

__all__ = ["__version__"]

__version__ = "0.3.0"
