"""A plot spec drawn in textual-plotext's widget, redrawn at whatever size the widget has."""

from __future__ import annotations

from rich.text import Text
from textual_plotext import PlotextPlot

from tutor.plots.render import draw
from tutor.plots.spec import Plot


class PlotView(PlotextPlot):
    DEFAULT_CSS = """
    PlotView { height: 14; width: 1fr; }
    """

    def __init__(self, plot: Plot | None = None, *, ascii: bool = False, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.spec = plot
        self.ascii = ascii

    def on_mount(self) -> None:
        super().on_mount()
        if self.app.no_color:
            self.theme = "clear"

    def show(self, plot: Plot | None, *, ascii: bool | None = None) -> None:
        self.spec = plot
        if ascii is not None:
            self.ascii = ascii
        self.refresh()

    def render(self):  # a plot, or a line of text instead
        width, height = self.size.width, self.size.height
        if self.spec is None:
            return Text("running…", style="dim")
        if width < 24 or height < 6:
            return Text("(the window is too small for the plot)", style="dim")
        try:
            draw(self.plt, self.spec, width=width, height=height, ascii=self.ascii)
            return super().render()
        except Exception as exc:  # plotext can fail on odd sizes or data; the app must not
            return Text(f"(the plot could not be drawn: {exc})", style="dim")
