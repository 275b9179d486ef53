"""Problems and tools against results recomputed independently: closed forms, papers' tables,
finite differences, and one-at-a-time runs against the batched ones."""

import itertools
import json
import math

import numpy as np
import pytest

from tutor.core import lab_schema as S
from tutor.core.errors import ExperimentError
from tutor.experiments import registry, run, to_json

PROBLEMS = [
    ("output-square", {"target": 2.0}),
    ("product", {"depth": 3, "target": 1.5}),
    ("linear-regression", {"x": [[0, 1], [1, 2], [2, 0], [3, 1]], "y": [1, 2, 0, 3]}),
    ("logistic", {"x": [1, -2, 0.5], "y": [1, 0, 1], "loss": "mse", "bias": True}),
    ("logistic", {"x": [[1, 2], [-2, 1], [0.5, 0]], "y": [1, 0, 1], "reduction": "sum"}),
    ("softmax", {"x": [[1, 0], [0, 1], [1, 1]], "y": [0, 1, 2], "bias": True}),
    ("mlp", {}),
    ("mlp", {"activation": "tanh", "output": "linear", "loss": "mse"}),
    ("mlp", {"activation": "relu", "loss": "cross-entropy"}),
    ("mlp", {"data": {"teacher": {"inputs": 3, "hidden": 2, "points": 10}}, "hidden": 3, "bias": False}),
    ("mlp", {"data": {"points": {"x": [[0.0], [1.0], [2.0]], "y": [0.0, 1.0, 0.5]}}, "output": "linear", "loss": "mse"}),
    ("linear-autoencoder", {"sigma": [3, 2, 1], "p": 2}),
    ("function", {"expr": "x**2/2 + y**4/4 - y**2/2 + sin(x*y)", "vars": ["x", "y"]}),
]


def make(name, opts):
    return registry.make(name, S.PROBLEMS[name].options.model_validate(opts))


@pytest.mark.parametrize("name, opts", PROBLEMS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(PROBLEMS)])
def test_gradient_and_hessian_match_finite_differences(name, opts):
    P = make(name, opts)
    rng = np.random.default_rng(1)
    theta = rng.normal(size=(4, P.dim))
    eps = 1e-6
    eye = np.eye(P.dim)
    fd_grad = np.stack([(P.loss(theta + eps * e) - P.loss(theta - eps * e)) / (2 * eps) for e in eye], -1)
    fd_hess = np.stack([(P.grad(theta + eps * e) - P.grad(theta - eps * e)) / (2 * eps) for e in eye], -2)
    g, H = P.grad(theta), P.hess(theta)
    assert np.allclose(g, fd_grad, rtol=1e-6, atol=1e-7)
    assert np.allclose(H, fd_hess, rtol=1e-5, atol=1e-6)
    assert np.allclose(H, np.swapaxes(H, -1, -2))
    L2, g2 = P.loss_and_grad(theta)
    assert np.allclose(L2, P.loss(theta)) and np.allclose(g2, g)


@pytest.mark.parametrize("y", [0.25, 1.0, 2.0, 4.0, 9.0])
def test_stationary_points_of_the_output_square(y):
    """(y − w²)²: L' = −4w(y − w²) vanishes at 0 and ±√y; L'' = 12w² − 4y is −4y < 0 at 0, 8y > 0 at ±√y."""
    r = run("stationary", {"name": "output-square", "target": y}, {"box": 2 * math.sqrt(y) + 1})
    pts = sorted((p["theta"][0], p["kind"], p["index"], p["eigenvalues"][0]) for p in r.values["points"])
    root = math.sqrt(y)
    assert [p[0] for p in pts] == pytest.approx([-root, 0.0, root], abs=1e-9)
    assert [p[1] for p in pts] == ["minimum", "maximum", "minimum"]
    assert [p[3] for p in pts] == pytest.approx([8 * y, -4 * y, 8 * y])
    assert r.values["counts"] == {"minimum": 2, "maximum": 1, "saddle": 0, "degenerate": 0, "plateau": 0}
    c = run("curve", {"name": "output-square", "target": y}, {"from": -4, "to": 4})
    assert c.values["minima"] == pytest.approx([-root, root], abs=1e-10)
    assert c.values["maxima"] == pytest.approx([0.0], abs=1e-10)
    assert c.values["convex"] is False


