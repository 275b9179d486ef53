"""The compiled full-batch descent (tutor.experiments.nets.train_jit) against numpy's loop
(``train.descend(kernel="numpy")``, ``Net.loss_and_grad``) and finite differences, on every kind
of network it runs and on the lesson experiments that now take it: training (``train:``) and the
descent tool on logistic regression and networks the census kernel does not run."""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pytest

from tutor.core.lab_schema.problems import LogisticOptions, MLPOptions
from tutor.experiments import registry
from tutor.experiments.nets import train as T
from tutor.experiments.nets import train_jit
from tutor.experiments.nets.data import iris
from tutor.experiments.nets.mlp import Net
from tutor.experiments.problems.deep import DeepMLP, build_net
from tutor.experiments.problems.linear import Logistic
from tutor.experiments.tools.trained import random_start

pytest.importorskip("llvmlite")

D = importlib.import_module("tutor.experiments.tools.descent")

KINDS: list[tuple[dict[str, Any], float]] = [  # (MLPOptions, lr): every activation, output and loss, with and without biases, one to three hidden layers
    (dict(data="iris", hidden=8, activation="tanh", output="softmax", loss="cross-entropy"), 0.5),
    (dict(data="iris", hidden=[6, 5], activation="relu", output="softmax", loss="cross-entropy", bias=False), 0.2),
    (dict(data={"moons": {"points": 40}}, hidden=16, activation="tanh", output="sigmoid", loss="cross-entropy"), 0.5),
    (dict(data={"moons": {"points": 30}}, hidden=[5, 4, 3], activation="sigmoid", output="sigmoid", loss="mse"), 1.0),
    (dict(data={"moons": {"points": 30}}, hidden=[3, 3], activation="linear", output="linear", loss="half-sse"), 0.01),
    (dict(data="xor", hidden=3, activation="relu", output="linear", loss="mse", bias=False), 0.1),
    (dict(data="xor", hidden=2, loss="cross-entropy"), 2.0),
]


def _no_hidden(output: str, loss: str, bias: bool) -> Net:
    X, y = iris()
    if output == "softmax":
        return Net(X, y, [], output="softmax", loss="cross-entropy", bias=bias)
    return Net(X, (y == 1).astype(float), [], output=output, loss=loss, bias=bias)  # type: ignore[arg-type]


NETS = [(build_net(MLPOptions(**kw)), lr) for kw, lr in KINDS] + [
    (_no_hidden("softmax", "cross-entropy", True), 0.3), (_no_hidden("sigmoid", "cross-entropy", False), 0.3),
    (_no_hidden("sigmoid", "mse", True), 1.0), (_no_hidden("linear", "half-sse", True), 0.002)]
IDS = [f"{'-'.join(map(str, n.sizes))}-{n.activation}-{n.output}-{n.loss_kind}-{'bias' if n.bias else 'nobias'}" for n, _ in NETS]


def _both(net: Net, lr: float, steps: int, seed: int = 0) -> tuple[T.Descent, T.Descent]:
    theta = net.init(np.random.default_rng(seed))
    return T.descend(net, theta, lr, steps), T.descend(net, theta, lr, steps, kernel="numpy")


@pytest.mark.parametrize("net, lr", NETS, ids=IDS)
def test_the_compiled_steps_are_numpys_steps(net, lr):
    fast, slow = _both(net, lr, 300)
    assert not slow.diverged and not fast.diverged
    assert np.allclose(fast.loss, slow.loss, rtol=1e-10, atol=0)
    assert np.allclose(fast.theta, slow.theta, rtol=1e-10, atol=1e-12)
    assert slow.loss[-1] < slow.loss[0], "the runs learn something"


@pytest.mark.parametrize("net, lr", NETS, ids=IDS)
def test_the_compiled_gradient_is_the_derivative_of_the_loss(net, lr):
    """One step of size 1 moves θ by −∇L: against central differences of ``Net.loss``."""
    theta = net.init(np.random.default_rng(3)) + 0.1  # biases off zero, so relu units are not on their kinks
    run = train_jit.descend(net, theta, 1.0, 1, 1e12)
    assert run is not None
    g = theta - run.theta
    h = 1e-6
    E = np.eye(net.dim) * h
    fd = (net.loss(theta + E) - net.loss(theta - E)) / (2 * h)
    assert np.allclose(g, fd, rtol=1e-6, atol=1e-8 * (1 + np.abs(fd).max()))
    assert run.losses[0] == pytest.approx(float(net.loss(theta)), rel=1e-13)
    assert run.losses[1] == pytest.approx(float(net.loss(run.theta)), rel=1e-13)
    assert run.norms[0] == pytest.approx(float(np.linalg.norm(theta)), rel=1e-14)


