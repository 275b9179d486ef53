"""What every tool shares: the Result it returns, number formatting and JSON, classifying a critical
point, drawing starts from a box."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.numbers import number
from tutor.experiments.problems.base import Problem
from tutor.plots.spec import Plot

MAX_RECORDED = 2001  # loss values kept per run; longer runs are sampled evenly
DIVERGED = 1e12


@dataclass(frozen=True)
class Result:
    """What a tool found: the values lessons check (named in the tool's registry entry), plots and
    a short table of (label, text) rows."""

    values: dict[str, Any]
    plots: list[Plot] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)
    live: Any = None  # for an experiment step with ``live: true``: a ``tutor.experiments.live.Live``


def jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, np.ndarray):
        return jsonable(v.tolist())
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return f if math.isfinite(f) else (None if math.isnan(f) else ("inf" if f > 0 else "-inf"))
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def fnum(x: float) -> str:
    """A key value of an experiment's table: the one number formatter at 4 significant digits, with
    rounding noise below 1e-12 (a gradient at a critical point, say) shown as 0."""
    x = float(x)
    return number(0.0 if abs(x) < 1e-12 else x, 4)


# ---------------------------------------------------------------------------------- helpers


def classify(eigs: np.ndarray) -> tuple[str, int, float]:
    """Kind of a critical point from its Hessian's eigenvalues, with a scale-relative tolerance.

    minimum: all > tol; maximum: all < −tol; saddle: some of each sign (zeros allowed);
    degenerate: some |λ| ≤ tol and no sign mix, so the Hessian alone cannot decide.
    """
    eigs = np.asarray(eigs, dtype=float)
    tol = 1e-6 * float(np.max(np.abs(eigs), initial=0.0)) + 1e-10
    pos = int(np.sum(eigs > tol))
    neg = int(np.sum(eigs < -tol))
    if pos and neg:
        kind = "saddle"
    elif pos == eigs.size:
        kind = "minimum"
    elif neg == eigs.size:
        kind = "maximum"
    else:
        kind = "degenerate"
    return kind, neg, tol


def _box(box: Any, dim: int, center: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper corners of a box given as a half-width (around ``center``, default the
    origin), one (lo, hi) for every coordinate, or a list with one (lo, hi) per coordinate."""
    if isinstance(box, list):
        if len(box) != dim:
            raise ExperimentError(f"box has {len(box)} ranges but the problem has {dim} parameters; give one [lo, hi] per parameter")
        R = np.asarray(box, dtype=float)
        return R[:, 0].copy(), R[:, 1].copy()
    if isinstance(box, tuple):
        lo, hi = float(box[0]), float(box[1])
        return np.full(dim, lo), np.full(dim, hi)
    c = np.zeros(dim) if center is None else center
    return c - float(box), c + float(box)


HESS_ROWS = 32  # Hessians computed this many points at a time: memory does not grow with the points


def hess_map(problem: Problem, T: np.ndarray, f: Any) -> np.ndarray:
    """``f(H)`` for the Hessians at the rows of ``T``, computed a few rows at a time."""
    return np.concatenate([f(problem.hess(T[i : i + HESS_ROWS])) for i in range(0, len(T), HESS_ROWS)])


def _uniform(rng: np.random.Generator, n: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return lo + (hi - lo) * rng.random((n, lo.size))


def _theta(problem: Problem, theta: Any, what: str) -> np.ndarray:
    return problem.check(np.asarray(theta, dtype=float), what) if theta is not None else problem.default_point().astype(float)


def _refine_1d(f, df, a: float, b: float, t0: float) -> float:
    """A critical point of a 1-D function in [a, b]: Brent's method on the derivative."""
    from scipy.optimize import brentq

    da, db = df(a), df(b)
    if np.sign(da) == np.sign(db) or da == 0 or db == 0:
        return t0
    try:
        return float(brentq(df, a, b, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=200))
    except (ValueError, RuntimeError):
        return t0



def _unique(xs: list[float], tol: float = 1e-7) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or abs(x - out[-1]) > tol * (1 + abs(x)):
            out.append(x)
    return out



def describe_points(problem: Problem, T: np.ndarray) -> list[dict[str, Any]]:
    T = np.atleast_2d(T)
    L = problem.loss(T)
    G = np.linalg.norm(problem.grad(T), axis=1)
    E = np.linalg.eigvalsh(problem.hess(T))
    out = []
    for k in range(len(T)):
        kind, index, tol = classify(E[k])
        out.append({"theta": T[k], "loss": float(L[k]), "grad_norm": float(G[k]), "eigenvalues": E[k], "index": index, "kind": kind,
                    "zero_eigenvalues": int(np.sum(np.abs(E[k]) <= tol))})
    return out



def _clusters(T: np.ndarray, tol: float) -> int:
    """How many points are left after dropping each one within tol·(1 + |θ|) of one kept before
    it (one distance computation per point against all kept so far: 5000 runs take milliseconds)."""
    T = np.asarray(T, dtype=float)
    reps = np.empty_like(T)
    n = 0
    for th in T:
        if n and np.any(np.sqrt(((reps[:n] - th) ** 2).sum(axis=1)) <= tol * (1 + np.sqrt(th @ th))):
            continue
        reps[n] = th
        n += 1
    return n

