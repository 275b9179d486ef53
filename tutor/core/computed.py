"""Numbers an experiment computed, written into a lesson's words.

``{curve.min_loss}``, ``{twins.midpoint_loss|.2f}``, ``{pair(barrier / max(loss_a, loss_b))|.0f}``:
a placeholder names an experiment of the lesson, then either ``.`` and a value path (as in
``answer: {from, value}``: ``points[0].eigenvalues[0]``, ``counts.saddle``) or a formula in
parentheses over its values (as in ``answer: {from, expr}``; the lesson's parameters may be used by
name too; no ``: `` inside, so YAML needs no quotes),
and optionally ``|`` and a Python format spec (``.3f``, ``.2g``, ``.0%``). Without a spec a number
is written with 4 significant digits.

The loader checks every placeholder (the experiment exists and comes early enough, the formula and
the spec can be read); the session fills them in once the experiment has run, and until then they
read ``…``; ``tutor check`` fills them for every variant and reports any value that cannot be read.
Placeholders may appear in text steps, an experiment's ``caption`` and ``text``, and a question's
``prompt``, ``hints``, ``explain`` and choices' ``feedback`` (not in a choice's own text, which is
what a learner's typed answer is matched against).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tutor.core import checking, expr
from tutor.core.errors import ExpressionError, TutorError
from tutor.core.models import Lesson, Question, Step
from tutor.core.numbers import number

PENDING = "…"  # what a placeholder reads before its experiment has run
FAILED = "(not computed)"
_PATH = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[-?\d+\])*"
# like a parameter's {name}, not right after a LaTeX command, ^, _ or another group
_REF = re.compile(
    r"(?<![\\A-Za-z0-9^_}])\{(?P<exp>[a-z0-9][a-z0-9_-]{0,63})"
    r"(?:\.(?P<path>" + _PATH + r")|\((?P<expr>[^{}|]+)\))"
    r"\s*(?:\|(?P<spec>[^{}|]*))?\}"
)


@dataclass(frozen=True)
class Ref:
    exp: str
    path: str | None
    formula: str | None
    spec: str | None
    text: str  # the placeholder as written

    def value(self, values: Mapping[str, Any], params: Mapping[str, Any]) -> Any:
        if self.path is not None:
            return checking.plain(checking.lookup(values, self.path))
        assert self.formula is not None
        return checking.plain(expr.over_values(self.formula, {**params, **values}))

    def format(self, value: Any) -> str:
        if self.spec:
            return format(value, self.spec)
        return number(value, 4)


def refs(text: str | None) -> list[Ref]:
    """Every placeholder in a piece of text, in order."""
    if not text or "{" not in text:
        return []
    return [
        Ref(m["exp"], m["path"], m["expr"].strip() if m["expr"] else None, (m["spec"] or "").strip() or None, m[0])
        for m in _REF.finditer(text)
    ]


def problem(ref: Ref) -> str | None:
    """What cannot be read in a placeholder before anything runs: its formula or its format spec."""
    if ref.formula is not None:
        try:
            expr.Expression(ref.formula, conditions=True, free_names=True,
                            functions={**expr.SCALAR_FUNCTIONS, "len": len, "min": min, "max": max, "sum": sum})
        except ExpressionError as exc:
            return f"the formula in {ref.text} cannot be read: {exc}"
    if ref.spec is not None:
        try:
            format(1.5, ref.spec)
        except (ValueError, TypeError):
            return f"{ref.text}: {ref.spec!r} is not a format for a number (try .3f, .2g or .0%)"
    return None


def fill(text: str, results: Mapping[str, Mapping[str, Any]], params: Mapping[str, Any], failed: frozenset[str] = frozenset()) -> str:
    """The text with every placeholder whose experiment has run replaced by its value."""
    if "{" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        ref = refs(m[0])[0]
        if ref.exp in failed:
            return FAILED
        if ref.exp not in results:
            return PENDING
        try:
            return ref.format(ref.value(results[ref.exp], params))
        except (TutorError, ValueError, TypeError):
            return FAILED

    return _REF.sub(one, text)


def evaluate(ref: Ref, results: Mapping[str, Mapping[str, Any]], params: Mapping[str, Any]) -> str | None:
    """Why a placeholder cannot be filled from these results, or None (for ``tutor check``)."""
    try:
        ref.format(ref.value(results[ref.exp], params))
    except TutorError as exc:
        return f"{ref.text} cannot be computed: {exc}"
    except (ValueError, TypeError) as exc:
        return f"{ref.text}: the value cannot be written with the format {ref.spec!r} ({exc})"
    return None


# -- where placeholders may stand in a lesson ----------------------------------------------------


def fields(step: Step) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(location below the step, role, text) of every field of a step that may hold placeholders.
    The role says when the learner reads it: ``before`` the step's own experiment or question is
    decided (text, caption, prompt, hints), ``after`` it (an experiment's text, explain, feedback),
    or ``never`` (a choice's text, where placeholders are not allowed)."""
    if step.text is not None:
        yield ("text",), "before", step.text
    elif step.experiment is not None:
        e = step.experiment
        if e.caption:
            yield ("experiment", "caption"), "before", e.caption
        if e.text:
            yield ("experiment", "text"), "after", e.text
    elif step.question is not None:
        q = step.question
        yield ("question", "prompt"), "before", q.prompt
        for j, h in enumerate(q.hints):
            yield ("question", "hints", j), "before", h
        if q.explain:
            yield ("question", "explain"), "after", q.explain
        for j, c in enumerate(q.choices or []):
            yield ("question", "choices", j, "text"), "never", c.text
            if c.feedback:
                yield ("question", "choices", j, "feedback"), "after", c.feedback


