"""Two one-line losses: the output square and the product of weights (the deep linear net of width one)."""

from __future__ import annotations

import numpy as np

from tutor.core.lab_schema.problems import OutputSquareOptions, ProductOptions
from tutor.experiments.problems.base import Problem
from tutor.experiments.registry import problem


@problem(OutputSquareOptions)
class OutputSquare(Problem):
    """(t − w²)²: a parabola in the output ŷ = w², a double well in the weight w."""


    def __init__(self, o: OutputSquareOptions):
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


@problem(ProductOptions)
class Product(Problem):
    """(t − w₁w₂…w_k)²: the deep linear network of width one (Kawaguchi 2016, the simplest case)."""


    def __init__(self, o: ProductOptions):
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

