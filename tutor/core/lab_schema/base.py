"""The registry of the laboratory's problems and tools, as the lessons see them: a name, a one-line
summary, an option model (pydantic, no numpy) and, for tools, the values a result carries with
their meaning. The numerics (``tutor.experiments``) bind an implementation to each entry; the
loader, ``tutor experiment list``, ``tutor schema`` and the generated reference read it from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Num = Annotated[float, Field(ge=-1e6, le=1e6, allow_inf_nan=False)]
Vector = Annotated[list[Num], Field(min_length=1, max_length=512)]
Rows = Annotated[list[Num], Field(min_length=1, max_length=2000)] | Annotated[list[Vector], Field(min_length=1, max_length=2000)]
Seed = Annotated[int, Field(ge=0, le=2**32 - 1, description="seed of the random numbers: the same seed gives the same result")]


class Opts(BaseModel):
    """Options of one problem or tool: unknown keys are errors, values are frozen once checked."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


@dataclass(frozen=True)
class Spec:
    """One entry of the registry."""

    kind: Literal["problem", "tool"]
    name: str
    summary: str
    options: type[Opts]
    values: Mapping[str, str] = field(default_factory=dict)  # tools: value name -> its meaning


@dataclass(frozen=True)
class OptionInfo:
    """One option as an author reads it in the reference."""

    name: str  # the key in a lesson file (the alias where there is one: ``from``)
    type: str
    default: Any  # ``REQUIRED`` when the option must be given
    bounds: str  # e.g. "1 ≤ n ≤ 2000", "" when unbounded
    description: str


REQUIRED = "(required)"
PROBLEMS: dict[str, Spec] = {}
TOOLS: dict[str, Spec] = {}
SPEC_OF: dict[type[Opts], Spec] = {}

M = TypeVar("M", bound=type[Opts])


def problem(name: str, summary: str) -> Callable[[M], M]:
    """Register an option model as the problem ``name``; it states what one evaluation costs (``size()``)."""

    def deco(model: M) -> M:
        if not callable(getattr(model, "size", None)):
            raise RuntimeError(f"problem {name!r} states no size() (what one evaluation costs, for the work budget)")
        _add(PROBLEMS, Spec("problem", name, summary, model))
        return model

    return deco


def tool(name: str, summary: str, values: Mapping[str, str]) -> Callable[[M], M]:
    """Register an option model as the tool ``name``; ``values`` names what its result holds; it states
    what it will cost (``cost(size)``)."""

    def deco(model: M) -> M:
        if not callable(getattr(model, "cost", None)):
            raise RuntimeError(f"tool {name!r} states no cost(size) (what it will cost, for the work budget)")
        _add(TOOLS, Spec("tool", name, summary, model, dict(values)))
        return model

    return deco


def _add(table: dict[str, Spec], spec: Spec) -> None:
    if spec.name in table:
        raise RuntimeError(f"{spec.kind} {spec.name!r} is registered twice")
    table[spec.name] = spec
    SPEC_OF[spec.options] = spec


# ------------------------------------------------------------------------- introspection


def options(model: type[Opts]) -> list[OptionInfo]:
    """Each option of a model: key, type, default, bounds and description."""
    out = []
    for name, f in model.model_fields.items():
        default = REQUIRED if f.is_required() else f.get_default(call_default_factory=True)
        if isinstance(default, BaseModel):
            default = default.model_dump()
        out.append(OptionInfo(f.alias or name, _type_name(f.annotation), default, _bounds(f.metadata), f.description or ""))
    return out


def _bounds(metadata: list[Any]) -> str:
    parts = []
    for m in metadata:
        for attr, sym in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            v = getattr(m, attr, None)
            if v is not None:
                parts.append(f"{sym} {v:,}" if isinstance(v, int) else f"{sym} {v:g}")
        for attr, word in (("min_length", "at least"), ("max_length", "at most")):
            v = getattr(m, attr, None)
            if v is not None:
                parts.append(f"{word} {v:,} items")
    return ", ".join(parts)


def _type_name(t: Any) -> str:
    """A short, readable name of a type annotation: ``number``, ``list of number``, ``"a" | "b"``."""
    import types
    import typing

    origin = typing.get_origin(t)
    args = typing.get_args(t)
    if t is type(None):
        return "null"
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(dict.fromkeys(_type_name(a) for a in args))
    if origin is Literal:
        return " | ".join(f'"{a}"' if isinstance(a, str) else str(a) for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is tuple:
        return "[" + ", ".join(_type_name(a) for a in args) + "]"
    if isinstance(t, type) and issubclass(t, BaseModel):
        return "{" + ", ".join(f.alias or k for k, f in t.model_fields.items()) + "}"
    return {float: "number", int: "integer", bool: "true/false", str: "text"}.get(t, getattr(t, "__name__", str(t)))
