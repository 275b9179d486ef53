"""Descent you can watch: a stepping state machine that hands out frames (plot specs and numbers).

The app plays it a few steps per tick of a timer and draws each ``Frame``; line mode prints the
first and the last. It computes everything here (pure numpy) so that the views only draw.

What is drawn over the landscape:

* one parameter: the loss curve itself, with the run's points on it;
* two parameters: the loss surface, with the path;
* more (a network): a plane through the start, spanned by u = (end − start) of the author's run and
  a random direction v orthogonal to it with the same length, as in the 2-D plots of Li, Xu,
  Taylor, Studer & Goldstein (2018), "Visualizing the loss landscape of neural nets". Point
  (a, b) of the picture is θ = start + a·u + b·v; the path is the run projected onto that plane,
  so away from the plane it is only a shadow (the frame says how far off it is).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from tutor.core.lab_schema.tools import DescentOptions
from tutor.core.numbers import number
from tutor.experiments.problems.base import Problem
from tutor.experiments.problems.mlp import MLP
from tutor.experiments.tools.base import DIVERGED, _box, _uniform
from tutor.plots.spec import Mark, Plot, Series

# step sizes the learner moves between with + and -
LADDER = (0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5,
          0.55, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
GRID = 41  # surface samples per side (2-D)
FRAMES = 80  # a run of the author's length plays in about this many ticks


@dataclass
class Frame:
    step: int
    steps: int  # the run's length
    loss: float
    lr: float
    grad_norm: float
    theta: list[float]
    state: str  # "paused", "playing", "done", "diverged"
    landscape: Plot
    curve: Plot
    off_plane: float = 0.0  # networks: distance of θ from the drawn plane, relative to |u|
    rows: list[tuple[str, str]] = field(default_factory=list)


def start_of(problem: Problem, o: DescentOptions) -> np.ndarray:
    """The run's start, chosen as the descent tool chooses it."""
    if o.start is not None:
        return problem.check(np.asarray(o.start), "start").astype(float)
    if isinstance(problem, MLP) and problem.theta0 is not None:
        return np.array(problem.theta0, dtype=float)
    rng = np.random.default_rng(o.seed)
    lo, hi = _box(o.box, problem.dim)
    return _uniform(rng, 1, lo, hi)[0]


