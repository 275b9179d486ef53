"""What an experiment does with a problem (spec section 3).

Each tool reads like the paragraph of the paper it reproduces. All of them take a problem and
validated options, and return a ``Result``: values (the numbers lessons check), plots and a
short table. Same inputs and seed give the same values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.experiments import options as O
from tutor.experiments.problems import MLP, Problem
from tutor.plots.spec import Mark, Plot, Series

MAX_RECORDED = 2001  # loss values kept per run; longer runs are sampled evenly
DIVERGED = 1e12


@dataclass
class Result:
    run: str
    problem: dict[str, Any]
    with_: dict[str, Any]
    values: dict[str, Any]
    plots: list[Plot] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"run": self.run, "problem": self.problem, "with": self.with_, "values": jsonable(self.values)}


def jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, np.ndarray):
        return jsonable(v.tolist())
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return f if math.isfinite(f) else (None if math.isnan(f) else ("inf" if f > 0 else "-inf"))
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def fnum(x: float) -> str:
    x = float(x)
    if abs(x) < 1e-12:
        return "0"
    if not math.isfinite(x):
        return str(x)
    return format(x, ".4g") if 1e-3 <= abs(x) < 1e5 else format(x, ".3e")


# ---------------------------------------------------------------------------------- helpers


def classify(eigs: np.ndarray) -> tuple[str, int, float]:
    """Kind of a critical point from its Hessian's eigenvalues, with a scale-relative tolerance.

    minimum: all > tol; maximum: all < −tol; saddle: some of each sign (zeros allowed);
    degenerate: some |λ| ≤ tol and no sign mix, so the Hessian alone cannot decide.
    """
    eigs = np.asarray(eigs, dtype=float)
    tol = 1e-6 * float(np.max(np.abs(eigs), initial=0.0)) + 1e-10
    pos = int(np.sum(eigs > tol))
    neg = int(np.sum(eigs < -tol))
    if pos and neg:
        kind = "saddle"
    elif pos == eigs.size:
        kind = "minimum"
    elif neg == eigs.size:
        kind = "maximum"
    else:
        kind = "degenerate"
    return kind, neg, tol


def _box(box: Any, dim: int, center: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(box, (tuple, list)):
        lo, hi = float(box[0]), float(box[1])
        return np.full(dim, lo), np.full(dim, hi)
    c = np.zeros(dim) if center is None else center
    return c - float(box), c + float(box)


def _uniform(rng: np.random.Generator, n: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return lo + (hi - lo) * rng.random((n, lo.size))


def _theta(problem: Problem, theta: Any, what: str) -> np.ndarray:
    return problem.check(np.asarray(theta, dtype=float), what) if theta is not None else problem.default_point().astype(float)


def _refine_1d(f, df, a: float, b: float, t0: float) -> float:
    """A critical point of a 1-D function in [a, b]: Brent's method on the derivative."""
    from scipy.optimize import brentq

    da, db = df(a), df(b)
    if np.sign(da) == np.sign(db) or da == 0 or db == 0:
        return t0
    try:
        return float(brentq(df, a, b, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=200))
    except (ValueError, RuntimeError):
        return t0


# ------------------------------------------------------------------------------------ curve


