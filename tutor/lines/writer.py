"""Writing lines of text to a stream: paragraphs re-wrapped, Markdown marks dropped, rules."""

from __future__ import annotations

import re
import shutil
import textwrap
from typing import IO

from tutor.present.text import Line, math, screen

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


class Writer:
    def __init__(self, inp: IO[str], out: IO[str], *, width: int | None = None, echo: bool | None = None):
        self.inp = inp
        self.out = out
        self.width = width or min(100, max(40, shutil.get_terminal_size((80, 24)).columns))
        self.echo = (not inp.isatty()) if echo is None else echo

    def say(self, text: str = "") -> None:
        self.out.write(screen(text) + "\n")
        self.out.flush()

    def para(self, text: str, indent: str = "") -> None:
        """Markdown as plain text: paragraphs re-wrapped, list items kept, emphasis marks dropped."""
        text = re.sub(r"(\*\*|__|`)(.+?)\1", r"\2", math(text.strip()))
        for block in text.split("\n\n"):
            lines = block.splitlines()
            if all(line.startswith("    ") for line in lines if line.strip()):  # display math or code
                for line in lines:
                    self.say(indent + line.rstrip())
                self.say()
                continue
            items: list[str] = []
            for line in lines:
                if not items or _LIST_ITEM.match(line):
                    items.append(line.strip())
                else:
                    items[-1] += " " + line.strip()
            for item in items:
                m = _LIST_ITEM.match(item)
                lead = len(m.group(0)) if m else 0
                wrapped = textwrap.wrap(item, self.width - len(indent), subsequent_indent=" " * lead, break_on_hyphens=False)
                for w in wrapped or [""]:
                    self.say(indent + w)
            self.say()

    def wrap(self, text: str) -> None:
        lead = text[: len(text) - len(text.lstrip(" "))]  # an indented line stays indented
        for w in textwrap.wrap(text.lstrip(" "), self.width, initial_indent=lead, subsequent_indent=lead, break_on_hyphens=False) or [""]:
            self.say(w)

    def lines(self, lines: list[Line]) -> None:
        """The presenter's lines: each as it is, prose (an explanation) re-wrapped and indented."""
        for line in lines:
            if line.tone == "prose":
                self.para(line.text, indent="  ")
            else:
                self.wrap(line.text)

    def rule(self, label: str) -> None:
        self.say(f"── {label} " + "─" * max(3, self.width - len(label) - 4))

    def ask(self, prompt: str = "> ") -> str | None:
        """A line of input (echoed when piped), or None at the end of input."""
        self.out.write(prompt)
        self.out.flush()
        line = self.inp.readline()
        if not line:
            self.say()
            return None
        line = line.rstrip("\r\n")
        if self.echo:
            self.say(line)
        return line
