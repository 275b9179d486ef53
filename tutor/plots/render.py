"""Plot specs drawn with plotext: as text for plain mode and ``tutor experiment run``, and into
textual-plotext's widget in the app. One ``draw`` serves both."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from tutor.charset import to_ascii
from tutor.plots.ranges import clamp, padded, whole_number_axis, whole_ticks, y_window
from tutor.plots.spec import Plot
from tutor.plots.term import unicode_ok

if TYPE_CHECKING:
    from tutor.plots.spec import Values

MARKERS = {
    "unicode": {"line": "braille", "scatter": "•", "min": "●", "max": "▲", "saddle": "✚", "learner": "◆", "point": "•", "start": "○", "end": "■"},
    "ascii": {"line": "*", "scatter": "o", "min": "o", "max": "^", "saddle": "+", "learner": "@", "point": "*", "start": "s", "end": "e"},
}
SHADES = {"unicode": " ·:-=+*#%@", "ascii": " .:-=+*#%@"}
# colours are given explicitly, so a plot looks the same whatever was drawn before it
SERIES_COLORS = ["cyan", "orange", "green", "magenta", "blue", "red"]
MARK_COLORS = {"min": "green", "max": "red", "saddle": "orange", "learner": "magenta", "point": "cyan", "start": "blue", "end": "blue"}
LINE_ASCII = "*.+ox"  # one per series, so several lines stay apart without colour
LINE_UNICODE = "•×+∘"


def _list(xs: Any) -> list[float]:
    return [float(v) for v in (xs.tolist() if hasattr(xs, "tolist") else xs)]


def downsample(x: Values, y: Values, buckets: int) -> tuple[list[float], list[float]]:
    """At most ~2·buckets points, keeping each bucket's lowest and highest value so that peaks and
    minima survive (plotext's build time grows with the number of points)."""
    x, y = _list(x), _list(y)
    n = len(x)
    if n <= 2 * buckets or buckets < 2:
        return x, y
    ox: list[float] = []
    oy: list[float] = []
    for b in range(buckets):
        lo, hi = b * n // buckets, (b + 1) * n // buckets
        seg = range(lo, hi)
        finite = [i for i in seg if math.isfinite(y[i])]
        if not finite:
            continue
        i_min = min(finite, key=lambda i: y[i])
        i_max = max(finite, key=lambda i: y[i])
        for i in sorted({i_min, i_max}):
            ox.append(x[i])
            oy.append(y[i])
    return ox, oy


def _finite(x: list[float], y: list[float]) -> tuple[list[float], list[float]]:
    keep = [i for i in range(len(x)) if math.isfinite(x[i]) and math.isfinite(y[i])]
    return [x[i] for i in keep], [y[i] for i in keep]


def draw(plt: Any, plot: Plot, *, width: int, height: int, ascii: bool = False) -> None:
    """Draw ``plot`` with a plotext-like object ``plt`` (the module, or a widget's ``plt``)."""
    style = "ascii" if ascii else "unicode"
    marks = MARKERS[style]
    text = to_ascii if ascii else str
    plt.clear_data()
    window = y_window(plot)
    ylabel = plot.ylabel
    if window is not None and plot.ylim is None:
        ylabel = f"{plot.ylabel} (axis cut at {window[1]:.3g})" if plot.ylabel else f"axis cut at {window[1]:.3g}"
    key = key_line(plot, ascii)
    title = plot.title + key if len(plot.title + key) <= width - 8 else plot.title  # the key only where it fits
    if title:
        plt.title(text(title))
    plt.xlabel(text(plot.xlabel))
    plt.ylabel(text(ylabel))
    cols = max(10, width - 12)
    if plot.heatmap is not None:
        _heatmap(plt, plot, cols, max(5, height - 6), style)
    shown_x: list[float] = []
    points_x: set[float] = set()  # every x drawn, for an axis that counts only a handful of them
    for k, s in enumerate(plot.series):
        x, y = downsample(s.x, s.y, cols)
        x, y = _finite(x, y)
        if not x:
            continue
        shown_x += (min(x), max(x))
        if len(points_x) <= 8:
            points_x.update(x)
        if window is not None:
            y = clamp(y, (window[0], window[1]))
        if plot.ylog:
            keep = [i for i, b in enumerate(y) if b > 0]
            x, y = [x[i] for i in keep], [y[i] for i in keep]
            if not x:
                continue
        if s.kind == "bar":
            plt.bar(x, y, marker="#" if ascii else "sd", width=0.8, color=SERIES_COLORS[k % len(SERIES_COLORS)])
            plt.xticks(*_ticks(min(x), max(x)))
        elif s.kind == "scatter":
            plt.scatter(x, y, label=text(s.label) if s.label and len(plot.series) > 1 else None,
                        marker=marks.get(s.marker or "scatter", marks["scatter"]), color=SERIES_COLORS[k % len(SERIES_COLORS)])
            if plot.heatmap is None:  # a path over a landscape is not a handful of critical points
                _few_points(plt, x, y)
        else:
            # the first line in fine braille; the others in distinct characters, so that lines can be
            # told apart (and matched to the legend) without colour
            marker = LINE_ASCII[k % len(LINE_ASCII)] if ascii else (marks["line"] if k == 0 else LINE_UNICODE[(k - 1) % len(LINE_UNICODE)])
            plt.plot(x, y, label=text(s.label) if s.label and len(plot.series) > 1 else None, marker=marker,
                     color=SERIES_COLORS[k % len(SERIES_COLORS)])
    for m in plot.marks:
        if math.isfinite(m.x) and math.isfinite(m.y):
            plt.scatter([m.x], [m.y], marker=marks.get(m.role, marks["point"]), color=MARK_COLORS.get(m.role, "cyan"))
    if window is not None:
        plt.ylim(window[0], window[1])
    if plot.xint and shown_x:  # plotext would put ticks at fractions of a step (0, 124.2, 248.5, ...)
        lo, hi = min(shown_x), max(shown_x)
        label = len(f"{max(abs(lo), abs(hi)):.0f}") + 1  # a sign, digits, and room between labels
        most = max(2, min(6, cols // (label + 4)))
        few = sorted(points_x)
        if len(few) <= most and all(float(v).is_integer() for v in few) and _apart(few, cols // (label + 1)):
            ticks = [float(v) for v in few]  # census widths 1, 2, 3, 4, 8: a tick on each, not 2 4 6 8
        else:
            ticks = whole_ticks(lo, hi, most=most)
        if ticks:
            plt.xticks(ticks, [f"{t:.0f}" for t in ticks])
    for v in plot.vlines:
        plt.vline(v)
    for h in plot.hlines:
        plt.hline(h)
    if plot.ylog:
        plt.yscale("log")


def _apart(ticks: list[float], slots: int) -> bool:
    """Whether labels at these values have room: no two closer than 1/slots of the axis."""
    span = ticks[-1] - ticks[0] if len(ticks) > 1 else 0.0
    return span > 0 and min(b - a for a, b in zip(ticks, ticks[1:], strict=False)) * slots >= span


ROLE_NAMES = {"min": "minimum", "max": "maximum", "saddle": "saddle", "learner": "your answer", "start": "start", "end": "end"}


def key_line(plot: Plot, ascii: bool) -> str:
    """What each marker means, after the title (a legend inside the plot would sit on the curve)."""
    marks = MARKERS["ascii" if ascii else "unicode"]
    roles = [r for r in ROLE_NAMES if any(m.role == r for m in plot.marks)]
    if not roles:
        return ""
    return "   " + "  ".join(f"{marks[r]} {ROLE_NAMES[r]}" for r in roles)


def _few_points(plt: Any, x: list[float], y: list[float]) -> None:
    """A handful of points (critical points by index): whole-number ticks, room around them, and
    each point's value written beside it."""
    if len(x) > 12:
        return
    axis = whole_number_axis(x)
    if axis is not None:
        (lo, hi), ticks = axis
        plt.xlim(lo, hi)
        plt.xticks(ticks, [f"{t:g}" for t in ticks])
    window = padded(y)
    if window is not None:
        plt.ylim(*window)
    if len(set(zip(x, y))) <= 6:
        step = 0.04 * ((axis[0][1] - axis[0][0]) if axis else (max(x) - min(x) or 1.0))
        for a, b in set(zip(x, y)):
            plt.text(f"loss {b:.3g}", a + step, b, alignment="left")


def _heatmap(plt: Any, plot: Plot, cols: int, rows: int, style: str) -> None:
    """Shade cells by loss with characters (low loss light, high dark): readable without colour.

    The grid is resampled (nearest value) to twice the character cells in each direction, so
    every cell gets a mark and none is left blank by rounding.
    """
    Z = plot.heatmap
    Z = Z.tolist() if hasattr(Z, "tolist") else Z
    xs = _list(plot.xs if plot.xs is not None else [])
    ys = _list(plot.ys if plot.ys is not None else [])
    nr, nc = len(Z), len(Z[0]) if Z else 0
    if not nr or not nc:
        return
    vals = sorted(v for row in Z for v in row if math.isfinite(v))
    if not vals:
        return
    shades = SHADES[style]
    bands = len(shades) - 1
    cuts = [vals[min(len(vals) - 1, int(len(vals) * q / bands))] for q in range(1, bands)]
    by_band: dict[int, tuple[list[float], list[float]]] = {}
    out_c, out_r = 2 * cols, 2 * rows
    for i in range(out_r):
        r = round(i * (nr - 1) / max(1, out_r - 1))
        y = ys[0] + (ys[-1] - ys[0]) * i / max(1, out_r - 1)
        for j in range(out_c):
            c = round(j * (nc - 1) / max(1, out_c - 1))
            v = Z[r][c]
            if not math.isfinite(v):
                continue
            band = sum(v > cut for cut in cuts) + 1
            bx, by = by_band.setdefault(band, ([], []))
            bx.append(xs[0] + (xs[-1] - xs[0]) * j / max(1, out_c - 1))
            by.append(y)
    for band, (bx, by) in sorted(by_band.items()):
        if shades[band] != " ":
            plt.scatter(bx, by, marker=shades[band], color="gray" if band < bands // 2 else "white")


def _ticks(lo: float, hi: float, n: int = 5) -> tuple[list[float], list[str]]:
    if hi <= lo:
        return [lo], [f"{lo:.3g}"]
    pos = [lo + (hi - lo) * k / (n - 1) for k in range(n)]
    for digits in range(3, 9):  # as few digits as keep the labels apart (0.3342 0.3345, not 0.334 0.334)
        labels = [f"{p:.{digits}g}" for p in pos]
        if len(set(labels)) == n:
            break
    return pos, labels


def to_text(plot: Plot, width: int = 78, height: int = 20, *, ascii: bool | None = None, color: bool = False) -> str:
    """The plot as text, for a terminal or a pipe."""
    import plotext as plt

    if ascii is None:
        ascii = not unicode_ok()
    plt.clear_figure()
    plt.plotsize(width, height)
    if not color:
        plt.theme("clear")
    draw(plt, plot, width=width, height=height, ascii=ascii)
    text = plt.build()
    if not color:
        text = plt.uncolorize(text)
    plt.clear_figure()
    return "\n".join(line.rstrip() for line in text.splitlines())
