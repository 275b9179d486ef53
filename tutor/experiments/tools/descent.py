"""Gradient descent with a fixed step."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor.core.lab_schema.cost import TRAIN_KERNEL_STARTS
from tutor.core.lab_schema.tools import DescentOptions, NoiseOptions
from tutor.experiments.nets import census as fast
from tutor.experiments.problems.base import Problem
from tutor.experiments.problems.deep import net_of
from tutor.experiments.problems.linear import Logistic
from tutor.experiments.problems.mlp import MLP
from tutor.experiments.registry import tool
from tutor.experiments.tools.base import DIVERGED, MAX_RECORDED, Result, _box, _clusters, _uniform, describe_points, fnum
from tutor.plots.spec import Plot, Series


@dataclass
class Trajectory:
    final: np.ndarray
    final_loss: np.ndarray
    steps: np.ndarray  # which steps were recorded
    losses: np.ndarray  # (S, recorded)
    rising: np.ndarray
    diverged: np.ndarray
    period: np.ndarray
    norms: np.ndarray  # (S, recorded): |θ| at the recorded steps


def descend(problem: Problem, T: np.ndarray, lr: float, steps: int, noise: NoiseOptions | None = None,
            rng: np.random.Generator | None = None, record: bool = True) -> Trajectory:
    """Plain gradient descent θ ← θ − η∇L(θ) from every row of T at once.

    The state is kept transposed (parameters × starts) so that the networks' kernels work on
    contiguous blocks; see ``Problem.stepper``.
    """
    rec = np.unique(np.linspace(0, steps, min(steps + 1, MAX_RECORDED)).round().astype(int)) if record else np.array([steps])
    quick = _compiled(problem, T, lr, steps, noise, rec) if record else None
    if quick is not None:
        return quick
    f = problem.stepper()
    TT = np.array(T, dtype=float).T.copy()
    d, S = TT.shape
    losses = np.empty((S, len(rec)))
    norms = np.empty((S, len(rec)))
    r = 0
    rising = np.zeros(S, dtype=int)
    diverged = np.zeros(S, dtype=bool)
    tail = max(0, steps - TAIL)
    history: list[np.ndarray] = []
    check_every = 1 if record else 64  # a census only needs to notice divergence now and then
    noisy = noise is not None and noise.scale > 0

    def moved(TT: np.ndarray, G: np.ndarray) -> np.ndarray:
        if not noisy:
            return TT - lr * G
        assert rng is not None and noise is not None
        z = rng.normal(0.0, noise.scale, (d, S)) if noise.kind == "gaussian" else rng.uniform(-noise.scale, noise.scale, (d, S))
        if noise.when_grad_below is not None:
            z *= np.sqrt((G * G).sum(0)) < noise.when_grad_below
        return TT - lr * G + z

    with np.errstate(all="ignore"):
        L, G = f(TT)
        limit = DIVERGED * (np.abs(L) + 1.0)
        k = 0
        while k < steps:
            end = steps
            if record and not diverged.any():
                # A block of steps with the per-step checks (divergence, rising loss) done on the
                # block's losses at its end: a dozen fewer numpy calls a step. A block in which a
                # run left the finite range is replayed step by step below, from the same state and
                # the same random numbers, so the result is the same to the bit.
                n = min(BLOCK, steps - k)
                saved = TT, L, G, r, len(history), (rng.bit_generator.state if noisy and rng is not None else None)
                block = np.empty((n, S))
                for j in range(n):
                    if r < len(rec) and rec[r] == k + j:
                        losses[:, r] = L
                        norms[:, r] = np.sqrt((TT * TT).sum(0))
                        r += 1
                    TT = moved(TT, G)
                    L, G = f(TT)
                    block[j] = L
                    if k + j >= tail:
                        history.append(TT.T.copy())
                if (block <= limit).all():
                    before = np.concatenate([saved[1][None], block[:-1]])
                    rising += (block > before + 1e-12 * np.abs(before)).sum(0)
                    k += n
                    continue
                TT, L, G, r, kept, state = saved
                del history[kept:]
                if state is not None and rng is not None:
                    rng.bit_generator.state = state
                end = k + n
            for step in range(k, end):
                if r < len(rec) and rec[r] == step:
                    losses[:, r] = L
                    norms[:, r] = np.sqrt((TT * TT).sum(0))
                    r += 1
                Tn = moved(TT, G)
                Ln, Gn = f(Tn)
                if record:
                    rising += Ln > L + 1e-12 * np.abs(L)
                if step % check_every == 0 or step == steps - 1:
                    diverged |= ~(Ln <= limit)  # also catches NaN
                if diverged.any():  # a run that diverged stays where it was before, at an infinite loss
                    Tn = np.where(diverged, TT, Tn)
                    Ln = np.where(diverged, np.inf, Ln)
                    Gn = np.where(diverged, 0.0, Gn)
                TT, L, G = Tn, Ln, Gn
                if step >= tail:
                    history.append(TT.T.copy())
            k = end
        if r < len(rec):
            losses[:, r] = L
            norms[:, r] = np.sqrt((TT * TT).sum(0))
    period = _period(history, S)
    period[diverged] = 0
    return Trajectory(TT.T.copy(), L, rec, losses, rising, diverged, period, norms)


TAIL = 16  # the last states kept to find a cycle
BLOCK = 256  # steps between the checks of the fast path


def _period(history: list[np.ndarray], S: int) -> np.ndarray:
    """The shortest p ≤ 8 with θ after the last step equal (to 1e-7, relative) to θ p steps before."""
    period = np.zeros(S, dtype=int)
    if history:
        last = history[-1]
        for p in range(8, 0, -1):
            if len(history) > p:
                close = np.linalg.norm(last - history[-1 - p], axis=1) <= 1e-7 * (1 + np.linalg.norm(last, axis=1))
                period = np.where(close, p, period)
    return period


def _compiled(problem: Problem, T: np.ndarray, lr: float, steps: int, noise: NoiseOptions | None, rec: np.ndarray) -> Trajectory | None:
    """The same descent on a compiled kernel, where one applies and no noise is added: the census's
    for one-hidden-layer nets with biases and a squared error (xor-stuck's 40 000 steps: 0.8 s in
    numpy, ~20 ms here), else the full-batch kernel (``nets.train_jit``) start by start for logistic
    regression and every other network (convex-no-minimum's 20 000 steps: 220 ms in numpy, ~3 ms).
    None (numpy runs) where neither applies, llvmlite is missing, or a run blows up: numpy's loop
    then freezes that run exactly where it went wrong."""
    if noise is not None and noise.scale > 0:
        return None
    if type(problem) is MLP and np.ndim(problem.y) == 1 and problem.bias and fast.supported(problem.o.activation, problem.o.output, True):
        got = fast.descend_recorded(problem.X, problem.y, np.asarray(T, dtype=float), lr, steps, problem.o.activation,
                                    problem.o.output, problem.loss_kind, rec, TAIL)
        if got is not None:
            S = len(T)
            return Trajectory(got.final, got.final_loss, rec, got.losses, got.rising, np.zeros(S, dtype=bool), _period(got.tail, S), got.norms)
        if problem.loss_kind != "cross-entropy":
            return None  # it blew up (or llvmlite is missing): numpy
    return _start_by_start(problem, np.asarray(T, dtype=float), lr, steps, rec)


def compiled_route(problem: Problem, starts: int) -> str:
    """Which kernel ``descend`` (recording, no noise) takes: "census", "train" or "numpy" (for the cost)."""
    if type(problem) is MLP and np.ndim(problem.y) == 1 and problem.bias and fast.supported(problem.o.activation, problem.o.output, True) \
            and problem.loss_kind != "cross-entropy":
        return "census"
    return "train" if starts <= TRAIN_KERNEL_STARTS and _as_net(problem) is not None else "numpy"


def _as_net(problem: Problem) -> tuple[np.ndarray, np.ndarray, list[int], str, str, bool, bool, float] | None:
    """The problem as the full-batch kernel's network (X, Y, sizes, activation, output,
    cross-entropy?, biases, the loss's scale), or None. Logistic regression is a network without
    a hidden layer: a sigmoid output on its design matrix (the bias a column of ones), its own
    scale (1/N, or 1 with ``reduction: sum``); squared error there is ``mse``'s (σ(z) − y)²."""
    if isinstance(problem, Logistic):
        return problem.X, problem.y[:, None], [problem.dim, 1], "linear", "sigmoid", problem.ce, False, problem.scale
    if problem.name == "mlp":
        net = net_of(problem)
        return net.X, net.Y, net.sizes, net.activation, net.output, net.loss_kind == "cross-entropy", net.bias, net.scale
    return None


def _start_by_start(problem: Problem, T: np.ndarray, lr: float, steps: int, rec: np.ndarray) -> Trajectory | None:
    spec = _as_net(problem)
    if spec is None or len(T) > TRAIN_KERNEL_STARTS:
        return None
    from tutor.experiments.nets import train_jit

    S = len(T)
    with np.errstate(all="ignore"):
        limit = DIVERGED * (np.abs(problem.loss(T)) + 1.0)
    runs = []
    for s in range(S):
        run = train_jit.run(*spec, T[s], lr, steps, float(limit[s]))
        if run is None or run.stopped >= 0:
            return None
        runs.append(run)
    L = np.stack([r.losses for r in runs])  # (S, steps + 1)
    rising = (L[:, 1:] > L[:, :-1] + 1e-12 * np.abs(L[:, :-1])).sum(1)
    history = [np.stack([r.tail[k] for r in runs]) for k in range(len(runs[0].tail))]
    norms = np.stack([r.norms[rec] for r in runs])
    return Trajectory(np.stack([r.theta for r in runs]), L[:, steps].copy(), rec, L[:, rec], rising, np.zeros(S, dtype=bool),
                      _period(history, S), norms)


@dataclass
class Drift:
    """How a run moved late: a run whose loss still falls while |θ| still grows is on a plateau
    (sliding towards a valley at infinity), whatever the Hessian at its end says. What is shown is
    the last half (``since``, ``norms``, ``losses``); the verdicts look at the last half and at the
    last tenth, so a run that took off after halfway and settled in a minimum is not called sliding."""

    since: int  # the step the last half starts at
    norms: np.ndarray  # (S, 2): |θ| then and at the end
    losses: np.ndarray  # (S, 2): the loss then and at the end
    plateau: np.ndarray  # (S,) bool: loss still falling and |θ| still growing, over the last half and the last tenth
    moving: np.ndarray  # (S,) bool: loss or |θ| still changing over the last tenth


LOSS_STILL_FALLING = 1e-6  # relative fall of the loss over a stretch that is more than rounding or a converged tail
STILL_GROWING = 1e-3  # relative growth of |θ| over a stretch
LAST = 0.1  # the last stretch a verdict also looks at, as a fraction of the run


def late_drift(tr: Trajectory) -> Drift:
    """Compare the recorded state halfway through the run, and a tenth before its end, with the end."""

    def between(fraction: float) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        i = min(int(np.searchsorted(tr.steps, tr.steps[-1] * fraction)), len(tr.steps) - 1)
        N, L = tr.norms[:, [i, -1]], tr.losses[:, [i, -1]]
        with np.errstate(all="ignore"):
            falling = L[:, 0] - L[:, 1] > LOSS_STILL_FALLING * np.abs(L[:, 1])  # relative: exp(−w) slides at losses of 1e-9
            growing = N[:, 1] - N[:, 0] > STILL_GROWING * (1 + N[:, 0])
            changing = np.abs(L[:, 0] - L[:, 1]) > LOSS_STILL_FALLING * (1 + np.abs(L[:, 1]))
        return int(tr.steps[i]), N, L, falling & growing, changing | growing

    since, N, L, sliding, _ = between(0.5)
    *_, still_sliding, moving = between(1 - LAST)
    return Drift(since, N, L, sliding & still_sliding, moving)


@tool(DescentOptions)
def descent(problem: Problem, o: DescentOptions) -> Result:
    """Gradient descent with a fixed step. Nothing promises it goes downhill: for a quadratic
    with curvature L, any step above 2/L makes the loss grow (Nesterov 2004, §1.2.3)."""
    rng = np.random.default_rng(o.seed)
    if o.start is not None:
        T = problem.check(np.asarray(o.start), "start")[None]
    elif o.starts is not None:
        lo, hi = _box(o.box, problem.dim)
        T = _uniform(rng, o.starts, lo, hi)
    elif isinstance(problem, MLP) and problem.theta0 is not None:
        T = problem.theta0[None]
    else:
        lo, hi = _box(o.box, problem.dim)
        T = _uniform(rng, 1, lo, hi)
    start = T.copy()
    tr = descend(problem, T, o.lr, o.steps, o.noise, rng)
    single = len(T) == 1
    finite = ~tr.diverged
    drift = late_drift(tr)
    kinds = []
    for k in range(len(T)):
        if tr.diverged[k]:
            kinds.append("diverged")
        elif tr.period[k] > 1:
            kinds.append("cycle")
        elif drift.plateau[k]:
            kinds.append("plateau")
        elif drift.moving[k]:
            kinds.append("not converged")
        else:
            p = describe_points(problem, tr.final[k][None])[0]
            kinds.append(p["kind"] if p["grad_norm"] <= 1e-4 * (1 + abs(p["loss"])) else "not converged")
    values = {
        "start": start[0] if single else start,
        "final": tr.final[0] if single else tr.final,
        "final_loss": float(tr.final_loss[0]) if single else tr.final_loss,
        "losses": tr.losses[0] if single else tr.losses,
        "norms": tr.norms[0] if single else tr.norms,
        "loss_steps": tr.steps,
        "diverged": bool(tr.diverged[0]) if single else int(tr.diverged.sum()),
        "rising_steps": int(tr.rising[0]) if single else tr.rising,
        "period": int(tr.period[0]) if single else tr.period,
        "endpoint_kind": kinds[0] if single else kinds,
        "grad_norm": float(np.linalg.norm(problem.grad(tr.final[0]))) if single and finite[0] else None,
        "final_norm": float(np.linalg.norm(tr.final[0])) if single else np.linalg.norm(tr.final, axis=1),
        "late_steps": [int(drift.since), int(tr.steps[-1])],
        "late_norms": drift.norms[0] if single else drift.norms,
        "late_losses": drift.losses[0] if single else drift.losses,
    }
    if not single:
        values["endpoint_counts"] = {k: kinds.count(k) for k in sorted(set(kinds))}
        values["distinct_endpoints"] = _clusters(tr.final[finite], 1e-3)
    series = []
    for k in range(min(len(T), 6)):
        y = tr.losses[k]
        ok = np.isfinite(y)
        series.append(Series(tr.steps[ok], y[ok], "line", f"run {k + 1}" if not single else "loss"))
    plot = Plot(title=f"gradient descent, step size {o.lr:g}", xlabel="step", ylabel="loss", series=series, xint=True)
    if single:
        summary = [
            ("start", "[" + ", ".join(fnum(x) for x in start[0]) + "]"),
            ("end", "[" + ", ".join(fnum(x) for x in tr.final[0]) + "]"),
            ("final loss", fnum(tr.final_loss[0]) if finite[0] else "diverged"),
            ("steps where the loss rose", str(int(tr.rising[0]))),
            ("endpoint", f"a cycle of period {int(tr.period[0])}" if tr.period[0] > 1 else kinds[0]),
        ]
        if kinds[0] in ("plateau", "not converged") and not tr.diverged[0]:
            # the evidence the label rests on, without a verdict: lessons ask the learner to draw it
            (n0, n1), (l0, l1) = drift.norms[0], drift.losses[0]
            summary.append((f"steps {drift.since} to {int(tr.steps[-1])}", f"|θ| {fnum(n0)} → {fnum(n1)}, loss {l0:.6g} → {l1:.6g}"))
    else:
        summary = [("runs", str(len(T))), ("diverged", str(int(tr.diverged.sum()))),
                   ("endpoints", ", ".join(f"{v} {k}" for k, v in values["endpoint_counts"].items()))]
    return Result(values, [plot], summary)
