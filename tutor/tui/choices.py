"""Choices a learner picks with arrows, Space, Enter or the choice's number, marked without colour.

``(*)``/``( )`` for a single choice and ``[x]``/``[ ]`` for "pick every one"; the highlighted row
also has a ``>``: nothing depends on colour or shade (NO_COLOR, a monochrome terminal, a screen
reader reading the text). The marks are ASCII, so they serve the ASCII mode as they are.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


def mark(picked: bool, multi: bool) -> str:
    if multi:
        return "[x]" if picked else "[ ]"
    return "(*)" if picked else "( )"


class ChoiceList(OptionList):
    """Numbered choices. A single choice is answered by Enter, Space or its digit; for several,
    Space or a digit ticks and Enter checks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "Tick", show=False),
        *[Binding(str(d), f"digit({d})", show=False) for d in range(1, 10)],
    ]

    class Picked(Message):
        """The learner's answer: the shown numbers (1-based) picked, in order."""

        def __init__(self, choices: ChoiceList, numbers: list[int]):
            super().__init__()
            self.choices = choices
            self.numbers = numbers

    def __init__(self, texts: list[str], *, multi: bool, id: str | None = None):
        super().__init__(id=id)
        self.texts = texts
        self.multi = multi
        self.picked: set[int] = set()

    def on_mount(self) -> None:
        self.add_options([Option(self._prompt(i, False)) for i in range(len(self.texts))])
        self.highlighted = 0

    def _prompt(self, i: int, cursor: bool) -> Text:
        return Text.assemble(">" if cursor else " ", " ", (mark(i in self.picked, self.multi), "bold"), f" {i + 1}. ", self.texts[i])

    def redraw(self) -> None:
        for i in range(len(self.texts)):
            self.replace_option_prompt_at_index(i, self._prompt(i, i == self.highlighted))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if self.option_count == len(self.texts):
            self.redraw()  # the ">" follows the highlight (a handful of rows)

    def show_picked(self, numbers: list[int]) -> None:
        """Mark the learner's earlier answer (shown numbers, 1-based)."""
        self.picked = {n - 1 for n in numbers if 1 <= n <= len(self.texts)}
        self.redraw()

    def _pick(self, i: int) -> None:
        if not 0 <= i < len(self.texts) or self.disabled:
            return
        self.highlighted = i
        if self.multi:
            self.picked ^= {i}
            self.redraw()
        else:
            self.picked = {i}
            self.redraw()
            self.post_message(self.Picked(self, [i + 1]))

    def action_page_down(self) -> None:
        raise SkipAction()  # the page keys scroll the lesson around the list, not the few rows in it

    def action_page_up(self) -> None:
        raise SkipAction()

    def action_digit(self, d: int) -> None:
        self._pick(d - 1)

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self._pick(self.highlighted)

    def action_select(self) -> None:
        if self.multi:
            self.check()
        elif self.highlighted is not None:
            self._pick(self.highlighted)

    def check(self) -> None:
        """Post the ticked choices as the answer (multi)."""
        self.post_message(self.Picked(self, sorted(n + 1 for n in self.picked)))
