"""The numerics of networks beyond the toys, each checked against an independent method:
finite differences, the one-hidden-layer implementation of the curriculum, dense eigensolvers,
and the results of the papers (Cohen et al. 2021, Garipov et al. 2018)."""

from __future__ import annotations

import hashlib
from importlib import resources

import numpy as np
import pytest

from tutor.experiments.nets import curvature, data, train
from tutor.experiments.nets.mlp import Net

CONFIGS = {
    "iris deep tanh softmax": (lambda: data.iris(), dict(hidden=[5, 4], activation="tanh", output="softmax", loss="cross-entropy")),
    "moons sigmoid binary": (lambda: data.moons(40, 0.1, 0), dict(hidden=[6], activation="sigmoid", output="sigmoid", loss="cross-entropy")),
    "teacher sigmoid mse": (lambda: data.teacher(3, 4, 30, 0, "tanh"), dict(hidden=[5, 3], activation="sigmoid", output="sigmoid", loss="mse")),
    "deep linear": (lambda: data.teacher(3, 4, 30, 0, "tanh"), dict(hidden=[5, 3, 2], activation="linear", output="linear", loss="half-sse")),
    "relu no bias": (lambda: data.teacher(3, 4, 30, 0, "tanh"), dict(hidden=[5], activation="relu", output="linear", loss="mse", bias=False)),
}


def make(name: str) -> tuple[Net, np.ndarray]:
    load, kw = CONFIGS[name]
    X, y = load()
    net = Net(X, y, **kw)  # type: ignore[arg-type]
    rng = np.random.default_rng(1)
    return net, net.init(rng) + 0.1 * rng.normal(size=net.dim)


# ----------------------------------------------------------------------------- data


def test_iris_is_fishers_data_as_shipped():
    raw = resources.files("tutor.experiments.nets").joinpath("iris.csv").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == "9cc1c345c71bcc9b486b74cbf6063fa66f4bb5e0f603a4b3c3471ec2e5e8e355"
    X, y = data.iris(standardize=False)
    assert X.shape == (150, 4) and np.bincount(y).tolist() == [50, 50, 50]
    # Fisher's table (and R's iris): the means of the four measurements, in cm
    assert np.allclose(X.mean(axis=0), [5.843333, 3.057333, 3.758, 1.199333], atol=1e-6)
    Z, _ = data.iris()
    assert np.allclose(Z.mean(axis=0), 0, atol=1e-12) and np.allclose(Z.std(axis=0), 1)


def test_moons_are_seeded_half_circles():
    X, y = data.moons(100, 0.0, 0)
    upper = X[y == 0]
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)  # class 0 on the unit circle
    assert np.allclose(np.hypot(X[y == 1, 0] - 1.0, X[y == 1, 1] - 0.5), 1.0)
    A, _ = data.moons(100, 0.1, 7)
    B, _ = data.moons(100, 0.1, 7)
    C, _ = data.moons(100, 0.1, 8)
    assert np.array_equal(A, B) and not np.array_equal(A, C)


# ----------------------------------------------------------------------- derivatives


@pytest.mark.parametrize("name", list(CONFIGS))
def test_gradient_matches_finite_differences_of_the_loss(name):
    net, th = make(name)
    eps = 1e-6
    fd = np.array([(net.loss(th + eps * e) - net.loss(th - eps * e)) / (2 * eps) for e in np.eye(net.dim)])
    g = net.grad(th)
    assert np.abs(g - fd).max() <= 1e-7 * np.abs(g).max()


@pytest.mark.parametrize("name", list(CONFIGS))
def test_hessian_vector_products_match_finite_differences_of_the_gradient(name):
    net, th = make(name)
    V = np.random.default_rng(2).normal(size=(3, net.dim))
    eps = 1e-6
    fd = np.array([(net.grad(th + eps * v) - net.grad(th - eps * v)) / (2 * eps) for v in V])
    Hv = net.hvp(th, V)
    assert np.abs(Hv - fd).max() <= 1e-6 * np.abs(Hv).max()
    H = net.hessian(th)
    assert np.allclose(H @ V.T, Hv.T, atol=1e-10 * np.abs(H).max())


@pytest.mark.parametrize("name", list(CONFIGS))
def test_batched_starts_equal_one_at_a_time(name):
    net, th = make(name)
    T = th + np.random.default_rng(3).normal(size=(4, net.dim))
    L, G = net.loss_and_grad(T)
    assert np.allclose(L, [net.loss(t) for t in T], rtol=1e-13)
    assert np.allclose(G, [net.grad(t) for t in T], rtol=1e-12, atol=1e-14)