def own_experiments(step: Step) -> set[str]:
    """The experiments a step's 'after' words may name besides earlier ones: an experiment's own
    id, or the experiments a question is decided by or shows."""
    if step.experiment is not None:
        return {step.experiment.id}
    q = step.question
    if q is None:
        return set()
    own = {q.from_, q.show, getattr(q.answer, "from_", None)}
    return {x for x in own if x}


def step_refs(step: Step) -> set[str]:
    """Every experiment the words of a step name."""
    return {r.exp for _, _, text in fields(step) for r in refs(text)}


def question_refs(q: Question) -> list[str]:
    found: list[str] = []
    for _, _, text in fields(Step(question=q)):
        for r in refs(text):
            if r.exp not in found:
                found.append(r.exp)
    return found


def has_refs(lesson: Lesson) -> bool:
    return any(step_refs(s) for s in lesson.steps)


def fill_lesson(lesson: Lesson, results: Mapping[str, Mapping[str, Any]], params: Mapping[str, Any], failed: frozenset[str] = frozenset()) -> Lesson:
    """The lesson with the placeholders filled from the results so far (others read ``…``)."""
    steps = []
    for s in lesson.steps:
        if not step_refs(s):
            steps.append(s)
            continue

        def f(text: str | None) -> str | None:
            return None if text is None else fill(text, results, params, failed)

        if s.text is not None:
            steps.append(s.model_copy(update={"text": f(s.text)}))
        elif s.experiment is not None:
            e = s.experiment
            steps.append(s.model_copy(update={"experiment": e.model_copy(update={"caption": f(e.caption), "text": f(e.text)})}))
        else:
            q = s.question
            assert q is not None
            choices = None if q.choices is None else [c.model_copy(update={"feedback": f(c.feedback)}) for c in q.choices]
            q2 = q.model_copy(update={"prompt": f(q.prompt), "hints": [f(h) for h in q.hints], "explain": f(q.explain), "choices": choices})
            steps.append(s.model_copy(update={"question": q2}))
    return lesson.model_copy(update={"steps": steps})


def check(lesson: Lesson) -> list[tuple[tuple[Any, ...], str]]:
    """Placeholders that cannot work, located in the lesson: an unknown experiment, one the learner
    would read about before it runs, a choice's text, a formula or format that cannot be read."""
    at = {s.experiment.id: i for i, s in enumerate(lesson.steps) if s.experiment is not None}
    out: list[tuple[tuple[Any, ...], str]] = []
    for i, step in enumerate(lesson.steps):
        own = own_experiments(step)
        for loc, role, text in fields(step):
            for r in refs(text):
                where = ("steps", i, *loc)
                if role == "never":
                    out.append((where, f"a choice's text cannot hold a computed value ({r.text}): "
                                       "the learner's answer is matched against it; put the number in the prompt"))
                elif r.exp not in at:
                    have = f"; it has {', '.join(at)}" if at else ""
                    out.append((where, f"{r.text} names experiment {r.exp!r}, which this lesson does not have{have}"))
                elif at[r.exp] >= i and not (role == "after" and r.exp in own):
                    out.append((where, f"{r.text}: experiment {r.exp!r} is step {at[r.exp] + 1}, so this would be read "
                                       "before it runs; name an earlier experiment (or quote it in explain or feedback)"))
                elif (msg := problem(r)) is not None:
                    out.append((where, msg))
    return out
