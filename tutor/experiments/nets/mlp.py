"""A multilayer perceptron of any depth: loss, gradient and Hessian-vector products.

The network maps x through layers z_l = W_l a_{l−1} + b_l, a_l = φ(z_l) (a_0 = x), and the last
z_L through the output function (identity, sigmoid or softmax) into the loss. θ lists each layer's
W_l (row-major: row j holds unit j's incoming weights) followed by its b_l, layer after layer;
with one hidden layer and one output this is the [W1, b1, W2, b2] order of the 2-2-1 XOR net.

Loss and gradient take a batch of parameter vectors T with shape (..., d): many starts are one
computation. The gradient is backpropagation written out. Hessian-vector products are
Pearlmutter's R-operator (1994, "Fast exact multiplication by the Hessian"): the directional
derivative of every quantity of the forward and backward pass along v, pushed through the same
formulas. It is exact up to rounding — no step size to choose, unlike finite differences — and
costs about two gradients; the dense Hessian is the products with the d unit vectors, computed
as one batch. ``tests/unit/test_nets.py`` checks it against finite differences of the gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

Activation = Literal["sigmoid", "tanh", "relu", "linear"]
Output = Literal["linear", "sigmoid", "softmax"]
LossKind = Literal["half-sse", "mse", "cross-entropy"]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = ½(1 + tanh(z/2)): no overflow for any z."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _identity(z: np.ndarray) -> np.ndarray:
    return z


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {"sigmoid": sigmoid, "tanh": np.tanh, "relu": _relu, "linear": _identity}


def activation_fn(name: str) -> Callable[[np.ndarray], np.ndarray]:
    return ACTIVATIONS[name]


def _slope(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray | float:
    """φ'(z) alone (backpropagation needs no φ'')."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    return (z > 0).astype(float) if name == "relu" else 1.0


def _derivatives(name: str, z: np.ndarray, a: np.ndarray) -> tuple[np.ndarray | float, np.ndarray | float]:
    """φ'(z) and φ''(z), written in terms of a = φ(z) where that is shorter."""
    if name == "sigmoid":
        s = a * (1.0 - a)
        return s, s * (1.0 - 2.0 * a)
    if name == "tanh":
        s = 1.0 - a * a
        return s, -2.0 * a * s
    if name == "relu":
        return (z > 0).astype(float), 0.0
    return 1.0, 0.0


