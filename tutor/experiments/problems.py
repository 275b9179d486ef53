"""The loss functions experiments run on (spec section 2): value, gradient and Hessian.

Every method takes a batch ``T`` of parameter vectors with shape ``(..., d)`` and returns arrays
with the same leading shape, so 200 random starts are one computation, not 200 Python loops.

Gradients are analytic. Hessians are analytic where they are short to write; for the networks
they are the complex-step derivative of the analytic gradient (Squire & Trapp 1998), which is
exact to rounding error: ``H e_j = Im g(θ + i h e_j) / h`` with ``h = 1e-20``.
"""

from __future__ import annotations

import math

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.experiments import options as O

CSTEP = 1e-20


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = ½(1 + tanh(z/2)): stable for any z, and holomorphic (complex step works)."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + e^z) without overflow."""
    return np.logaddexp(0.0, z)


class Problem:
    """A loss L(θ) on a flat vector θ ∈ ℝ^d."""

    name = ""
    dim = 0
    labels: list[str]

    def loss(self, T: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def grad(self, T: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def hess(self, T: np.ndarray) -> np.ndarray:
        """Complex step of the gradient; problems with a short closed form override it."""
        T = np.asarray(T, dtype=float)
        d = self.dim
        Tc = T[..., None, :] + 1j * CSTEP * np.eye(d)
        G = self.grad(Tc).imag / CSTEP  # (..., d, d): row j is ∂g/∂θ_j
        return 0.5 * (G + np.swapaxes(G, -1, -2))

    def loss_and_grad(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.loss(T), self.grad(T)

    def stepper(self):
        """``f(TT) -> (L, G)`` for descent on many starts at once, in the layout descent keeps its
        state in: parameters first, starts last (``TT`` is d×S, ``G`` is d×S). Subclasses with a
        hot loop (the networks) override it with a kernel written for that layout."""

        def f(TT: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            L, G = self.loss_and_grad(TT.T)
            return L, G.T

        return f

    def default_point(self) -> np.ndarray:
        return np.zeros(self.dim)

    def check(self, theta: np.ndarray, what: str) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        if theta.shape[-1] != self.dim:
            raise ExperimentError(f"{what} has {theta.shape[-1]} numbers; the {self.name} problem has {self.dim} parameters ({', '.join(self.labels)})")
        return theta


class OutputSquare(Problem):
    """(t − w²)²: a parabola in the output ŷ = w², a double well in the weight w."""

    name = "output-square"

    def __init__(self, o: O.OutputSquare):
        self.t = float(o.target)
        self.dim = 1
        self.labels = ["w"]

    def loss(self, T):
        return (self.t - T[..., 0] ** 2) ** 2

    def grad(self, T):
        w = T[..., 0]
        return (-4.0 * w * (self.t - w**2))[..., None]

    def hess(self, T):
        w = T[..., 0]
        return (12.0 * w**2 - 4.0 * self.t)[..., None, None]


class Product(Problem):
    """(t − w₁w₂…w_k)²: the deep linear network of width one (Kawaguchi 2016, the simplest case)."""

    name = "product"

    def __init__(self, o: O.Product):
        self.k = o.depth
        self.t = float(o.target)
        self.dim = self.k
        self.labels = list("abcdefgh"[: self.k])

    def _others(self, T, skip):
        keep = [i for i in range(self.k) if i not in skip]
        return np.prod(T[..., keep], axis=-1) if keep else np.ones(T.shape[:-1], dtype=T.dtype)

    def loss(self, T):
        return (self.t - np.prod(T, axis=-1)) ** 2

    def grad(self, T):
        r = self.t - np.prod(T, axis=-1)
        return np.stack([-2.0 * r * self._others(T, {i}) for i in range(self.k)], axis=-1)

    def hess(self, T):
        T = np.asarray(T, dtype=float)
        r = self.t - np.prod(T, axis=-1)
        dp = [self._others(T, {i}) for i in range(self.k)]
        H = np.empty(T.shape[:-1] + (self.k, self.k))
        for i in range(self.k):
            for j in range(self.k):
                second = 0.0 if i == j else self._others(T, {i, j})
                H[..., i, j] = 2.0 * dp[i] * dp[j] - 2.0 * r * second
        return H


def _rows(x: list) -> np.ndarray:
    X = np.asarray(x, dtype=float)
    return X[:, None] if X.ndim == 1 else X


def _design(x: list, bias: bool, n: int, what: str) -> np.ndarray:
    X = _rows(x)
    if X.shape[0] != n:
        raise ExperimentError(f"{what}: x has {X.shape[0]} rows but y has {n} values")
    return np.hstack([X, np.ones((n, 1))]) if bias else X


class LinearRegression(Problem):
    """mean((Xw + b − y)²): a quadratic in θ with Hessian 2XᵀX/N, never negative."""

    name = "linear-regression"

    def __init__(self, o: O.LinearRegression):
        self.y = np.asarray(o.y, dtype=float)
        self.X = _design(o.x, o.bias, len(self.y), self.name)
        self.N, self.dim = self.X.shape
        f = self.dim - int(o.bias)
        self.labels = [f"w{i + 1}" if f > 1 else "w" for i in range(f)] + (["b"] if o.bias else [])

    def loss(self, T):
        r = T @ self.X.T - self.y
        return np.mean(r * r, axis=-1)

    def grad(self, T):
        return (2.0 / self.N) * (T @ self.X.T - self.y) @ self.X

    def hess(self, T):
        H = (2.0 / self.N) * self.X.T @ self.X
        return np.broadcast_to(H, np.shape(T)[:-1] + H.shape).copy()


class Logistic(Problem):
    """σ(Xw + b) against y, with squared error (not convex) or cross-entropy (convex).

    Cross-entropy is written in the logits, log(1 + e^z) − yz, so far-out weights give the true
    (asymptotically linear) loss and not the fake plateaus of log(σ(z)) rounding to log(0).
    """

    name = "logistic"

    def __init__(self, o: O.Logistic):
        self.y = np.asarray(o.y, dtype=float)
        self.X = _design(o.x, o.bias, len(self.y), self.name)
        self.N, self.dim = self.X.shape
        self.ce = o.loss == "cross-entropy"
        self.scale = 1.0 / self.N if o.reduction == "mean" else 1.0
        f = self.dim - int(o.bias)
        self.labels = [f"w{i + 1}" if f > 1 else "w" for i in range(f)] + (["b"] if o.bias else [])

    def loss(self, T):
        z = T @ self.X.T
        if self.ce:
            per = softplus(z) - self.y * z
        else:
            per = (sigmoid(z) - self.y) ** 2
        return self.scale * per.sum(axis=-1)

    def _dz(self, z):
        p = sigmoid(z)
        if self.ce:
            return p - self.y, p * (1 - p)
        s = p * (1 - p)
        return 2 * (p - self.y) * s, 2 * (s * s + (p - self.y) * s * (1 - 2 * p))

    def grad(self, T):
        d1, _ = self._dz(T @ self.X.T)
        return self.scale * d1 @ self.X

    def hess(self, T):
        _, d2 = self._dz(np.asarray(T, dtype=float) @ self.X.T)
        return self.scale * np.einsum("...n,nf,ng->...fg", d2, self.X, self.X)


class Softmax(Problem):
    """Multinomial logistic regression: cross-entropy of softmax(Wx + b), θ = W row-major.

    Adding the same vector to every row of W changes nothing: the Hessian is singular along
    those directions, however convex the loss is.
    """

    name = "softmax"

    def __init__(self, o: O.Softmax):
        y = np.asarray(o.y, dtype=int)
        self.X = _design(o.x, o.bias, len(y), self.name)
        self.N, self.F = self.X.shape
        self.C = o.classes or int(y.max()) + 1
        if y.max() >= self.C:
            raise ExperimentError(f"softmax: class id {y.max()} but classes = {self.C}")
        self.Y = np.eye(self.C)[y]
        self.dim = self.C * self.F
        self.labels = [f"W[{c},{f}]" for c in range(self.C) for f in range(self.F)]

    def _logits(self, T):
        W = T.reshape(T.shape[:-1] + (self.C, self.F))
        return np.einsum("...cf,nf->...nc", W, self.X)

    def loss(self, T):
        Z = self._logits(T)
        m = Z.max(axis=-1, keepdims=True)
        lse = (m + np.log(np.exp(Z - m).sum(axis=-1, keepdims=True)))[..., 0]
        return np.mean(lse - (Z * self.Y).sum(axis=-1), axis=-1)

    def _probs(self, T):
        Z = self._logits(T)
        Z = Z - Z.max(axis=-1, keepdims=True).real
        E = np.exp(Z)
        return E / E.sum(axis=-1, keepdims=True)

    def grad(self, T):
        G = np.einsum("...nc,nf->...cf", self._probs(T) - self.Y, self.X) / self.N
        return G.reshape(np.shape(T))

    def hess(self, T):
        Pr = self._probs(np.asarray(T, dtype=float))
        A = Pr[..., :, :, None] * np.eye(self.C) - Pr[..., :, :, None] * Pr[..., :, None, :]
        H = np.einsum("...nab,nf,ng->...afbg", A, self.X, self.X) / self.N
        return H.reshape(np.shape(T)[:-1] + (self.dim, self.dim))


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


class MLP(Problem):
    """One hidden layer: h = act(W1 x + b1), out = W2·h + b2, then the output function.

    θ = [W1 row-major (rows are hidden units), b1, W2, b2]. Swapping two rows of W1 together with
    the matching entries of b1 and W2 gives the same network: the n! permutation symmetry.
    """

    name = "mlp"

    def __init__(self, o: O.MLP):
        self.o = o
        self.X, self.y = self._data(o.data)
        self.N, self.I = self.X.shape
        self.H = o.hidden
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
        if data == "xor":
            return XOR_X.copy(), XOR_Y.copy()
        if isinstance(data, O.PointsData):
            X = _rows(data.points.x)
            y = np.asarray(data.points.y, dtype=float)
            if len(y) != X.shape[0]:
                raise ExperimentError(f"mlp: data has {X.shape[0]} inputs but {len(y)} targets")
            return X, y
        t = data.teacher
        rng = np.random.default_rng(t.seed)
        X = rng.uniform(-1.0, 1.0, size=(t.points, t.inputs))
        W1 = rng.normal(size=(t.hidden, t.inputs)) * 2.0
        b1 = rng.normal(size=t.hidden)
        W2 = rng.normal(size=t.hidden)
        f, _ = _act(self.o.activation)
        out = f(X @ W1.T + b1) @ W2
        return X, (sigmoid(out) if self.o.output == "sigmoid" else out)

    def _flatten(self, w: O.Weights) -> np.ndarray:
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
        b2 = float(b2)
        for k in flips:
            if self.o.activation == "sigmoid":
                b2 += W2[k]
            W1[k], b1[k], W2[k] = -W1[k], -b1[k], -W2[k]
        return self.pack(W1, b1, W2, np.asarray(b2))


class LinearAutoencoder(Problem):
    """tr((I − BA) Σ (I − BA)ᵀ): a linear network n → p → n on data with covariance Σ.

    Baldi & Hornik (1989): every critical point projects onto a set of eigenvectors of Σ; only
    the top-p set is a minimum, every other one is a saddle. No local minima besides the global.
    """

    name = "linear-autoencoder"

    def __init__(self, o: O.LinearAutoencoder):
        self.sigma = np.asarray(o.sigma, dtype=float)
        self.n = len(self.sigma)
        self.p = o.p
        self.dim = 2 * self.n * self.p
        self.labels = [f"A[{i},{j}]" for i in range(self.p) for j in range(self.n)] + [
            f"B[{i},{j}]" for i in range(self.n) for j in range(self.p)
        ]

    def unpack(self, T):
        k = self.p * self.n
        A = T[..., :k].reshape(T.shape[:-1] + (self.p, self.n))
        B = T[..., k:].reshape(T.shape[:-1] + (self.n, self.p))
        return A, B

    def _residual(self, T):
        A, B = self.unpack(T)
        return A, B, np.eye(self.n) - B @ A

    def loss(self, T):
        _, _, E = self._residual(np.asarray(T, dtype=float))
        return np.einsum("...ij,j,...ij->...", E, self.sigma, E)

    def grad(self, T):
        A, B, E = self._residual(T)
        ES = E * self.sigma  # E Σ (Σ diagonal)
        gA = -2.0 * np.swapaxes(B, -1, -2) @ ES
        gB = -2.0 * ES @ np.swapaxes(A, -1, -2)
        return np.concatenate([gA.reshape(T.shape[:-1] + (-1,)), gB.reshape(T.shape[:-1] + (-1,))], axis=-1)


class Function(Problem):
    """Any formula in a few variables, e.g. x²/2 + y⁴/4 − y²/2. Gradient by complex step (exact);
    Hessian by central differences of that gradient (error about 1e-10)."""

    name = "function"

    def __init__(self, o: O.Function):
        from tutor.core.errors import ExpressionError
        from tutor.core.expr import Expression

        self.vars = list(o.vars)
        self.dim = len(self.vars)
        self.labels = self.vars
        try:
            self.expr = Expression(o.expr, variables=tuple(self.vars), functions=ARRAY_FUNCTIONS, constants={"pi": math.pi, "e": math.e})
        except ExpressionError as exc:
            raise ExperimentError(f"function: {exc}") from None

    def _eval(self, T):
        from tutor.core.errors import ExpressionError

        T = np.asarray(T)
        with np.errstate(all="ignore"):
            try:
                v = self.expr.value(**{name: T[..., i] for i, name in enumerate(self.vars)})
            except ExpressionError as exc:
                raise ExperimentError(f"function: {exc}") from None
        return np.broadcast_to(v, T.shape[:-1]) if np.ndim(v) < T.ndim - 1 or np.isscalar(v) else v

    def loss(self, T):
        return np.real(self._eval(np.asarray(T, dtype=float))).astype(float)

    def grad(self, T):
        T = np.asarray(T, dtype=float)
        Tc = T[..., None, :] + 1j * CSTEP * np.eye(self.dim)
        return self._eval(Tc).imag / CSTEP

    def hess(self, T):
        T = np.asarray(T, dtype=float)
        h = 1e-5 * np.maximum(1.0, np.abs(T))
        cols = []
        for j in range(self.dim):
            e = np.zeros(self.dim)
            e[j] = 1.0
            hj = h[..., j : j + 1]
            cols.append((self.grad(T + hj * e) - self.grad(T - hj * e)) / (2 * hj))
        H = np.stack(cols, axis=-2)
        return 0.5 * (H + np.swapaxes(H, -1, -2))


def _abs(x):
    return x * np.sign(np.real(x))


ARRAY_FUNCTIONS = {
    "sqrt": np.sqrt,
    "ln": np.log,
    "log": np.log,
    "exp": np.exp,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "tanh": np.tanh,
    "atan": np.arctan,
    "abs": _abs,
    "sigmoid": sigmoid,
}

CLASSES = {
    "output-square": OutputSquare,
    "linear-regression": LinearRegression,
    "logistic": Logistic,
    "softmax": Softmax,
    "mlp": MLP,
    "linear-autoencoder": LinearAutoencoder,
    "product": Product,
    "function": Function,
}


def make(name: str, options: O.Opts) -> Problem:
    return CLASSES[name](options)


