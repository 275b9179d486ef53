"""Finding, reading and validating lesson and quiz files.

Every problem is collected with its file, line and column and reported at once; one broken file
never hides the good ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tutor.core import params as P
from tutor.core import yamlsrc
from tutor.core.errors import LessonError, Problem
from tutor.core.models import Lesson, Quiz
from tutor.core.paths import SUFFIXES, builtin_lessons_dir, lesson_dirs  # noqa: F401


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file())
        elif p.exists():
            files.append(p)
    return files


def _messages(exc: ValidationError, name: str, data: Any, pos: yamlsrc.Located | None, root: type[BaseModel]) -> list[Problem]:
    """Turn pydantic's errors into ``path:line:col: message``, one per place."""
    out: dict[tuple[int, int, str], Problem] = {}
    seen_places: set[tuple[Any, ...]] = set()
    errors = exc.errors(include_url=False)
    for err in errors:
        loc = err["loc"]
        if err["type"].endswith("_type") and isinstance(err.get("input"), dict) and any(
            len(e["loc"]) > len(loc) and e["loc"][: len(loc) - 1] == loc[:-1] for e in errors
        ):
            continue  # a mapping given to a union: its mapping member's errors say more than "not a number"
        real = _real_path(data, loc)
        line, col = yamlsrc.locate(pos, real)
        kind = err["type"]
        where = ".".join(str(p) for p in real)
        if kind == "extra_forbidden":
            msg = f"unknown key {str(real[-1])!r}" + (f" in {'.'.join(map(str, real[:-1]))}" if len(real) > 1 else "")
            msg += _suggest(str(real[-1]), loc, [root])
        elif kind == "missing":
            missing = str(loc[-1])
            msg = f"missing key {missing!r}" + (f" in {where}" if where else "")
        else:
            text = err["msg"].removeprefix("Value error, ")
            text += _type_advice(kind, err.get("input"))
            msg = f"{where}: {text}" if where else text
        if kind != "extra_forbidden" and kind != "missing" and real in seen_places:
            continue  # a union tried several types at one place: one message is enough
        seen_places.add(real)
        out.setdefault((line, col, msg), Problem(name, line, col, msg))
    return list(out.values())


def _type_advice(kind: str, value: Any) -> str:
    """Why YAML gave a non-text value where text was expected, and the fix."""
    if kind != "string_type":
        return ""
    if isinstance(value, dict):
        return " (YAML read a mapping here: text that contains ': ' must be in quotes, or written as a block with >-)"
    if isinstance(value, bool):
        return " (YAML reads yes/no/on/off/true/false as true or false: put the text in quotes, \"Yes\")"
    if isinstance(value, (int, float)):
        return " (YAML read a number here: put it in quotes to make it text, \"2\")"
    if value is None:
        return " (the value is empty: write the text after the key, or remove the key)"
    if isinstance(value, list):
        return " (YAML read a list here: text that starts with [ or contains ', ' inside [ ] must be in quotes)"
    return ""


