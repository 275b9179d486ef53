"""A question with an answer widget fit for its kind, live reading, hints, feedback, explanation.

Every word it shows is the presenter's; the screen hands them in."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input, RadioButton, RadioSet, SelectionList, Static

from tutor.core.models import Question
from tutor.present.lesson import LessonWords
from tutor.tui import render
from tutor.tui.answerbox import AnswerInput
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
        choices = self.words.choices(q, self.order)
        if q.kind == "choice":
            with RadioSet(id="answer"):
                for text in choices:
                    yield RadioButton(text)
        elif q.kind == "multi":
            yield SelectionList[int](*[(text, n) for n, text in enumerate(choices)], id="answer")
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

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.post_message(self.Answer(str(event.index + 1)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "check":
            event.stop()
            self.check_multi()

    def check_multi(self) -> None:
        if self.q.kind == "multi":
            picked = sorted(self.query_one(SelectionList).selected)
            self.post_message(self.Answer(", ".join(str(n + 1) for n in picked) if picked else ""))

    # -- showing what the presenter says ----------------------------------------------------------
    def show_hints(self, hints: list[str]) -> None:
        self.query_one("#hints", Static).update(render.text(self.words.hints(self.q, hints)))

    def show_feedback(self, what: RenderableType | str) -> None:
        self.query_one("#feedback", Static).update(what)

    def show_answer_plot(self, plot: Any) -> None:
        for view in self.query("#answer-plot"):
            view.remove_class("hidden")
            view.show(plot)  # type: ignore[attr-defined]

    def finish(self, ending: RenderableType) -> None:
        """The question is over: the answer and explanation below, the answer widgets off."""
        self.query_one("#explain", Static).update(ending)
        for w in self.query("#answer, #check"):
            w.disabled = True
