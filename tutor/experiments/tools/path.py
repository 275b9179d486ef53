"""Paths between two trained networks: the straight line, and a trained curve."""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.tools import EndOptions, PathOptions
from tutor.experiments.nets import train as T
from tutor.experiments.problems.base import Problem
from tutor.experiments.problems.deep import net_of
from tutor.experiments.registry import tool
from tutor.experiments.tools.base import Result, fnum
from tutor.experiments.tools.trained import check_work, trained
from tutor.plots.spec import Plot, Series


def _end(problem: Problem, end, what: str) -> np.ndarray:
    if isinstance(end, EndOptions):
        return trained(problem, end.train, f"path: {what}")
    return problem.check(np.asarray(end, dtype=float), what)


@tool(PathOptions)
def path(problem: Problem, o: PathOptions) -> Result:
    """The loss along the straight line between two networks a and b, and along the quadratic
    Bézier curve (1−t)²a + 2t(1−t)m + t²b whose bend m is trained to make the loss low all along
    (Garipov et al. 2018; Draxler et al. 2018 found such paths with a string method). The straight
    line crosses a barrier; the curve, a valley the line cannot see."""
    net = net_of(problem)
    check_work(net, o.bend_steps * o.samples, "path")
    a = _end(problem, o.a, "a")
    b = _end(problem, o.b, "b")
    if o.align:
        if net.layers < 2:
            raise ExperimentError("path: align needs a hidden layer")
        b = T.align(net, a, b)
    t = np.linspace(0.0, 1.0, o.points)
    line = net.loss((1 - t)[:, None] * a + t[:, None] * b)
    m = T.fit_bend(net, a, b, steps=o.bend_steps, lr=o.bend_lr, samples=o.samples, seed=o.seed) if o.bend_steps else 0.5 * (a + b)
    curve = net.loss(T.bezier(a, m, b, t))
    values: dict[str, Any] = {
        "t": t,
        "line_loss": line,
        "curve_loss": curve,
        "line_barrier": T.barrier(line),
        "curve_barrier": T.barrier(curve),
        "loss_a": float(line[0]),
        "loss_b": float(line[-1]),
        "distance": float(np.linalg.norm(a - b)),
    }
    plot = Plot(title="loss between two networks", xlabel="t", ylabel="loss",
                series=[Series(t, line, "line", "straight line"), Series(t, curve, "line", "trained Bézier curve")])
    summary = [("loss at the ends", f"{fnum(line[0])}, {fnum(line[-1])}"), ("barrier on the straight line", fnum(values["line_barrier"])),
               ("barrier on the curve", fnum(values["curve_barrier"])), ("distance |a − b|", fnum(values["distance"]))]
    if o.align:
        summary.append(("aligned", "b's hidden units reordered to match a's first"))
    return Result(values, [plot], summary)
