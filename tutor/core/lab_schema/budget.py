"""How much an experiment costs, from its sizes alone, before anything is allocated.

Each problem's sizes give the cost of one loss-and-gradient and of one Hessian at one point (in
floats touched and floats held); each tool multiplies them by its own counts (points, starts,
steps, pairs). An experiment over the memory or time limit is refused with the sizes to lower.
Pure Python, so ``tutor check --no-run`` applies the same limits without numpy. The constants
were calibrated against measured runs (bench/bench_limits.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.core.lab_schema import problems as P
from tutor.core.lab_schema import tools as T
from tutor.core.lab_schema.base import Opts

MEMORY_LIMIT = 1.0e9  # bytes
TIME_LIMIT = 30.0  # seconds on one core of a modest machine
FLOATS_PER_SECOND = 2.5e8  # numpy throughput assumed for the time estimate (arrays of doubles)
FLOPS = 1.2e9  # LAPACK's speed on small dense matrices (solves and eigenvalues)
CALL_SECONDS = 4e-6  # overhead of one numpy call, for loops of many small steps
BYTES = 8


@dataclass(frozen=True)
class Size:
    """The cost of one problem at one point."""

    dim: int  # parameters
    work: float  # floats touched by one loss and gradient (the batched descent kernel)
    mem: float  # floats held while computing them
    hess_work: float  # floats touched by one Hessian
    hess_mem: float  # floats held while computing it
    knobs: str  # the problem's sizes an author can lower, in words
    loss_work: float = 0.0  # one loss alone (default: half of work)
    loss_mem: float = 0.0  # (default: mem)

    def __post_init__(self) -> None:
        object.__setattr__(self, "loss_work", self.loss_work or self.work / 2)
        object.__setattr__(self, "loss_mem", self.loss_mem or self.mem)


def _data(o: P.MLPOptions) -> tuple[int, int, int]:
    """Examples, inputs and outputs of a network's data, from the options alone."""
    d = o.data
    softmax = o.output == "softmax"
    if d == "xor":
        return 4, 2, 1
    if d == "iris" or isinstance(d, P.IrisData):
        return 150, 4, 3 if softmax else 1
    if d == "moons" or isinstance(d, P.MoonsData):
        return (d.moons.points if isinstance(d, P.MoonsData) else 100), 2, 2 if softmax else 1
    if isinstance(d, P.PointsData):
        ys = d.points.y
        return len(ys), P.features(d.points.x), (int(max(ys)) + 1 if softmax and max(ys) >= 1 else 1)
    assert isinstance(d, P.TeacherData)
    return d.teacher.points, d.teacher.inputs, 1


def _network(o: P.MLPOptions) -> Size:
    n, i, c = _data(o)
    widths = o.layers
    fans = [i, *widths, c]
    d = sum((a + int(o.bias)) * b for a, b in zip(fans[:-1], fans[1:]))
    knobs = f"hidden ({o.hidden}), examples ({n}) or inputs ({i})"
    if len(widths) == 1 and o.activation != "linear" and o.output != "softmax" and c == 1:
        h = widths[0]
        block = n * h * (i + 2)
        # descent's kernel holds a few (examples × hidden × inputs) blocks per start; a Hessian is the
        # complex-step derivative of the gradient: d complex gradients at once
        return Size(d, 5 * block, 3 * block, 32 * d * block, 12 * d * n * h + 3 * d * d, knobs, loss_work=4 * block, loss_mem=4 * n * h + 2 * n)
    # deeper networks (tutor.experiments.nets): a forward and backward pass per gradient, a dense
    # Hessian as d Hessian-vector products of about four gradients each
    units = sum(widths) + c
    return Size(d, 6 * n * d, 4 * n * units + 2 * d, 24 * n * d * d, 4 * d * d + 8 * n * units, knobs)


def size(name: str, o: Opts) -> Size:
    """Parameters and per-point costs of the problem ``name`` with validated options ``o``."""
    if isinstance(o, P.OutputSquareOptions):
        return Size(1, 10, 4, 10, 4, "")
    if isinstance(o, P.ProductOptions):
        k = o.depth
        return Size(k, 4 * k * k, 2 * k, 4 * k**3, 2 * k * k, f"depth ({k})")
    if isinstance(o, (P.LinearRegressionOptions, P.LogisticOptions)):
        n, f = len(o.y), P.features(o.x) + int(o.bias)
        return Size(f, 6 * n * f, 3 * n + f, 3 * n * f * f, n + 2 * f * f, f"examples ({n}) or inputs ({f - int(o.bias)})")
    if isinstance(o, P.SoftmaxOptions):
        n, f = len(o.y), P.features(o.x) + int(o.bias)
        c = o.classes or max(o.y) + 1
        d = c * f
        # measured: the exponentials of the N × C logits cost more than the N × C × F products
        return Size(d, 20 * n * c + 2 * n * d, 4 * n * c + d, 3 * n * d * d, 3 * n * c * c + 2 * d * d,
                    f"examples ({n}), inputs ({f - int(o.bias)}) or classes ({c})")
    if isinstance(o, P.MLPOptions):
        return _network(o)
    if isinstance(o, P.LinearAutoencoderOptions):
        n, p = len(o.sigma), o.p
        d = 2 * n * p
        return Size(d, 12 * n * n * p, 6 * n * n, 6 * d * n * n * p, 12 * d * n * n + 3 * d * d, f"p ({p}) or variances ({n})")
    assert isinstance(o, P.FunctionOptions)
    v, e = len(o.vars), len(o.expr) // 2 + 1
    return Size(v, 4 * v * e, 4 * v * e, 8 * v * v * e, 4 * v * e + 2 * v * v, f"vars ({v})")


