"""The ASCII driver's last pass: every character the terminal gets is ASCII and takes the cells
the original took, so nothing on screen moves."""

from __future__ import annotations

from rich.cells import cell_len

from tutor.tui.asciidriver import to_cells


def test_what_textual_draws_becomes_ascii_of_the_same_width():
    # a border, a scroll bar, braille, the command palette's search icon, a toast's edge, an emoji
    drawn = "╭──╮│▊▁⣿⠀🔎 Search ▌ saved ✓ ⚠ ŷ² √ y\u0302"
    out = to_cells(drawn)
    assert out.isascii()
    assert cell_len(out) == cell_len(drawn)
    assert out == "+--+||_. >  Search | saved v * y^ s y"
