"""An experiment step: caption, plot, key values, and the learner's controls (``r`` re-runs)."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from tutor.core import expr
from tutor.core.errors import ExpressionError
from tutor.core.models import Experiment, Param
from tutor.core.numbers import number
from tutor.present.text import screen
from tutor.tui.answerbox import AnswerInput
from tutor.tui.render import md


def authored(plot: Any, exp: Experiment) -> Any:
    """The experiment's plot with the lesson's ``plot: {ylim, log}`` applied."""
    return plot.viewed(exp.plot.ylim, exp.plot.log) if exp.plot is not None else plot


def summary_table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for k, v in rows:
        table.add_row(screen(k), screen(v))
    return table


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
        from tutor.tui.widgets.plotview import PlotView

        if self.exp.caption:
            yield Static(md(self.exp.caption), classes="caption")
        yield PlotView(ascii=self.ascii, id="plot")
        yield Static("", id="summary", classes="summary")
        yield from self.compose_controls()
        if self.exp.text:
            yield Static(md(self.exp.text), classes="notice")

    def compose_controls(self) -> ComposeResult:
        """An input (or a list) per parameter the learner may change; Enter re-runs."""
        if self.exp.controls:
            with Horizontal(classes="controls"):
                for name in self.exp.controls:
                    p = self.params[name]
                    yield Label(f"{name} =", classes="control-label")
                    if p.choices is not None:
                        yield Select([(fmt10(c), c) for c in p.choices], value=self.values[name], allow_blank=False,
                                     id=f"control-{name}", classes="control")
                    else:
                        lo, hi = p.uniform or (-1e6, 1e6)
                        yield AnswerInput(fmt10(self.values[name]), id=f"control-{name}", classes="control",
                                    tooltip=f"a number from {fmt10(lo)} to {fmt10(hi)}; Enter re-runs")
            yield Static("", id="control-error", classes="error")

    _pending: tuple[str, Any] | None = None

    def on_mount(self) -> None:
        if self._pending is not None:
            kind, what = self._pending
            self._pending = None
            self.show_result(what) if kind == "result" else self.show_error(what)

    def show_result(self, result: Any) -> None:
        try:
            self.query_one("#plot").show(authored(result.plots[0], self.exp) if result.plots else None)  # type: ignore[attr-defined]
            self.query_one("#summary", Static).update(summary_table(result.summary))
        except NoMatches:  # not composed yet: show it once mounted
            self._pending = ("result", result)

    def show_error(self, message: str) -> None:
        try:
            self.query_one("#plot").show(None)  # type: ignore[attr-defined]
            self.query_one("#summary", Static).update(Text(message, style="bold"))
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
                self.query_one("#control-error", Static).update(f"{name} must be between {fmt10(lo)} and {fmt10(hi)}")
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
        name = (event.select.id or "").removeprefix("control-")
        if event.value != self.values.get(name):  # a Select says Changed once mounted too: no second run then
            self.request_rerun()

    def request_rerun(self) -> None:
        changes = self.control_values()
        if changes is not None:
            self.post_message(self.Rerun(self.exp.id, changes))


def fmt10(value: Any) -> str:
    return number(value, 10)
