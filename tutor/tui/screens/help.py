"""The two modal screens: help (the keys, from the presenter's command table) and why a lesson
failed to load."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Sections = list[tuple[str, list[tuple[str, str]]]]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    def __init__(self, sections: Sections | None = None, *, ascii: bool = False):
        super().__init__()
        self.sections = sections
        self.ascii = ascii

    def compose(self) -> ComposeResult:
        from rich.console import Group
        from rich.table import Table

        from tutor.present.help import ANSWERS_NOTE, app_sections  # not on the start-up path

        if self.sections is None:
            self.sections = app_sections(ascii=self.ascii)
        parts: list[Text | Table] = []
        for title, rows in self.sections:
            parts.append(Text(title, style="bold"))
            table = Table.grid(padding=(0, 2))  # a long line wraps under its own column
            table.add_column(min_width=10, no_wrap=True)
            table.add_column()
            for key, what in rows:
                table.add_row(f"  {key}", what)
            parts += [table, Text("")]
        parts.append(Text(ANSWERS_NOTE, style="dim"))
        with VerticalScroll(id="help-box"):
            yield Static(Group(*parts))


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,enter", "dismiss", "Close")]

    def __init__(self, path: str, problems: list[str]):
        super().__init__()
        self.path = path
        self.problems = problems

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            where = Path(self.path)
            yield Static(Text.assemble((f"{where.name} does not load", "bold"), f"\n{where.parent}\n\n", "\n".join(self.problems),
                                       ("\n\nFix the file and start the tutor again; `tutor check` lists the same problems.", "dim")))