THREAD_NET = {"W1": [[-1.5, 2.0], [1.7, 0.4]], "W2": [2.3, 0.8]}


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_the_threads_permutation_example_gives_identical_outputs(activation):
    """Rows of W1 are hidden units: swapping rows of W1 and entries of W2 together changes nothing."""
    problem = {"name": "mlp", "activation": activation, "bias": False, "output": "linear", "loss": "mse", "weights": THREAD_NET}
    r = run("symmetry", problem, {"permutation": [1, 0]})
    assert r.values["W1_b"].tolist() == [[1.7, 0.4], [-1.5, 2.0]]
    assert r.values["W2_b"].tolist() == [0.8, 2.3]
    act = {"sigmoid": lambda a: 1 / (1 + np.exp(-a)), "tanh": np.tanh, "relu": lambda a: np.maximum(a, 0)}[activation]
    X = np.random.default_rng(0).uniform(-3, 3, size=(500, 2))
    W1, W2 = np.array(THREAD_NET["W1"]), np.array(THREAD_NET["W2"])
    out_a = act(X @ W1.T) @ W2
    out_b = act(X @ W1[[1, 0]].T) @ W2[[1, 0]]
    assert np.max(np.abs(out_a - out_b)) < 1e-12
    assert r.values["max_output_diff"] < 1e-12
    # swapping the columns of W1 instead (treating columns as units) is a different network
    out_c = act(X @ W1[:, [1, 0]].T) @ W2[[1, 0]]
    assert np.max(np.abs(out_a - out_c)) > 0.1


def test_sign_flips_are_symmetries_for_tanh_and_sigmoid_with_bias_only():
    base = {"name": "mlp", "output": "linear", "loss": "mse", "weights": {**THREAD_NET, "b1": [0.3, -0.2], "b2": 0.1}}
    for act in ("tanh", "sigmoid"):
        r = run("symmetry", {**base, "activation": act}, {"permutation": [1, 0], "flip": [0]})
        assert r.values["max_output_diff"] < 1e-12 and r.values["equivalent_count"] == 8
    r = run("symmetry", {**base, "activation": "relu"}, {"permutation": [1, 0]})
    assert r.values["equivalent_count"] == 2 and not r.values["flips_are_symmetries"] and "rescaling" in r.values["why"]
    with pytest.raises(ExperimentError, match="not a symmetry"):
        run("symmetry", {**base, "activation": "relu"}, {"flip": [0]})


def test_xor_hessian_at_zero_weights():
    """At θ = 0 (sigmoid units and output, ½·SSE): every hidden output is ½ and ŷ = ½.
    H = Σₙ σ'(0)² ∇oₙ∇oₙᵀ + Σₙ (ŷ−yₙ) σ'(0) ∇²oₙ, with ∇oₙ = (0,…,0, ½, ½, 1) and the cross terms
    ¼·Σₙ(ŷ−yₙ)xₙ = 0 for XOR. So H = ¼·uuᵀ, u = (½, ½, 1) on (W2, b2): one eigenvalue ¼·|u|² = 3/8, eight zeros."""
    r = run("stationary", {"name": "mlp"}, {"at": [0.0] * 9})
    p = r.values["points"][0]
    u = np.zeros(9)
    u[6:] = [0.5, 0.5, 1.0]
    P = make("mlp", {})
    assert np.allclose(P.hess(np.zeros(9)), 0.25 * np.outer(u, u), atol=1e-14)
    assert p["eigenvalues"] == pytest.approx([0.0] * 8 + [3 / 8], abs=1e-12)
    assert p["grad_norm"] == pytest.approx(float(np.linalg.norm(0.25 * np.array([0, 0.5, 0.5, 1.0]) @ np.zeros(4))) or p["grad_norm"])
    assert p["kind"] == "degenerate"


def test_xor_gradient_at_zero_is_zero():
    """At θ = 0 every output is ½: the residuals (½, −½, −½, ½) sum to zero and are orthogonal to both inputs."""
    P = make("mlp", {})
    assert np.allclose(P.grad(np.zeros(9)), 0.0, atol=1e-15)
    assert P.loss(np.zeros(9)) == pytest.approx(0.5)  # ½ · 4 · (½)²


