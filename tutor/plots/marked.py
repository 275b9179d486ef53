"""Marking a learner's answer on an experiment's plot, next to the true values."""

from __future__ import annotations

import bisect

from tutor.plots.spec import Mark, Plot


def with_learner(plot: Plot, xs: list[float]) -> Plot:
    """The plot with a mark at each x the learner gave, at the height of the plotted curve there."""
    if not plot.series:
        return plot.with_marks([Mark(float(x), 0.0, "learner", "you") for x in xs])
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
        marks.append(Mark(x, y, "learner", "your answer" if k == 0 else None))
    return plot.with_marks(marks)
