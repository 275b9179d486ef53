"""The census's two kernels (compiled with llvmlite, and numpy) against generic descent and each
other, and the compiled exp against the C library's."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from tests.unit.elementwise import compiled
from tutor.core.lab_schema.problems import MLPOptions
from tutor.experiments.nets.census import descend_many
from tutor.experiments.problems.mlp import MLP
from tutor.experiments.tools.descent import descend

pytest.importorskip("llvmlite")

CONFIGS = [({}, 2.0), ({"loss": "cross-entropy"}, 2.0), ({"output": "linear", "loss": "mse"}, 0.5),
           ({"activation": "tanh", "hidden": 3, "output": "linear", "loss": "half-sse"}, 0.05),
           ({"activation": "tanh", "hidden": 5, "loss": "mse"}, 1.0), ({"hidden": 4, "data": {"teacher": {"points": 12}}}, 1.0)]


def _runs(kw: dict, lr: float, starts: int, steps: int, kernel: str, seed: int = 0):
    p = MLP(MLPOptions(**kw))
    T = np.random.default_rng(seed).uniform(-1, 1, (starts, p.dim))
    return p, T, descend_many(p.X, p.y, T, lr, steps, p.o.activation, p.o.output, p.loss_kind, kernel=kernel)  # type: ignore[arg-type]


@pytest.mark.parametrize("kw, lr", CONFIGS)
def test_the_compiled_kernel_takes_the_same_steps_as_generic_descent(kw, lr):
    p, T, fast = _runs(kw, lr, 40, 300, "compiled")
    slow = descend(p, T, lr, 300, record=False)
    assert fast.kernel == "compiled"
    assert np.allclose(fast.final_loss, slow.final_loss, rtol=1e-9, atol=1e-12)
    assert np.allclose(fast.final, slow.final, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("hidden", [1, 2, 3, 8])
def test_both_kernels_give_the_lessons_census(hidden):
    """Lessons 'xor-stuck' and 'wider-is-kinder': 100 starts, 5000 steps of 2; 16 of them stuck with 2 units, all with 1, none with 3 or 8."""
    _, _, compiled = _runs({"hidden": hidden}, 2.0, 100, 5000, "compiled")
    _, _, numpy = _runs({"hidden": hidden}, 2.0, 100, 5000, "numpy")
    stuck = {1: 100, 2: 16, 3: 0, 8: 0}[hidden]
    assert int(np.sum(compiled.final_loss > 0.05)) == int(np.sum(numpy.final_loss > 0.05)) == stuck
    assert np.allclose(compiled.final, numpy.final, rtol=1e-6, atol=1e-6)
    assert np.allclose(compiled.final_loss, numpy.final_loss, rtol=1e-9, atol=1e-12)


def test_the_compiled_kernel_freezes_runs_that_blow_up_where_numpy_does():
    p = MLP(MLPOptions(output="linear", loss="mse", data={"teacher": {"points": 20}}))
    T = np.random.default_rng(0).uniform(-1, 1, (6, p.dim))
    r = {k: descend_many(p.X, p.y, T, 1.2, 200, "sigmoid", "linear", "mse", kernel=k) for k in ("compiled", "numpy")}  # 1.0 converges
    for k in r.values():
        assert k.diverged.all() and np.isinf(k.final_loss).all()
        assert np.isfinite(k.final).all() and np.abs(k.final).max() > 1e6  # frozen when the loss passed 1e12·(L₀ + 1)
    assert np.allclose(r["compiled"].final, r["numpy"].final, rtol=1e-5, atol=0)  # the same check step; blowing up magnifies rounding


def test_a_run_that_turns_nan_leaves_the_others_alone():
    p = MLP(MLPOptions())
    T = np.random.default_rng(0).uniform(-1, 1, (20, p.dim))
    T[7, 4] = np.nan
    r = {k: descend_many(p.X, p.y, T, 2.0, 300, "sigmoid", "sigmoid", "half-sse", kernel=k) for k in ("compiled", "numpy")}
    ok = np.arange(20) != 7
    for k in r.values():
        assert k.diverged.tolist() == (~ok).tolist() and np.isinf(k.final_loss[7])
    assert np.allclose(r["compiled"].final[ok], r["numpy"].final[ok], rtol=1e-9, atol=1e-12)
    assert np.allclose(r["compiled"].final_loss[ok], descend(p, T[ok], 2.0, 300, record=False).final_loss, rtol=1e-9, atol=1e-12)


def test_without_llvmlite_the_census_runs_on_numpy_with_the_same_result(monkeypatch):
    _, _, compiled = _runs({}, 2.0, 30, 500, "auto")
    import tutor.experiments.nets

    monkeypatch.setitem(sys.modules, "tutor.experiments.nets.census_jit", None)  # its import now fails
    monkeypatch.delattr(tutor.experiments.nets, "census_jit")
    _, _, numpy = _runs({}, 2.0, 30, 500, "auto")
    assert (compiled.kernel, numpy.kernel) == ("compiled", "numpy")
    assert np.allclose(compiled.final, numpy.final, rtol=1e-9, atol=1e-12)
    with pytest.raises(ImportError):
        _runs({}, 2.0, 3, 5, "compiled")


def test_the_compiled_exp_is_within_one_ulp_of_the_c_library():
    exp = compiled("exp")
    x = np.concatenate([np.random.default_rng(1).uniform(-708, 708, 20_000), np.random.default_rng(2).normal(0, 1, 20_000),
                        [0.0, -0.0, 1e-300, -1e-20, 0.5 * math.log(2), -0.5 * math.log(2), 708.0, -708.0]])
    want = np.array([math.exp(v) for v in x])
    assert np.all(np.abs(exp(x) - want) <= np.spacing(want))
    assert exp(np.array([0.0]))[0] == 1.0


def test_the_compiled_exp_computes_exactly_the_arithmetic_it_is_written_with():
    """No fused multiply-adds, no reassociation: numpy doing the same operations one by one gets the same bits."""
    from tutor.experiments.nets import jit

    x = np.clip(np.random.default_rng(4).normal(0, 50, 50_000), -jit.EXP_LIMIT, jit.EXP_LIMIT)
    t = x * jit.INV_LN2 + jit.ROUND
    k = t - jit.ROUND
    hi = x - k * jit.LN2_HI
    lo = k * jit.LN2_LO
    r = hi - lo
    rr = r * r
    P1, P2, P3, P4, P5 = jit.P
    c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))))
    er = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
    want = er * ((t.view(np.int64) + 1023) << 52).view(np.float64)
    assert np.array_equal(compiled("exp")(x), want)


def test_the_compiled_exp_clamps_its_argument_and_keeps_nan():
    exp = compiled("exp")
    big, small, nan = exp(np.array([1000.0, -1000.0, np.nan]))
    assert big == math.exp(708.0) and small == math.exp(-708.0) and math.isnan(nan)


def test_the_compiled_sigmoid_matches_the_logistic_function():
    from scipy.special import expit

    sigmoid = compiled("sigmoid")
    z = np.concatenate([np.linspace(-700, 700, 20_001), np.random.default_rng(3).normal(0, 3, 20_000)])
    assert np.allclose(sigmoid(z), expit(z), rtol=1e-15, atol=0)
    assert sigmoid(np.array([1000.0]))[0] == 1.0


# -- the descent tool's recorded runs on the compiled kernel ----------------------------------------
def _both(kw: dict, lr: float, starts: int, steps: int, monkeypatch, seed: int = 0):
    import importlib

    D = importlib.import_module("tutor.experiments.tools.descent")
    p = MLP(MLPOptions(**kw))
    T = np.random.default_rng(seed).uniform(-1, 1, (starts, p.dim))
    fast = D.descend(p, T, lr, steps)
    with monkeypatch.context() as m:
        m.setattr(D, "_compiled", lambda *a, **k: None)
        slow = D.descend(p, T, lr, steps)
    return p, T, fast, slow


@pytest.mark.parametrize("kw, lr", [c for c in CONFIGS if c[0].get("loss") != "cross-entropy"])
def test_recorded_descent_on_the_compiled_kernel_records_what_numpy_records(kw, lr, monkeypatch):
    import importlib

    D = importlib.import_module("tutor.experiments.tools.descent")
    p, T, fast, slow = _both(kw, lr, 20, 300, monkeypatch)
    assert D._compiled(p, T, lr, 300, None, fast.steps) is not None, "the compiled path was taken"
    assert list(fast.steps) == list(slow.steps)
    for name in ("final", "final_loss", "losses", "norms"):
        assert np.allclose(getattr(fast, name), getattr(slow, name), rtol=1e-8, atol=1e-10), name
    assert list(fast.rising) == list(slow.rising) and list(fast.period) == list(slow.period)
    assert not fast.diverged.any()


def test_recorded_descent_hands_a_run_that_blows_up_to_numpy(monkeypatch):
    p, T, fast, slow = _both({"output": "linear", "loss": "mse"}, 60.0, 6, 200, monkeypatch)
    assert slow.diverged.any(), "the step is large enough to blow up"
    assert list(fast.diverged) == list(slow.diverged)
    assert np.array_equal(fast.final, slow.final, equal_nan=True)


def test_a_long_stuck_run_takes_the_compiled_path_and_keeps_its_numbers(monkeypatch):
    """xor-stuck's 40 000-step run (0.8 s on numpy): the same plateau, loss and |θ| to 1e-9."""
    import importlib

    D = importlib.import_module("tutor.experiments.tools.descent")
    p = MLP(MLPOptions())
    T = np.array([[-0.22, -0.24, 0.82, -0.21, -0.3, -0.3, -0.04, -0.81, 0.09]])
    fast = D.descend(p, T, 2.0, 40_000)
    assert D._compiled(p, T, 2.0, 10, None, np.arange(11)) is not None
    with monkeypatch.context() as m:
        m.setattr(D, "_compiled", lambda *a, **k: None)
        slow = D.descend(p, T, 2.0, 40_000)
    assert np.allclose(fast.norms, slow.norms, rtol=1e-9) and np.allclose(fast.losses, slow.losses, rtol=1e-9)
    assert fast.rising[0] == slow.rising[0]