def curve(problem: Problem, o: O.Curve) -> Result:
    """The loss along one line in weight space: one coordinate, or the segment between two points."""
    if o.between is not None:
        a = problem.check(np.asarray(o.between[0]), "between[0]")
        b = problem.check(np.asarray(o.between[1]), "between[1]")
        t0 = 0.0 if o.from_ is None else o.from_
        t1 = 1.0 if o.to is None else o.to
        base, direction = a, b - a
        xlabel = "t  (θ = (1−t)·θa + t·θb)"
    else:
        if o.axis >= problem.dim:
            raise ExperimentError(f"axis {o.axis} does not exist: the problem has parameters 0 to {problem.dim - 1} ({', '.join(problem.labels)})")
        base = _theta(problem, o.at, "at").copy()
        direction = np.zeros(problem.dim)
        direction[o.axis] = 1.0
        base[o.axis] = 0.0
        t0 = -2.0 if o.from_ is None else o.from_
        t1 = 2.0 if o.to is None else o.to
        xlabel = problem.labels[o.axis]
    if not t0 < t1:
        raise ExperimentError(f"from ({t0}) must be less than to ({t1})")
    t = np.linspace(t0, t1, o.points)
    with np.errstate(all="ignore"):
        L = problem.loss(base + t[:, None] * direction)

    def f(s: float) -> float:
        return float(problem.loss(base + s * direction))

    def df(s: float) -> float:
        return float(problem.grad(base + s * direction) @ direction)

    minima, maxima = [], []
    for k in range(1, len(t) - 1):
        if L[k] < L[k - 1] and L[k] <= L[k + 1]:
            minima.append(_refine_1d(f, df, t[k - 1], t[k + 1], t[k]))
        elif L[k] > L[k - 1] and L[k] >= L[k + 1]:
            maxima.append(_refine_1d(f, df, t[k - 1], t[k + 1], t[k]))
    # a critical point exactly on an end of the range (w = ±2 for target 4 on [−2, 2]) counts too
    scale = float(np.nanmax(np.abs(L))) if np.isfinite(L).any() else 1.0
    for k, nb in ((0, 1), (len(t) - 1, len(t) - 2)):
        if abs(df(t[k])) <= 1e-12 * (1.0 + scale):
            (minima if L[k] <= L[nb] else maxima).append(float(t[k]))
    minima, maxima = _unique(minima), _unique(maxima)

    def d2f(s_: float) -> float:
        return float(direction @ problem.hess(base + s_ * direction) @ direction)

    # inflection points: where the curvature changes sign, refined by Brent's method on L''
    curv = np.einsum("i,kij,j->k", direction, problem.hess(base + t[:, None] * direction), direction)
    inflections = []
    for k in range(len(t) - 1):
        if np.isfinite(curv[k]) and np.isfinite(curv[k + 1]) and curv[k] * curv[k + 1] < 0:
            inflections.append(_refine_1d(f, d2f, t[k], t[k + 1], t[k]))
    inflections = _unique(inflections)
    finite = L[np.isfinite(L)]
    h = t[1] - t[0]
    second = (L[2:] - 2 * L[1:-1] + L[:-2]) / h**2
    scale = float(np.max(np.abs(second), initial=0.0))
    convex = bool(np.all(second >= -1e-7 * scale - 1e-9))
    min_loss = min([float(finite.min())] + [f(m) for m in minima]) if finite.size else float("nan")
    max_loss = float(finite.max()) if finite.size else float("nan")
    values = {
        "t": t,
        "loss": L,
        "minima": minima,
        "maxima": maxima,
        "min_loss": min_loss,
        "max_loss": max_loss,
        "convex": convex,
        "minima_loss": [f(m) for m in minima],
        "maxima_loss": [f(m) for m in maxima],
        "inflections": inflections,
        "curvature": curv,
    }
    plot = Plot(
        title="loss along a line",
        xlabel=xlabel,
        ylabel="loss",
        series=[Series(t, L, "line", "loss")],
        marks=[Mark(m, f(m), "min", f"min {fnum(m)}") for m in minima] + [Mark(m, f(m), "max", f"max {fnum(m)}") for m in maxima],
    )
    summary = [
        ("minima", ", ".join(fnum(m) for m in minima) or "none inside the range"),
        ("maxima", ", ".join(fnum(m) for m in maxima) or "none inside the range"),
        ("lowest loss", fnum(min_loss)),
        ("convex on this range", "yes" if convex else "no"),
    ]
    if inflections:
        summary.append(("curvature changes sign at", ", ".join(fnum(m) for m in inflections)))
    return Result("curve", {}, {}, values, [plot], summary)


def _unique(xs: list[float], tol: float = 1e-7) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or abs(x - out[-1]) > tol * (1 + abs(x)):
            out.append(x)
    return out


# ---------------------------------------------------------------------------------- surface


def _random_directions(problem: Problem, center: np.ndarray, seed: int, filter_normalize: bool) -> np.ndarray:
    """Two random directions; with filter normalisation (Li et al. 2018, "Visualizing the loss
    landscape of neural nets") each hidden unit's part is scaled to the norm of that unit's
    weights, so the picture does not depend on how the weights happen to be scaled."""
    rng = np.random.default_rng(seed)
    D = rng.normal(size=(2, problem.dim))
    if not filter_normalize:
        return D / np.linalg.norm(D, axis=1, keepdims=True) * max(1.0, float(np.linalg.norm(center)))
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


