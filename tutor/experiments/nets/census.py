"""Full-batch descent of many one-hidden-layer networks at once, for the census: the hot loop.

The state of all S starts is one block P (d, S), the starts along the last axis, one row per
parameter: W1 input by input (row i·H + j is the weight from input i to unit j), then b1, W2, b2.
Two kernels take the same steps θ ← θ − η∇L(θ) on it (``MLP.stepper``'s arithmetic):

- compiled (``census_jit``): loops over the starts that LLVM vectorises, compiled in a few tens of
  milliseconds at the first census of a process; used whenever llvmlite is installed;
- numpy (``_numpy_steps``), the fallback: a short, fixed sequence of numpy calls per step on
  preallocated blocks, written into existing arrays (``out=``). Inputs and hidden biases are one
  matrix product [X 1] @ [W1ᵀ; b1ᵀ] and their gradient one product back; sigmoid is
  ½(1 + tanh(z/2)) because numpy's tanh is vectorised (about 0.9 ns an element here) where
  ``scipy.special.expit`` is not (4.5 ns); η is multiplied into the output error once.

Which kernel runs depends only on what is installed, so a learner sees the same census every time;
the two agree to rounding on runs that are not chaotic (tests/unit/test_census_kernels.py).

Every ``check_every`` steps and at the end, the loss of every run is computed (numpy) to notice a
run blowing up: one whose loss exceeds 1e12·(|L₀| + 1) or turns NaN is frozen where it was then
and reported as diverged, with an infinite loss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

DIVERGED = 1e12

Kernel = Literal["auto", "compiled", "numpy"]


@dataclass
class Runs:
    final: np.ndarray  # (S, d) in the MLP's layout [W1 row-major, b1, W2, b2]
    final_loss: np.ndarray  # (S,)
    diverged: np.ndarray  # (S,) bool
    kernel: str = "numpy"  # which kernel took the steps


def supported(activation: str, output: str, bias: bool) -> bool:
    return bias and activation in ("sigmoid", "tanh") and output in ("sigmoid", "linear")


def descend_many(X: np.ndarray, y: np.ndarray, T: np.ndarray, lr: float, steps: int, activation: str, output: str,
                 loss: str, check_every: int = 64, kernel: Kernel = "auto") -> Runs:
    """θ ← θ − η∇L(θ) for ``steps`` steps from every row of T (S, d). ``kernel``: "auto" takes the
    compiled kernel when llvmlite is installed, numpy otherwise."""
    X, yv, P, H, err_scale = _setup(X, y, T, lr, loss)
    N, I = X.shape
    S = P.shape[1]
    advance = None if kernel == "numpy" else _compiled_steps(P, X, yv, H, err_scale, activation, output, loss, strict=kernel == "compiled")
    used = "compiled" if advance is not None else "numpy"
    if advance is None:
        advance = _numpy_steps(P, X, yv, H, err_scale, activation, output, loss)
    diverged = np.zeros(S, dtype=bool)
    frozen = np.full_like(P, np.nan)
    with np.errstate(all="ignore"):
        L = loss_of(P, X, yv, H, activation, output, loss)
        limit = DIVERGED * (np.abs(L) + 1.0)
        done = 0
        while done < steps:
            n = min(check_every, steps - done)
            advance(n)
            done += n
            L = loss_of(P, X, yv, H, activation, output, loss)
            newly = ~(limit >= L) & ~diverged
            if newly.any():
                frozen[:, newly] = P[:, newly]
                diverged |= newly
    P = np.where(diverged, frozen, P)
    return Runs(_theta(P, I, H), np.where(diverged, np.inf, L), diverged, used)


@dataclass
class Recorded:
    """One recorded run of ``descend_recorded``: what ``tools.descent.Trajectory`` keeps."""

    final: np.ndarray  # (S, d)
    final_loss: np.ndarray  # (S,)
    losses: np.ndarray  # (S, len(rec)): the loss at each recorded step
    norms: np.ndarray  # (S, len(rec)): |θ| at each recorded step
    rising: np.ndarray  # (S,): steps on which the loss rose
    tail: list[np.ndarray]  # θ (S, d) after each of the last ``keep`` steps


def descend_recorded(X: np.ndarray, y: np.ndarray, T: np.ndarray, lr: float, steps: int, activation: str, output: str,
                     loss: str, rec: np.ndarray, keep: int) -> Recorded | None:
    """Descent with the compiled kernel, recording what ``tools.descent`` records: the loss before
    every step (to count the steps on which it rose), the loss and |θ| at the steps in ``rec``, and
    θ after each of the last ``keep`` steps. None where it cannot help: no llvmlite, a
    cross-entropy loss (the kernel records squared errors only), or a run that blows up (the
    caller's numpy path freezes such a run exactly where it went wrong)."""
    if loss == "cross-entropy" or not supported(activation, output, True):
        return None
    try:
        from tutor.experiments.nets import census_jit

        f = census_jit.kernel(activation, output, loss, record=True)
    except Exception:
        return None
    X, yv, P, H, err_scale = _setup(X, y, T, lr, loss)
    N, I = X.shape
    S = P.shape[1]
    scale = 0.5 if loss == "half-sse" else 1.0 / N
    arrays = (P, np.zeros_like(P), X, yv, np.empty((H, S)), np.empty(S), np.empty(S), np.empty(S))
    chunk = np.empty((int(np.diff(rec).max(initial=1)), S))  # the longest stretch between two stops
    ptrs = [a.ctypes.data for a in arrays]

    def advance(n: int) -> np.ndarray:
        """n steps; the loss before each."""
        f(*ptrs, chunk.ctypes.data, S, N, I, H, n, err_scale, scale)
        return chunk[:n]

    if (steps + 1) * S > 4_000_000:  # every loss is kept: 32 MB at most
        return None
    stops = sorted({int(k) for k in rec if 0 <= k <= steps} | set(range(max(0, steps - keep) + 1, steps + 1)) | {steps})
    Lall = np.empty((steps + 1, S))  # the loss before each step, and after the last
    at: dict[int, np.ndarray] = {}  # |θ| at the recorded steps
    tail: list[np.ndarray] = []
    with np.errstate(all="ignore"):
        limit = DIVERGED * (np.abs(loss_of(P, X, yv, H, activation, output, loss)) + 1.0)
        done = 0
        for stop in stops:
            if stop > done:
                Lall[done:stop] = advance(stop - done)
                if not (Lall[done:stop] <= limit).all():
                    return None  # blown up (or NaN): the numpy path freezes it where it went wrong
                done = stop
            at[done] = np.sqrt((P * P).sum(0))
            if done > max(0, steps - keep):  # θ after each of the last steps, as numpy's path keeps it
                tail.append(_theta(P, I, H))
        Lall[steps] = loss_of(P, X, yv, H, activation, output, loss)
        if not (Lall[steps] <= limit).all():
            return None
        rising = (Lall[1:] > Lall[:-1] + 1e-12 * np.abs(Lall[:-1])).sum(0)
    idx = [int(k) for k in rec]
    losses = Lall[idx].T.copy()
    norms = np.stack([at[k] for k in idx], axis=1)
    return Recorded(_theta(P, I, H), Lall[steps].copy(), losses, norms, rising, tail)


def _setup(X: np.ndarray, y: np.ndarray, T: np.ndarray, lr: float, loss: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, float]:
    """Contiguous data, the kernels' block P (d, S), the hidden width, and η times the loss's scale."""
    X = np.ascontiguousarray(X, dtype=float)
    N, I = X.shape
    H = (T.shape[1] - 1) // (I + 2)
    err_scale = lr * {"half-sse": 1.0, "mse": 2.0 / N, "cross-entropy": 1.0 / N}[loss]
    return X, np.ascontiguousarray(y, dtype=float), _rows(np.asarray(T, dtype=float), I, H), H, err_scale


def _rows(T: np.ndarray, I: int, H: int) -> np.ndarray:
    """The MLP's θ rows (S, d) as the kernels' block P (d, S)."""
    S = len(T)
    k = H * I
    P = np.empty((T.shape[1], S))
    P[:k] = T[:, :k].reshape(S, H, I).transpose(2, 1, 0).reshape(k, S)
    P[k:] = T[:, k:].T
    return P


def _theta(P: np.ndarray, I: int, H: int) -> np.ndarray:
    S = P.shape[1]
    k = H * I
    T = np.empty((S, P.shape[0]))
    T[:, :k] = P[:k].reshape(I, H, S).transpose(2, 1, 0).reshape(S, k)
    T[:, k:] = P[k:].T
    return T


def loss_of(P: np.ndarray, X: np.ndarray, y: np.ndarray, H: int, activation: str, output: str, loss: str) -> np.ndarray:
    """The loss of every start (S,), numpy."""
    N, I = X.shape
    Xa = np.hstack([X, np.ones((N, 1))])
    A = (Xa @ P[: (I + 1) * H].reshape(I + 1, -1)).reshape(N, H, -1)
    h = 0.5 + 0.5 * np.tanh(0.5 * A) if activation == "sigmoid" else np.tanh(A)
    out = np.einsum("nhs,hs->ns", h, P[(I + 1) * H : (I + 2) * H]) + P[-1]
    if loss == "cross-entropy":
        return np.sum(np.logaddexp(0.0, out) - y[:, None] * out, axis=0) / N
    r = (0.5 + 0.5 * np.tanh(0.5 * out) if output == "sigmoid" else out) - y[:, None]
    return np.sum(r * r, axis=0) * (0.5 if loss == "half-sse" else 1.0 / N)


def _compiled_steps(P: np.ndarray, X: np.ndarray, y: np.ndarray, H: int, err_scale: float, activation: str, output: str, loss: str,
                    strict: bool) -> Callable[[int], None] | None:
    """The compiled kernel bound to P, or None where llvmlite is missing or cannot compile (raised
    instead when ``strict``)."""
    try:
        from tutor.experiments.nets import census_jit

        f = census_jit.kernel(activation, output, loss)
    except Exception:
        if strict:
            raise
        return None
    N, I = X.shape
    S = P.shape[1]
    return _Compiled(f, (P, np.zeros_like(P), X, y, np.empty((H, S)), np.empty(S), np.empty(S), np.empty(S)), (S, N, I, H), err_scale)


class _Compiled:
    """The compiled kernel and the arrays it works on (P, G, X, y, h, o, δ, a), kept alive here
    while it holds their addresses."""

    def __init__(self, f: Callable[..., None], arrays: tuple[np.ndarray, ...], sizes: tuple[int, int, int, int], err_scale: float) -> None:
        assert all(a.dtype == np.float64 and a.flags.c_contiguous for a in arrays)
        self.f, self.arrays, self.sizes, self.err_scale = f, arrays, sizes, err_scale
        self.ptrs = [a.ctypes.data for a in arrays]

    def __call__(self, n: int) -> None:
        self.f(*self.ptrs, *self.sizes, n, self.err_scale)


def _numpy_steps(P: np.ndarray, X: np.ndarray, y: np.ndarray, H: int, err_scale: float, activation: str, output: str,
                 loss: str) -> Callable[[int], None]:
    N, I = X.shape
    S = P.shape[1]
    sig_h, sig_o = activation == "sigmoid", output == "sigmoid"
    Xa = np.hstack([X, np.ones((N, 1))])
    Xin = 0.5 * Xa if sig_h else Xa  # sigmoid(a) = ½ + ½ tanh(a/2): the ½ goes into the inputs
    XaT = np.ascontiguousarray(Xa.T)
    yb = y[:, None]
    Wa2 = P[: (I + 1) * H].reshape(I + 1, H * S)  # views of P: the steps move P itself
    W2 = P[(I + 1) * H : (I + 2) * H]
    b2 = P[-1]
    A = np.empty((N, H * S))
    A3 = A.reshape(N, H, S)
    Hh = np.empty((N, H * S))
    H3 = Hh.reshape(N, H, S)
    tmp = np.empty((N, H, S))
    out = np.empty((N, S))
    p = np.empty((N, S))
    q = np.empty((N, S))
    g2 = np.empty((H, S))
    gb = np.empty(S)
    gA = np.empty((I + 1, H * S))
    add, mul, sub, tanh, matmul = np.add, np.multiply, np.subtract, np.tanh, np.matmul

    def forward() -> None:
        matmul(Xin, Wa2, out=A)
        tanh(A, out=Hh)
        if sig_h:
            mul(Hh, 0.5, out=Hh)
            add(Hh, 0.5, out=Hh)
        mul(H3, W2, out=tmp)
        add.reduce(tmp, 1, out=out)
        add(out, b2, out=out)
        if sig_o:
            mul(out, 0.5, out=p)
            tanh(p, out=p)
            mul(p, 0.5, out=p)
            add(p, 0.5, out=p)

    def advance(n: int) -> None:
        forward()
        for step in range(n):
            # the output error, times η: δ = η ∂L/∂out
            if sig_o:
                sub(p, yb, out=q)
                if loss != "cross-entropy":
                    sub(1.0, p, out=out)  # out is free until the next forward pass
                    mul(out, p, out=out)
                    mul(q, out, out=q)
            else:
                sub(out, yb, out=q)
            mul(q, err_scale, out=q)
            # the hidden error, before W2 and b2 move: δ_h = δ W2 φ'(a)
            if sig_h:
                sub(1.0, Hh, out=A)
                mul(A, Hh, out=A)
            else:
                mul(Hh, Hh, out=A)
                sub(1.0, A, out=A)
            mul(A3, W2, out=A3)
            mul(A3, q[:, None, :], out=A3)
            # the output layer's gradient and step
            mul(H3, q[:, None, :], out=tmp)
            add.reduce(tmp, 0, out=g2)
            sub(W2, g2, out=W2)
            add.reduce(q, 0, out=gb)
            sub(b2, gb, out=b2)
            # the hidden layer's: [X 1]ᵀ δ_h
            matmul(XaT, A, out=gA)
            sub(Wa2, gA, out=Wa2)
            if step < n - 1:
                forward()

    return advance
