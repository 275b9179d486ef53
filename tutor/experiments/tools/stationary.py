"""Critical points from many starts, and their kind."""

from __future__ import annotations

import numpy as np

from tutor.core.lab_schema.tools import StationaryOptions
from tutor.experiments.problems.base import Problem
from tutor.experiments.registry import tool
from tutor.experiments.tools.base import Result, _box, _uniform, describe_points, fnum
from tutor.plots.spec import Plot, Series


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



RAY = np.array([1e-2, 1e-1, 1.0, 10.0])  # distances along −∇L to probe, in units of 1 + |θ|


def downhill_outward(problem: Problem, point: dict) -> dict | None:
    """A point with a tiny gradient is not a minimum if stepping along −∇L, away from the origin,
    still lowers the loss: it sits on a plateau that slopes off to infinity (saturated units).
    Returns what the probe saw ({norm: [from, to], loss: [from, to]}), or None for a true rest point."""
    th, L = np.asarray(point["theta"], dtype=float), float(point["loss"])
    g = problem.grad(th)
    gn = float(np.linalg.norm(g))
    if not gn > 0:
        return None
    n0 = float(np.linalg.norm(th))
    P = th - (RAY * (1 + n0))[:, None] * (g / gn)
    with np.errstate(all="ignore"):
        Lp = problem.loss(P)
    norms = np.linalg.norm(P, axis=1)
    ok = np.isfinite(Lp) & (Lp < L - 1e-6 * abs(L)) & (norms > n0 * (1 + 1e-3))
    if not ok.any():
        return None
    k = int(np.flatnonzero(ok)[-1])
    return {"norm": [n0, float(norms[k])], "loss": [L, float(Lp[k])]}


@tool(StationaryOptions)
def stationary(problem: Problem, o: StationaryOptions) -> Result:
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
        for pt in points:
            if pt["kind"] in ("minimum", "degenerate"):
                slide = downhill_outward(problem, pt)
                if slide is not None:
                    pt["kind"], pt["growth"] = "plateau", slide
    if o.at is not None:
        escaped = 0
    counts = {k: sum(p["kind"] == k for p in points) for k in ("minimum", "maximum", "saddle", "degenerate", "plateau")}
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
    return Result(values, plots, summary)
