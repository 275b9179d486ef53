"""The network tools as a lesson runs them (``run(tool, problem, with)``), each number checked by a
second computation: the dense Hessian of the curriculum's own MLP, a direct evaluation of the
loss, the papers' results."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core.errors import ExperimentError
from tutor.experiments import run

IRIS = {"name": "mlp", "data": "iris", "hidden": [8, 8], "activation": "tanh", "output": "softmax", "loss": "cross-entropy"}
MOONS = {"name": "mlp", "data": {"moons": {"points": 60}}, "hidden": [12, 12], "activation": "tanh", "output": "sigmoid", "loss": "cross-entropy"}
EOS = {"name": "mlp", "data": {"teacher": {"inputs": 10, "hidden": 4, "points": 50}}, "hidden": 100, "activation": "tanh",
       "output": "linear", "loss": "mse", "init": {"scale": 0.4}}


def test_spectrum_of_the_xor_net_is_the_eigenvalues_of_its_complex_step_hessian():
    from tutor.core.lab_schema.problems import MLPOptions
    from tutor.experiments.problems.mlp import MLP

    at = np.random.default_rng(0).uniform(-2, 2, 9)
    r = run("spectrum", {"name": "mlp"}, {"at": at.tolist(), "top": 9})
    exact = np.linalg.eigvalsh(MLP(MLPOptions()).hess(at))
    assert r.values["method"] == "dense" and r.values["trace_exact"]
    assert np.allclose(r.values["eigenvalues"], exact[::-1], atol=1e-12)
    assert r.values["smallest"] == pytest.approx(exact[0], abs=1e-12)
    assert r.values["trace"] == pytest.approx(exact.sum(), abs=1e-12)
    assert sum(r.values["density"]["fraction"]) == pytest.approx(1.0)


def test_spectrum_by_lanczos_agrees_with_the_dense_one_after_training():
    w = {"train": {"lr": 0.5, "steps": 200, "seed": 3}, "top": 6, "probes": 2000}
    dense = run("spectrum", IRIS, {**w, "method": "dense"}).values
    lanczos = run("spectrum", IRIS, {**w, "method": "lanczos"}).values
    assert dense["parameters"] == 4 * 8 + 8 + 8 * 8 + 8 + 8 * 3 + 3
    assert lanczos["method"] == "lanczos" and not lanczos["trace_exact"]
    assert np.allclose(lanczos["eigenvalues"], dense["eigenvalues"], rtol=1e-6)
    assert abs(lanczos["trace"] - dense["trace"]) <= 0.05 * abs(dense["trace"])
    assert dense["loss"] < 0.2  # trained: Iris is easy


def test_sharpness_reaches_two_over_the_step_and_hovers():
    r = run("sharpness", EOS, {"lr": 0.4, "steps": 1000, "every": 25}).values
    assert r["threshold"] == pytest.approx(5.0)
    assert r["sharpness"][0] < 4.0
    late = np.asarray(r["sharpness"])[np.asarray(r["steps"]) >= 300]
    assert np.all(np.abs(late - 5.0) <= 0.5)
    assert r["rising_steps"] >= 50 and r["final_loss"] < r["loss"][0] / 100
    assert len(r["loss"]) == 1001 and np.isclose(r["loss"][-1], r["final_loss"])


def test_path_curve_barrier_is_far_below_the_line_and_alignment_lowers_the_line():
    ends = {"a": {"train": {"lr": 0.5, "steps": 500, "seed": 1}}, "b": {"train": {"lr": 0.5, "steps": 500, "seed": 2}}}
    plain = run("path", MOONS, {**ends, "bend_steps": 200}).values
    aligned = run("path", MOONS, {**ends, "bend_steps": 0, "align": True}).values
    assert plain["line_barrier"] > 0.2
    assert plain["curve_barrier"] < 0.1 * plain["line_barrier"]
    assert aligned["line_barrier"] < 0.5 * plain["line_barrier"]
    assert aligned["loss_b"] == pytest.approx(plain["loss_b"], rel=1e-9)  # aligning does not change the network
    t = np.asarray(plain["t"])
    assert plain["line_loss"][len(t) // 2] > plain["line_loss"][0]


def test_census_by_width_counts_what_separate_censuses_count():
    w = {"starts": 20, "steps": 1500, "lr": 2.0, "seed": 1}
    by = run("census", {"name": "mlp"}, {**w, "widths": [1, 3]}).values["by_width"]
    alone = run("census", {"name": "mlp", "hidden": 3}, w).values
    assert [r["hidden"] for r in by] == [1, 3]
    assert by[0]["stuck_fraction"] == 1.0  # one sigmoid unit cannot compute XOR
    assert by[1]["stuck"] == alone["stuck"] and by[1]["stuck_fraction"] == alone["stuck_fraction"]


def test_surface_on_iris_is_centred_on_the_trained_network():
    w = {"directions": "random", "train": {"lr": 0.5, "steps": 200}, "range": 1.0, "points": 21}
    s = run("surface", IRIS, w).values
    spec = run("spectrum", IRIS, {"train": {"lr": 0.5, "steps": 200}, "top": 1}).values
    assert s["loss"][10][10] == pytest.approx(spec["loss"], rel=1e-12)
    assert s["min_loss"] <= spec["loss"] + 1e-12 < s["max_loss"]


@pytest.mark.parametrize("tool, problem, with_, words", [
    ("spectrum", {**IRIS, "hidden": [40, 40]}, {"method": "dense"}, "too big"),
    ("spectrum", {**IRIS, "hidden": [200, 200]}, {}, "more work than allowed"),
    ("spectrum", IRIS, {"at": [0.0] * 3, "top": 2}, "parameters"),
    ("spectrum", IRIS, {"at": [0.0] * 139, "train": {"steps": 10}}, "either at or train"),
    ("path", {"name": "mlp", "data": {"teacher": {}}, "output": "softmax", "loss": "cross-entropy"}, {}, "class ids"),
    # a measurement every step: about 2 minutes, refused by the budget at validation
    ("sharpness", {**EOS, "hidden": [100, 100]}, {"steps": 20000, "every": 1}, "would take about .* lower with: steps"),
    # about 17 s, within the budget, but over the tools' cap on training work (steps × parameters × examples)
    ("sharpness", {**EOS, "hidden": [100, 100]}, {"steps": 20000}, "more work than allowed"),
    ("sharpness", EOS, {"lr": 50.0, "steps": 100}, None),
])
def test_bad_network_experiments_are_clear_errors(tool, problem, with_, words):
    if words is None:  # a step so large it diverges: reported in the values, not a crash
        assert run(tool, problem, with_).values["diverged"]
        return
    with pytest.raises(ExperimentError, match=words):
        run(tool, problem, with_)


def test_given_weights_are_the_default_point_of_a_softmax_net():
    w = {"W1": [[1.0, -1.0, 0.5, 0.0], [0.0, 2.0, -1.0, 1.0]], "b1": [0.1, -0.1], "W2": [[1.0, -1.0], [0.5, 0.5], [-1.0, 2.0]], "b2": [0.0, 0.1, -0.1]}
    problem = {"name": "mlp", "data": "iris", "hidden": 2, "activation": "tanh", "output": "softmax", "loss": "cross-entropy", "weights": w}
    loss = run("spectrum", problem, {"top": 1}).values["loss"]
    from tutor.experiments.nets import data

    X, y = data.iris()
    z = np.tanh(X @ np.array(w["W1"]).T + w["b1"]) @ np.array(w["W2"]).T + w["b2"]
    expected = np.mean(np.log(np.exp(z).sum(1)) - z[np.arange(150), y])
    assert loss == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ExperimentError, match="W2 3×2"):
        run("spectrum", {**problem, "weights": {**w, "W2": [1.0, 2.0]}}, {})
    with pytest.raises(ExperimentError, match="symmetry works on an mlp with one hidden layer"):
        run("symmetry", problem, {})
