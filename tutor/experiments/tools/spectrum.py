"""The Hessian's spectrum of a network, as PyHessian computes it."""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.tools import SpectrumOptions
from tutor.experiments.nets import curvature
from tutor.experiments.problems.base import Problem
from tutor.experiments.registry import tool
from tutor.experiments.tools.base import Result, fnum
from tutor.experiments.tools.trained import second_order, start
from tutor.plots.spec import Plot, Series

DENSE_AUTO = 500  # parameters up to which "auto" builds the dense Hessian
DENSE_MAX = 1500
FLAT = 1e-3  # eigenvalues within FLAT·λ_max of zero count as flat directions


@tool(SpectrumOptions)
def spectrum(problem: Problem, o: SpectrumOptions) -> Result:
    """The eigenvalues of the Hessian at θ (Yao et al. 2020, PyHessian): the top ones by Lanczos on
    Hessian-vector products, the trace by Hutchinson's estimator, the density by stochastic Lanczos
    quadrature; for small networks all of them exactly, from the dense Hessian."""
    theta = start(problem, o.at, o.train, "spectrum")
    d = problem.dim
    hvp_of, dense_of = second_order(problem)
    dense_wanted = o.method == "dense" or (o.method == "auto" and d <= DENSE_AUTO) or hvp_of is None or d < 3
    if dense_wanted and d > DENSE_MAX:
        raise ExperimentError(f"spectrum: the dense Hessian of {d:,} parameters is too big (at most {DENSE_MAX:,}); use method: lanczos")
    if dense_wanted:
        H = dense_of(theta)
        hvp = lambda V: V @ H
    else:
        hvp = hvp_of(theta)
    sp = curvature.spectrum(hvp, d, top=o.top, dense=H if dense_wanted else None, probes=o.probes, bins=o.bins, seed=o.seed)
    L, g = problem.loss_and_grad(theta)
    # flat and negative directions: |λ| ≤ 10⁻³·λ_max counts as flat; exact when dense, else from the density
    tol = FLAT * abs(float(sp.eigenvalues[0]))
    if dense_wanted:
        ev = np.linalg.eigvalsh(H)
        negative, flat = int(np.sum(ev < -tol)), int(np.sum(np.abs(ev) <= tol))
    else:
        c, f = sp.density.centers, sp.density.fraction
        negative, flat = int(round(d * float(f[c < -tol].sum()))), int(round(d * float(f[np.abs(c) <= tol].sum())))
    values: dict[str, Any] = {
        "eigenvalues": sp.eigenvalues,
        "smallest": sp.smallest,
        "trace": sp.trace,
        "trace_exact": sp.trace_exact,
        "trace_error": sp.trace_error,
        "density": {"centers": sp.density.centers, "fraction": sp.density.fraction},
        "method": sp.method,
        "loss": float(L),
        "grad_norm": float(np.linalg.norm(g)),
        "parameters": d,
        "negative": negative,
        "flat": flat,
    }
    how = "exact" if sp.method == "dense" else "stochastic Lanczos quadrature"
    plot = Plot(title=f"Hessian eigenvalues ({how}), {d} parameters", xlabel="eigenvalue", ylabel="fraction",
                series=[Series(sp.density.centers, sp.density.fraction, "bar", "density")], vlines=[float(sp.eigenvalues[0])])
    summary = [("method", f"{sp.method} ({d} parameters)"),
               (f"largest {len(sp.eigenvalues)}", ", ".join(fnum(float(x)) for x in sp.eigenvalues)),
               ("smallest", fnum(sp.smallest)),
               ("flat (|λ| ≤ 0.001·λ_max)", f"{flat} of {d}" + ("" if dense_wanted else " (estimated)")),
               ("negative (λ < −0.001·λ_max)", f"{negative} of {d}" + ("" if dense_wanted else " (estimated)")),
               ("trace", fnum(sp.trace) + ("" if sp.trace_exact else f" ± {fnum(sp.trace_error)} (Hutchinson, {o.probes} probes)")),
               ("loss at the point", fnum(float(L)))]
    return Result(values, [plot], summary)
