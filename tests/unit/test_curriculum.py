"""The curriculum: every lesson's key numbers recomputed independently of the experiment code
(closed forms, papers' results, or a second implementation), the rules every lesson follows, and a
walk through every lesson in plain mode with the reference answers."""

from __future__ import annotations

import io
import itertools
import math

import numpy as np
import pytest

from tests.conftest import LESSONS
from tutor.core.loader import catalog
from tutor.core.models import AnswerFrom
from tutor.core.params import draw
from tutor.core.session import Session
from tutor.lines.lesson import LessonLines

CAT = catalog([LESSONS])
IDS = sorted(CAT.lessons)


def lesson(ident):
    return CAT.lessons[ident].lesson


def values(ident: str, exp: str, **params) -> dict:
    les = lesson(ident)
    s = Session(les, params={**draw(les.params, None), **params}, record=False)
    return s.values(exp)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ------------------------------------------------------------------ rules every lesson follows


def test_there_are_twelve_lessons_a_tour_and_the_level_four_ones():
    assert len([i for i in IDS if CAT.lessons[i].lesson.level < 4]) == 13 and "tour" in IDS
    assert not CAT.broken


@pytest.mark.parametrize("ident", [i for i in IDS if i != "tour"])
def test_each_lesson_follows_the_house_rules(ident):
    les = lesson(ident)
    qs = list(les.questions().values())
    assert len(qs) >= 3, "at least three questions"
    assert les.sources, "its sources listed"
    assert any(isinstance(q.answer, AnswerFrom) for q in qs), "one answer computed by an experiment"
    assert any(any(c.correct_if for c in q.choices or []) for q in qs), "one predict-then-run question"
    for q in qs:
        for c in q.choices or []:
            if c.correct_if:
                continue
            if not c.correct:
                assert c.feedback, f"{q.id}: wrong choice {c.text!r} needs feedback naming the misconception"
        if q.choices and any(c.correct_if for c in q.choices):
            assert sum(not c.feedback for c in q.choices) <= 1, f"{q.id}: every choice that can be wrong needs feedback"


@pytest.mark.parametrize("ident", IDS)
@pytest.mark.parametrize("seed", [None, 3])
def test_walk_every_lesson_in_plain_mode_with_the_reference_answers(ident, seed):
    les = lesson(ident)
    s = Session(les, seed=seed, record=False)
    answers = []
    for step in s.lesson.steps:
        q = step.question
        if q is None:
            continue
        if q.kind in ("choice", "multi"):
            order = s.order(q)
            answers.append(", ".join(str(order.index(i) + 1) for i in sorted(s.right_choices(q))))
        elif q.kind == "text":
            answers.append(q.accept[0])
        elif q.kind == "expression":
            answers.append(str(s.expected(q)))
        else:
            v = s.expected(q)
            answers.append(", ".join(repr(float(x)) for x in v) if isinstance(v, list) else repr(float(v)))
    out = io.StringIO()
    code = LessonLines(s, io.StringIO("\n".join(answers) + "\n"), out, width=100, ascii=True, echo=True).run()
    text = out.getvalue()
    n = len(answers)
    assert code == 0, text[-2000:]
    assert "Lesson complete." in text and f"{n} of {n} questions right ({n} at the first try)." in text, text[-2000:]
    assert "Not quite" not in text and "Can't read" not in text


# ------------------------------------------------------------------ the numbers, recomputed


@pytest.mark.parametrize("y", [0.25, 1.0, 2.25, 4.0])
def test_mse_not_a_parabola(y):
    v = values("mse-not-a-parabola", "weights", y=y)
    assert v["minima"] == pytest.approx([-math.sqrt(y), math.sqrt(y)], abs=1e-9)
    assert values("mse-not-a-parabola", "at-zero", y=y)["points"][0]["eigenvalues"][0] == pytest.approx(-4 * y)  # h''(0) = −4y
    # the 8 descent runs, by hand: w ← w + η·4w(y − w²) from the same starts
    runs = values("mse-not-a-parabola", "runs", y=y)
    w = np.array(runs["start"])[:, 0]
    for _ in range(400):
        w = w + 0.02 * 4 * w * (y - w * w)
    assert np.allclose(w, np.array(runs["final"])[:, 0])
    assert runs["distinct_endpoints"] == len({round(x, 3) for x in w}) == 2


