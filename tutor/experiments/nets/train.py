"""Training a network and reading its landscape: full-batch descent with the sharpness recorded
(Cohen, Kaur, Li, Kolter & Talwalkar 2021, "Gradient descent on neural networks typically occurs
at the edge of stability"), low-loss Bézier curves between two minima (Garipov, Izmailov,
Podoprikhin, Vetrov & Wilson 2018, "Loss surfaces, mode connectivity, and fast ensembling of
DNNs"), weight matching before interpolating (Ainsworth, Hayase & Srinivasa 2023, "Git Re-Basin"),
and filter-normalised directions for pictures of the loss (Li, Xu, Taylor, Studer & Goldstein
2018, "Visualizing the loss landscape of neural nets")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor.experiments.nets.curvature import top_eigenpair
from tutor.experiments.nets.mlp import Net

DIVERGED = 1e12
SHARPNESS_TOL = 1e-6  # Lanczos stops at a residual of 1e-6·λ: the eigenvalue itself is then right to about 1e-12


@dataclass
class Descent:
    theta: np.ndarray  # the final parameters
    loss: np.ndarray  # the loss before each step, and after the last (steps + 1 values)
    sharp_steps: np.ndarray  # the steps at which the sharpness was measured
    sharpness: np.ndarray  # the largest Hessian eigenvalue there
    diverged: bool


def descend(net: Net, theta: np.ndarray, lr: float, steps: int, every: int = 0, seed: int = 0, kernel: str = "auto") -> Descent:
    """θ ← θ − η∇L(θ) on the full batch. With ``every`` > 0 the largest Hessian eigenvalue (the
    sharpness) is measured every ``every`` steps by Lanczos, started from the previous top
    eigenvector so that each measurement takes a handful of products. On a quadratic with
    curvature λ descent is stable only while λ < 2/η; Cohen et al. found that networks drive
    their sharpness up to 2/η and then keep it hovering there, while the loss keeps falling
    over many steps, not on every one.

    The steps run on the compiled kernel (``train_jit``) where llvmlite is installed, between
    the measurements (``kernel="numpy"`` forces the loop below): the same steps to rounding."""
    if kernel != "numpy":
        got = _compiled(net, np.array(theta, dtype=float), lr, steps, every, seed)
        if got is not None:
            return got
    theta = np.array(theta, dtype=float)
    losses = np.full(steps + 1, np.nan)
    sharp_steps: list[int] = []
    sharp: list[float] = []
    v0: np.ndarray | None = None
    diverged = False
    for t in range(steps + 1):
        L, g = net.loss_and_grad(theta)
        losses[t] = L
        if not np.isfinite(L) or L > DIVERGED:
            diverged = True
            break
        if every and (t % every == 0 or t == steps):
            lam, v0 = top_eigenpair(net.hvp_at(theta.copy()), net.dim, v0=v0, seed=seed, tol=SHARPNESS_TOL)
            sharp_steps.append(t)
            sharp.append(lam)
        if t < steps:
            theta -= lr * g
    return Descent(theta, losses, np.array(sharp_steps, dtype=int), np.array(sharp), diverged)


def _compiled(net: Net, theta: np.ndarray, lr: float, steps: int, every: int, seed: int) -> Descent | None:
    """``descend`` on the compiled kernel, in stretches of ``every`` steps between two measurements
    of the sharpness (one stretch without them); None where the kernel is not available."""
    from tutor.experiments.nets import train_jit

    losses = np.full(steps + 1, np.nan)
    sharp_steps: list[int] = []
    sharp: list[float] = []
    v0: np.ndarray | None = None
    t = 0
    while True:
        n = min(every or steps, steps - t)
        run = train_jit.descend(net, theta, lr, n, DIVERGED)  # the loss at t, …, t + n
        if run is None:
            return None
        losses[t : t + n + 1] = run.losses
        if every and run.stopped != 0:  # θ_t's loss was fine: measured at t as numpy's loop measures it
            lam, v0 = top_eigenpair(net.hvp_at(theta.copy()), net.dim, v0=v0, seed=seed, tol=SHARPNESS_TOL)
            sharp_steps.append(t)
            sharp.append(lam)
        if run.stopped >= 0 or n == 0 or (not every and t + n == steps):
            return Descent(run.theta, losses, np.array(sharp_steps, dtype=int), np.array(sharp), run.stopped >= 0)
        theta, t = run.theta, t + n


# ------------------------------------------------------------------------------ paths


def bezier(a: np.ndarray, m: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """φ(t) = (1−t)² a + 2t(1−t) m + t² b: the quadratic Bézier curve from a to b bent by m."""
    t = np.asarray(t, dtype=float)[:, None]
    return (1 - t) ** 2 * a + 2 * t * (1 - t) * m + t**2 * b


def fit_bend(net: Net, a: np.ndarray, b: np.ndarray, steps: int = 300, lr: float = 0.05, samples: int = 16,
             seed: int = 0) -> np.ndarray:
    """The bend m that minimises the loss averaged along the curve, ∫₀¹ L(φ_m(t)) dt (Garipov et
    al. 2018, eq. 2), by Adam on a fresh sample of t ~ U(0, 1) every step. ∂φ/∂m = 2t(1−t), so
    the gradient in m is the mean of 2t(1−t)∇L(φ(t)): one batched gradient per step."""
    rng = np.random.default_rng(seed)
    m = 0.5 * (a + b)
    mom = np.zeros_like(m)
    sq = np.zeros_like(m)
    b1, b2, eps = 0.9, 0.999, 1e-8
    for k in range(1, steps + 1):
        t = rng.random(samples)
        _, G = net.loss_and_grad(bezier(a, m, b, t))
        g = np.mean((2 * t * (1 - t))[:, None] * G, axis=0)
        mom = b1 * mom + (1 - b1) * g
        sq = b2 * sq + (1 - b2) * g * g
        m = m - lr * (mom / (1 - b1**k)) / (np.sqrt(sq / (1 - b2**k)) + eps)
    return m


def barrier(losses: np.ndarray) -> float:
    """How far the loss along a path rises above the straight chord between its two ends."""
    t = np.linspace(0.0, 1.0, len(losses))
    return float(np.max(losses - ((1 - t) * losses[0] + t * losses[-1])))


def align(net: Net, a: np.ndarray, b: np.ndarray, sweeps: int = 5) -> np.ndarray:
    """Weight matching (Ainsworth et al. 2023): reorder b's hidden units, layer by layer, to be as
    close as possible to a's; each layer's permutation solves a linear assignment problem with the
    others held fixed, sweeping until none changes (the first sweep, forward, on incoming weights). The function b computes is unchanged."""
    from scipy.optimize import linear_sum_assignment

    La, Lb = net.unpack(a), net.unpack(b)
    hidden = net.sizes[1:-1]
    perms = [np.arange(h) for h in hidden]

    def permuted(l: int) -> tuple[np.ndarray, np.ndarray | None]:
        W, bias = Lb[l]
        if l < len(hidden):
            W = W[perms[l]]
            bias = None if bias is None else bias[perms[l]]
        if l > 0:
            W = W[:, perms[l - 1]]
        return W, bias

    for sweep in range(sweeps):
        changed = False
        for l in range(len(hidden)):
            Wb = Lb[l][0] if l == 0 else Lb[l][0][:, perms[l - 1]]
            S = La[l][0] @ Wb.T
            if net.bias:
                S = S + np.outer(La[l][1], Lb[l][1])  # type: ignore[arg-type]
            if sweep:  # the first sweep goes forward on incoming weights alone: exact for a permuted copy
                nxt = Lb[l + 1][0] if l + 1 == len(hidden) else Lb[l + 1][0][perms[l + 1]]
                S = S + La[l + 1][0].T @ nxt
            _, cols = linear_sum_assignment(-S)
            if not np.array_equal(cols, perms[l]):
                perms[l], changed = cols, True
        if sweep and not changed:
            break
    return net.pack([permuted(l) for l in range(net.layers)])


def filter_directions(net: Net, theta: np.ndarray, seed: int = 0, count: int = 2) -> np.ndarray:
    """``count`` random Gaussian directions, each unit's part (its incoming weights and bias, a
    "filter") rescaled to the norm of that unit's part of θ (Li et al. 2018, §4), so a step of 1
    moves every unit by its own size whatever the scale of the weights."""
    rng = np.random.default_rng(seed)
    D = rng.normal(size=(count, net.dim))
    for (W, b), (Wd, bd) in zip(net.unpack(theta), net.unpack(D)):
        ref = np.sqrt((W * W).sum(-1) + (0.0 if b is None else b * b))  # (fan_out,)
        norm = np.sqrt((Wd * Wd).sum(-1) + (0.0 if bd is None else bd * bd))  # (count, fan_out)
        factor = np.where(ref > 0, ref, 1.0) / norm
        Wd *= factor[..., None]  # views into D
        if bd is not None:
            bd *= factor
    return D
