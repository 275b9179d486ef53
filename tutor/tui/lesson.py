"""The lesson screen: one step at a time; experiments run in worker threads."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tutor.core.errors import ExperimentError, TutorError
from tutor.core.session import Session
from tutor.tui.catalog import bar
from tutor.tui.panels import ExperimentPanel, QuestionPanel, TextPanel

if TYPE_CHECKING:
    from tutor.tui.app import TutorApp


class ExperimentReady(Message):
    def __init__(self, exp_id: str, version: int, result: Any = None, error: str | None = None, quiet: bool = False):
        super().__init__()
        self.exp_id = exp_id
        self.version = version
        self.result = result
        self.error = error
        self.quiet = quiet  # from the prefetch: no notification unless the step is on screen


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
    CSS_PATH = str(Path(__file__).with_name("lesson.tcss"))
    AUTO_FOCUS = None  # focus follows the step (the answer box, or the page), set in show_step

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.panels: dict[tuple[int, int], Vertical] = {}
        self.summary_box: Static | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="progress")
        yield VerticalScroll(id="body", can_focus=True)
        yield Static("", id="status")
        # one line of keys, written for the step on screen (Textual's Footer rebuilds a widget per
        # key on every change, which costs more than the rest of a step change together)
        yield Static("", id="keys")

    def update_keys(self) -> None:
        s = self.session
        step = s.step
        typing = isinstance(self.focused, Input)
        keys: list[tuple[str, str]] = []
        if s.finished:
            keys = [("Enter", "catalog")]
        elif step is not None and step.question is not None and s.state(step.question.id).status not in (
                "correct", "revealed", "skipped", "failed"):
            keys = [("F2" if typing else "h", "hint"), ("F3" if typing else "s", "skip"), ("F4" if typing else "v", "reveal")]
            if step.question.kind == "multi":
                keys.append(("c", "check"))
            keys.append(("Esc", "leave the box" if typing else "catalog"))
        else:
            keys = [("Enter/n", "next")]
            if step is not None and step.experiment is not None:
                keys.append(("r", "re-run"))
            keys.append(("Esc", "catalog"))
        if s.position > 0 and not typing:
            keys.insert(1, ("b", "back"))
        keys.append(("?", "help"))
        text = Text()
        for k, what in keys:
            text.append(k, style="bold")
            text.append(f" {what}  ")
        self.query_one("#keys", Static).update(text)

    def on_descendant_focus(self) -> None:
        self.update_keys()

    def on_descendant_blur(self) -> None:
        self.update_keys()

    def on_mount(self) -> None:
        self.show_step()
        self.prefetch()

    @work(thread=True, group="prefetch", exit_on_error=False)
    def prefetch(self) -> None:
        """While the learner reads, load the numerics and run the lesson's experiments ahead, so
        that moving to an experiment shows its plot at once. Results for parameters that have
        changed meanwhile are dropped by ``Session.accept``."""
        import plotext  # noqa: F401  (warm the plot renderer's import)

        from tutor.experiments import run_step

        worker = get_current_worker()
        s = self.session
        for exp_id in list(s.lesson.experiments()):
            if worker.is_cancelled:
                return
            if s.cached(exp_id) is not None or s.failed(exp_id) is not None:
                continue
            version, step = s.prepare(exp_id)
            try:
                result, error = run_step(step), None
            except ExperimentError as exc:
                result, error = None, str(exc)
            except Exception:
                continue
            self.post_message(ExperimentReady(exp_id, version, result=result, error=error, quiet=True))

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

    def build(self, index: int) -> Vertical:
        """The widgets of one step, in a container of their own."""
        s = self.session
        step = s.lesson.steps[index]
        ascii = self.app.ascii
        children: list[Any]
        if step.text is not None:
            children = [TextPanel(step.text), Static(Text("Enter or n: next · b: back", style="dim"), classes="help")]
        elif step.experiment is not None:
            panel = ExperimentPanel(step.experiment, s.source.params, s.params, ascii=ascii)
            cached = s.cached(step.experiment.id)
            if cached is not None:
                panel.show_result(cached)
            children = [panel]
        else:
            q = step.question
            assert q is not None
            children = [QuestionPanel(q, s.order(q), ascii=ascii)]
        box = Vertical(*children, classes="step", id=f"step-{index}-v{s.version}")
        box.step_panel = children[0]  # type: ignore[attr-defined]
        return box

    def current(self) -> Vertical | None:
        return self.panels.get((self.session.position, self.session.version))

    def show_step(self) -> None:
        """Show the session's current step. Steps stay mounted (hidden) once built, and the next
        one is built while the learner reads this one, so that moving on only swaps what shows."""
        s = self.session
        self.update_progress()
        self.status("")
        body = self.body
        key = (s.position, s.version)
        for k, box in list(self.panels.items()):
            if k[1] != s.version:  # parameters changed: the text of every step may have too
                box.remove()
                del self.panels[k]
            else:
                box.display = k == key
        if self.summary_box is not None:
            self.summary_box.remove()
            self.summary_box = None
        if s.finished:
            self.summary_box = Static(self.summary(), classes="text-step")
            body.mount(self.summary_box)
            body.focus()
            self.update_keys()
            return
        if key not in self.panels:
            box = self.build(s.position)
            self.panels[key] = box
            body.mount(box)
        box = self.panels[key]
        step = s.step
        assert step is not None
        if step.question is not None:
            self.setup_question(box.step_panel)  # type: ignore[attr-defined]
        else:
            body.focus()
            if step.experiment is not None:
                self.start(step.experiment.id)
        body.scroll_home(animate=False)
        self.update_keys()
        self.call_after_refresh(self.premount, s.position + 1)

    def premount(self, index: int) -> None:
        s = self.session
        key = (index, s.version)
        if index >= s.total or key in self.panels:
            return
        box = self.build(index)
        box.display = False
        self.panels[key] = box
        self.body.mount(box)

    def on_question_panel_ready(self, msg: QuestionPanel.Ready) -> None:
        if msg.panel is self.current_question():
            self.setup_question(msg.panel)

    def setup_question(self, panel: QuestionPanel) -> None:
        if not panel.is_mounted:
            return  # on_question_panel_ready calls again once it is
        s = self.session
        q = panel.q
        panel.show_hints(s.hints_shown(q))
        st = s.state(q.id)
        if st.status in ("correct", "revealed", "skipped", "failed"):
            label = {"correct": "You answered this correctly.", "revealed": "You revealed this answer.",
                     "skipped": "You skipped this question.", "failed": "No attempts left on this one."}[st.status]
            panel.show_feedback(Text(label, style="bold"))
            if st.last_answer and q.kind not in ("choice", "multi"):
                for box in panel.query("#answer").results(Input):
                    box.value = st.last_answer  # what the learner answered, as they left it
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
        if msg.quiet and (s.cached(msg.exp_id) is not None or s.failed(msg.exp_id) is not None):
            return  # the step's own run got there first
        if not s.accept(msg.exp_id, msg.version, msg.result, err):
            return
        on_screen = any(p.exp.id == msg.exp_id for p in self.query(ExperimentPanel))
        if msg.quiet and not on_screen:
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
        panel = self.current_question()
        if panel is None:
            return
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
                text.append("\nPress F2 for a hint.", style="dim")
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
            self.update_keys()

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
        panel = getattr(self.current(), "step_panel", None)
        return panel if isinstance(panel, QuestionPanel) else None

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
        self.update_keys()

    def action_skip(self) -> None:
        self.give_up("skip")

    def action_reveal(self) -> None:
        self.give_up("reveal")

    def action_check(self) -> None:
        panel = self.current_question()
        if panel:
            panel.check_multi()

    def action_rerun(self) -> None:
        panel = getattr(self.current(), "step_panel", None)
        panels = [panel] if isinstance(panel, ExperimentPanel) else []
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
