"""The experiments of a session: run once per set of parameters (here, or in a view's worker
thread), remembered with their failures, and which of them a question still needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from tutor.core.errors import ExperimentError
from tutor.core.models import Experiment, Lesson, Question

if TYPE_CHECKING:
    from tutor.core.runner import Runner

Readiness = Literal["ready", "running", "failed"]


class ExperimentRuns:
    """Part of ``Session``: the results of its experiments for the current parameters."""

    lesson: Lesson
    params: dict[str, Any]
    version: int
    _runner: Runner | None
    _results: dict[str, Any]
    _errors: dict[str, ExperimentError]

    def emit(self, event: str, **data: Any) -> None:
        raise NotImplementedError

    def _changed(self, exp_id: str) -> None:
        """An experiment's result or failure arrived or was dropped (the session refills its words)."""

    def _quoted(self, q: Question) -> list[str]:
        """The experiments a question's words quote ({exp.key}); the session reads them."""
        return []

    def experiment(self, exp_id: str) -> Experiment:
        return self.lesson.experiments()[exp_id]

    @property
    def runner(self) -> Runner:
        """What runs an experiment step: the one handed in, else the installed default. Views that
        run experiments in worker threads call it there and hand the result to ``accept``."""
        from tutor.core import runner

        return self._runner or runner.default()

    def result(self, exp_id: str, *, emit: bool = True) -> Any:
        """Run (once per set of parameters) and return the experiment's Result."""
        if exp_id in self._errors:
            raise self._errors[exp_id]
        if exp_id not in self._results:
            try:
                self._results[exp_id] = self.runner(self.experiment(exp_id))
            except ExperimentError as exc:
                self._errors[exp_id] = exc
                self._changed(exp_id)
                raise
            self._changed(exp_id)
            if emit:
                self.emit("experiment_run", experiment=exp_id, params=self.params)
        return self._results[exp_id]

    # For views that run experiments in a worker thread: take the step (and the version of the
    # parameters it was rendered with), run it anywhere, and hand the result back; a result for
    # parameters that have changed since is dropped.
    def cached(self, exp_id: str) -> Any | None:
        return self._results.get(exp_id)

    def failed(self, exp_id: str) -> ExperimentError | None:
        return self._errors.get(exp_id)

    def forget(self, exp_id: str) -> None:
        """Drop a result so that the experiment runs again."""
        self._results.pop(exp_id, None)
        self._errors.pop(exp_id, None)
        self._changed(exp_id)

    def prepare(self, exp_id: str) -> tuple[int, Experiment]:
        return self.version, self.experiment(exp_id)

    def accept(self, exp_id: str, version: int, result: Any = None, error: ExperimentError | None = None) -> bool:
        if version != self.version:
            return False
        if error is not None:
            self._errors[exp_id] = error
        else:
            new = exp_id not in self._results
            self._results[exp_id] = result
            if new:
                self.emit("experiment_run", experiment=exp_id, params=self.params)
        self._changed(exp_id)
        return True

    def deciding(self, q: Question) -> list[str]:
        """The experiments whose values decide the answer (not one the question only shows)."""
        return [n for n in self.needed_experiments(q) if n in (getattr(q.answer, "from_", None), q.from_)]

    def ready(self, q: Question) -> Readiness:
        """Whether the question can be checked now: every deciding experiment has run ("ready"),
        one failed ("failed"), or one has not run yet ("running")."""
        names = self.deciding(q)
        if any(n in self._errors for n in names):
            return "failed"
        return "ready" if all(n in self._results for n in names) else "running"

    def missing(self, q: Question) -> list[str]:
        """The experiments this question needs (deciding or shown) that have neither run nor failed."""
        return [n for n in self.needed_experiments(q) if n not in self._results and n not in self._errors]

    def settle(self, q: Question) -> Readiness:
        """Run what the question needs here and now (line mode, checks); a failure is remembered."""
        for n in self.needed_experiments(q):
            try:
                self.result(n)
            except ExperimentError:
                pass
        return self.ready(q)

    def needed_experiments(self, q: Question) -> list[str]:
        names = []
        if q.answer is not None and hasattr(q.answer, "from_"):
            names.append(q.answer.from_)
        if q.from_ and q.from_ not in names:
            names.append(q.from_)
        if q.show and q.show not in names:
            names.append(q.show)
        names += [n for n in self._quoted(q) if n not in names]  # quoted in its prompt, hints, explanation or feedback
        return names

    def values(self, exp_id: str) -> dict[str, Any]:
        return self.result(exp_id).values

