"""The presenter's lines as Rich renderables: the only styling the app adds to its words."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text

from tutor.present.text import Line, screen

STYLES = {"head": "bold", "warn": "bold", "note": "dim", "body": ""}


def md(text: str) -> Markdown:
    """Lesson Markdown (LaTeX already turned to Unicode by the presenter, or here)."""
    from tutor.present.text import math

    return Markdown(math(text.strip()))


def text(lines: Sequence[Line]) -> Text:
    """Lines without prose, as one Text."""
    out = Text()
    for k, line in enumerate(lines):
        if k:
            out.append("\n")
        out.append(screen(line.text), style=STYLES.get(line.tone, ""))
    return out


def rich(lines: Sequence[Line]) -> RenderableType:
    """Lines as a renderable: runs of plain lines as Text, prose as Markdown."""
    parts: list[RenderableType] = []
    run: list[Line] = []
    for line in lines:
        if line.tone == "prose":
            if run:
                parts.append(text(run))
                run = []
            parts.append(Markdown(screen(line.text.strip())))
        else:
            run.append(line)
    if run:
        parts.append(text(run))
    if len(parts) == 1:
        return parts[0]
    return Group(*parts)


def keys(pairs: Sequence[tuple[str, str]]) -> Text:
    """The key line: ``F2 hint  F3 skip``."""
    out = Text()
    for k, what in pairs:
        out.append(screen(k), style="bold")
        out.append(screen(f" {what}  "))
    return out
