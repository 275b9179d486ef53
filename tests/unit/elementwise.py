"""One of jit.Builder's functions (exp, sigmoid, log, tanh, ...) compiled over an array, for tests
that hold it to numpy."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def compiled(name: str) -> Callable[[np.ndarray], np.ndarray]:
    from tutor.experiments.nets import jit

    b = jit.Builder(f"test_{name}", arrays=2, ints=1, floats=0)
    x, y = b.array(0), b.array(1)
    with b.loop(b.ints[0]) as i:
        y[i] = getattr(b, name)(x[i])
    f = b.compile()

    def run(v: np.ndarray) -> np.ndarray:
        v = np.ascontiguousarray(v, dtype=float)
        out = np.empty_like(v)
        f(v.ctypes.data, out.ctypes.data, len(v))
        return out

    return run
