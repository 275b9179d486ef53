"""How much an experiment costs, from its sizes alone, before anything is allocated.

Each problem's options state what one evaluation costs at one point (``size()``: one loss, one
gradient, one Hessian, … in the units of ``cost.py``); each tool's options multiply them by the
tool's own counts (``cost(size)``: points, starts, steps, pairs). A new problem or tool states its
cost where its options are declared: nothing here names them. An experiment over the memory or time
limit is refused with the sizes to lower. Pure Python, so ``tutor check --no-run`` applies the same
limits without numpy. Calibrated against measured runs: bench/bench_budget.py (time, every
experiment of the lessons and benchmarks) and bench/bench_limits.py (memory, the largest accepted).
"""

from __future__ import annotations

from typing import Any, Protocol

from tutor.core.lab_schema import problems as P
from tutor.core.lab_schema.base import Opts
from tutor.core.lab_schema.cost import Cost, Size

MEMORY_LIMIT = 1.0e9  # bytes
TIME_LIMIT = 30.0  # seconds on one core


class Sized(Protocol):
    def size(self) -> Size: ...


class Costed(Protocol):
    def cost(self, s: Size) -> Cost: ...


def size(name: str, o: Opts) -> Size:
    """Parameters and per-point costs of the problem ``name`` with validated options ``o``."""
    sized: Sized = o  # type: ignore[assignment]  # every problem's option model has size() (base.problem checks)
    return sized.size()


def cost(run: str, s: Size, o: Opts) -> Cost:
    """The estimated peak memory and work of the tool ``run`` with options ``o`` on a problem of size ``s``."""
    costed: Costed = o  # type: ignore[assignment]  # every tool's option model has cost() (base.tool checks)
    return costed.cost(s)


def _fmt_bytes(b: float) -> str:
    return f"{b / 1e9:.1f} GB" if b >= 1e9 else f"{b / 1e6:.0f} MB"


def _fmt_seconds(t: float) -> str:
    return f"{t / 60:.0f} minutes" if t >= 120 else f"{t:.0f} s"


def over_budget(run: str, problem_name: str, popts: Opts, topts: Opts) -> str | None:
    """Why this experiment is too big for the limits, naming the sizes to lower; None when it fits."""
    s = size(problem_name, popts)
    if isinstance(popts, P.MLPOptions):  # the networks' own limits (tutor.experiments.problems.deep), said the same way
        n = popts.shape()[0]
        if s.dim > P.MAX_NET_PARAMS:
            return f"mlp: {s.dim:,} parameters; at most {P.MAX_NET_PARAMS:,}"
        if s.dim * n > P.MAX_NET_WORK:
            return (f"mlp: {s.dim:,} parameters × {n:,} examples is more work than allowed ({P.MAX_NET_WORK:,}); "
                    "use fewer examples or a smaller network")
    c = cost(run, s, topts)
    over = []
    if c.bytes > MEMORY_LIMIT:
        over.append(f"about {_fmt_bytes(c.bytes)} of memory (the limit is {_fmt_bytes(MEMORY_LIMIT)})")
    if c.seconds > TIME_LIMIT:
        over.append(f"about {_fmt_seconds(c.seconds)} (the limit is {TIME_LIMIT:.0f} s)")
    if not over:
        return None
    knobs = " or ".join(k for k in (c.knobs and f"with: {c.knobs}", s.knobs and f"the problem's {s.knobs}") if k)
    return f"{run} on {problem_name} would take {' and '.join(over)}; lower {knobs or 'the sizes'}"


def describe(run: str, problem_name: str, popts: Opts, topts: Opts) -> dict[str, Any]:
    """The estimate itself (for benchmarks and tests)."""
    s = size(problem_name, popts)
    c = cost(run, s, topts)
    return {"dim": s.dim, "bytes": c.bytes, "seconds": c.seconds}
