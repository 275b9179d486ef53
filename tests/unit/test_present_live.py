"""The live view's words: three fixed lines in the app, ASCII in ASCII mode."""

from __future__ import annotations

import contextvars

from tutor.present import live
from tutor.present.text import set_ascii

ROWS = [("step", "3 of 40"), ("loss", "0.5"), ("step size", "0.1"), ("|gradient|", "0.2"), ("θ", "[1, −2]")]


def test_status_is_three_lines_and_ascii_in_ascii_mode():
    shown = live.status(ROWS, "paused")
    assert shown.splitlines() == ["paused · step 3 of 40", "loss 0.5  step size 0.1", "|gradient| 0.2  θ [1, −2]"]

    def in_ascii() -> str:
        set_ascii(True)
        return live.status(ROWS, "paused")

    ascii_shown = contextvars.copy_context().run(in_ascii)
    assert ascii_shown.isascii() and "theta [1, -2]" in ascii_shown
