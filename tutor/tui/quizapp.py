"""Taking a quiz in the app: one question at a time, the time left always shown.

The QuizRun decides (order, attempts, when a question is over, hints, time); the presenter words
it; this app only shows and forwards keys, exactly as line mode does."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.core.errors import ExperimentError, TutorError
from tutor.core.models import Experiment
from tutor.core.quiz import Item, QuizRun, TimeUp
from tutor.present import commands as C
from tutor.present.lesson import LessonWords
from tutor.present.quiz import QuizWords
from tutor.present.text import Line, set_ascii
from tutor.tui import render
from tutor.tui.asciidriver import AsciiOutput
from tutor.tui.keyhold import HoldsKeys
from tutor.tui.widgets.experiment import ExperimentPanel
from tutor.tui.widgets.question import QuestionPanel


def _binding(name: str, description: str, *, action: str | None = None, priority: bool = False) -> Binding:
    return Binding(C.find(C.QUIZ, name).binding, action or name, description, priority=priority)


class ConfirmSubmit(ModalScreen[bool]):
    """Submitting ends the quiz: the unanswered questions are named and a yes is needed."""

    BINDINGS = [Binding("enter,y", "answer(True)", "Submit"), Binding("escape,n", "answer(False)", "Back to the quiz")]
    DEFAULT_CSS = """
    ConfirmSubmit { align: center middle; }
    ConfirmSubmit > Static { width: 72; height: auto; padding: 1 2; border: thick $warning; background: $surface; }
    """

    def __init__(self, lines: list[Line]):
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        yield Static(render.text(self.lines), id="confirm")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class QuizApp(HoldsKeys, AsciiOutput, App):
    CSS_PATH = [str(Path(__file__).with_name(n)) for n in ("tutor.tcss", "lesson.tcss")]
    TITLE = "Landscape Tutor — quiz"
    BINDINGS = [
        _binding("hint", "Hint"),
        _binding("skip", "Skip for now"),
        _binding("submit", "Submit the quiz"),
        _binding("quit", "Leave (saved)", action="leave", priority=True),
        _binding("help", "Help"),
        Binding("enter", "next_question", "Next question", show=False),
    ]

    DEFAULT_CSS = "#ask { height: auto; max-height: 50%; padding: 0 1; overflow-y: auto; }  #ask QuestionPanel { height: auto; }  #body ExperimentPanel { height: auto; }"

    def __init__(self, run: QuizRun, *, ascii: bool = False):
        self._ascii_output = ascii  # ASCII mode: the driver sends only ASCII, the text is written in it
        super().__init__()
        set_ascii(ascii)
        self.set_class(ascii, "-ascii")
        self.run_ = run
        self.ascii = ascii
        self.words = QuizWords("app", ascii=ascii)
        self.lesson_words = LessonWords("app", ascii=ascii)
        self.item: Item | None = None  # the question being answered
        self.shown: Item | None = None  # the question on screen (answered or not)
        self.done = False
        self.read_feedback = False  # a question is over and its feedback on screen: Enter goes on
        self.withheld: dict[str, Static] = {}  # experiment id -> the note shown in place of its result

    def compose(self) -> ComposeResult:
        yield Static("", id="progress")
        yield VerticalScroll(id="body", can_focus=True)  # the lesson context, scrolled on its own
        yield Vertical(id="ask")  # the question and its feedback, always in view
        yield Static("", id="status")
        names = [n for n in ("answer", "hint", "skip", "submit", "quit") if n != "hint" or self.run_.settings.hints]
        yield Static(render.keys([(self.words.cmd(n), C.find(C.QUIZ, n).label) for n in names]), id="keys")

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        if self.run_.submitted:
            self.show_results("You have already submitted this quiz.")
        else:
            self.show_next()

    def tick(self) -> None:
        if self.done:
            return
        if self.run_.timed_out:
            self.time_up()
            return
        self.update_top()

    def time_up(self) -> None:
        self.run_.finish()
        self.show_results(self.words.time_up().text)

    def update_top(self) -> None:
        r, w, shown = self.run_, self.words, self.item or self.shown
        if self.done:
            self.query_one("#progress", Static).update(Text.assemble((r.quiz.title, "bold"), f"  student {r.student}  submitted"))
            return
        t = Text.assemble((r.quiz.title, "bold"), f"  student {r.student}  {w.position(r, shown)}")
        left = w.time_left(r)
        if left is not None:
            t.append(f"  {left}", style="bold" if (r.remaining() or 0) < 120 else "")
        self.query_one("#progress", Static).update(t)

    def show_next(self) -> None:
        r = self.run_
        self.hold_keys()  # what is typed before the new answer box has the focus goes into it
        body = self.query_one("#body", VerticalScroll)
        body.remove_children()
        self.query_one("#ask", Vertical).remove_children()
        self.item = r.next_item()
        if self.item is None:
            r.finish()
            self.show_results("Quiz submitted.")
            return
        it = self.shown = self.item
        self.withheld = {}
        body.mount(Static(render.text([self.words.context(it)])))
        self.show_context(it, body)
        self.query_one("#ask", Vertical).mount(QuestionPanel(it.q, it.session.order(it.q), self.lesson_words, ascii=self.ascii))
        self.query_one("#status", Static).update(self.words.status(r, it))
        self.update_top()

    def show_context(self, it: Item, body: VerticalScroll) -> None:
        """The lesson's setup and the experiments the question needs, with the student's numbers; of
        an experiment that would answer a prediction still open, its set-up only (the run decides)."""
        for part in self.run_.context(it):
            step = part.step
            if step.text is not None:
                body.mount(Static(render.md(step.text), classes="text"))
            elif step.experiment is not None:
                exp = step.experiment.model_copy(update={"controls": []})  # the quiz's numbers are the student's
                body.mount(Static(render.text([self.words.experiment_setup(exp)])))
                if part.result:
                    body.mount(self.experiment_panel(it, exp))
                    continue
                if exp.caption:
                    body.mount(Static(render.md(exp.caption), classes="caption"))
                note = Static(render.text([self.words.withheld(self.run_, it, part)]))
                self.withheld[exp.id] = note
                body.mount(note)

    def experiment_panel(self, it: Item, exp: Experiment) -> ExperimentPanel:
        panel = ExperimentPanel(exp, {}, it.params, ascii=self.ascii)
        try:
            panel.show_result(it.session.result(exp.id))
        except ExperimentError as exc:
            panel.show_error(str(exc))
        return panel

    def reveal(self, it: Item) -> None:
        """A prediction is over: its experiment's result takes the place of the note that withheld it."""
        body = self.query_one("#body", VerticalScroll)
        for exp_id in self.run_.revealed(it):
            exp = it.session.experiment(exp_id).model_copy(update={"controls": [], "caption": None})  # above already
            note = self.withheld.pop(exp_id, None)
            if note is not None:
                head = Static(render.text([self.words.revealed(exp)]))
                panel = self.experiment_panel(it, exp)
                body.mount(head, panel, after=note)
                note.remove()
                body.call_after_refresh(head.scroll_visible, top=True)

    def on_question_panel_ready(self, msg: QuestionPanel.Ready) -> None:
        if self.item is not None:
            msg.panel.show_hints(self.run_.hints_shown(self.item))
        for w in msg.panel.query("#answer"):
            self.deliver_keys(w)

    def feedback(self, lines: list[Line]) -> None:
        for panel in self.query(QuestionPanel):
            panel.show_feedback(render.text(lines))
        ask = self.query_one("#ask")
        ask.call_after_refresh(ask.scroll_end, animate=False)  # in a short window the feedback is below the fold

    def on_question_panel_answer(self, msg: QuestionPanel.Answer) -> None:
        r, it = self.run_, self.item
        if it is None or self.done or not msg.raw.strip():
            return
        try:
            sub = r.submit(it, msg.raw)
        except TimeUp:
            self.time_up()
            return
        except TutorError as exc:
            self.feedback([self.words.refused(str(exc))])
            return
        self.feedback(self.words.submission(r, sub))
        if sub.verdict.readable:
            self.query_one("#status", Static).update(self.words.status(r, it))
        if sub.over:
            self.item = None  # answers typed before the next question shows go nowhere
            for panel in self.query(QuestionPanel):
                panel.finish("")
            if r.settings.feedback == "each":
                self.reveal(it)
                self.read_feedback = True
                self.query_one("#body").focus()
            else:
                self.set_timer(0.3, self.show_next)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_question":
            return self.read_feedback
        return True

    def action_next_question(self) -> None:
        if self.read_feedback:
            self.read_feedback = False
            self.show_next()

    def action_hint(self) -> None:
        it = self.item
        if it is None or self.done:
            return
        text = self.run_.hint(it)
        if text is None:
            self.feedback([self.words.hint(self.run_, it, None)])
        for panel in self.query(QuestionPanel):
            panel.show_hints(self.run_.hints_shown(it))

    def action_help(self) -> None:
        from tutor.present.help import quiz_sections
        from tutor.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(quiz_sections(ascii=self.ascii, hints=self.run_.settings.hints)))

    def action_skip(self) -> None:
        it = self.item
        if it is None or self.done:
            return
        self.run_.skip(it)
        self.show_next()

    def action_submit(self) -> None:
        if self.done or isinstance(self.screen, ConfirmSubmit):
            return

        def answered(yes: bool | None) -> None:
            if yes and not self.done:
                self.run_.finish()
                self.show_results("Quiz submitted.")

        self.push_screen(ConfirmSubmit(self.words.confirm_submit(self.run_)), answered)

    def action_leave(self) -> None:
        self.exit(self.words.left() if not self.done else None)

    def show_results(self, headline: str) -> None:
        self.done = True
        self.read_feedback = False
        body = self.query_one("#body", VerticalScroll)
        body.remove_children()
        self.query_one("#ask", Vertical).remove_children()
        body.mount(Static(render.text(self.words.results(self.run_, headline))))
        for part in self.words.review(self.run_):  # where the quiz allows a review
            body.mount(Static(render.text(part.lines)))
            for head, exp in part.results:  # a prediction's deciding experiment, as shown during a quiz
                body.mount(Static(render.text([head])),
                           self.experiment_panel(part.item, exp.model_copy(update={"controls": [], "caption": None, "text": None})))
        body.mount(Static(render.text([Line(f"{self.words.cmd('quit')} leaves.", "note")])))
        self.query_one("#status", Static).update("")
        self.query_one("#keys", Static).update(render.keys([(self.words.cmd("quit"), "leave")]))
        self.update_top()
        self.deliver_keys(body)


def run_quiz_app(run: QuizRun) -> None:
    from tutor.plots.term import unicode_ok

    app = QuizApp(run, ascii=not unicode_ok())
    app.run()
    if app.return_value:
        print(app.return_value)