def surface(problem: Problem, o: O.Surface) -> Result:
    """The loss over a plane through θ: two coordinates, or two random directions."""
    center = _theta(problem, o.at, "at")
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
    summary = [("grid minima", str(len(minima))), ("lowest loss", fnum(values["min_loss"])), ("highest loss", fnum(values["max_loss"]))]
    return Result("surface", {}, {}, values, [plot], summary)


# ------------------------------------------------------------------------------- stationary


def find_critical(problem: Problem, T: np.ndarray, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """Drive ∇L to zero from many starts at once: Levenberg–Marquardt on the gradient,
    (H² + μI) s = −H g. Unlike descent it converges to saddles and maxima as well as minima."""
    T = np.array(T, dtype=float)
    S, d = T.shape
    eye = np.eye(d)
    with np.errstate(all="ignore"):
        g = problem.grad(T)
        gn = np.linalg.norm(g, axis=1)
        mu = np.full(S, 1e-3)
        for _ in range(iterations):
            active = gn > 1e-13
            if not active.any():
                break
            H = problem.hess(T[active])
            H2 = H @ H
            scale = np.trace(H2, axis1=1, axis2=2) / d + 1e-12
            A = H2 + (mu[active] * scale)[:, None, None] * eye
            try:
                s = -np.linalg.solve(A, (H @ g[active][:, :, None]))[..., 0]
            except np.linalg.LinAlgError:
                s = -np.einsum("sij,sj->si", np.linalg.pinv(A), np.einsum("sij,sj->si", H, g[active]))
            Tn = T[active] + s
            gnew = problem.grad(Tn)
            nn = np.linalg.norm(gnew, axis=1)
            ok = np.isfinite(nn) & (nn < gn[active])
            idx = np.flatnonzero(active)
            T[idx[ok]] = Tn[ok]
            g[idx[ok]] = gnew[ok]
            gn[idx[ok]] = nn[ok]
            mu[idx[ok]] *= 0.2
            mu[idx[~ok]] = np.minimum(mu[idx[~ok]] * 10, 1e12)
    return T, gn


def describe_points(problem: Problem, T: np.ndarray) -> list[dict[str, Any]]:
    T = np.atleast_2d(T)
    L = problem.loss(T)
    G = np.linalg.norm(problem.grad(T), axis=1)
    E = np.linalg.eigvalsh(problem.hess(T))
    out = []
    for k in range(len(T)):
        kind, index, tol = classify(E[k])
        out.append({"theta": T[k], "loss": float(L[k]), "grad_norm": float(G[k]), "eigenvalues": E[k], "index": index, "kind": kind,
                    "zero_eigenvalues": int(np.sum(np.abs(E[k]) <= tol))})
    return out


def stationary(problem: Problem, o: O.Stationary) -> Result:
    """Critical points (∇L = 0) and their kind, read from the Hessian's eigenvalues."""
    if o.at is not None:
        T = problem.check(np.asarray(o.at), "at")[None]
        points = describe_points(problem, T)
    else:
        rng = np.random.default_rng(o.seed)
        lo, hi = _box(o.box, problem.dim)
        T, gn = find_critical(problem, _uniform(rng, o.starts, lo, hi), o.iterations)
        loss = problem.loss(T)
        tol_g = 1e-7 * (1.0 + float(np.median(np.abs(loss))))
        converged = np.isfinite(gn) & (gn <= tol_g)
        # runs that drifted far outside the box have found a plateau at infinity (saturated units),
        # not a critical point: count them, do not list them
        span = hi - lo
        inside = np.all((lo - span / 2 <= T) & (hi + span / 2 >= T), axis=1)
        escaped = int(np.sum(converged & ~inside))
        T = T[converged & inside]
        order = np.lexsort((T[:, 0] if len(T) else [], problem.loss(T) if len(T) else []))
        kept: list[np.ndarray] = []
        for th in T[order]:
            if all(np.linalg.norm(th - q) > 1e-5 * (1 + np.linalg.norm(th)) for q in kept):
                kept.append(th)
        points = describe_points(problem, np.array(kept)) if kept else []
    if o.at is not None:
        escaped = 0
    counts = {k: sum(p["kind"] == k for p in points) for k in ("minimum", "maximum", "saddle", "degenerate")}
    levels: dict[tuple[float, int, str], int] = {}
    for p in points:
        key = (float(f"{p['loss']:.6g}"), p["index"], p["kind"])
        levels[key] = levels.get(key, 0) + 1
    values = {
        "points": points,
        "counts": counts,
        "found": len(points),
        "escaped": escaped,
        "levels": [{"loss": k[0], "index": k[1], "kind": k[2], "count": v} for k, v in sorted(levels.items())],
        "losses": [p["loss"] for p in points],
        "indexes": [p["index"] for p in points],
        "kinds": [p["kind"] for p in points],
    }
    plots = []
    if points:
        xs = [p["index"] for p in points]
        ys = [p["loss"] for p in points]
        plots.append(Plot(title="critical points: loss against index (number of downhill directions)", xlabel="index", ylabel="loss",
                          series=[Series(xs, ys, "scatter", "critical points", "point")]))
    summary = [(k, str(v)) for k, v in counts.items()]
    if escaped:
        summary.append(("ran off far outside the box", f"{escaped} of {o.starts} searches (flat far away: no critical point there)"))
    for p in points[:6]:
        summary.append((f"{p['kind']} at", "[" + ", ".join(fnum(x) for x in p["theta"]) + f"]  loss {fnum(p['loss'])}  index {p['index']}"))
    return Result("stationary", {}, {}, values, plots, summary)


# ---------------------------------------------------------------------------------- descent


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


def descend(problem: Problem, T: np.ndarray, lr: float, steps: int, noise: O.Noise | None = None,
            rng: np.random.Generator | None = None, record: bool = True) -> Trajectory:
    """Plain gradient descent θ ← θ − η∇L(θ) from every row of T at once.

    The state is kept transposed (parameters × starts) so that the networks' kernels work on
    contiguous blocks; see ``Problem.stepper``.
    """
    f = problem.stepper()
    TT = np.array(T, dtype=float).T.copy()
    d, S = TT.shape
    rec = np.unique(np.linspace(0, steps, min(steps + 1, MAX_RECORDED)).round().astype(int)) if record else np.array([steps])
    losses = np.empty((S, len(rec)))
    norms = np.empty((S, len(rec)))
    r = 0
    rising = np.zeros(S, dtype=int)
    diverged = np.zeros(S, dtype=bool)
    tail = max(0, steps - 16)
    history: list[np.ndarray] = []
    check_every = 1 if record else 64  # a census only needs to notice divergence now and then
    with np.errstate(all="ignore"):
        L, G = f(TT)
        limit = DIVERGED * (np.abs(L) + 1.0)
        for k in range(steps):
            if r < len(rec) and rec[r] == k:
                losses[:, r] = L
                norms[:, r] = np.sqrt((TT * TT).sum(0))
                r += 1
            if noise is not None and noise.scale > 0:
                assert rng is not None
                z = rng.normal(0.0, noise.scale, (d, S)) if noise.kind == "gaussian" else rng.uniform(-noise.scale, noise.scale, (d, S))
                if noise.when_grad_below is not None:
                    z *= np.sqrt((G * G).sum(0)) < noise.when_grad_below
                Tn = TT - lr * G + z
            else:
                Tn = TT - lr * G
            Ln, Gn = f(Tn)
            if record:
                rising += Ln > L + 1e-12 * np.abs(L)
            if k % check_every == 0 or k == steps - 1:
                bad = ~(Ln <= limit)  # also catches NaN
                if bad.any():
                    newly = bad & ~diverged
                    diverged |= bad
                    Tn = np.where(diverged, TT, Tn)
                    Ln = np.where(diverged, np.where(newly, np.inf, L), Ln)
                    Gn = np.where(diverged, 0.0, Gn)
            TT, L, G = Tn, Ln, Gn
            if k >= tail:
                history.append(TT.T.copy())
        if r < len(rec):
            losses[:, r] = L
            norms[:, r] = np.sqrt((TT * TT).sum(0))
    period = np.zeros(S, dtype=int)
    if history:
        last = history[-1]
        for p in range(8, 0, -1):
            if len(history) > p:
                close = np.linalg.norm(last - history[-1 - p], axis=1) <= 1e-7 * (1 + np.linalg.norm(last, axis=1))
                period = np.where(close, p, period)
    period[diverged] = 0
    return Trajectory(TT.T.copy(), L, rec, losses, rising, diverged, period, norms)


def descent(problem: Problem, o: O.Descent) -> Result:
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
    kinds = []
    for k in range(len(T)):
        if tr.diverged[k]:
            kinds.append("diverged")
            continue
        p = describe_points(problem, tr.final[k][None])[0]
        if tr.period[k] > 1:
            kinds.append("cycle")
        else:
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
    }
    if not single:
        values["endpoint_counts"] = {k: kinds.count(k) for k in sorted(set(kinds))}
        values["distinct_endpoints"] = _clusters(tr.final[finite], 1e-3)
    series = []
    for k in range(min(len(T), 6)):
        y = tr.losses[k]
        ok = np.isfinite(y)
        series.append(Series(tr.steps[ok], y[ok], "line", f"run {k + 1}" if not single else "loss"))
    plot = Plot(title=f"gradient descent, step size {o.lr:g}", xlabel="step", ylabel="loss", series=series)
    if single:
        summary = [
            ("start", "[" + ", ".join(fnum(x) for x in start[0]) + "]"),
            ("end", "[" + ", ".join(fnum(x) for x in tr.final[0]) + "]"),
            ("final loss", fnum(tr.final_loss[0]) if finite[0] else "diverged"),
            ("steps where the loss rose", str(int(tr.rising[0]))),
            ("endpoint", f"a cycle of period {int(tr.period[0])}" if tr.period[0] > 1 else kinds[0]),
        ]
    else:
        summary = [("runs", str(len(T))), ("diverged", str(int(tr.diverged.sum()))),
                   ("endpoints", ", ".join(f"{v} {k}" for k, v in values["endpoint_counts"].items()))]
    return Result("descent", {}, {}, values, [plot], summary)


