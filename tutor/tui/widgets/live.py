"""An experiment step played live: descent over a slice of the landscape, and its loss curve.

The stepper (``result.live``, a ``tutor.experiments.live.Live``) holds the state and computes the
frames; this panel only forwards keys to it, plays it on a timer a chunk of steps per tick (each
tick is a few milliseconds of numpy, so keys are answered in between), and draws its frames."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Static

from tutor.present import commands as C
from tutor.present import live as words
from tutor.tui.render import keys, md
from tutor.tui.widgets.experiment import ExperimentPanel

TICK = 0.1  # seconds between frames while playing


def _b(name: str, action: str) -> Binding:
    return Binding(C.find(C.LIVE, name).binding, action, C.find(C.LIVE, name).label, show=False)


class LivePanel(ExperimentPanel):
    """Caption, the landscape with the path, the loss curve, the numbers, and the keys."""

    can_focus = True
    BINDINGS = [_b("play", "play"), _b("one", "one"), _b("reset", "reset"), _b("larger", "lr(1)"), _b("smaller", "lr(-1)")]
    DEFAULT_CSS = """
    LivePanel { height: auto; }
    LivePanel .live-plots { height: 13; }
    LivePanel .live-plots PlotView { height: 13; width: 1fr; }
    LivePanel #live-status { height: auto; }
    LivePanel .live-keys { height: 1; color: $text-muted; }
    """

    live: Any = None
    timer: Timer | None = None

    def compose(self) -> ComposeResult:
        from tutor.tui.widgets.plotview import PlotView

        if self.exp.caption:
            yield Static(md(self.exp.caption), classes="caption")
        with Horizontal(classes="live-plots"):
            yield PlotView(ascii=self.ascii, id="plot")
            yield PlotView(ascii=self.ascii, id="curve")
        yield Static("", id="summary", classes="summary")
        yield Static(keys(words.key_pairs(ascii=self.ascii)), classes="live-keys")
        if self.exp.text:
            yield Static(md(self.exp.text), classes="notice")

    def show_result(self, result: Any) -> None:
        if getattr(result, "live", None) is None:
            super().show_result(result)
            return
        self.live = result.live
        self.live.reset()
        self.draw()

    def draw(self) -> None:
        if self.live is None:
            return
        fr = self.live.frame()
        try:
            self.query_one("#plot").show(fr.landscape)  # type: ignore[attr-defined]
            self.query_one("#curve").show(fr.curve)  # type: ignore[attr-defined]
            self.query_one("#summary", Static).update(words.status(fr.rows, fr.state))
        except NoMatches:  # not composed yet: on_mount draws
            return

    def on_mount(self) -> None:
        self.timer = self.set_interval(TICK, self.tick, pause=True)
        self.call_after_refresh(self.draw)

    def on_unmount(self) -> None:
        if self.timer is not None:
            self.timer.stop()

    def tick(self) -> None:
        if self.live is None:
            return
        if self.live.tick():
            self.draw()
        if not self.live.playing and self.timer is not None:
            self.timer.pause()

    def action_play(self) -> None:
        if self.live is None:
            return
        self.live.toggle()
        if self.live.playing and self.timer is not None:
            self.timer.resume()
        self.draw()

    def action_one(self) -> None:
        if self.live is None:
            return
        self.live.one()
        self.draw()

    def action_reset(self) -> None:
        if self.live is not None:
            self.live.reset()
            self.draw()

    def action_lr(self, direction: int) -> None:
        if self.live is not None:
            self.live.change_lr(direction)
            self.draw()
