"""What the presenter hands a view: lines of plain text, each with a tone the view maps to its own
style (bold, dim, a Markdown paragraph). No Textual, no Rich, no plotext."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tutor.core import latex

Tone = Literal["head", "body", "note", "warn", "prose"]
# head: the verdict ("Right!"), bold; body: plain; note: dim, a hint of what to do next;
# warn: bold, something went wrong; prose: a Markdown paragraph (an explanation)


@dataclass(frozen=True)
class Line:
    text: str
    tone: Tone = "body"


def math(text: str) -> str:
    """Lesson text as a terminal shows it: LaTeX turned into Unicode."""
    return latex.to_unicode(text)


def plain_text(lines: list[Line]) -> str:
    """The lines as they read, one per line (for tests and line mode)."""
    return "\n".join(line.text for line in lines)
