"""The tools a lesson can run (``run: NAME, with: {options}``), their options and the values their
results carry (what ``answer: {from: ..., value: ...}`` and placeholders may name). Each option model
states what the tool will cost (``cost(size)``): its own counts (points, starts, steps, pairs) times
what one evaluation of the problem costs (``cost.Size``), for the work budget."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from tutor.core.lab_schema.base import Num, Opts, Seed, Vector, tool
from tutor.core.lab_schema.cost import TRAIN_KERNEL_STARTS, Cost, Size, Work, calls, eig
from tutor.core.lab_schema.problems import WeightsOptions

Theta = Vector
BOX_DOC = ("where random points are drawn, in one of three forms: a half-width h (every coordinate in [−h, h], around at where "
           "the tool has one), one range [lo, hi] for every coordinate, or one range per coordinate [[lo, hi], [lo, hi], …] in the "
           "order of the parameters")
Range = tuple[Num, Num]
Box = Annotated[float, Field(gt=0, le=1e4)] | Range | Annotated[list[Range], Field(min_length=1, max_length=512)]
STEPS_BUDGET = 20_000_000


class TrainOptions(Opts):
    lr: Annotated[float, Field(gt=0, le=100)] = Field(0.1, description="the step size η of full-batch gradient descent")
    steps: int = Field(500, ge=0, le=20_000, description="steps of descent")
    seed: Seed = 0


def training(s: Size, t: TrainOptions | None) -> Work:
    return s.training(t.steps) if t else Work()


def check_box(box: float | tuple[float, float] | list[tuple[float, float]]) -> None:
    ranges = [box] if isinstance(box, tuple) else box if isinstance(box, list) else []
    for k, (lo, hi) in enumerate(ranges):
        where = f"range {k + 1} " if isinstance(box, list) and len(box) > 1 else ""
        if not lo < hi:
            raise ValueError(f"box: {where}[{lo:g}, {hi:g}] must have lo < hi")


def box_fits(box: float | tuple[float, float] | list[tuple[float, float]], dim: int, labels: str) -> str | None:
    """Why a box with one range per coordinate does not fit a problem with ``dim`` parameters."""
    if isinstance(box, list) and len(box) != dim:
        return (f"box has {len(box)} ranges but the problem has {dim} parameters{labels}; give one [lo, hi] per parameter, "
                "one [lo, hi] for all of them, or a half-width")
    return None


@tool("curve", "the loss along one line in weight space: one coordinate, or the segment between two points", {
    "t": "the positions along the line",
    "loss": "the loss at each position",
    "minima": "positions of the local minima inside the range (refined to rounding error)",
    "maxima": "positions of the local maxima inside the range",
    "min_loss": "the lowest loss on the line",
    "max_loss": "the highest loss on the line",
    "convex": "true when the loss is convex on the whole range (no negative second difference)",
    "minima_loss": "the loss at each minimum",
    "maxima_loss": "the loss at each maximum",
    "inflections": "positions where the curvature changes sign",
    "curvature": "the second derivative along the line at each position",
})
class CurveOptions(Opts):
    axis: int = Field(0, ge=0, le=511, description="the parameter to vary (0 is the first)")
    at: Theta | None = Field(None, description="the point whose other coordinates stay fixed (default: the problem's default point)")
    from_: Num | None = Field(None, alias="from", description="start of the range (default −2, or 0 with between)")
    to: Num | None = Field(None, description="end of the range (default 2, or 1 with between)")
    points: int = Field(401, ge=5, le=20001, description="positions evaluated")
    between: tuple[Theta, Theta] | None = Field(None, description="two points a, b: the line θ = (1−t)·a + t·b instead of one axis")

    def cost(self, s: Size) -> Cost:
        m, d = self.points, s.dim
        # the loss and curvature at every point, a Python pass over them for extrema and inflections, and
        # Brent's method on a few of them
        refine = 20 * (s.loss + s.grad) + 10 * s.curvature(1)
        held = 32 * s.hess_mem if d <= 16 else m * 2 * s.mem
        return Cost(m * (s.mem + 2 * d) + held, s.loss.batch(m) + s.curvature(m) + refine + calls(1.5 * m + 200), f"points ({m})")


@tool("surface", "the loss over a plane through a point: two coordinates, or two random directions", {
    "x": "the grid's positions along the first axis",
    "y": "the grid's positions along the second axis",
    "loss": "the loss on the grid (rows follow y, columns follow x)",
    "minima": "grid points lower than their eight neighbours, as [x, y, loss]",
    "min_loss": "the lowest loss on the grid",
    "max_loss": "the highest loss on the grid",
})
class SurfaceOptions(Opts):
    axes: tuple[int, int] = Field((0, 1), description="the two parameters spanning the plane")
    directions: Literal["random"] | None = Field(None, description="random: two random directions instead of two axes")
    seed: Seed = 0
    filter_normalize: bool = Field(True, description="scale random directions unit by unit to the weights' size (Li et al. 2018)")
    at: Theta | None = Field(None, description="the plane's centre (default: the problem's default point)")
    range: Annotated[float, Field(gt=0, le=10000.0)] | tuple[Num, Num] = Field(
        2.0, description="a half-width around the centre, or [lo, hi] along both axes")
    points: int = Field(41, ge=5, le=301, description="grid points along each axis")
    train: TrainOptions | None = Field(None, description="centre the plane on a network trained by full-batch descent from a random start "
                                       "{lr, steps, seed} (an mlp problem), instead of the default point")

    def cost(self, s: Size) -> Cost:
        m = self.points * self.points
        # the loss on the grid at once, then a Python pass over the cells for the grid's minima
        work = training(s, self.train) + s.loss.batch(m) + calls(5 * (self.points - 2) ** 2 + 100)
        knobs = f"points ({self.points})" + (f" or train.steps ({self.train.steps})" if self.train else "")
        return Cost(m * (s.loss_mem + 3 * s.dim), work, knobs)


@tool("stationary", "critical points (∇L = 0) from many starts, each with its kind read from the Hessian", {
    "points": ("each critical point found: theta, loss, grad_norm, eigenvalues, index, kind, zero_eigenvalues; a plateau also has "
               "growth: {norm: [from, to], loss: [from, to]}, what a step downhill and outward showed"),
    "counts": ("how many points of each kind: minimum, maximum, saddle, degenerate (the Hessian cannot decide), plateau (the gradient "
               "is tiny but stepping downhill away from the origin still lowers the loss: not a minimum)"),
    "found": "the number of distinct critical points",
    "escaped": "searches that ran off far outside the box (a plateau at infinity, not a critical point)",
    "levels": "the distinct (loss, index, kind) with how many points share them",
    "losses": "the loss of each point",
    "indexes": "the index (number of negative Hessian eigenvalues) of each point",
    "kinds": "the kind of each point",
})
class StationaryOptions(Opts):
    at: Theta | None = Field(None, description="describe this one point instead of searching")
    starts: int = Field(64, ge=1, le=2000, description="random starts of the search")
    seed: Seed = 0
    box: Box = Field(2.0, description=BOX_DOC)
    iterations: int = Field(100, ge=1, le=1000, description="Levenberg–Marquardt iterations per start")

    @model_validator(mode="after")
    def _box(self) -> StationaryOptions:
        check_box(self.box)
        return self

    def cost(self, s: Size) -> Cost:
        d = s.dim
        describe = s.loss + s.grad + s.hess + eig(d) + calls(40)
        if self.at is not None:
            return Cost(s.hess_mem + 4 * d * d, describe, "")
        m, k = self.starts, self.iterations
        # each iteration: Hessians and gradients at every start at once, H² and a solve per start; then each
        # distinct point found described (about one in four starts)
        lm = s.hess + s.grad + Work(0, 6 * d * d, d**3, d**3)
        work = k * (lm.batch(m) + calls(15)) + max(1, m // 4) * describe + calls(m * m / 50)
        return Cost(m * (s.hess_mem + 5 * d * d + s.mem), work, f"starts ({m}) or iterations ({k})")


class NoiseOptions(Opts):
    kind: Literal["uniform", "gaussian"] = Field("gaussian", description="the distribution of the noise added each step")
    scale: Annotated[float, Field(ge=0, le=1e3)] = Field(0.01, description="its standard deviation (gaussian) or half-width (uniform)")
    when_grad_below: Annotated[float, Field(ge=0, le=1e6)] | None = Field(None, description="add noise only where |∇L| is below this")


@tool("descent", "gradient descent with a fixed step from one start or many", {
    "start": "the starting point(s)",
    "final": "the end point(s)",
    "final_loss": "the loss at the end",
    "losses": "the loss at the recorded steps",
    "norms": "|θ| at the recorded steps",
    "loss_steps": "which steps were recorded",
    "diverged": "one run: whether it blew up; many: how many did",
    "rising_steps": "steps at which the loss went up",
    "period": "the period of a cycle the run ended in (0 or 1: none)",
    "endpoint_kind": ("what the end point is: minimum, saddle, maximum or degenerate (read from the Hessian, only for a run that has "
                      "stopped moving over its last tenth), plateau (over the last half and over the last tenth the loss still falls and "
                      "|θ| still grows: sliding along a valley towards infinity, not a minimum), not converged (still moving over the "
                      "last tenth otherwise), cycle or diverged"),
    "late_steps": "[first, last]: the last half of the run, shown as the evidence for plateau and not converged",
    "late_norms": "|θ| at the start of the last half and at the end",
    "late_losses": "the loss at the start of the last half and at the end",
    "grad_norm": "|∇L| at the end (one run)",
    "final_norm": "|θ| at the end",
    "endpoint_counts": "many runs: how many ended in each kind",
    "distinct_endpoints": "many runs: how many different end points",
})
class DescentOptions(Opts):
    start: Theta | None = Field(None, description="the starting point (default: the problem's weights, or one random start)")
    starts: int | None = Field(None, ge=1, le=2000, description="many random starts drawn from box instead of one")
    seed: Seed = 0
    box: Box = Field(2.0, description=BOX_DOC)
    lr: Annotated[float, Field(gt=0, le=1e3)] = Field(0.1, description="the step size η")
    steps: int = Field(100, ge=1, le=200_000, description="steps per run")
    noise: NoiseOptions | None = Field(None, description="noise added to each step: {kind, scale, when_grad_below}")

    @model_validator(mode="after")
    def _budget(self) -> DescentOptions:
        check_box(self.box)
        if (self.starts or 1) * self.steps > STEPS_BUDGET:
            raise ValueError(f"starts × steps may be at most {STEPS_BUDGET:,}")
        return self

    def cost(self, s: Size) -> Cost:
        m, k, d = self.starts or 1, self.steps, s.dim
        rec = min(k + 1, 2001)
        # each step: the problem's stepper on every start at once and a few updates of the state (noise, the
        # recorded losses and norms, a check for divergence); at the end each run's end point described
        step = s.step.batch(m) + Work(8 + 4 * (self.noise is not None), (6 + 3 * (self.noise is not None)) * d * m)
        end = m * (s.loss + s.grad + s.hess + eig(d) + calls(30)) + Work(m * 10, m * m * d)
        if s.recorded is not None and self.noise is None:  # the compiled kernel, called once between recorded steps
            return Cost(m * (s.mem + 2 * rec + 40 * d + k) + s.hess_mem, k * s.recorded.batch(m) + rec * (calls(6) + s.loss.batch(m)) + end,
                        f"starts ({m}) or steps ({k})")
        # the full-batch kernel start by start: its steps, and about 0.1 ms a start to set it up and read its records
        if s.compiled is not None and self.noise is None and m <= TRAIN_KERNEL_STARTS:
            return Cost(m * (s.mem + 4 * k + 56 * d) + s.hess_mem, m * (k * s.compiled + Work(120, 8 * k)) + end,
                        f"starts ({m}) or steps ({k})")
        return Cost(m * (s.mem + 2 * rec + 40 * d) + s.hess_mem, k * step + end, f"starts ({m}) or steps ({k})")


@tool("convexity", "the definition of convexity tested on random pairs, and the Hessian's smallest eigenvalue", {
    "pairs": "the number of pairs tested",
    "violations": "pairs where the loss rises above the chord somewhere between them",
    "worst_gap": "the largest height of the loss above the chord",
    "counterexample": "the worst pair {a, b, t, gap}, or null when there is none",
    "min_hessian_eigenvalue": "the smallest Hessian eigenvalue seen at the pairs' ends",
    "convex": "true when no pair violates the definition and no eigenvalue is negative",
})
class ConvexityOptions(Opts):
    box: Box = Field(2.0, description=BOX_DOC)
    pairs: int = Field(400, ge=1, le=100_000, description="random pairs of points")
    seed: Seed = 0
    at: Theta | None = Field(None, description="centre of the box (default the origin)")

    @model_validator(mode="after")
    def _box(self) -> ConvexityOptions:
        check_box(self.box)
        return self

    def cost(self, s: Size) -> Cost:
        m, d = self.pairs, s.dim
        e = min(2 * m, 2000)
        # the loss at both ends and nine points between, every pair at once; Hessians at the first 2000 ends
        work = s.loss.batch(11 * m) + s.hessians(e) + s.loss.batch(101) + calls(150)
        return Cost(9 * m * (s.loss_mem + 3 * d) + 32 * s.hess_mem + e * d, work, f"pairs ({m})")


@tool("symmetry", "a network and a copy with its hidden units reordered (and flipped): same function, and the line between", {
    "equivalent_count": "how many equivalent copies every network has: n!·2ⁿ or n!",
    "flips_are_symmetries": "whether negating a unit is a symmetry for this activation",
    "why": "the reason, in words",
    "max_output_diff": "the largest difference between the two networks' outputs",
    "loss_a": "the loss of the given network",
    "loss_b": "the loss of the copy",
    "midpoint_loss": "the loss halfway between them",
    "barrier": "the largest height of the loss above the chord on the straight line between them",
    "aligned_barrier": "the same after matching the copy's units to the original's (Ainsworth et al. 2023)",
    "theta_b": "the copy as a parameter vector",
    "W1_b": "the copy's W1", "b1_b": "the copy's b1", "W2_b": "the copy's W2", "b2_b": "the copy's b2",
    "permutation": "the reordering used",
    "distance": "|θa − θb|",
})
class SymmetryOptions(Opts):
    permutation: list[Annotated[int, Field(ge=0, le=15)]] | Literal["random"] | None = Field(
        None, description="new unit k = old unit permutation[k]; random; default: reversed")
    flip: list[Annotated[int, Field(ge=0, le=15)]] = Field(default_factory=list, description="hidden units to negate")
    seed: Seed = 0
    other: WeightsOptions | None = Field(None, description="compare with this network instead of a permuted copy")
    points: int = Field(101, ge=3, le=2001, description="points on the line between the two networks")

    def cost(self, s: Size) -> Cost:
        # the line before and after aligning, the outputs of both networks, an assignment
        return Cost(self.points * (s.loss_mem + s.dim) + 204 * s.loss_mem, 2 * s.loss.batch(self.points) + 4 * s.loss + calls(150),
                    f"points ({self.points})")


class InitOptions(Opts):
    kind: Literal["uniform", "normal"] = Field("uniform", description="the distribution of the starting weights")
    scale: Annotated[float, Field(gt=0, le=1e3)] = Field(1.0, description="half-width (uniform) or standard deviation (normal)")


@tool("census", "train from many random starts and count where the runs end (Hamey 1998 on XOR)", {
    "runs": "the number of runs",
    "final_losses": "each run's final loss",
    "stuck": "runs that ended above stuck_above",
    "stuck_fraction": "stuck / runs",
    "diverged": "runs that blew up",
    "distinct": "different end points",
    "distinct_modulo_symmetry": "different end points once equivalent networks count once",
    "loss_levels": "the distinct final losses",
    "best_loss": "the lowest final loss",
    "by_width": "with widths: for each width {hidden, runs, stuck, stuck_fraction, best_loss}",
})
class CensusOptions(Opts):
    starts: int = Field(100, ge=1, le=5000, description="runs")
    seed: Seed = 0
    init: InitOptions = Field(InitOptions(), description="the starting weights: {kind, scale}")
    lr: Annotated[float, Field(gt=0, le=1e3)] = Field(2.0, description="the step size η")
    steps: int = Field(2000, ge=1, le=200_000, description="steps per run (on XOR, 2000 steps of 2.0 leave 16 of 100 runs stuck, as 5000 do)")
    stuck_above: Annotated[float, Field(ge=0)] = Field(0.05, description="a run whose final loss is above this counts as stuck")
    tolerance: Annotated[float, Field(gt=0, le=10)] = Field(0.05, description="end points closer than this count as one")
    widths: Annotated[list[Annotated[int, Field(ge=1, le=64)]], Field(min_length=1, max_length=8)] | None = Field(
        None, description="repeat the census for each of these hidden widths (an mlp problem with one hidden layer): values by_width")

    @model_validator(mode="after")
    def _budget(self) -> CensusOptions:
        if self.starts * self.steps * len(self.widths or [1]) > STEPS_BUDGET:
            raise ValueError(f"starts × steps × widths may be at most {STEPS_BUDGET:,}")
        return self

    def cost(self, s: Size) -> Cost:
        m, k, widths = self.starts, self.steps, self.widths or []
        # every start at once: the census kernel where the network has one, else descent's stepper; each width
        # again, its cost in proportion to its units; then the end points sorted and clustered in Python
        if s.many is not None:
            runs = k * s.many.batch(m) + sum((k * s.many.batch(m * w / s.width) for w in widths), Work())
        else:
            runs = (1 + len(widths)) * k * (s.step.batch(m) + Work(8, 6 * s.dim * m))
        work = runs + (1 + len(widths)) * calls(15 * m) + Work(0, m * m * s.dim)
        return Cost(m * (s.mem + 4 * s.dim) * max(1, max(widths or [1]) / 2), work,
                    f"starts ({m}) or steps ({k})" + (f" or widths ({len(widths)})" if widths else ""))


# ------------------------------------------------------------------ curvature of networks


@tool("spectrum", "the Hessian's eigenvalues at a point or after training: dense for small nets, Lanczos beyond (PyHessian)", {
    "eigenvalues": "the largest eigenvalues, largest first (top of them)",
    "smallest": "the smallest eigenvalue (negative: a direction of descent)",
    "trace": "the sum of all eigenvalues: exact when dense, else Hutchinson's estimate",
    "trace_exact": "true when the trace is exact",
    "trace_error": "the standard error of Hutchinson's estimate (0 when exact)",
    "density": "a histogram of the eigenvalues {centers, fraction}: exact when dense, else stochastic Lanczos quadrature",
    "method": "dense or lanczos",
    "loss": "the loss at the point",
    "grad_norm": "|∇L| at the point",
    "parameters": "the number of parameters d",
    "negative": "how many eigenvalues are below −0.001·λ_max: directions of descent (exact when dense, else estimated from the density)",
    "flat": "how many eigenvalues are within 0.001·λ_max of zero: flat directions (exact when dense, else estimated from the density)",
})
class SpectrumOptions(Opts):
    at: Theta | None = Field(None, description="the point (default: the problem's default point)")
    train: TrainOptions | None = Field(None, description="first train from a random start by full-batch descent {lr, steps, seed}")
    top: int = Field(5, ge=1, le=50, description="how many of the largest eigenvalues")
    method: Literal["auto", "dense", "lanczos"] = Field("auto", description="auto: the dense Hessian up to 500 parameters, Lanczos beyond")
    probes: int = Field(100, ge=10, le=5000, description="random ±1 vectors for Hutchinson's trace outside the top eigenvectors (Lanczos only)")
    bins: int = Field(40, ge=5, le=200, description="bins of the density histogram")
    seed: Seed = 0

    def cost(self, s: Size) -> Cost:
        d, train = s.dim, training(s, self.train)
        knobs = f"train.steps ({self.train.steps})" if self.train else ""
        if self.method == "dense" and d > 1500:
            return Cost(0, Work(), "")  # the tool itself refuses a dense Hessian that big, and says to use lanczos
        end = train + s.grad + calls(300)
        if self.method == "dense" or (self.method == "auto" and d <= 500) or s.hvps is None or s.hvp is None or d < 3:
            hess = s.hess if s.hvps is None else s.hvps.batch(d) + calls(40 * -(-d // 256))  # networks: d products at once
            return Cost(s.mem + s.hess_mem + 2 * d * d, end + hess + 2 * eig(d), knobs)
        # ARPACK's Lanczos (about 30 + 15·top products, one at a time, and its own work on a few dozen vectors of
        # d), Hutchinson's probes 64 at a time against the top eigenvectors, three quadrature runs of 50 steps
        k, p = self.top, self.probes
        lanczos = (30 + 15 * k) * (s.hvp + Work(5, 10 * d))
        hutchinson = s.hvps.batch(p) + Work(40 * -(-p // 64), 4 * d * p, 2 * k * d * p)
        quadrature = 50 * (s.hvps.batch(3) + Work(30, 150 * d))
        return Cost(s.mem + (p + 80) * d, end + lanczos + hutchinson + quadrature, f"probes ({p})" + (f" or {knobs}" if knobs else ""))


@tool("sharpness", "full-batch gradient descent recording the largest Hessian eigenvalue: the edge of stability (Cohen et al. 2021)", {
    "steps": "the steps at which the sharpness was measured",
    "sharpness": "the largest Hessian eigenvalue at those steps",
    "threshold": "2/η: above it descent is unstable on a quadratic of that curvature",
    "loss": "the loss at every step (steps + 1 values)",
    "loss_steps": "0, 1, …, steps",
    "rising_steps": "steps at which the loss went up",
    "final_loss": "the loss at the end",
    "max_sharpness": "the largest sharpness measured",
    "diverged": "whether the run blew up",
})
class SharpnessOptions(Opts):
    lr: Annotated[float, Field(gt=0, le=100)] = Field(0.1, description="the step size η")
    steps: int = Field(1000, ge=1, le=20_000, description="steps of full-batch descent")
    every: int = Field(10, ge=1, le=10_000, description="measure the sharpness every this many steps")
    at: Theta | None = Field(None, description="the starting point (default: the problem's default point)")
    seed: Seed = 0

    def cost(self, s: Size) -> Cost:
        d, checks = s.dim, self.steps // self.every + 1
        # a full-batch step of the network per step; each measurement a Lanczos run of about 12 products from
        # the previous eigenvector, each with a reorthogonalisation and a small tridiagonal eigenproblem
        measure = 12 * ((s.hvp or s.grad) + Work(30, 24 * d))
        # the steps between two measurements: one call of the compiled kernel (tutor.experiments.nets.train_jit), else numpy's loop
        steps = self.steps * s.compiled + checks * Work(20, 3 * self.every) if s.compiled is not None else self.steps * ((s.train or s.grad) + calls(4))
        return Cost(s.mem + 60 * d + 2 * self.steps, steps + checks * measure + calls(300),
                    f"steps ({self.steps}) or fewer measurements (every {self.every})")


class EndOptions(Opts):
    train: TrainOptions = Field(description="a network trained by full-batch descent from a random start {lr, steps, seed}")


End = Theta | EndOptions


@tool("path", "the loss along the straight line and along a trained Bézier curve between two networks (Garipov et al. 2018)", {
    "t": "positions along the paths, 0 at a and 1 at b",
    "line_loss": "the loss along the straight line (1−t)a + tb",
    "curve_loss": "the loss along the Bézier curve (1−t)²a + 2t(1−t)m + t²b with the bend m trained",
    "line_barrier": "the largest height of the line's loss above the chord between the ends",
    "curve_barrier": "the same along the curve",
    "loss_a": "the loss at a",
    "loss_b": "the loss at b (after aligning, the same network)",
    "distance": "|a − b| (after aligning)",
})
class PathOptions(Opts):
    a: End = Field(EndOptions(train=TrainOptions(seed=1)), description="one end: weights, or {train: {lr, steps, seed}}")
    b: End = Field(EndOptions(train=TrainOptions(seed=2)), description="the other end: weights, or {train: {lr, steps, seed}}")
    align: bool = Field(False, description="first reorder b's hidden units to match a's (weight matching, Ainsworth et al. 2023)")
    bend_steps: int = Field(300, ge=0, le=20_000, description="Adam steps training the bend m on random points of the curve")
    bend_lr: Annotated[float, Field(gt=0, le=10)] = Field(0.05, description="Adam's step size for the bend")
    samples: int = Field(16, ge=1, le=256, description="points t drawn on the curve each step")
    points: int = Field(41, ge=3, le=2001, description="positions t at which both paths are evaluated")
    seed: Seed = 0

    def cost(self, s: Size) -> Cost:
        train = sum((training(s, e.train) for e in (self.a, self.b) if isinstance(e, EndOptions)), Work())
        # Adam on the bend: one gradient at `samples` points of the curve a step; the two paths' losses
        bend = self.bend_steps * (s.grad.batch(self.samples) + calls(25))
        work = train + bend + 2 * s.loss.batch(self.points) + calls(200)
        return Cost(self.samples * (s.mem + 3 * s.dim) + self.points * (s.loss_mem + s.dim), work,
                    f"bend_steps ({self.bend_steps}), samples ({self.samples}) or the ends' train.steps")
