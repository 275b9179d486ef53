"""Gradient descent at the edge of stability."""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.core.lab_schema.tools import SharpnessOptions
from tutor.experiments.nets import train as T
from tutor.experiments.problems.base import Problem
from tutor.experiments.problems.deep import net_of
from tutor.experiments.registry import tool
from tutor.experiments.tools.base import Result, _theta, fnum
from tutor.experiments.tools.trained import check_work
from tutor.plots.spec import Plot, Series

PLOT_POINTS = 400


@tool(SharpnessOptions)
def sharpness(problem: Problem, o: SharpnessOptions) -> Result:
    """Full-batch gradient descent with the sharpness (the largest Hessian eigenvalue) measured
    every few steps. Cohen et al. (2021, "Gradient descent on neural networks typically occurs at
    the edge of stability") found that it rises (progressive sharpening) until it reaches 2/η,
    where a quadratic would make descent diverge, and then hovers there while the loss keeps
    falling — over many steps, not on every one."""
    net = net_of(problem)
    check_work(net, o.steps * 2, "sharpness")
    run = T.descend(net, _theta(problem, o.at, "at"), o.lr, o.steps, every=o.every, seed=o.seed)
    thr = 2.0 / o.lr
    L = run.loss
    ok = np.isfinite(L)
    rising = int(np.sum(np.diff(L[ok]) > 0))
    values: dict[str, Any] = {
        "steps": run.sharp_steps,
        "sharpness": run.sharpness,
        "threshold": thr,
        "loss": L,
        "loss_steps": np.arange(len(L)),
        "rising_steps": rising,
        "final_loss": float(L[ok][-1]) if ok.any() else float("nan"),
        "max_sharpness": float(run.sharpness.max()) if run.sharpness.size else float("nan"),
        "diverged": run.diverged,
    }
    stride = max(1, len(L) // PLOT_POINTS)
    steps = np.arange(len(L))[ok][::stride]
    plots = [
        Plot(title=f"sharpness during descent, η = {o.lr:g}", xlabel="step", ylabel="largest Hessian eigenvalue",
             series=[Series(run.sharp_steps, run.sharpness, "line", "sharpness")], hlines=[thr], xint=True),
        Plot(title="loss", xlabel="step", ylabel="loss", series=[Series(steps, L[ok][::stride], "line", "loss")], ylog=True, xint=True),
    ]
    summary = [("threshold 2/η", fnum(thr)), ("sharpness at the start", fnum(run.sharpness[0]) if run.sharpness.size else "-"),
               ("largest sharpness", fnum(values["max_sharpness"])),
               ("sharpness at the end", fnum(run.sharpness[-1]) if run.sharpness.size else "-"),
               ("loss", f"{fnum(L[0])} → {fnum(values['final_loss'])}" + (" (diverged)" if run.diverged else "")),
               ("steps where the loss rose", f"{rising} of {int(ok.sum()) - 1}")]
    return Result(values, plots, summary)
