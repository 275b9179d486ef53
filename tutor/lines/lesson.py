"""A lesson in plain line mode: the same session as the app, as lines of text.

Works with piped stdin: text and experiments print without pausing; a line is read only where a
question asks. Commands are the ``:words`` of ``tutor.present.commands.LESSON``. Everything is
saved as it happens.
"""

from __future__ import annotations

import sys
from typing import IO, Any, Literal

from tutor.core.errors import ExperimentError
from tutor.core.models import Question
from tutor.core.session import Session
from tutor.lines.writer import Writer
from tutor.present import commands as C
from tutor.present.help import kind_help, lines_help
from tutor.present.lesson import LessonWords
from tutor.present.marks import answer_plot

Status = Literal["done", "quit", "eof", "back", "restart"]


class LessonLines(Writer):
    def __init__(self, session: Session, inp: IO[str] = sys.stdin, out: IO[str] = sys.stdout, *, width: int | None = None,
                 ascii: bool | None = None, echo: bool | None = None):
        super().__init__(inp, out, width=width, echo=echo)
        self.s = session
        self.ascii = ascii
        from tutor.charset import ascii_mode
        from tutor.present.text import set_ascii

        set_ascii(ascii_mode(ascii))  # the text too, not only the plots (ŷ -> y^)
        self.words = LessonWords("lines", ascii=bool(ascii))

    # -- the walk --------------------------------------------------------------------------
    def run(self) -> int:
        s = self.s
        self.say(f"{s.lesson.title}")
        self.say(f"{len(s.lesson.steps)} steps, about {s.lesson.minutes} minutes." + (
            "  Parameters: " + self.words.params(s) if s.params else ""))
        if s.resumed and not s.finished:
            self.say(f"Resuming at step {s.position + 1} (use --restart or {self.words.cmd('restart')} to begin again).")
        self.say()
        while not s.finished:
            step = s.step
            assert step is not None
            label = self.words.step_label(s)
            if step.text is not None:
                self.rule(label)
                self.para(step.text)
                s.next()
            elif step.experiment is not None:
                self.rule(label + " · experiment")
                self.experiment(step.experiment.id)
                s.next()
            else:
                assert step.question is not None
                self.rule(label + " · question")
                status = self.question(step.question)
                saved = s.store is not None and s.store.saving
                if status == "quit":
                    self.say("Stopped. Your progress is saved; run the same command to continue." if saved
                             else "Stopped. Your progress was not saved (see the warning above).")
                    return 0
                if status == "eof":
                    self.say("Input ended before the lesson did. "
                             + ("Your progress is saved." if saved else "Your progress was not saved (see the warning above)."))
                    return 1
                if status == "back":
                    s.back()
                elif status == "restart":
                    s.restart()
                else:
                    s.next()
        self.finish()
        return 0

    def experiment(self, exp_id: str, *, words: bool = True) -> None:
        """Caption, result (plot and key values, or the live view) and text; ``words`` False: the result alone."""
        exp = self.s.experiment(exp_id)
        if exp.caption and words:
            self.para(exp.caption)
        try:
            result = self.s.result(exp_id)
        except ExperimentError as exc:
            self.say(self.words.experiment_failed(str(exc)).text)
            self.say()
            return
        if getattr(result, "live", None) is not None:
            self.live(result.live)
        else:
            self.plot(result, exp)
        if exp.text and words:
            self.para(exp.text)

    def plot(self, result: Any, exp: Any = None) -> None:
        from tutor.plots.render import to_text

        for p in result.plots[:1]:
            if exp is not None and exp.plot is not None:
                p = p.viewed(exp.plot.ylim, exp.plot.log)
            self.say(to_text(p, self.width - 2, min(20, max(12, self.width // 4)), ascii=self.ascii))
        key = max((len(k) for k, _ in result.summary), default=0)
        for k, v in result.summary:
            self.say(f"  {k.ljust(key)}  {v}")
        self.say()

    def live(self, live: Any) -> None:
        """A live experiment on paper: the first frame, the last, and their numbers."""
        from tutor.plots.render import to_text
        from tutor.present.live import status

        width, height = self.width - 2, min(18, max(12, self.width // 4))
        view = "lines"
        live.reset()
        first = live.frame()
        self.say(f"Live view, the first frame ({status(first.rows, first.state, view)}):")
        self.say(to_text(first.landscape, width, height, ascii=self.ascii))
        live.run_to_end()
        last = live.frame()
        self.say(f"The last frame ({status(last.rows, last.state, view)}):")
        self.say(to_text(last.landscape, width, height, ascii=self.ascii))
        self.say(to_text(last.curve, width, 12, ascii=self.ascii))
        key = max(len(k) for k, _ in last.rows)
        for k, v in last.rows:
            self.say(f"  {k.ljust(key)}  {v}")
        self.say()
        live.reset()

    def question(self, q: Question) -> Status:
        s, w = self.s, self.words
        self.para(q.prompt)
        order = s.order(q)
        if q.choices:
            for n, text in enumerate(w.choices(q, order), 1):
                self.say(f"  {w.mark(q)} {n}. {text}")
            self.say()
        state = s.state(q.id)
        back = w.on_return(state.status, state.attempts)
        if s.over(q):
            assert back is not None
            self.say(f"({back.text})")
            return "done"
        first = not state.attempts and not state.hints
        self.wrap(kind_help(q, "lines", ascii=bool(self.ascii)) + (" " + self.commands_line() if first else ""))
        if back is not None:
            self.say(back.text)
        self.lines(w.hints(q, s.hints_shown(q)))
        while True:
            raw = self.ask()
            if raw is None:
                return "eof"
            cmd = C.parse(raw, C.LESSON)
            if cmd is not None:
                status = self.command(q, cmd.name)
                if status is not None:
                    return status
                continue
            if not raw.strip():
                continue
            outcome = s.submit(raw)
            if outcome.waiting != "ready":
                self.lines([w.waiting(outcome.waiting == "failed")])
                continue
            self.lines(w.outcome(q, outcome, hints_left=s.hints_left(q)))
            self.marks(q, outcome.verdict.value)
            if outcome.over:
                self.lines(w.ending(outcome.status, outcome.answer, outcome.explain))
                return "done"

    def commands_line(self) -> str:
        shown = [c for c in C.LESSON if c.name in ("hint", "skip", "reveal", "back", "quit", "help")]
        return "; ".join(f"{c.words[0]} {c.help}" for c in shown) + "."

    def command(self, q: Question, name: str) -> Status | None:
        """A ``:word``: what it does here; None stays on the question."""
        s, w = self.s, self.words
        if name == "quit":
            return "quit"
        if name == "hint":
            hint = s.hint()
            self.lines(w.hints(q, s.hints_shown(q))[-1:] if hint else [w.no_hint(q)])
        elif name in ("skip", "reveal"):
            outcome = s.skip() if name == "skip" else s.reveal()
            self.lines(w.outcome(q, outcome) + w.ending(outcome.status, outcome.answer, outcome.explain))
            return "done"
        elif name == "back":
            if s.can_go_back:
                return "back"
            self.say("This is the first step.")
        elif name == "restart":
            return "restart"
        elif name == "evidence":
            for exp_id in s.evidence(q):
                self.say(w.evidence_title(s.experiment(exp_id)))
                self.plot(s.result(exp_id), s.experiment(exp_id))
        elif name == "next":
            self.lines([w.blocked()])
        elif name == "help":
            self.say("Commands:")
            for line in lines_help(C.LESSON):
                self.say(line)
        else:
            self.say("Unknown command. " + self.commands_line())
        return None

    def marks(self, q: Question, value: Any) -> None:
        """The learner's answer marked on the shown experiment's plot."""
        if not q.show:
            return
        try:
            plots = self.s.result(q.show).plots
        except ExperimentError:
            return
        plot = answer_plot(q, value, plots)
        if plot is not None:
            from tutor.plots.render import to_text

            self.say(f"Your answer ({'@' if self.ascii else '◆'}) on the experiment's plot:")
            self.say(to_text(plot, self.width - 2, 12, ascii=self.ascii))

    def finish(self) -> None:
        self.rule("done")
        self.lines(self.words.summary(self.s))
