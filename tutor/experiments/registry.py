"""The numerics behind the registry of ``tutor.core.lab_schema``: each problem class and tool
function binds itself to its option model, once, with ``@problem(Options)`` or ``@tool(Options)``;
the name, summary, options and value meanings live on the model's entry in the schema.

Adding a tool: declare ``FooOptions`` with ``@tool("foo", summary, values)`` in
``tutor/core/lab_schema/tools.py``, with a ``cost(self, size) -> Cost`` method saying what it will
cost (the work budget; check it with bench/bench_budget.py --only foo), write
``tutor/experiments/tools/foo.py`` with ``@tool(FooOptions) def foo(problem, o) -> Result``, and
import it in ``tools/__init__.py``. A problem's options state ``size()`` the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from tutor.core.lab_schema import PROBLEMS as PROBLEM_SPECS
from tutor.core.lab_schema import SPEC_OF
from tutor.core.lab_schema import TOOLS as TOOL_SPECS
from tutor.core.lab_schema.base import Opts

if TYPE_CHECKING:
    from tutor.experiments.problems.base import Problem
    from tutor.experiments.tools.base import Result

    ToolFn = Callable[[Problem, Any], Result]

PROBLEMS: dict[str, type[Problem]] = {}
TOOLS: dict[str, ToolFn] = {}

C = TypeVar("C")


def problem(options: type[Opts]) -> Callable[[C], C]:
    """Bind a Problem subclass to the problem whose options are ``options``."""
    spec = SPEC_OF[options]
    assert spec.kind == "problem"

    def deco(cls: C) -> C:
        if spec.name in PROBLEMS:
            raise RuntimeError(f"problem {spec.name!r} has two implementations")
        cls.name = spec.name  # type: ignore[attr-defined]
        PROBLEMS[spec.name] = cls  # type: ignore[assignment]
        return cls

    return deco


def tool(options: type[Opts]) -> Callable[[C], C]:
    """Bind a tool function ``f(problem, options) -> Result`` to the tool whose options are ``options``."""
    spec = SPEC_OF[options]
    assert spec.kind == "tool"

    def deco(fn: C) -> C:
        if spec.name in TOOLS:
            raise RuntimeError(f"tool {spec.name!r} has two implementations")
        TOOLS[spec.name] = fn  # type: ignore[assignment]
        return fn

    return deco


def load() -> None:
    """Import every implementation and check that each registered name has exactly one."""
    import tutor.experiments.problems
    import tutor.experiments.tools  # noqa: F401

    missing = [f"problem {n}" for n in PROBLEM_SPECS if n not in PROBLEMS] + [f"tool {n}" for n in TOOL_SPECS if n not in TOOLS]
    if missing:
        raise RuntimeError(f"registered without an implementation: {', '.join(missing)}")


def make(name: str, options: Opts) -> Problem:
    """The problem ``name`` built from its validated options."""
    load()
    return PROBLEMS[name](options)  # type: ignore[call-arg]
