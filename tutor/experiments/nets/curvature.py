"""Curvature of a loss from Hessian-vector products alone, as PyHessian does for networks whose
Hessian is too big to write down (Yao, Gholami, Keutzer & Mahoney 2020, "PyHessian: neural
networks through the lens of the Hessian"):

- the top eigenvalues by Lanczos' method (ARPACK's implicitly restarted Lanczos, scipy's
  ``eigsh``, on a ``LinearOperator`` whose product is the Hessian-vector product);
- the trace by Hutchinson's estimator, E[vᵀHv] = tr H for v with independent ±1 entries;
- the spectral density by stochastic Lanczos quadrature (Ubaru, Chen & Saad 2017): a few Lanczos
  runs from random vectors; the eigenvalues of each tridiagonal matrix, weighted by the squares of
  the first components of its eigenvectors, are a quadrature rule for the density.

An ``Hvp`` maps directions V (k, d) to H V (k, d). Small problems use the dense Hessian instead,
which gives everything exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tutor.experiments.nets.blas import single_thread

Hvp = Callable[[np.ndarray], np.ndarray]
# ARPACK stops once every Ritz pair's residual is below LANCZOS_TOL·|λ|; the eigenvalues are then right to about
# its square (1e-12 relative against dense eigh on the bench's networks), with 10-25% fewer products than at 1e-8
LANCZOS_TOL = 1e-6


def eigh_tridiagonal(diag: np.ndarray, off: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenpairs of a symmetric tridiagonal matrix by LAPACK's own tridiagonal solver (``dstev``,
    called directly: scipy's ``eigh_tridiagonal`` checks its input for longer than the solve takes
    on the few dozen rows Lanczos builds); no dense matrix, and none of the threaded BLAS calls
    that make a small ``eigh`` slow on a busy machine."""
    from scipy.linalg import lapack

    single_thread()

    if len(diag) == 1:
        return diag.copy(), np.ones((1, 1))
    vals, vecs, info = lapack.dstev(diag, off)
    if info != 0:  # pragma: no cover - QR iteration failed to converge: scipy's solver says why
        from scipy.linalg import eigh_tridiagonal as eig

        return eig(diag, off)
    return vals, vecs


def operator(hvp: Hvp, d: int):
    """The Hessian as a scipy ``LinearOperator`` (matvec and matmat both call ``hvp``)."""
    from scipy.sparse.linalg import LinearOperator

    single_thread()

    return LinearOperator((d, d), matvec=lambda v: hvp(np.asarray(v).reshape(1, d))[0],
                          matmat=lambda V: hvp(np.asarray(V).T).T, dtype=float)


