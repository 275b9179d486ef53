"""Property tests (issue 13): whatever a lesson file or a learner's answer holds, the loader and the
answer readers and checkers give a result or the tutor's own error, never another exception, and no
case takes 2 s.

The suite runs a bounded, derandomized number of cases (``TUTOR_FUZZ_EXAMPLES``, default 60 per
property); ``python bench/bench_fuzz.py`` runs 10 000 per property with fresh random cases.
Experiment options are fuzzed by their owners (tests of the lab); nothing here runs an experiment.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import LESSONS
from tutor.core import checking, expr
from tutor.core.errors import ExpressionError, TutorError
from tutor.core.loader import load_file
from tutor.core.models import Question

EXAMPLES = int(os.environ.get("TUTOR_FUZZ_EXAMPLES", "60"))
LONG = EXAMPLES > 1000
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=2000,  # ms: a case over 2 s fails
    derandomize=not LONG,  # the suite sees the same cases every run; the long run new ones
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

FILES = sorted(LESSONS.glob("*.yaml")) + sorted((LESSONS / "quizzes").glob("*.yaml"))
TEXTS = {f.name: f.read_bytes() for f in FILES}
DATA = {f.name: yaml.safe_load(f.read_text(encoding="utf-8")) for f in FILES}


def _load(tmp: Path, content: bytes) -> None:
    path = tmp / "fuzzed.yaml"
    path.write_bytes(content)
    result = load_file(path)  # "never raises for a bad file"
    assert result.ok or result.problems
    for p in result.problems:
        assert p.path == str(path) and p.line >= 1 and p.col >= 1 and p.message
        assert len(p.message) < 2000, p.message[:200]  # a problem names the place; it does not echo the file


# -- the loader ------------------------------------------------------------------------------------

@FUZZ
@given(st.text(max_size=3000))
def test_random_text_loads_or_says_why(tmp_path_factory, text):
    _load(tmp_path_factory.mktemp("t"), text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_load_or_say_why(tmp_path_factory, data):
    _load(tmp_path_factory.mktemp("b"), data)


BYTE_EDITS = st.lists(st.tuples(st.sampled_from(["replace", "insert", "delete"]), st.integers(0, 10**6), st.binary(min_size=1, max_size=4)),
                      min_size=1, max_size=8)


@FUZZ
@given(st.sampled_from(sorted(TEXTS)), BYTE_EDITS)
def test_byte_mutations_of_the_builtin_lessons(tmp_path_factory, name, edits):
    data = bytearray(TEXTS[name])
    for op, where, chunk in edits:
        i = where % (len(data) + 1)
        if op == "replace":
            data[i:i + len(chunk)] = chunk
        elif op == "insert":
            data[i:i] = chunk
        else:
            del data[i:i + len(chunk)]
    _load(tmp_path_factory.mktemp("m"), bytes(data))


@FUZZ
@given(st.sampled_from(sorted(TEXTS)), st.lists(st.tuples(st.sampled_from(["drop", "copy", "swap", "indent", "dedent"]),
                                                           st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=6))
def test_line_mutations_of_the_builtin_lessons(tmp_path_factory, name, edits):
    lines = TEXTS[name].decode("utf-8").split("\n")
    for op, a, b in edits:
        i, j = a % len(lines), b % len(lines)
        if op == "drop":
            del lines[i]
        elif op == "copy":
            lines.insert(j, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = "  " + lines[i]
        else:
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
        if not lines:
            lines = [""]
    _load(tmp_path_factory.mktemp("l"), "\n".join(lines).encode("utf-8"))


ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.sampled_from(["", "{y}", "{nope}", "x" * 5000, "a\x0cb", "${'x'}", "1e999", "-0", "[]", "{}",
                                           "output-square", "curve", "choice", "points", "9" * 400]),
    st.lists(st.integers(-3, 3), max_size=4), st.just([[1, 2], [3]]), st.just({"name": "mlp"}), st.just({"from": "curve"}),
)


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, here + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, here + (i,))
    return out


def _mutate(doc: Any, rnd: random.Random, value: Any, op: str) -> Any:
    paths = _paths(doc)[1:]
    if not paths:
        return value
    path = rnd.choice(paths)
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if op == "set":
        parent[last] = value
    elif op == "drop":
        del parent[last]
    elif op == "rename" and isinstance(parent, dict):
        parent[str(value)[:20] if not isinstance(value, (dict, list)) else "k"] = parent.pop(last)
    elif op == "copy" and isinstance(parent, list):
        parent.append(parent[last])
    return doc


@FUZZ
@given(st.sampled_from(sorted(DATA)), st.lists(st.tuples(st.sampled_from(["set", "drop", "rename", "copy"]), ODD_VALUES),
                                                min_size=1, max_size=5), st.integers(0, 2**32))
def test_key_and_value_mutations_of_the_builtin_lessons(tmp_path_factory, name, edits, seed):
    import copy

    doc = copy.deepcopy(DATA[name])
    rnd = random.Random(seed)
    for op, value in edits:
        doc = _mutate(doc, rnd, copy.deepcopy(value), op)  # st.just gives one object: set twice, it could contain itself
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    _load(tmp_path_factory.mktemp("k"), text.encode("utf-8", "surrogatepass"))


# -- the answer readers and checkers -----------------------------------------------------------------

TOKENS = ["0", "1", "2", "3", "9", "0.5", "1e308", "1e-400", "-", "+", "*", "/", "**", "^", "(", ")", ",", ";", "±", "+-", ".",
          " ", "w", "y", "x", "pi", "π", "e", "inf", "sqrt", "√", "ln", "log", "exp", "sin", "tanh", "sigmoid", "abs", "²", "³",
          "١", "٣", "½", "−", "×", "÷", "j", "1j", "_", "__import__", "lambda", ":", "=", "==", "[", "]", "{", "}", "'", '"', "\\",
          "\x00", "\x1b", "\ud800", "9" * 500, "(" * 50, ")" * 50, "A maximum", "a", "minimum", "\n"]
ANSWERS = st.one_of(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join), st.text(max_size=300),
                    st.text(alphabet="0123456789,; ²³١", max_size=5000))


def q(**kw: Any) -> Question:
    kw.setdefault("id", "q")
    kw.setdefault("prompt", "?")
    return Question.model_validate(kw)


CHOICES = [{"text": "A minimum"}, {"text": "A maximum", "correct": True}, {"text": "Not a critical point"}, {"text": "w = √y"}]
QUESTIONS = [
    (q(kind="numeric", answer=2.0), {"expected": 2.0}),
    (q(kind="numeric", answer=0.0, tolerance={"abs": 1e-9}), {"expected": 0.0}),
    (q(kind="points", answer=[-1.0, 1.0]), {"expected": [-1.0, 1.0]}),
    (q(kind="choice", choices=CHOICES, shuffle=True), {"right": {1}, "order": [3, 1, 0, 2]}),
    (q(kind="multi", choices=[{**c, "correct": True} for c in CHOICES[:2]] + CHOICES[2:]), {"right": {0, 1}}),
    (q(kind="text", accept=["output", "ŷ"], pattern=r"y ?hat"), {}),
]
for f in FILES[:-1]:  # every expression question of the curriculum, with its own variables and domain
    for step in DATA[f.name]["steps"]:
        spec = step.get("question") if isinstance(step, dict) else None
        if spec and spec.get("kind") == "expression":
            QUESTIONS.append((Question.model_validate(spec), {"expected": spec["answer"]}))
KINDS = {question.kind for question, _ in QUESTIONS}
assert {"numeric", "points", "choice", "multi", "text", "expression"} == KINDS, KINDS


@FUZZ
@given(st.sampled_from(range(len(QUESTIONS))), ANSWERS)
def test_every_kind_of_question_reads_any_answer(index, raw):
    question, known = QUESTIONS[index]
    verdict = checking.check(question, raw, **known)
    assert isinstance(verdict, checking.Verdict)
    if not verdict.readable:
        assert verdict.message.startswith("Can't read this: ") and verdict.message.endswith("It did not use an attempt.")
    assert len(verdict.message) < 600, verdict.message[:200]  # what was typed is never echoed whole


@FUZZ
@given(ANSWERS, st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_the_expression_reader_gives_numbers_or_says_why(raw, x, y):
    for read in (expr.number, expr.numbers, lambda t: expr.Expression(t, variables=("x", "y")).value(x=x, y=y)):
        try:
            value = read(raw)
        except ExpressionError as exc:
            assert str(exc) and len(str(exc)) < 600
            continue
        values = value if isinstance(value, list) else [value]
        assert all(isinstance(v, float) for v in values), values  # never a complex, a bool or an int


VALUES = {"minima": [-1.0, 1.0], "counts": {"saddle": 2, "min": 1}, "points": [{"loss": 0.5, "eigenvalues": [-2.0, 3.0]}],
          "barrier": 0.85, "name": "saddle"}


@FUZZ
@given(st.one_of(ANSWERS, st.lists(st.sampled_from(TOKENS + ["minima", "counts.saddle", "points[0].loss", "barrier", " and ",
                                                             " or ", " not ", ">", ">=", "len", "max", "min", "sum"]),
                                   max_size=25).map("".join)))
def test_author_formulas_over_values_give_a_value_or_an_error(text):
    try:
        expr.over_values(text, VALUES)
        expr.condition(text, VALUES)
    except ExpressionError as exc:
        assert str(exc)
    except TutorError as exc:  # the tutor's own errors are allowed; anything else fails the test
        assert str(exc)