def _suggest(key: str, loc: tuple[Any, ...], roots: list[type[BaseModel]]) -> str:
    """``(did you mean 'from'?)`` for a misspelt key, from the keys the model allows at that place."""
    import difflib

    pool = _keys_at(loc[:-1], roots)
    close = difflib.get_close_matches(key, pool, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f"; the keys here are {', '.join(pool)}" if 0 < len(pool) <= 16 else ""


def _keys_at(loc: tuple[Any, ...], roots: list[type[BaseModel]]) -> list[str]:
    """The keys allowed by the models at a pydantic error path (which names union members too)."""
    import typing

    def models_in(t: Any) -> list[type[BaseModel]]:
        if isinstance(t, type) and issubclass(t, BaseModel):
            return [t]
        return [m for a in typing.get_args(t) for m in models_in(a)]

    current = list(roots)
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for m in current:
            for name, f in m.model_fields.items():
                if part in (name, f.alias):
                    nxt += models_in(f.annotation)
        if nxt:
            current = nxt
        else:  # a union member named in the path, such as 'function-after[_one(), AnswerFrom]'
            current = [m for m in current if m.__name__ in str(part)] or current
    keys: list[str] = []
    for m in current:
        keys += [f.alias or n for n, f in m.model_fields.items() if (f.alias or n) not in keys]
    return keys


def _option_hint(exc: Any, run: str, problem: str) -> str:
    """``(did you mean 'from'?)`` for an unknown option of a tool (``with``) or a problem."""
    from tutor.core import lab_schema as S

    where = tuple(exc.where)
    if not str(exc).startswith("unknown option") or len(where) < 2:
        return ""
    spec = S.TOOLS.get(run) if where[0] == "with" else S.PROBLEMS.get(problem) if where[0] == "problem" else None
    return _suggest(str(where[-1]), where[1:], [spec.options]) if spec else ""


def _real_path(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The part of a pydantic path that exists in the data (drops union tags such as 'float')."""
    real: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            real.append(part)
            node = node[part]
        elif isinstance(node, dict) and part == "with_" and "with" in node:
            real.append("with")
            node = node["with"]
    return tuple(real)


@dataclass
class Loaded:
    """One file: the lesson or quiz it holds, or the problems that stop it from loading."""

    path: Path
    lesson: Lesson | None = None
    quiz: Quiz | None = None
    problems: list[Problem] = field(default_factory=list)
    positions: yamlsrc.Located | None = None
    data: Any = None

    @property
    def ok(self) -> bool:
        return not self.problems and (self.lesson is not None or self.quiz is not None)

    @property
    def id(self) -> str | None:
        if self.lesson:
            return self.lesson.id
        if self.quiz:
            return self.quiz.id
        return self.data.get("id") if isinstance(self.data, dict) and isinstance(self.data.get("id"), str) else None

    def at(self, *loc: Any) -> tuple[int, int]:
        return yamlsrc.locate(self.positions, loc)


def is_quiz(data: Any) -> bool:
    return isinstance(data, dict) and "steps" not in data and ("quiz" in data or "questions" in data)


def load_file(path: Path | str) -> Loaded:
    """Read, parse and validate one file. Never raises for a bad file: problems are returned."""
    path = Path(path)
    name = str(path)
    try:
        data, pos = yamlsrc.load(path)
    except LessonError as exc:
        return Loaded(path, problems=exc.problems)
    result = Loaded(path, positions=pos, data=data)
    if not isinstance(data, dict):
        result.problems.append(Problem(name, 1, 1, "a lesson file is a mapping (key: value), not a list or a single value"))
        return result
    model = Quiz if is_quiz(data) else Lesson
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        result.problems = _messages(exc, name, data, pos, model)
        return result
    if isinstance(obj, Quiz):
        result.quiz = obj
    else:
        result.lesson = obj
        result.problems = check_lesson(obj, result)
        if result.problems:
            result.lesson = None
    return result


def check_lesson(lesson: Lesson, where: Loaded) -> list[Problem]:
    """Rules across a lesson: ids unique, every reference resolves, options fit their tool."""
    import difflib

    from tutor.core import lab_schema as O

    name = str(where.path)
    problems: list[Problem] = []

    def report(loc: tuple[Any, ...], msg: str) -> None:
        line, col = where.at(*loc)
        problems.append(Problem(name, line, col, msg))

    experiments = lesson.experiments()
    ids: dict[str, int] = {}
    values = P.defaults(lesson.params)
    for i, step in enumerate(lesson.steps):
        item = step.experiment or step.question
        if item is None:
            continue
        key = step.kind
        if item.id in ids:
            report(("steps", i, key, "id"), f"id {item.id!r} is used twice in this lesson (first in step {ids[item.id] + 1})")
        ids.setdefault(item.id, i)
        if step.experiment:
            e = step.experiment
            for c in e.controls:
                if c not in lesson.params:
                    report(("steps", i, key, "controls"), f"control {c!r} is not one of the lesson's params")
            raw_problem = {"name": e.problem.name, **e.problem.options}
            unknown = P.placeholders([raw_problem, e.with_]) - set(lesson.params)
            for ph in sorted(unknown):
                report(("steps", i, key), f"placeholder {{{ph}}} names no param of this lesson")
            if unknown:
                continue
            try:
                O.validate(e.run, P.substitute(raw_problem, values), P.substitute(e.with_, values))
            except O.OptionError as exc:
                report(("steps", i, key, *exc.where), str(exc) + _option_hint(exc, e.run, e.problem.name))
        else:
            q = step.question
            assert q is not None
            for ref_key, ref in (("answer", getattr(q.answer, "from_", None)), ("show", q.show), ("from", q.from_)):
                if ref is not None and ref not in experiments:
                    close = difflib.get_close_matches(ref, list(experiments), n=1)
                    report(("steps", i, key, ref_key), f"{ref_key} names experiment {ref!r}, which this lesson does not have"
                           + (f" (did you mean {close[0]!r}?)" if close else f"; it has {', '.join(experiments)}" if experiments else ""))
    from tutor.core import computed

    for loc, msg in computed.check(lesson):
        report(loc, msg)
    for r in lesson.requires:
        if r == lesson.id:
            report(("requires",), "a lesson cannot require itself")
    return problems


@dataclass
class Catalog:
    """Every file found: lessons by id, quizzes by id, and the files that failed."""

    files: list[Loaded]
    lessons: dict[str, Loaded]
    quizzes: dict[str, Loaded]
    broken: list[Loaded]

    @property
    def problems(self) -> list[Problem]:
        return sorted(p for f in self.files for p in f.problems)

    def lesson(self, ident: str) -> Lesson:
        from tutor.core.errors import NotFound

        if ident in self.lessons:
            return self.lessons[ident].lesson  # type: ignore[return-value]
        path = Path(ident)
        for f in self.files:
            if f.path == path or f.path.resolve() == path.resolve():
                if f.lesson:
                    return f.lesson
                raise LessonError(f.problems)
        if path.suffix in SUFFIXES and path.exists():
            f = load_file(path)
            if f.lesson:
                return f.lesson
            raise LessonError(f.problems or [Problem(str(path), 1, 1, "this file is a quiz, not a lesson")])
        import difflib

        close = difflib.get_close_matches(ident, list(self.lessons), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; `tutor list` shows them"
        for f in self.broken:
            if f.id == ident:
                raise LessonError(f.problems)
        raise NotFound(f"no lesson {ident!r}{hint}")


def catalog(paths: Sequence[Path | str]) -> Catalog:
    """Load every lesson and quiz under ``paths``; check ids are unique and ``requires`` resolve."""
    files = [load_file(p) for p in yaml_files(Path(p) for p in paths)]
    lessons: dict[str, Loaded] = {}
    quizzes: dict[str, Loaded] = {}
    for f in files:
        if not f.ok:
            continue
        table = lessons if f.lesson else quizzes
        ident = f.id
        assert ident is not None
        if ident in table:
            line, col = f.at("id")
            other = table[ident]
            f.problems.append(Problem(str(f.path), line, col, f"id {ident!r} is already used by {other.path}"))
            continue
        table[ident] = f
    # requires: known ids, no cycles
    for f in lessons.values():
        assert f.lesson is not None
        for i, r in enumerate(f.lesson.requires):
            if r not in lessons:
                line, col = f.at("requires", i)
                f.problems.append(Problem(str(f.path), line, col, f"requires {r!r}, which is not a known lesson"))
    for cycle in _cycles({i: [r for r in f.lesson.requires if r in lessons] for i, f in lessons.items() if f.lesson}):
        for ident in cycle:
            f = lessons[ident]
            line, col = f.at("requires")
            f.problems.append(Problem(str(f.path), line, col, "requires form a cycle: " + " -> ".join(cycle + [cycle[0]])))
    for f in files:
        if f.problems and f.lesson and f.lesson.id in lessons and lessons[f.lesson.id] is f:
            del lessons[f.lesson.id]
    broken = [f for f in files if f.problems]
    return Catalog(files, lessons, quizzes, broken)


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """The cycles closed by back edges of a depth-first walk: each lesson in a cycle gets reported."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start)
    return found