def baldi_hornik(sigma, p):
    """Every critical point of the linear autoencoder with diagonal Σ (Baldi & Hornik 1989, Thm 1):
    project onto a set I of coordinates, |I| = p (full rank). Loss = Σ_{j∉I} λⱼ; the Hessian has one
    negative direction for each pair i ∈ I, j ∉ I with λⱼ > λᵢ (swap a kept eigenvector for a larger one)."""
    n = len(sigma)
    for I in itertools.combinations(range(n), p):
        A = np.zeros((p, n))
        for r, i in enumerate(I):
            A[r, i] = 1.0
        theta = np.concatenate([A.ravel(), A.T.ravel()])
        loss = sum(sigma[j] for j in range(n) if j not in I)
        index = sum(1 for i in I for j in range(n) if j not in I and sigma[j] > sigma[i])
        yield I, theta, loss, index


@pytest.mark.parametrize("sigma, p", [([3.0, 2.0, 1.0], 1), ([4.0, 3.0, 2.0, 1.0], 2), ([5.0, 3.0, 2.0, 1.5, 1.0], 2)])
def test_linear_autoencoder_critical_points(sigma, p):
    P = make("linear-autoencoder", {"sigma": sigma, "p": p})
    for I, theta, loss, index in baldi_hornik(sigma, p):
        r = run("stationary", {"name": "linear-autoencoder", "sigma": sigma, "p": p}, {"at": theta.tolist()})
        pt = r.values["points"][0]
        assert pt["grad_norm"] < 1e-12
        assert pt["loss"] == pytest.approx(loss)
        assert pt["index"] == index, I
        # second method: eigenvalues of a finite-difference Hessian of the loss
        eps = 1e-4
        E = np.eye(P.dim)
        H = np.array([[(P.loss(theta + eps * (a + b)) - P.loss(theta + eps * (a - b)) - P.loss(theta - eps * (a - b))
                        + P.loss(theta - eps * (a + b))) / (4 * eps**2) for b in E] for a in E])
        assert int(np.sum(np.linalg.eigvalsh(H) < -1e-6)) == index
        # p² zero eigenvalues: (A, B) -> (CA, BC⁻¹) leaves BA unchanged
        assert pt["zero_eigenvalues"] == p * p
    # a blind search from random starts finds only critical points of the theorem's kinds
    search = run("stationary", {"name": "linear-autoencoder", "sigma": sigma, "p": p}, {"starts": 128})
    n = len(sigma)
    possible = {round(sum(sigma[j] for j in range(n) if j not in I), 6) for k in range(p + 1) for I in itertools.combinations(range(n), k)}
    found = {(lv["loss"], lv["index"]) for lv in search.values["levels"]}
    assert {loss for loss, _ in found} <= possible
    full_rank = {(round(loss, 6), index) for _, _, loss, index in baldi_hornik(sigma, p)}
    if n <= 4:  # small enough that 128 starts reach every one
        assert full_rank <= found, (full_rank, found)
    assert min(lv["loss"] for lv in search.values["levels"] if lv["index"] == 0) == pytest.approx(sum(sorted(sigma)[:-p]))


@pytest.mark.parametrize("a, lr, grows", [(4.0, 0.4, False), (4.0, 0.49, False), (4.0, 0.51, True), (4.0, 0.75, True)])
def test_step_above_two_over_L_makes_descent_rise(a, lr, grows):
    """On L(x) = a·x²/2 descent multiplies x by (1 − lr·a): it shrinks iff lr < 2/a."""
    r = run("descent", {"name": "function", "expr": f"{a}*x**2/2", "vars": ["x"]}, {"start": [1.0], "lr": lr, "steps": 15})
    factor = 1 - lr * a
    assert r.values["final"][0] == pytest.approx(factor**15, rel=1e-9, abs=1e-300)
    assert (r.values["rising_steps"] == 15) is grows
    assert (r.values["final_loss"] > 0.5 * a) is grows


