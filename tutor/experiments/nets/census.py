"""Full-batch descent of many one-hidden-layer networks at once, for the census: the hot loop.

The same arithmetic as ``MLP.stepper`` followed by θ ← θ − η∇L, arranged so that each step is a
short, fixed sequence of numpy calls on preallocated blocks with the starts along the last axis:

- inputs and hidden biases are one matrix product, [X 1] @ [W1ᵀ; b1ᵀ], and the gradient of both
  is one product back, [X 1]ᵀ @ δ_hidden;
- sigmoid is ½(1 + tanh(z/2)): numpy's tanh is vectorised (about 0.9 ns an element here) where
  ``scipy.special.expit`` is not (4.5 ns);
- the loss is computed only where descent needs it (every ``check_every`` steps, to notice a run
  blowing up, and at the end), not on every step;
- η is multiplied into the output error once, so every gradient comes out already scaled;
- every result is written into an existing array (``out=``): no allocation inside the loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DIVERGED = 1e12


@dataclass
class Runs:
    final: np.ndarray  # (S, d) in the MLP's layout [W1 row-major, b1, W2, b2]
    final_loss: np.ndarray  # (S,)
    diverged: np.ndarray  # (S,) bool


def supported(activation: str, output: str, bias: bool) -> bool:
    return bias and activation in ("sigmoid", "tanh") and output in ("sigmoid", "linear")


def descend_many(X: np.ndarray, y: np.ndarray, T: np.ndarray, lr: float, steps: int, activation: str, output: str,
                 loss: str, check_every: int = 64) -> Runs:
    """θ ← θ − η∇L(θ) for ``steps`` steps from every row of T (S, d). A run whose loss exceeds
    1e12·(|L₀| + 1) or turns NaN (checked every ``check_every`` steps and at the end) is frozen
    where it was and reported as diverged, with an infinite loss."""
    X = np.asarray(X, dtype=float)
    N, I = X.shape
    S, d = T.shape
    H = (d - 1) // (I + 2)
    sig_h, sig_o = activation == "sigmoid", output == "sigmoid"
    Xa = np.hstack([X, np.ones((N, 1))])
    Xin = 0.5 * Xa if sig_h else Xa  # sigmoid(a) = ½ + ½ tanh(a/2): the ½ goes into the inputs
    XaT = np.ascontiguousarray(Xa.T)
    yb = np.asarray(y, dtype=float)[:, None]
    k = H * I
    # the state, starts last: Wa[i, h, s] = W1[h, i] (i < I) or b1[h] (i = I); W2 (H, S); b2 (S,)
    Wa = np.empty((I + 1, H, S))
    Wa[:I] = T[:, :k].reshape(S, H, I).transpose(2, 1, 0)
    Wa[I] = T[:, k : k + H].T
    W2 = np.ascontiguousarray(T[:, k + H : k + 2 * H].T)
    b2 = T[:, -1].copy()
    Wa2 = Wa.reshape(I + 1, H * S)
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
    scale = 1.0 if loss == "half-sse" else 1.0 / N
    err_scale = lr * (1.0 if loss in ("half-sse", "cross-entropy") else 2.0) * scale
    add, mul, sub, tanh, matmul = np.add, np.multiply, np.subtract, np.tanh, np.matmul
    diverged = np.zeros(S, dtype=bool)
    frozen: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

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

    def loss_now() -> np.ndarray:
        if loss == "cross-entropy":
            return np.sum(np.logaddexp(0.0, out) - yb * out, axis=0) * scale
        r = (p if sig_o else out) - yb
        return np.sum(r * r, axis=0) * (0.5 if loss == "half-sse" else scale)

    with np.errstate(all="ignore"):
        forward()
        L0 = loss_now()
        limit = DIVERGED * (np.abs(L0) + 1.0)
        for step in range(steps):
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
            forward()
            if (step + 1) % check_every == 0 or step == steps - 1:
                L = loss_now()
                bad = ~(limit >= L)
                if bad.any():
                    newly = bad & ~diverged
                    if newly.any():  # remember where each run was when it blew up... roughly: freeze it now
                        frozen = _freeze(frozen, newly, Wa, W2, b2)
                    diverged |= bad
        L = loss_now()
    final = np.empty((S, d))
    final[:, :k] = Wa[:I].transpose(2, 1, 0).reshape(S, k)
    final[:, k : k + H] = Wa[I].T
    final[:, k + H : k + 2 * H] = W2.T
    final[:, -1] = b2
    if frozen is not None:
        fa, f2, fb = frozen
        idx = np.flatnonzero(diverged)
        final[idx, :k] = fa[:I][:, :, idx].transpose(2, 1, 0).reshape(len(idx), k)
        final[idx, k : k + H] = fa[I][:, idx].T
        final[idx, k + H : k + 2 * H] = f2[:, idx].T
        final[idx, -1] = fb[idx]
    L = np.where(diverged, np.inf, L)
    return Runs(final, L, diverged)


def _freeze(frozen, newly, Wa, W2, b2):
    if frozen is None:
        frozen = (np.full_like(Wa, np.nan), np.full_like(W2, np.nan), np.full_like(b2, np.nan))
    fa, f2, fb = frozen
    fa[:, :, newly] = Wa[:, :, newly]
    f2[:, newly] = W2[:, newly]
    fb[newly] = b2[newly]
    return frozen
