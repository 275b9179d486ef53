"""Experiments in worker threads for the lesson screen: run ahead while the learner reads, run the
step on screen, hand results to the session, re-run with new controls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState, get_current_worker

from tutor.core.errors import ExperimentError
from tutor.core.session import Session
from tutor.present.lesson import LessonWords
from tutor.present.text import Line
from tutor.tui.messages import ExperimentReady
from tutor.tui.threads import thread_work
from tutor.tui.widgets.experiment import ExperimentPanel

if TYPE_CHECKING:
    from textual.screen import Screen

    Base = Screen
else:
    Base = object


class Runs(Base):
    session: Session
    words: LessonWords

    def status(self, what: Line | str = "") -> None:  # the screen's status line
        raise NotImplementedError

    def show_step(self) -> None:
        raise NotImplementedError

    def on_experiment_delivered(self) -> None:
        """Called after a result or error reached the panels."""

    @thread_work(group="prefetch")  # not @work(thread=True): that kept a left lesson alive (tutor/tui/threads.py)
    def prefetch(self) -> None:
        """While the learner reads, load the numerics and run the lesson's experiments ahead, so
        that moving to an experiment shows its plot at once. Results for parameters that have
        changed meanwhile are dropped by ``Session.accept``."""
        import plotext  # noqa: F401  (warm the plot renderer's import)

        worker = get_current_worker()
        s = self.session
        for exp_id in list(s.lesson.experiments()):
            if worker.is_cancelled:
                return
            if s.cached(exp_id) is not None or s.failed(exp_id) is not None:
                continue
            version, step = s.prepare(exp_id)
            try:
                result, error = s.runner(step), None
            except ExperimentError as exc:
                result, error = None, str(exc)
            except Exception:
                continue
            self.post_message(ExperimentReady(exp_id, version, result=result, error=error, quiet=True))

    def start(self, exp_id: str) -> None:
        s = self.session
        cached = s.cached(exp_id)
        if cached is not None:
            self.deliver(exp_id, cached, None)
            return
        version, step = s.prepare(exp_id)
        self.status(Line(f"running {exp_id}…", "note"))
        self.run_experiment(exp_id, version, step)

    @thread_work(group="experiment", exclusive=True)
    def run_experiment(self, exp_id: str, version: int, step: Any) -> None:
        worker = get_current_worker()
        try:
            result = self.session.runner(step)
        except ExperimentError as exc:
            if not worker.is_cancelled:
                self.post_message(ExperimentReady(exp_id, version, error=str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(ExperimentReady(exp_id, version, result=result))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS and event.worker.group == "prefetch":
            from tutor.tui import heap

            heap.keep()  # the numerics and the lesson's results are loaded: no full collection on a key
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
        q = s.step.question if s.step is not None else None
        if q is not None:
            missing = s.missing(q)
            if missing:
                self.start(missing[0])
        self.on_experiment_delivered()

    def deliver(self, exp_id: str, result: Any, error: str | None) -> None:
        for panel in self.query(ExperimentPanel):
            if panel.exp.id == exp_id:
                if error:
                    panel.show_error(self.words.experiment_failed(error).text)
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
