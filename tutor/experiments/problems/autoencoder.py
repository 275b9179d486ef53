"""The linear autoencoder of Baldi & Hornik (1989)."""

from __future__ import annotations

import numpy as np

from tutor.core.lab_schema.problems import LinearAutoencoderOptions
from tutor.experiments.problems.base import Problem
from tutor.experiments.registry import problem


@problem(LinearAutoencoderOptions)
class LinearAutoencoder(Problem):
    """tr((I − BA) Σ (I − BA)ᵀ): a linear network n → p → n on data with covariance Σ.

    Baldi & Hornik (1989): every critical point projects onto a set of eigenvectors of Σ; only
    the top-p set is a minimum, every other one is a saddle. No local minima besides the global.
    """


    def __init__(self, o: LinearAutoencoderOptions):
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

