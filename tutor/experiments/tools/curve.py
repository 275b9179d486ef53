"""The loss along a line."""

from __future__ import annotations

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.tools import CurveOptions
from tutor.experiments.problems.base import Problem
from tutor.experiments.registry import tool
from tutor.experiments.tools.base import Result, _refine_1d, _theta, _unique, fnum
from tutor.plots.spec import Mark, Plot, Series


@tool(CurveOptions)
def curve(problem: Problem, o: CurveOptions) -> Result:
    """The loss along one line in weight space: one coordinate, or the segment between two points."""
    if o.between is not None:
        a = problem.check(np.asarray(o.between[0]), "between[0]")
        b = problem.check(np.asarray(o.between[1]), "between[1]")
        t0 = 0.0 if o.from_ is None else o.from_
        t1 = 1.0 if o.to is None else o.to
        base, direction = a, b - a
        xlabel = "t  (θ = (1−t)·θa + t·θb)"
    else:
        if o.axis >= problem.dim:
            raise ExperimentError(f"axis {o.axis} does not exist: the problem has parameters 0 to {problem.dim - 1} ({', '.join(problem.labels)})")
        base = _theta(problem, o.at, "at").copy()
        direction = np.zeros(problem.dim)
        direction[o.axis] = 1.0
        base[o.axis] = 0.0
        t0 = -2.0 if o.from_ is None else o.from_
        t1 = 2.0 if o.to is None else o.to
        xlabel = problem.labels[o.axis]
    if not t0 < t1:
        raise ExperimentError(f"from ({t0}) must be less than to ({t1})")
    t = np.linspace(t0, t1, o.points)
    with np.errstate(all="ignore"):
        L = problem.loss(base + t[:, None] * direction)

    def f(s: float) -> float:
        return float(problem.loss(base + s * direction))

    def df(s: float) -> float:
        return float(problem.grad(base + s * direction) @ direction)

    minima, maxima = [], []
    for k in range(1, len(t) - 1):
        if L[k] < L[k - 1] and L[k] <= L[k + 1]:
            minima.append(_refine_1d(f, df, t[k - 1], t[k + 1], t[k]))
        elif L[k] > L[k - 1] and L[k] >= L[k + 1]:
            maxima.append(_refine_1d(f, df, t[k - 1], t[k + 1], t[k]))
    # a critical point exactly on an end of the range (w = ±2 for target 4 on [−2, 2]) counts too
    scale = float(np.nanmax(np.abs(L))) if np.isfinite(L).any() else 1.0
    for k, nb in ((0, 1), (len(t) - 1, len(t) - 2)):
        if abs(df(t[k])) <= 1e-12 * (1.0 + scale):
            (minima if L[k] <= L[nb] else maxima).append(float(t[k]))
    minima, maxima = _unique(minima), _unique(maxima)

    def d2f(s_: float) -> float:
        return float(problem.curvature((base + s_ * direction)[None], direction)[0])

    # inflection points: where the curvature changes sign, refined by Brent's method on L''
    curv = problem.curvature(base + t[:, None] * direction, direction)
    inflections = []
    for k in range(len(t) - 1):
        if np.isfinite(curv[k]) and np.isfinite(curv[k + 1]) and curv[k] * curv[k + 1] < 0:
            inflections.append(_refine_1d(f, d2f, t[k], t[k + 1], t[k]))
    inflections = _unique(inflections)
    finite = L[np.isfinite(L)]
    h = t[1] - t[0]
    second = (L[2:] - 2 * L[1:-1] + L[:-2]) / h**2
    scale = float(np.max(np.abs(second), initial=0.0))
    convex = bool(np.all(second >= -1e-7 * scale - 1e-9))
    min_loss = min([float(finite.min())] + [f(m) for m in minima]) if finite.size else float("nan")
    max_loss = float(finite.max()) if finite.size else float("nan")
    values = {
        "t": t,
        "loss": L,
        "minima": minima,
        "maxima": maxima,
        "min_loss": min_loss,
        "max_loss": max_loss,
        "convex": convex,
        "minima_loss": [f(m) for m in minima],
        "maxima_loss": [f(m) for m in maxima],
        "inflections": inflections,
        "curvature": curv,
    }
    plot = Plot(
        title="loss along a line",
        xlabel=xlabel,
        ylabel="loss",
        series=[Series(t, L, "line", "loss")],
        marks=[Mark(m, f(m), "min", f"min {fnum(m)}") for m in minima] + [Mark(m, f(m), "max", f"max {fnum(m)}") for m in maxima],
    )
    summary = [
        ("minima", ", ".join(fnum(m) for m in minima) or "none inside the range"),
        ("maxima", ", ".join(fnum(m) for m in maxima) or "none inside the range"),
        ("lowest loss", fnum(min_loss)),
        ("convex on this range", "yes" if convex else "no"),
    ]
    if inflections:
        summary.append(("curvature changes sign at", ", ".join(fnum(m) for m in inflections)))
    return Result(values, [plot], summary)
