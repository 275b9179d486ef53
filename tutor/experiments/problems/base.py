"""The loss functions experiments run on (spec section 2): value, gradient and Hessian.

Every method takes a batch ``T`` of parameter vectors with shape ``(..., d)`` and returns arrays
with the same leading shape, so 200 random starts are one computation, not 200 Python loops.

Gradients are analytic. Hessians are analytic where they are short to write; for the networks
they are the complex-step derivative of the analytic gradient (Squire & Trapp 1998), which is
exact to rounding error: ``H e_j = Im g(θ + i h e_j) / h`` with ``h = 1e-20``.
"""

from __future__ import annotations

import numpy as np

from tutor.core.errors import ExperimentError

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

    holomorphic = True  # the gradient takes complex input (complex-step derivatives work)

    def curvature(self, T: np.ndarray, u: np.ndarray) -> np.ndarray:
        """uᵀ H u at each row of ``T``: the second derivative along ``u``, without d×d Hessians
        where the problem allows: one complex gradient along u (exact to rounding), or one
        Hessian-vector product. Small problems with a closed-form Hessian keep using it."""
        T = np.asarray(T, dtype=float)
        hvp = getattr(self, "hvp", None)
        if type(self).hess is Problem.hess or (self.dim > 16 and self.holomorphic and hvp is None):
            return (self.grad(T + 1j * CSTEP * u).imag / CSTEP) @ u
        if self.dim > 16 and hvp is not None:
            return np.array([float(hvp(t, u[None])[0] @ u) for t in T])
        rows = 32  # Hessians a few points at a time: memory does not grow with the points
        return np.concatenate([np.einsum("i,kij,j->k", u, self.hess(T[i : i + rows]), u) for i in range(0, len(T), rows)])

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


def _rows(x: list) -> np.ndarray:
    X = np.asarray(x, dtype=float)
    return X[:, None] if X.ndim == 1 else X


def _design(x: list, bias: bool, n: int, what: str) -> np.ndarray:
    X = _rows(x)
    if X.shape[0] != n:
        raise ExperimentError(f"{what}: x has {X.shape[0]} rows but y has {n} values")
    return np.hstack([X, np.ones((n, 1))]) if bias else X

