"""A quiz in plain line mode: the same QuizRun the app drives, its words from ``tutor.present``."""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING, Literal

from tutor.core.errors import TutorError
from tutor.core.quiz import Item, QuizRun, TimeUp
from tutor.lines.writer import Writer
from tutor.present import commands as C
from tutor.present.help import kind_help, lines_help
from tutor.present.lesson import hint_lines
from tutor.present.quiz import QuizWords
from tutor.present.text import math

if TYPE_CHECKING:
    from tutor.lines.lesson import LessonLines

Status = Literal["next", "quit", "eof", "submit", "skip"]


class QuizLines(Writer):
    def __init__(self, run: QuizRun, inp: IO[str] = sys.stdin, out: IO[str] = sys.stdout, echo: bool | None = None):
        super().__init__(inp, out, echo=echo)
        self.r = run
        self.words = QuizWords("lines")

    def run(self) -> int:
        r, w = self.r, self.words
        self.say(f"{r.quiz.title} — student {r.student}")
        self.lines(w.rules(r))
        self.say()
        if r.submitted:
            self.results("You have already submitted this quiz.")
            return 0
        while True:
            if r.timed_out:
                r.finish()
                self.results(w.time_up().text)
                return 0
            item = r.next_item()
            if item is None:
                break
            status = self.ask_item(item)
            if status == "quit":
                self.say(w.left())
                return 0
            if status == "eof":
                self.say("Input ended. Everything you submitted is saved.")
                return 1
            if status == "submit":
                break
        r.finish()
        self.results("Quiz submitted.")
        return 0

    def ask_item(self, item: Item) -> Status:
        r, w = self.r, self.words
        self.rule(f"{w.position(r, item)} · {w.status(r, item)}")
        self.say(w.context(item).text)
        self.context(item)
        q = item.q  # read after the context ran: its words quote those experiments' values
        self.say(math(q.prompt.strip()))
        for n, i in enumerate(item.session.order(q), 1):
            self.say(f"  {n}. {math(q.choices[i].text)}")  # type: ignore[index]
        self.say(kind_help(q, "lines"))
        self.lines(hint_lines(q.hints, r.hints_shown(item)))
        while True:
            left = w.time_left(r)
            raw = self.ask(f"[{left}] > " if left else "> ")
            if raw is None:
                return "eof"
            cmd = C.parse(raw, C.QUIZ)
            if cmd is not None:
                if cmd.name == "quit":
                    return "quit"
                if cmd.name == "submit":
                    if self.confirm_submit():
                        return "submit"
                    continue
                if cmd.name == "skip":
                    r.skip(item)
                    return "skip"
                if cmd.name == "hint":
                    self.lines([w.hint(r, item, r.hint(item))])
                elif cmd.name == "help":
                    for line in lines_help(C.QUIZ):
                        self.say(line)
                else:
                    self.say("Unknown command. Commands: " + ", ".join(c.words[0] for c in C.QUIZ if c.words) + ".")
                continue
            if not raw.strip():
                continue
            try:
                sub = r.submit(item, raw)
            except TimeUp:
                self.lines([w.time_up()])
                return "submit"
            except TutorError as exc:
                self.lines([w.refused(str(exc))])
                return "next"
            self.lines(w.submission(r, sub))
            if sub.over:
                self.say()
                self.reveal(item)
                return "next"

    def _lesson(self, item: Item) -> LessonLines:
        from tutor.lines.lesson import LessonLines

        return LessonLines(item.session, self.inp, self.out, width=self.width, echo=False)

    def context(self, item: Item) -> None:
        """The lesson's setup and experiments this question needs, with the student's numbers; of an
        experiment that would answer a prediction still open, its set-up only."""
        shown = self._lesson(item)
        for part in self.r.context(item):
            step = part.step
            if step.text is not None:
                self.para(step.text)
            elif step.experiment is not None:
                self.lines([self.words.experiment_setup(step.experiment)])
                if part.result:
                    shown.experiment(step.experiment.id)
                else:
                    if step.experiment.caption:
                        self.para(step.experiment.caption)
                    self.lines([self.words.withheld(self.r, item, part)])
                    self.say()

    def reveal(self, item: Item) -> None:
        """A prediction is over: the experiment that decides it, where the quiz gives feedback."""
        shown = self._lesson(item)
        for exp_id in self.r.revealed(item):
            self.lines([self.words.revealed(item.session.experiment(exp_id))])
            shown.experiment(exp_id)

    def results(self, headline: str) -> None:
        """The score, and where the quiz allows a review, each question with a prediction's result."""
        self.lines(self.words.results(self.r, headline))
        for part in self.words.review(self.r):
            self.lines(part.lines)
            for head, exp in part.results:
                self.lines([head])
                self._lesson(part.item).experiment(exp.id, words=False)

    def confirm_submit(self) -> bool:
        """Submitting ends the quiz: say what is unanswered and ask for a yes."""
        self.lines(self.words.confirm_submit(self.r))
        raw = self.ask("Submit? > ")
        return raw is not None and raw.strip().lower() in ("yes", "y")