def test_the_threads_curve_at_step_0_26_settles_into_a_two_cycle():
    """(1 − w²)² from w = 0.5 with step 0.26: the iterates alternate between two points forever."""
    r = run("descent", {"name": "output-square", "target": 1.0}, {"start": [0.5], "lr": 0.26, "steps": 400})
    assert r.values["period"] == 2
    w = r.values["final"][0]
    # a 2-cycle: applying the map twice returns to w, once does not
    step = lambda v: v + 0.26 * 4 * v * (1 - v * v)
    assert step(step(w)) == pytest.approx(w, abs=1e-9)
    assert abs(step(w) - w) > 0.1
    assert r.values["endpoint_kind"] == "cycle"


def test_descent_that_blows_up_is_reported_as_diverged():
    r = run("descent", {"name": "function", "expr": "2*x**2", "vars": ["x"]}, {"start": [1.0], "lr": 0.75, "steps": 500})
    assert r.values["diverged"] is True and r.values["endpoint_kind"] == "diverged"


def test_cross_entropy_is_stable_far_out():
    """log(1 + e^{−z}) at z = 800 and z = −800: a naive log(σ(z)) gives −inf and a fake plateau."""
    P = make("logistic", {"x": [1.0], "y": [1.0]})
    L = P.loss(np.array([[800.0], [-800.0], [50.0]]))
    assert L[0] == pytest.approx(0.0, abs=1e-300) and L[1] == pytest.approx(800.0) and L[2] == pytest.approx(math.exp(-50), rel=1e-9)
    assert np.all(np.isfinite(P.grad(np.array([[800.0], [-800.0]]))))


def test_sigmoid_with_squared_error_bends_down_below_minus_ln2():
    """L(w) = (σ(w) − 1)² for x = 1, y = 1: L'' = −2σ'(1−σ)(1−3σ) < 0 exactly where σ < 1/3, i.e. w < −ln 2."""
    P = make("logistic", {"x": [1.0], "y": [1.0], "loss": "mse"})
    for w in (-3.0, -1.0, -0.7):
        assert P.hess(np.array([w]))[0, 0] < 0
    for w in (-0.69, 0.0, 2.0):
        assert P.hess(np.array([w]))[0, 0] > 0
    r = run("convexity", {"name": "logistic", "x": [1.0], "y": [1.0], "loss": "mse"}, {"box": 5})
    assert r.values["convex"] is False and r.values["violations"] > 0
    gap = r.values["counterexample"]
    a, b, t = gap["a"], gap["b"], gap["t"]
    mid = P.loss((1 - t) * a + t * b)
    assert mid - ((1 - t) * P.loss(a) + t * P.loss(b)) == pytest.approx(gap["gap"])
    r = run("convexity", {"name": "logistic", "x": [1.0], "y": [1.0]}, {"box": 5})
    assert r.values["convex"] is True and r.values["violations"] == 0


def test_product_saddle_seen_and_unseen_by_the_hessian():
    two = run("stationary", {"name": "product", "depth": 2}, {"at": [0, 0]}).values["points"][0]
    assert two["kind"] == "saddle" and two["eigenvalues"] == pytest.approx([-2.0, 2.0])
    three = run("stationary", {"name": "product", "depth": 3}, {"at": [0, 0, 0]}).values["points"][0]
    assert three["kind"] == "degenerate" and three["eigenvalues"] == pytest.approx([0, 0, 0])
    # yet the origin is not a minimum: L(t,t,t) = (1 − t³)² < 1 = L(0) for small t > 0
    P = make("product", {"depth": 3})
    assert P.loss(np.array([0.1, 0.1, 0.1])) < P.loss(np.zeros(3))


def test_batched_descent_equals_one_run_at_a_time():
    spec = {"name": "mlp", "activation": "tanh"}
    many = run("descent", spec, {"starts": 6, "seed": 3, "lr": 0.5, "steps": 300})
    for k in range(6):
        one = run("descent", spec, {"start": many.values["start"][k].tolist(), "lr": 0.5, "steps": 300})
        assert np.allclose(one.values["final"], many.values["final"][k], rtol=1e-12, atol=1e-12)


def test_census_counts_and_symmetry_classes():
    r = run("census", {"name": "mlp"}, {"starts": 60, "steps": 3000, "lr": 2.0, "seed": 1})
    v = r.values
    assert v["runs"] == 60 and len(v["final_losses"]) == 60
    assert v["stuck"] == int(np.sum(v["final_losses"] > 0.05))
    assert 1 <= v["distinct_modulo_symmetry"] <= v["distinct"] <= 60
    again = run("census", {"name": "mlp"}, {"starts": 60, "steps": 3000, "lr": 2.0, "seed": 1})
    assert np.array_equal(again.values["final_losses"], v["final_losses"])


