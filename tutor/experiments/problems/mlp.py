"""The network with one hidden layer, its fast batched kernel, and its symmetries."""

from __future__ import annotations

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.problems import MLPOptions, WeightsOptions
from tutor.experiments.problems.base import Problem, sigmoid, softplus
from tutor.experiments.registry import problem

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])


def _act(name: str):
    """(activation, its derivative) for real or complex arrays."""
    if name == "sigmoid":
        def f(a):
            return sigmoid(a)

        def df(a, h):
            return h * (1.0 - h)
    elif name == "tanh":
        def f(a):
            return np.tanh(a)

        def df(a, h):
            return 1.0 - h * h
    else:
        def f(a):
            return np.where(a.real > 0, a, 0.0)

        def df(a, h):
            return (a.real > 0).astype(float)
    return f, df


@problem(MLPOptions)
class MLP(Problem):
    """One hidden layer: h = act(W1 x + b1), out = W2·h + b2, then the output function.

    θ = [W1 row-major (rows are hidden units), b1, W2, b2]. Swapping two rows of W1 together with
    the matching entries of b1 and W2 gives the same network: the n! permutation symmetry.

    Options beyond one hidden layer (several layers, linear units, softmax, Iris, moons) build a
    ``DeepMLP`` instead (``problems/deep.py``).
    """

    def __new__(cls, o: MLPOptions):
        from tutor.experiments.problems.deep import DeepMLP, needs_deep

        if cls is MLP and needs_deep(o):
            return DeepMLP(o)
        return super().__new__(cls)

    def __init__(self, o: MLPOptions):
        self.o = o
        self.X, self.y = self._data(o.data)
        self.N, self.I = self.X.shape
        self.H = o.layers[0]
        self.bias = o.bias
        self.act, self.dact = _act(o.activation)
        self.sig_out = o.output == "sigmoid"
        self.loss_kind = o.loss
        H, I = self.H, self.I
        self.sizes = [("W1", H * I), ("b1", H if self.bias else 0), ("W2", H), ("b2", 1 if self.bias else 0)]
        self.dim = sum(n for _, n in self.sizes)
        self.labels = [f"W1[{h},{i}]" for h in range(H) for i in range(I)]
        if self.bias:
            self.labels += [f"b1[{h}]" for h in range(H)]
        self.labels += [f"W2[{h}]" for h in range(H)]
        if self.bias:
            self.labels += ["b2"]
        self.theta0 = self._flatten(o.weights) if o.weights else None

    def _data(self, data):
        from tutor.experiments.problems.deep import dataset

        return dataset(self.o)

    def _flatten(self, w: WeightsOptions) -> np.ndarray:
        W1 = np.asarray(w.W1, dtype=float)
        if W1.shape != (self.H, self.I):
            raise ExperimentError(f"mlp: W1 must be {self.H}×{self.I} (rows are hidden units), it is {'×'.join(map(str, W1.shape))}")
        W2 = np.asarray(w.W2, dtype=float).reshape(-1)
        if W2.shape != (self.H,):
            raise ExperimentError(f"mlp: W2 must have {self.H} numbers, one per hidden unit")
        parts = [W1.reshape(-1)]
        if self.bias:
            b1 = np.zeros(self.H) if w.b1 is None else np.asarray(w.b1, dtype=float)
            b2 = np.zeros(1) if w.b2 is None else np.asarray(w.b2, dtype=float).reshape(-1)
            if b1.shape != (self.H,) or b2.shape != (1,):
                raise ExperimentError(f"mlp: b1 must have {self.H} numbers and b2 one")
            parts += [b1, W2, b2]
        else:
            if w.b1 is not None or w.b2 is not None:
                raise ExperimentError("mlp: biases given but bias: false")
            parts += [W2]
        return np.concatenate(parts)

    def default_point(self):
        if self.theta0 is None and "init" in self.o.model_fields_set:  # a LeCun start asked for, as the deep nets have
            from tutor.experiments.problems.deep import net_of

            self.theta0 = net_of(self).init(np.random.default_rng(self.o.init.seed), scale=self.o.init.scale)
        return self.theta0 if self.theta0 is not None else np.zeros(self.dim)

    def unpack(self, T):
        """W1 (..., H, I), b1 (..., H), W2 (..., H), b2 (...)."""
        H, I = self.H, self.I
        W1 = T[..., : H * I].reshape(T.shape[:-1] + (H, I))
        k = H * I
        if self.bias:
            b1 = T[..., k : k + H]
            W2 = T[..., k + H : k + 2 * H]
            b2 = T[..., k + 2 * H]
        else:
            b1 = np.zeros(T.shape[:-1] + (H,), dtype=T.dtype)
            W2 = T[..., k : k + H]
            b2 = np.zeros(T.shape[:-1], dtype=T.dtype)
        return W1, b1, W2, b2

    def pack(self, W1, b1, W2, b2):
        parts = [W1.reshape(W1.shape[:-2] + (-1,))]
        if self.bias:
            parts += [b1, W2, np.asarray(b2)[..., None]]
        else:
            parts += [W2]
        return np.concatenate(parts, axis=-1)

    def forward(self, T, X=None):
        """Hidden pre-activations, hidden outputs and the network's output (before the loss)."""
        X = self.X if X is None else X
        W1, b1, W2, b2 = self.unpack(T)
        A = np.einsum("...hi,ni->...nh", W1, X) + b1[..., None, :]
        Hh = self.act(A)
        out = np.einsum("...nh,...h->...n", Hh, W2) + b2[..., None]
        return A, Hh, out

    def predict(self, T, X=None):
        out = self.forward(np.asarray(T, dtype=float), X)[2]
        return sigmoid(out) if self.sig_out else out

    def _per_example(self, out):
        if self.loss_kind == "cross-entropy":
            return softplus(out) - self.y * out
        yhat = sigmoid(out) if self.sig_out else out
        return (yhat - self.y) ** 2

    def loss(self, T):
        per = self._per_example(self.forward(np.asarray(T, dtype=float))[2])
        return 0.5 * per.sum(-1) if self.loss_kind == "half-sse" else per.mean(-1)

    def _delta(self, out):
        """∂L/∂out for each example."""
        if self.loss_kind == "cross-entropy":
            return (sigmoid(out) - self.y) / self.N
        if self.sig_out:
            p = sigmoid(out)
            d = (p - self.y) * p * (1.0 - p)
        else:
            d = out - self.y
        return d if self.loss_kind == "half-sse" else 2.0 * d / self.N

    def grad(self, T):
        A, Hh, out = self.forward(T)
        W1, b1, W2, b2 = self.unpack(T)
        delta = self._delta(out)  # (..., N)
        gW2 = np.einsum("...n,...nh->...h", delta, Hh)
        gb2 = delta.sum(-1)
        dA = delta[..., :, None] * W2[..., None, :] * self.dact(A, Hh)  # (..., N, H)
        gW1 = np.einsum("...nh,ni->...hi", dA, self.X)
        gb1 = dA.sum(-2)
        return self.pack(gW1, gb1, gW2, gb2)

    def loss_and_grad(self, T):
        """Fast path for batched descent: one forward pass for both, matmul instead of einsum."""
        if T.ndim != 2:
            return self.loss(T), self.grad(T)
        W1, b1, W2, b2 = self.unpack(T)
        A = np.matmul(self.X, np.swapaxes(W1, -1, -2)) + b1[:, None, :]  # (S, N, H)
        Hh = self.act(A)
        out = np.matmul(Hh, W2[:, :, None])[..., 0] + b2[:, None]
        per = self._per_example(out)
        L = 0.5 * per.sum(-1) if self.loss_kind == "half-sse" else per.mean(-1)
        delta = self._delta(out)
        gW2 = np.matmul(delta[:, None, :], Hh)[:, 0, :]
        dA = delta[:, :, None] * W2[:, None, :] * self.dact(A, Hh)
        gW1 = np.matmul(np.swapaxes(dA, -1, -2), self.X)
        return L, self.pack(gW1, dA.sum(-2), gW2, delta.sum(-1))

    def stepper(self):
        """Loss and gradient for S starts at once with the starts along the last axis: every
        operation is then one numpy call on a contiguous (N, H, S) block. About 8 times fewer
        microseconds per step than the (S, …) layout for the 2-2-1 XOR network."""
        from scipy.special import expit

        H, I, N = self.H, self.I, self.N
        Xb = self.X[:, None, :, None]  # (N, 1, I, 1)
        yb = self.y[:, None]  # (N, 1)
        act, sig_out, kind, bias = self.o.activation, self.sig_out, self.loss_kind, self.bias
        add = np.add.reduce  # the ufunc itself: no Python wrapper on the hot path
        k = H * I
        scale = 1.0 if kind == "half-sse" else 1.0 / N

        def f(TT: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            S = TT.shape[1]
            W1 = TT[:k].reshape(H, I, S)
            W2 = TT[k + H : k + 2 * H] if bias else TT[k : k + H]
            A = add(Xb * W1, 2)  # (N, H, S)
            if bias:
                A += TT[k : k + H]
            if act == "sigmoid":
                h = expit(A)
                dh = h * (1.0 - h)
            elif act == "tanh":
                h = np.tanh(A)
                dh = 1.0 - h * h
            else:
                h = np.maximum(A, 0.0)
                dh = (A > 0).astype(float)
            out = add(h * W2, 1)  # (N, S)
            if bias:
                out += TT[-1]
            if kind == "cross-entropy":
                L = add(np.logaddexp(0.0, out) - yb * out, 0) / N
                delta = (expit(out) - yb) / N
            else:
                p = expit(out) if sig_out else out
                r = p - yb
                L = add(r * r, 0) * (0.5 if kind == "half-sse" else scale)
                delta = r * (p * (1.0 - p)) if sig_out else r
                if kind == "mse":
                    delta *= 2.0 / N
            gW2 = add(delta[:, None] * h, 0)
            dA = delta[:, None] * W2 * dh
            gW1 = add(dA[:, :, None] * Xb, 0).reshape(k, S)
            parts = [gW1, add(dA, 0), gW2, add(delta, 0)[None]] if bias else [gW1, gW2]
            return L, np.concatenate(parts)

        return f

    # -- symmetries -------------------------------------------------------------------------
    @property
    def flips_are_symmetries(self) -> tuple[bool, str]:
        act = self.o.activation
        if act == "tanh":
            return True, "tanh is odd: negating a unit's incoming weights, bias and outgoing weight changes nothing"
        if act == "sigmoid" and self.bias:
            return True, "σ(−z) = 1 − σ(z): negate the unit's weights and outgoing weight, and add that weight to b2"
        if act == "sigmoid":
            return False, "σ(−z) = 1 − σ(z) needs an output bias to absorb the constant; this network has none"
        return False, "relu is not odd, so a sign flip is not a symmetry; relu has a continuous rescaling family instead (c·w in, w/c out, c > 0)"

    def transform(self, theta, perm, flips):
        """The same network with hidden units reordered (new unit k = old unit perm[k]) and flipped."""
        W1, b1, W2, b2 = (np.array(a, dtype=float) for a in self.unpack(np.asarray(theta, dtype=float)))
        W1, b1, W2 = W1[perm], b1[perm], W2[perm]
        out_bias = float(b2)
        for k in flips:
            if self.o.activation == "sigmoid":
                out_bias += W2[k]
            W1[k], b1[k], W2[k] = -W1[k], -b1[k], -W2[k]
        return self.pack(W1, b1, W2, np.asarray(out_bias))

