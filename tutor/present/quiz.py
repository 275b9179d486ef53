"""What a student is told while taking a quiz, the same words in the app and in line mode."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.core.models import Experiment
from tutor.core.numbers import clock, count, number
from tutor.core.quiz import Item, QuizRun, Shown, Submission
from tutor.present.commands import QUIZ, View, find, shown
from tutor.present.lesson import hint_lines
from tutor.present.text import Line, math

TIME_UP = "Time is up. Your answers so far are saved and will be graded."
LEFT = "Left the quiz. Everything you submitted is saved; run the same command to continue."


def _value(v: object) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float, list, tuple, dict)):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_value(x)}" for k, x in v.items()) + "}"
    return number(v, 10)


@dataclass(frozen=True)
class ReviewPart:
    """A question of the end-of-quiz review as shown: its lines, then for a prediction the result of
    each experiment that decided it, headed by ``head`` (the views show it as results are shown
    during the quiz)."""

    item: Item
    lines: list[Line]
    results: list[tuple[Line, Experiment]]


class QuizWords:
    def __init__(self, view: View, *, ascii: bool = False):
        self.view = view
        self.ascii = ascii

    def cmd(self, name: str) -> str:
        return shown(find(QUIZ, name), self.view, typing=True, ascii=self.ascii)

    def rules(self, run: QuizRun) -> list[Line]:
        s = run.settings
        rules = [count(len(run.items), "question"), count(s.attempts, "attempt") + " each"]
        if s.time_limit:
            rules.append(f"time limit {number(s.time_limit)} min ({clock(run.remaining() or 0)} left)")
        rules.append({"each": "feedback after each answer", "end": "results at the end", "none": "no feedback"}[s.feedback])
        out = [Line(", ".join(rules) + ".")]
        if not s.hints:
            out.append(Line("Hints are off in this quiz."))
        out.append(Line(f"{self.cmd('skip')} moves on (the question comes back at the end), {self.cmd('quit')} leaves "
                        f"(come back with the same command), {self.cmd('submit')} ends the quiz.", "note"))
        return out

    def position(self, run: QuizRun, item: Item | None) -> str:
        n = item.number if item else len(run.items)
        return f"question {n} of {len(run.items)}"

    def time_left(self, run: QuizRun) -> str | None:
        left = run.remaining()
        return None if left is None else f"{clock(left)} left"

    def context(self, item: Item) -> Line:
        text = f"From the lesson “{item.session.lesson.title}”"
        if item.params:
            text += "; your numbers: " + ", ".join(f"{k} = {number(v, 10)}" for k, v in item.params.items())
        return Line(text + ".", "note")

    def status(self, run: QuizRun, item: Item) -> str:
        """``2 points; 1 attempt left.``"""
        return f"{count(item.points, 'point')}; {count(run.attempts_left(item), 'attempt')} left."

    def hint(self, run: QuizRun, item: Item, text: str | None) -> Line:
        """What asking for a hint gave: the hint (numbered as in a lesson), or why there is none."""
        if not run.settings.hints:
            return Line("Hints are off in this quiz.", "note")
        if text is None:
            return Line("No more hints for this question." if item.q.hints else "This question has no hints.", "note")
        return hint_lines(item.q.hints, run.hints_shown(item))[-1]

    def submission(self, run: QuizRun, sub: Submission) -> list[Line]:
        v = sub.verdict
        if not v.readable:
            return [Line(v.message, "warn")]
        if run.settings.feedback == "each":
            out = [Line("Right!" if v.correct else "Not quite.", "head")]
            if not v.correct:
                out += [Line(math(fb)) for fb in v.feedback]
        else:
            out = [Line("Saved.", "head")]
        if not sub.over:
            out.append(Line(f"{count(sub.attempts_left, 'attempt')} left on this question."))
        elif run.settings.feedback == "each":
            if not v.correct:
                out.append(Line("No attempts left."))
            if self.view == "app":  # the feedback stays until the student has read it
                out.append(Line("Press Enter for the next question.", "note"))
        return out

    def refused(self, message: str) -> Line:
        return Line(message[:1].upper() + message[1:] + ("" if message.endswith(".") else "."), "warn")

    def time_up(self) -> Line:
        return Line(TIME_UP, "head")

    def left(self) -> str:
        return LEFT

    def experiment_setup(self, exp: Experiment) -> Line:
        """An experiment of the question's context as the lesson set it up, with the student's numbers:
        ``The experiment: stationary on linear-regression with x = [0, 1, 2, 3], y = [1, 3, 2, 2]; at = [0, 0].``"""
        problem = exp.problem.model_dump(by_alias=True, exclude_defaults=True)
        name = problem.pop("name", "")
        text = f"The experiment “{exp.id}”: {exp.run} on {name}"
        if problem:
            text += " with " + ", ".join(f"{k} = {_value(v)}" for k, v in problem.items())
        if exp.with_:
            text += "; " + ", ".join(f"{k} = {_value(v)}" for k, v in exp.with_.items())
        return Line(text + ".", "note")

    def withheld(self, run: QuizRun, item: Item, shown: Shown) -> Line:
        """Said in place of an experiment's result that would answer a prediction still open."""
        if shown.until != item.number:
            if run.settings.feedback == "each":
                return Line(f"Its result is shown once question {shown.until} is over: it would answer that question.", "note")
            if run.settings.feedback == "end" and run.settings.review:
                return Line(f"Its result would answer question {shown.until}: it is shown in the review once you submit the quiz.", "note")
            return Line(f"Its result would answer question {shown.until}, so this quiz does not show it.", "note")
        if run.settings.feedback == "each":
            return Line("Predict first: its result is shown once you have answered.", "note")
        if run.settings.feedback == "end" and run.settings.review:
            return Line("Predict: its result is shown in the review once you submit the quiz.", "note")
        return Line("Predict: this quiz does not show its result (it would tell you the answer).", "note")

    def revealed(self, exp: Experiment) -> Line:
        """Heads the result of a prediction's experiment, shown once the question is over."""
        return Line(f"The result of “{exp.id}”:", "head")

    def confirm_submit(self, run: QuizRun) -> list[Line]:
        """Asked before submitting: which questions have no answer yet, and how to confirm."""
        missing = run.unanswered()
        if missing:
            numbers = ", ".join(str(it.number) for it in missing)
            out = [Line(f"{len(missing)} of {count(len(run.items), 'question')} {'has' if len(missing) == 1 else 'have'} "
                        f"no answer yet: {numbers}.", "warn")]
        else:
            out = [Line(f"All {len(run.items)} questions have an answer.", "head")]
        out.append(Line("Submit the quiz now? Nothing can be changed afterwards."))
        if self.view == "lines":
            out.append(Line("Type yes to submit; anything else goes back to the quiz.", "note"))
        else:
            out.append(Line("Enter or y submits; Esc or n goes back to the quiz.", "note"))
        return out

    def review(self, run: QuizRun) -> list[ReviewPart]:
        """After submitting (feedback: end, review allowed): each question, the answers, the right
        one, and a prediction's deciding experiments (their results, withheld while it was open)."""
        out: list[ReviewPart] = []
        for r in run.review():
            it = r.item
            lines = [Line(f"{it.number}. {math(it.q.prompt.strip())}", "head")]
            if not r.attempts:
                lines.append(Line("   no answer", "note"))
            for a in r.attempts:
                lines.append(Line(f"   your answer {a['attempt']}: {a['answer']}  ({'right' if a['correct'] else 'not right'})"))
            lines.append(Line(f"   the right answer: {math(r.right)}"))
            exps = [it.session.experiment(e) for e in r.decided_by]
            out.append(ReviewPart(it, lines, [(self.decided(e), e) for e in exps]))
        return out

    def decided(self, exp: Experiment) -> Line:
        """Heads, in the review, the result of the experiment that decided a prediction."""
        return Line(f"   What happened (the experiment “{exp.id}”):", "note")

    def results(self, run: QuizRun, headline: str) -> list[Line]:
        """The score; where the quiz allows a review, its heading (the parts follow: ``review``)."""
        out = [Line(headline, "head")]
        if run.settings.feedback == "none":
            out.append(Line("Your answers are recorded; your lecturer will publish the results."))
            return out
        grade = run.grade()
        possible = sum(it.points for it in run.items)
        out.append(Line(f"Score: {number(grade['total'])} of {number(possible)}."))
        for it in sorted(run.items, key=lambda x: x.number):
            got = grade["scores"].get(it.key, 0.0)
            out.append(Line(f"  {it.number}. {'right' if got else 'not right'}  ({number(got)}/{number(it.points)})"))
        if run.reviewable:
            out += [Line(""), Line("Review", "head")]
        return out
