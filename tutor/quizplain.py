"""Taking a quiz in plain line mode (the same QuizRun the app drives)."""

from __future__ import annotations

import sys
from typing import IO

from tutor.core import latex
from tutor.core.errors import TutorError
from tutor.core.quiz import QuizRun, TimeUp
from tutor.plain import KIND_HELP


def _mmss(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


class PlainQuiz:
    def __init__(self, run: QuizRun, inp: IO[str] = sys.stdin, out: IO[str] = sys.stdout, echo: bool | None = None):
        self.run_ = run
        self.inp = inp
        self.out = out
        self.echo = (not inp.isatty()) if echo is None else echo

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def run(self) -> int:
        r = self.run_
        s = r.settings
        self.say(f"{r.quiz.title} — student {r.student}")
        rules = [f"{len(r.items)} questions", f"{s.attempts} attempt{'s' * (s.attempts != 1)} each"]
        if s.time_limit:
            rules.append(f"time limit {s.time_limit:g} min ({_mmss(r.remaining() or 0)} left)")
        rules.append({"each": "feedback after each answer", "end": "results at the end", "none": "no feedback"}[s.feedback])
        self.say(", ".join(rules) + ".")
        if not s.hints:
            self.say("Hints are off in this quiz.")
        self.say("Commands: :skip moves on, :quit leaves (come back with the same command), :submit ends the quiz.")
        self.say()
        if r.store.finished(r.quiz.id, r.student):
            self.say("You have already submitted this quiz.")
            self.results()
            return 0
        while True:
            if r.timed_out:
                self.say("Time is up. Your answers so far are saved and will be graded.")
                r.finish()
                self.results()
                return 0
            item = r.next_item()
            if item is None:
                break
            status = self.ask_item(item)
            if status == "quit":
                self.say("Left the quiz. Everything you submitted is saved; run the same command to continue.")
                return 0
            if status == "eof":
                self.say("Input ended. Everything you submitted is saved.")
                return 1
            if status == "submit":
                break
        r.finish()
        self.say("Quiz submitted.")
        self.results()
        return 0

    def ask_item(self, item) -> str:
        r = self.run_
        q = item.q
        self.say(f"── question {item.number} of {len(r.items)} ({item.points:g} point{'s' * (item.points != 1)}) " + "─" * 20)
        lesson = item.session.lesson
        context = f"From the lesson “{lesson.title}”"
        if item.params:
            from tutor.core.params import fmt

            context += "; your numbers: " + ", ".join(f"{k} = {fmt(v)}" for k, v in item.params.items())
        self.say(context + ".")
        self.say(latex.to_unicode(q.prompt.strip()))
        order = item.session.order(q)
        for n, i in enumerate(order, 1):
            self.say(f"  {n}. {latex.to_unicode(q.choices[i].text)}")  # type: ignore[index]
        self.say(KIND_HELP[q.kind].format(vars=", ".join(q.vars or [])))
        while True:
            left = r.remaining()
            self.out.write(f"[{_mmss(left)} left] > " if left is not None else "> ")
            self.out.flush()
            line = self.inp.readline()
            if not line:
                self.say()
                return "eof"
            raw = line.rstrip("\r\n")
            if self.echo:
                self.say(raw)
            cmd = raw.strip().lower()
            if cmd == ":quit":
                return "quit"
            if cmd == ":submit":
                return "submit"
            if cmd == ":skip":
                # to the back of the queue: answer the others first, come back to it at the end
                r.items.remove(item)
                r.items.append(item)
                return "skip"
            if cmd == ":hint":
                if r.settings.hints and q.hints:
                    self.say("Hint: " + latex.to_unicode(q.hints[0]))
                else:
                    self.say("Hints are off in this quiz." if not r.settings.hints else "No hint for this question.")
                continue
            if not cmd:
                continue
            try:
                sub = r.submit(item, raw)
            except TimeUp as exc:
                self.say(str(exc).capitalize() + ".")
                return "submit"
            except TutorError as exc:
                self.say(str(exc))
                return "next"
            v = sub.verdict
            if not v.readable:
                self.say(v.message)
                continue
            if r.settings.feedback == "each":
                self.say("Right." if v.correct else "Not right." + (" " + " ".join(v.feedback) if v.feedback else ""))
            else:
                self.say("Saved.")
            if sub.over:
                self.say()
                return "next"
            self.say(f"{sub.attempts_left} attempt{'s' * (sub.attempts_left != 1)} left on this question.")

    def results(self) -> None:
        r = self.run_
        if r.settings.feedback == "none":
            self.say("Your answers are recorded; your lecturer will publish the results.")
            return
        grade = r.grade()
        possible = sum(it.points for it in r.items)
        self.say(f"Score: {grade['total']:g} of {possible:g}.")
        for it in sorted(r.items, key=lambda x: x.number):
            got = grade["scores"].get(it.key, 0.0)
            self.say(f"  {it.number}. {'right' if got else 'not right'}  ({got:g}/{it.points:g})")
