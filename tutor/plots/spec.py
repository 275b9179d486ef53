"""What to draw, independent of how: tools return these, plotext renders them.

Pure Python (no numpy, no plotext) so the core and the experiments can build plots without
loading a renderer. Sequences may be numpy arrays; the renderer converts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    import numpy.typing as npt

    # what a tool hands over: a list or a numpy array (the renderer converts either)
    Values: TypeAlias = Sequence[float] | npt.NDArray[Any]


@dataclass
class Series:
    x: Values
    y: Values
    kind: Literal["line", "scatter", "bar"] = "line"
    label: str | None = None
    marker: str | None = None  # a role: "min", "max", "saddle", "learner", "point"; see render.MARKERS


@dataclass
class Mark:
    """A labelled point, such as "the learner said here" or "a minimum"."""

    x: float
    y: float
    role: Literal["min", "max", "saddle", "learner", "point", "start", "end"] = "point"
    label: str | None = None


@dataclass
class Plot:
    title: str = ""
    xlabel: str = ""
    ylabel: str = ""
    series: list[Series] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    heatmap: Any = None  # a 2-D array of values over (xs, ys): drawn as shaded cells
    xs: Values | None = None
    ys: Values | None = None
    ylog: bool = False
    vlines: list[float] = field(default_factory=list)
    hlines: list[float] = field(default_factory=list)
    ylim: tuple[float, float] | None = None  # the lesson author's choice; otherwise tutor.plots.ranges decides
    xint: bool = False  # x counts something (steps, hidden units): ticks on whole numbers only

    def with_marks(self, marks: list[Mark]) -> Plot:
        return replace(self, series=list(self.series), marks=list(self.marks) + marks, vlines=list(self.vlines), hlines=list(self.hlines))

    def viewed(self, ylim: tuple[float, float] | None = None, log: bool | None = None) -> Plot:
        """The plot with a lesson's ``plot:`` settings (``ylim``, ``log``) applied."""
        return replace(self, ylim=tuple(ylim) if ylim is not None else self.ylim, ylog=self.ylog if log is None else log)  # type: ignore[arg-type]
