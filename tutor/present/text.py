"""What the presenter hands a view: lines of plain text, each with a tone the view maps to its own
style (bold, dim, a Markdown paragraph). No Textual, no Rich, no plotext."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Literal, NamedTuple

from tutor.charset import to_ascii

# ASCII mode for whatever this run shows (set by the app or line mode from tutor.charset.ascii_mode);
# a context variable, so that two apps in one process (tests) do not share it
ASCII: ContextVar[bool] = ContextVar("tutor_ascii", default=False)


def set_ascii(on: bool) -> None:
    ASCII.set(bool(on))


def screen(text: str) -> str:
    """Any text as the screen may show it: ASCII in ASCII mode (ŷ -> y^, √y -> sqrt(y), — -> --)."""
    return to_ascii(text) if ASCII.get() else text

Tone = Literal["head", "body", "note", "warn", "prose"]
# head: the verdict ("Right!"), bold; body: plain; note: dim, a hint of what to do next;
# warn: bold, something went wrong; prose: a Markdown paragraph (an explanation)


class Line(NamedTuple):  # immutable like a frozen dataclass, cheaper to define at start-up
    text: str
    tone: Tone = "body"


def math(text: str) -> str:
    """Lesson text as a terminal shows it: LaTeX turned into Unicode (into ASCII in ASCII mode)."""
    from tutor.core import latex  # pylatexenc: loaded with the first lesson text, not at start-up

    return screen(latex.to_unicode(text))


def plain_text(lines: list[Line]) -> str:
    """The lines as they read, one per line (for tests and line mode)."""
    return "\n".join(line.text for line in lines)
