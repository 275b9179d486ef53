"""The lesson screen: one step at a time; experiments run in worker threads.

The session decides (what a step needs, what an attempt costs, when a question is over, what may be
revealed, going back); the presenter words it; this screen only shows and forwards keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from tutor.core.session import Outcome, Session
from tutor.present import commands as C
from tutor.present.lesson import LessonWords
from tutor.present.marks import answer_plot
from tutor.present.progress import bar
from tutor.present.text import Line
from tutor.tui import render
from tutor.tui.host import Host
from tutor.tui.screens.runs import Runs
from tutor.tui.widgets.experiment import ExperimentPanel
from tutor.tui.widgets.live import LivePanel
from tutor.tui.widgets.question import QuestionPanel, TextPanel


def _binding(name: str, description: str, *, show: bool = True, action: str | None = None) -> Binding:
    return Binding(C.find(C.LESSON, name).binding, action or name, description, show=show)


class LessonScreen(Runs, Screen):
    """One step at a time: text, an experiment, or a question; resumes where the learner stopped."""

    BINDINGS = [
        _binding("next", "Next", action="continue"),
        _binding("back", "Back"),
        _binding("hint", "Hint"),
        _binding("skip", "Skip"),
        _binding("reveal", "Reveal"),
        _binding("rerun", "Re-run"),
        _binding("check", "Check", show=False),
        _binding("evidence", "Evidence", show=False),
        _binding("leave", "Catalog"),
        _binding("help", "Help", show=False),
    ]

    CSS_PATH = str(Path(__file__).parent.parent / "lesson.tcss")
    AUTO_FOCUS = None  # focus follows the step (the answer box, or the page), set in show_step

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        session.runs_inline = False  # experiments run in workers here; the session never blocks the screen
        self.panels: dict[tuple[int, int], Vertical] = {}
        self.summary_box: Static | None = None
        self.generation = 0  # a restart builds every step anew
        self.last_outcome: tuple[str, Outcome] | None = None  # the verdict on screen, redrawn when hints run out
        self.words = LessonWords("app", ascii=self.host_ascii())

    def host_ascii(self) -> bool:
        try:
            return bool(cast(Host, self.app).ascii)
        except Exception:  # not attached to an app yet
            return False

    @property
    def host(self) -> Host:
        return cast(Host, self.app)

    def compose(self) -> ComposeResult:
        yield Static("", id="progress")
        yield VerticalScroll(id="body", can_focus=True)
        yield Static("", id="status")
        # one line of keys, written for the step on screen (Textual's Footer rebuilds a widget per
        # key on every change, which costs more than the rest of a step change together)
        yield Static("", id="keys")

    @property
    def typing(self) -> bool:
        return isinstance(self.focused, Input)

    def update_keys(self) -> None:
        pairs = self.words.key_line(self.session, typing=self.typing, on_page=self.focused in (None, self.body))
        self.query_one("#keys", Static).update(render.keys(pairs))

    def on_descendant_focus(self) -> None:
        self.update_keys()

    def on_descendant_blur(self) -> None:
        self.update_keys()

    def on_mount(self) -> None:
        self.words = LessonWords("app", ascii=self.host.ascii)
        self.show_step()
        self.prefetch()
        from tutor.tui import heap

        self.app_frozen = heap.app_frozen()
        self.call_after_refresh(heap.keep)  # the app and the lesson outlive every key (tutor/tui/heap.py)

    app_frozen = False

    def on_unmount(self) -> None:
        from tutor.tui import heap

        heap.release()  # what the lesson froze can be collected now that it is gone
        self.app.call_after_refresh(heap.collect, self.app_frozen)  # once, after the catalog is drawn, not on a key

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#body", VerticalScroll)

    def update_progress(self) -> None:
        s = self.session
        title = s.lesson.title
        width = max(10, self.size.width - len(title) - 28)
        self.query_one("#progress", Static).update(render.text([Line(title, "head")]).append(
            f"  {self.words.step_label(s)}  " + bar(self.words.progress(s), min(20, width), self.host.ascii)))

    _status: Line | str = ""

    def status(self, what: Line | str = "") -> None:
        """The line under the page; left alone when it would not change (an update re-lays the screen)."""
        if what == self._status:
            return
        self._status = what
        self.query_one("#status", Static).update(render.text([what]) if isinstance(what, Line) else what)

    def build(self, index: int) -> Vertical:
        """The widgets of one step, in a container of their own."""
        s = self.session
        step = s.lesson.steps[index]
        ascii = self.host.ascii
        children: list[Any]
        if step.text is not None:
            children = [TextPanel(step.text)]
        elif step.experiment is not None:
            kind = LivePanel if step.experiment.live else ExperimentPanel
            panel = kind(step.experiment, s.source.params, s.params, ascii=ascii)
            cached = s.cached(step.experiment.id)
            if cached is not None:
                panel.show_result(cached)
            children = [panel]
        else:
            q = step.question
            assert q is not None
            children = [QuestionPanel(q, s.order(q), self.words, ascii=ascii)]
        box = Vertical(*children, classes="step", id=f"step-{index}-v{s.version}-g{self.generation}")
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
            self.summary_box = Static(render.rich(self.words.summary(s)), classes="text-step")
            body.mount(self.summary_box)
            self.host.deliver_keys(body)
            body.scroll_home(animate=False)
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
            # keys typed from now on (those right behind this one too) wait for its answer box
            self.host.hold_keys()
            self.setup_question(box.step_panel)  # type: ignore[attr-defined]
        else:
            self.host.deliver_keys(body)
            if step.experiment is not None:
                self.start(step.experiment.id)
                if isinstance(box.step_panel, LivePanel):  # type: ignore[attr-defined]
                    box.step_panel.focus()  # type: ignore[attr-defined]  # its keys play the descent
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
        s, w = self.session, self.words
        q = panel.q
        panel.show_hints(s.hints_shown(q))
        st = s.state(q.id)
        back = w.on_return(st.status, st.attempts)
        panel.show_feedback(render.text([back]) if back else "")
        if s.over(q):
            if st.last_answer and q.kind not in ("choice", "multi"):
                for box in panel.query("#answer").results(Input):
                    box.value = st.last_answer  # what the learner answered, as they left it
            elif st.last_answer:
                panel.show_picked(st.last_answer)
            panel.finish(render.rich(w.ending(st.status, s.safe_answer(q), q.explain)))
            self.host.deliver_keys(self.body)
        else:
            boxes = panel.query("#answer")
            self.host.deliver_keys(boxes.first() if boxes else self.body)  # focus, and the keys typed meanwhile
        for exp_id in s.missing(q):
            self.start(exp_id)
        self.show_evidence(panel)

    def show_evidence(self, panel: QuestionPanel, *, plot: bool | None = None) -> None:
        """The key values of the experiments the question reads, on its screen (and the plot of the
        first when the window is tall, or when the learner asks with e)."""
        from tutor.tui.widgets.experiment import authored

        s = self.session
        parts = []
        for exp_id in s.evidence(panel.q):
            result = s.cached(exp_id)
            if result is not None:
                exp = s.experiment(exp_id)
                typing = panel.q.kind not in ("choice", "multi")
                parts.append((self.words.evidence_title(exp, typing=typing), list(result.summary), authored(result.plots[0], exp) if result.plots else None))
        wanted = plot if plot is not None else (panel.evidence_plot_shown() or self.size.height >= 40)
        panel.show_evidence(parts, with_plot=wanted)

    def action_evidence(self) -> None:
        panel = self.current_question()
        if panel is None or not self.session.evidence(panel.q):
            self.status(Line("This step reads no experiment." if panel is None or not self.session.predicts(panel.q)
                             else "A prediction: the experiment shows once you have answered.", "note"))
            return
        self.show_evidence(panel, plot=not panel.evidence_plot_shown())
        for view in panel.query("#evidence-plot"):
            view.scroll_visible(animate=False)

    def on_experiment_delivered(self) -> None:
        """A question waiting for an experiment: the answer can now be told on return."""
        panel = self.current_question()
        s = self.session
        if panel is not None:
            self.show_evidence(panel)
        if panel is not None and s.over(panel.q):
            st = s.state(panel.q.id)
            panel.finish(render.rich(self.words.ending(st.status, s.safe_answer(panel.q), panel.q.explain)))

    # -- answering ------------------------------------------------------------------------------
    def current_question(self) -> QuestionPanel | None:
        panel = getattr(self.current(), "step_panel", None)
        return panel if isinstance(panel, QuestionPanel) else None

    def on_question_panel_answer(self, msg: QuestionPanel.Answer) -> None:
        s = self.session
        panel = self.current_question()
        if panel is None:
            return
        if s.over(panel.q):
            self.action_next()
            return
        cmd = C.parse(msg.raw, C.LESSON)  # ":hint" typed in the box works as in line mode
        if cmd is not None:
            action = getattr(self, f"action_{cmd.name}", None)
            if cmd.name == "quit":
                action = self.action_leave
            if action is not None:
                action()
            return
        self.answered(panel, s.submit(msg.raw.strip()))

    def answered(self, panel: QuestionPanel, outcome: Outcome) -> None:
        """Show what the session says about an answer, a skip or a reveal."""
        s, w = self.session, self.words
        q = panel.q
        self.status("")
        if outcome.waiting != "ready":
            for exp_id in s.missing(q):
                self.start(exp_id)
            panel.show_feedback(render.text([w.waiting(outcome.waiting == "failed")]))
            return
        self.last_outcome = (q.id, outcome)
        self.show_outcome(panel, outcome)
        shown = s.cached(q.show) if q.show else None
        plot = answer_plot(q, outcome.verdict.value, shown.plots) if shown is not None else None
        if plot is not None:
            panel.show_answer_plot(plot)
        if outcome.over:
            if s.predicts(q):
                self.show_evidence(panel, plot=True)  # a prediction: now the experiment, beside the verdict
            panel.finish(render.rich(w.ending(outcome.status, outcome.answer, outcome.explain)))
            self.body.focus()
            self.body.scroll_end(animate=False)
            self.update_keys()

    def show_outcome(self, panel: QuestionPanel, outcome: Outcome) -> None:
        s = self.session
        panel.show_feedback(render.text(self.words.outcome(panel.q, outcome, hints_left=s.hints_left(panel.q), typing=True)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show in the footer only the keys that do something on this step."""
        s = self.session
        q = s.open_question
        if action in ("hint", "skip", "reveal"):
            return q is not None
        if action == "check":
            return q is not None and q.kind == "multi"
        if action == "rerun":
            return s.finished or (s.step is not None and s.step.experiment is not None)
        if action == "back":
            return s.can_go_back
        return True

    def action_hint(self) -> None:
        panel = self.current_question()
        s = self.session
        if panel is None or s.over(panel.q):
            return
        if s.hint() is None:
            self.status(self.words.no_hint(panel.q))
        panel.show_hints(s.hints_shown(panel.q))
        if self.last_outcome is not None and self.last_outcome[0] == panel.q.id:
            self.show_outcome(panel, self.last_outcome[1])  # "F2 gives a hint." goes once none is left
        for answer in panel.query("#answer"):
            answer.focus()

    def give_up(self, how: str) -> None:
        panel = self.current_question()
        if panel is None:
            return
        self.answered(panel, self.session.skip() if how == "skip" else self.session.reveal())

    def action_skip(self) -> None:
        """Leave the question for later: nothing revealed; Enter or n moves on (the review at the end
        lists it, and coming back to it answers it)."""
        panel = self.current_question()
        if panel is None:
            return
        self.answered(panel, self.session.skip())
        if not self.session.blocked():
            self.body.focus()
            self.update_keys()

    def action_reveal(self) -> None:
        self.give_up("reveal")

    def action_check(self) -> None:
        panel = self.current_question()
        if panel:
            panel.check_multi()

    def action_rerun(self) -> None:
        if self.session.finished:
            self.action_restart()  # at the review, r starts the lesson again
            return
        panel = getattr(self.current(), "step_panel", None)
        if isinstance(panel, ExperimentPanel):
            panel.request_rerun() if panel.exp.controls else self.post_message(ExperimentPanel.Rerun(panel.exp.id, {}))
        else:
            self.status("This step has no experiment to re-run.")

    def action_continue(self) -> None:
        self.action_next()

    def action_next(self) -> None:
        s = self.session
        if s.finished:
            self.host.pop_to_catalog()
            return
        if not s.next():
            self.status(self.words.blocked())
            return
        self.show_step()

    def action_back(self) -> None:
        if self.session.can_go_back:
            self.session.back()
            self.show_step()

    def action_restart(self) -> None:
        self.session.restart()
        for box in self.panels.values():
            box.remove()
        self.panels.clear()
        self.generation += 1
        self.show_step()

    def action_help(self) -> None:
        """The help screen, the keys of where the learner is first (a live step's own keys there)."""
        from tutor.present.help import app_sections
        from tutor.tui.screens.help import HelpScreen

        live = isinstance(self.focused, LivePanel)
        self.app.push_screen(HelpScreen(app_sections(ascii=self.host.ascii, where="live" if live else "lesson")))

    def action_leave(self) -> None:
        if self.focused is not None and self.focused is not self.body:
            self.body.focus()  # Esc leaves a box, a list of choices or a control first; the next Esc the lesson
            return
        self.host.pop_to_catalog()
