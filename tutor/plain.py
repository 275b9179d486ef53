"""Plain line mode: the same lesson session as the app, as lines of text.

Works with piped stdin: text and experiments print without pausing; a line is read only where a
question asks. ``:hint``, ``:skip``, ``:reveal``, ``:quit``. Everything is saved as it happens.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
from typing import IO, Any

from tutor.core import latex
from tutor.core.errors import ExperimentError
from tutor.core.models import Question
from tutor.core.params import fmt
from tutor.core.session import Outcome, Session

KIND_HELP = {
    "choice": "Answer with the number of a choice.",
    "multi": "Answer with the numbers of every right choice, separated by commas.",
    "numeric": "Answer with a number; arithmetic such as sqrt(2)/2 or ln(2) is fine.",
    "points": "Answer with numbers separated by commas, in any order.",
    "expression": "Answer with a formula in {vars}; use * for products and ^ or ** for powers.",
    "text": "Answer in a word or a few.",
}
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
COMMANDS = ":hint for a hint, :skip to move on, :reveal to see the answer, :quit to stop."


class Plain:
    def __init__(self, session: Session, inp: IO[str] = sys.stdin, out: IO[str] = sys.stdout, *, width: int | None = None,
                 ascii: bool | None = None, echo: bool | None = None):
        self.s = session
        self.inp = inp
        self.out = out
        self.width = width or min(100, max(40, shutil.get_terminal_size((80, 24)).columns))
        self.ascii = ascii
        self.echo = (not inp.isatty()) if echo is None else echo

    # -- output --------------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def para(self, text: str, indent: str = "") -> None:
        """Markdown as plain text: paragraphs re-wrapped, list items kept, emphasis marks dropped."""
        text = re.sub(r"(\*\*|__|`)(.+?)\1", r"\2", latex.to_unicode(text.strip()))
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
        for w in textwrap.wrap(text, self.width) or [""]:
            self.say(w)

    def rule(self, label: str) -> None:
        self.say(f"── {label} " + "─" * max(3, self.width - len(label) - 4))

    # -- the walk --------------------------------------------------------------------------
    def run(self) -> int:
        s = self.s
        self.say(f"{s.lesson.title}")
        self.say(f"{len(s.lesson.steps)} steps, about {s.lesson.minutes} minutes." + (
            "  Parameters: " + ", ".join(f"{k} = {fmt(v)}" for k, v in s.params.items()) if s.params else ""))
        if s.resumed and not s.finished:
            self.say(f"Resuming at step {s.position + 1} (use --restart to begin again).")
        self.say()
        while not s.finished:
            step = s.step
            assert step is not None
            label = f"step {s.position + 1} of {s.total}"
            if step.text is not None:
                self.rule(label)
                self.para(step.text)
                s.next()
            elif step.experiment is not None:
                self.rule(label + " · experiment")
                self.experiment(step.experiment.id)
                s.next()
            else:
                self.rule(label + " · question")
                status = self.question(step.question)  # type: ignore[arg-type]
                if status == "quit":
                    self.say("Stopped. Your progress is saved; run the same command to continue.")
                    return 0
                if status == "eof":
                    self.say("Input ended before the lesson did. Your progress is saved.")
                    return 1
                s.next()
        self.finish()
        return 0

    def experiment(self, exp_id: str) -> None:
        exp = self.s.experiment(exp_id)
        if exp.caption:
            self.para(exp.caption)
        try:
            result = self.s.result(exp_id)
        except ExperimentError as exc:
            self.say(f"The experiment could not run: {exc}")
            self.say()
            return
        self.plot(result)
        if exp.text:
            self.para(exp.text)

    def plot(self, result: Any) -> None:
        from tutor.plots.render import to_text

        for p in result.plots[:1]:
            self.say(to_text(p, self.width - 2, min(20, max(12, self.width // 4)), ascii=self.ascii))
        key = max((len(k) for k, _ in result.summary), default=0)
        for k, v in result.summary:
            self.say(f"  {k.ljust(key)}  {v}")
        self.say()

    def ask(self) -> str | None:
        self.out.write("> ")
        self.out.flush()
        line = self.inp.readline()
        if not line:
            self.say()
            return None
        line = line.rstrip("\r\n")
        if self.echo:
            self.say(line)
        return line

    def question(self, q: Question) -> str:
        s = self.s
        self.para(q.prompt)
        order = s.order(q)
        if q.choices:
            for n, i in enumerate(order, 1):
                self.say(f"  {n}. {latex.to_unicode(q.choices[i].text)}")
            self.say()
        state = s.state(q.id)
        if state.status in ("correct", "revealed", "skipped", "failed"):
            self.say(f"(Already {state.status}.)")
            return "done"
        self.wrap(KIND_HELP[q.kind].format(vars=", ".join(q.vars or [])) + (" " + COMMANDS if not state.attempts else ""))
        for hint in s.hints_shown(q):
            self.say(f"Hint: {latex.to_unicode(hint)}")
        while True:
            raw = self.ask()
            if raw is None:
                return "eof"
            cmd = raw.strip().lower()
            if cmd in (":quit", ":q", ":exit"):
                return "quit"
            if cmd in (":hint", ":h"):
                hint = s.hint()
                self.say(f"Hint: {latex.to_unicode(hint)}" if hint else "No more hints for this question.")
                continue
            if cmd in (":skip", ":s"):
                self.report(q, s.skip())
                return "done"
            if cmd in (":reveal", ":r"):
                self.report(q, s.reveal())
                return "done"
            if cmd.startswith(":"):
                self.say("Unknown command. " + COMMANDS)
                continue
            if not cmd:
                continue
            outcome = s.submit(raw)
            self.report(q, outcome)
            if outcome.over:
                return "done"

    def report(self, q: Question, o: Outcome) -> None:
        v = o.verdict
        if not v.readable:
            self.say(v.message)
            return
        if o.status == "correct":
            self.say("Right." if o.attempts <= 1 else f"Right, on attempt {o.attempts}.")
        elif o.status in ("skipped", "revealed"):
            self.say("Skipped." if o.status == "skipped" else "Revealed.")
        else:
            self.say("Not quite.")
            for fb in o.feedback:
                self.say("  " + latex.to_unicode(fb))
            if v.message:
                self.say("  " + v.message)
            if o.status == "failed":
                self.say("No attempts left.")
            elif o.attempts_left is not None:
                self.say(f"{o.attempts_left} attempt{'s' * (o.attempts_left != 1)} left.")
        if q.show and q.kind in ("numeric", "points") and v.value is not None:
            try:
                result = self.s.result(q.show)
                xs = v.value if isinstance(v.value, list) else [v.value]
                self.say("Your answer (◆) on the experiment's plot:" if not self.ascii else "Your answer (@) on the experiment's plot:")
                self.plot_marks_only(result, xs)
            except ExperimentError:
                pass
        if o.over:
            if o.status != "correct" and o.answer:
                self.say(f"The answer: {latex.to_unicode(o.answer)}")
            if o.explain:
                self.para(o.explain, indent="  ")
            else:
                self.say()

    def plot_marks_only(self, result: Any, xs: list[float]) -> None:
        from tutor.plots.marked import with_learner
        from tutor.plots.render import to_text

        if result.plots:
            self.say(to_text(with_learner(result.plots[0], xs), self.width - 2, 12, ascii=self.ascii))

    def finish(self) -> None:
        s = self.s
        qs = list(s.lesson.questions().values())
        first = sum(1 for q in qs if s.state(q.id).status == "correct" and s.state(q.id).attempts == 1)
        right = sum(1 for q in qs if s.state(q.id).status == "correct")
        self.rule("done")
        self.say(f"Lesson complete: {right} of {len(qs)} questions right ({first} at the first try).")
        if s.lesson.sources:
            self.say("Sources:")
            for src in s.lesson.sources:
                self.say(f"  - {src}")
