"""Run small fits with single-threaded BLAS: on a busy machine threads make them 10-100× slower.

SciPy's L-BFGS-B and ``least_squares`` call LAPACK on matrices of a few rows. OpenBLAS hands
even those to its worker threads, and when other processes occupy the cores each call waits for
a thread to be scheduled. Measured on the course's 2-core machine under load: 30 Chinchilla fits
took 0.4-12 s with the default threads and 0.1 s with one thread, every time.

:func:`single_threaded_blas` sets the OpenBLAS libraries bundled with numpy and scipy to one
thread and restores them afterwards. It is best effort: where no OpenBLAS is found (e.g. numpy
built on Apple's Accelerate) it does nothing, which is also harmless.
"""

from __future__ import annotations

import ctypes
import glob
import os
from contextlib import contextmanager

# (setter, getter) names exported by OpenBLAS builds: plain, scipy-openblas32, scipy-openblas64
_SYMBOLS = (("openblas_set_num_threads", "openblas_get_num_threads"),
            ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
            ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"))
_controls: list[tuple] | None = None


def _bundled_openblas() -> list[tuple]:
    """(set, get) function pairs of every OpenBLAS shipped inside the numpy and scipy wheels."""
    import numpy
    import scipy
    controls = []
    for package in (numpy, scipy):
        root = os.path.dirname(os.path.dirname(package.__file__))
        name = package.__name__
        patterns = [os.path.join(root, f"{name}.libs", "*openblas*"),
                    os.path.join(root, name, ".dylibs", "*openblas*")]
        for path in sorted({p for pattern in patterns for p in glob.glob(pattern)}):
            try:
                library = ctypes.CDLL(path)
            except OSError:
                continue
            for setter, getter in _SYMBOLS:
                if hasattr(library, setter) and hasattr(library, getter):
                    controls.append((getattr(library, setter), getattr(library, getter)))
                    break
    return controls


@contextmanager
def single_threaded_blas():
    """Within the block, OpenBLAS uses one thread; the previous settings come back afterwards.

    >>> with single_threaded_blas():
    ...     pass
    """
    global _controls
    if _controls is None:
        _controls = _bundled_openblas()
    previous = [get() for _, get in _controls]
    for set_threads, _ in _controls:
        set_threads(1)
    try:
        yield
    finally:
        for (set_threads, _), threads in zip(_controls, previous):
            set_threads(threads)
