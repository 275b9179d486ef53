"""Checking a learner's answer against what the lesson (or its experiment) says is right.

An answer that cannot be read is told so and costs no attempt: ``Verdict.readable`` is False.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tutor.core import expr
from tutor.core.errors import ExpressionError, TutorError
from tutor.core.models import AnswerFrom, Question


@dataclass
class Verdict:
    readable: bool
    correct: bool = False
    message: str = ""
    value: Any = None  # what was read: a float, a list, choice indexes (file order), text
    feedback: list[str] = field(default_factory=list)  # what the chosen wrong options say


class ValueNotFound(TutorError):
    pass


_PATH = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\.([A-Za-z_][A-Za-z0-9_]*)|\[(-?\d+)\]")


def lookup(values: Mapping[str, Any], key: str) -> Any:
    """``minima[0]``, ``counts.saddle``, ``points[2].loss`` in an experiment's values."""
    node: Any = values
    pos = 0
    while pos < len(key):
        m = _PATH.match(key, pos)
        if not m:
            raise ValueNotFound(f"cannot read the value path {key!r}")
        name = m.group(1) or m.group(2)
        try:
            if name is not None:
                node = node[name]
            else:
                node = node[int(m.group(3))]
        except (KeyError, IndexError, TypeError):
            have = f"; it has {', '.join(sorted(values))}" if pos == 0 else ""
            raise ValueNotFound(f"the experiment gives no value {key!r}{have}") from None
        pos = m.end()
    return node


def plain(value: Any) -> Any:
    """numpy scalars and arrays as Python floats and lists (duck-typed: the core imports no numpy)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def close(x: float, y: float, rel: float, abs_: float) -> bool:
    return abs(x - y) <= max(abs_, rel * abs(y))


def expected_answer(q: Question, values: Mapping[str, Mapping[str, Any]]) -> Any:
    """The right answer: the literal in the file, or the value an experiment computed."""
    if isinstance(q.answer, AnswerFrom):
        if q.answer.expr is not None:
            try:
                return plain(expr.over_values(q.answer.expr, {k: plain(v) for k, v in values[q.answer.from_].items()}))
            except ExpressionError as exc:
                raise ValueNotFound(f"the answer formula {q.answer.expr!r} cannot be computed: {exc}") from None
        return plain(lookup(values[q.answer.from_], q.answer.value or ""))
    return q.answer


def correct_choices(q: Question, values: Mapping[str, Mapping[str, Any]]) -> set[int]:
    """Indexes (file order) of the right choices; ``correct_if`` is decided by the experiment."""
    right = set()
    for i, c in enumerate(q.choices or []):
        if c.correct_if:
            if expr.condition(c.correct_if, {k: plain(v) for k, v in values[q.from_ or ""].items()}):
                right.add(i)
        elif c.correct:
            right.add(i)
    return right


def read_choices(q: Question, raw: str, order: Sequence[int]) -> list[int]:
    """The choices a learner named, by number as shown or by text; returned in file order."""
    text = raw.strip()
    if len(text) > 2000:
        raise ExpressionError("too long; answer with a choice's number or its text")
    choices = q.choices or []
    norm = _norm(text)
    for i, c in enumerate(choices):
        if _norm(c.text) == norm:
            return [i]
    if len(norm) >= 3 and not norm.replace(",", " ").replace(" ", "").isdigit():
        pattern = re.compile(r"(?<!\w)" + re.escape(norm) + r"(?!\w)")
        containing = [i for i, c in enumerate(choices) if pattern.search(_norm(c.text))]
        if len(containing) == 1:
            return containing
        if len(containing) > 1:
            raise ExpressionError(f"{_clip(text)!r} fits more than one choice; answer with its number")
    picked: list[int] = []
    for part in re.split(r"[,;\s]+", text):
        if not part:
            continue
        if not _ASCII_NUMBER.fullmatch(part):  # not "³" or "٣": str.isdigit() says yes to those
            raise ExpressionError(f"answer with the numbers shown (1 to {len(order)}) or a choice's text")
        n = int(part)
        if not 1 <= n <= len(order):
            raise ExpressionError(f"there is no choice {_clip(part)}; the choices are 1 to {len(order)}")
        if order[n - 1] not in picked:
            picked.append(order[n - 1])
    if not picked:
        raise ExpressionError("no choice given")
    if q.kind == "choice" and len(picked) > 1:
        raise ExpressionError("pick one choice")
    return picked


_ASCII_NUMBER = re.compile(r"[0-9]{1,12}")  # plain digits, short enough for int() and a message


def _clip(text: str, limit: int = 40) -> str:
    """At most ``limit`` characters of what a learner typed, for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".")


