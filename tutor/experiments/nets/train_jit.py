"""Full-batch gradient descent of one network compiled (see ``jit``): the arithmetic of
``Net.loss_and_grad`` and θ ← θ − η∇L(θ), for any depth (none hidden included), with or without
biases, hidden units tanh/sigmoid/relu/linear, outputs linear/sigmoid/softmax, half-sse, mse or
cross-entropy. The 4-8-3 Iris net takes about 5 µs a step here against numpy's 41.

Sizes and depth are arguments (layers are a loop too), so one compiled function serves every
shape of a kind (activation, output, squared error or cross-entropy, biases). It is compiled once
per process, when first needed: 75–130 ms of CPU (tanh and softmax are the dearest), plus about
30 ms for LLVM's start the first time any kernel is compiled. Every array is laid out with the
examples last, so the loops over examples are the inner ones and LLVM vectorises them; a sum over
examples (a weight's gradient) is kept in four partial sums, n mod 4, added at the end: a fixed
order, not fast-math (numpy's BLAS has its own). The pieces used in several places (a row's dot product and sum, a row of a
matrix product) are functions of their own, compiled once. The results differ from numpy's by
rounding (tests/unit/test_train_kernel.py).

Each step writes the loss before it (``losses[t]`` for t = 0..steps, the last after the last step),
|θ| and θ (the last ``TAIL`` of them in a ring). It stops at the first loss that is NaN or above
``limit``, leaving θ as it was at that step.

Kernel arguments: arrays θ (d), G (d), the layout (L, 6: see ``run``), Yᵀ (C, N), A and D (units,
N: the inputs, then each layer's output, and their errors), R (3, N), losses, norms
(steps + 1), ring (TAIL, d), info (1: the step it stopped at, or −1); ints N, steps, L, d; floats
η, the loss's scale, the limit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from tutor.experiments.nets.mlp import Net

TAIL = 16  # states kept at the end (``tools.descent`` looks for a cycle in them)
MAX_KEPT = 4_000_000  # losses and norms of at most this many steps (32 MB each)

_lock = threading.Lock()
UNROLL = False
LAYOUT = 6  # per layer: fan-in, fan-out, where W and b start in θ, the first row it reads and the first it writes
_failed: set[tuple[str, str, bool, bool]] = set()  # kinds that did not compile: numpy, without trying again


@dataclass
class Run:
    theta: np.ndarray  # θ after the last step, or where the loss went bad
    losses: np.ndarray  # (steps + 1,): the loss before each step and after the last; NaN after a stop
    norms: np.ndarray  # (steps + 1,): |θ| at the same steps
    stopped: int  # the step whose loss was NaN or above the limit, or −1
    tail: list[np.ndarray]  # θ after each of the last min(steps, TAIL) steps (None of them after a stop)


def kernel(activation: str, output: str, ce: bool, bias: bool) -> Callable[..., None] | None:
    """The compiled descent for this kind of network (any sizes, any depth), or None where llvmlite
    is missing or compiling fails (the caller then runs numpy)."""
    key = (activation, output, ce, bias)
    if key in _failed:
        return None
    try:
        with _lock:  # one compilation of each kind, whichever thread asks first (functools.cache does not lock)
            return _kernel(*key)
    except Exception:
        _failed.add(key)
        return None


def descend(net: Net, theta: np.ndarray, lr: float, steps: int, limit: float, scale: float | None = None) -> Run | None:
    """``steps`` steps of full-batch descent of ``net`` from θ, the loss scaled by ``scale``
    (default ``net.scale``); None where the compiled kernel is not available."""
    Y = net.Y
    return run(net.X, Y, net.sizes, net.activation, net.output, net.loss_kind == "cross-entropy", net.bias,
               net.scale if scale is None else scale, theta, lr, steps, limit)


def run(X: np.ndarray, Y: np.ndarray, sizes: Sequence[int], activation: str, output: str, ce: bool, bias: bool, scale: float,
        theta: np.ndarray, lr: float, steps: int, limit: float) -> Run | None:
    """The kernel on plain arrays: X (N, I), Y (N, C) (one-hot for softmax), θ in ``Net``'s layout."""
    if steps + 1 > MAX_KEPT:
        return None
    f = kernel("linear" if len(sizes) == 2 else activation, output, ce, bias)
    if f is None:
        return None
    N = X.shape[0]
    P = np.array(theta, dtype=float)
    d = P.shape[0]
    lay = np.empty((len(sizes) - 1, LAYOUT))
    w = row = 0
    for l, (fi, fo) in enumerate(zip(sizes[:-1], sizes[1:])):  # fan-in, fan-out, W's and b's place in θ, rows read and written
        lay[l] = fi, fo, w, w + fi * fo, row, row + fi
        w += fi * fo + (fo if bias else 0)
        row += fi
    assert w == d, "θ does not fit the sizes"
    A = np.zeros((sum(sizes), N))
    A[: sizes[0]] = X.T  # the inputs are the first layer's rows
    losses = np.full(steps + 1, np.nan)
    norms = np.full(steps + 1, np.nan)
    ring = np.zeros((TAIL, d))
    info = np.zeros(1)
    arrays = (P, np.zeros(d), lay, np.ascontiguousarray(Y.T, dtype=float), A, np.zeros_like(A), np.zeros((3, N)), losses, norms, ring, info)
    f(*(a.ctypes.data for a in arrays), N, steps, len(sizes) - 1, d, float(lr), float(scale), float(limit))
    stopped = int(info[0])
    tail = [ring[k % TAIL].copy() for k in range(max(1, steps - TAIL + 1), steps + 1)] if stopped < 0 else []
    return Run(P, losses, norms, stopped, tail)