class Live:
    """Gradient descent θ ← θ − η∇L(θ) from one start, one step at a time."""

    def __init__(self, problem: Problem, o: DescentOptions):
        self.problem = problem
        self.f = problem.stepper()
        self.start = start_of(problem, o)
        self.steps = o.steps
        self.lr0 = o.lr
        self.lr = o.lr
        self.seed = o.seed
        self.chunk = max(1, round(o.steps / FRAMES))
        self._plane()
        self.reset()

    # -- the state machine -----------------------------------------------------------------
    def reset(self) -> None:
        """Back to the start (the step size stays as the learner set it)."""
        self.theta = self.start.copy()
        self.k = 0
        self.playing = False
        self.diverged = False
        L, G = self._eval(self.theta)
        self.L, self.G = L, G
        self.limit = DIVERGED * (abs(L) + 1.0)
        self.losses = [L]
        self.path = [self._coords(self.theta)]

    @property
    def done(self) -> bool:
        return self.diverged or self.k >= self.steps

    def step(self, n: int = 1) -> int:
        """Up to ``n`` steps (fewer at the end of the run or when it diverges); returns how many."""
        taken = 0
        with np.errstate(all="ignore"):
            while taken < n and not self.done:
                theta = self.theta - self.lr * self.G
                L, G = self._eval(theta)
                if not math.isfinite(L) or L - self.limit > 0:
                    self.diverged = True
                    self.playing = False
                    break
                self.theta, self.L, self.G = theta, L, G
                self.k += 1
                taken += 1
                self.losses.append(L)
                self.path.append(self._coords(theta))
        if self.done:
            self.playing = False
        return taken

    def one(self) -> int:
        """A single step, pausing a run that plays."""
        self.playing = False
        return self.step(1)

    def toggle(self) -> None:
        """Play or pause; playing a finished run starts it again."""
        if self.playing:
            self.playing = False
            return
        if self.done:
            self.reset()
        self.playing = True

    def tick(self) -> bool:
        """One tick of the timer: a chunk of steps while playing. True when something changed."""
        if not self.playing:
            return False
        return self.step(self.chunk) > 0 or not self.playing

    def change_lr(self, direction: int) -> float:
        """The next step size up (+1) or down (−1) the ladder; it takes effect at the next step."""
        if direction > 0:
            bigger = [x for x in LADDER if x > self.lr * (1 + 1e-9)]
            self.lr = bigger[0] if bigger else self.lr
        else:
            smaller = [x for x in LADDER if x < self.lr * (1 - 1e-9)]
            self.lr = smaller[-1] if smaller else self.lr
        return self.lr

    def run_to_end(self) -> None:
        self.step(self.steps - self.k)

    # -- numerics ----------------------------------------------------------------------------
    def _eval(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        L, G = self.f(theta[:, None])
        return float(L[0]), G[:, 0]

    def _plane(self) -> None:
        """The slice the landscape is drawn on, and its precomputed surface."""
        d = self.problem.dim
        self.origin = np.zeros(d)
        self.U: np.ndarray | None = None
        if d <= 2:
            # a window around the author's run (the one the lesson is about), with a margin
            path = self._author_path()
            # with the start mirrored through the end: room for runs that overshoot (zig-zag)
            path = np.vstack([path, 2 * path[-1] - path[0]])
            lo, hi = path.min(0), path.max(0)
            span = np.maximum(hi - lo, 0.5 * (np.abs(hi) + np.abs(lo)) + 0.5)
            lo, hi = lo - 0.25 * span, hi + 0.25 * span
            if d == 1:
                self.xs = np.linspace(lo[0], hi[0], 201)
                self.ys = None
                with np.errstate(all="ignore"):
                    self.Z = self.problem.loss(self.xs[:, None])
            else:
                self.xs = np.linspace(lo[0], hi[0], GRID)
                self.ys = np.linspace(lo[1], hi[1], GRID)
                X, Y = np.meshgrid(self.xs, self.ys)
                with np.errstate(all="ignore"):
                    self.Z = self.problem.loss(np.stack([X, Y], -1))
            return
        end = self._author_path()[-1]
        u = end - self.start
        n = float(np.linalg.norm(u))
        rng = np.random.default_rng(self.seed + 1)
        if n < 1e-12:
            u = rng.normal(size=d)
            n = float(np.linalg.norm(u))
        v = rng.normal(size=d)
        v -= (v @ u) / (u @ u) * u
        v *= n / float(np.linalg.norm(v))
        self.origin = self.start
        self.U = np.stack([u, v])  # (2, d)
        self.P = np.linalg.pinv(self.U.T)  # coordinates of a point's projection
        self.xs = np.linspace(-0.5, 1.5, 25)
        self.ys = np.linspace(-1.0, 1.0, 25)
        A, B = np.meshgrid(self.xs, self.ys)
        T = self.start + A[..., None] * u + B[..., None] * v
        with np.errstate(all="ignore"):
            self.Z = self.problem.loss(T)

    def _author_path(self) -> np.ndarray:
        theta = self.start.copy()
        out = [theta]
        L, G = self._eval(theta)
        limit = DIVERGED * (abs(L) + 1.0)
        with np.errstate(all="ignore"):
            for _ in range(self.steps):
                nxt = theta - self.lr0 * G
                Ln, Gn = self._eval(nxt)
                if not math.isfinite(Ln) or Ln > limit:
                    break
                theta, G = nxt, Gn
                out.append(theta)
        return np.array(out)

    def _coords(self, theta: np.ndarray) -> tuple[float, float]:
        if self.U is None:
            return (float(theta[0]), float(theta[1]) if len(theta) > 1 else 0.0)
        a, b = self.P @ (theta - self.origin)
        return float(a), float(b)

    # -- what is drawn -------------------------------------------------------------------------
    def frame(self) -> Frame:
        state = "diverged" if self.diverged else "done" if self.done else "playing" if self.playing else "paused"
        off = 0.0
        if self.U is not None:
            a, b = self.path[-1]
            rel = self.theta - self.origin - a * self.U[0] - b * self.U[1]
            off = float(np.linalg.norm(rel) / np.linalg.norm(self.U[0]))
        gn = float(np.linalg.norm(self.G))
        fr = Frame(self.k, self.steps, self.L, self.lr, gn, [float(x) for x in self.theta], state,
                   self._landscape(), self._curve(), off)
        fr.rows = rows(fr, self.problem.dim)
        return fr

    def _inside(self, x: float, y: float) -> bool:
        ok = self.xs[0] <= x <= self.xs[-1]
        if self.ys is not None:
            ok = ok and self.ys[0] <= y <= self.ys[-1]
        return ok and math.isfinite(x) and math.isfinite(y)

    def _landscape(self) -> Plot:
        d = self.problem.dim
        pts = [(x, y) for x, y in self.path if self._inside(x, y)]
        if d == 1:
            loss = self.losses[-len(self.path):]
            on = [(x, L) for (x, _), L in zip(self.path, loss) if self._inside(x, 0.0)]
            series = [Series(self.xs.tolist(), self.Z.tolist(), "line", "loss")]
            if on:
                series.append(Series([p[0] for p in on], [p[1] for p in on], "scatter", "path"))
            marks = [Mark(float(self.start[0]), self.losses[0], "start", "start")]
            if on and self.k > 0:
                marks.append(Mark(on[-1][0], on[-1][1], "end", "now"))
            return Plot("the loss curve", self.problem.labels[0], "loss", series, marks)
        # the path as points ("o" in ASCII): a line's characters would blend into the shading
        series = [Series([p[0] for p in pts], [p[1] for p in pts], "scatter", "path")] if len(pts) > 1 else []
        first = self.path[0]
        marks = [Mark(first[0], first[1], "start", "start")]
        if pts and self.k > 0:
            marks.append(Mark(pts[-1][0], pts[-1][1], "end", "now"))
        if self.U is None:
            xl, yl = self.problem.labels[0], self.problem.labels[1]
            title = "the loss surface"
        else:
            xl, yl = "a: along end - start", "b"
            title = "a 2-D slice"
        assert self.ys is not None
        return Plot(title, xl, yl, series, marks, heatmap=self.Z, xs=self.xs.tolist(), ys=self.ys.tolist())

    def _curve(self) -> Plot:
        y = np.asarray(self.losses)
        x = np.arange(len(y))
        pos = y[np.isfinite(y)]
        ylog = bool(len(pos) > 1 and pos.min() > 0 and pos.max() / pos.min() > 100)
        return Plot("loss by step", "step", "loss", [Series(x.tolist(), y.tolist(), "line", "loss")], ylog=ylog, xint=True)


def rows(fr: Frame, dim: int) -> list[tuple[str, str]]:
    """The frame's numbers as (label, text) rows."""
    out = [("step", f"{fr.step} of {fr.steps}"), ("loss", number(fr.loss, 4)), ("step size", number(fr.lr, 4)),
           ("|gradient|", number(fr.grad_norm, 4))]
    if dim <= 4:
        out.append(("θ", "[" + ", ".join(number(x, 4) for x in fr.theta) + "]"))
    else:
        out.append(("off the plane", number(fr.off_plane, 3)))
    return out


def make(problem: Problem, o: DescentOptions) -> Live:
    return Live(problem, o)
