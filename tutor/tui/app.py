"""The Textual app: a catalog of lessons and a lesson screen, keyboard first, fine at 80×24.

Start-up is kept light: the catalog's first frame is drawn from a small cache of lesson titles
(``tutor.core.index``); YAML, pydantic, numpy and plotext are loaded when a lesson needs them,
and the full catalog is re-validated in a background thread after the first frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tutor.charset import ascii_mode
from tutor.core import index as idx
from tutor.core.paths import lesson_dirs
from tutor.core.store import ProgressRow, Store
from tutor.present.text import set_ascii
from tutor.tui import gcpause
from tutor.tui.keyhold import HoldsKeys
from tutor.tui.screens.catalog import CatalogScreen

if TYPE_CHECKING:
    from tutor.core.loader import Catalog


class TutorApp(HoldsKeys, App):
    CSS_PATH = Path(__file__).with_name("tutor.tcss")
    TITLE = "Landscape Tutor"
    SUB_TITLE = "why the loss is not a bowl"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(self, extra: Sequence[str | Path] = (), open_lesson: str | None = None, *, store: Store | None = None,
                 ascii: bool | None = None, cat: Catalog | None = None, events: str | Path | None = None):
        wanted = ascii_mode() if ascii is None else ascii
        self._ascii_output = wanted  # read by get_driver_class, which App.__init__ calls
        super().__init__()
        self.store = store or Store()
        self.dirs = lesson_dirs(extra)
        self.ascii = wanted
        set_ascii(wanted)
        self.set_class(wanted, "-ascii")  # CSS: ascii borders
        self.events_path = events
        self._events: Any = None
        self.first_lesson = open_lesson
        self._catalog = cat
        home = self.store.path.parent
        if cat is not None:
            self.index = idx.from_catalog(cat)
            self._fresh = True
        else:
            cached = idx.cached(self.dirs, home)
            if cached is None:
                self.index, self._catalog = idx.build(self.dirs, home)
                self._fresh = True
            else:
                self.index, self._fresh = cached, False

    def get_default_screen(self) -> Screen:
        # the catalog is the app's base screen: no blank default screen composed underneath it
        return CatalogScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(gcpause.resume)  # paused by run_app or tutor.main for a quicker start
        # messages about the progress file (moved aside, read-only, disk full), now and later
        self.store.warn = self._later_warning
        for message in self.store.warnings:
            self.call_after_refresh(self._store_warning, message)
        if self.first_lesson:
            self.open_lesson(self.first_lesson)
        elif not self._fresh:
            # after the first frames are out: the thread's imports would compete for the GIL
            self.set_timer(0.3, self.revalidate)

    def _later_warning(self, message: str) -> None:
        self.call_later(self._store_warning, message)  # thread-safe: an experiment's event may be written from a worker

    def _store_warning(self, message: str) -> None:
        self.notify(message.removeprefix("tutor: "), title="Progress", severity="warning", timeout=30)

    @work(thread=True, exclusive=True, group="catalog", exit_on_error=False)
    def revalidate(self) -> None:
        """Load and check every file after the first frame; the cache said nothing changed, but
        this also warms up the modules a lesson needs."""
        index, cat = idx.build(self.dirs, self.store.path.parent)
        self.call_from_thread(self._revalidated, index, cat)

    def _revalidated(self, index: idx.Index, cat: Catalog) -> None:
        changed = index != self.index
        self.index, self._catalog, self._fresh = index, cat, True
        if changed and isinstance(self.screen, CatalogScreen):
            self.screen.refresh_list()

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from tutor.core.loader import catalog

            self._catalog = catalog(self.dirs)
        return self._catalog

    def progress(self) -> dict[str, ProgressRow]:
        return self.store.all_progress()

    def open_lesson(self, ident: str) -> None:
        from tutor.core.errors import TutorError
        from tutor.core.session import Session
        from tutor.tui.screens.lesson import LessonScreen

        try:
            lesson = self.catalog.lesson(ident)
        except TutorError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", timeout=10)
            return
        self.push_screen(LessonScreen(Session(lesson, store=self.store, events=self.events)))

    def pop_to_catalog(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        from tutor.tui.screens.help import HelpScreen  # not needed for the first frame

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(ascii=self.ascii))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and how to answer", self.action_help)
        yield SystemCommand("Toggle ASCII plots", "Plain ASCII markers instead of braille", self.toggle_ascii)
        for les in self.index.ordered():
            yield SystemCommand(f"Open lesson: {les.title}", les.summary or les.id, lambda ident=les.id: self.open_lesson(ident))
        session = getattr(screen, "session", None)
        if session is not None:
            yield SystemCommand("New variant", "Draw new numbers for this lesson's parameters", lambda: self.new_variant(screen))
            yield SystemCommand("Restart the lesson", "Forget your answers in this lesson and start again", lambda: self.reset_lesson(screen))

    def get_driver_class(self) -> Any:
        base = super().get_driver_class()
        if not getattr(self, "_ascii_output", False):
            return base
        from tutor.tui.asciidriver import ascii_driver

        return ascii_driver(base)

    @property
    def events(self) -> Any:
        """One event log for every lesson opened in this run: the store, and --events FILE."""
        if self._events is None:
            from tutor.core.events import Events

            self._events = Events(self.store, self.events_path)
        return self._events

    def on_unmount(self) -> None:
        if self._events is not None:
            self._events.close()

    def toggle_ascii(self) -> None:
        self.ascii = not self.ascii
        set_ascii(self.ascii)
        self.set_class(self.ascii, "-ascii")
        for screen in self.screen_stack:
            for view in screen.query("PlotView"):
                view.show(view.spec, ascii=self.ascii)  # type: ignore[attr-defined]
        self.notify("ASCII plots on." if self.ascii else "ASCII plots off.")

    def new_variant(self, screen: Any) -> None:
        session = screen.session
        if not session.source.params:
            self.notify("This lesson has no parameters to vary.")
            return
        session.new_variant()
        screen.show_step()
        self.notify("New numbers: " + screen.words.params(session))

    def reset_lesson(self, screen: Any) -> None:
        screen.action_restart()
        self.notify("Progress reset: the lesson starts again.")


def run_app(extra: Sequence[str | Path] = (), lesson: str | None = None, *, events: str | None = None, ascii: bool | None = None) -> None:
    gcpause.pause()
    try:
        TutorApp(extra, lesson, ascii=True if ascii else None, events=events).run()
    finally:
        gcpause.resume()
