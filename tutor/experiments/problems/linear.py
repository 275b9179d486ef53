"""Linear models: least squares, logistic regression and softmax regression."""

from __future__ import annotations

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.problems import LinearRegressionOptions, LogisticOptions, SoftmaxOptions
from tutor.experiments.problems.base import Problem, _design, sigmoid, softplus
from tutor.experiments.registry import problem


@problem(LinearRegressionOptions)
class LinearRegression(Problem):
    """mean((Xw + b − y)²): a quadratic in θ with Hessian 2XᵀX/N, never negative."""


    def __init__(self, o: LinearRegressionOptions):
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


@problem(LogisticOptions)
class Logistic(Problem):
    """σ(Xw + b) against y, with squared error (not convex) or cross-entropy (convex).

    Cross-entropy is written in the logits, log(1 + e^z) − yz, so far-out weights give the true
    (asymptotically linear) loss and not the fake plateaus of log(σ(z)) rounding to log(0).
    """


    def __init__(self, o: LogisticOptions):
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

    def loss_and_grad(self, T):
        """``loss`` and ``grad`` from one product and one sigmoid (descent's hot loop), the same
        arithmetic to the bit."""
        z = T @ self.X.T
        p = sigmoid(z)
        if self.ce:
            per, d1 = softplus(z) - self.y * z, p - self.y
        else:
            per, d1 = (p - self.y) ** 2, 2 * (p - self.y) * (p * (1 - p))
        return self.scale * per.sum(axis=-1), self.scale * d1 @ self.X

    def hess(self, T):
        _, d2 = self._dz(np.asarray(T, dtype=float) @ self.X.T)
        return self.scale * np.einsum("...n,nf,ng->...fg", d2, self.X, self.X)


@problem(SoftmaxOptions)
class Softmax(Problem):
    """Multinomial logistic regression: cross-entropy of softmax(Wx + b), θ = W row-major.

    Adding the same vector to every row of W changes nothing: the Hessian is singular along
    those directions, however convex the loss is.
    """


    def __init__(self, o: SoftmaxOptions):
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