def test_one_hidden_layer_agrees_with_the_curriculums_mlp():
    """The XOR 2-2-1 network of the lessons, written separately in tutor.experiments.problems."""
    from tutor.core.lab_schema.problems import MLPOptions
    from tutor.experiments.problems.mlp import MLP, XOR_X, XOR_Y

    old = MLP(MLPOptions())
    assert type(old) is MLP
    net = Net(XOR_X, XOR_Y, [2], "sigmoid", "sigmoid", "half-sse")
    T = np.random.default_rng(4).uniform(-3, 3, size=(5, 9))
    assert net.dim == old.dim == 9
    assert np.allclose(net.loss(T), old.loss(T), rtol=1e-13)
    assert np.allclose(net.grad(T), old.grad(T), rtol=1e-11, atol=1e-15)
    assert np.allclose(net.hessian(T[0]), old.hess(T[0]), rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------------------- curvature


def trained_iris() -> tuple[Net, np.ndarray]:
    X, y = data.iris()
    net = Net(X, y, [8, 6], "tanh", "softmax", "cross-entropy")
    return net, train.descend(net, net.init(np.random.default_rng(0)), 0.5, 300).theta


def test_lanczos_top_eigenvalues_match_dense_eigh():
    net, th = trained_iris()
    exact = np.linalg.eigvalsh(net.hessian(th))[::-1]
    vals, vecs = curvature.lanczos(lambda V: net.hvp(th, V), net.dim, 8)
    assert np.allclose(vals, exact[:8], rtol=1e-6, atol=0)
    lam, v = curvature.top_eigenpair(lambda V: net.hvp(th, V), net.dim, tol=1e-10)
    assert abs(lam - exact[0]) <= 1e-6 * exact[0]
    assert np.linalg.norm(net.hvp(th, v[None])[0] - lam * v) <= 1e-4 * lam


def test_the_sharpness_tracked_during_descent_is_the_dense_hessians_largest_eigenvalue():
    # tracking stops Lanczos at a residual of 1e-6·λ (train.SHARPNESS_TOL): the value is still exact to ~1e-12
    X, y = data.moons(40, 0.1, 0)
    net = Net(X, y, [16], "tanh", "linear", "mse")
    th0 = net.init(np.random.default_rng(0), scale=0.5)
    r = train.descend(net, th0, 0.4, 60, every=20)
    assert list(r.sharp_steps) == [0, 20, 40, 60]
    for step, lam in zip(r.sharp_steps, r.sharpness):
        th = train.descend(net, th0, 0.4, int(step)).theta
        assert lam == pytest.approx(np.linalg.eigvalsh(net.hessian(th))[-1], rel=1e-9)


def test_hutchinson_trace_is_within_five_percent_of_the_exact_trace():
    net, th = trained_iris()
    exact = np.trace(net.hessian(th))
    est, err = curvature.hutchinson(lambda V: net.hvp(th, V), net.dim, probes=4000, seed=0, batch=1000)
    assert abs(est - exact) <= 0.05 * abs(exact)
    assert abs(est - exact) <= 4 * err  # and the reported standard error is honest


def test_lanczos_spectrum_agrees_with_the_dense_one():
    net, th = trained_iris()
    H = net.hessian(th)
    hvp = lambda V: net.hvp(th, V)
    dense = curvature.spectrum(hvp, net.dim, top=5, dense=H)
    sparse = curvature.spectrum(hvp, net.dim, top=5, probes=2000, runs=8, steps=net.dim)
    assert dense.method == "dense" and sparse.method == "lanczos" and dense.trace_exact and not sparse.trace_exact
    assert np.allclose(sparse.eigenvalues, dense.eigenvalues, rtol=1e-6)
    assert abs(sparse.smallest - dense.smallest) <= 1e-5 * abs(dense.eigenvalues[0])
    assert abs(sparse.trace - dense.trace) <= 0.05 * abs(dense.trace)
    # quadrature with as many steps as dimensions reproduces the spectrum's first moment: tr H / d
    nodes, weights = curvature.slq(hvp, net.dim, runs=8, steps=net.dim)
    assert abs(weights.sum() - 1.0) < 1e-12
    assert nodes.max() == pytest.approx(dense.eigenvalues[0], rel=1e-8)


# ------------------------------------------------------------------- the papers' results


def eos_net() -> tuple[Net, np.ndarray]:
    """10-100-1 tanh student, a 10-4-1 tanh teacher on 50 points, mean squared error; LeCun's
    initialisation scaled by 0.4 so that the sharpness starts well below 2/η."""
    X, y = data.teacher(10, 4, 50, 0, "tanh")
    net = Net(X, y, [100], "tanh", "linear", "mse")
    return net, net.init(np.random.default_rng(0), scale=0.4)


def test_edge_of_stability_at_a_large_step():
    net, th = eos_net()
    lr = 0.4
    r = train.descend(net, th, lr, 2000, every=20)
    thr = 2 / lr
    assert r.sharpness[0] < 0.8 * thr  # starts well below 2/η ...
    reached = int(np.argmax(r.sharpness >= 0.95 * thr))
    assert reached > 0 and r.sharp_steps[reached] <= 200  # ... rises to it ...
    after = r.sharpness[r.sharp_steps >= 300]
    assert np.all(np.abs(after - thr) <= 0.10 * thr)  # ... and hovers there, within 10%
    rises = int(np.sum(np.diff(r.loss) > 0))
    assert rises >= 100  # the loss goes up on many steps
    assert r.loss[-1] < r.loss[0] / 100  # while falling overall


def test_below_the_edge_at_a_small_step():
    net, th = eos_net()
    lr = 0.05
    r = train.descend(net, th, lr, 2000, every=100)
    assert r.sharpness.max() < 2 / lr
    assert np.all(np.diff(r.loss) <= 0)  # the loss never rises


def test_a_trained_bezier_curve_crosses_a_much_lower_barrier_than_the_line():
    X, y = data.moons(60, 0.1, 0)
    net = Net(X, y, [12, 12], "tanh", "sigmoid", "cross-entropy")
    a, b = (train.descend(net, net.init(np.random.default_rng(s)), 0.5, 800).theta for s in (1, 2))
    t = np.linspace(0, 1, 41)
    line = train.barrier(net.loss((1 - t)[:, None] * a + t[:, None] * b))
    m = train.fit_bend(net, a, b, steps=200, lr=0.05)
    curve = train.barrier(net.loss(train.bezier(a, m, b, t)))
    assert line > 0.2
    assert curve < 0.1 * line


def test_alignment_keeps_the_function_and_undoes_a_permutation():
    net, th = make("iris deep tanh softmax")
    (W1, b1), (W2, b2), (W3, b3) = net.unpack(th)
    p, q = np.array([3, 0, 4, 1, 2]), np.array([2, 3, 1, 0])
    shuffled = net.pack([(W1[p], b1[p]), (W2[q][:, p], b2[q]), (W3[:, q], b3)])
    assert np.allclose(net.predict(shuffled), net.predict(th), atol=1e-14)
    back = train.align(net, th, shuffled)
    assert np.allclose(back, th)


def test_filter_normalised_directions_match_each_units_size():
    net, th = make("iris deep tanh softmax")
    D = train.filter_directions(net, th, seed=0, count=2)
    for (W, b), (Wd, bd) in zip(net.unpack(th), net.unpack(D)):
        assert np.allclose(np.sqrt((Wd**2).sum(-1) + bd**2), np.sqrt((W**2).sum(-1) + b**2))


# ----------------------------------------------------------------------- census kernel


@pytest.mark.parametrize("kw, lr", [({}, 2.0), ({"loss": "cross-entropy"}, 2.0), ({"output": "linear", "loss": "mse"}, 0.5),
                                    ({"activation": "tanh", "hidden": 3, "output": "linear", "loss": "half-sse"}, 0.05)])
def test_the_census_kernel_takes_the_same_steps_as_generic_descent(kw, lr):
    from tutor.core.lab_schema.problems import MLPOptions
    from tutor.experiments.nets.census import descend_many
    from tutor.experiments.problems.mlp import MLP
    from tutor.experiments.tools.descent import descend

    p = MLP(MLPOptions(**kw))
    T = np.random.default_rng(0).uniform(-1, 1, (40, p.dim))
    slow = descend(p, T, lr, 300, record=False)
    fast = descend_many(p.X, p.y, T, lr, 300, p.o.activation, p.o.output, p.loss_kind)
    assert np.allclose(fast.final_loss, slow.final_loss, rtol=1e-9, atol=1e-12)
    assert np.allclose(fast.final, slow.final, rtol=1e-8, atol=1e-10)


def test_the_census_kernel_freezes_runs_that_blow_up():
    from tutor.core.lab_schema.problems import MLPOptions
    from tutor.experiments.nets.census import descend_many
    from tutor.experiments.problems.mlp import MLP

    p = MLP(MLPOptions(output="linear", loss="mse", data={"teacher": {"points": 20}}))
    T = np.random.default_rng(0).uniform(-1, 1, (6, p.dim))
    T[3] *= 30.0  # huge weights: a step of 5 throws this run out
    r = descend_many(p.X, p.y, T, 5.0, 200, "sigmoid", "linear", "mse")
    assert r.diverged[3] and np.isinf(r.final_loss[3])
    assert np.isfinite(r.final_loss[~r.diverged]).all()
