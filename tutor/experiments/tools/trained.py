"""Where the network tools start: a given point, the problem's default, or a network trained by
full-batch descent from a seeded random start (shared by spectrum, surface, sharpness and path)."""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.tools import TrainOptions
from tutor.experiments.nets import train as T
from tutor.experiments.nets.mlp import Net
from tutor.experiments.problems.base import Problem
from tutor.experiments.problems.deep import net_of
from tutor.experiments.tools.base import _theta

MAX_TRAIN_WORK = 3_000_000_000  # steps × parameters × examples: a few seconds at most


def check_work(net: Net, steps: int, what: str) -> None:
    if steps * net.dim * net.N > MAX_TRAIN_WORK:
        raise ExperimentError(f"{what}: {steps:,} steps × {net.dim:,} parameters × {net.N:,} examples is more work than allowed "
                              f"({MAX_TRAIN_WORK:,}); use fewer steps, examples or units")


def random_start(problem: Problem, seed: int) -> np.ndarray:
    """LeCun's start with this seed, scaled as the problem's ``init`` says."""
    o = getattr(problem, "o", None)
    scale = o.init.scale if o is not None else 1.0
    return net_of(problem).init(np.random.default_rng(seed), scale=scale)


def trained(problem: Problem, t: TrainOptions, what: str) -> np.ndarray:
    net = net_of(problem)
    check_work(net, t.steps, what)
    run = T.descend(net, random_start(problem, t.seed), t.lr, t.steps)
    if run.diverged:
        raise ExperimentError(f"{what}: training diverged at step size {t.lr:g}; try a smaller lr")
    return run.theta


def start(problem: Problem, at: Any, train: TrainOptions | None, what: str) -> np.ndarray:
    if at is not None and train is not None:
        raise ExperimentError(f"{what}: give either at or train, not both")
    if train is not None:
        return trained(problem, train, what)
    return _theta(problem, at, "at")


def second_order(problem: Problem) -> tuple[Any, Any]:
    """θ ↦ (V ↦ H(θ)V) where the problem has exact products (every mlp), else None; and θ ↦ the
    dense Hessian (from those products for networks, the problem's own Hessian otherwise)."""
    if problem.name == "mlp":
        net = net_of(problem)
        return net.hvp_at, net.hessian
    hvp = getattr(problem, "hvp", None)
    return (None if hvp is None else lambda th: lambda V: hvp(th, V)), lambda th: np.asarray(problem.hess(th), dtype=float)