@pytest.mark.parametrize("slope", [0.5, 1.0, 2.0, 3.0])
def test_linear_regression_bowl(slope):
    X = np.array([[0, 1], [1, 1], [2, 1], [3, 1]], dtype=float)
    H = 2 * X.T @ X / 4
    got = values("linear-regression-bowl", "hessian", slope=slope)["points"][0]["eigenvalues"]
    assert got == pytest.approx(np.linalg.eigvalsh(H))
    assert values("linear-regression-bowl", "test-convexity", slope=slope)["convex"] is True
    Xd = np.array([[1, 2, 1], [2, 4, 1], [3, 6, 1], [4, 8, 1]], dtype=float)
    zeros = values("linear-regression-bowl", "valley")["points"][0]["zero_eigenvalues"]
    assert zeros == Xd.shape[1] - np.linalg.matrix_rank(Xd) == 1


def test_sigmoid_squared_error():
    assert values("sigmoid-squared-error", "one-example")["inflections"][0] == pytest.approx(-math.log(2), abs=1e-9)
    # the two-example loss: its derivative, written out, has three roots on [−3, 3]
    from scipy.optimize import brentq

    def dL(w):
        return sum(2 * (sigmoid(w * x) - y) * sigmoid(w * x) * (1 - sigmoid(w * x)) * x for x, y in ((1, 0.1), (4, 0.9)))

    grid = np.linspace(-3, 3, 2001)
    roots = [brentq(dL, a, b) for a, b in zip(grid[:-1], grid[1:]) if dL(a) * dL(b) < 0]
    assert len(roots) == 3  # min, max, min
    pts = values("sigmoid-squared-error", "two-mse")["points"]
    assert sorted(p["theta"][0] for p in pts) == pytest.approx(sorted(roots), abs=1e-7)

    def L(w):  # the mean over the two examples
        return sum((sigmoid(w * x) - y) ** 2 for x, y in ((1, 0.1), (4, 0.9))) / 2

    got = values("sigmoid-squared-error", "two-mse-curve")["minima_loss"]
    assert sorted(got) == pytest.approx(sorted([L(roots[0]), L(roots[2])]), rel=1e-7)
    assert max(got) == pytest.approx(max(L(roots[0]), L(roots[2])))
    assert values("sigmoid-squared-error", "two-ce")["counts"]["minimum"] == 1
    # two copies, one per weight: critical points are pairs of 1-D ones: {min,max,min}² = 4 minima, 4 saddles, 1 maximum
    c = values("sigmoid-squared-error", "two-d")["counts"]
    assert (c["minimum"], c["saddle"], c["maximum"]) == (4, 4, 1)


@pytest.mark.parametrize("gap", [0.5, 1.0, 2.0])
def test_convex_no_minimum(gap):
    x = np.array([-gap, -2, gap, 2])
    y = np.array([0, 0, 1, 1])
    w = 0.0
    for _ in range(2000):
        w -= 1.0 * np.mean((sigmoid(w * x) - y) * x)
    run = values("convex-no-minimum", "run", gap=gap)
    assert run["final"][0] == pytest.approx(w, rel=1e-10)
    assert run["grad_norm"] > 0 and values("convex-no-minimum", "ce-curve", gap=gap)["minima"] == []
    # softmax: the loss is unchanged by adding one vector to every row of W; one flat direction per feature
    pt = values("convex-no-minimum", "softmax-hessian")["points"][0]
    Xs = np.array([[1, 0], [0, 1], [1, 1], [-1, 0.5]])
    ys = np.array([0, 1, 2, 0])

    def ce(W):
        Z = Xs @ W.T
        return np.mean(np.log(np.exp(Z).sum(1)) - Z[np.arange(4), ys])

    W = np.array(pt["theta"]).reshape(3, 2)
    assert ce(W + np.array([0.7, -1.3])) == pytest.approx(ce(W), abs=1e-12)
    assert pt["zero_eigenvalues"] == 2