@cache
def _kernel(activation: str, output: str, ce: bool, bias: bool) -> Callable[..., None]:
    from tutor.experiments.nets import jit

    b = jit.Builder(f"descend_{activation}_{output}_{'ce' if ce else 'se'}_{'b' if bias else 'nb'}", arrays=11, ints=4, floats=3)
    N, steps, L, d = b.ints
    lr, scale, limit = b.floats
    P, G, lay = b.array(0), b.array(1), b.array(2, LAYOUT)
    YT, A, D, R = b.array(3, N), b.array(4, N), b.array(5, N), b.array(6, N)
    losses, norms, ring, info = b.array(7), b.array(8), b.array(9, d), b.array(10)
    c = scale * (1.0 if ce else 2.0)  # ∂L/∂z = c·(the loss's own derivative)

    def sum4(term: Callable[[jit.Val], jit.Val], n: jit.Val) -> jit.Val:
        """Σ term(i) for i < n in four partial sums (i mod 4; the last n mod 4 terms go to the first),
        added pairwise at the end. Call it at the start of a function: its sums live on the stack."""
        acc = b.local(4)
        for m in range(4):
            acc[m] = 0.0
        q = n / 4
        with b.loop(q) as k:
            for m in range(4):
                acc[m] = acc[m] + term(k * 4 + m)
        with b.loop(n - q * 4) as r:
            acc[0] = acc[0] + term(q * 4 + r)
        return (acc[0] + acc[1]) + (acc[2] + acc[3])

    # the pieces used in several places, each compiled once
    dot = b.function("dot", 2, 1, 0, lambda a, i: sum4(lambda k: a[0][k] * a[1][k], i[0]))
    total = b.function("total", 1, 1, 0, lambda a, i: sum4(lambda k: a[0][k], i[0]))

    def _accumulate(a: list[jit.Array], i: list[jit.Val]) -> None:
        out, src, w = a
        count, stride, n_ = i
        with b.loop(n_) as n:
            out[n] = 0.0
        with b.loop(count) as k:
            wk = w[k * stride]
            with b.loop(n_) as n:
                out[n] = out[n] + wk * src[k * n_ + n]

    accumulate_ = b.procedure("accumulate", 3, 3, 0, _accumulate)

    def accumulate(M: jit.Array, row: jit.Val, first: jit.Val, count: jit.Val, w0: jit.Val, stride: jit.Val) -> None:
        """M[row] = Σ_k P[w0 + k·stride]·M[first + k], k < count: one row of a matrix product, the
        examples innermost (the rows written and read never overlap)."""
        accumulate_(M.row(row), M.row(first), P.row(w0), count, stride, N)

    def phi(z: jit.Val) -> jit.Val:
        if activation == "tanh":
            return b.tanh(z)
        if activation == "sigmoid":
            return b.sigmoid(z)
        return b.max(z, 0.0) if activation == "relu" else z

    def slope(a: jit.Val) -> jit.Val:
        if activation == "tanh":
            return 1.0 - a * a
        if activation == "sigmoid":
            return a * (1.0 - a)
        return b.select(a.gt(0.0), 1.0, 0.0)  # relu: a > 0 exactly where z > 0

    def layout(l: jit.Val) -> list[jit.Val]:
        return [b.to_int(lay[l, k]) for k in range(LAYOUT)]

    last = L - 1
    _, C, _, _, _, zrow = layout(last)
    with b.loop(steps + 1) as t:
        # forward, layer by layer: z = W a + b into the layer's rows of A, then a = φ(z) except at the output
        with b.loop(L) as l:
            fi, fo, woff, boff, src, dst = layout(l)
            with b.loop(fo) as j:
                row = dst + j
                accumulate(A, row, src, fi, woff + j * fi, b.int(1))
                if bias:
                    bj = P[boff + j]
                    with b.loop(N) as n:
                        A[row, n] = A[row, n] + bj
                if activation != "linear":
                    with b.when(l.lt(last)), b.loop(N) as n:
                        A[row, n] = phi(A[row, n])
        # the loss of each example (summed in R[2]) and ∂L/∂z into D
        with b.loop(N) as n:
            R[2, n] = 0.0
        if output == "softmax":
            with b.loop(N) as n:
                R[0, n] = A[zrow, n]
                R[1, n] = 0.0
            with b.loop(C - 1) as k, b.loop(N) as n:
                R[0, n] = b.max(A[zrow + k + 1, n], R[0, n])
            with b.loop(C) as k, b.loop(N) as n:
                z = A[zrow + k, n]
                e = b.exp(z - R[0, n])
                D[zrow + k, n] = e
                R[1, n] = R[1, n] + e
                R[2, n] = R[2, n] + z * YT[k, n]
            with b.loop(N) as n:
                R[2, n] = (R[0, n] + b.log(R[1, n])) - R[2, n]
            with b.loop(C) as k, b.loop(N) as n:
                D[zrow + k, n] = c * (D[zrow + k, n] / R[1, n] - YT[k, n])
        else:
            with b.loop(C) as k, b.loop(N) as n:
                z, y = A[zrow + k, n], YT[k, n]
                if output == "sigmoid":
                    p = b.sigmoid(z)
                    if ce:
                        per, dz = b.softplus(z) - y * z, c * (p - y)
                    else:
                        r = p - y
                        per, dz = r * r, c * r * (p * (1.0 - p))
                else:
                    r = z - y
                    per, dz = r * r, c * r
                R[2, n] = R[2, n] + per
                D[zrow + k, n] = dz
        loss = scale * total(R.row(2), N)
        losses[t] = loss
        norms[t] = b.sqrt(dot(P.row(0), P.row(0), d))
        slot = t % TAIL
        with b.loop(d) as q:
            ring[slot, q] = P[q]
        with b.when(jit.Val(b, b.ir.fcmp_unordered(">", loss.v, limit.v))):  # NaN or too big: stop here
            info[0] = b.to_float(t)
            b.ret()
        with b.when(t.lt(steps)):
            # backward, last layer first, every W as it was before this step: ∇W = δ aᵀ, δ_prev = (Wᵀ δ) ⊙ φ'
            with b.loop(L) as k:
                l = last - k
                fi, fo, woff, boff, src, dst = layout(l)
                with b.loop(fo) as j:
                    drow = dst + j
                    with b.loop(fi) as i:
                        G[woff + j * fi + i] = dot(D.row(drow), A.row(src + i), N)
                    if bias:
                        G[boff + j] = total(D.row(drow), N)
                with b.when(l.gt(0)), b.loop(fi) as i:
                    prow = src + i
                    accumulate(D, prow, dst, fo, woff + i, fi)
                    if activation != "linear":
                        with b.loop(N) as n:
                            D[prow, n] = D[prow, n] * slope(A[prow, n])
            with b.loop(d) as q:
                P[q] = P[q] - lr * G[q]
    info[0] = -1.0
    return b.compile(unroll=UNROLL)
