"""The parts of a lesson step: text, an experiment with its controls, a question fit for its kind."""

from __future__ import annotations

from typing import Any

from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, SelectionList, Static

from tutor.core import expr, latex
from tutor.core.errors import ExpressionError
from tutor.core.models import Experiment, Param, Question
from tutor.core.params import fmt


def md(text: str) -> Markdown:
    return Markdown(latex.to_unicode(text.strip()))


def summary_table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for k, v in rows:
        table.add_row(k, v)
    return table


class TextPanel(Static):
    def __init__(self, text: str):
        super().__init__(md(text), classes="text-step")


class ExperimentPanel(Vertical):
    """Caption, plot, key values, and the learner's controls. ``r`` re-runs."""

    class Rerun(Message):
        def __init__(self, exp_id: str, changes: dict[str, Any]):
            super().__init__()
            self.exp_id = exp_id
            self.changes = changes

    def __init__(self, exp: Experiment, params: dict[str, Param], values: dict[str, Any], *, ascii: bool):
        super().__init__(classes="experiment")
        self.exp = exp
        self.params = params
        self.values = values
        self.ascii = ascii

    def compose(self) -> ComposeResult:
        from tutor.tui.plotview import PlotView

        if self.exp.caption:
            yield Static(md(self.exp.caption), classes="caption")
        yield PlotView(ascii=self.ascii, id="plot")
        yield Static("", id="summary", classes="summary")
        if self.exp.controls:
            with Horizontal(classes="controls"):
                for name in self.exp.controls:
                    p = self.params[name]
                    yield Label(f"{name} =", classes="control-label")
                    if p.choices is not None:
                        yield Select([(fmt(c), c) for c in p.choices], value=self.values[name], allow_blank=False,
                                     id=f"control-{name}", classes="control")
                    else:
                        lo, hi = p.uniform or (-1e6, 1e6)
                        yield Input(fmt(self.values[name]), id=f"control-{name}", classes="control",
                                    tooltip=f"a number from {fmt(lo)} to {fmt(hi)}; Enter re-runs")
            yield Static("", id="control-error", classes="error")
        if self.exp.text:
            yield Static(md(self.exp.text), classes="notice")

    _pending: tuple[str, Any] | None = None

    def on_mount(self) -> None:
        if self._pending is not None:
            kind, what = self._pending
            self._pending = None
            self.show_result(what) if kind == "result" else self.show_error(what)

    def show_result(self, result: Any) -> None:
        try:
            self.query_one("#plot").show(result.plots[0] if result.plots else None)  # type: ignore[attr-defined]
            self.query_one("#summary", Static).update(summary_table(result.summary))
        except NoMatches:  # not composed yet: show it once mounted
            self._pending = ("result", result)

    def show_error(self, message: str) -> None:
        try:
            self.query_one("#plot").show(None)  # type: ignore[attr-defined]
            self.query_one("#summary", Static).update(Text(f"The experiment could not run: {message}", style="bold"))
        except NoMatches:
            self._pending = ("error", message)

    def control_values(self) -> dict[str, Any] | None:
        """The controls' values, checked against each parameter's bounds; None if one is off."""
        changes: dict[str, Any] = {}
        for name in self.exp.controls:
            p = self.params[name]
            widget = self.query_one(f"#control-{name}")
            if isinstance(widget, Select):
                changes[name] = widget.value
                continue
            try:
                x = expr.number(widget.value)  # type: ignore[attr-defined]
            except ExpressionError as exc:
                self.query_one("#control-error", Static).update(f"{name}: {exc}")
                return None
            lo, hi = p.uniform or (-1e6, 1e6)
            if not lo <= x <= hi:
                self.query_one("#control-error", Static).update(f"{name} must be between {fmt(lo)} and {fmt(hi)}")
                return None
            changes[name] = round(x, p.decimals) if p.uniform else x
        self.query_one("#control-error", Static).update("")
        return changes

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id and event.input.id.startswith("control-"):
            event.stop()
            self.request_rerun()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.request_rerun()

    def request_rerun(self) -> None:
        changes = self.control_values()
        if changes is not None:
            self.post_message(self.Rerun(self.exp.id, changes))