class Net:
    """Layer sizes ``sizes = [inputs, hidden…, outputs]``, trained on X (N, inputs) against Y.

    Y is (N, outputs) for ``linear``/``sigmoid`` outputs and the class ids (N,) for ``softmax``.
    Losses: ``half-sse`` ½Σ(ŷ − y)², ``mse`` (1/N)Σ‖ŷ − y‖², ``cross-entropy`` the mean negative
    log-likelihood (binary with a sigmoid output, categorical with softmax), written in the logits.
    """

    def __init__(self, X: np.ndarray, Y: np.ndarray, hidden: Sequence[int], activation: Activation = "tanh",
                 output: Output = "linear", loss: LossKind = "mse", bias: bool = True):
        X = np.asarray(X, dtype=float)
        self.X = X[:, None] if X.ndim == 1 else X
        self.N, inputs = self.X.shape
        if output == "softmax":
            y = np.asarray(Y, dtype=int).reshape(-1)
            classes = int(y.max()) + 1
            self.Y = np.eye(classes)[y]
        else:
            Yf = np.asarray(Y, dtype=float)
            self.Y = Yf[:, None] if Yf.ndim == 1 else Yf
        if self.Y.shape[0] != self.N:
            raise ValueError(f"{self.N} inputs but {self.Y.shape[0]} targets")
        if output == "softmax" and loss != "cross-entropy":
            raise ValueError("a softmax output goes with cross-entropy")
        if loss == "cross-entropy" and output == "linear":
            raise ValueError("cross-entropy needs a sigmoid or softmax output")
        self.sizes = [inputs, *map(int, hidden), self.Y.shape[1]]
        self.activation, self.output, self.loss_kind, self.bias = activation, output, loss, bias
        self.scale = 0.5 if loss == "half-sse" else 1.0 / self.N
        self.slices: list[tuple[slice, slice | None]] = []
        k = 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            w = slice(k, k + fan_in * fan_out)
            k += fan_in * fan_out
            b = None
            if bias:
                b = slice(k, k + fan_out)
                k += fan_out
            self.slices.append((w, b))
        self.dim = k
        self.phi = activation_fn(activation)

    # -- parameters ----------------------------------------------------------------------------
    @property
    def layers(self) -> int:
        return len(self.sizes) - 1

    @property
    def labels(self) -> list[str]:
        out = []
        for l, (fan_in, fan_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            out += [f"W{l}[{j},{i}]" for j in range(fan_out) for i in range(fan_in)]
            if self.bias:
                out += [f"b{l}[{j}]" for j in range(fan_out)]
        return out

    def unpack(self, T: np.ndarray) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """Each layer's W (..., fan_out, fan_in) and b (..., fan_out) (None without biases): views of T."""
        out = []
        for (fan_in, fan_out), (w, b) in zip(zip(self.sizes[:-1], self.sizes[1:]), self.slices):
            out.append((T[..., w].reshape(T.shape[:-1] + (fan_out, fan_in)), None if b is None else T[..., b]))
        return out

    def pack(self, layers: Sequence[tuple[np.ndarray, np.ndarray | None]]) -> np.ndarray:
        parts = []
        for W, b in layers:
            parts.append(W.reshape(W.shape[:-2] + (-1,)))
            if self.bias:
                assert b is not None
                parts.append(b)
        return np.concatenate(parts, axis=-1)

    def init(self, rng: np.random.Generator, starts: int | None = None, scale: float = 1.0) -> np.ndarray:
        """LeCun's initialisation: W_l ~ N(0, scale²/fan_in), biases 0."""
        lead = () if starts is None else (starts,)
        T = np.zeros(lead + (self.dim,))
        for (fan_in, _), (w, _b) in zip(zip(self.sizes[:-1], self.sizes[1:]), self.slices):
            T[..., w] = rng.normal(0.0, scale / np.sqrt(fan_in), size=lead + (w.stop - w.start,))
        return T

    # -- forward and loss ----------------------------------------------------------------------
    def forward(self, T: np.ndarray, X: np.ndarray | None = None,
                layers: list[tuple[np.ndarray, np.ndarray | None]] | None = None) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Pre-activations zs[l] (…, N, fan_out) for l = 0..L−1 and activations acts[l] (acts[0] = X);
        ``layers``: T already unpacked."""
        acts = [self.X if X is None else X]
        zs = []
        for l, (W, b) in enumerate(self.unpack(T) if layers is None else layers):
            z = acts[-1] @ np.swapaxes(W, -1, -2)
            if b is not None:
                z = z + b[..., None, :]
            zs.append(z)
            if l < self.layers - 1:
                acts.append(self.phi(z))
        return zs, acts

    def predict(self, T: np.ndarray, X: np.ndarray | None = None) -> np.ndarray:
        """ŷ: the output (…, N, outputs) after the output function."""
        z = self.forward(np.asarray(T, dtype=float), X)[0][-1]
        if self.output == "sigmoid":
            return sigmoid(z)
        if self.output == "softmax":
            e = np.exp(z - z.max(axis=-1, keepdims=True))
            return e / e.sum(axis=-1, keepdims=True)
        return z

    def _per_example(self, z: np.ndarray) -> np.ndarray:
        Y = self.Y
        if self.loss_kind == "cross-entropy":
            if self.output == "softmax":
                m = z.max(axis=-1, keepdims=True)
                lse = m[..., 0] + np.log(np.exp(z - m).sum(axis=-1))
                return lse - (z * Y).sum(-1)
            return (np.logaddexp(0.0, z) - Y * z).sum(-1)
        yhat = sigmoid(z) if self.output == "sigmoid" else z
        return ((yhat - Y) ** 2).sum(-1)

    def _dz(self, z: np.ndarray) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
        """∂L/∂z for every example, and v ↦ (∂²L/∂z²) v (the Hessian of the loss in the logits)."""
        c = self.scale * (1.0 if self.loss_kind == "cross-entropy" else 2.0)
        if self.output == "softmax":
            e = np.exp(z - z.max(axis=-1, keepdims=True))
            p = e / e.sum(axis=-1, keepdims=True)
            return c * (p - self.Y), lambda v: c * p * (v - (p * v).sum(-1, keepdims=True))
        if self.output == "sigmoid":
            p = sigmoid(z)
            s = p * (1.0 - p)
            if self.loss_kind == "cross-entropy":
                return c * (p - self.Y), lambda v: c * s * v
            r = p - self.Y
            return c * r * s, lambda v: c * (s * s + r * s * (1.0 - 2.0 * p)) * v
        return c * (z - self.Y), lambda v: c * v

    def loss(self, T: np.ndarray) -> np.ndarray:
        z = self.forward(np.asarray(T, dtype=float))[0][-1]
        return self.scale * self._per_example(z).sum(-1)

    def _softmax_loss_and_dz(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cross-entropy of a softmax and its ∂L/∂z from one exponential (training's hot path)."""
        m = z.max(axis=-1, keepdims=True)
        e = np.exp(z - m)
        s = e.sum(axis=-1, keepdims=True)
        per = (m + np.log(s))[..., 0] - (z * self.Y).sum(-1)
        return self.scale * per.sum(-1), self.scale * (e / s - self.Y)

    def loss_and_grad(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Backpropagation: δ_L = ∂L/∂z_L; ∇W_l = δ_lᵀ a_{l−1}; δ_{l−1} = (δ_l W_l) ⊙ φ'(z_{l−1})."""
        T = np.asarray(T, dtype=float)
        layers = self.unpack(T)
        zs, acts = self.forward(T, layers=layers)
        if self.output == "softmax":
            L, delta = self._softmax_loss_and_dz(zs[-1])
        else:
            L = self.scale * self._per_example(zs[-1]).sum(-1)
            delta, _ = self._dz(zs[-1])
        grads: list[tuple[np.ndarray, np.ndarray | None]] = [None] * self.layers  # type: ignore[list-item]
        for l in range(self.layers - 1, -1, -1):
            W, _ = layers[l]
            grads[l] = ((delta.T if delta.ndim == 2 else np.swapaxes(delta, -1, -2)) @ acts[l], delta.sum(-2) if self.bias else None)
            if l:
                delta = (delta @ W) * _slope(self.activation, zs[l - 1], acts[l])
        return L, self.pack(grads)

    def grad(self, T: np.ndarray) -> np.ndarray:
        return self.loss_and_grad(T)[1]

    # -- second order --------------------------------------------------------------------------
    def hvp(self, theta: np.ndarray, V: np.ndarray) -> np.ndarray:
        """H(θ) v for each row v of V (shape (…, d)); see ``hvp_at``."""
        return self.hvp_at(theta)(V)

    def hvp_at(self, theta: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        """V ↦ H(θ)V for this θ: Pearlmutter's R-operator, with everything that depends on θ alone
        (the forward pass, φ', φ'', the backward errors δ_l) computed once for all the products.

        Forward: R(z_l) = R(a_{l−1}) W_lᵀ + a_{l−1} V_lᵀ + v_b, R(a_l) = φ'(z_l) R(z_l).
        Output: R(δ_L) = (∂²L/∂z²) R(z_L).
        Backward: R(∇W_l) = R(δ_l)ᵀ a_{l−1} + δ_lᵀ R(a_{l−1}),
        R(δ_{l−1}) = (R(δ_l) W_l + δ_l V_l) ⊙ φ'(z_{l−1}) + (δ_l W_l) ⊙ φ''(z_{l−1}) ⊙ R(z_{l−1}).
        """
        theta = np.asarray(theta, dtype=float)
        layers = self.unpack(theta)
        zs, acts = self.forward(theta, layers=layers)
        Ws = [W for W, _ in layers]
        WTs = [np.ascontiguousarray(W.T) for W in Ws]
        d1s, d2s = [], []
        for l in range(self.layers - 1):
            d1, d2 = _derivatives(self.activation, zs[l], acts[l + 1])
            d1s.append(d1)
            d2s.append(d2)
        delta, hz = self._dz(zs[-1])
        deltas: list[np.ndarray] = [delta] * self.layers  # δ_l, the error at layer l's output
        backs: list[np.ndarray] = [delta] * self.layers  # δ_l W_l
        for l in range(self.layers - 1, 0, -1):
            backs[l] = deltas[l] @ Ws[l]
            deltas[l - 1] = backs[l] * d1s[l - 1]
        deltaT = [np.ascontiguousarray(dl.T) for dl in deltas]

        def apply(V: np.ndarray) -> np.ndarray:
            V = np.asarray(V, dtype=float)
            if V.ndim == 2 and V.shape[0] == 1:  # one vector (Lanczos): plain matrix products, ten times faster
                return apply(V[0])[None]
            vlayers = self.unpack(V)
            Rz: list[np.ndarray] = []
            Ra: list[np.ndarray | None] = [None]
            for l, (VW, Vb) in enumerate(vlayers):
                r = acts[l] @ (VW.T if VW.ndim == 2 else np.ascontiguousarray(np.swapaxes(VW, -1, -2)))  # strided stacks are slow
                ra = Ra[l]
                if ra is not None:
                    r = r + ra @ WTs[l]
                if Vb is not None:
                    r = r + Vb[..., None, :]
                Rz.append(r)
                if l < self.layers - 1:
                    Ra.append(d1s[l] * r)
            Rdelta = hz(Rz[-1])
            out: list[tuple[np.ndarray, np.ndarray | None]] = [None] * self.layers  # type: ignore[list-item]
            for l in range(self.layers - 1, -1, -1):
                gW = (Rdelta.T if Rdelta.ndim == 2 else np.ascontiguousarray(np.swapaxes(Rdelta, -1, -2))) @ acts[l]
                ra = Ra[l]
                if ra is not None:
                    gW = gW + deltaT[l] @ ra
                out[l] = (gW, Rdelta.sum(-2) if self.bias else None)
                if l:
                    Rdelta = (Rdelta @ Ws[l] + deltas[l] @ vlayers[l][0]) * d1s[l - 1]
                    if not np.isscalar(d2s[l - 1]):
                        Rdelta = Rdelta + backs[l] * d2s[l - 1] * Rz[l - 1]
            return self.pack(out)

        return apply

    def hessian(self, theta: np.ndarray, chunk: int = 256) -> np.ndarray:
        """The dense d×d Hessian: products with the unit vectors, ``chunk`` at a time."""
        d = self.dim
        H = np.empty((d, d))
        for k in range(0, d, chunk):
            E = np.zeros((min(chunk, d - k), d))
            E[np.arange(E.shape[0]), k + np.arange(E.shape[0])] = 1.0
            H[k : k + E.shape[0]] = self.hvp(theta, E)
        return 0.5 * (H + H.T)

    def work(self) -> int:
        """Multiply-adds of one gradient: about 3 per weight per example (forward, two backward)."""
        return 3 * self.N * sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))
