"""The catalog, the lesson, and the two modal screens (help, why a lesson failed to load)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from tutor.core.errors import ExperimentError, TutorError
from tutor.core.loader import Loaded
from tutor.core.session import Session
from tutor.tui.panels import ExperimentPanel, QuestionPanel, TextPanel

if TYPE_CHECKING:
    from tutor.tui.app import TutorApp

LEVELS = {1: "Level 1 · intro", 2: "Level 2 · core", 3: "Level 3 · advanced"}


def bar(fraction: float, width: int = 10, ascii: bool = False) -> str:
    full = round(fraction * width)
    on, off = ("#", ".") if ascii else ("█", "░")
    return on * full + off * (width - full)


class CatalogScreen(Screen):
    """Lessons grouped by level, with progress; the next one suggested; / filters."""

    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("n", "open_next", "Next lesson"),
        Binding("e", "why", "Why broken", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    app: TutorApp

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="next")
        yield Input(placeholder="filter lessons (Esc clears)", id="filter", classes="hidden")
        yield OptionList(id="lessons")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def suggested(self) -> Loaded | None:
        progress = self.app.progress()
        done = {k for k, p in progress.items() if p.completed_at}
        for f in self.app.ordered_lessons():
            les = f.lesson
            assert les is not None
            if les.id not in done and all(r in done for r in les.requires):
                return f
        return None

    def refresh_list(self, query: str = "") -> None:
        app = self.app
        ascii = app.ascii
        progress = app.progress()
        options: list[Option | None] = []
        query = query.strip().lower()
        level = None
        nxt = self.suggested()
        for f in app.ordered_lessons():
            les = f.lesson
            assert les is not None
            hay = " ".join([les.id, les.title, les.summary, *les.tags]).lower()
            if query and query not in hay:
                continue
            if les.level != level:
                level = les.level
                options.append(Option(Text(LEVELS.get(level, f"Level {level}"), style="bold"), disabled=True))
            p = progress.get(les.id)
            frac = p.fraction if p else 0.0
            state = "done" if p and p.completed_at else f"{frac * 100:3.0f}%"
            mark = ("> " if ascii else "▶ ") if nxt is f else "  "
            line = Text.assemble(mark, (bar(frac, 10, ascii), "bold"), f" {state:>4}  ", (les.title, "bold"), f"  {les.minutes} min")
            options.append(Option(line, id=f"lesson:{les.id}"))
        broken = [f for f in app.catalog.broken if not query or query in str(f.path).lower()]
        if broken:
            options.append(Option(Text("Could not load (Enter shows why)", style="bold"), disabled=True))
            for k, f in enumerate(app.catalog.broken):
                if f in broken:
                    n = len(f.problems)
                    options.append(Option(Text.assemble(("x " if ascii else "✗ "), (f.path.name, "bold"),
                                                        f"  {n} problem{'s' * (n != 1)}"), id=f"broken:{k}"))
        ol = self.query_one(OptionList)
        highlighted = ol.highlighted_option.id if ol.highlighted_option else None
        ol.clear_options()
        ol.add_options([o for o in options if o is not None])
        target = highlighted or (f"lesson:{nxt.lesson.id}" if nxt and nxt.lesson else None)
        if target:
            try:
                ol.highlighted = ol.get_option_index(target)
            except Exception:
                pass
        if ol.highlighted is None or ol.highlighted_option is None or ol.highlighted_option.disabled:
            for i, o in enumerate(ol.options):
                if not o.disabled:
                    ol.highlighted = i
                    break
        if nxt and nxt.lesson:
            self.query_one("#next", Static).update(Text.assemble("Next: ", (nxt.lesson.title, "bold"), "  (press n)"))
        else:
            self.query_one("#next", Static).update("Every lesson is done. Well done!" if app.catalog.lessons else "No lessons found.")

    @on(OptionList.OptionSelected)
    def open_option(self, event: OptionList.OptionSelected) -> None:
        ident = event.option.id or ""
        if ident.startswith("lesson:"):
            self.app.open_lesson(ident.split(":", 1)[1])
        elif ident.startswith("broken:"):
            self.show_problems(int(ident.split(":", 1)[1]))

    def show_problems(self, k: int) -> None:
        f = self.app.catalog.broken[k]
        self.app.push_screen(ProblemsScreen(str(f.path), [str(p) for p in f.problems]))

    def action_why(self) -> None:
        opt = self.query_one(OptionList).highlighted_option
        if opt and opt.id and opt.id.startswith("broken:"):
            self.show_problems(int(opt.id.split(":", 1)[1]))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("hidden")
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.add_class("hidden")
        self.refresh_list()
        self.query_one(OptionList).focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.refresh_list(event.value)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one(OptionList).focus()

    def action_open_next(self) -> None:
        nxt = self.suggested()
        if nxt and nxt.lesson:
            self.app.open_lesson(nxt.lesson.id)


class ExperimentReady(Message):
    def __init__(self, exp_id: str, version: int, result: Any = None, error: str | None = None):
        super().__init__()
        self.exp_id = exp_id
        self.version = version
        self.result = result
        self.error = error


class LessonScreen(Screen):
    """One step at a time: text, an experiment, or a question; resumes where the learner stopped."""

    BINDINGS = [
        Binding("n", "next", "Next"),
        Binding("b", "back", "Back"),
        Binding("h,f2", "hint", "Hint"),
        Binding("s,f3", "skip", "Skip"),
        Binding("v,f4", "reveal", "Reveal"),
        Binding("r,f5", "rerun", "Re-run"),
        Binding("c", "check", "Check", show=False),
        Binding("enter", "continue", "Go on", show=False),
        Binding("escape", "leave", "Catalog"),
        Binding("question_mark,f1", "app.help", "Help", show=False),
    ]

    app: TutorApp

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.shown = -1

    def compose(self) -> ComposeResult:
        yield Static("", id="progress")
        yield VerticalScroll(id="body", can_focus=True)
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.show_step()

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#body", VerticalScroll)

    def update_progress(self) -> None:
        s = self.session
        done = s.total if s.finished else s.position
        title = s.lesson.title
        width = max(10, self.size.width - len(title) - 28)
        step = "done" if s.finished else f"step {s.position + 1} of {s.total}"
        self.query_one("#progress", Static).update(
            Text.assemble((title, "bold"), f"  {step}  ", bar(done / max(1, s.total), min(20, width), self.app.ascii)))

    def status(self, text: str | Text = "") -> None:
        self.query_one("#status", Static).update(text)

    def show_step(self) -> None:
        s = self.session
        self.refresh_bindings()
        self.update_progress()
        self.status("")
        body = self.body
        body.remove_children()
        self.shown = s.position
        ascii = self.app.ascii
        if s.finished:
            body.mount(Static(self.summary(), classes="text-step"))
            body.focus()
            return
        step = s.step
        assert step is not None
        if step.text is not None:
            body.mount(TextPanel(step.text))
            body.mount(Static(Text("Enter or n: next · b: back", style="dim"), classes="help"))
            body.focus()
        elif step.experiment is not None:
            panel = ExperimentPanel(step.experiment, s.source.params, s.params, ascii=ascii)
            body.mount(panel)
            body.focus()
            self.start(step.experiment.id)
        else:
            q = step.question
            assert q is not None
            panel = QuestionPanel(q, s.order(q), ascii=ascii)
            body.mount(panel)
            self.call_after_refresh(self.setup_question, panel)
        body.scroll_home(animate=False)

    def setup_question(self, panel: QuestionPanel) -> None:
        s = self.session
        q = panel.q
        panel.show_hints(s.hints_shown(q))
        st = s.state(q.id)
        if st.status in ("correct", "revealed", "skipped", "failed"):
            label = {"correct": "You answered this correctly.", "revealed": "You revealed this answer.",
                     "skipped": "You skipped this question.", "failed": "No attempts left on this one."}[st.status]
            panel.show_feedback(Text(label, style="bold"))
            panel.finish(q.explain, self.safe_answer(q), st.status)
            self.body.focus()
        else:
            if st.attempts:
                panel.show_feedback(Text(f"{st.attempts} attempt{'s' * (st.attempts != 1)} so far.", style="dim"))
            try:
                panel.query_one("#answer").focus()
            except Exception:
                self.body.focus()
        for exp_id in s.needed_experiments(q):
            if s.cached(exp_id) is None:
                self.start(exp_id)

    def safe_answer(self, q) -> str | None:
        try:
            return self.session.answer_text(q) if all(self.session.cached(e) is not None for e in self.session.needed_experiments(q)) else None
        except TutorError:
            return None

    # -- experiments in a worker ----------------------------------------------------------------
    def start(self, exp_id: str) -> None:
        s = self.session
        cached = s.cached(exp_id)
        if cached is not None:
            self.deliver(exp_id, cached, None)
            return
        version, step = s.prepare(exp_id)
        self.status(Text(f"running {exp_id}…", style="dim"))
        self.run_experiment(exp_id, version, step)

    @work(thread=True, exclusive=True, group="experiment", exit_on_error=False)
    def run_experiment(self, exp_id: str, version: int, step: Any) -> None:
        from tutor.experiments import run_step

        worker = get_current_worker()
        try:
            result = run_step(step)
        except ExperimentError as exc:
            if not worker.is_cancelled:
                self.post_message(ExperimentReady(exp_id, version, error=str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(ExperimentReady(exp_id, version, result=result))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.status("")
            self.app.notify(f"The experiment failed: {event.worker.error}", title="Experiment", severity="error", timeout=8)

    def on_experiment_ready(self, msg: ExperimentReady) -> None:
        s = self.session
        err = ExperimentError(msg.error) if msg.error else None
        if not s.accept(msg.exp_id, msg.version, msg.result, err):
            return
        self.status("")
        if err:
            self.app.notify(str(err), title="The experiment could not run", severity="error", timeout=8)
        self.deliver(msg.exp_id, msg.result, msg.error)
        # a question waiting for this experiment: run the next one it needs
        step = s.step
        if step is not None and step.question is not None:
            for exp_id in s.needed_experiments(step.question):
                if s.cached(exp_id) is None and s.failed(exp_id) is None:
                    self.start(exp_id)
                    break

    def deliver(self, exp_id: str, result: Any, error: str | None) -> None:
        for panel in self.query(ExperimentPanel):
            if panel.exp.id == exp_id:
                if error:
                    panel.show_error(error)
                else:
                    panel.show_result(result)

    def on_experiment_panel_rerun(self, msg: ExperimentPanel.Rerun) -> None:
        s = self.session
        changed = {k: v for k, v in msg.changes.items() if s.params.get(k) != v}
        if changed:
            # new parameters change the text around the plot too: draw the step again
            s.set_params(**changed)
            focused = self.focused.id if self.focused else None
            self.show_step()
            if focused:
                self.call_after_refresh(self._refocus, focused)
            return
        s.forget(msg.exp_id)
        for panel in self.query(ExperimentPanel):
            panel.query_one("#plot").show(None)  # type: ignore[attr-defined]
        self.start(msg.exp_id)

    def _refocus(self, widget_id: str) -> None:
        for w in self.query(f"#{widget_id}"):
            w.focus()

    # -- answering ------------------------------------------------------------------------------
    def on_question_panel_answer(self, msg: QuestionPanel.Answer) -> None:
        s = self.session
        panel = self.query_one(QuestionPanel)
        q = panel.q
        st = s.state(q.id)
        if st.status in ("correct", "revealed", "skipped", "failed"):
            self.action_next()
            return
        raw = msg.raw.strip()
        if raw.startswith(":"):
            cmd = {":hint": self.action_hint, ":skip": self.action_skip, ":reveal": self.action_reveal, ":quit": self.action_leave}.get(raw.lower())
            if cmd:
                cmd()
            return
        waiting = [e for e in s.needed_experiments(q) if s.cached(e) is None and e != q.show]
        if any(s.failed(e) for e in waiting):
            panel.show_feedback(Text("The experiment behind this question failed; skip it with s.", style="bold"))
            return
        if waiting:
            panel.show_feedback(Text("Still running the experiment this question is checked against…", style="dim"))
            return
        outcome = s.submit(raw)
        v = outcome.verdict
        if not v.readable:
            panel.show_feedback(Text(v.message, style="bold"))
            return
        if outcome.status == "correct":
            text = Text("Right!" if outcome.attempts == 1 else f"Right, on attempt {outcome.attempts}.", style="bold")
        else:
            text = Text("Not quite.", style="bold")
            for fb in outcome.feedback:
                text.append("\n" + fb, style="")
            if v.message:
                text.append("\n" + v.message, style="")
            if outcome.status == "failed":
                text.append("\nNo attempts left.")
            elif outcome.attempts_left is not None:
                text.append(f"\n{outcome.attempts_left} attempt{'s' * (outcome.attempts_left != 1)} left.")
            elif q.hints and st.hints < len(q.hints):
                text.append("\nPress h (or F2) for a hint.", style="dim")
        panel.show_feedback(text)
        if q.show and q.kind in ("numeric", "points") and v.value is not None and s.cached(q.show) is not None:
            from tutor.plots.marked import with_learner

            plots = s.cached(q.show).plots
            if plots:
                panel.show_answer_plot(with_learner(plots[0], v.value if isinstance(v.value, list) else [v.value]))
        if outcome.over:
            panel.finish(outcome.explain, outcome.answer, outcome.status)
            self.body.focus()
            self.body.scroll_end(animate=False)
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show in the footer only the keys that do something on this step."""
        s = self.session
        step = s.step
        open_question = step is not None and step.question is not None and s.state(step.question.id).status not in (
            "correct", "revealed", "skipped", "failed")
        if action in ("hint", "skip", "reveal"):
            return open_question
        if action == "check":
            return open_question and step.question.kind == "multi"  # type: ignore[union-attr]
        if action == "rerun":
            return step is not None and step.experiment is not None
        if action == "back":
            return s.position > 0
        return True

    def current_question(self) -> QuestionPanel | None:
        panels = list(self.query(QuestionPanel))
        return panels[0] if panels else None

    def action_hint(self) -> None:
        panel = self.current_question()
        if panel is None:
            return
        if self.session.state(panel.q.id).status != "open":
            return
        hint = self.session.hint()
        if hint is None:
            self.status("No more hints for this question." if panel.q.hints else "This question has no hints.")
        panel.show_hints(self.session.hints_shown(panel.q))
        for answer in panel.query("#answer"):
            answer.focus()

    def give_up(self, how: str) -> None:
        panel = self.current_question()
        if panel is None:
            return
        s = self.session
        if any(s.cached(e) is None and s.failed(e) is None for e in s.needed_experiments(panel.q) if e != panel.q.show):
            self.status("Wait for the experiment to finish first.")
            return
        outcome = s.skip() if how == "skip" else s.reveal()
        panel.show_feedback(Text("Skipped." if outcome.status == "skipped" else "Revealed." if outcome.status == "revealed" else "", style="bold"))
        panel.finish(outcome.explain, outcome.answer, outcome.status)
        self.body.focus()
        self.body.scroll_end(animate=False)
        self.refresh_bindings()

    def action_skip(self) -> None:
        self.give_up("skip")

    def action_reveal(self) -> None:
        self.give_up("reveal")

    def action_check(self) -> None:
        panel = self.current_question()
        if panel:
            panel.check_multi()

    def action_rerun(self) -> None:
        panels = list(self.query(ExperimentPanel))
        if panels:
            panels[0].request_rerun() if panels[0].exp.controls else self.post_message(ExperimentPanel.Rerun(panels[0].exp.id, {}))
        else:
            self.status("This step has no experiment to re-run.")

    def action_continue(self) -> None:
        if self.session.finished:
            self.app.pop_to_catalog()
            return
        self.action_next()

    def action_next(self) -> None:
        s = self.session
        if s.finished:
            self.app.pop_to_catalog()
            return
        why = s.blocked()
        if why:
            self.status(Text(why + " (F3 skips, F4 reveals.)", style="bold"))
            return
        s.next()
        self.show_step()

    def action_back(self) -> None:
        if self.session.position > 0:
            self.session.back()
            self.show_step()

    def action_leave(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self.body.focus()
            return
        self.app.pop_to_catalog()

    def summary(self) -> Text:
        s = self.session
        qs = list(s.lesson.questions().values())
        right = sum(1 for q in qs if s.state(q.id).status == "correct")
        first = sum(1 for q in qs if s.state(q.id).status == "correct" and s.state(q.id).attempts == 1)
        t = Text.assemble(("Lesson complete.\n\n", "bold"), f"{right} of {len(qs)} questions right ({first} at the first try).\n\n")
        if s.lesson.sources:
            t.append("Sources\n", style="bold")
            for src in s.lesson.sources:
                t.append(f"  • {src}\n")
        t.append("\nPress Enter to go back to the catalog.", style="dim")
        return t


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    KEYS = [
        ("Catalog", [("↑ ↓", "move"), ("Enter", "open the lesson"), ("/", "filter"), ("n", "open the suggested lesson"),
                     ("e", "why a lesson failed to load"), ("q", "quit")]),
        ("Lesson", [("Enter / n", "next step, or answer"), ("b", "previous step"), ("h or F2", "a hint"), ("s or F3", "skip the question"),
                    ("v or F4", "reveal the answer"), ("r or F5", "re-run the experiment"), ("c", "check a multi-choice answer"),
                    ("Esc", "leave the input, then back to the catalog")]),
        ("Anywhere", [("? or F1", "this help"), ("Ctrl+P", "commands: open a lesson, new variant, reset, ASCII plots, theme"),
                      ("Ctrl+Q", "quit (progress is always saved)")]),
    ]

    def compose(self) -> ComposeResult:
        text = Text()
        for title, rows in self.KEYS:
            text.append(f"{title}\n", style="bold")
            for key, what in rows:
                text.append(f"  {key:<10} {what}\n")
            text.append("\n")
        text.append("Answers: numbers may be arithmetic (sqrt(2)/2, ln(2), 2/3); lists are separated by commas.\n"
                    "An answer that cannot be read does not use an attempt.", style="dim")
        with Vertical(id="help-box"):
            yield Static(text)


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,enter", "dismiss", "Close")]

    def __init__(self, path: str, problems: list[str]):
        super().__init__()
        self.path = path
        self.problems = problems

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            from pathlib import Path

            where = Path(self.path)
            yield Static(Text.assemble((f"{where.name} does not load", "bold"), f"\n{where.parent}\n\n", "\n".join(self.problems),
                                       ("\n\nFix the file and start the tutor again; `tutor check` lists the same problems.", "dim")))