def lanczos(hvp: Hvp, d: int, k: int, which: str = "LA", seed: int = 0, v0: np.ndarray | None = None,
            tol: float = 0.0, maxiter: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The k eigenvalues at one end of the spectrum (``LA`` largest, ``SA`` smallest), ordered from
    that end inwards, and their eigenvectors (d, k). ``tol = 0`` asks for machine precision."""
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh

    if v0 is None:
        v0 = np.random.default_rng(seed).normal(size=d)
    try:
        vals, vecs = eigsh(operator(hvp, d), k=k, which=which, v0=v0, tol=tol, maxiter=maxiter)
    except ArpackNoConvergence as exc:  # keep what did converge
        vals, vecs = exc.eigenvalues, exc.eigenvectors
    order = np.argsort(vals)
    if which == "LA":
        order = order[::-1]
    return vals[order], vecs[:, order]


def top_eigenpair(hvp: Hvp, d: int, v0: np.ndarray | None = None, seed: int = 0, tol: float = 1e-8,
                  max_steps: int = 60) -> tuple[float, np.ndarray]:
    """The largest eigenvalue and its eigenvector by plain Lanczos with full reorthogonalisation,
    stopping once the residual bound β_j|u_j| of the top Ritz pair is below tol·|λ|. Started from
    the previous eigenvector (``v0``), as when tracking the sharpness during training, it needs
    only a few products, without ARPACK's fixed cost per call."""
    q = np.random.default_rng(seed).normal(size=d) if v0 is None else np.array(v0, dtype=float)
    q /= np.linalg.norm(q)
    m = min(max_steps, d)
    Q = np.zeros((m, d))
    alpha, beta = np.zeros(m), np.zeros(m)
    lam, u = 0.0, np.ones(1)
    for j in range(m):
        Q[j] = q
        w = hvp(q[None])[0]
        alpha[j] = w @ q
        w -= Q[: j + 1].T @ (Q[: j + 1] @ w)
        w -= Q[: j + 1].T @ (Q[: j + 1] @ w)  # twice is enough (Kahan, Parlett)
        b = float(np.linalg.norm(w))
        ev, U = eigh_tridiagonal(alpha[: j + 1], beta[:j])
        lam, u = float(ev[-1]), U[:, -1]
        if b * abs(u[-1]) <= tol * max(abs(lam), 1e-300) or j + 1 == m or b == 0.0:
            break
        beta[j] = b
        q = w / b
    vec = u @ Q[: len(u)]
    return lam, vec / np.linalg.norm(vec)


def hutchinson(hvp: Hvp, d: int, probes: int = 100, seed: int = 0, batch: int = 64,
               deflate: np.ndarray | None = None) -> tuple[float, float]:
    """Hutchinson's estimate of tr H with Rademacher probes, and its standard error.

    With ``deflate`` = Q (d, k), orthonormal, the estimate is of tr(PHP), P = I − QQᵀ: the part of
    the trace outside span(Q). When Q holds the top eigenvectors, tr H = Σλ_top + tr(PHP), and the
    variance left is that of the small eigenvalues only (the idea of Hutch++, Meyer et al. 2021)."""
    rng = np.random.default_rng(seed)
    samples = []
    for k in range(0, probes, batch):
        V = rng.choice([-1.0, 1.0], size=(min(batch, probes - k), d))
        if deflate is not None:
            V = V - (V @ deflate) @ deflate.T
        samples.append(np.einsum("kd,kd->k", V, hvp(V)))
    s = np.concatenate(samples)
    return float(s.mean()), float(s.std(ddof=1) / np.sqrt(len(s))) if len(s) > 1 else float("inf")


def slq(hvp: Hvp, d: int, runs: int = 4, steps: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Stochastic Lanczos quadrature: nodes and weights (each run's weights sum to 1/runs).

    All runs advance together (one product with a (runs, d) block per step), with full
    reorthogonalisation so the nodes are not spoiled by ghost copies of converged eigenvalues."""
    rng = np.random.default_rng(seed)
    m = min(steps, d)
    Q = np.zeros((runs, m, d))
    q = rng.normal(size=(runs, d))
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    alpha = np.zeros((runs, m))
    beta = np.zeros((runs, m))
    prev = np.zeros_like(q)
    b = np.zeros(runs)
    used = m
    for j in range(m):
        Q[:, j] = q
        w = hvp(q) - b[:, None] * prev
        alpha[:, j] = np.einsum("rd,rd->r", w, q)
        w -= alpha[:, j, None] * q
        w -= np.einsum("rjd,rj->rd", Q[:, : j + 1], np.einsum("rjd,rd->rj", Q[:, : j + 1], w))  # reorthogonalise
        b = np.linalg.norm(w, axis=1)
        if j + 1 == m:
            break
        if np.any(b < 1e-10 * (1.0 + np.abs(alpha[:, j]))):  # an invariant subspace: the quadrature is exact
            used = j + 1
            break
        beta[:, j] = b
        prev, q = q, w / b[:, None]
    nodes, weights = [], []
    for r in range(runs):
        ev, U = eigh_tridiagonal(alpha[r, :used], beta[r, : used - 1])
        nodes.append(ev)
        weights.append(U[0] ** 2 / runs)
    return np.concatenate(nodes), np.concatenate(weights)


@dataclass
class Density:
    """A histogram of the eigenvalues: ``centers`` of the bins and the ``fraction`` of them in each."""

    centers: np.ndarray
    fraction: np.ndarray
    edges: np.ndarray


def histogram(nodes: np.ndarray, weights: np.ndarray | None = None, bins: int = 40) -> Density:
    lo, hi = float(np.min(nodes)), float(np.max(nodes))
    if hi - lo < 1e-12 * (1.0 + abs(hi)):
        lo, hi = lo - 0.5, hi + 0.5
    frac, edges = np.histogram(nodes, bins=bins, range=(lo, hi), weights=weights)
    frac = frac / max(float(frac.sum()), 1e-300)
    return Density(0.5 * (edges[:-1] + edges[1:]), frac, edges)


@dataclass
class Spectrum:
    eigenvalues: np.ndarray  # the top k, largest first
    smallest: float
    trace: float
    trace_exact: bool
    trace_error: float  # standard error of the Hutchinson estimate (0 when exact)
    density: Density
    method: str  # "dense" or "lanczos"


def spectrum(hvp: Hvp, d: int, top: int = 5, dense: np.ndarray | None = None, probes: int = 100,
             runs: int = 3, steps: int = 50, bins: int = 40, seed: int = 0) -> Spectrum:
    """Everything PyHessian reports, from the dense Hessian when given, else from products."""
    top = max(1, min(top, d))
    if dense is not None:
        ev = np.linalg.eigvalsh(dense)
        return Spectrum(ev[::-1][:top].copy(), float(ev[0]), float(np.trace(dense)), True, 0.0, histogram(ev, bins=bins), "dense")
    vals, vecs = lanczos(hvp, d, min(top, d - 1), "LA", seed=seed, tol=LANCZOS_TOL)
    rest, err = hutchinson(hvp, d, probes, seed=seed, deflate=vecs)
    tr = float(vals.sum()) + rest
    nodes, weights = slq(hvp, d, runs, steps, seed=seed)
    # Lanczos finds both ends of the spectrum first: the lowest node of the quadrature runs is the
    # smallest eigenvalue once it is separated from the rest (and an upper bound on it before)
    return Spectrum(vals, float(nodes.min()), tr, False, err, histogram(nodes, weights, bins), "lanczos")
