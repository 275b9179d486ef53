"""The learner's answer marked on an experiment's plot, next to the true values: a plot spec the
plot layer draws like any other."""

from __future__ import annotations

import bisect
from typing import Any

from tutor.core.models import Question
from tutor.plots.spec import Mark, Plot

LEGEND = "your answer"


def wants_marks(q: Question) -> bool:
    """A question whose answer is a place on the plot it shows: numeric or points with ``show:``."""
    return bool(q.show) and q.kind in ("numeric", "points")


def answer_plot(q: Question, value: Any, plots: list[Plot]) -> Plot | None:
    """The first plot of the shown experiment with the answer read as ``value`` marked; None when
    the question marks nothing (its kind, no value read, no plot)."""
    if not wants_marks(q) or value is None or not plots:
        return None
    xs = value if isinstance(value, (list, tuple)) else [value]
    return with_learner(plots[0], [float(x) for x in xs])


def with_learner(plot: Plot, xs: list[float]) -> Plot:
    """The plot with a mark at each x the learner gave, at the height of the plotted curve there."""
    if not plot.series:
        return plot.with_marks([Mark(float(x), 0.0, "learner", LEGEND if k == 0 else None) for k, x in enumerate(xs)])
    s = plot.series[0]
    tx = [float(v) for v in s.x]
    ty = [float(v) for v in s.y]
    marks = []
    for k, x in enumerate(xs):
        x = float(x)
        i = bisect.bisect_left(tx, x)
        if i <= 0:
            y = ty[0]
        elif i >= len(tx):
            y = ty[-1]
        else:
            x0, x1, y0, y1 = tx[i - 1], tx[i], ty[i - 1], ty[i]
            y = y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 != x0 else y0
        marks.append(Mark(x, y, "learner", LEGEND if k == 0 else None))
    return plot.with_marks(marks)