@dataclass(frozen=True)
class Cost:
    floats: float  # peak floats held
    work: float  # floats touched by element-wise numpy
    cubic: float  # floating-point operations in LAPACK (solves, eigenvalues)
    calls: float  # numpy calls in Python loops (steps, iterations)
    knobs: str  # the tool's sizes, in words

    @property
    def bytes(self) -> float:
        return BYTES * self.floats

    @property
    def seconds(self) -> float:
        return self.work / FLOATS_PER_SECOND + self.cubic / FLOPS + self.calls * CALL_SECONDS


HESS_ROWS = 32  # tools compute Hessians this many points at a time (tutor.experiments.tools.base)


def cost(run: str, s: Size, o: Opts) -> Cost:
    """The estimated peak memory and work of the tool ``run`` with options ``o`` on a problem of size ``s``."""
    d = s.dim
    eig = 10 * d**3  # one symmetric eigenvalue problem
    if isinstance(o, T.CurveOptions):
        m = o.points
        # the curvature along the line: one complex gradient or Hessian-vector product per point; small
        # problems (d ≤ 16) use their Hessian
        curv = s.hess_work if d <= 16 else 2 * s.work
        held = HESS_ROWS * s.hess_mem if d <= 16 else m * 2 * s.mem  # complex gradients at every point at once
        return Cost(m * (s.mem + 2 * d) + held, m * (s.loss_work + curv), 0, m * 8, f"points ({m})")
    if isinstance(o, T.SurfaceOptions):
        m = o.points * o.points
        return Cost(m * (s.loss_mem + 3 * d), m * s.loss_work, 0, m * 3, f"points ({o.points})")
    if isinstance(o, T.StationaryOptions):
        if o.at is not None:
            return Cost(s.hess_mem + 4 * d * d, s.hess_work + s.work, eig, 10, "")
        m, k = o.starts, o.iterations
        return Cost(m * (s.hess_mem + 5 * d * d + s.mem), (k + 1) * m * (s.hess_work + 2 * s.work), k * m * 4 * d**3 + m * eig, k * 40,
                    f"starts ({m}) or iterations ({k})")
    if isinstance(o, T.DescentOptions):
        m, k = o.starts or 1, o.steps
        rec = min(k + 1, 2001)
        return Cost(m * (s.mem + 2 * rec + 40 * d) + s.hess_mem, k * m * (s.work + 6 * d) + m * s.hess_work + m * m * d, m * eig,
                    k * 14 + m * 30, f"starts ({m}) or steps ({k})")
    if isinstance(o, T.ConvexityOptions):
        m = o.pairs
        e = min(2 * m, 2000)
        return Cost(9 * m * (s.loss_mem + 3 * d) + HESS_ROWS * s.hess_mem + e * d, 11 * m * s.loss_work + e * s.hess_work, e * eig, 200,
                    f"pairs ({m})")
    if isinstance(o, T.SymmetryOptions):
        return Cost(o.points * (s.loss_mem + d) + 204 * s.loss_mem, (o.points + 210) * s.loss_work, 0, 200, f"points ({o.points})")
    if isinstance(o, T.CensusOptions):
        m, k, w = o.starts, o.steps, len(o.widths or []) + 1
        return Cost(m * (s.mem + 4 * d) * max(1, max(o.widths or [1]) / 2), w * (k * m * (s.work + 6 * d) + m * m * d), 0, w * (k * 12 + m * 30),
                    f"starts ({m}) or steps ({k})" + (f" or widths ({len(o.widths)})" if o.widths else ""))
    if isinstance(o, T.SpectrumOptions):
        train = o.train.steps if o.train else 0
        if o.method == "dense" and d > 500:
            return Cost(0, 0, 0, 0, "")  # the tool itself refuses a dense Hessian that big, and says to use lanczos
        dense = o.method == "dense" or (o.method == "auto" and d <= 500)
        spectral: tuple[float, float] = (s.hess_work, eig) if dense else ((o.probes + 4 * 60 + 3 * o.top * 20) * 4 * s.work, 0)
        return Cost(s.mem + (s.hess_mem + 2 * d * d if dense else (o.probes + 80) * d), train * s.work + spectral[0], spectral[1], train * 20 + o.probes * 10,
                    f"probes ({o.probes}) or train.steps ({train})" if not dense else f"train.steps ({train})")
    if isinstance(o, T.SharpnessOptions):
        checks = o.steps // o.every + 1
        return Cost(s.mem + 40 * d + 2 * o.steps, o.steps * s.work + checks * 30 * 4 * s.work, 0, o.steps * 20 + checks * 300,
                    f"steps ({o.steps}) or fewer measurements (every {o.every})")
    assert isinstance(o, T.PathOptions)
    train = sum(e.train.steps for e in (o.a, o.b) if isinstance(e, T.EndOptions))
    return Cost(o.samples * (s.mem + 3 * d) + o.points * (s.loss_mem + d), train * s.work + o.bend_steps * o.samples * s.work + 2 * o.points * s.loss_work,
                0, train * 20 + o.bend_steps * 40, f"bend_steps ({o.bend_steps}), samples ({o.samples}) or the ends' train.steps")


def _fmt_bytes(b: float) -> str:
    return f"{b / 1e9:.1f} GB" if b >= 1e9 else f"{b / 1e6:.0f} MB"


def _fmt_seconds(t: float) -> str:
    return f"{t / 60:.0f} minutes" if t >= 120 else f"{t:.0f} s"


def over_budget(run: str, problem_name: str, popts: Opts, topts: Opts) -> str | None:
    """Why this experiment is too big for the limits, naming the sizes to lower; None when it fits."""
    s = size(problem_name, popts)
    if isinstance(popts, P.MLPOptions):  # the networks' own limits (tutor.experiments.problems.deep), said the same way
        n = _data(popts)[0]
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
