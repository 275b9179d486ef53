"""The census's steps compiled (see ``jit``): the arithmetic of ``census._numpy_steps``, as loops
over the starts that LLVM turns into SIMD code. 200 XOR networks × 20 000 steps take about 0.07 s
here (numpy: 0.42 s); compiling one kernel takes about 0.1 s, once per process and per
(activation, output, loss): every width of a census shares it.

The kernel takes ``steps`` steps of θ ← θ − η∇L(θ) on the block P (d, S) laid out as in
``census``; it computes no loss (the caller does, with numpy, between calls). Arguments: the
arrays P, G (d, S; zero on entry and on return), X (N, I), y (N,), and work arrays h (H, S), o, δ,
a (S,); then S, N, I, H, the number of steps, and η times the loss's scale.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache

from tutor.experiments.nets import jit

_lock = threading.Lock()


def kernel(activation: str, output: str, loss: str, record: bool = False) -> Callable[..., None]:
    """The kernel; with ``record`` (squared-error losses only) it takes a ninth array L (steps, S)
    and a second float, the loss's scale, and writes into L[k] the loss before step k."""
    with _lock:  # LLVM's context is shared: compile one kernel at a time
        return _kernel(activation, output, loss, record)


@cache
def _kernel(activation: str, output: str, loss: str, record: bool = False) -> Callable[..., None]:
    assert not (record and loss == "cross-entropy"), "a recorded loss is a squared error"
    b = jit.Builder("census_steps_recorded" if record else "census_steps", arrays=9 if record else 8, ints=5, floats=2 if record else 1)
    S, N, I, H, steps = b.ints
    es = b.floats[0]
    P, G, X, y, h = b.array(0, S), b.array(1, S), b.array(2, I), b.array(3), b.array(4, S)
    o, dl, a = b.array(5), b.array(6), b.array(7)
    Lk = b.array(8, S) if record else None
    b1 = I * H  # the rows of P: W1 (from input i to unit j: i·H + j), b1 (b1 + j), W2 (w2 + j), b2
    w2 = b1 + H
    b2 = w2 + H
    sig_h = activation == "sigmoid"
    with b.loop(steps) as k:
        if Lk is not None:
            with b.loop(S) as s:
                Lk[k, s] = 0.0
        with b.loop(N) as n:
            # forward: a = b1 + W1 x, h = φ(a), o = b2 + W2·h
            with b.loop(S) as s:
                o[s] = P[b2, s]
            with b.loop(H) as j:
                with b.loop(S) as s:
                    a[s] = P[b1 + j, s]
                with b.loop(I) as i:
                    xi = X[n, i]
                    with b.loop(S) as s:
                        a[s] = a[s] + P[i * H + j, s] * xi
                with b.loop(S) as s:
                    hj = b.sigmoid(a[s]) if sig_h else 2.0 * b.sigmoid(2.0 * a[s]) - 1.0  # tanh z = 2σ(2z) − 1
                    h[j, s] = hj
                    o[s] = o[s] + P[w2 + j, s] * hj
            # the output error times η: δ = η ∂L/∂o
            yn = y[n]
            with b.loop(S) as s:
                if output == "sigmoid":
                    p = b.sigmoid(o[s])
                    r = p - yn if loss == "cross-entropy" else (p - yn) * ((1.0 - p) * p)
                    e = p - yn
                else:
                    r = o[s] - yn
                    e = r
                if Lk is not None:
                    Lk[k, s] = Lk[k, s] + e * e * b.floats[1]
                g = r * es
                dl[s] = g
                G[b2, s] = G[b2, s] + g
            # backward, with W2 as it was before this step: ∂/∂W2 = δ h, ∂/∂a = δ W2 φ'(a)
            with b.loop(H) as j:
                with b.loop(S) as s:
                    hj = h[j, s]
                    G[w2 + j, s] = G[w2 + j, s] + hj * dl[s]
                    ga = ((1.0 - hj) * hj if sig_h else 1.0 - hj * hj) * P[w2 + j, s] * dl[s]
                    a[s] = ga
                    G[b1 + j, s] = G[b1 + j, s] + ga
                with b.loop(I) as i:
                    xi = X[n, i]
                    with b.loop(S) as s:
                        G[i * H + j, s] = G[i * H + j, s] + a[s] * xi
        with b.loop((b2 + 1) * S) as q:  # the step, and G back to zero
            P[q] = P[q] - G[q]
            G[q] = 0.0
    return b.compile()
