"""The descent tool's loop checks divergence and rising losses once per block of steps and replays a
block step by step when a run left the finite range in it. These tests hold it to the plain
step-by-step loop written out below (one check per step, as the tool did before), bit for bit."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from tutor.core.lab_schema import validate
from tutor.experiments import registry
from tutor.experiments.tools.base import DIVERGED

D = importlib.import_module("tutor.experiments.tools.descent")  # the package exports the tool under the module's name


def reference(problem, T, lr, steps, noise=None, rng=None):
    """θ ← θ − η∇L(θ) with every check made after every step."""
    rec = np.unique(np.linspace(0, steps, min(steps + 1, 2001)).round().astype(int))
    f = problem.stepper()
    TT = np.array(T, dtype=float).T.copy()
    d, S = TT.shape
    losses, norms = np.empty((S, len(rec))), np.empty((S, len(rec)))
    rising, diverged, r = np.zeros(S, dtype=int), np.zeros(S, dtype=bool), 0
    history = []
    with np.errstate(all="ignore"):
        L, G = f(TT)
        limit = DIVERGED * (np.abs(L) + 1.0)
        for k in range(steps):
            if r < len(rec) and rec[r] == k:
                losses[:, r], norms[:, r] = L, np.sqrt((TT * TT).sum(0))
                r += 1
            Tn = TT - lr * G
            if noise is not None:
                z = rng.normal(0.0, noise["scale"], (d, S)) if noise["kind"] == "gaussian" else rng.uniform(-noise["scale"], noise["scale"], (d, S))
                if "when_grad_below" in noise:
                    z *= np.sqrt((G * G).sum(0)) < noise["when_grad_below"]
                Tn = Tn + z
            Ln, Gn = f(Tn)
            rising += Ln > L + 1e-12 * np.abs(L)
            for s in range(S):  # a run that leaves the finite range stops before that step, at an infinite loss, for good
                if diverged[s] or not Ln[s] <= limit[s]:
                    diverged[s] = True
                    Tn[:, s], Ln[s], Gn[:, s] = TT[:, s], np.inf, 0.0
            TT, L, G = Tn, Ln, Gn
            if k >= steps - D.TAIL:
                history.append(TT.T.copy())
        losses[:, r], norms[:, r] = L, np.sqrt((TT * TT).sum(0))
    period = D._period(history, S)
    period[diverged] = 0
    return TT.T, L, losses, norms, rising, diverged, period


def function(expr: str, names: list[str]):
    p, _ = validate("descent", {"name": "function", "expr": expr, "vars": names}, {"start": [0.0] * len(names), "lr": 0.1, "steps": 1})
    return registry.make("function", p)


CASES = [
    # (expression, variables, starts, lr, steps, noise): a converging run, a valley on the edge of
    # stability, runs that diverge at different steps (one, several, NaN from sqrt of a negative
    # number), and noisy runs whose random numbers must be drawn again when a block is replayed
    ("x**2/2 + y**4/4 - y**2/2", ["x", "y"], [[1.0, 1e-8]], 0.1, 700, None),
    ("(x**2 + 10*y**2)/2", ["x", "y"], [[2.0, 1.0], [1.0, -1.0]], 0.199, 1000, None),
    ("x**2", ["x"], [[1.0]], 1.5, 700, None),
    ("x**2", ["x"], [[1.0], [1e-3]], 1.5, 24, None),  # the first diverges within the last 16 steps, kept for cycles
    ("x**2", ["x"], [[1.0], [0.5]], 1.0, 40, None),  # a cycle of period 2
    ("x**4 - x**2", ["x"], [[0.3], [1.2], [-1.9], [2.6], [0.01]], 0.6, 900, None),
    ("sqrt(x) + x**2", ["x"], [[1.0], [0.2]], 0.9, 300, None),
    ("x**2/2 + y**4/4 - y**2/2", ["x", "y"], [[1.0, 0.0]], 0.1, 600, {"kind": "uniform", "scale": 0.01}),
    ("x**4/4 - x**2/2 + y**2", ["x", "y"], [[0.0, 1.0], [2.0, 0.0], [9.0, 9.0]], 0.45, 800,
     {"kind": "gaussian", "scale": 0.05, "when_grad_below": 0.5}),
]


@pytest.mark.parametrize("block", [1, 7, 256])
@pytest.mark.parametrize("expr,names,starts,lr,steps,noise", CASES)
def test_blocks_give_the_step_by_step_result_to_the_bit(monkeypatch, block, expr, names, starts, lr, steps, noise):
    monkeypatch.setattr(D, "BLOCK", block)
    problem = function(expr, names)
    T = np.array(starts, dtype=float)
    from tutor.core.lab_schema.tools import NoiseOptions

    got = D.descend(problem, T, lr, steps, NoiseOptions(**noise) if noise else None, np.random.default_rng(5))
    final, L, losses, norms, rising, diverged, period = reference(problem, T, lr, steps, noise, np.random.default_rng(5))
    np.testing.assert_array_equal(got.final, final)
    np.testing.assert_array_equal(got.final_loss, L)
    np.testing.assert_array_equal(got.losses, losses)
    np.testing.assert_array_equal(got.norms, norms)
    np.testing.assert_array_equal(got.rising, rising)
    np.testing.assert_array_equal(got.diverged, diverged)
    np.testing.assert_array_equal(got.period, period)


def test_the_cases_reach_the_replay():
    """At least one case diverges in the middle of a block, and one has noise, so the replay path
    (state, history and random numbers restored) is what the test above compares."""
    problem = function("x**2", ["x"])
    tr = D.descend(problem, np.array([[1.0]]), 1.5, 700)
    assert tr.diverged[0] and 0 < np.argmax(~np.isfinite(tr.losses[0])) < 700


def run_tool(problem: dict, with_: dict):
    p, t = validate("descent", problem, with_)
    return D.descent(registry.make(problem["name"], p), t)


def test_a_run_that_takes_off_late_and_settles_is_not_called_sliding():
    """Depth-4 linear net from 0.05: on its plateau until about step 1000 of 1500, then at the
    minimum w = (1, 1, 1, 1) with loss 0. Halfway against the end says 'loss fell, |θ| grew'; the last
    tenth says it stopped, so the verdict comes from the gradient and the Hessian at the end."""
    res = run_tool({"name": "product", "depth": 4, "target": 1}, {"start": [0.05] * 4, "lr": 0.1, "steps": 1500})
    v = res.values
    np.testing.assert_allclose(v["final"], [1, 1, 1, 1], atol=1e-9)
    assert v["final_loss"] < 1e-20 and v["late_losses"][0] > 0.99 and v["late_norms"][1] > 1.9  # the last half still shows the take-off
    assert v["endpoint_kind"] != "plateau" and v["endpoint_kind"] in ("minimum", "degenerate")  # flat along w1w2w3w4 = 1: zero eigenvalues


def test_a_run_still_sliding_at_its_end_is_a_plateau():
    """Separable logistic regression: w grows like ln(t)/gap to the last step (Soudry et al. 2018)."""
    res = run_tool({"name": "logistic", "x": [-1, -2, 1, 2], "y": [0, 0, 1, 1]}, {"start": [0], "lr": 1.0, "steps": 20000})
    assert res.values["endpoint_kind"] == "plateau"


def test_a_diverged_run_stays_stopped_at_an_infinite_loss():
    """x² with step 1.5 multiplies x by −2 a step: past the limit it stops where it was before, and
    every later record says infinite (it used to come back to a finite loss every other step)."""
    tr = D.descend(function("x**2", ["x"]), np.array([[1.0], [0.5]]), 1.5, 200)
    assert tr.diverged.all() and np.isinf(tr.final_loss).all()
    first = np.argmax(~np.isfinite(tr.losses), axis=1)
    for s in range(2):
        assert np.isinf(tr.losses[s, first[s]:]).all() and np.isfinite(tr.losses[s, : first[s]]).all()
        assert abs(tr.final[s, 0]) == 2.0 ** (first[s] - 1) * [1.0, 0.5][s]  # |x| doubles each step: frozen one step before
