"""Permutation (and sign-flip) symmetries of a network's hidden units."""

from __future__ import annotations

import math

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.tools import SymmetryOptions
from tutor.experiments.problems.base import Problem
from tutor.experiments.problems.mlp import MLP
from tutor.experiments.registry import tool
from tutor.experiments.tools.base import Result, fnum
from tutor.plots.spec import Plot, Series


def _barrier(problem: Problem, a: np.ndarray, b: np.ndarray, n: int) -> tuple[float, np.ndarray, np.ndarray]:
    """max over t of L((1−t)a + tb) − [(1−t)L(a) + tL(b)]."""
    t = np.linspace(0, 1, n)
    L = problem.loss((1 - t)[:, None] * a + t[:, None] * b)
    chord = (1 - t) * L[0] + t * L[-1]
    return float(np.max(L - chord)), t, L


def align(problem: MLP, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Weight matching (Ainsworth et al. 2023, Git Re-Basin): reorder (and, where it is a symmetry,
    flip) b's hidden units to be as close as possible to a's, with an assignment solver."""
    from scipy.optimize import linear_sum_assignment

    Wa, ba, va, _ = problem.unpack(a)
    Wb, bb, vb, _ = problem.unpack(b)
    Ua = np.column_stack([Wa, ba, va])
    Ub = np.column_stack([Wb, bb, vb])
    sim = Ua @ Ub.T
    flips_ok, _ = problem.flips_are_symmetries
    cost = -np.abs(sim) if flips_ok else -sim
    rows, cols = linear_sum_assignment(cost)
    perm = cols[np.argsort(rows)]
    flips = [k for k in range(problem.H) if flips_ok and sim[k, perm[k]] < 0]
    return problem.transform(b, perm, flips)


@tool(SymmetryOptions)
def symmetry(problem: Problem, o: SymmetryOptions) -> Result:
    """Hidden units can be reordered (and, for odd activations, negated) without changing the
    function: n!·2ⁿ copies of every network. The straight line between two copies is not flat."""
    if not isinstance(problem, MLP) or problem.theta0 is None:
        raise ExperimentError("symmetry works on an mlp with one hidden layer of sigmoid, tanh or relu units, a sigmoid or linear "
                              "output and weights (the path tool compares deeper networks)")
    a = problem.theta0
    n = problem.H
    flips_ok, why = problem.flips_are_symmetries
    if o.other is not None:
        b = problem._flatten(o.other)
        perm = list(range(n))
    else:
        if o.permutation == "random":
            perm = list(np.random.default_rng(o.seed).permutation(n))
        elif o.permutation is None:
            perm = list(range(n - 1, -1, -1))
        else:
            perm = list(o.permutation)
            if sorted(perm) != list(range(n)):
                raise ExperimentError(f"permutation must list each hidden unit 0 to {n - 1} once, got {perm}")
        for k in o.flip:
            if k >= n:
                raise ExperimentError(f"flip: there is no hidden unit {k} (units are 0 to {n - 1})")
        if o.flip and not flips_ok:
            raise ExperimentError(f"flip is not a symmetry here: {why}")
        b = problem.transform(a, perm, o.flip)
    rng = np.random.default_rng(o.seed)
    probe = np.vstack([problem.X, rng.uniform(-2, 2, size=(200, problem.I))])
    max_diff = float(np.max(np.abs(problem.predict(a, probe) - problem.predict(b, probe))))
    barrier, t, L = _barrier(problem, a, b, o.points)
    b_aligned = align(problem, a, b)
    aligned_barrier, _, La = _barrier(problem, a, b_aligned, o.points)
    count = math.factorial(n) * (2**n if flips_ok else 1)
    W1, b1, W2, b2 = problem.unpack(b)
    values = {
        "equivalent_count": count,
        "flips_are_symmetries": flips_ok,
        "why": why,
        "max_output_diff": max_diff,
        "loss_a": float(L[0]),
        "loss_b": float(L[-1]),
        "midpoint_loss": float(problem.loss(0.5 * (a + b))),
        "barrier": barrier,
        "aligned_barrier": aligned_barrier,
        "theta_b": b,
        "W1_b": W1,
        "b1_b": b1,
        "W2_b": W2,
        "b2_b": float(b2),
        "permutation": [int(p) for p in perm],
        "distance": float(np.linalg.norm(a - b)),
    }
    plot = Plot(title="loss on the straight line between two networks", xlabel="t", ylabel="loss",
                series=[Series(t, L, "line", "straight line"), Series(t, La, "line", "after aligning units")])
    summary = [("equivalent networks", f"{count} ({'n!·2ⁿ' if flips_ok else 'n!'}, n = {n})"),
               ("largest output difference", fnum(max_diff)), ("loss at the ends", f"{fnum(L[0])}, {fnum(L[-1])}"),
               ("loss at the midpoint", fnum(values["midpoint_loss"])), ("barrier", fnum(barrier)),
               ("barrier after aligning", fnum(aligned_barrier))]
    return Result(values, [plot], summary)
