"""The engine: tiny models, shipped data and synthetic tasks, the training loop, sweeps and their cache.
The only layer that imports torch (``runs.py``, the plain-data config and record, does not); it knows no lesson."""
