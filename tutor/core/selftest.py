"""``tutor check``: validate files, then run every experiment and prove each question's reference
answer is accepted and each wrong choice rejected, over several seeded variants."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tutor.core import params as P
from tutor.core.errors import ExperimentError, Problem, TutorError
from tutor.core.loader import Catalog, Loaded
from tutor.core.models import Question
from tutor.core.session import Session

VARIANTS = 5


def seeds(lesson_has_params: bool, variants: int = VARIANTS) -> list[int | None]:
    return [None] + (list(range(1, variants + 1)) if lesson_has_params else [])


def check_lesson(f: Loaded, variants: int = VARIANTS) -> list[Problem]:
    lesson = f.lesson
    assert lesson is not None
    name = str(f.path)
    # keyed without the variant: a problem of the defaults is not repeated for every variant that has it too
    problems: dict[tuple[int, int, str, str], Problem] = {}
    index = {(s.experiment or s.question).id: i for i, s in enumerate(lesson.steps) if (s.experiment or s.question)}  # type: ignore[union-attr]
    label = ""

    def report(item_id: str, key: str, what: str, detail: str) -> None:
        i = index[item_id]
        kind = lesson.steps[i].kind
        line, col = f.at("steps", i, kind, key) if key else f.at("steps", i, kind)
        problems.setdefault((line, col, what, detail), Problem(name, line, col, f"{what}{label}: {detail}"))

    for seed in seeds(bool(lesson.params), variants):
        values = P.draw(lesson.params, seed)
        label = "" if seed is None else f" (variant {seed}: " + ", ".join(f"{k} = {P.fmt(v)}" for k, v in values.items()) + ")"
        try:
            s = Session(lesson, params=values, seed=seed, record=False, resume=False)
        except TutorError as exc:
            line, col = f.at("params")
            problems.setdefault((line, col, str(exc), ""), Problem(name, line, col, f"{exc}{label}"))
            continue
        for exp_id in s.lesson.experiments():
            try:
                s.result(exp_id, emit=False)
            except ExperimentError as exc:
                report(exp_id, "", f"experiment {exp_id!r} fails", str(exc))
        for q in s.lesson.questions().values():
            try:
                for msg in _question_problems(s, q):
                    report(q.id, "", f"question {q.id!r}", msg)
            except ExperimentError:
                report(q.id, "", f"question {q.id!r}", "its experiment fails")
            except TutorError as exc:
                report(q.id, "answer", f"question {q.id!r}", str(exc))
    return list(problems.values())


def _question_problems(s: Session, q: Question) -> Iterable[str]:
    order = s.order(q)
    if q.kind in ("choice", "multi"):
        right = s.right_choices(q)
        if q.kind == "choice" and len(right) != 1:
            yield f"exactly one choice must be right, but {len(right)} are" + _which(q, right)
            return
        if q.kind == "multi" and not right:
            yield "no choice is right"
            return
        shown = [order.index(i) + 1 for i in sorted(right)]
        if not s.check(", ".join(map(str, shown)), q).correct:
            yield "the right choices are not accepted"
        for i in range(len(q.choices or [])):
            if i in right and q.kind == "choice":
                continue
            wrong = ({i} if q.kind == "choice" else right ^ {i}) or {i}
            raw = ", ".join(str(order.index(j) + 1) for j in sorted(wrong))
            if s.check(raw, q).correct:
                yield f"the wrong answer {raw} is accepted"
        return
    if q.kind == "text":
        if q.accept and not s.check(q.accept[0], q).correct:
            yield f"its own accepted answer {q.accept[0]!r} is rejected"
        if s.check("zq-not-an-answer-xv", q).correct:
            yield "accepts anything"
        return
    expected = s.expected(q)
    if q.kind == "numeric":
        try:
            x = float(expected)
        except (TypeError, ValueError):
            yield f"the experiment's value {expected!r} is not a number"
            return
        if x != x:
            yield "the experiment's value is NaN"
            return
        if not s.check(repr(x), q).correct:
            yield f"the reference answer {x!r} is rejected"
        off = x + max(1.0, abs(x)) * 0.5 + 1.0
        if s.check(repr(off), q).correct:
            yield f"a wrong answer {off!r} is accepted: is the tolerance too wide?"
    elif q.kind == "points":
        xs: list[Any] = expected if isinstance(expected, list) else [expected]
        if not xs:
            yield "the experiment gives no values to answer with"
            return
        if not s.check(", ".join(repr(float(v)) for v in xs), q).correct:
            yield f"the reference answer {xs} is rejected"
        if len(xs) > 1 and s.check(", ".join(repr(float(v)) for v in xs[1:]), q).correct:
            yield "an answer missing a value is accepted"
        if s.check(", ".join(repr(float(v) + 1.0 + abs(float(v))) for v in xs), q).correct:
            yield "shifted values are accepted: is the tolerance too wide?"
    elif q.kind == "expression":
        if not s.check(str(expected), q).correct:
            yield f"the answer formula {expected!r} does not match itself"
        if s.check(f"({expected}) + 1", q).correct:
            yield "a different formula is accepted"


def _which(q: Question, right: set[int]) -> str:
    if not right:
        return ""
    return " (" + "; ".join(repr((q.choices or [])[i].text) for i in sorted(right)) + ")"


def check_quiz(f: Loaded, cat: Catalog) -> list[Problem]:
    quiz = f.quiz
    assert quiz is not None
    out = []
    for i, item in enumerate(quiz.questions):
        if item.lesson not in cat.lessons:
            broken = [b for b in cat.broken if b.id == item.lesson]
            why = f" (the lesson file {broken[0].path} has errors)" if broken else ""
            line, col = f.at("questions", i, "lesson")
            out.append(Problem(str(f.path), line, col, f"no lesson {item.lesson!r}{why}"))
            continue
        lesson = cat.lessons[item.lesson].lesson
        assert lesson is not None
        if item.question not in lesson.questions():
            line, col = f.at("questions", i, "question")
            out.append(Problem(str(f.path), line, col, f"lesson {item.lesson!r} has no question {item.question!r}; it has "
                               + ", ".join(lesson.questions())))
    return out