def check(q: Question, raw: str, *, expected: Any = None, right: set[int] | None = None, order: Sequence[int] | None = None) -> Verdict:
    """Check one raw answer. ``expected`` is the resolved answer; ``right`` the correct choices."""
    try:
        if q.kind in ("choice", "multi"):
            order = list(order) if order is not None else list(range(len(q.choices or [])))
            picked = read_choices(q, raw, order)
            right = right or set()
            ok = set(picked) == right
            fb = [text for i in picked if i not in right and (text := (q.choices or [])[i].feedback)]
            msg = "" if ok else _multi_hint(set(picked), right) if q.kind == "multi" else ""
            return Verdict(True, ok, msg, picked, fb)
        if q.kind == "numeric":
            x = expr.number(raw)
            want = float(expected)
            rel, abs_ = q.tol
            return Verdict(True, close(x, want, rel, abs_), "", x)
        if q.kind == "points":
            xs = expr.numbers(raw)
            wanted = [float(v) for v in (expected if isinstance(expected, (list, tuple)) else [expected])]
            rel, abs_ = q.tol
            ok, msg = _match_points(xs, wanted, rel, abs_)
            return Verdict(True, ok, msg, xs)
        if q.kind == "expression":
            return _check_expression(q, raw, str(expected))
        if q.kind == "text":
            if len(raw) > 2000:
                raise ExpressionError("too long")
            if q.accept and _norm(raw) in {_norm(a) for a in q.accept}:
                return Verdict(True, True, "", raw.strip())
            if q.pattern and re.fullmatch(q.pattern, raw.strip(), flags=re.IGNORECASE):
                return Verdict(True, True, "", raw.strip())
            return Verdict(True, False, "", raw.strip())
    except ExpressionError as exc:
        return Verdict(False, False, f"Can't read this: {exc}. It did not use an attempt.")
    raise AssertionError(q.kind)


def _multi_hint(picked: set[int], right: set[int]) -> str:
    if picked < right:
        return "Some right choices are missing."
    if picked > right:
        return "You picked one or more that are not right."
    return ""


def _match_points(xs: list[float], want: list[float], rel: float, abs_: float) -> tuple[bool, str]:
    if len(xs) != len(want):
        return False, f"You gave {len(xs)} value{'s' * (len(xs) != 1)}; the answer has {len(want)}."
    # bipartite matching (augmenting paths): each given value must match a distinct expected one
    match: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j, w in enumerate(want):
            if j not in seen and close(xs[i], w, rel, abs_):
                seen.add(j)
                if j not in match or augment(match[j], seen):
                    match[j] = i
                    return True
        return False

    ok = all(augment(i, set()) for i in range(len(xs)))
    return ok, ""


def _check_expression(q: Question, raw: str, answer: str) -> Verdict:
    names = tuple(q.vars or ())
    given = expr.Expression(raw, variables=names)
    try:
        truth = expr.Expression(answer, variables=names)
    except ExpressionError as exc:
        raise TutorError(f"the lesson's answer {answer!r} is not a valid formula: {exc}") from None
    domain = q.domain if q.domain is not None else (-2.0, 2.0)
    explicit = "tolerance" in q.model_fields_set
    rel, abs_ = q.tol if explicit else (1e-6, 1e-9)
    rng = random.Random(f"expression:{q.id}")
    compared = 0
    undefined: tuple[str, str, float] | None = None  # the first point where only the right formula has a value
    for _ in range(40):
        point = {}
        for v in names:
            lo, hi = domain[v] if isinstance(domain, dict) and v in domain else domain if isinstance(domain, tuple) else (-2.0, 2.0)
            point[v] = rng.uniform(lo, hi)
        try:
            want = float(truth.value(**point))
        except ExpressionError:
            continue
        if not math.isfinite(want):
            continue
        at = ", ".join(f"{k} = {v:.3g}" for k, v in point.items())
        try:
            got = float(given.value(**point))
        except ExpressionError as exc:
            undefined = undefined or (at, str(exc), want)
            continue
        compared += 1
        if not close(got, want, rel, abs_):
            return Verdict(True, False, f"At {at} your formula gives {got:.4g}, the right one {want:.4g}.", raw.strip())
        if compared >= 16:
            break
    if undefined is not None:
        at, why, want = undefined
        if compared == 0:  # no value anywhere, like (-1)**0.5: not a formula of these variables at all
            raise ExpressionError(f"your formula has no value at any point tried ({why})")
        where = f"At {at} your formula" if at else "Your formula"
        return Verdict(True, False, f"{where} has no value ({why}); the right one gives {want:.4g}.", raw.strip())
    return Verdict(True, True, "", raw.strip())
