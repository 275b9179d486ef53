"""The last line of ASCII mode: whatever a widget draws, the terminal receives ASCII.

Text that a learner reads is made ASCII where it is written (``tutor.charset.to_ascii``: ŷ → y^,
√y → sqrt(y)), and borders are ``ascii`` in CSS. What is left (a scroll bar's eighth blocks, a
border or glyph inside a Textual widget, a tooltip) is replaced here, one character for one cell,
so the layout does not move: lines and corners become ``- | +``, blocks ``#``, the rest its ASCII
letter or ``?``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from rich.cells import cell_len

from tutor.charset import to_ascii

_LIGHT = {"─": "-", "━": "-", "═": "=", "│": "|", "┃": "|", "║": "|", "╌": "-", "╎": "|", "▔": "-", "▁": "_", "▏": "|",
          "▕": "|", "▎": "|", "▊": "|", "▌": "|", "▐": "|", "▍": "|", "▋": "|", "▉": "#", "█": "#", "▀": "\"", "▄": "_",
          "░": ".", "▒": ":", "▓": "#", "…": ".", "·": ".", "•": "*", "🔎": ">"}  # the palette's search icon


@lru_cache(maxsize=4096)
def cell(ch: str) -> str:
    """One character as ASCII of the same width on screen (a combining mark, of none, goes)."""
    width = cell_len(ch)
    if width == 0:
        return ""
    if ch in _LIGHT:
        out = _LIGHT[ch]
    elif "\u2500" <= ch <= "\u257f":  # box drawing: corners and junctions
        name = unicodedata.name(ch, "")
        out = "-" if "HORIZONTAL" in name and "VERTICAL" not in name and "AND" not in name else (
            "|" if "VERTICAL" in name and "HORIZONTAL" not in name and "AND" not in name else "+")
    elif "\u2580" <= ch <= "\u259f":  # block elements (scroll bars, bars)
        out = "#"
    elif "\u2800" <= ch <= "\u28ff":  # braille dots
        out = "." if ch != "\u2800" else " "
    else:
        text = to_ascii(ch)
        if len(text) > 2 and text[0] == text[-1] == ":":  # an emoji's :name:
            text = "*"
        out = text[0] if text and text[0].isprintable() else "?"
    return out + " " * (width - 1)


def to_cells(data: str) -> str:
    if data.isascii():
        return data
    return "".join(c if c.isascii() else cell(c) for c in data)


def ascii_driver(base: type[Any]) -> type[Any]:
    """A subclass of the terminal driver ``base`` whose output is ASCII."""

    class AsciiDriver(base):
        def write(self, data: str) -> None:
            super().write(to_cells(data))

    return AsciiDriver


class AsciiOutput:
    """An App mixin (before ``App`` in the bases): with ``_ascii_output`` set before
    ``App.__init__`` (which asks for the driver), the terminal gets only ASCII."""

    _ascii_output = False

    def get_driver_class(self) -> Any:
        base = super().get_driver_class()  # type: ignore[misc]
        return ascii_driver(base) if self._ascii_output else base
