"""Keys that arrive in one burst are applied in order (Textualize/textual#6605)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from tests.tui.helpers import burst
from tutor.tui.answerbox import AnswerInput


class OneBox(App):
    def __init__(self, box: Input):
        super().__init__()
        self.box = box
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield self.box

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submitted.append(event.value)


async def typed(box: Input, *keys: str, value: str = "") -> OneBox:
    app = OneBox(box)
    async with app.run_test() as pilot:
        box.value = value
        box.cursor_position = len(value)
        box.focus()
        await pilot.pause()
        burst(app, *keys)
        for _ in range(20):
            await pilot.pause()
    return app


BURSTS = [
    # keys, value before, value after (and what Enter submitted)
    (("backspace", "backspace", "backspace", "4"), "123", "4"),
    (("b", "a", "backspace", "c"), "", "bc"),
    (("home", "x"), "12", "x12"),
    (("left", "left", "delete", "9"), "123", "193"),
]


# the plain Input fails this (the bug); strict: once Textual ships the fix this xpass fails, and
# AnswerInput may go
WIDGETS = [AnswerInput, pytest.param(Input, marks=pytest.mark.xfail(strict=True, reason="Textualize/textual#6605"))]


@pytest.mark.parametrize("widget", WIDGETS)
@pytest.mark.parametrize(("keys", "before", "after"), BURSTS[:1] + BURSTS[2:])
async def test_a_burst_is_applied_in_order(widget, keys, before, after):
    app = await typed(widget(), *keys, "enter", value=before)
    assert app.box.value == after
    assert app.submitted == [after], "Enter submits what the box holds now"


async def test_typing_after_deleting():
    app = await typed(AnswerInput(), "b", "a", "backspace", "c", "enter")
    assert app.box.value == "bc" and app.submitted == ["bc"]
