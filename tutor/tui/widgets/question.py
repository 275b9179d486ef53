"""A question with an answer widget fit for its kind, live reading, hints, feedback, explanation.

Every word it shows is the presenter's; the screen hands them in."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static

from tutor.core.models import Question
from tutor.present.lesson import LessonWords
from tutor.present.text import screen
from tutor.tui import render
from tutor.tui.answerbox import AnswerInput
from tutor.tui.choices import ChoiceList
from tutor.tui.render import md


class TextPanel(Static):
    def __init__(self, text: str):
        super().__init__(md(text), classes="text-step")


class QuestionPanel(Vertical):
    """A question with an answer widget fit for its kind, live reading, hints, feedback, explanation."""

    class Answer(Message):
        def __init__(self, raw: str):
            super().__init__()
            self.raw = raw

    class Ready(Message):
        """Composed and mounted: the screen may now fill in hints and move the focus here."""

        def __init__(self, panel: QuestionPanel):
            super().__init__()
            self.panel = panel

    def on_mount(self) -> None:
        self.post_message(self.Ready(self))

    def __init__(self, q: Question, order: list[int], words: LessonWords, *, ascii: bool):
        super().__init__(classes="question")
        self.q = q
        self.order = order
        self.words = words
        self.ascii = ascii

    def compose(self) -> ComposeResult:
        from tutor.present.help import kind_help

        q = self.q
        yield Static(md(q.prompt), classes="prompt")
        # the values of the experiment the question reads; its plot (one key away) is mounted when asked for
        yield Static("", id="evidence", classes="evidence hidden")
        choices = self.words.choices(q, self.order)
        if q.kind in ("choice", "multi"):
            yield ChoiceList(choices, multi=q.kind == "multi", id="answer")
            if q.kind == "multi":
                yield Button("Check", id="check", variant="primary", compact=True)
        else:
            yield AnswerInput(placeholder="your answer", id="answer", compact=True)
            yield Static("", id="reading", classes="reading")
        yield Static(kind_help(q, "app", ascii=self.ascii), classes="help")
        yield Static("", id="hints", classes="hints")
        yield Static("", id="feedback", classes="feedback")
        from tutor.present.marks import wants_marks

        if wants_marks(q):
            from tutor.tui.widgets.plotview import PlotView

            yield PlotView(ascii=self.ascii, id="answer-plot", classes="hidden")
        yield Static("", id="explain", classes="explain")

    # -- reading as you type ---------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "answer":
            return
        event.stop()
        line = self.words.reading(self.q, event.value)
        self.query_one("#reading", Static).update(render.text([line]) if line else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "answer":
            event.stop()
            self.post_message(self.Answer(event.value))

    def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        event.stop()
        self.post_message(self.Answer(", ".join(str(n) for n in event.numbers)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "check":
            event.stop()
            self.check_multi()

    def check_multi(self) -> None:
        if self.q.kind == "multi":
            self.query_one(ChoiceList).check()

    def show_picked(self, raw: str) -> None:
        """Mark the learner's earlier answer on the choices (coming back to the question)."""
        import re

        for choices in self.query("#answer").results(ChoiceList):
            choices.show_picked([int(n) for n in re.findall(r"\d+", raw)])

    # -- showing what the presenter says ----------------------------------------------------------
    def show_hints(self, hints: list[str]) -> None:
        self._shown(self.query_one("#hints", Static), render.text(self.words.hints(self.q, hints)))

    def show_feedback(self, what: RenderableType | str) -> None:
        self._shown(self.query_one("#feedback", Static), what)

    def _shown(self, part: Static, what: RenderableType | str) -> None:
        """Update a part under the answer and scroll it into view once laid out: at 80×24, below a
        table, a wrong answer's "Not quite" (or a hint) came below the fold and nothing seemed to happen."""
        part.update(what)
        if what:
            self.call_after_refresh(part.scroll_visible, animate=False)

    def show_evidence(self, parts: list[tuple[str, list[tuple[str, str]], Any]], *, with_plot: bool) -> None:
        """Experiments' key values under the prompt (title, rows, plot); the first plot too when
        ``with_plot`` (a tall window, or the learner pressed e)."""
        from rich.console import Group
        from rich.text import Text

        from tutor.tui.widgets.experiment import summary_table

        box = self.query_one("#evidence", Static)
        if not parts:
            box.add_class("hidden")
            return
        box.update(Group(*[r for title, rows, _ in parts for r in (Text(screen(title), style="dim"), summary_table(rows))]))
        box.remove_class("hidden")
        plot = parts[0][2]
        views = self.query("#evidence-plot")
        if not views and not (with_plot and plot is not None):
            return
        if not views:
            from tutor.tui.widgets.plotview import PlotView

            self.mount(PlotView(ascii=self.ascii, id="evidence-plot"), after=box)
            views = self.query("#evidence-plot")
        view = views.first()
        view.set_class(not (with_plot and plot is not None), "hidden")
        if with_plot and plot is not None:
            view.show(plot)  # type: ignore[attr-defined]

    def evidence_plot_shown(self) -> bool:
        return any(not v.has_class("hidden") for v in self.query("#evidence-plot"))

    def show_answer_plot(self, plot: Any) -> None:
        for view in self.query("#answer-plot"):
            view.remove_class("hidden")
            view.show(plot)  # type: ignore[attr-defined]

    def finish(self, ending: RenderableType) -> None:
        """The question is over: the answer and explanation below, the answer widgets off."""
        self.query_one("#explain", Static).update(ending)
        for w in self.query("#answer, #check"):
            w.disabled = True
