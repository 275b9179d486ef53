"""Testing the definition of convexity."""

from __future__ import annotations

import numpy as np

from tutor.core.lab_schema.tools import ConvexityOptions
from tutor.experiments.problems.base import Problem
from tutor.experiments.registry import tool
from tutor.experiments.tools.base import Result, _box, _uniform, fnum, hess_map
from tutor.plots.spec import Plot, Series


@tool(ConvexityOptions)
def convexity(problem: Problem, o: ConvexityOptions) -> Result:
    """Test the definition of convexity, L((1−t)a + tb) ≤ (1−t)L(a) + tL(b), on random pairs,
    and the second-order condition (no negative Hessian eigenvalue) at random points."""
    rng = np.random.default_rng(o.seed)
    center = None if o.at is None else problem.check(np.asarray(o.at), "at")
    lo, hi = _box(o.box, problem.dim, center)
    A = _uniform(rng, o.pairs, lo, hi)
    B = _uniform(rng, o.pairs, lo, hi)
    ts = np.linspace(0.1, 0.9, 9)
    with np.errstate(all="ignore"):
        La, Lb = problem.loss(A), problem.loss(B)
        mid = problem.loss((1 - ts)[None, :, None] * A[:, None, :] + ts[None, :, None] * B[:, None, :])
        chord = (1 - ts)[None, :] * La[:, None] + ts[None, :] * Lb[:, None]
        gap = mid - chord
        tol = 1e-9 * (1 + np.abs(chord))
        bad = gap > tol
        eig_points = np.vstack([A, B])[: min(2 * o.pairs, 2000)]
        ends = hess_map(problem, eig_points, lambda H: np.column_stack([np.linalg.eigvalsh(H)[:, 0], np.abs(H).max(axis=(1, 2))]))
        min_eig = float(np.nanmin(ends[:, 0]))
    violations = int(bad.any(axis=1).sum())
    k, j = np.unravel_index(int(np.nanargmax(gap)), gap.shape)
    worst = float(gap[k, j])
    counterexample = {"a": A[k], "b": B[k], "t": float(ts[j]), "gap": worst} if violations else None
    scale = float(np.nanmax(ends[:, 1])) if problem.dim else 1.0
    convex = violations == 0 and min_eig >= -1e-7 * max(scale, 1.0)
    values = {"pairs": o.pairs, "violations": violations, "worst_gap": worst, "counterexample": counterexample,
              "min_hessian_eigenvalue": min_eig, "convex": bool(convex)}
    plots = []
    tt = np.linspace(0, 1, 101)
    seg = problem.loss((1 - tt)[:, None] * A[k] + tt[:, None] * B[k])
    plots.append(Plot(title="the worst pair: loss along the segment and the chord", xlabel="t", ylabel="loss",
                      series=[Series(tt, seg, "line", "loss"), Series([0.0, 1.0], [La[k], Lb[k]], "line", "chord")]))
    summary = [("pairs tested", str(o.pairs)), ("pairs above their chord", str(violations)), ("worst gap", fnum(worst)),
               ("smallest Hessian eigenvalue seen", fnum(min_eig)), ("convex (as far as tested)", "yes" if convex else "no")]
    return Result(values, plots, summary)
