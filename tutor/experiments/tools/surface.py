"""The loss over a plane."""

from __future__ import annotations

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.tools import SurfaceOptions
from tutor.experiments.nets.train import filter_directions
from tutor.experiments.problems.base import Problem
from tutor.experiments.problems.deep import DeepMLP
from tutor.experiments.problems.mlp import MLP
from tutor.experiments.registry import tool
from tutor.experiments.tools.base import Result, fnum
from tutor.experiments.tools.trained import start
from tutor.plots.spec import Mark, Plot


def _random_directions(problem: Problem, center: np.ndarray, seed: int, filter_normalize: bool) -> np.ndarray:
    """Two random directions; with filter normalisation (Li et al. 2018, "Visualizing the loss
    landscape of neural nets") each hidden unit's part is scaled to the norm of that unit's
    weights, so the picture does not depend on how the weights happen to be scaled."""
    rng = np.random.default_rng(seed)
    D = rng.normal(size=(2, problem.dim))
    if not filter_normalize:
        return D / np.linalg.norm(D, axis=1, keepdims=True) * max(1.0, float(np.linalg.norm(center)))
    if isinstance(problem, DeepMLP):  # every layer's units: incoming weights and bias (Li et al. §4)
        return filter_directions(problem.net, center, seed=seed, count=2)
    if isinstance(problem, MLP):
        groups = _unit_groups(problem)
    else:
        groups = [np.arange(problem.dim)]
    for g in groups:
        ref = float(np.linalg.norm(center[g]))
        for k in range(2):
            n = float(np.linalg.norm(D[k, g]))
            D[k, g] *= (ref if ref > 0 else 1.0) / n
    return D


def _unit_groups(problem: MLP) -> list[np.ndarray]:
    """Indexes of θ that belong to each hidden unit (its row of W1, b1 and W2), and b2."""
    H, I = problem.H, problem.I
    groups = []
    for h in range(H):
        idx = list(range(h * I, (h + 1) * I))
        if problem.bias:
            idx += [H * I + h, H * I + H + h]
        else:
            idx += [H * I + h]
        groups.append(np.array(idx))
    if problem.bias:
        groups.append(np.array([problem.dim - 1]))
    return groups


@tool(SurfaceOptions)
def surface(problem: Problem, o: SurfaceOptions) -> Result:
    """The loss over a plane through θ: two coordinates, or two random directions."""
    center = start(problem, o.at, o.train, "surface")
    if o.directions == "random":
        D = _random_directions(problem, center, o.seed, o.filter_normalize)
        xlabel, ylabel = "direction 1", "direction 2"
        base = center
    else:
        i, j = o.axes
        if max(i, j) >= problem.dim or i == j:
            raise ExperimentError(f"axes must be two different parameters among 0 to {problem.dim - 1} ({', '.join(problem.labels)})")
        D = np.zeros((2, problem.dim))
        D[0, i] = D[1, j] = 1.0
        base = center.copy()
        base[[i, j]] = 0.0
        xlabel, ylabel = problem.labels[i], problem.labels[j]
    lo, hi = (o.range[0], o.range[1]) if isinstance(o.range, tuple) else (-o.range, o.range)
    if o.directions == "random" or not isinstance(o.range, tuple):
        pass
    if not lo < hi:
        raise ExperimentError("range must have lo < hi")
    xs = np.linspace(lo, hi, o.points)
    if o.directions != "random":
        xs_ = xs + (center[o.axes[0]] if not isinstance(o.range, tuple) else 0.0)
        ys_ = xs + (center[o.axes[1]] if not isinstance(o.range, tuple) else 0.0)
    else:
        xs_, ys_ = xs, xs
    X, Y = np.meshgrid(xs_, ys_, indexing="xy")
    grid = base + X[..., None] * D[0] + Y[..., None] * D[1]
    with np.errstate(all="ignore"):
        Z = problem.loss(grid)
    minima = []
    n = o.points
    for r in range(1, n - 1):
        for c in range(1, n - 1):
            z = Z[r, c]
            nb = Z[r - 1 : r + 2, c - 1 : c + 2]
            if np.isfinite(z) and z <= np.nanmin(nb) and np.sum(nb == z) == 1:
                minima.append([float(xs_[c]), float(ys_[r]), float(z)])
    values = {"x": xs_, "y": ys_, "loss": Z, "minima": minima, "min_loss": float(np.nanmin(Z)), "max_loss": float(np.nanmax(Z))}
    # a valley of minima (dozens of grid minima along a curve) is clearer without marks on it
    plot = Plot(title="loss over a plane", xlabel=xlabel, ylabel=ylabel, heatmap=Z, xs=xs_, ys=ys_,
                marks=[Mark(m[0], m[1], "min") for m in minima] if len(minima) <= 8 else [])
    summary = [("grid minima", str(len(minima))), ("lowest loss", fnum(float(np.nanmin(Z)))), ("highest loss", fnum(float(np.nanmax(Z))))]
    return Result(values, [plot], summary)
