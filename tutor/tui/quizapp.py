"""Taking a quiz in the app: one question at a time, the time left always shown."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tutor.core.errors import TutorError
from tutor.core.params import fmt
from tutor.core.quiz import QuizRun, TimeUp
from tutor.tui.panels import QuestionPanel


def _mmss(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


class QuizApp(App):
    CSS_PATH = [str(__import__("pathlib").Path(__file__).with_name(n)) for n in ("tutor.tcss", "lesson.tcss")]
    TITLE = "Landscape Tutor — quiz"
    BINDINGS = [
        Binding("f2", "hint", "Hint"),
        Binding("f3", "skip", "Skip for now"),
        Binding("f10", "submit", "Submit the quiz"),
        Binding("ctrl+q", "leave", "Leave (saved)", priority=True),
        Binding("f1", "help", "Help"),
    ]

    def __init__(self, run: QuizRun, *, ascii: bool = False):
        super().__init__()
        self.run_ = run
        self.ascii = ascii
        self.item = None
        self.done = False

    def compose(self) -> ComposeResult:
        yield Static("", id="progress")
        yield VerticalScroll(id="body", can_focus=True)
        yield Static("", id="status")
        keys = [("Enter", "answer"), ("F3", "skip"), ("F10", "submit quiz"), ("Ctrl+Q", "leave (saved)")]
        if self.run_.settings.hints:
            keys.insert(1, ("F2", "hint"))
        text = Text()
        for k, what in keys:
            text.append(k, style="bold")
            text.append(f" {what}  ")
        yield Static(text, id="keys")

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        if self.run_.store.finished(self.run_.quiz.id, self.run_.student):
            self.show_results("You have already submitted this quiz.")
        else:
            self.show_next()

    def tick(self) -> None:
        r = self.run_
        if self.done:
            return
        if r.timed_out:
            r.finish()
            self.show_results("Time is up. Your answers so far are saved and will be graded.")
            return
        self.update_top()

    def update_top(self) -> None:
        r = self.run_
        left = r.remaining()
        n = self.item.number if self.item else len(r.items)
        t = Text.assemble((r.quiz.title, "bold"), f"  student {r.student}  question {n} of {len(r.items)}")
        if left is not None:
            t.append(f"  {_mmss(left)} left", style="bold" if left < 120 else "")
        self.query_one("#progress", Static).update(t)

    def show_next(self) -> None:
        r = self.run_
        body = self.query_one("#body", VerticalScroll)
        body.remove_children()
        self.item = r.next_item()
        if self.item is None:
            r.finish()
            self.show_results("Quiz submitted.")
            return
        it = self.item
        context = f"From the lesson “{it.session.lesson.title}”"
        if it.params:
            context += "; your numbers: " + ", ".join(f"{k} = {fmt(v)}" for k, v in it.params.items())
        attempts = len(r.attempts(it))
        body.mount(Static(Text(context + ".", style="dim")))
        body.mount(QuestionPanel(it.q, it.session.order(it.q), ascii=self.ascii))
        left = r.settings.attempts - attempts
        self.query_one("#status", Static).update(f"{it.points:g} point{'s' * (it.points != 1)}; {left} attempt{'s' * (left != 1)} left.")
        self.update_top()

    def on_question_panel_ready(self, msg: QuestionPanel.Ready) -> None:
        for w in msg.panel.query("#answer"):
            w.focus()

    def on_question_panel_answer(self, msg: QuestionPanel.Answer) -> None:
        r, it = self.run_, self.item
        if it is None or self.done or not msg.raw.strip():
            return
        panel = self.query_one(QuestionPanel)
        try:
            sub = r.submit(it, msg.raw)
        except TimeUp:
            r.finish()
            self.show_results("Time is up. Your answers so far are saved and will be graded.")
            return
        except TutorError as exc:
            panel.show_feedback(Text(str(exc), style="bold"))
            return
        v = sub.verdict
        if not v.readable:
            panel.show_feedback(Text(v.message, style="bold"))
            return
        if r.settings.feedback == "each":
            text = Text("Right." if v.correct else "Not right.", style="bold")
            for fb in v.feedback:
                text.append("\n" + fb, style="")
        else:
            text = Text("Saved.", style="bold")
        if not sub.over:
            text.append(f"\n{sub.attempts_left} attempt{'s' * (sub.attempts_left != 1)} left.", style="")
            panel.show_feedback(text)
            return
        panel.show_feedback(text)
        self.set_timer(0.8 if r.settings.feedback == "each" else 0.3, self.show_next)

    def action_hint(self) -> None:
        it = self.item
        if it is None or self.done:
            return
        panel = self.query_one(QuestionPanel)
        if not self.run_.settings.hints:
            panel.show_feedback(Text("Hints are off in this quiz.", style="dim"))
        elif not it.q.hints:
            panel.show_feedback(Text("This question has no hint.", style="dim"))
        else:
            panel.show_hints(it.q.hints[:1])

    def action_help(self) -> None:
        from tutor.tui.catalog import HelpScreen

        class QuizHelp(HelpScreen):
            KEYS = [("Quiz", [("Enter", "answer (an unreadable answer uses no attempt)"), ("F2", "a hint, where the quiz allows"),
                              ("F3", "skip for now: the question comes back at the end"), ("F10", "submit the quiz"),
                              ("Ctrl+Q", "leave; the same command resumes with your numbers and answers"), ("F1", "this help")])]

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(QuizHelp())

    def action_skip(self) -> None:
        r, it = self.run_, self.item
        if it is None or self.done:
            return
        r.items.remove(it)
        r.items.append(it)
        self.show_next()

    def action_submit(self) -> None:
        if not self.done:
            self.run_.finish()
            self.show_results("Quiz submitted.")

    def action_leave(self) -> None:
        self.exit("Left the quiz. Everything you submitted is saved; run the same command to continue."
                  if not self.done else None)

    def show_results(self, headline: str) -> None:
        self.done = True
        r = self.run_
        body = self.query_one("#body", VerticalScroll)
        body.remove_children()
        t = Text(headline + "\n\n", style="bold")
        if r.settings.feedback == "none":
            t.append("Your answers are recorded; your lecturer will publish the results.", style="")
        else:
            grade = r.grade()
            possible = sum(it.points for it in r.items)
            t.append(f"Score: {grade['total']:g} of {possible:g}\n\n", style="")
            for it in sorted(r.items, key=lambda x: x.number):
                got = grade["scores"].get(it.key, 0.0)
                t.append(f"  {it.number}. {'right' if got else 'not right'} ({got:g}/{it.points:g})\n", style="")
        t.append("\nCtrl+Q leaves.", style="dim")
        body.mount(Static(t))
        self.query_one("#status", Static).update("")
        self.update_top()


def run_quiz_app(run: QuizRun) -> None:
    from tutor.plots.render import unicode_ok

    app = QuizApp(run, ascii=not unicode_ok())
    app.run()
    if app.return_value:
        print(app.return_value)