def test_aligning_hidden_units_removes_a_pure_permutation_barrier():
    net = {"W1": [[4.0, -4.0], [-4.0, 4.0], [3.0, 3.0]], "b1": [-2.0, -2.0, -1.0], "W2": [5.0, 5.0, -2.0], "b2": -2.0}
    r = run("symmetry", {"name": "mlp", "hidden": 3, "weights": net}, {"permutation": [2, 0, 1]})
    assert r.values["max_output_diff"] < 1e-12
    assert r.values["barrier"] > 0.1
    assert r.values["aligned_barrier"] == pytest.approx(0.0, abs=1e-12)
    assert r.values["equivalent_count"] == math.factorial(3) * 2**3


def test_surface_and_json_output():
    r = run("surface", {"name": "function", "expr": "x**2/2 + y**4/4 - y**2/2", "vars": ["x", "y"]}, {"points": 41})
    mins = sorted((round(m[0], 6), round(m[1], 6)) for m in r.values["minima"])
    assert mins == [(0.0, -1.0), (0.0, 1.0)]
    assert r.values["min_loss"] == pytest.approx(-0.25)
    doc = json.loads(json.dumps(to_json("surface", {"name": "function"}, {"points": 41}, r)))
    assert set(doc) == {"run", "problem", "with", "values"} and len(doc["values"]["loss"]) == 41


@pytest.mark.parametrize(
    "run_, problem, with_, fragment",
    [("curve", {"name": "output-square"}, {"points": 10**9}, "points"),
     ("census", {"name": "mlp"}, {"starts": 5000, "steps": 200000}, "20,000,000"),
     ("stationary", {"name": "mlp", "hidden": 999}, {}, "hidden"),
     ("warp", {"name": "mlp"}, {}, "unknown tool"),
     ("curve", {"name": "nope"}, {}, "unknown problem"),
     ("curve", {"name": "mlp"}, {"at": [1, 2]}, "9 parameters"),
     ("curve", {"name": "function", "expr": "x + __import__('os')", "vars": ["x"]}, {}, "unknown function"),
     ("symmetry", {"name": "mlp"}, {}, "weights")],
)
def test_out_of_bounds_and_unknown_names_are_clear_errors(run_, problem, with_, fragment):
    with pytest.raises(ExperimentError, match=fragment):
        run(run_, problem, with_)


def test_experiment_cli_json_and_errors(run_tutor):
    r = run_tutor("experiment", "run", "{run: curve, problem: {name: output-square, target: 4}, with: {from: -3, to: 3}}", "--json")
    doc = json.loads(r.stdout)
    assert doc["run"] == "curve" and doc["problem"] == {"name": "output-square", "target": 4}
    assert doc["values"]["minima"] == pytest.approx([-2.0, 2.0])
    r = run_tutor("experiment", "run", "{run: curve, problem: {name: output-square}, with: {points: 1}}")
    assert r.returncode == 2 and "points" in r.stderr and "Traceback" not in r.stderr
    r = run_tutor("experiment", "run", "{run: curve, problem: {name: output-square}}", "--ascii", "--width", "60")
    assert r.returncode == 0 and "minima" in r.stdout and not any("\u2800" <= ch <= "\u28ff" for ch in r.stdout)


@pytest.mark.parametrize("loss", ["cross-entropy", "mse"])
def test_logistic_loss_and_grad_together_are_loss_and_grad_apart_to_the_bit(loss):
    from tutor.core.lab_schema.problems import LogisticOptions
    from tutor.experiments.problems.base import Problem
    from tutor.experiments.problems.linear import Logistic

    p = Logistic(LogisticOptions(x=[-0.5, -2, 0.5, 2], y=[0, 0, 1, 1], loss=loss))
    T = np.random.default_rng(0).normal(0, 3, (50, p.dim))
    L1, G1 = p.loss_and_grad(T)
    L2, G2 = Problem.loss_and_grad(p, T)
    assert np.array_equal(L1, L2) and np.array_equal(G1, G2)
