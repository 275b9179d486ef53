"""The catalog: lessons by level with progress, the next one suggested, a filter.

On the start-up path: imports no numpy, plotext, YAML or pydantic.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tutor.core.index import LessonInfo
from tutor.present.progress import bar
from tutor.tui.host import Host

LEVELS = {1: "Level 1 · intro", 2: "Level 2 · core", 3: "Level 3 · advanced", 4: "Level 4 · research"}

KEYS = Text.assemble(("Enter", "bold"), " open  ", ("n", "bold"), " next lesson  ", ("/", "bold"), " filter  ",
                     ("?", "bold"), " help  ", ("Ctrl+P", "bold"), " commands  ", ("q", "bold"), " quit")


class CatalogScreen(Screen):
    """Lessons grouped by level, with progress; the next one suggested; / filters."""

    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("n", "open_next", "Next lesson"),
        Binding("e", "why", "Why broken", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    @property
    def host(self) -> Host:
        return cast(Host, self.app)

    def compose(self) -> ComposeResult:
        # a plain title line and key line rather than Header and Footer: the catalog is the first
        # frame a learner waits for, and these draw in a fraction of the time
        yield Static(Text.assemble(("Landscape Tutor", "bold"), "  why the loss of a network is not a bowl"), id="title")
        yield Static("", id="next")
        yield OptionList(id="lessons")  # the filter box is mounted when first asked for (/)
        yield Static("", id="about")
        yield Static(KEYS, id="keys")

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one(OptionList).focus()

    # The list is built once for the first frame; again only when something it shows may have
    # changed: progress (back from a lesson), the width (titles are cut to fit), the filter.
    _stale = False
    _width = -1

    def on_screen_suspend(self) -> None:
        self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh_list(self._query)

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self.refresh_list(self._query)

    def suggested(self, progress: dict | None = None) -> LessonInfo | None:
        """The lesson the learner was last working on, else the first one not done whose
        prerequisites are done."""
        progress = self.host.progress() if progress is None else progress
        done = {k for k, p in progress.items() if p.completed_at}
        started = [p for k, p in progress.items() if not p.completed_at and (p.position or p.furthest) and self.host.index.get(k)]
        if started:
            self.continuing = True
            return self.host.index.get(max(started, key=lambda p: p.updated_at).lesson)
        self.continuing = False
        for les in self.host.index.ordered():
            if les.id not in done and all(r in done for r in les.requires):
                return les
        return None

    _query = ""

    def refresh_list(self, query: str = "") -> None:
        self._query = query
        self._width = self.size.width
        app = self.host
        ascii = app.ascii
        progress = app.progress()
        options: list[Option | None] = []
        query = query.strip().lower()
        broken = [b for b in app.index.broken if not query or query in b.path.lower()]
        if broken:
            options.append(Option(Content.styled("Could not load (Enter shows why)", "bold"), disabled=True))
            for k, b in enumerate(app.index.broken):
                if b in broken:
                    n = len(b.problems)
                    options.append(Option(Content.assemble(("x " if ascii else "✗ "), (Path(b.path).name, "bold"),
                                                           f"  {n} problem{'s' * (n != 1)}"), id=f"broken:{k}"))

        level = None
        nxt = self.suggested(progress)
        for les in app.index.ordered():
            hay = " ".join([les.id, les.title, les.summary, *les.tags]).lower()
            if query and query not in hay:
                continue
            if les.level != level:
                level = les.level
                options.append(Option(Content.styled(LEVELS.get(level, f"Level {level}"), "bold"), disabled=True))
            p = progress.get(les.id)
            frac = p.fraction if p else 0.0
            state = "done" if p and p.completed_at else f"{frac * 100:3.0f}%"
            mark = ("> " if ascii else "▶ ") if nxt is les else "  "
            head = f" {state:>4}  {les.minutes:>2} min  "
            room = max(12, self.size.width - 6 - len(mark) - 10 - len(head))  # one line per lesson, whatever the width
            title = les.title if len(les.title) <= room else les.title[: room - 1].rstrip() + ("~" if ascii else "…")
            line = Content.assemble(mark, (bar(frac, 10, ascii), "bold"), head, (title, "bold"))
            options.append(Option(line, id=f"lesson:{les.id}"))
        ol = self.query_one(OptionList)
        highlighted = ol.highlighted_option.id if ol.highlighted_option else None
        final = [o for o in options if o is not None]
        if ol.option_count:
            ol.clear_options()
        ol.add_options(final)
        # the option to highlight, set once: the one highlighted before, else the suggested lesson, else the first
        target = highlighted or (f"lesson:{nxt.id}" if nxt else None)
        if query:  # filtering: the first lesson that matches is the one Enter opens
            target = next((o.id for o in final if o.id and o.id.startswith("lesson:")), target)
        index = next((i for i, o in enumerate(final) if target and o.id == target and not o.disabled), None)
        if index is None:
            index = next((i for i, o in enumerate(final) if not o.disabled), None)
        if index is not None and ol.highlighted != index:
            ol.highlighted = index
        if nxt:
            label = "Continue: " if getattr(self, "continuing", False) else "Next: "
            self.query_one("#next", Static).update(Text.assemble(label, (nxt.title, "bold"), "  (press n)"))
        else:
            self.query_one("#next", Static).update("Every lesson is done. Well done!" if app.index.lessons else "No lessons found.")

    @on(OptionList.OptionHighlighted)
    def describe(self, event: OptionList.OptionHighlighted) -> None:
        """Under the list, what the highlighted lesson is about and what it builds on."""
        ident = event.option.id or ""
        text = Text()
        if ident.startswith("lesson:"):
            les = self.host.index.get(ident.split(":", 1)[1])
            if les is not None:
                text.append(les.summary or les.title)
                if les.requires:
                    titles = [getattr(self.host.index.get(r), "title", r) for r in les.requires]
                    text.append("  Builds on: " + "; ".join(titles) + ".", style="dim")
        elif ident.startswith("broken:"):
            text.append("This file has problems: Enter shows them.")
        self.query_one("#about", Static).update(text)

    @on(OptionList.OptionSelected)
    def open_option(self, event: OptionList.OptionSelected) -> None:
        ident = event.option.id or ""
        if ident.startswith("lesson:"):
            self.host.open_lesson(ident.split(":", 1)[1])
        elif ident.startswith("broken:"):
            self.show_problems(int(ident.split(":", 1)[1]))

    def show_problems(self, k: int) -> None:
        b = self.host.index.broken[k]
        from tutor.tui.screens.help import ProblemsScreen

        self.app.push_screen(ProblemsScreen(b.path, list(b.problems)))

    def action_why(self) -> None:
        opt = self.query_one(OptionList).highlighted_option
        if opt and opt.id and opt.id.startswith("broken:"):
            self.show_problems(int(opt.id.split(":", 1)[1]))

    def action_filter(self) -> None:
        boxes = self.query("#filter")
        if boxes:
            box = boxes.first(Input)
        else:
            from tutor.tui.answerbox import AnswerInput  # the filter box is built when first asked for

            box = AnswerInput(placeholder="filter lessons (Esc clears)", id="filter")
            self.mount(box, before=self.query_one(OptionList))
        box.remove_class("hidden")
        box.focus()

    def action_clear_filter(self) -> None:
        for box in self.query("#filter").results(Input):
            box.value = ""
            box.add_class("hidden")
        self.refresh_list()
        self.query_one(OptionList).focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.refresh_list(event.value)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one(OptionList).focus()

    def action_open_next(self) -> None:
        nxt = self.suggested()
        if nxt:
            self.host.open_lesson(nxt.id)
