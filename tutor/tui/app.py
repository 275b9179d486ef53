"""The Textual app: a catalog of lessons and a lesson screen, keyboard first, fine at 80×24."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tutor.core.loader import Catalog, Loaded, catalog, lesson_dirs
from tutor.core.session import Session
from tutor.core.store import ProgressRow, Store
from tutor.plots.render import unicode_ok
from tutor.tui.screens import CatalogScreen, HelpScreen, LessonScreen


class TutorApp(App):
    CSS_PATH = "tutor.tcss"
    TITLE = "Landscape Tutor"
    SUB_TITLE = "why the loss is not a bowl"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(self, extra: Sequence[str | Path] = (), open_lesson: str | None = None, *, store: Store | None = None,
                 ascii: bool | None = None, cat: Catalog | None = None):
        super().__init__()
        self.catalog = cat or catalog(lesson_dirs(extra))
        self.store = store or Store()
        self.ascii = (not unicode_ok()) if ascii is None else ascii
        self.first_lesson = open_lesson
        self._progress: dict[str, ProgressRow] | None = None

    def on_mount(self) -> None:
        self.push_screen(CatalogScreen())
        if self.first_lesson:
            self.open_lesson(self.first_lesson)

    def progress(self) -> dict[str, ProgressRow]:
        return self.store.all_progress()

    def ordered_lessons(self) -> list[Loaded]:
        return sorted(self.catalog.lessons.values(), key=lambda f: (f.lesson.level, _order(f), f.lesson.id))  # type: ignore[union-attr]

    def open_lesson(self, ident: str) -> None:
        from tutor.core.errors import TutorError

        try:
            lesson = self.catalog.lesson(ident)
        except TutorError as exc:
            self.notify(str(exc), title="Cannot open", severity="error")
            return
        session = Session(lesson, store=self.store)
        self.push_screen(LessonScreen(session))

    def pop_to_catalog(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and how to answer", self.action_help)
        yield SystemCommand("Toggle ASCII plots", "Plain ASCII markers instead of braille", self.toggle_ascii)
        for f in self.ordered_lessons():
            les = f.lesson
            assert les is not None
            yield SystemCommand(f"Open lesson: {les.title}", les.summary or les.id, lambda ident=les.id: self.open_lesson(ident))
        if isinstance(screen, LessonScreen):
            yield SystemCommand("New variant", "Draw new numbers for this lesson's parameters", lambda: self.new_variant(screen))
            yield SystemCommand("Reset progress", "Forget your answers in this lesson and start again", lambda: self.reset_lesson(screen))

    def toggle_ascii(self) -> None:
        self.ascii = not self.ascii
        from tutor.tui.plotview import PlotView

        for screen in self.screen_stack:
            for view in screen.query(PlotView):
                view.show(view.spec, ascii=self.ascii)
        self.notify("ASCII plots on." if self.ascii else "ASCII plots off.")

    def new_variant(self, screen: LessonScreen) -> None:
        if not screen.session.source.params:
            self.notify("This lesson has no parameters to vary.")
            return
        screen.session.new_variant()
        screen.show_step()
        from tutor.core.params import fmt

        self.notify("New numbers: " + ", ".join(f"{k} = {fmt(v)}" for k, v in screen.session.params.items()))

    def reset_lesson(self, screen: LessonScreen) -> None:
        ident = screen.session.lesson_id
        self.store.reset(ident)
        self.pop_to_catalog()
        self.open_lesson(ident)
        self.notify("Progress reset: the lesson starts again.")


def _order(f: Loaded) -> str:
    return f.path.name


def run_app(extra: Sequence[str | Path] = (), lesson: str | None = None) -> None:
    TutorApp(extra, lesson).run()
