"""The units of the work budget (``tutor.core.lab_schema.budget``): what one evaluation of a problem
costs, and what a tool adds up from them.

Time is counted in four kinds of work, each with its own speed: numpy calls made from Python (a
fixed cost each, whatever the size: it is what small problems and long loops pay), floats touched
by element-wise numpy, multiply-adds inside matrix products (BLAS, much faster per operation) and
the floating-point operations of LAPACK (solves and eigenvalues). A problem states, from its sizes
alone, the ``Work`` of one loss, one gradient, one Hessian, … at one point (``Size``); ``batch(m)``
is the same evaluation on m points at once (one set of calls, m times the arithmetic), ``k * w`` is
k evaluations one after another. Each tool's option model states its own cost from these
(``Opts.cost(size)``), next to the options it counts.

Pure Python, so ``tutor check --no-run`` applies the same limits without numpy. The speeds were
calibrated against measured runs of every experiment the lessons and benchmarks use
(bench/bench_budget.py: estimate / measured within 3x either way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CALL_SECONDS = 1.0e-6  # one numpy call on a small array, or a few lines of Python around it
FLOAT_SECONDS = 1.0e-9  # one float of an element-wise numpy operation
MAC_SECONDS = 1.0e-10  # one multiply-add inside a matrix product (BLAS on one thread)
LAPACK_SECONDS = 1.0 / 5e9  # one floating-point operation of LAPACK (reductions, factorisations) on small dense matrices
BYTES = 8
HESS_ROWS = 32  # tools compute Hessians this many points at a time (tutor.experiments.tools.base)


@dataclass(frozen=True)
class Work:
    """Work in four kinds: numpy calls, element-wise floats, BLAS multiply-adds, LAPACK operations."""

    calls: float = 0.0
    floats: float = 0.0
    macs: float = 0.0
    lapack: float = 0.0

    def __add__(self, other: Work) -> Work:
        return Work(self.calls + other.calls, self.floats + other.floats, self.macs + other.macs, self.lapack + other.lapack)

    def __mul__(self, k: float) -> Work:
        """k of them, one after another."""
        return Work(self.calls * k, self.floats * k, self.macs * k, self.lapack * k)

    __rmul__ = __mul__

    def batch(self, m: float) -> Work:
        """The same evaluation on m points at once: the calls once, the arithmetic m times."""
        return Work(self.calls, self.floats * m, self.macs * m, self.lapack * m)

    @property
    def seconds(self) -> float:
        return self.calls * CALL_SECONDS + self.floats * FLOAT_SECONDS + self.macs * MAC_SECONDS + self.lapack * LAPACK_SECONDS


def calls(n: float) -> Work:
    return Work(calls=n)


def eig(d: int) -> Work:
    """The eigenvalues of one symmetric matrix of size d (the reduction to tridiagonal form dominates)."""
    return Work(calls=4, lapack=4 * d**3 / 3)


@dataclass(frozen=True)
class Size:
    """What one problem costs at one point: its parameters, the work of each evaluation, the floats
    it holds, and the sizes an author can lower, in words."""

    dim: int
    loss: Work  # one loss
    grad: Work  # one loss and gradient
    hess: Work  # one dense Hessian
    step: Work  # one step of descent for one start (the problem's batched stepper)
    mem: float  # floats held while computing a gradient
    hess_mem: float  # floats held while computing a Hessian
    knobs: str
    loss_mem: float = 0.0  # floats held for one loss (default: mem)
    curv: Literal["complex", "hvp", "hess"] = "hess"  # how the second derivative along a line is computed
    # networks (tutor.experiments.nets), whatever class computes the problem's own loss:
    hvp: Work | None = None  # one Hessian-vector product by itself
    hvps: Work | None = None  # one of many products at the same point, computed together (``batch(k)`` for k of them)
    train: Work | None = None  # one step of full-batch descent of one network
    # one-hidden-layer networks the census kernel runs (tutor.experiments.nets.census):
    many: Work | None = None  # one step of one start, many starts at once (``batch(starts)``)
    recorded: Work | None = None  # the same on the compiled kernel that records every loss (tools.descent), where it runs
    width: int = 0  # the hidden units that cost is for
    # networks and logistic regression on the compiled full-batch kernel (tutor.experiments.nets.train_jit), where
    # llvmlite is installed: training (``train:``), and the descent tool for a few starts (TRAIN_KERNEL_STARTS)
    compiled: Work | None = None  # one step of one network

    def __post_init__(self) -> None:
        object.__setattr__(self, "loss_mem", self.loss_mem or self.mem)

    def curvature(self, m: int) -> Work:
        """The second derivative along one direction at m points (``Problem.curvature``)."""
        if self.curv == "complex":  # one complex gradient per point, all at once
            return (3 * self.grad).batch(m)
        if self.curv == "hvp" and self.hvp is not None:  # one product per point, in a loop
            return m * self.hvp
        return -(-m // HESS_ROWS) * self.hess.batch(min(m, HESS_ROWS))

    def hessians(self, m: int) -> Work:
        """Hessians and their eigenvalues at m points (``tools.base.hess_map``)."""
        return -(-m // HESS_ROWS) * (self.hess + eig(self.dim)).batch(min(m, HESS_ROWS))

    def training(self, steps: int) -> Work:
        """Training one network from a random start by full-batch descent (``tools.trained``): a gradient a
        step, or the compiled kernel's step."""
        if self.compiled is not None:
            return steps * self.compiled + Work(20, 3 * steps)
        return steps * ((self.train or self.grad) + calls(4))


TRAIN_KERNEL_STARTS = 16  # the descent tool runs at most this many starts one by one on the compiled kernel


def compiled_step(examples: int, units: int, dim: int) -> Work:
    """One step of the compiled full-batch kernel: the products (three multiply-adds a weight and an example,
    vectorised), a few operations per unit and example (its function and derivative), a fixed part."""
    return Work(0.2, units, 3 * examples * dim)


@dataclass(frozen=True)
class Cost:
    """What a tool will need: peak floats held, the work, and the tool's sizes an author can lower."""

    floats: float
    work: Work
    knobs: str = ""

    @property
    def bytes(self) -> float:
        return BYTES * self.floats

    @property
    def seconds(self) -> float:
        return self.work.seconds
