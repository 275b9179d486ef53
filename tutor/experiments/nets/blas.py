"""One BLAS thread. The laboratory's matrices are small (at most a few hundred rows): a threaded
BLAS gains nothing on them and loses badly when the cores are busy. On the 2-core machine these
benchmarks ran on, with other work running, a 60×60 ``eigh`` took 135 ms with OpenBLAS's two
threads and 0.6 ms with one; a Hessian-vector product of a 10 900-parameter net 316 ms against 8 ms.

``single_thread()`` limits every BLAS library loaded so far (numpy's, and scipy's once it is
imported); it is cheap to call again after importing more of scipy. Without threadpoolctl it does
nothing."""

from __future__ import annotations

import sys

_done: set[str] = set()


def single_thread() -> None:
    key = ",".join(m for m in ("numpy", "scipy.linalg") if m in sys.modules)
    if key in _done:
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency; keep working without it
        return
    threadpool_limits(1, user_api="blas")
    _done.add(key)
