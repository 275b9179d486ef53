"""What the laboratory accepts: the registry of problems and tools with their option models.

Pure pydantic: importing it loads no numpy, so lessons are validated (``tutor list``, ``tutor
check --no-run``) without starting the numerics. ``tutor.experiments`` binds the implementations.

    from tutor.core import lab_schema as S
    S.PROBLEMS["mlp"].options        # the option model (MLPOptions)
    S.TOOLS["curve"].values          # {value name: meaning}
    S.options(S.TOOLS["curve"].options)   # [OptionInfo(name, type, default, bounds, description)]
    S.validate("curve", {"name": "mlp"}, {"points": 11})   # -> (MLPOptions, CurveOptions)
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema import problems as _problems  # noqa: F401  (registers the problems)
from tutor.core.lab_schema import tools as _tools  # noqa: F401  (registers the tools)
from tutor.core.lab_schema.base import PROBLEMS, REQUIRED, SPEC_OF, TOOLS, OptionInfo, Opts, Spec, options

__all__ = ["PROBLEMS", "REQUIRED", "SPEC_OF", "TOOLS", "OptionError", "OptionInfo", "Opts", "Spec", "catalog", "options", "validate"]


class OptionError(ExperimentError):
    """Options that do not fit; ``where`` is the path of keys, for locating the error in a file."""

    def __init__(self, message: str, where: tuple[Any, ...] = ()):
        self.where = where
        super().__init__(message)


def _first_error(exc: ValidationError, prefix: tuple[Any, ...], label: str) -> OptionError:
    errors = exc.errors(include_url=False)
    # in a union (mlp data: xor | points | teacher) the author's own check says most
    err = next((e for e in errors if e["type"] == "value_error"), errors[0])
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper() or "[" in str(p)))
    path = ".".join(str(p) for p in loc)
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = f"unknown option {path!r} for {label}"
        return OptionError(msg, prefix + loc)
    return OptionError(f"{label}: {path + ': ' if path else ''}{msg}", prefix + loc)


def validate(run: str, problem: dict[str, Any], with_: dict[str, Any]) -> tuple[Opts, Opts]:
    """Check a tool and a problem by name, with their options. Raises OptionError."""
    if run not in TOOLS:
        raise OptionError(f"unknown tool {run!r}; tools are {', '.join(TOOLS)}", ("run",))
    name = problem.get("name")
    if not isinstance(name, str) or name not in PROBLEMS:
        raise OptionError(f"unknown problem {name!r}; problems are {', '.join(PROBLEMS)}", ("problem", "name"))
    options_ = {k: v for k, v in problem.items() if k != "name"}
    try:
        p = PROBLEMS[name].options.model_validate(options_)
    except ValidationError as exc:
        raise _first_error(exc, ("problem",), f"problem {name}") from None
    try:
        t = TOOLS[run].options.model_validate(with_ or {})
    except ValidationError as exc:
        raise _first_error(exc, ("with",), f"tool {run}") from None
    if run == "symmetry" and (name != "mlp" or getattr(p, "weights", None) is None):
        raise OptionError("symmetry works on an mlp problem with weights", ("problem",))
    _fits(run, name, p, t)
    return p, t


def _fits(run: str, name: str, p: Opts, t: Opts) -> None:
    """Points and boxes with the problem's number of parameters; the experiment within the budget."""
    from tutor.core.lab_schema import budget
    from tutor.core.lab_schema.tools import box_fits

    dim = budget.size(name, p).dim
    points: list[tuple[str | tuple[str, int], Any]] = [(key, getattr(t, key, None)) for key in ("at", "start")]
    between = getattr(t, "between", None)
    if between is not None:
        points += [(("between", 0), between[0]), (("between", 1), between[1])]
    for key, v in points:
        if v is not None and len(v) != dim:
            label = key if isinstance(key, str) else f"{key[0]}[{key[1]}]"
            raise OptionError(f"tool {run}: {label} has {len(v)} numbers; the {name} problem has {dim} parameters",
                              ("with", *((key,) if isinstance(key, str) else key)))
    box = getattr(t, "box", None)
    if box is not None and (msg := box_fits(box, dim, "")):
        raise OptionError(f"tool {run}: {msg}", ("with", "box"))
    if msg := budget.over_budget(run, name, p, t):
        raise OptionError(msg, ("with",))


def catalog() -> dict[str, Any]:
    """The whole registry as plain data (for the generated reference and ``--json`` listings)."""

    def entry(spec: Spec) -> dict[str, Any]:
        d: dict[str, Any] = {"name": spec.name, "summary": spec.summary,
                             "options": [o.__dict__ for o in options(spec.options)]}
        if spec.kind == "tool":
            d["values"] = dict(spec.values)
        return d

    return {"problems": [entry(s) for s in PROBLEMS.values()], "tools": [entry(s) for s in TOOLS.values()]}