def test_permutation_symmetry():
    assert values("permutation-symmetry", "swap")["max_output_diff"] < 1e-12
    assert values("permutation-symmetry", "columns")["max_output_diff"] > 0.1
    assert values("permutation-symmetry", "three-units")["equivalent_count"] == math.factorial(3) * 2**3
    X = np.random.default_rng(0).uniform(-3, 3, (300, 2))
    relu = lambda a: np.maximum(a, 0)
    a = relu(X @ np.array([[-1.5, 2.0], [1.7, 0.4]]).T) @ np.array([2.3, 0.8])
    b = relu(X @ np.array([[-3.0, 4.0], [1.7, 0.4]]).T) @ np.array([1.15, 0.8])
    assert np.max(np.abs(a - b)) < 1e-12
    assert values("permutation-symmetry", "relu-scale")["max_output_diff"] < 1e-12


XOR_NET = dict(W1=np.array([[7.04, -6.9], [6.25, -6.44]]), b1=np.array([3.47, -3.34]), W2=np.array([-11.35, 11.8]), b2=5.41)
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0], dtype=float)


def xor_loss(W1, b1, W2, b2):
    out = sigmoid(sigmoid(XOR_X @ W1.T + b1) @ W2 + b2)
    return 0.5 * np.sum((out - XOR_Y) ** 2)


def test_symmetry_breaks_convexity():
    n = XOR_NET
    swapped = dict(W1=n["W1"][::-1], b1=n["b1"][::-1], W2=n["W2"][::-1], b2=n["b2"])
    mid = {k: (np.asarray(n[k]) + np.asarray(swapped[k])) / 2 for k in n}
    v = values("symmetry-breaks-convexity", "twins")
    assert v["loss_a"] == pytest.approx(xor_loss(**n)) and v["loss_a"] < 1e-4
    assert v["midpoint_loss"] == pytest.approx(xor_loss(**mid))
    assert np.allclose(mid["W1"][0], mid["W1"][1])  # two equal hidden units
    assert values("symmetry-breaks-convexity", "near-minimum")["violations"] > 0


@pytest.mark.parametrize("t", [0.5, 1.0, 2.0])
def test_reading_the_hessian(t):
    assert values("reading-the-hessian", "origin", t=t)["points"][0]["eigenvalues"] == pytest.approx([-2 * t, 2 * t])
    valley = values("reading-the-hessian", "valley", t=t)["points"][0]
    assert valley["eigenvalues"] == pytest.approx([0, 2 * (1 + t * t)], abs=1e-12) and valley["kind"] == "degenerate"
    deep = values("reading-the-hessian", "deep-origin", t=t)["points"][0]
    assert deep["eigenvalues"] == pytest.approx([0, 0, 0]) and deep["zero_eigenvalues"] == 3
    line = values("reading-the-hessian", "deep-line", t=t)
    s = np.linspace(0, 1, 401)
    assert line["loss"] == pytest.approx((t - s**3) ** 2)
    assert line["min_loss"] < t * t


@pytest.mark.parametrize("s1", [4.0, 5.0, 6.0])
def test_saddles_outnumber_minima(s1):
    sigma = [s1, 3, 2, 1]
    v = values("saddles-outnumber-minima", "critical", s1=s1)
    assert v["levels"][0]["loss"] == pytest.approx(3.0) and v["levels"][0]["index"] == 0
    assert all(lv["index"] >= 1 for lv in v["levels"][1:]), "every critical point above the global minimum has a way down"
    # Baldi & Hornik: keeping {2, 1} leaves out s1 and 3, each larger than both kept: 4 descent directions
    kept = [2, 3]
    index = sum(1 for i in kept for j in range(4) if j not in kept and sigma[j] > sigma[i])
    worst = values("saddles-outnumber-minima", "worst-pair", s1=s1)["points"][0]
    assert worst["index"] == index == 4 and worst["loss"] == pytest.approx(s1 + 3)
    assert v["points"][0]["zero_eigenvalues"] == 4


