"""Many training runs, and where they end."""

from __future__ import annotations

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.tools import CensusOptions
from tutor.experiments import registry
from tutor.experiments.nets import census as fast
from tutor.experiments.problems.base import Problem
from tutor.experiments.problems.mlp import MLP
from tutor.experiments.registry import tool
from tutor.experiments.tools.base import Result, _clusters, _unique, fnum
from tutor.experiments.tools.descent import descend
from tutor.plots.spec import Plot, Series


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


def _final(problem: Problem, o: CensusOptions):
    rng = np.random.default_rng(o.seed)
    shape = (o.starts, problem.dim)
    T = rng.uniform(-o.init.scale, o.init.scale, shape) if o.init.kind == "uniform" else rng.normal(0.0, o.init.scale, shape)
    if isinstance(problem, MLP) and fast.supported(problem.o.activation, problem.o.output, problem.bias):
        return fast.descend_many(problem.X, problem.y, T, o.lr, o.steps, problem.o.activation, problem.o.output, problem.loss_kind)
    return descend(problem, T, o.lr, o.steps, record=False)


def _by_width(problem: Problem, o: CensusOptions) -> list[dict]:
    """The same census with the hidden layer widened: wider networks get stuck less often."""
    if not isinstance(problem, MLP):
        raise ExperimentError("census: widths need an mlp problem with one hidden layer")
    out = []
    for w in o.widths or []:
        p = registry.make("mlp", problem.o.model_copy(update={"hidden": w, "weights": None}))
        tr = _final(p, o)
        ok = ~tr.diverged
        stuck = int(np.sum(ok & (tr.final_loss > o.stuck_above)))
        out.append({"hidden": w, "runs": o.starts, "stuck": stuck, "stuck_fraction": stuck / o.starts,
                    "best_loss": float(np.min(tr.final_loss[ok])) if ok.any() else float("nan")})
    return out


@tool(CensusOptions)
def census(problem: Problem, o: CensusOptions) -> Result:
    """Train from many random starts and count where the runs end (the experiment of
    Sprinkhuizen-Kuyper & Boers and Hamey on XOR): how many get stuck, and how many different
    endpoints there are once equivalent networks are counted once. With ``widths``, the stuck
    fraction for each width of the hidden layer."""
    tr = _final(problem, o)
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
    best = float(np.min(final[ok])) if ok.any() else float("nan")
    values = {
        "runs": o.starts,
        "final_losses": final,
        "stuck": stuck,
        "stuck_fraction": stuck / o.starts,
        "diverged": int(tr.diverged.sum()),
        "distinct": distinct,
        "distinct_modulo_symmetry": distinct_sym,
        "loss_levels": levels,
        "best_loss": best,
    }
    H = problem.H if isinstance(problem, MLP) else None
    values["by_width"] = _by_width(problem, o) if o.widths else [
        {"hidden": H, "runs": o.starts, "stuck": stuck, "stuck_fraction": stuck / o.starts, "best_loss": values["best_loss"]}]
    centers = 0.5 * (edges[:-1] + edges[1:])
    plot = Plot(title=f"final loss of {o.starts} runs", xlabel="final loss", ylabel="runs", series=[Series(centers, hist, "bar", "runs")])
    summary = [("runs", str(o.starts)), ("stuck (final loss > " + fnum(o.stuck_above) + ")", str(stuck)),
               ("distinct endpoints", str(distinct)), ("distinct up to symmetry", str(distinct_sym)),
              ("best final loss", fnum(values["best_loss"]))]
    plots = [plot]
    if o.widths:
        rows = values["by_width"]
        plots.append(Plot(title="stuck runs by width of the hidden layer", xlabel="hidden units", ylabel="fraction stuck",
                          series=[Series([r["hidden"] for r in rows], [r["stuck_fraction"] for r in rows], "line", "stuck", "point")], xint=True))
        summary += [(f"stuck with {r['hidden']} hidden units", f"{r['stuck']} of {r['runs']}") for r in rows]
    return Result(values, plots, summary)