# -------------------------------------------------------------------------------- convexity


def convexity(problem: Problem, o: O.Convexity) -> Result:
    """Test the definition of convexity, L((1−t)a + tb) ≤ (1−t)L(a) + tL(b), on random pairs,
    and the second-order condition (no negative Hessian eigenvalue) at random points."""
    rng = np.random.default_rng(o.seed)
    center = None if o.at is None else problem.check(np.asarray(o.at), "at")
    lo, hi = _box(o.box, problem.dim, center)
    A = _uniform(rng, o.pairs, lo, hi)
    B = _uniform(rng, o.pairs, lo, hi)
    ts = np.linspace(0.1, 0.9, 9)
    with np.errstate(all="ignore"):
        La, Lb = problem.loss(A), problem.loss(B)
        mid = problem.loss((1 - ts)[None, :, None] * A[:, None, :] + ts[None, :, None] * B[:, None, :])
        chord = (1 - ts)[None, :] * La[:, None] + ts[None, :] * Lb[:, None]
        gap = mid - chord
        tol = 1e-9 * (1 + np.abs(chord))
        bad = gap > tol
        eig_points = np.vstack([A, B])[: min(2 * o.pairs, 2000)]
        min_eig = float(np.nanmin(np.linalg.eigvalsh(problem.hess(eig_points))[:, 0]))
    violations = int(bad.any(axis=1).sum())
    k, j = np.unravel_index(int(np.nanargmax(gap)), gap.shape)
    worst = float(gap[k, j])
    counterexample = {"a": A[k], "b": B[k], "t": float(ts[j]), "gap": worst} if violations else None
    scale = float(np.nanmax(np.abs(problem.hess(eig_points)))) if problem.dim else 1.0
    convex = violations == 0 and min_eig >= -1e-7 * max(scale, 1.0)
    values = {"pairs": o.pairs, "violations": violations, "worst_gap": worst, "counterexample": counterexample,
              "min_hessian_eigenvalue": min_eig, "convex": bool(convex)}
    plots = []
    tt = np.linspace(0, 1, 101)
    seg = problem.loss((1 - tt)[:, None] * A[k] + tt[:, None] * B[k])
    plots.append(Plot(title="the worst pair: loss along the segment and the chord", xlabel="t", ylabel="loss",
                      series=[Series(tt, seg, "line", "loss"), Series([0.0, 1.0], [La[k], Lb[k]], "line", "chord")]))
    summary = [("pairs tested", str(o.pairs)), ("pairs above their chord", str(violations)), ("worst gap", fnum(worst)),
               ("smallest Hessian eigenvalue seen", fnum(min_eig)), ("convex (as far as tested)", "yes" if convex else "no")]
    return Result("convexity", {}, {}, values, plots, summary)


