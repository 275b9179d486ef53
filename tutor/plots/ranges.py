"""Axis ranges that show the point of a plot.

- The author's ``plot: {ylim: [lo, hi]}`` wins.
- A curve with marked minima and maxima is shown around them: the y-axis runs from just below the
  lowest mark to a few times the marks' spread above the highest, and the tails that climb far
  higher are cut (the double well (1 − w²)² on [−2.5, 2.5] has its hump of height 1 at w = 0; on a
  0–28 axis it is a flat line, on a −0.15–3 axis it is the point of the lesson).
- Otherwise the data decide (the first steps of a descent are its point, however high).
- An x-axis that counts (steps, hidden units: ``Plot.xint``) gets ticks on whole numbers, at a step
  of 1, 2 or 5 times a power of ten (0, 100, …, 500, not 0, 124.2, 248.5).
- A scatter of a few points on whole numbers (critical points: loss against index) gets whole-number
  ticks and room around the points, not one dot in the middle of a −1…1 axis.

Pure Python: the renderer calls these; tests check them without drawing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tutor.plots.spec import Plot

if TYPE_CHECKING:
    from tutor.plots.spec import Values


def _finite(values: Values) -> list[float]:
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f):
            out.append(f)
    return out


def y_window(plot: Plot) -> tuple[float, float, bool] | None:
    """The y-range to draw, and whether data were cut off; None lets the renderer decide."""
    if plot.ylim is not None:
        return float(plot.ylim[0]), float(plot.ylim[1]), True
    if plot.heatmap is not None or plot.ylog:
        return None
    ys = [y for s in plot.series if s.kind == "line" for y in _finite(s.y)]
    if len(ys) < 3:
        return None
    hi = max(ys)
    feature = sorted(_finite([m.y for m in plot.marks if m.role in ("min", "max", "saddle")]))
    if feature and feature[-1] > feature[0]:
        a, b = feature[0], feature[-1]
        span = b - a
        top, bottom = b + 2.0 * span, a - 0.08 * span
        if top < hi - 0.1 * span:
            return bottom, top, True
        return None
    return None  # no marks: the data decide (a descent's first steps are its point; an author may set ylim or log)


def clamp(y: list[float], window: tuple[float, float]) -> list[float]:
    """Values far outside the window brought to its edge band (plotext's drawing cost grows with how
    far a line runs outside its axis: a curve 300 times taller than the window took gigabytes)."""
    lo, hi = window
    pad = hi - lo
    return [min(max(v, lo - pad), hi + pad) for v in y]


def whole_number_axis(xs: Sequence[float]) -> tuple[tuple[float, float], list[float]] | None:
    """For x values that are all whole numbers (and few): a range one beyond each end, a tick on
    every whole number in it."""
    vals = _finite(xs)
    if not vals or any(v != round(v) for v in vals):
        return None
    lo, hi = int(min(vals)) - 1, int(max(vals)) + 1
    if hi - lo > 16:
        return None
    return (float(lo), float(hi)), [float(t) for t in range(lo, hi + 1)]


def whole_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """At most ``most`` whole numbers between ``lo`` and ``hi``, evenly spaced at 1, 2 or 5 times a
    power of ten (its multiples), for an axis that counts."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    first, last = math.ceil(lo), math.floor(hi)
    if last < first:
        return []
    step, k = 1, 0
    while True:
        step = next((m * 10 ** k for m in (1, 2, 5) if (last - first) // (m * 10 ** k) + 1 <= most), 0)
        if step:
            break
        k += 1
    start = -(-first // step) * step  # the first multiple of the step in range
    return [float(t) for t in range(start, last + 1, step)]


def padded(values: Sequence[float]) -> tuple[float, float] | None:
    """A range around a handful of values, with room above and below (one value: ±half of it)."""
    vals = _finite(values)
    if not vals:
        return None
    lo, hi = min(vals), max(vals)
    span = hi - lo
    if span <= 1e-12 * max(1.0, abs(hi)):
        pad = 0.5 * abs(hi) if hi else 0.5
        return lo - pad, hi + pad
    return lo - 0.2 * span, hi + 0.2 * span
