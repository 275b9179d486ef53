"""What a learner is told in a lesson, the same words in the app and in line mode.

A ``LessonWords`` is made for one view (``"app"`` or ``"lines"``); the only difference between the
two is how a command is named (``F2`` or ``:hint``) and how to move on."""

from __future__ import annotations

from typing import Any

from tutor.core import expr
from tutor.core.errors import ExpressionError
from tutor.core.models import Question
from tutor.core.numbers import count, number
from tutor.core.session import Outcome, Session
from tutor.present.commands import LESSON, View, find, shown
from tutor.present.text import Line, math


def hint_lines(hints: list[str], shown: list[str]) -> list[Line]:
    """``Hint: …`` for a question with one hint, ``Hint 2 of 3: …`` with several."""
    n = len(hints)
    return [Line(f"Hint {k} of {n}: {math(h)}" if n > 1 else f"Hint: {math(h)}") for k, h in enumerate(shown, 1)]


STATUS_ON_RETURN = {
    "correct": "You answered this correctly.",
    "revealed": "You revealed this answer.",
    "skipped": "You skipped this question: answer it now, or move on.",
    "failed": "No attempts left on this one.",
}


class LessonWords:
    def __init__(self, view: View, *, ascii: bool = False):
        self.view = view
        self.ascii = ascii

    def cmd(self, name: str, *, typing: bool = False) -> str:
        return shown(find(LESSON, name), self.view, typing=typing, ascii=self.ascii)

    # -- where the learner is ----------------------------------------------------------------------
    def key_line(self, s: Session, *, typing: bool, on_page: bool) -> list[tuple[str, str]]:
        """(key, label) pairs for the line of keys under the step: only what works here, named for
        where the focus is (typing in the answer box, on the page, or on a list or a control)."""
        step = s.step
        names: list[tuple[str, str]]
        if s.finished:
            names = [("next", "catalog"), ("rerun", "restart")]
        elif s.open_question is not None:
            names = [("hint", "hint"), ("skip", "skip"), ("reveal", "reveal")]
            if not s.blocked():  # skipped: the learner may move on
                names.insert(0, ("next", "next"))
            if s.open_question.kind == "multi":
                names.append(("check", "check"))
            names.append(("leave", "leave the box" if typing else "catalog" if on_page else "leave the list"))
        else:
            names = [("next", "next")]
            if step is not None and step.experiment is not None:
                names.append(("rerun", "re-run"))
            names.append(("leave", "catalog" if on_page else "leave the control"))
        if s.can_go_back and not typing:
            names.insert(1, ("back", "back"))
        names.append(("help", "help"))
        return [("Enter/n" if n == "next" and label == "next" else "Enter" if n == "next" else self.cmd(n, typing=typing), label)
                for n, label in names]

    def step_label(self, s: Session) -> str:
        return "done" if s.finished else f"step {s.position + 1} of {s.total}"

    def progress(self, s: Session) -> float:
        return 1.0 if s.finished else s.position / max(1, s.total)

    def params(self, s: Session) -> str:
        """``y = 1, t = 0.5``: the variant's numbers."""
        return ", ".join(f"{k} = {number(v, 10)}" for k, v in s.params.items())

    def mark(self, q: Question, picked: bool = False) -> str:
        """The box before a choice, readable without colour: ( )/(*) for one, [ ]/[x] for several."""
        if q.kind == "multi":
            return "[x]" if picked else "[ ]"
        return "(*)" if picked else "( )"

    def evidence_title(self, exp: Any, *, typing: bool = False) -> str:
        """The head of an experiment's values shown again under a question."""
        caption = math(exp.caption).strip().splitlines()[0] if exp.caption else f"the experiment {exp.id}"
        more = f"  ({self.cmd('evidence', typing=typing)}: plot)" if self.view == "app" else ""
        return f"{caption}{more}"

    def choices(self, q: Question, order: list[int]) -> list[str]:
        return [math(q.choices[i].text) for i in order]  # type: ignore[index]

    # -- answering -----------------------------------------------------------------------------------
    def reading(self, q: Question, raw: str) -> Line | None:
        """Live feedback while typing: what the answer reads as, or why it cannot be read."""
        raw = raw.strip()
        if not raw or raw.startswith(":"):
            return None
        try:
            if q.kind == "numeric":
                return Line(f"reads as {number(expr.number(raw))}", "note")
            if q.kind == "points":
                return Line(f"reads as {number(expr.numbers(raw))}", "note")
            if q.kind == "expression":
                expr.Expression(raw, variables=tuple(q.vars or ()))
                return Line("reads as a formula", "note")
        except ExpressionError as exc:
            return Line(f"can't read this: {exc}", "warn")
        return None

    def hints(self, q: Question, shown_hints: list[str]) -> list[Line]:
        return hint_lines(q.hints, shown_hints)

    def no_hint(self, q: Question) -> Line:
        return Line("No more hints for this question." if q.hints else "This question has no hints.", "note")

    def outcome(self, q: Question, o: Outcome, *, hints_left: int = 0, typing: bool = True) -> list[Line]:
        """The verdict on an answer, a skip or a reveal, and what to do next (``ending`` follows once
        the question is over)."""
        v = o.verdict
        if not v.readable:
            return [Line(v.message, "warn")]
        if o.status == "correct":
            out = [Line("Right!" if o.attempts <= 1 else f"Right, on attempt {o.attempts}.", "head")]
        elif o.status == "skipped":
            out = [Line("Skipped. It waits for you; the review at the end lists it.", "head")]
        elif o.status == "revealed":
            out = [Line("Revealed.", "head")]
        else:
            out = [Line("Not quite.", "head")]
            out += [Line(math(fb)) for fb in o.feedback]
            if v.message:
                out.append(Line(v.message))
            if o.status == "failed":
                out.append(Line("No attempts left."))
            else:
                if o.attempts_left is not None:
                    out.append(Line(f"{count(o.attempts_left, 'attempt')} left."))
                if hints_left:
                    out.append(Line(f"{self.cmd('hint', typing=typing)} gives a hint.", "note"))
        return out

    def ending(self, status: str, answer: str | None, explain: str | None) -> list[Line]:
        """Once a question is over (shown after the verdict and the answer's marks): the right answer,
        unless the learner gave it, and why."""
        out = []
        if status != "correct" and answer:
            out.append(Line(f"The answer: {math(answer)}"))
        if explain:
            out.append(Line(math(explain), "prose"))
        if self.view == "app":
            out.append(Line(f"Press Enter or {self.cmd('next')} to go on.", "note"))
        return out

    def on_return(self, status: str, attempts: int) -> Line | None:
        """Coming back to a question answered before."""
        if status in STATUS_ON_RETURN:
            return Line(STATUS_ON_RETURN[status], "head")
        if attempts:
            return Line(f"{count(attempts, 'attempt')} so far.", "note")
        return None

    def waiting(self, failed: bool) -> Line:
        if failed:
            return Line(f"The experiment behind this question failed; skip it with {self.cmd('skip')}.", "warn")
        return Line("Still running the experiment this question is checked against…", "note")

    def blocked(self) -> Line:
        return Line(f"Answer the question, or skip it ({self.cmd('skip', typing=True)}) or reveal the answer "
                    f"({self.cmd('reveal', typing=True)}), to go on.", "warn")

    def experiment_failed(self, message: str) -> Line:
        return Line(f"The experiment could not run: {message}", "warn")

    # -- the end ---------------------------------------------------------------------------------------
    def summary(self, s: Session) -> list[Line]:
        qs = list(s.lesson.questions().values())
        right = sum(1 for q in qs if s.state(q.id).status == "correct")
        first = sum(1 for q in qs if s.state(q.id).status == "correct" and s.state(q.id).attempts == 1)
        out = [Line("Lesson complete.", "head"), Line(""),
               Line(f"{right} of {len(qs)} questions right ({first} at the first try).")]
        if s.lesson.sources:
            dash = "-" if self.ascii or self.view == "lines" else "•"
            out += [Line(""), Line("Sources", "head")] + [Line(f"  {dash} {src}") for src in s.lesson.sources]
        out += [Line("")] + self.review(s)
        if self.view == "app":
            out += [Line(""), Line(f"Press Enter to go back to the catalog, {self.cmd('back')} to go back to a question, "
                                   f"or {self.cmd('rerun')} to start the lesson again.", "note")]
        else:
            out += [Line(""), Line(f"{self.cmd('restart')} (or --restart) starts the lesson again.", "note")]
        return out

    def review(self, s: Session) -> list[Line]:
        """Each question: what the learner answered, how it went, the right answer and why."""
        out = [Line("Your answers", "head")]
        how = {"correct": "right", "revealed": "revealed", "failed": "not right", "skipped": "skipped: not answered yet",
               "open": "not answered yet"}
        for n, q in enumerate(s.lesson.questions().values(), 1):
            st = s.state(q.id)
            prompt = math(q.prompt).strip().splitlines()[0]
            out.append(Line(f"{n}. {prompt}"))
            mine = self._their_answer(s, q, st.last_answer) if st.last_answer else "(none)"
            tries = f", {count(st.attempts, 'attempt')}" if st.attempts > 1 else ""
            out.append(Line(f"   your answer: {mine}  ({how.get(st.status, st.status)}{tries})"))
            right = s.safe_answer(q) if s.over(q) else None
            if right and st.status != "correct":
                out.append(Line(f"   the answer: {math(right)}"))
            if q.explain and s.over(q):
                out.append(Line(math(q.explain), "prose"))
        return out

    def _their_answer(self, s: Session, q: Question, raw: str) -> str:
        if q.kind not in ("choice", "multi") or not q.choices:
            return raw
        order = s.order(q)
        picked = [int(x) for x in raw.replace(",", " ").split() if x.isdigit()]
        return ", ".join(f"{k}. {math(q.choices[order[k - 1]].text)}" for k in picked if 1 <= k <= len(order)) or raw
