"""The one number formatter: every number a learner reads (parameters, answers, scores, tables).

Pure Python, no numpy (numpy scalars and arrays are duck-typed through ``item``/``tolist``), so the
core, the experiments and the presenter can all use it.
"""

from __future__ import annotations

import math
from typing import Any


def number(value: Any, digits: int = 6) -> str:
    """``2.25``, ``0.1``, ``3`` (a whole float loses its ``.0``), ``1.5e-07``; lists joined by ", ".

    ``digits`` is the number of significant digits (6 for answers, 10 for parameters, 4 for the key
    values of an experiment's table)."""
    if hasattr(value, "tolist"):  # numpy scalar or array
        value = value.tolist()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = format(value, f".{digits}g")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, (list, tuple)):
        return ", ".join(number(v, digits) for v in value)
    return str(value)


def count(n: int | float, noun: str, plural: str | None = None) -> str:
    """``1 attempt``, ``2 attempts``, ``1.5 points``."""
    return f"{number(n)} {noun if n == 1 else (plural or noun + 's')}"


def clock(seconds: float) -> str:
    """Time left as ``m:ss``."""
    s = max(0, int(seconds))
    return f"{s // 60}:{s % 60:02d}"
