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
    err = exc.errors(include_url=False)[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper() or "[" in str(p)))
    path = ".".join(str(p) for p in loc)
    msg = err["msg"]
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
    return p, t


def catalog() -> dict[str, Any]:
    """The whole registry as plain data (for the generated reference and ``--json`` listings)."""

    def entry(spec: Spec) -> dict[str, Any]:
        d: dict[str, Any] = {"name": spec.name, "summary": spec.summary,
                             "options": [o.__dict__ for o in options(spec.options)]}
        if spec.kind == "tool":
            d["values"] = dict(spec.values)
        return d

    return {"problems": [entry(s) for s in PROBLEMS.values()], "tools": [entry(s) for s in TOOLS.values()]}