def test_a_run_that_blows_up_stops_at_the_step_numpy_stops_at():
    net = build_net(MLPOptions(data={"teacher": {"inputs": 2, "hidden": 3, "points": 40, "seed": 1}}, hidden=3,
                               activation="linear", output="linear", loss="mse"))
    fast, slow = _both(net, 3.0, 500)
    assert slow.diverged and fast.diverged
    k = int(np.sum(np.isfinite(slow.loss) & (slow.loss <= T.DIVERGED)))  # the steps before the one that blew up
    assert 2 < k < 400
    assert np.array_equal(np.isnan(fast.loss), np.isnan(slow.loss)), "the same step"
    assert not fast.loss[k] <= T.DIVERGED and not slow.loss[k] <= T.DIVERGED
    assert np.allclose(fast.loss[:k], slow.loss[:k], rtol=1e-6)  # blowing up magnifies rounding
    assert np.allclose(fast.theta, slow.theta, rtol=1e-5)


def test_a_nan_start_stops_at_once():
    net = NETS[0][0]
    theta = net.init(np.random.default_rng(0))
    theta[3] = np.nan
    fast, slow = T.descend(net, theta, 0.5, 10), T.descend(net, theta, 0.5, 10, kernel="numpy")
    assert fast.diverged and slow.diverged and np.isnan(fast.loss[0]) and np.isnan(fast.loss[1:]).all()


def test_without_llvmlite_training_runs_on_numpy(monkeypatch):
    net, lr = NETS[2]
    fast, _ = _both(net, lr, 50)
    monkeypatch.setattr(train_jit, "kernel", lambda *a: None)
    assert train_jit.descend(net, net.init(np.random.default_rng(0)), lr, 5, 1e12) is None
    again = T.descend(net, net.init(np.random.default_rng(0)), lr, 50)
    assert np.allclose(again.theta, fast.theta, rtol=1e-10, atol=1e-12)


# -- the lessons' experiments that take the compiled kernel --------------------------------------------------
IRIS = {"name": "mlp", "data": "iris", "hidden": 8, "activation": "tanh", "output": "softmax", "loss": "cross-entropy"}
MOONS = {"name": "mlp", "data": {"moons": {"points": 40}}, "hidden": 16, "activation": "tanh", "output": "sigmoid", "loss": "cross-entropy"}
MOONS2 = {"name": "mlp", "data": {"moons": {"points": 60}}, "hidden": [12, 12], "activation": "tanh", "output": "sigmoid",
          "loss": "cross-entropy"}
TRAINED = [  # (problem, train:) of lessons 19 (plane, hessian) and 16 (paths, aligned), and bench_lab
    (IRIS, 0.5, 2000, 0), (MOONS, 0.5, 1000, 1), (MOONS, 0.5, 1000, 2), (IRIS, 0.5, 200, 0), (MOONS2, 0.5, 200, 1)]


@pytest.mark.parametrize("spec, lr, steps, seed", TRAINED)
def test_the_lessons_trained_networks_are_numpys_to_1e10(spec, lr, steps, seed):
    problem = registry.make("mlp", MLPOptions(**{k: v for k, v in spec.items() if k != "name"}))
    net = D.net_of(problem)
    theta = random_start(problem, seed)
    fast, slow = T.descend(net, theta, lr, steps), T.descend(net, theta, lr, steps, kernel="numpy")
    assert np.allclose(fast.loss, slow.loss, rtol=1e-10, atol=0)
    assert np.allclose(fast.theta, slow.theta, rtol=1e-10, atol=1e-10 * np.abs(slow.theta).max())


LOGISTIC: list[tuple[dict[str, Any], list[float], float, int]] = [  # (options, start, lr, steps): convex-no-minimum's runs (every choice of its data) and sigmoid-squared-error's
    *[({"x": [-a, -2, a, 2], "y": [0, 0, 1, 1]}, [0.0], 1.0, s) for a in (0.5, 1.0, 2.0) for s in (2000, 20_000)],
    ({"x": [1, 4], "y": [0.1, 0.9], "loss": "mse"}, [-3.0], 2.0, 2000),
    ({"x": [1, 4], "y": [0.1, 0.9], "loss": "mse", "reduction": "sum", "bias": True}, [-3.0, 1.0], 0.5, 2000),
    ({"x": [[1, 0.5], [-1, 2], [0.3, -0.2]], "y": [1, 0, 1], "bias": True}, [0.1, 0.2, -0.3], 0.5, 3000),
]


def _descents(problem, T0, lr, steps, monkeypatch):
    fast = D.descend(problem, T0, lr, steps)
    with monkeypatch.context() as m:
        m.setattr(D, "_compiled", lambda *a, **k: None)
        slow = D.descend(problem, T0, lr, steps)
    return fast, slow


def _same(fast, slow) -> None:
    assert list(fast.steps) == list(slow.steps)
    for name in ("final", "final_loss", "losses", "norms"):
        assert np.allclose(getattr(fast, name), getattr(slow, name), rtol=1e-10, atol=0), name
    assert list(fast.rising) == list(slow.rising) and list(fast.period) == list(slow.period)
    assert list(fast.diverged) == list(slow.diverged)


