"""Help: how to answer each kind of question, and the keys of each screen, from the command table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from tutor.present.commands import ANYWHERE, CATALOG, LESSON, LIVE, QUIZ, Command, View, key_name

if TYPE_CHECKING:  # the help screen is on the start-up path: no pydantic models there
    from tutor.core.models import Question

# How an answer is written: the same in both views
SYNTAX = {
    "numeric": "a number (sqrt(2)/2, ln(2), 2/3 all work)",
    "points": "numbers separated by commas (in any order)",
    "expression": "a formula in {vars} (* for products, ^ for powers)",
    "text": "a word or two",
}

ANSWERS_NOTE = ("Answers: numbers may be arithmetic (sqrt(2)/2, ln(2), 2/3); lists are separated by commas.\n"
                "An answer that cannot be read does not use an attempt.")


def kind_help(q: Question, view: View, *, ascii: bool = False) -> str:
    """One line under a question: what to type (or pick) and how to send it."""
    if q.kind in SYNTAX:
        return f"Type {SYNTAX[q.kind].format(vars=', '.join(q.vars or []))} and press Enter."
    updown = "Up/Down" if ascii else "↑/↓"
    if q.kind == "choice":
        if view == "lines":
            return "Type the number of a choice (or its text) and press Enter."
        return f"Press a choice's number, or {updown} and Enter."
    # multi
    if view == "lines":
        return "Type the numbers of every right choice, separated by commas, and press Enter."
    return f"Tick with a choice's number or Space ({updown} to move), then Enter or c to check."


def _rows(table: tuple[Command, ...], *, ascii: bool) -> list[tuple[str, str]]:
    rows = []
    for c in table:
        keys = list(dict.fromkeys(c.keys + c.typing))
        if c.name == "move":
            shown = " ".join(key_name(k, ascii=ascii) for k in keys)
        else:
            shown = " or ".join(key_name(k, ascii=ascii) for k in keys)
        if shown:
            rows.append((shown, c.help))
    return rows


Where = Literal["catalog", "lesson", "live"]

SECTION_TITLES: dict[Where, str] = {
    "catalog": "Catalog",
    "lesson": "Lesson",
    "live": "Live step (while the descent you play has the focus)",
}


def app_sections(*, ascii: bool = False, where: Where = "catalog") -> list[tuple[str, list[tuple[str, str]]]]:
    """The app's help screen: the keys of the catalog, a lesson, a live step and anywhere; the
    section of the place help was asked from comes first (on a live step: the live keys, then the
    lesson's)."""
    lesson = tuple(c for c in LESSON if c.name not in ("quit", "help", "restart"))
    tables: dict[Where, tuple[Command, ...]] = {"catalog": CATALOG, "lesson": lesson, "live": LIVE}
    following: dict[Where, list[Where]] = {"catalog": ["lesson", "live"], "lesson": ["live", "catalog"],
                                           "live": ["lesson", "catalog"]}
    order = [where, *following[where]]
    return [(SECTION_TITLES[w], _rows(tables[w], ascii=ascii)) for w in order] + [("Anywhere", _rows(ANYWHERE, ascii=ascii))]


def quiz_sections(*, ascii: bool = False, hints: bool = True) -> list[tuple[str, list[tuple[str, str]]]]:
    table = tuple(c for c in QUIZ if hints or c.name != "hint")
    return [("Quiz", _rows(table, ascii=ascii))]


def lines_help(table: tuple[Command, ...]) -> list[str]:
    """Line mode's ``:help``: each command's words and what it does."""
    out = []
    for c in table:
        if c.words:
            out.append(f"  {' '.join(c.words):<18} {c.help}")
    return out
