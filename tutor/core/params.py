"""Lesson parameters: seeded variants and ``{name}`` placeholders."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping
from typing import Any

from tutor.core.models import Param
from tutor.core.numbers import number

# A brace group right after a LaTeX command, ^, _ or another group is LaTeX, not a placeholder:
# in "$\\sqrt{y}$" or "$x^{n}$" the y and n stay symbols.
_PLACEHOLDER = re.compile(r"(?<![\\A-Za-z0-9^_}])\{([A-Za-z_][A-Za-z0-9_]*)\}")


def defaults(params: Mapping[str, Param]) -> dict[str, Any]:
    return {name: p.default for name, p in params.items()}


def draw(params: Mapping[str, Param], seed: int | str | None) -> dict[str, Any]:
    """One variant of the parameters; ``seed=None`` gives the defaults.

    Each parameter has a generator of its own, seeded by (seed, name), so adding a parameter to a
    lesson does not change the numbers every student already has for the others.
    """
    if seed is None:
        return defaults(params)
    values: dict[str, Any] = {}
    for name, p in params.items():
        rng = random.Random(f"{seed}:{name}")
        if p.choices is not None:
            values[name] = rng.choice(p.choices)
        elif p.uniform is not None:
            lo, hi = p.uniform
            values[name] = round(rng.uniform(lo, hi), p.decimals)
        else:
            values[name] = p.default
    return values


def seed_of(*parts: Any) -> int:
    """A stable 63-bit seed from any parts (quiz id, student id, ...); the same on every machine."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def fmt(value: Any) -> str:
    """A parameter as it reads in text: ``2.25``, ``0.1``, ``3``."""
    return number(value, digits=10)


def substitute(obj: Any, values: Mapping[str, Any]) -> Any:
    """Replace ``{name}`` for known parameters; a whole-string placeholder keeps the value's type.

    Braces that do not name a parameter (LaTeX's ``\\frac{1}{2}``) are left as they are.
    """
    if isinstance(obj, str):
        whole = _PLACEHOLDER.fullmatch(obj.strip())
        if whole and whole.group(1) in values:
            return values[whole.group(1)]
        if "{" not in obj:
            return obj
        return _PLACEHOLDER.sub(lambda m: fmt(values[m.group(1)]) if m.group(1) in values else m.group(0), obj)
    if isinstance(obj, Mapping):
        return {k: substitute(v, values) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [substitute(v, values) for v in obj]
    return obj


def placeholders(obj: Any) -> set[str]:
    """Every ``{name}`` that appears anywhere in obj."""
    found: set[str] = set()
    if isinstance(obj, str):
        found.update(_PLACEHOLDER.findall(obj))
    elif isinstance(obj, Mapping):
        for v in obj.values():
            found |= placeholders(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            found |= placeholders(v)
    return found
