"""An experiment step played live: descent over a slice of the landscape, and its loss curve.

The stepper (``result.live``, a ``tutor.experiments.live.Live``) holds the state and computes the
frames; this panel only forwards keys to it, plays it on a timer a chunk of steps per tick (each
tick is a few milliseconds of numpy, so keys are answered in between), and draws its frames."""

from __future__ import annotations

import threading
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from tutor.plots.spec import Plot
from tutor.present import commands as C
from tutor.present import live as words
from tutor.tui.render import keys, md
from tutor.tui.threads import thread_work
from tutor.tui.widgets.experiment import ExperimentPanel

TICK = 0.15  # seconds between frames while playing
_PLOTEXT = threading.Lock()  # plotext's module-level figure: one drawing at a time
_PLOTEXT_JOB = threading.Lock()  # the newest frame waiting to be drawn


class FrameView(Static):
    """A plot drawn as text elsewhere (off the event loop); ``show(None)`` says it is running."""

    class Resized(Message):
        """The plot has a (new) size: draw the frame again at it."""

    def show(self, plot: Plot | None) -> None:
        if plot is None:
            self.update(Text("running…", style="dim"))

    def on_resize(self) -> None:
        self.post_message(self.Resized())


def _b(name: str, action: str) -> Binding:
    return Binding(C.find(C.LIVE, name).binding, action, C.find(C.LIVE, name).label, show=False)


class LivePanel(ExperimentPanel):
    """Caption, the landscape with the path, the loss curve, the numbers, and the keys."""

    can_focus = True
    BINDINGS = [_b("play", "play"), _b("one", "one"), _b("reset", "reset"), _b("larger", "lr(1)"), _b("smaller", "lr(-1)")]
    DEFAULT_CSS = """
    LivePanel { height: auto; }
    LivePanel .live-plots { height: 13; }
    LivePanel .live-plots FrameView { height: 13; width: 1fr; }
    LivePanel #summary { height: 3; }
    LivePanel .live-keys { height: 1; color: $text-muted; }
    """

    live: Any = None
    timer: Timer | None = None

    def compose(self) -> ComposeResult:
        if self.exp.caption:
            yield Static(md(self.exp.caption), classes="caption")
        with Horizontal(classes="live-plots"):
            yield FrameView("", id="plot")
            yield FrameView("", id="curve")
        yield Static("", id="summary", classes="summary")
        yield Static(keys(words.key_pairs(ascii=self.ascii)), classes="live-keys")
        yield from self.compose_controls()
        if self.exp.text:
            yield Static(md(self.exp.text), classes="notice")

    def show_result(self, result: Any) -> None:
        if getattr(result, "live", None) is None:
            super().show_result(result)
            return
        self.live = result.live
        self.live.reset()
        self.draw()

    def draw(self, plots: bool = True) -> None:
        """The stepper's frame; ``plots=False`` when only its numbers or state changed (a key that
        changes the step size or pauses is answered without drawing the plots again)."""
        if self.live is None:
            return
        fr = self.live.frame()
        try:
            if plots:
                a, b = self.query_one("#plot", FrameView), self.query_one("#curve", FrameView)
                self.draw_plots(fr.landscape, (a.size.width, a.size.height), fr.curve, (b.size.width, b.size.height))
            self.query_one("#summary", Static).update(words.status(fr.rows, fr.state))
        except NoMatches:  # not composed yet: on_mount draws
            return

    _job: tuple[Plot, tuple[int, int], Plot, tuple[int, int]] | None = None
    _drawing = False

    def draw_plots(self, landscape: Plot, size_a: tuple[int, int], curve: Plot, size_b: tuple[int, int]) -> None:
        """Plotext builds the text of both plots in a thread (tens of ms on a busy machine), so the
        keys are answered while a frame is drawn. One thread at a time draws the newest frame asked
        for; frames asked for meanwhile are skipped."""
        with _PLOTEXT_JOB:
            self._job = (landscape, size_a, curve, size_b)
            if self._drawing:
                return
            self._drawing = True
        self._plot_worker()

    @thread_work(group="live-frame")
    def _plot_worker(self) -> None:
        from tutor.plots.render import to_text

        while True:
            with _PLOTEXT_JOB:
                job, self._job = self._job, None
                if job is None:
                    self._drawing = False
                    return
            landscape, size_a, curve, size_b = job
            texts = []
            with _PLOTEXT:
                for plot, (w, h) in ((landscape, size_a), (curve, size_b)):
                    texts.append(to_text(plot, w, h, ascii=self.ascii) if w >= 24 and h >= 6
                                 else "(the window is too small for the plot)")
            try:
                self.app.call_from_thread(self._show_plots, *texts)
            except Exception:  # the app is closing
                with _PLOTEXT_JOB:
                    self._drawing = False
                return

    def _show_plots(self, landscape: str, curve: str) -> None:
        try:
            self.query_one("#plot", FrameView).update(Text(landscape))
            self.query_one("#curve", FrameView).update(Text(curve))
        except NoMatches:
            pass

    def on_frame_view_resized(self, event: FrameView.Resized) -> None:
        event.stop()
        self.draw()

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
        was_done = self.live.done
        self.live.toggle()
        if self.live.playing and self.timer is not None:
            self.timer.resume()
        self.draw(plots=was_done)  # a finished run starts again from the start

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
            self.draw(plots=False)
