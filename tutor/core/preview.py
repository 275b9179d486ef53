"""What an author (or a lecturer) sees before a learner does: one variant of a lesson with its
numbers, every question's right answer and every choice's verdict.

Pure data: ``tutor preview`` prints it, ``tutor quiz preview`` can print a student's questions with
``question_preview`` on that student's session. Nothing here is recorded or shown to learners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tutor.core import params as P
from tutor.core.errors import ExperimentError, TutorError
from tutor.core.models import AnswerFrom, Lesson, Question
from tutor.core.session import Session


@dataclass
class ChoicePreview:
    number: int  # as shown to the learner (1-based, after any shuffle)
    text: str
    right: bool
    rule: str | None = None  # ``correct_if``, when the experiment decides
    feedback: str | None = None


@dataclass
class QuestionPreview:
    id: str
    kind: str
    prompt: str
    answer: str | None  # the right answer as a learner would type it
    value: Any = None  # the value behind it (a number, a list), for numeric and points questions
    tolerance: str = ""
    choices: list[ChoicePreview] = field(default_factory=list)
    decided_by: str | None = None  # the experiment the answer comes from
    prediction: bool = False  # its experiment comes later in the lesson: asked before it runs
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "prompt": self.prompt, "answer": self.answer, "value": self.value,
            "tolerance": self.tolerance, "decided_by": self.decided_by, "prediction": self.prediction, "error": self.error,
            "choices": [{"number": c.number, "text": c.text, "right": c.right, "rule": c.rule, "feedback": c.feedback}
                        for c in self.choices],
        }


@dataclass
class ExperimentPreview:
    id: str
    run: str
    problem: str
    summary: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None


@dataclass
class LessonPreview:
    id: str
    title: str
    seed: int | None
    params: dict[str, Any]
    experiments: list[ExperimentPreview]
    questions: list[QuestionPreview]

    def to_json(self) -> dict[str, Any]:
        return {
            "lesson": self.id, "title": self.title, "seed": self.seed, "params": self.params,
            "experiments": [{"id": e.id, "run": e.run, "problem": e.problem, "summary": dict(e.summary), "error": e.error}
                            for e in self.experiments],
            "questions": [q.to_json() for q in self.questions],
        }


def preview(lesson: Lesson, seed: int | None = None) -> LessonPreview:
    """The variant drawn with ``seed`` (the defaults when None), worked out completely."""
    session = Session(lesson, params=P.draw(lesson.params, seed), seed=seed, record=False, resume=False)
    experiments = []
    for exp in session.lesson.experiments().values():
        item = ExperimentPreview(exp.id, exp.run, exp.problem.name)
        try:
            item.summary = list(session.result(exp.id, emit=False).summary)
        except ExperimentError as exc:
            item.error = str(exc)
        experiments.append(item)
    questions = [question_preview(session, q) for q in session.lesson.questions().values()]
    return LessonPreview(lesson.id, session.lesson.title, seed, dict(session.params), experiments, questions)


def question_preview(session: Session, q: Question) -> QuestionPreview:
    """One question of a session's variant: its right answer and, for choices, each verdict."""
    decided_by = q.answer.from_ if isinstance(q.answer, AnswerFrom) else q.from_
    out = QuestionPreview(q.id, q.kind, q.prompt, None, decided_by=decided_by, prediction=session.predicts(q))
    if q.kind == "expression":
        # compared at random points of the domain, to 1e-6 relative unless the question says otherwise
        rel, abs_ = q.tol if "tolerance" in q.model_fields_set else (1e-6, 1e-9)
        domain = q.domain if q.domain is not None else (-2.0, 2.0)
        where = domain if isinstance(domain, dict) else dict.fromkeys(q.vars or (), domain)
        out.tolerance = f"rel {rel:g}, abs {abs_:g} at random points of " + ", ".join(
            f"{v} in [{lo:g}, {hi:g}]" for v, (lo, hi) in where.items())
    elif q.kind not in ("choice", "multi", "text"):
        rel, abs_ = q.tol
        out.tolerance = f"rel {rel:g}, abs {abs_:g}"
    try:
        if q.kind in ("choice", "multi"):
            right = session.right_choices(q)
            for number, i in enumerate(session.order(q), start=1):
                c = (q.choices or [])[i]
                out.choices.append(ChoicePreview(number, c.text, i in right, c.correct_if, c.feedback))
        elif q.kind not in ("text", "expression"):
            out.value = session.expected(q)
        out.answer = session.answer_text(q)
    except ExperimentError as exc:
        out.error = f"its experiment fails: {exc}"
    except TutorError as exc:
        out.error = str(exc)
    return out

