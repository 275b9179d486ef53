"""A learner walking through one lesson: the object both the Textual app and plain mode drive.

It holds the lesson's parameters (the variant), the position, the state of every question, and the
results of the experiments run so far; every change is saved to the store as it happens.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tutor.core import checking, computed
from tutor.core import params as P
from tutor.core.errors import ExperimentError, TutorError
from tutor.core.events import Events
from tutor.core.experiment_runs import ExperimentRuns, Readiness
from tutor.core.models import Lesson, Question, Step
from tutor.core.numbers import number
from tutor.core.runner import Runner
from tutor.core.store import QuestionRow, Store

DONE = ("correct", "revealed", "failed")  # a question in one of these is over
SKIPPED = "skipped"  # left unanswered to come back to: still open, but the learner may move on


def is_over(status: str) -> bool:
    """Whether a question with this status is over: answered right, revealed or out of attempts (a
    skipped one is not: it waits for the learner to come back)."""
    return status in DONE


@dataclass
class Outcome:
    """What a submission, skip or reveal did."""

    verdict: checking.Verdict
    status: str
    attempts: int
    attempts_left: int | None
    explain: str | None = None
    answer: str | None = None  # the right answer, once the question is over
    feedback: list[str] = field(default_factory=list)
    waiting: Readiness = "ready"  # "running"/"failed": an experiment that decides it is not there; nothing was recorded

    @property
    def over(self) -> bool:
        return is_over(self.status)


def render(lesson: Lesson, values: Mapping[str, Any]) -> Lesson:
    """The lesson with ``{param}`` placeholders filled in."""
    if not values:
        return lesson
    data = P.substitute(lesson.model_dump(by_alias=True, exclude_unset=True, exclude={"params"}), values)
    data["params"] = {k: v.model_dump(exclude_unset=True) for k, v in lesson.params.items()}
    return Lesson.model_validate(data)


class Session(ExperimentRuns):
    def __init__(
        self,
        lesson: Lesson,
        *,
        store: Store | None = None,
        events: Events | None = None,
        seed: int | None = None,
        params: Mapping[str, Any] | None = None,
        resume: bool = True,
        record: bool = True,
        runner: Runner | None = None,
    ):
        self.source = lesson
        self._runner = runner  # runs an experiment step; None: the installed default (tutor.core.runner)
        self.store = store
        self.events = events or Events(store)
        self.record = record
        # line mode runs an experiment when a question first needs it; the app runs them in worker
        # threads and sets this False, so that nothing here blocks its screen
        self.runs_inline = True
        saved = store.progress(lesson.id) if (store and resume) else None
        if params is not None:
            values = dict(params)
        elif saved and saved.params and seed is None:
            values = {**P.defaults(lesson.params), **{k: v for k, v in saved.params.items() if k in lesson.params}}
        else:
            values = P.draw(lesson.params, seed)
        self.seed = seed
        self._set_params(values)
        self.position = min(saved.position, len(lesson.steps)) if saved else 0
        self.resumed = bool(saved and (saved.position or saved.completed_at))
        self.completed = bool(saved and saved.completed_at)
        self._states: dict[str, QuestionRow] = {}
        if store and not resume:
            store.reset(lesson.id)
        self.emit("session_start", params=self.params, position=self.position, seed=seed)
        self._save_position()
        self.emit("step_viewed", step=self.position, step_kind=self.step.kind if self.step else None)

    # -- parameters and rendering ----------------------------------------------------------
    def _set_params(self, values: Mapping[str, Any]) -> None:
        self.params = dict(values)
        self._rendered = render(self.source, self.params)  # placeholders of computed values still in
        self._computed = {r for st in self._rendered.steps for r in computed.step_refs(st)}
        self._results: dict[str, Any] = {}
        self._errors: dict[str, ExperimentError] = {}
        self.version = getattr(self, "version", 0) + 1
        self.text_version = 0
        self._fill()

    def _fill(self) -> None:
        """Write the values of the experiments run so far into the lesson's words ({exp.key});
        ``text_version`` counts the changes, so a view knows to draw a step's words again."""
        if not self._computed:
            self.lesson = self._rendered
            return
        results = {k: checking.plain(r.values) for k, r in self._results.items() if k in self._computed}
        self.lesson = computed.fill_lesson(self._rendered, results, self.params, frozenset(self._errors))
        self.text_version += 1

    def _changed(self, exp_id: str) -> None:
        if exp_id in self._computed:
            self._fill()

    def _quoted(self, q: Question) -> list[str]:
        source = self._rendered.questions().get(q.id)
        return computed.question_refs(source) if source is not None else []

    def words_need(self, index: int | None = None) -> list[str]:
        """The experiments whose values a step's words quote ({exp.key}) that have neither run nor
        failed: a view runs them before showing the step, or shows it again when they arrive."""
        i = self.position if index is None else index
        if not 0 <= i < len(self._rendered.steps):
            return []
        return sorted(n for n in computed.step_refs(self._rendered.steps[i]) if n not in self._results and n not in self._errors)

    def set_params(self, **changes: Any) -> None:
        """Change parameters (an experiment's controls, or a new variant); re-renders everything."""
        unknown = set(changes) - set(self.source.params)
        if unknown:
            raise TutorError(f"no parameter {sorted(unknown)[0]!r} in this lesson")
        self._set_params({**self.params, **changes})
        self._save_position()

    def new_variant(self, seed: int | None = None) -> None:
        seed = seed if seed is not None else random.randrange(2**31)
        self.seed = seed
        self._set_params(P.draw(self.source.params, seed))
        self._save_position()

    @property
    def lesson_id(self) -> str:
        return self.source.id

    @property
    def total(self) -> int:
        return len(self.lesson.steps)

    @property
    def step(self) -> Step | None:
        return self.lesson.steps[self.position] if self.position < self.total else None

    @property
    def finished(self) -> bool:
        return self.position >= self.total

    def emit(self, event: str, **data: Any) -> None:
        if self.record:
            self.events.emit(event, lesson=self.lesson_id, **data)

    def _save_position(self) -> None:
        if self.store and self.record:
            self.store.save_position(self.lesson_id, self.position, self.total, self.params)

    # -- moving ---------------------------------------------------------------------------
    @property
    def open_question(self) -> Question | None:
        """The question on this step, while it is still open."""
        step = self.step
        if step is not None and step.question is not None and not self.over(step.question):
            return step.question
        return None

    def blocked(self) -> bool:
        """The learner cannot move on: this step's question is still open (and not skipped)."""
        q = self.open_question
        return q is not None and self.state(q.id).status != SKIPPED

    def predicts(self, q: Question) -> bool:
        """A question asked before the experiment that decides it is a prediction: it takes one
        answer, scored as given; the experiment then shows who was right."""
        steps = self.lesson.steps
        at = next((i for i, s in enumerate(steps) if s.question is not None and s.question.id == q.id), None)
        runs = {s.experiment.id: i for i, s in enumerate(steps) if s.experiment is not None}
        return at is not None and any(runs.get(e, -1) > at for e in self.deciding(q))

    def evidence(self, q: Question) -> list[str]:
        """The experiments a question reads that the learner has already met (a prediction shows
        none until it is answered: its experiment comes after it)."""
        if self.predicts(q) and not self.over(q):
            return []
        return [e for e in self.deciding(q) if e in self.lesson.experiments()]

    def unanswered(self) -> list[Question]:
        """Questions skipped or never reached, in lesson order: what the review sends the learner back to."""
        return [q for q in self.lesson.questions().values() if not self.over(q)]

    @property
    def can_go_back(self) -> bool:
        return self.position > 0

    def restart(self) -> None:
        """Begin the lesson again: answers, hints and position forgotten (the parameters kept)."""
        if self.store and self.record:
            self.store.reset(self.lesson_id)
        self._states.clear()
        self.completed = False
        self.resumed = False
        self.position = -1
        self.go(0)
        self.emit("lesson_restarted")

    def go(self, index: int) -> None:
        index = max(0, min(index, self.total))
        if index == self.position:
            return
        self.position = index
        self._save_position()
        if self.finished:
            self._complete()
        else:
            if self.runs_inline:
                for n in self.words_need():
                    try:
                        self.result(n)
                    except ExperimentError:
                        pass
            self.emit("step_viewed", step=index, step_kind=self.step.kind if self.step else None)

    def next(self) -> bool:
        """Move forward; False (and nothing changes) while a question is still open."""
        if self.blocked():
            return False
        self.go(self.position + 1)
        return True

    def back(self) -> None:
        self.go(self.position - 1)

    def _complete(self) -> None:
        if self.store and self.record:
            self.store.complete(self.lesson_id, self.total)
        if not self.completed:
            self.completed = True
            self.emit("lesson_completed", steps=self.total)

    # -- questions ------------------------------------------------------------------------
    def question(self, qid: str | None = None) -> Question:
        if qid is None:
            step = self.step
            if step is None or step.question is None:
                raise TutorError("this step is not a question")
            return step.question
        return self.lesson.questions()[qid]

    def state(self, qid: str) -> QuestionRow:
        if qid not in self._states:
            self._states[qid] = self.store.question(self.lesson_id, qid) if self.store else QuestionRow()
        return self._states[qid]

    def _save_state(self, qid: str) -> None:
        if self.store and self.record:
            self.store.save_question(self.lesson_id, qid, self.state(qid))

    def order(self, q: Question) -> list[int]:
        """The order in which choices are shown: file order unless the question says shuffle."""
        n = len(q.choices or [])
        idx = list(range(n))
        if q.shuffle:
            random.Random(f"{self.lesson_id}:{q.id}:{self.seed}").shuffle(idx)
        return idx

    def _needed(self, q: Question) -> dict[str, dict[str, Any]]:
        """The values of the experiments that decide this question (not the one it only shows)."""
        return {n: self.values(n) for n in self.deciding(q)}

    def over(self, q: Question | None = None) -> bool:
        q = q or self.question()
        return is_over(self.state(q.id).status)

    def hints_left(self, q: Question | None = None) -> int:
        q = q or self.question()
        return max(0, len(q.hints) - self.state(q.id).hints)

    def expected(self, q: Question) -> Any:
        return checking.expected_answer(q, self._needed(q))

    def right_choices(self, q: Question) -> set[int]:
        return checking.correct_choices(q, self._needed(q))

    def answer_text(self, q: Question) -> str:
        """The right answer, as a learner would write it."""
        if q.kind in ("choice", "multi"):
            right = self.right_choices(q)
            shown = self.order(q)
            return ", ".join(f"{shown.index(i) + 1}. {q.choices[i].text}" for i in sorted(right, key=shown.index))  # type: ignore[index]
        if q.kind == "text":
            return (q.accept or [q.pattern or ""])[0]
        return number(self.expected(q))

    def check(self, raw: str, q: Question | None = None) -> checking.Verdict:
        """Check without recording anything (used by ``tutor check`` and live feedback)."""
        q = q or self.question()
        expected = right = None
        if q.kind in ("choice", "multi"):
            right = self.right_choices(q)
        elif q.kind != "text":
            expected = self.expected(q)
        return checking.check(q, raw, expected=expected, right=right, order=self.order(q))

    def submit(self, raw: str) -> Outcome:
        q = self.question()
        st = self.state(q.id)
        if st.status in DONE:
            return self._outcome(q, checking.Verdict(True, st.status == "correct", "This question is already over."), st)
        waiting = self.settle(q) if self.runs_inline else self.ready(q)
        if waiting != "ready":  # nothing to check against yet: no attempt used, nothing recorded
            return Outcome(checking.Verdict(False), st.status, st.attempts, self._left(q, st), waiting=waiting)
        try:
            verdict = self.check(raw, q)
        except ExperimentError as exc:
            verdict = checking.Verdict(False, False, f"The experiment behind this question failed: {exc}")
        if not verdict.readable:
            return self._outcome(q, verdict, st)
        st.attempts += 1
        st.last_answer = raw
        if verdict.correct:
            st.status = "correct"
        elif self._limit(q) is not None and st.attempts >= self._limit(q):  # type: ignore[operator]
            st.status = "failed"
        elif st.status == SKIPPED:
            st.status = "open"  # answered after all
        self._save_state(q.id)
        self.emit(
            "question_submitted",
            question=q.id,
            answer=raw,
            value=verdict.value,
            correct=verdict.correct,
            attempt=st.attempts,
            params=self.params,
        )
        return self._outcome(q, verdict, st)

    def _limit(self, q: Question) -> int | None:
        return 1 if self.predicts(q) else q.attempts

    def _left(self, q: Question, st: QuestionRow) -> int | None:
        limit = self._limit(q)
        return None if limit is None else max(0, limit - st.attempts)

    def _outcome(self, q: Question, verdict: checking.Verdict, st: QuestionRow) -> Outcome:
        over = st.status in DONE
        answer = self.safe_answer(q) if over else None
        return Outcome(verdict, st.status, st.attempts, self._left(q, st), q.explain if over else None, answer, verdict.feedback)

    def safe_answer(self, q: Question) -> str | None:
        """The right answer if it can be told without running anything; None otherwise."""
        if self.ready(q) != "ready":
            return None
        try:
            return self.answer_text(q)
        except TutorError:
            return None

    def hint(self) -> str | None:
        """The next hint, or None when there are no more."""
        q = self.question()
        st = self.state(q.id)
        if st.hints >= len(q.hints):
            return None
        text = q.hints[st.hints]
        st.hints += 1
        self._save_state(q.id)
        self.emit("hint_shown", question=q.id, hint=st.hints)
        return text

    def hints_shown(self, q: Question | None = None) -> list[str]:
        q = q or self.question()
        return q.hints[: self.state(q.id).hints]

    def skip(self) -> Outcome:
        """Leave the question unanswered, to come back to; nothing is revealed or scored."""
        q = self.question()
        st = self.state(q.id)
        if st.status not in DONE and st.status != SKIPPED:
            st.status = SKIPPED
            self._save_state(q.id)
            self.emit("question_submitted", question=q.id, answer=None, correct=False, attempt=st.attempts, action=SKIPPED)
        return Outcome(checking.Verdict(True), st.status, st.attempts, self._left(q, st))

    def reveal(self) -> Outcome:
        return self._give_up("revealed")

    def _give_up(self, status: str) -> Outcome:
        q = self.question()
        st = self.state(q.id)
        if st.status not in DONE and (self.settle(q) if self.runs_inline else self.ready(q)) == "running":  # the answer is not known yet: wait
            return Outcome(checking.Verdict(True), st.status, st.attempts, self._left(q, st), waiting="running")
        if st.status not in DONE:
            st.status = status
            self._save_state(q.id)
            self.emit("question_submitted", question=q.id, answer=None, correct=False, attempt=st.attempts, action=status)
        return self._outcome(q, checking.Verdict(True, st.status == "correct"), st)