def test_xor_stuck():
    # the census, recomputed by a second implementation: per-example loops written out plainly
    rng = np.random.default_rng(0)
    T = rng.uniform(-1.0, 1.0, (100, 9))
    W1, b1, W2, b2 = T[:, :4].reshape(100, 2, 2), T[:, 4:6], T[:, 6:8], T[:, 8]
    for _ in range(5000):
        gW1, gb1, gW2, gb2 = np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)
        for x, y in zip(XOR_X, XOR_Y):
            h = sigmoid(np.einsum("shi,i->sh", W1, x) + b1)
            o = sigmoid(np.sum(h * W2, 1) + b2)
            d = (o - y) * o * (1 - o)
            gW2 += d[:, None] * h
            gb2 += d
            dh = d[:, None] * W2 * h * (1 - h)
            gW1 += dh[:, :, None] * x
            gb1 += dh
        W1, b1, W2, b2 = W1 - 2 * gW1, b1 - 2 * gb1, W2 - 2 * gW2, b2 - 2 * gb2
    final = np.array([xor_loss(W1[k], b1[k], W2[k], b2[k]) for k in range(100)])
    census = values("xor-stuck", "census")
    assert np.allclose(census["final_losses"], final, atol=1e-9)
    assert census["stuck"] == int(np.sum(final > 0.05))
    # the level 1/3: three patterns share one output, the mean of their targets (2/3 for 1, 1, 0; 1/3
    # for 0, 0, 1), and the fourth is fitted: ½·(2·(1/3)² + (2/3)²) = 1/3
    third = [k for k in range(100) if abs(final[k] - 1 / 3) < 0.01]
    assert len(third) >= 2
    for k in third:
        o = sigmoid(sigmoid(XOR_X @ W1[k].T + b1[k]) @ W2[k] + b2[k])
        fitted = np.argmin(np.abs(o - XOR_Y))
        rest = np.delete(np.arange(4), fitted)
        assert np.ptp(o[rest]) < 0.01 and np.mean(o[rest]) == pytest.approx(np.mean(XOR_Y[rest]), abs=0.01)
    run = values("xor-stuck", "stuck-run")
    assert run["norms"][-1] > run["norms"][1000] > run["norms"][500]
    assert 0.25 < run["final_loss"] < 0.2502
    assert values("xor-stuck", "zero")["points"][0]["eigenvalues"][8] == pytest.approx(3 / 8)


@pytest.mark.parametrize("a", [1.0, 2.0, 4.0])
def test_descent_can_go_uphill(a):
    les = lesson("descent-can-go-uphill")
    s = Session(les, params={"a": a}, record=False)
    q = s.lesson.questions()["largest-step"]
    assert s.expected(q) == pytest.approx(2 / a)
    rising = values("descent-can-go-uphill", "too-big", a=a)["rising_steps"]
    assert rising == (30 if abs(1 - 0.55 * a) > 1 else 0)
    # the double well at step 0.26: iterate by hand and find the 2-cycle
    w = 0.5
    for _ in range(400):
        w = w + 0.26 * 4 * w * (1 - w * w)
    w2 = w + 0.26 * 4 * w * (1 - w * w)
    w3 = w2 + 0.26 * 4 * w2 * (1 - w2 * w2)
    assert w3 == pytest.approx(w, abs=1e-9) and abs(w2 - w) > 0.1
    assert values("descent-can-go-uphill", "two-cycle")["period"] == 2


def test_escaping_saddles():
    v = values("escaping-saddles", "on-line")
    assert v["endpoint_kind"] == "saddle" and v["final"][1] == 0.0 and abs(v["final"][0]) < 1e-10
    for push in (1e-4, 1e-6, 1e-8):
        p = values("escaping-saddles", "pushed", push=push)
        assert p["final_loss"] == pytest.approx(-0.25, abs=1e-6)
        # near the saddle y grows by (1 + η) per step: the loss leaves the saddle's level after ≈ ln(1/ε)/ln(1.1) steps
        losses = np.array(p["losses"])
        left = int(np.argmax(losses < -0.01))
        assert abs(left - math.log(0.1 / push) / math.log(1.1)) < 12
    assert values("escaping-saddles", "tiny-step")["endpoint_kind"] == "saddle"
    assert values("escaping-saddles", "noisy")["final_loss"] == pytest.approx(-0.25, abs=0.01)