@pytest.mark.parametrize("kw, start, lr, steps", LOGISTIC)
def test_descent_on_logistic_regression_records_what_numpy_records(kw, start, lr, steps, monkeypatch):
    p = Logistic(LogisticOptions(**kw))
    T0 = np.array([start])
    assert D.compiled_route(p, 1) == "train"
    assert D._compiled(p, T0, lr, steps, None, np.arange(0, steps + 1, 100)) is not None
    _same(*_descents(p, T0, lr, steps, monkeypatch))


@pytest.mark.parametrize("kw, lr", [(KINDS[0][0], 0.5), (KINDS[5][0], 0.1), (KINDS[6][0], 2.0)])
def test_descent_on_networks_beyond_the_census_kernel_records_what_numpy_records(kw, lr, monkeypatch):
    """Several starts (each run by itself), a softmax net, a relu net without biases, cross-entropy."""
    p = registry.make("mlp", MLPOptions(**kw))
    T0 = np.random.default_rng(1).uniform(-1, 1, (3, p.dim))
    assert D.compiled_route(p, 3) == "train" and D.compiled_route(p, 100) == "numpy"
    _same(*_descents(p, T0, lr, 400, monkeypatch))


def test_without_llvmlite_descent_runs_on_numpy_with_the_same_numbers(monkeypatch):
    p = Logistic(LogisticOptions(x=[-0.5, -2, 0.5, 2], y=[0, 0, 1, 1]))
    T0 = np.array([[0.0]])
    fast = D.descend(p, T0, 1.0, 3000)
    monkeypatch.setattr(train_jit, "kernel", lambda *a: None)
    assert D._compiled(p, T0, 1.0, 3000, None, np.arange(3001)) is None
    _same(fast, D.descend(p, T0, 1.0, 3000))


def test_descent_hands_a_run_that_blows_up_to_numpy(monkeypatch):
    """numpy's loop freezes it where it went wrong, with its own semantics."""
    p = registry.make("mlp", MLPOptions(**KINDS[4][0]))
    T0 = np.random.default_rng(0).uniform(-1, 1, (2, p.dim))
    assert D._compiled(p, T0, 3.0, 300, None, np.arange(301)) is None
    fast, slow = _descents(p, T0, 3.0, 300, monkeypatch)
    assert slow.diverged.all() and list(fast.diverged) == list(slow.diverged)


# -- the sharpness tool: the kernel between two measurements --------------------------------------------------
EOS = MLPOptions(data={"moons": {"points": 40}}, hidden=16, activation="tanh", output="linear", loss="mse", init={"seed": 0, "scale": 0.5})


def _sharp(lr: float, steps: int, every: int) -> tuple[T.Descent, T.Descent]:
    p = registry.make("mlp", EOS)
    assert isinstance(p, DeepMLP)
    net = p.net
    return T.descend(net, p.theta0, lr, steps, every=every), T.descend(net, p.theta0, lr, steps, every=every, kernel="numpy")


def test_sharpness_below_the_edge_is_numpys_to_1e10():
    """Lesson 'edge-of-stability' at η = 0.05: stable, so rounding stays rounding."""
    fast, slow = _sharp(0.05, 1500, 25)
    assert list(fast.sharp_steps) == list(slow.sharp_steps) == list(range(0, 1501, 25))
    assert np.allclose(fast.loss, slow.loss, rtol=1e-10, atol=0)
    assert np.allclose(fast.sharpness, slow.sharpness, rtol=1e-10, atol=0)


def test_sharpness_at_the_edge_tells_the_lesson_what_numpy_tells_it():
    """At η = 0.4 the run hovers at 2/η, where a step multiplies a deviation along the top
    direction by about −1 — rounding differences grow (to 1e-7 of the loss here), so the check is
    the lesson's: the same steps measured, no blow-up, the sharpness at the edge, the same count of
    rising steps."""
    fast, slow = _sharp(0.4, 1500, 7)  # 7: the stretches do not divide the run
    assert list(fast.sharp_steps) == list(slow.sharp_steps) and fast.sharp_steps[-1] == 1500
    assert not fast.diverged and not slow.diverged
    assert np.allclose(fast.sharpness, slow.sharpness, rtol=1e-6)
    assert np.allclose(fast.loss, slow.loss, rtol=1e-5)
    assert fast.sharpness[-1] > 0.85 * 2 / 0.4 and slow.sharpness[-1] > 0.85 * 2 / 0.4
    assert int(np.sum(np.diff(fast.loss) > 0)) == int(np.sum(np.diff(slow.loss) > 0)) > 100


def test_sharpness_of_a_run_that_blows_up_stops_where_numpy_stops():
    fast, slow = _sharp(3.0, 100, 7)
    assert fast.diverged and slow.diverged
    assert np.array_equal(np.isnan(fast.loss), np.isnan(slow.loss))
    assert list(fast.sharp_steps) == list(slow.sharp_steps) and np.allclose(fast.sharpness, slow.sharpness, rtol=1e-9)
