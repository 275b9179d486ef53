"""The learner's commands: one table, shown as keys in the app and as ``:words`` in line mode.

Each view binds or parses from this table, so a command has one name, one meaning and one line of
help everywhere. Key names are Textual's (``f2``, ``question_mark``, ``ctrl+q``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

View = Literal["app", "lines"]


@dataclass(frozen=True)
class Command:
    name: str
    keys: tuple[str, ...] = ()  # app keys; the first is the one shown while the page has focus
    typing: tuple[str, ...] = ()  # keys that also work while the answer box has focus (first shown)
    words: tuple[str, ...] = ()  # line mode; the first is the one shown
    label: str = ""  # a word or two for the key line
    help: str = ""  # one line for the help screen

    @property
    def binding(self) -> str:
        """The keys as a Textual binding string (``h,f2``)."""
        return ",".join(dict.fromkeys(self.keys + self.typing))


def _c(name: str, keys: str = "", typing: str = "", words: str = "", label: str = "", help: str = "") -> Command:
    return Command(name, tuple(k for k in keys.split() if k), tuple(k for k in typing.split() if k),
                   tuple(w for w in words.split() if w), label or name, help)


# A lesson: the same names in both views.
LESSON = (
    _c("next", "n enter", "", ":next", "next", "next step, or go on after an answer"),
    _c("back", "b", "", ":back :b", "back", "the previous step"),
    _c("hint", "h", "f2", ":hint :h", "hint", "a hint"),
    _c("skip", "s", "f3", ":skip :s", "skip", "skip the question"),
    _c("reveal", "v", "f4", ":reveal :r", "reveal", "reveal the answer"),
    _c("rerun", "r", "f5", "", "re-run", "re-run the experiment (after changing a control); at the end, start again"),
    _c("evidence", "e", "f6", ":evidence :e", "evidence", "on a question: the plot of the experiment it reads (its values show above)"),
    _c("scroll", "pageup pagedown", "", "", "scroll", "scroll the step (Home, End: its top and bottom)"),
    _c("check", "c", "", "", "check", "check a multi-choice answer"),
    _c("restart", "", "", ":restart", "restart", "start the lesson again (forgets its answers)"),
    _c("leave", "escape", "", "", "catalog", "leave the answer box, then back to the catalog"),
    _c("quit", "ctrl+q", "", ":quit :q :exit", "quit", "stop; your progress is saved"),
    _c("help", "question_mark f1", "f1", ":help :?", "help", "this help"),
)

QUIZ = (
    _c("answer", "enter", "enter", "", "answer", "answer (an answer that cannot be read uses no attempt)"),
    _c("hint", "f2", "f2", ":hint", "hint", "a hint, where the quiz allows"),
    _c("skip", "f3", "f3", ":skip", "skip", "skip for now: the question comes back at the end"),
    _c("submit", "f10", "f10", ":submit", "submit quiz", "submit the quiz"),
    _c("quit", "ctrl+q", "ctrl+q", ":quit", "leave (saved)", "leave; the same command resumes with your numbers and answers"),
    _c("help", "f1", "f1", ":help", "help", "this help"),
)

# The live view of descent (an experiment step with ``live: true``), while it has focus.
LIVE = (
    _c("play", "space p", "", "", "play/pause", "play or pause the descent"),
    _c("one", "full_stop", "", "", "one step", "one step of descent"),
    _c("reset", "0", "", "", "reset", "back to the start"),
    _c("larger", "plus equals_sign", "", "", "larger step", "a larger step size (from the next step on)"),
    _c("smaller", "minus", "", "", "smaller step", "a smaller step size (from the next step on)"),
)

CATALOG = (
    _c("move", "up down", "", "", "move", "move"),
    _c("open", "enter", "", "", "open", "open the lesson"),
    _c("filter", "slash", "", "", "filter", "filter"),
    _c("next", "n", "", "", "next lesson", "open the suggested lesson"),
    _c("why", "e", "", "", "why", "why a lesson failed to load"),
    _c("quit", "q", "", "", "quit", "quit"),
)

ANYWHERE = (
    _c("help", "question_mark f1", "", "", "help", "this help"),
    _c("palette", "ctrl+p", "", "", "commands", "commands: open a lesson, new variant, restart, ASCII plots, theme"),
    _c("quit", "ctrl+q", "", "", "quit", "quit (progress is always saved)"),
)

_KEY_NAMES = {"question_mark": "?", "slash": "/", "escape": "Esc", "enter": "Enter", "space": "Space", "up": "↑",
              "down": "↓", "left": "←", "right": "→", "tab": "Tab",
              "full_stop": ".", "plus": "+", "equals_sign": "=", "minus": "-", "pageup": "PageUp", "pagedown": "PageDown"}
_ASCII_KEYS = {"up": "Up", "down": "Down", "left": "Left", "right": "Right"}


def key_name(key: str, *, ascii: bool = False) -> str:
    """A Textual key as a learner reads it: ``f2`` → ``F2``, ``ctrl+q`` → ``Ctrl+Q``."""
    if ascii and key in _ASCII_KEYS:
        return _ASCII_KEYS[key]
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key[5:].upper()
    if len(key) >= 2 and key[0] == "f" and key[1:].isdigit():
        return key.upper()
    return key


def find(table: Sequence[Command], name: str) -> Command:
    for c in table:
        if c.name == name:
            return c
    raise KeyError(name)


def shown(cmd: Command, view: View, *, typing: bool = False, ascii: bool = False) -> str:
    """How a view names a command: ``h`` (app), ``F2`` (app, typing in the answer box), ``:hint`` (lines)."""
    if view == "lines":
        return cmd.words[0] if cmd.words else cmd.name
    keys = cmd.typing if typing and cmd.typing else cmd.keys
    return key_name(keys[0], ascii=ascii) if keys else cmd.name


def parse(line: str, table: Sequence[Command]) -> Command | None:
    """The command a line-mode answer names (``:hint``, ``:q``), or None if it is an answer."""
    word = line.strip().lower()
    if not word.startswith(":"):
        return None
    for c in table:
        if word in c.words:
            return c
    return Command("unknown", words=(word,))


def words_list(table: Iterable[Command]) -> str:
    """``:hint for a hint, :skip to skip the question, …`` for line mode's first question."""
    return "; ".join(f"{c.words[0]} {c.help}" for c in table if c.words) + "."