def test_connecting_minima():
    from tutor.core.lab_schema.problems import MLPOptions
    from tutor.experiments.problems import MLP

    prob = MLP(MLPOptions(data={"teacher": {"inputs": 2, "hidden": 3, "points": 40, "seed": 1}}, hidden=3, activation="tanh", output="linear", loss="mse"))
    X, Y = prob.X, prob.y
    A = dict(W1=np.array([[-1.91, 1.36], [-0.16, 3.74], [1.29, -0.38]]), b1=np.array([0.11, 0.54, -0.27]), W2=np.array([1.3, -0.3, 0.26]), b2=0.1)
    B = dict(W1=np.array([[0.17, -3.58], [-0.33, -0.02], [1.97, -1.45]]), b1=np.array([-0.5, 0.96, -0.1]), W2=np.array([0.32, -0.81, -1.18]), b2=0.66)

    def loss(n):
        return np.mean((np.tanh(X @ n["W1"].T + n["b1"]) @ n["W2"] + n["b2"] - Y) ** 2)

    def barrier(a, b):
        ts = np.linspace(0, 1, 101)
        la, lb = loss(a), loss(b)
        return max(loss({k: (1 - t) * np.asarray(a[k]) + t * np.asarray(b[k]) for k in a}) - ((1 - t) * la + t * lb) for t in ts)

    v = values("connecting-minima", "pair")
    assert v["barrier"] == pytest.approx(barrier(A, B), rel=1e-9)
    # every relabelling of b's units (3! orders × 2³ flips): the one weight matching picks is the closest to a
    best, best_dist = None, np.inf
    for perm in itertools.permutations(range(3)):
        for flips in itertools.product([1, -1], repeat=3):
            f = np.array(flips)
            cand = dict(W1=B["W1"][list(perm)] * f[:, None], b1=B["b1"][list(perm)] * f, W2=B["W2"][list(perm)] * f, b2=B["b2"])
            dist = sum(np.sum((np.asarray(cand[k]) - np.asarray(A[k])) ** 2) for k in A)
            if dist < best_dist:
                best, best_dist = cand, dist
    assert v["aligned_barrier"] == pytest.approx(barrier(A, best), rel=1e-9)
    assert v["aligned_barrier"] < v["barrier"] / 10


# ------------------------------------------------------------------ numbers written in the text


def explain(ident: str, qid: str) -> str:
    """A question's explanation as the learner reads it: every quoted value filled in."""
    les = lesson(ident)
    s = Session(les, params=draw(les.params, None), record=False)
    q = s.lesson.questions()[qid]
    for exp in s.needed_experiments(q):
        s.result(exp)
    return s.lesson.questions()[qid].explain or ""


def test_numbers_written_in_explanations_match_the_experiments():
    """Where an explanation quotes a number, it is the experiment's, to the digits quoted."""
    two = values("sigmoid-squared-error", "two-mse-curve")["minima_loss"]
    text = explain("sigmoid-squared-error", "worse-minimum")
    assert f"{max(two):.3f}" in text and f"{min(two):.3f}" in text

    twins = values("symmetry-breaks-convexity", "twins")
    text = explain("symmetry-breaks-convexity", "midpoint-loss")
    assert f"{twins['midpoint_loss']:.3f}" in text and f"{twins['midpoint_loss'] / twins['loss_a']:,.0f} times" in text

    census = values("xor-stuck", "census")
    assert 1 / 7 < census["stuck"] / census["runs"] < 1 / 5, "'about one in six'"
    assert f"{census['stuck']} of {census['runs']}, about one in six" in explain("xor-stuck", "stuck-count")
    levels = {round(x, 2) for x in census["loss_levels"]}
    assert {0.25, 0.33} <= levels, "the stuck levels the explanation names"

    line = values("connecting-minima", "line")  # the barrier is predicted before this run, not before 'pair'
    text = explain("connecting-minima", "barrier")
    assert f"{line['line_barrier']:.2f}" in text and f"{line['line_barrier'] / max(line['loss_a'], line['loss_b']):,.0f}" in text
