"""Speed benchmarks. Each ``bench_*.py`` module has a ``main()`` that measures a baseline and
the fast path in the same run and prints their ratio (machines are shared and noisy, so
absolute timings mean little). Run them all with ``python -m bench`` or one with
``python -m bench fit``.
"""