HELP = {
    "choice": "↑/↓ to move, Enter to answer.",
    "multi": "↑/↓ to move, Space to tick, then Tab to Check (or press c).",
    "numeric": "Type a number (sqrt(2)/2, ln(2), 2/3 all work) and press Enter.",
    "points": "Type numbers separated by commas and press Enter.",
    "expression": "Type a formula in {vars} (* for products, ^ for powers) and press Enter.",
    "text": "Type a word or two and press Enter.",
}


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

    def __init__(self, q: Question, order: list[int], *, ascii: bool):
        super().__init__(classes="question")
        self.q = q
        self.order = order
        self.ascii = ascii

    def compose(self) -> ComposeResult:
        q = self.q
        yield Static(md(q.prompt), classes="prompt")
        if q.kind == "choice":
            with RadioSet(id="answer"):
                for i in self.order:
                    yield RadioButton(latex.to_unicode(q.choices[i].text))  # type: ignore[index]
        elif q.kind == "multi":
            yield SelectionList[int](*[(latex.to_unicode(q.choices[i].text), n) for n, i in enumerate(self.order)], id="answer")  # type: ignore[index]
            yield Button("Check", id="check", variant="primary", compact=True)
        else:
            yield Input(placeholder="your answer", id="answer", compact=True)
            yield Static("", id="reading", classes="reading")
        yield Static(HELP[q.kind].format(vars=", ".join(q.vars or [])), classes="help")
        yield Static("", id="hints", classes="hints")
        yield Static("", id="feedback", classes="feedback")
        if q.show and q.kind in ("numeric", "points"):
            from tutor.tui.plotview import PlotView

            yield PlotView(ascii=self.ascii, id="answer-plot", classes="hidden")
        yield Static("", id="explain", classes="explain")

    # -- reading as you type ---------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "answer":
            return
        event.stop()
        self.query_one("#reading", Static).update(reading(self.q, event.value))

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

    # -- showing what happened -------------------------------------------------------------------
    def show_hints(self, hints: list[str]) -> None:
        text = "\n".join(f"Hint {k}: {latex.to_unicode(h)}" for k, h in enumerate(hints, 1))
        self.query_one("#hints", Static).update(text)

    def show_feedback(self, text: str | Text) -> None:
        self.query_one("#feedback", Static).update(text)

    def show_answer_plot(self, plot: Any) -> None:
        for view in self.query("#answer-plot"):
            view.remove_class("hidden")
            view.show(plot)  # type: ignore[attr-defined]

    def finish(self, explain: str | None, answer: str | None, status: str) -> None:
        parts = []
        if status != "correct" and answer:
            parts.append(f"**The answer:** {answer}")
        if explain:
            parts.append(explain)
        parts.append("*Press Enter or n to go on.*")
        self.query_one("#explain", Static).update(md("\n\n".join(parts)))
        for w in self.query("#answer, #check"):
            w.disabled = True


def reading(q: Question, raw: str) -> Text:
    """Live feedback while typing: what the answer reads as, or why it cannot be read."""
    raw = raw.strip()
    if not raw or raw.startswith(":"):
        return Text("")
    try:
        if q.kind == "numeric":
            return Text(f"reads as {expr.number(raw):.6g}", style="dim")
        if q.kind == "points":
            return Text("reads as " + ", ".join(f"{x:.6g}" for x in expr.numbers(raw)), style="dim")
        if q.kind == "expression":
            expr.Expression(raw, variables=tuple(q.vars or ()))
            return Text("reads as a formula", style="dim")
    except ExpressionError as exc:
        return Text(f"can't read this: {exc}", style="bold")
    return Text("")