# --------------------------------------------------------------------------------- symmetry


def _barrier(problem: Problem, a: np.ndarray, b: np.ndarray, n: int) -> tuple[float, np.ndarray, np.ndarray]:
    """max over t of L((1−t)a + tb) − [(1−t)L(a) + tL(b)]."""
    t = np.linspace(0, 1, n)
    L = problem.loss((1 - t)[:, None] * a + t[:, None] * b)
    chord = (1 - t) * L[0] + t * L[-1]
    return float(np.max(L - chord)), t, L


def align(problem: MLP, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Weight matching (Ainsworth et al. 2023, Git Re-Basin): reorder (and, where it is a symmetry,
    flip) b's hidden units to be as close as possible to a's, with an assignment solver."""
    from scipy.optimize import linear_sum_assignment

    Wa, ba, va, _ = problem.unpack(a)
    Wb, bb, vb, _ = problem.unpack(b)
    Ua = np.column_stack([Wa, ba, va])
    Ub = np.column_stack([Wb, bb, vb])
    sim = Ua @ Ub.T
    flips_ok, _ = problem.flips_are_symmetries
    cost = -np.abs(sim) if flips_ok else -sim
    rows, cols = linear_sum_assignment(cost)
    perm = cols[np.argsort(rows)]
    flips = [k for k in range(problem.H) if flips_ok and sim[k, perm[k]] < 0]
    return problem.transform(b, perm, flips)


def symmetry(problem: Problem, o: O.Symmetry) -> Result:
    """Hidden units can be reordered (and, for odd activations, negated) without changing the
    function: n!·2ⁿ copies of every network. The straight line between two copies is not flat."""
    assert isinstance(problem, MLP) and problem.theta0 is not None
    a = problem.theta0
    n = problem.H
    flips_ok, why = problem.flips_are_symmetries
    if o.other is not None:
        b = problem._flatten(o.other)
        perm = list(range(n))
    else:
        if o.permutation == "random":
            perm = list(np.random.default_rng(o.seed).permutation(n))
        elif o.permutation is None:
            perm = list(range(n - 1, -1, -1))
        else:
            perm = list(o.permutation)
            if sorted(perm) != list(range(n)):
                raise ExperimentError(f"permutation must list each hidden unit 0 to {n - 1} once, got {perm}")
        for k in o.flip:
            if k >= n:
                raise ExperimentError(f"flip: there is no hidden unit {k} (units are 0 to {n - 1})")
        if o.flip and not flips_ok:
            raise ExperimentError(f"flip is not a symmetry here: {why}")
        b = problem.transform(a, perm, o.flip)
    rng = np.random.default_rng(o.seed)
    probe = np.vstack([problem.X, rng.uniform(-2, 2, size=(200, problem.I))])
    max_diff = float(np.max(np.abs(problem.predict(a, probe) - problem.predict(b, probe))))
    barrier, t, L = _barrier(problem, a, b, o.points)
    b_aligned = align(problem, a, b)
    aligned_barrier, _, La = _barrier(problem, a, b_aligned, o.points)
    count = math.factorial(n) * (2**n if flips_ok else 1)
    W1, b1, W2, b2 = problem.unpack(b)
    values = {
        "equivalent_count": count,
        "flips_are_symmetries": flips_ok,
        "why": why,
        "max_output_diff": max_diff,
        "loss_a": float(L[0]),
        "loss_b": float(L[-1]),
        "midpoint_loss": float(problem.loss(0.5 * (a + b))),
        "barrier": barrier,
        "aligned_barrier": aligned_barrier,
        "theta_b": b,
        "W1_b": W1,
        "b1_b": b1,
        "W2_b": W2,
        "b2_b": float(b2),
        "permutation": [int(p) for p in perm],
        "distance": float(np.linalg.norm(a - b)),
    }
    plot = Plot(title="loss on the straight line between two networks", xlabel="t", ylabel="loss",
                series=[Series(t, L, "line", "straight line"), Series(t, La, "line", "after aligning units")])
    summary = [("equivalent networks", f"{count} ({'n!·2ⁿ' if flips_ok else 'n!'}, n = {n})"),
               ("largest output difference", fnum(max_diff)), ("loss at the ends", f"{fnum(L[0])}, {fnum(L[-1])}"),
               ("loss at the midpoint", fnum(values["midpoint_loss"])), ("barrier", fnum(barrier)),
               ("barrier after aligning", fnum(aligned_barrier))]
    return Result("symmetry", {}, {}, values, [plot], summary)


# ----------------------------------------------------------------------------------- census


def canonical(problem: MLP, T: np.ndarray) -> np.ndarray:
    """One representative of each family of equivalent networks: flip units so the outgoing weight
    is ≥ 0 (where flips are symmetries), then sort units by their incoming weights."""
    flips_ok, _ = problem.flips_are_symmetries
    out = []
    for th in T:
        W1, b1, W2, b2 = (np.array(x, dtype=float) for x in problem.unpack(th))
        flips = [k for k in range(problem.H) if flips_ok and W2[k] < 0]
        th = problem.transform(th, list(range(problem.H)), flips)
        W1, b1, W2, b2 = problem.unpack(th)
        keys = np.column_stack([W1, b1, W2])
        perm = list(np.lexsort(keys.T[::-1]))
        out.append(problem.transform(th, perm, []))
    return np.array(out)


def _clusters(T: np.ndarray, tol: float) -> int:
    reps: list[np.ndarray] = []
    for th in T:
        if not all(np.linalg.norm(th - r) > tol * (1 + np.linalg.norm(th)) for r in reps):
            continue
        reps.append(th)
    return len(reps)


def census(problem: Problem, o: O.Census) -> Result:
    """Train from many random starts and count where the runs end (the experiment of
    Sprinkhuizen-Kuyper & Boers and Hamey on XOR): how many get stuck, and how many different
    endpoints there are once equivalent networks are counted once."""
    rng = np.random.default_rng(o.seed)
    shape = (o.starts, problem.dim)
    T = rng.uniform(-o.init.scale, o.init.scale, shape) if o.init.kind == "uniform" else rng.normal(0.0, o.init.scale, shape)
    tr = descend(problem, T, o.lr, o.steps, record=False)
    final = tr.final_loss
    ok = ~tr.diverged
    stuck = int(np.sum(ok & (final > o.stuck_above)))
    distinct = _clusters(tr.final[ok], o.tolerance)
    if isinstance(problem, MLP):
        distinct_sym = _clusters(canonical(problem, tr.final[ok]), o.tolerance)
    else:
        distinct_sym = distinct
    levels = _unique([float(x) for x in final[ok]], tol=o.tolerance)
    hist, edges = np.histogram(final[ok], bins=min(20, max(2, o.starts // 5))) if ok.any() else (np.zeros(1), np.zeros(2))
    values = {
        "runs": o.starts,
        "final_losses": final,
        "stuck": stuck,
        "stuck_fraction": stuck / o.starts,
        "diverged": int(tr.diverged.sum()),
        "distinct": distinct,
        "distinct_modulo_symmetry": distinct_sym,
        "loss_levels": levels,
        "best_loss": float(np.min(final[ok])) if ok.any() else float("nan"),
    }
    centers = 0.5 * (edges[:-1] + edges[1:])
    plot = Plot(title=f"final loss of {o.starts} runs", xlabel="final loss", ylabel="runs", series=[Series(centers, hist, "bar", "runs")])
    summary = [("runs", str(o.starts)), ("stuck (final loss > " + fnum(o.stuck_above) + ")", str(stuck)),
               ("distinct endpoints", str(distinct)), ("distinct up to symmetry", str(distinct_sym)),
               ("best final loss", fnum(values["best_loss"]))]
    return Result("census", {}, {}, values, [plot], summary)


TOOLS = {
    "curve": curve,
    "surface": surface,
    "stationary": stationary,
    "descent": descent,
    "convexity": convexity,
    "symmetry": symmetry,
    "census": census,
}
