"""The questions of issue 11 that replaced read-offs: predictions, a step of reasoning from numbers
the screen shows, a choice among explanations. Each key is recomputed independently here (closed
forms, a second implementation), in every variant the lesson has, and every number the words quote
is filled from an experiment."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from tests.unit.test_corrections import autoencoder_critical_points
from tests.unit.test_curriculum import CAT, IDS, XOR_NET, XOR_X, XOR_Y, lesson, sigmoid, values, xor_loss
from tutor.core import computed
from tutor.core.params import draw
from tutor.core.session import Session


def session(ident: str, **params) -> Session:
    les = lesson(ident)
    return Session(les, params={**draw(les.params, None), **params}, record=False)


def right(ident: str, qid: str, **params) -> list[str]:
    s = session(ident, **params)
    q = s.lesson.questions()[qid]
    return [q.choices[i].text for i in sorted(s.right_choices(q))]


def words(s: Session) -> list[str]:
    return [text for step in s.lesson.steps for _, _, text in computed.fields(step)]


@pytest.mark.parametrize("ident", IDS)
def test_every_quoted_value_is_filled_once_the_experiments_ran(ident):
    s = session(ident)
    for exp in s.lesson.experiments():
        s.result(exp)
    for text in words(s):
        assert computed.PENDING not in text and computed.FAILED not in text, text
        assert not computed.refs(text), text
    assert CAT.lessons[ident].ok


@pytest.mark.parametrize("gap", [0.5, 1.0, 2.0])
def test_convex_no_minimum_weight_grows_like_log_t(gap):
    x, y = np.array([-gap, -2, gap, 2]), np.array([0, 0, 1, 1])
    w, at = 0.0, {}
    for k in range(1, 20001):
        w -= np.mean((sigmoid(w * x) - y) * x)
        if k in (2000, 20000):
            at[k] = w
    assert at[20000] - at[2000] == pytest.approx(math.log(10) / gap, abs=0.02)  # the explanation's ln(10)/gap
    assert values("convex-no-minimum", "long-run", gap=gap)["final"][0] == pytest.approx(at[20000], rel=1e-9)
    assert right("convex-no-minimum", "final-weight", gap=gap) == ["A little further: w grows like the logarithm of the steps"]


def test_permutation_and_rescaling_predictions():
    X = np.random.default_rng(1).uniform(-3, 3, (300, 2))
    W1, W2 = np.array([[-1.5, 2.0], [1.7, 0.4]]), np.array([2.3, 0.8])
    assert np.max(np.abs(np.tanh(X @ W1.T) @ W2 - np.tanh(X @ W1[::-1].T) @ W2[::-1])) < 1e-12
    assert right("permutation-symmetry", "swap-difference") == ["Identical: it is the same function"]
    assert right("permutation-symmetry", "relu-same") == ["Identical: it is the same function"]
    assert right("permutation-symmetry", "predict-columns") == ["No, the outputs change"]


def test_cross_entropy_twins_are_not_convex_either():
    n = XOR_NET

    def ce(W1, b1, W2, b2):
        z = sigmoid(XOR_X @ np.asarray(W1).T + b1) @ W2 + b2
        return float(np.mean(np.logaddexp(0, z) - XOR_Y * z))  # the mean of −y ln σ(z) − (1 − y) ln(1 − σ(z))

    swapped = dict(W1=n["W1"][::-1], b1=n["b1"][::-1], W2=n["W2"][::-1], b2=n["b2"])
    mid = {k: (np.asarray(n[k]) + np.asarray(swapped[k])) / 2 for k in n}
    end, middle = ce(**n), ce(**mid)
    assert end == pytest.approx(0.0055, abs=5e-5) and middle == pytest.approx(2.82, abs=0.005)
    v = values("symmetry-breaks-convexity", "twins-ce")
    assert v["loss_a"] == pytest.approx(end, rel=1e-9) and v["midpoint_loss"] == pytest.approx(middle, rel=1e-9)
    assert right("symmetry-breaks-convexity", "predict-ce") == ["High again: the hidden layer breaks convexity"]
    s = session("symmetry-breaks-convexity")
    assert s.expected(s.lesson.questions()["midpoint-loss"]) == pytest.approx(xor_loss(**n))  # convexity's bound: the ends' average


@pytest.mark.parametrize("t", [0.5, 1.0, 2.0])
def test_deep_line_first_nonzero_derivative_is_the_third(t):
    poly = np.polynomial.Polynomial([t * t, 0, 0, -2 * t, 0, 0, 1])  # (t − s³)² expanded
    s = np.linspace(-1, 1, 9)
    assert poly(s) == pytest.approx((t - s**3) ** 2)
    derivs = [poly.deriv(k)(0.0) for k in (1, 2, 3)]
    assert derivs[:2] == [0, 0] and derivs[2] == pytest.approx(-12 * t)
    assert lesson("reading-the-hessian").questions()["deep-zero-count"].answer == 3
    valley = values("reading-the-hessian", "valley", t=t)["points"][0]["eigenvalues"]
    assert valley == pytest.approx([0, 2 * (1 + t * t)], abs=1e-12)


@pytest.mark.parametrize("s1", [4.0, 5.0, 6.0])
def test_autoencoder_index_prediction_and_the_highest_point(s1):
    pts = {kept: (loss, index) for kept, loss, index in autoencoder_critical_points([s1, 3, 2, 1])}
    loss, index = pts[(1, 3)]  # keeps the variances 3 and 1
    assert (loss, index) == (pytest.approx(s1 + 2), 3)
    got = values("saddles-outnumber-minima", "keep-3-1", s1=s1)["points"][0]
    assert got["index"] == index and got["loss"] == pytest.approx(loss)
    top = values("saddles-outnumber-minima", "critical", s1=s1)["levels"][-1]
    rank1 = {round(lv[0], 6): lv[1] for k, lv in pts.items() if len(k) == 1}
    assert rank1[round(top["loss"], 6)] == top["index"], "the highest point found keeps one eigenvector"
    assert top["loss"] > max(lv[0] for k, lv in pts.items() if len(k) == 2)
    assert right("saddles-outnumber-minima", "top-index", s1=s1) == ["BA keeps a single eigenvector"]


def test_xor_hessian_at_zero_is_the_gauss_newton_matrix():
    def L(t):
        return xor_loss(t[:4].reshape(2, 2), t[4:6], t[6:8], t[8])

    h, d = 1e-4, 9
    H = np.zeros((d, d))
    for i, j in itertools.product(range(d), repeat=2):
        e_i, e_j = np.eye(d)[i] * h, np.eye(d)[j] * h
        H[i, j] = (L(e_i + e_j) - L(e_i - e_j) - L(-e_i + e_j) + L(-e_i - e_j)) / (4 * h * h)
    u = np.zeros(d)
    u[6:] = [0.5, 0.5, 1.0]
    gauss_newton = 4 * (0.25 * u)[:, None] * (0.25 * u)[None, :]  # Σₙ ∇o ∇oᵀ, the same ∇o for every pattern
    assert np.allclose(H, gauss_newton, atol=1e-6)
    assert np.linalg.eigvalsh(H)[-1] == pytest.approx(3 / 8, abs=1e-6)
    assert right("xor-stuck", "stuck-loss") == ["Over the last 20 000 steps the loss still fell while |θ| grew: the run moves outward instead of settling"]
    assert right("xor-stuck", "predict-growth") == ["It keeps growing, slowly"]


@pytest.mark.parametrize("push", [1e-4, 1e-6, 1e-8])
def test_escape_time_from_a_push(push):
    x, y, n = 1.0, push, 0
    while abs(y) < 0.1:
        x, y, n = x - 0.1 * x, y - 0.1 * (y**3 - y), n + 1
    s = session("escaping-saddles", push=push)
    predicted = s.expected(s.lesson.questions()["pushed-loss"])
    assert predicted == pytest.approx(math.log(0.1 / push) / math.log(1.1))
    assert abs(n - predicted) <= 0.1 * predicted  # within the question's tolerance
    p = values("escaping-saddles", "pushed", push=push)
    assert p["losses"][n + 5] < p["losses"][0] - 0.001 and abs(p["losses"][max(0, n - 40)]) < 0.01


def test_uniform_noise_escapes_and_the_saddles_verdict():
    v = values("escaping-saddles", "noisy")
    assert v["final_loss"] == pytest.approx(-0.25, abs=0.01) and abs(v["final"][1]) == pytest.approx(1, abs=0.02)
    assert values("escaping-saddles", "tiny-step")["endpoint_kind"] == "saddle"
    q = lesson("escaping-saddles").questions()["saddles-easy"]
    assert [c.text for c in q.choices if c.correct][0].startswith("Partly")
    assert any("Du, Jin, Lee" in src and "exponential time" in src for src in lesson("escaping-saddles").sources)


def test_barrier_and_alignment_explanations():
    from tutor.core.lab_schema.problems import MLPOptions
    from tutor.experiments.problems import MLP

    prob = MLP(MLPOptions(data={"teacher": {"inputs": 2, "hidden": 3, "points": 40, "seed": 1}}, hidden=3, activation="tanh", output="linear", loss="mse"))
    X, Y = prob.X, prob.y
    A = dict(W1=np.array([[-1.91, 1.36], [-0.16, 3.74], [1.29, -0.38]]), b1=np.array([0.11, 0.54, -0.27]), W2=np.array([1.3, -0.3, 0.26]), b2=0.1)
    B = dict(W1=np.array([[0.17, -3.58], [-0.33, -0.02], [1.97, -1.45]]), b1=np.array([-0.5, 0.96, -0.1]), W2=np.array([0.32, -0.81, -1.18]), b2=0.66)

    def out(n, X):
        return np.tanh(X @ n["W1"].T + n["b1"]) @ n["W2"] + n["b2"]

    def loss(n):
        return np.mean((out(n, X) - Y) ** 2)

    def barrier(a, b):
        la, lb = loss(a), loss(b)
        return max(loss({k: (1 - t) * np.asarray(a[k]) + t * np.asarray(b[k]) for k in a}) - ((1 - t) * la + t * lb)
                   for t in np.linspace(0, 1, 101))

    relabelled = []
    for perm in itertools.permutations(range(3)):
        for flips in itertools.product([1, -1], repeat=3):
            f = np.array(flips)
            c = dict(W1=B["W1"][list(perm)] * f[:, None], b1=B["b1"][list(perm)] * f, W2=B["W2"][list(perm)] * f, b2=B["b2"])
            relabelled.append((sum(np.sum((np.asarray(c[k]) - np.asarray(A[k])) ** 2) for k in A), barrier(A, c), c))
    closest = min(relabelled, key=lambda r: r[0])
    assert len(relabelled) == 48 and closest[1] == min(r[1] for r in relabelled), "the closest relabelling gives the lowest barrier"
    assert np.max(np.abs(out(A, X) - out(closest[2], X))) > 1e-3, "different functions: not relabelled copies"
    v = values("connecting-minima", "pair")
    assert v["barrier"] > 10 * max(v["loss_a"], v["loss_b"])
    assert right("connecting-minima", "barrier") == ["Far above the loss at the ends"]
    assert right("connecting-minima", "predict-align") == ["Much lower"]


def test_the_matrices_the_linear_regression_prompt_quotes():
    X = np.array([[0, 1], [1, 1], [2, 1], [3, 1]], dtype=float)
    assert (X.T @ X).tolist() == [[14, 6], [6, 4]] and (2 / 4 * X.T @ X).tolist() == [[7, 3], [3, 2]]
    prompt = " ".join(lesson("linear-regression-bowl").questions()["smallest-eigenvalue"].prompt.split())
    assert "[[14, 6], [6, 4]]" in prompt and "[[7, 3], [3, 2]]" in prompt
    s = session("linear-regression-bowl")
    assert s.expected(s.lesson.questions()["smallest-eigenvalue"]) == pytest.approx((9 - math.sqrt(61)) / 2)
