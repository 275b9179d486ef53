"""``tutor check``: validate files, then run every experiment and prove each question's reference
answer is accepted and each wrong choice rejected, over several seeded variants."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tutor.core import checking, computed
from tutor.core import params as P
from tutor.core.errors import ExperimentError, Problem, TutorError
from tutor.core.loader import Catalog, Loaded
from tutor.core.models import Question
from tutor.core.session import Session, render

VARIANTS = 5


def seeds(lesson_has_params: bool, variants: int = VARIANTS) -> list[int | None]:
    return [None] + (list(range(1, variants + 1)) if lesson_has_params else [])


@dataclass(frozen=True)
class Key:
    """Which choices of one choice or multi question are right in one variant (``tutor check --keys``)."""

    path: str
    line: int
    col: int
    question: str
    variant: str  # "defaults" or "variant 3: y = 2.25"
    right: tuple[str, ...]  # "2. A maximum", numbered as shown
    decided: bool  # some choice has correct_if: the experiment decides


def check_lesson(f: Loaded, variants: int = VARIANTS, keys: list[Key] | None = None) -> list[Problem]:
    """Every problem of one lesson over the defaults and ``variants`` seeded variants. With ``keys``
    (a list), also collect the right choices of every choice question in every variant."""
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
        _computed_problems(s, f, lesson, label, problems)
        for q in s.lesson.questions().values():
            if keys is not None and q.choices:
                _collect_key(s, f, q, seed, label, index[q.id], keys)
            try:
                for msg in _question_problems(s, q):
                    report(q.id, "", f"question {q.id!r}", msg)
            except ExperimentError:
                report(q.id, "", f"question {q.id!r}", "its experiment fails")
            except TutorError as exc:
                report(q.id, "answer", f"question {q.id!r}", str(exc))
    return list(problems.values())


def _computed_problems(s: Session, f: Loaded, lesson: Any, label: str, problems: dict[tuple[int, int, str, str], Problem]) -> None:
    """Every {experiment.value} placeholder can be computed from its experiment in this variant."""
    results = {e: checking.plain(r.values) for e in lesson.experiments() if (r := s.cached(e)) is not None}
    rendered = render(lesson, s.params)
    for i, step in enumerate(rendered.steps):
        for loc, _role, text in computed.fields(step):
            for ref in computed.refs(text):
                if ref.exp not in results:
                    continue  # the experiment failed: reported already
                msg = computed.evaluate(ref, results, s.params)
                if msg:
                    line, col = f.at("steps", i, *loc)
                    problems.setdefault((line, col, msg, ""), Problem(str(f.path), line, col, msg + label))


def _collect_key(s: Session, f: Loaded, q: Question, seed: int | None, label: str, i: int, keys: list[Key]) -> None:
    try:
        right = s.right_choices(q)
    except TutorError:
        return
    order = s.order(q)
    line, col = f.at("steps", i, "question")
    shown = tuple(f"{order.index(j) + 1}. {(q.choices or [])[j].text}" for j in sorted(right, key=order.index))
    variant = "defaults" if seed is None else label.strip(" ()")
    keys.append(Key(str(f.path), line, col, q.id, variant, shown, any(c.correct_if for c in q.choices or [])))


def flipping(keys: list[Key]) -> list[str]:
    """A note for every question whose right choices differ between variants: the author should
    see that the key depends on the parameters, and mean it."""
    by_q: dict[tuple[str, str], list[Key]] = {}
    for k in keys:
        by_q.setdefault((k.path, k.question), []).append(k)
    notes = []
    for rows in by_q.values():
        if len({r.right for r in rows}) > 1:
            r0 = rows[0]
            ways = "; ".join(f"{r.variant}: {', '.join(x.split('.')[0] for x in r.right) or 'none'}" for r in rows)
            notes.append(f"{r0.path}:{r0.line}:{r0.col}: note: question {r0.question!r}: the right choices change with the parameters ({ways})")
    return notes


def key_table(keys: list[Key]) -> list[str]:
    """``tutor check --keys``: per question, per variant, the choices that are right."""
    lines: list[str] = []
    current = None
    for k in sorted(keys, key=lambda k: (k.path, k.line)):
        if (k.path, k.question) != current:
            current = (k.path, k.question)
            lines.append(f"{k.path}:{k.line}:{k.col}: {k.question}" + ("  (decided by its experiment)" if k.decided else ""))
        lines.append(f"    {k.variant}: " + ("; ".join(k.right) or "none"))
    return lines


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
