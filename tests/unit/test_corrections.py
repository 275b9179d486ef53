"""The corrections of issue 11: each statement a review found wrong, recomputed independently (no
experiment code), and the lesson's text or answer key checked against the recomputed truth. Each
test fails on the lesson as it was before the correction."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest

from tests.unit.test_curriculum import XOR_NET, XOR_X, XOR_Y, lesson, sigmoid, values, xor_loss
from tutor.core import checking
from tutor.core.params import draw
from tutor.core.session import Session


def question(ident: str, qid: str):
    return lesson(ident).questions()[qid]


def choice_index(q, text: str) -> int:
    return next(i for i, c in enumerate(q.choices) if c.text == text)


# 1. tour, critical-points: "w = y" is a critical point exactly when L'(y) = −4y(y − y²) = 0
@pytest.mark.parametrize("y", [1.0, 2.25, 4.0])
def test_tour_w_equals_y_is_critical_exactly_when_the_slope_there_is_zero(y):
    les = lesson("tour")
    s = Session(les, params={"y": y}, record=False)
    q = s.lesson.questions()["critical-points"]
    slope = -4 * y * (y - y * y)
    assert (choice_index(q, "w = y") in s.right_choices(q)) == (abs(slope) < 1e-12)
    assert {choice_index(q, t) for t in ("w = 0", "w = √y", "w = -√y")} <= s.right_choices(q)


# 2. reading-the-hessian, origin-eigenvalues: −2t belongs to (1, 1), along which the loss falls
@pytest.mark.parametrize("t", [0.5, 1.0, 2.0])
def test_the_downhill_direction_at_the_origin_is_a_equals_b(t):
    H = np.array([[0.0, -2 * t], [-2 * t, 0.0]])  # ∂²(t − ab)²/∂a∂b at 0 is −2t, the diagonal is 2b², 2a² = 0
    w, V = np.linalg.eigh(H)
    assert w == pytest.approx([-2 * t, 2 * t])
    assert abs(V[0, 0] - V[1, 0]) < 1e-12  # eigenvector of −2t ∝ (1, 1)

    def loss(a, b):
        return (t - a * b) ** 2

    direction = {"a = b": (1, 1), "a = -b": (1, -1)}
    text = question("reading-the-hessian", "origin-eigenvalues").explain
    said = re.findall(r"along \$(a = -?b)\$ the\s+loss (falls|rises)", text)
    assert {d for d, _ in said} == set(direction), "the explanation says what happens along both lines"
    for name, verb in said:
        da, db = direction[name]
        falls = loss(0.1 * da, 0.1 * db) < loss(0, 0)
        assert verb == ("falls" if falls else "rises"), name


# 3. saddles-outnumber-minima: the highest critical point is A = B = 0 (loss tr Σ, index 8), not the
#    pair of the two smallest variances, which is only the worst full-rank one
def autoencoder_critical_points(sigma: list[float], p: int = 2) -> list[tuple[tuple[int, ...], float, int]]:
    """Baldi & Hornik: critical points keep a set of at most p eigenvectors; loss = variance left out.
    Index counted from a finite-difference Hessian of the loss written out here."""
    n = len(sigma)
    S = np.diag(sigma)

    def loss(theta):
        A = theta[: p * n].reshape(p, n)
        B = theta[p * n:].reshape(n, p)
        R = np.eye(n) - B @ A
        return np.trace(R @ S @ R.T)

    out = []
    for k in range(p + 1):
        for kept in itertools.combinations(range(n), k):
            A = np.zeros((p, n))
            for row, j in enumerate(kept):
                A[row, j] = 1.0
            theta = np.concatenate([A.ravel(), A.T.ravel()])
            d, h = len(theta), 1e-4
            H = np.zeros((d, d))
            for i in range(d):
                for j in range(d):
                    e_i, e_j = np.eye(d)[i] * h, np.eye(d)[j] * h
                    H[i, j] = (loss(theta + e_i + e_j) - loss(theta + e_i - e_j) - loss(theta - e_i + e_j) + loss(theta - e_i - e_j)) / (4 * h * h)
            eig = np.linalg.eigvalsh(H)
            out.append((kept, float(loss(theta)), int(np.sum(eig < -1e-6))))
    return out


def test_the_highest_critical_point_keeps_nothing_and_the_text_says_full_rank():
    pts = autoencoder_critical_points([4.0, 3.0, 2.0, 1.0])
    top = max(pts, key=lambda x: x[1])
    assert top[0] == () and top[1] == pytest.approx(10.0) and top[2] == 8
    pairs = [x for x in pts if len(x[0]) == 2]
    worst_pair = max(pairs, key=lambda x: x[1])
    assert worst_pair[0] == (2, 3) and worst_pair[2] == 4
    assert any(len(x[0]) == 1 and x[1] > worst_pair[1] for x in pts), "rank-1 points lie above the worst pair"
    # the search in the lesson finds points above the worst pair: they are rank 1 (loss 10 − kept variance)
    found = values("saddles-outnumber-minima", "critical")["levels"]
    by_loss = {round(x[1], 6): x[2] for x in pts}
    for lv in found:
        assert by_loss[round(lv["loss"], 6)] == lv["index"]
    les = lesson("saddles-outnumber-minima")
    text = " ".join(filter(None, [s.text for s in les.steps] + [s.experiment.caption for s in les.steps if s.experiment]
                           + [q.explain for q in les.questions().values()])).replace("*", "")
    assert "keeps the two smallest" in text
    for sentence in re.split(r"(?<=\.)\s", text):
        if "keeps the two smallest" in sentence:
            assert "full-rank" in sentence or "pair" in sentence, sentence


# 4. xor-stuck, stuck-count: 0.25 is two patterns at ½, not one
def test_the_stuck_level_0_25_is_two_patterns_at_one_half():
    theta = np.array([-0.22, -0.24, 0.82, -0.21, -0.3, -0.3, -0.04, -0.81, 0.09])
    W1, b1, W2, b2 = theta[:4].reshape(2, 2), theta[4:6], theta[6:8], theta[8]
    for _ in range(40000):  # the stuck run, by hand: ½·SSE, step 2
        h = sigmoid(XOR_X @ W1.T + b1)
        o = sigmoid(h @ W2 + b2)
        d = (o - XOR_Y) * o * (1 - o)
        dh = np.outer(d, W2) * h * (1 - h)
        W1, b1, W2, b2 = W1 - 2 * dh.T @ XOR_X, b1 - 2 * dh.sum(0), W2 - 2 * h.T @ d, b2 - 2 * d.sum()
    o = sigmoid(sigmoid(XOR_X @ W1.T + b1) @ W2 + b2)
    at_half = int(np.sum(np.abs(o - 0.5) < 0.01))
    assert at_half == 2 and sorted(XOR_Y[np.abs(o - 0.5) < 0.01]) == [0, 1]
    assert 0.5 * at_half * 0.25 == pytest.approx(xor_loss(W1, b1, W2, b2), abs=1e-4)
    assert values("xor-stuck", "stuck-run")["final_loss"] == pytest.approx(xor_loss(W1, b1, W2, b2), rel=1e-9)
    words = {"one": 1, "two": 2, "three": 3, "four": 4}
    text = question("xor-stuck", "stuck-count").explain
    said = re.search(r"0\.25[^.]*?\b(one|two|three|four) patterns?", text)
    assert said and words[said.group(1)] == at_half


# 6. symmetry-breaks-convexity: copies of a network, not minima; the trained network is no minimum
def test_the_trained_xor_network_is_not_a_minimum_and_no_lesson_text_says_8_minima():
    n = {k: np.array(v, dtype=float) for k, v in XOR_NET.items()}
    W1, b1, W2, b2 = n["W1"], n["b1"], n["W2"], float(n["b2"])
    start_loss = xor_loss(W1, b1, W2, b2)
    start_norm = math.sqrt(sum(np.sum(np.asarray(v) ** 2) for v in (W1, b1, W2, b2)))
    for _ in range(20000):
        h = sigmoid(XOR_X @ W1.T + b1)
        o = sigmoid(h @ W2 + b2)
        d = (o - XOR_Y) * o * (1 - o)
        dh = np.outer(d, W2) * h * (1 - h)
        W1, b1, W2, b2 = W1 - 2 * dh.T @ XOR_X, b1 - 2 * dh.sum(0), W2 - 2 * h.T @ d, b2 - 2 * d.sum()
    assert xor_loss(W1, b1, W2, b2) < start_loss / 1.5
    assert math.sqrt(sum(np.sum(np.asarray(v) ** 2) for v in (W1, b1, W2, b2))) > start_norm + 0.5
    les = lesson("symmetry-breaks-convexity")
    text = " ".join(filter(None, [s.text for s in les.steps] + [q.explain for q in les.questions().values()]))
    assert not re.search(r"equivalent minima|(?<!not )\b\d+ minima\b", text)
    assert "no local minima" in text


# 7. symmetry-breaks-convexity: two minima need not have a saddle between them
def test_two_minima_and_no_other_critical_point():
    # f = (x² − 1)² + (x²y − x − 1)²: ∂f/∂y = 2x²(x²y − x − 1) = 0 needs x²y = x + 1 (at x = 0, ∂f/∂x = 2),
    # and then ∂f/∂x = 4x(x² − 1) = 0: x = ±1, y = (x + 1)/x², the points (1, 2) and (−1, 0)
    crit = [(x, (x + 1) / x**2) for x in (1.0, -1.0)]

    def hess(x, y, h=1e-5):
        f = lambda x, y: (x * x - 1) ** 2 + (x * x * y - x - 1) ** 2
        fxx = (f(x + h, y) - 2 * f(x, y) + f(x - h, y)) / h**2
        fyy = (f(x, y + h) - 2 * f(x, y) + f(x, y - h)) / h**2
        fxy = (f(x + h, y + h) - f(x + h, y - h) - f(x - h, y + h) + f(x - h, y - h)) / (4 * h * h)
        return np.linalg.eigvalsh([[fxx, fxy], [fxy, fyy]])

    assert all(min(hess(x, y)) > 0 for x, y in crit)
    v = values("symmetry-breaks-convexity", "no-pass")
    assert v["counts"] == {"minimum": 2, "maximum": 0, "saddle": 0, "degenerate": 0, "plateau": 0}
    assert sorted(tuple(np.round(p["theta"], 6)) for p in v["points"]) == sorted(crit)
    # the lowest way between them: near x = 0 the best y = (1 + x)/x² runs off to +∞, the loss to 1
    for x in (0.1, -0.1, 0.01, -0.01):
        assert (1 + x) / x**2 > 50
    text = " ".join(s.text or "" for s in lesson("symmetry-breaks-convexity").steps)
    assert "Palais" in text and "continuous function has two separate minima" not in text


# 8. sigmoid-squared-error: one weight can have more than two minima
def test_four_examples_give_one_weight_three_minima():
    x = np.array([-2.144, 6.348, 14.231, 0.403])
    y = np.array([0.045, 0.968, 0.545, 0.061])
    w = np.linspace(-10, 3, 200001)
    L = np.mean((sigmoid(np.outer(w, x)) - y) ** 2, axis=1)
    interior = (L[1:-1] < L[:-2]) & (L[1:-1] < L[2:])
    minima = w[1:-1][interior]
    assert minima == pytest.approx([-6.78, 0.118, 0.652], abs=0.01)
    fb = next(c.feedback for c in question("sigmoid-squared-error", "predict-two").choices if c.text == "Four")
    words = {"two": 2, "three": 3, "four": 4}
    said = re.search(r"four well-chosen ones give (\w+)", fb)
    assert said and words[said.group(1)] == len(minima)


# 9. reading-the-hessian, deep-predict: the key must test that the loss falls from the origin
def test_deep_predict_key_is_not_fooled_by_a_minimum_at_the_origin():
    q = question("reading-the-hessian", "deep-predict")
    s = np.linspace(0, 1, 401)
    no = choice_index(q, "No: along a = b = c the loss goes down")
    yes = choice_index(q, "Yes: flat in every direction, so it cannot go down")
    a_minimum = {"loss": list(s**4), "min_loss": 0.0, "max_loss": 1.0}  # flat origin that is a minimum
    assert checking.correct_choices(q, {"deep-line": a_minimum}) == {yes}
    for t in (0.5, 1.0, 2.0):
        falls = list((t - s**3) ** 2)
        assert checking.correct_choices(q, {"deep-line": {"loss": falls, "min_loss": min(falls), "max_loss": max(falls)}}) == {no}


# 10. descent-can-go-uphill: a step below 2/λmax at the minimum is no guarantee from far away
def test_a_step_below_the_local_threshold_diverges_from_far():
    w = 2.5
    path = [w]
    for _ in range(6):
        w = w + 0.1 * 4 * w * (1 - w * w)
        path.append(w)
    assert 0.1 < 2 / 8 and abs(path[-1]) > 1e30
    assert path[1:3] == pytest.approx([-2.75, 4.46875])
    assert 12 * 2.5**2 - 4 == 71 and abs(2 / 71 - 0.028) < 5e-4
    assert values("descent-can-go-uphill", "far-start")["diverged"] is True
    les = lesson("descent-can-go-uphill")
    assert "local stability" in question("descent-can-go-uphill", "largest-step").explain
    assert "everywhere the run goes" in les.steps[0].text


# 10. descent-can-go-uphill, cycle-kind: "a smaller step (below 0.25) would converge to w = 1 from
# here" (w = 0.5), recomputed by plain iteration for steps across (0, 0.25), and by the lesson's tool
@pytest.mark.parametrize("lr", [0.01, 0.05, 0.1, 0.15, 0.2, 0.24, 0.249])
def test_every_step_below_the_threshold_converges_to_one_from_one_half(lr):
    assert 2 / (12 * 1.0**2 - 4) == 0.25  # the threshold: 2 / L''(1)
    w = 0.5
    for _ in range(20_000):
        w = w + lr * 4 * w * (1 - w * w)
    assert w == pytest.approx(1.0, abs=1e-9)
    s = ran("descent-can-go-uphill")
    q = s.lesson.questions()["cycle-kind"]
    assert s.right_choices(q) >= {choice_index(q, "A smaller step (below 0.25) would converge to w = 1 from here")}
    from tutor.experiments import run

    r = run("descent", {"name": "output-square", "target": 1.0}, {"start": [0.5], "lr": lr, "steps": 5000})
    assert r.values["final"][0] == pytest.approx(1.0, abs=1e-6)


# sigmoid-squared-error, worse-minimum (a read-off turned into a prediction): small-step descent
# from w = -3 stops in the worse, left minimum, recomputed by plain iteration on the mean squared error
def test_descent_from_the_far_left_stays_in_the_worse_minimum():
    x, y = np.array([1.0, 4.0]), np.array([0.1, 0.9])

    def grad(w: float) -> float:
        p = 1 / (1 + np.exp(-w * x))
        return float(np.mean(2 * (p - y) * p * (1 - p) * x))

    w = -3.0
    for _ in range(200_000):
        w -= 1.0 * grad(w)
    curve = values("sigmoid-squared-error", "two-mse-curve")
    assert w == pytest.approx(min(curve["minima"]), abs=1e-3)
    assert curve["minima_loss"][0] > curve["minima_loss"][1], "the left minimum is the worse one"
    les = lesson("sigmoid-squared-error")
    s = Session(les, params=draw(les.params, None), record=False)
    q = s.lesson.questions()["worse-minimum"]
    assert s.predicts(q)
    s.result("from-left")
    assert s.right_choices(q) == {0}


# saddles-outnumber-minima, min-loss (a read-off turned into a prediction): the lowest critical loss
# is the variance PCA leaves out (Baldi & Hornik 1989), 2 + 1 whatever the largest variance s1 is
def test_the_lowest_critical_loss_is_predicted_from_the_variances_left_out():
    les = lesson("saddles-outnumber-minima")
    for seed in (None, 1, 2, 3):
        params = draw(les.params, seed)
        s = Session(les, params=params, record=False)
        q = s.lesson.questions()["min-loss"]
        assert s.predicts(q)
        sigma = sorted([float(params.get("s1", 4)), 3.0, 2.0, 1.0], reverse=True)
        assert s.expected(q) == pytest.approx(sum(sigma[2:]), abs=1e-6)


# Also: the smaller items of the review
def test_the_famous_answer_missed_w_minus_one():
    h = lambda w: (1 - w * w) ** 2
    dh = lambda w: -4 * w * (1 - w * w)
    assert dh(-1) == 0 and h(-1) == 0
    assert "$w = -1$" in question("mse-not-a-parabola", "what-is-zero").explain


SEED_COMMENT = "Try reducing your learning rate and occasionally adding some uniformly distributed noise to get unstuck."


def test_the_seed_comment_is_quoted_whole():
    prompt = " ".join(question("escaping-saddles", "smaller-step").prompt.split())
    assert SEED_COMMENT in prompt


def test_entezari_conjecture_keeps_sufficiently_wide():
    assert "sufficiently wide" in question("connecting-minima", "predict-align").explain


def test_linear_regression_hessian_is_called_positive_semidefinite():
    rng = np.random.default_rng(0)
    for _ in range(20):
        X = rng.normal(size=(4, 3))
        X[:, 2] = 2 * X[:, 0]  # dependent columns: a zero eigenvalue, never a negative one
        assert np.linalg.eigvalsh(2 * X.T @ X / 4).min() > -1e-12
    assert "positive semidefinite" in lesson("linear-regression-bowl").summary


def test_the_saddle_at_zero_of_xor_goes_down_at_fourth_order():
    """On the Hessian's null space the odd (third-order) part of L(ru) vanishes, and the even part is
    negative in some directions and scales like r⁴."""
    def L(t):
        o = sigmoid(sigmoid(XOR_X @ t[:4].reshape(2, 2).T + t[4:6]) @ t[6:8] + t[8])
        return 0.5 * np.sum((o - XOR_Y) ** 2)

    v = np.zeros(9)
    v[6:] = [0.5, 0.5, 1.0]
    v /= np.linalg.norm(v)
    rng = np.random.default_rng(0)
    ratios = []
    for _ in range(400):
        u = rng.normal(size=9)
        u -= (u @ v) * v
        u /= np.linalg.norm(u)
        assert abs(L(0.01 * u) - L(-0.01 * u)) < 1e-14  # no third-order term
        even = [(L(r * u) + L(-r * u)) / 2 - 0.5 for r in (0.01, 0.02)]
        if even[0] < -1e-13:
            ratios.append(even[1] / even[0])
    assert ratios and np.median(ratios) == pytest.approx(16, rel=0.05)  # 2⁴: fourth order
    explain = question("xor-stuck", "zero-kind").explain
    assert "fourth order" in explain and "third" not in explain


def test_variants_of_the_tour_flip_the_key_of_w_equals_y():
    """The key of 'w = y' depends on the parameter: the self-test's table shows it flipping."""
    les = lesson("tour")
    keys = set()
    for seed in [None, 1, 2, 3, 4, 5]:
        s = Session(les, params=draw(les.params, seed), record=False)
        q = s.lesson.questions()["critical-points"]
        keys.add(choice_index(q, "w = y") in s.right_choices(q))
    assert keys == {True, False}


# ------------------------------------------------------------------ read-offs made to think
# Questions that asked for a number the experiment just before them prints in its table, turned into
# predictions (asked before the experiment) or into reasoning about what the numbers mean.


def ran(ident: str, **params: float) -> Session:
    """A session of the lesson with every experiment run, so its words are filled."""
    les = lesson(ident)
    s = Session(les, params={**draw(les.params, None), **params}, record=False)
    for exp in s.lesson.experiments():
        s.result(exp)
    return s


def right_texts(s: Session, qid: str) -> list[str]:
    q = s.lesson.questions()[qid]
    return [q.choices[i].text for i in sorted(s.right_choices(q))]  # type: ignore[index]


def test_sigmoid_inflection_is_predicted_from_the_factor_that_changes_sign():
    w = np.linspace(-6, 6, 120001)
    sg = sigmoid(w)
    formula = -2 * sg * (1 - sg) * (1 - sg) * (1 - 3 * sg)  # the prompt's L'' with σ' = σ(1 − σ)
    L = (sg - 1) ** 2
    h = w[1] - w[0]
    finite = (L[2:] - 2 * L[1:-1] + L[:-2]) / h**2
    assert np.allclose(finite, formula[1:-1], atol=1e-6)
    flips = w[1:][np.diff(np.sign(formula)) != 0]
    assert flips == pytest.approx([-math.log(2)], abs=1e-4)  # σ(w) = 1/3: e^(−w) = 2
    assert sigmoid(-math.log(2)) == pytest.approx(1 / 3)
    s = ran("sigmoid-squared-error")
    q = s.lesson.questions()["inflection"]
    assert s.predicts(q) and s.expected(q) == pytest.approx(-math.log(2), abs=1e-6)
    assert s.check("-ln(2)", q).correct and not s.check("0", q).correct


def test_cross_entropy_of_the_two_examples_has_one_minimum_predicted_from_convexity():
    x, y = np.array([1.0, 4.0]), np.array([0.1, 0.9])
    w = np.linspace(-3, 3, 60001)
    z = np.outer(w, x)
    second = np.mean(x**2 * sigmoid(z) * (1 - sigmoid(z)), axis=1)
    assert second.min() > 0  # convex in w
    slope = np.mean((sigmoid(z) - y) * x, axis=1)
    zeros = w[1:][np.diff(np.sign(slope)) != 0]
    assert len(zeros) == 1
    s = ran("sigmoid-squared-error")
    q = s.lesson.questions()["ce-minima"]
    assert s.predicts(q) and right_texts(s, "ce-minima") == ["One"]
    assert s.values("two-ce")["points"][0]["theta"][0] == pytest.approx(zeros[0], abs=1e-3)
    assert f"{zeros[0]:.3f}" in q.explain


def one_weight_critical_points() -> list[tuple[float, str]]:
    """Critical points of the one-weight squared error of (1, 0.1), (4, 0.9), found from the sign of its
    slope on a grid and classified by the sign of the slope's change."""
    x, y = np.array([1.0, 4.0]), np.array([0.1, 0.9])
    w = np.linspace(-6, 3, 90001)
    p = sigmoid(np.outer(w, x))
    slope = np.mean(2 * (p - y) * p * (1 - p) * x, axis=1)
    out = []
    for i in np.nonzero(np.diff(np.sign(slope)) != 0)[0]:
        out.append((float(w[i]), "minimum" if slope[i] < 0 else "maximum"))
    return out


def count_kinds(d: int) -> dict[str, int]:
    """The loss with d weights is a sum of one-weight losses: its critical points are one 1-D
    critical point per weight, and its Hessian is diagonal, so a point is a minimum, a maximum or a saddle
    according to the kinds it combines."""
    pts = one_weight_critical_points()
    counts = {"minimum": 0, "maximum": 0, "saddle": 0}
    for combo in itertools.product(pts, repeat=d):
        kinds = {k for _, k in combo}
        counts[kinds.pop() if len(kinds) == 1 else "saddle"] += 1
    return counts


def test_minima_and_saddles_of_separate_weights_are_counted_from_one_weight():
    assert [k for _, k in one_weight_critical_points()] == ["minimum", "maximum", "minimum"]
    two = count_kinds(2)
    s = ran("sigmoid-squared-error")
    q = s.lesson.questions()["minima-2d"]
    assert s.predicts(q) and s.expected(q) == two["minimum"] == 4
    found = s.values("two-d")["counts"]
    assert {k: found[k] for k in two} == two == {"minimum": 4, "maximum": 1, "saddle": 4}
    three = count_kinds(3)
    q = s.lesson.questions()["saddles-2d"]
    assert not s.predicts(q) and s.expected(q) == three["saddle"] == 3**3 - 2**3 - 1 == 18
    assert three == {"minimum": 8, "maximum": 1, "saddle": 18}
    assert "more than twice as many with three" in " ".join(q.explain.split())
    assert three["saddle"] > 2 * three["minimum"] and two["saddle"] == two["minimum"]


def test_a_step_just_above_two_over_eight_settles_into_a_two_cycle():
    def step(w: float) -> float:
        return w + 0.26 * 4 * w * (1 - w * w)  # h(w) = (1 − w²)², h'(w) = −4w(1 − w²)

    w = 0.5
    path = [w]
    for _ in range(400):
        w = step(w)
        path.append(w)
    assert abs(path[-1] - path[-3]) < 1e-9 and abs(path[-1] - path[-2]) > 0.1  # period 2, not 1
    low, high = sorted(path[-2:])
    assert low < 1 < high
    factor = 1 - 0.26 * 8  # near w = 1, where h'' = 8
    assert factor == pytest.approx(-1.08)
    assert step(0.9) == pytest.approx(1.078, abs=5e-4) and step(1.1) == pytest.approx(0.860, abs=5e-4)  # the hint
    for below, above in ((0.9, 1.1), (0.95, 1.05)):  # the feedback: closer from below, further from above
        assert abs(step(below) - 1) < abs(below - 1) and abs(step(above) - 1) > abs(above - 1)
    s = ran("descent-can-go-uphill")
    q = s.lesson.questions()["period"]
    assert s.predicts(q)
    assert right_texts(s, "period") == ["It ends up bouncing between two points, one on each side of w = 1, forever"]
    assert f"{low:.3f} and {high:.3f}" in q.explain or f"{high:.3f} and {low:.3f}" in q.explain


def test_the_cross_entropy_midpoint_answers_one_everywhere():
    n = {"W1": np.array([[7.04, -6.9], [6.25, -6.44]]), "b1": np.array([3.47, -3.34]), "W2": np.array([-11.35, 11.8])}
    mid = {k: (v + v[::-1]) / 2 for k, v in n.items()}  # the twin swaps the two hidden units
    assert mid["W2"] == pytest.approx([0.225, 0.225])
    z = sigmoid(XOR_X @ mid["W1"].T + mid["b1"]) @ mid["W2"] + 5.41
    assert z.min() > 5.41 and z.max() < 5.86 and sigmoid(z).min() > 0.99
    cost = np.logaddexp(0, z) - XOR_Y * z
    assert cost[XOR_Y == 0] == pytest.approx([5.6, 5.6], abs=0.05) and cost[XOR_Y == 1].max() < 0.005
    s = ran("cross-entropy-hidden")
    v = s.values("twins")
    assert v["midpoint_loss"] == pytest.approx(cost.mean(), rel=1e-9)
    assert math.log(2) == pytest.approx(0.69, abs=0.005) and v["midpoint_loss"] > 4 * math.log(2)  # outputs ½: ln 2
    assert not s.predicts(s.lesson.questions()["midpoint-loss"])
    assert right_texts(s, "midpoint-loss") == [
        "It answers about 1 for every input: the two patterns with target 0 cost a lot, the other two almost nothing"]
    q = s.lesson.questions()["midpoint-cost"]  # the mean is (cost + cost + ~0 + ~0)/4
    assert s.expected(q) == pytest.approx(cost[XOR_Y == 0].mean(), rel=0.005)
    assert s.check(f"{z[XOR_Y == 0].mean():.2f}", q).correct and not s.check(f"{v['midpoint_loss']:.3f}", q).correct
    assert "5.64" in q.explain and z[XOR_Y == 0] == pytest.approx([5.64, 5.64], abs=0.005)


def test_no_stall_in_a_hundred_runs_bounds_how_often_stalls_happen():
    miss = 0.95**100
    assert miss == pytest.approx(0.0059, abs=5e-5)  # "1 start in 20 ... only 0.6% of the time"
    assert 0.97**100 < 0.05 < 0.98**100  # the rule of three: 3/n
    s = ran("wider-is-kinder")
    rows = s.values("widths")["by_width"]
    assert [r["stuck"] for r in rows] == [16, 0, 0, 0]
    q = s.lesson.questions()["stuck-two"]
    assert not s.predicts(q) and s.expected(q) == pytest.approx(0.84**100, rel=1e-9)
    assert s.check("0.84^100", q).correct and not s.check("0", q).correct
    assert f"{0.84**100:.1g}" in q.explain and 0.84**100 < 1e-7
    q = s.lesson.questions()["stuck-zeros"]
    assert right_texts(s, "stuck-zeros")[0].startswith("Stalls are rare")
    nothing = next(c.feedback for c in q.choices or [] if c.text.startswith("Nothing"))
    assert f"{0.84**100:.1g}" in nothing


def test_relabellings_of_ten_units_are_far_too_many_to_try():
    rng = np.random.default_rng(0)
    W1, b1, W2 = rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=3)
    X = rng.normal(size=(50, 2))
    base = np.tanh(X @ W1.T + b1) @ W2
    same = set()
    for perm in itertools.permutations(range(3)):
        for signs in itertools.product([1, -1], repeat=3):
            sg = np.array(signs)
            P = (W1[list(perm)] * sg[:, None], b1[list(perm)] * sg, W2[list(perm)] * sg)
            if np.allclose(np.tanh(X @ P[0].T + P[1]) @ P[2], base):
                same.add(tuple(np.round(np.concatenate([P[0].ravel(), P[1], P[2]]), 9)))
    assert len(same) == 48 == values("connecting-minima", "pair")["equivalent_count"]
    s = ran("connecting-minima")
    q = s.lesson.questions()["relabellings"]
    assert s.predicts(q) and s.expected(q) == math.factorial(10) * 2**10 == 3_715_891_200
    wide = s.values("wide")
    assert wide["max_output_diff"] < 1e-9 and wide["aligned_barrier"] < 1e-9 < wide["barrier"]  # matching found it
    assert round(math.log10(math.factorial(100) * 2**100)) == 188
    assert s.check("3628800*1024", q).correct and not s.check("48", q).correct


def test_the_large_step_rises_often_yet_ends_lower_than_the_small_one():
    from tests.unit.test_curriculum_l4 import TanhNet, inputs

    final = {}
    for exp, lr in (("small", 0.05), ("large", 0.4)):
        X, y, th = inputs("edge-of-stability", exp)
        net = TanhNet(X, y, 16)
        for _ in range(1500):
            th = th - lr * net.loss_grad(th)[1]
        final[exp] = net.loss_grad(th)[0]
    assert final["large"] < final["small"] and np.isfinite(final["large"])
    s = ran("edge-of-stability")
    for exp in final:
        assert s.values(exp)["final_loss"] == pytest.approx(final[exp], rel=1e-6)
    assert not s.predicts(s.lesson.questions()["rising"])
    assert right_texts(s, "rising") == ["No: it ends lower than the small step, and it never blew up"]


def test_linear_regression_eigenvalues_quoted_after_the_answer():
    lam = np.linalg.eigvalsh(np.array([[7.0, 3.0], [3.0, 2.0]]))
    assert lam == pytest.approx([(9 - math.sqrt(61)) / 2, (9 + math.sqrt(61)) / 2])
    X = np.array([[0, 1], [1, 1], [2, 1], [3, 1]], dtype=float)
    hessian = 2 / 4 * X.T @ X
    assert hessian == pytest.approx(np.array([[7, 3], [3, 2]]))
    s = ran("linear-regression-bowl")
    explain = s.lesson.questions()["smallest-eigenvalue"].explain
    assert f"{lam[0]:.4f}" in explain and f"{lam[1]:.4f}" in explain


@pytest.mark.parametrize("y", [0.25, 1.0, 2.25, 4.0])
def test_where_minima_is_predicted_for_four_times_the_target(y):
    w = np.linspace(-5, 5, 100001)
    h = (4 * y - w * w) ** 2
    inner = (h[1:-1] < h[:-2]) & (h[1:-1] < h[2:])
    assert w[1:-1][inner] == pytest.approx([-2 * math.sqrt(y), 2 * math.sqrt(y)], abs=1e-3)
    s = ran("mse-not-a-parabola", y=y)
    q = s.lesson.questions()["where-minima"]
    assert s.predicts(q)
    assert sorted(s.expected(q)) == pytest.approx([-2 * math.sqrt(y), 2 * math.sqrt(y)], abs=1e-6)
    assert s.check(f"±{2 * math.sqrt(y)}", q).correct and not s.check(f"±{math.sqrt(y)}", q).correct
    assert f"{4 * y:g} - w^2" in q.prompt


def test_the_barrier_is_predicted_before_a_run_that_does_not_give_away_the_aligned_one():
    """'barrier' and 'predict-align' both predicted the 'pair' run, so the first verdict showed the aligned
    barrier before the second was asked. The straight line is now its own run ('line'), of the same two networks."""
    from scipy.optimize import minimize

    from tutor.core.lab_schema.problems import MLPOptions
    from tutor.experiments.problems import MLP

    prob = MLP(MLPOptions(data={"teacher": {"inputs": 2, "hidden": 3, "points": 40, "seed": 1}}, hidden=3,
                          activation="tanh", output="linear", loss="mse"))
    X, Y = np.asarray(prob.X, dtype=float), np.asarray(prob.y, dtype=float).ravel()
    a = np.array([-1.91, 1.36, -0.16, 3.74, 1.29, -0.38, 0.11, 0.54, -0.27, 1.3, -0.3, 0.26, 0.1])
    b = np.array([0.17, -3.58, -0.33, -0.02, 1.97, -1.45, -0.5, 0.96, -0.1, 0.32, -0.81, -1.18, 0.66])

    def loss(th: np.ndarray) -> float:
        W1, b1, W2, b2 = th[:6].reshape(3, 2), th[6:9], th[9:12], th[12]
        return float(np.mean((np.tanh(X @ W1.T + b1) @ W2 + b2 - Y) ** 2))

    ts = np.linspace(0, 1, 41)

    def barrier(points: list[np.ndarray]) -> float:
        ls = np.array([loss(p) for p in points])
        return float(np.max(ls - ((1 - ts) * ls[0] + ts * ls[-1])))

    straight = barrier([(1 - t) * a + t * b for t in ts])
    s = ran("connecting-minima")
    line, pair = s.values("line"), s.values("pair")
    assert (line["loss_a"], line["loss_b"]) == pytest.approx((loss(a), loss(b)), rel=1e-9)
    assert (pair["loss_a"], pair["loss_b"]) == pytest.approx((loss(a), loss(b)), rel=1e-9)  # the same two networks
    assert line["line_barrier"] == pytest.approx(straight, rel=1e-9)
    assert straight > 10 * max(loss(a), loss(b))
    # a curved path with low loss exists: a quadratic Bézier whose bend minimises the mean loss along it
    def along(m: np.ndarray) -> list[np.ndarray]:
        return [(1 - t) ** 2 * a + 2 * t * (1 - t) * m + t**2 * b for t in ts]

    best = minimize(lambda m: np.mean([loss(p) for p in along(m)]), 0.5 * (a + b), method="BFGS", options={"maxiter": 400})
    assert barrier(along(best.x)) < 0.05 * straight and line["curve_barrier"] < 0.05 * straight
    for qid in ("barrier", "predict-align"):
        assert s.predicts(s.lesson.questions()[qid])
    assert s.deciding(s.lesson.questions()["barrier"]) == ["line"]
    steps = [st.experiment.id if st.experiment else st.question.id if st.question else "text" for st in s.lesson.steps]
    assert steps.index("barrier") < steps.index("line") < steps.index("predict-align") < steps.index("pair")
    assert right_texts(s, "barrier") == ["Far above the loss at the ends"]
    assert f"{line['curve_barrier']:.2g}" in s.lesson.questions()["barrier"].explain


@pytest.mark.parametrize("gap", [0.5, 1.0, 2.0])
def test_the_separable_loss_is_predicted_to_fall_everywhere(gap):
    x, y = np.array([-gap, -2, gap, 2]), np.array([0, 0, 1, 1])
    w = np.linspace(-2, 10, 12001)
    slope = np.mean((sigmoid(np.outer(w, x)) - y) * x, axis=1)  # every term (σ(wx) − y)x is negative
    assert slope.max() < 0
    les = lesson("convex-no-minimum")
    s = Session(les, params={**draw(les.params, None), "gap": gap}, record=False)  # runs only what the question needs
    q = s.lesson.questions()["predict-minimum"]
    assert s.predicts(q) and right_texts(s, "predict-minimum") == ["No: it keeps going down as w grows"]


@pytest.mark.parametrize("lr", [0.05, 0.1, 0.15])
def test_the_loss_after_twice_the_steps_is_predicted_from_the_loss_after_forty(lr):
    def after(k: int) -> float:
        x, y = 2.0, 1.0
        for _ in range(k):
            x, y = x - lr * x, y - lr * 10 * y  # the gradient of (x² + 10y²)/2
        return (x * x + 10 * y * y) / 2

    l40, l80 = after(40), after(80)
    assert l80 == pytest.approx(l40**2 / 2, rel=1e-3)  # the explanation's L80 ≈ L40²/2: x's share by step 40
    les = lesson("watch-descent")
    s = Session(les, params={**draw(les.params, None), "lr": lr}, record=False)
    q = s.lesson.questions()["final-loss"]
    assert s.predicts(q) and s.expected(q) == pytest.approx(l80, rel=1e-9)
    assert s.values("valley")["final_loss"] == pytest.approx(l40, rel=1e-9)
    assert s.check(f"{l40 ** 2 / 2:.4g}", q).correct
    assert not s.check(f"{l40:.4g}", q).correct and not s.check("0", q).correct and not s.check(f"{l40 / 2:.4g}", q).correct


# ------------------------------------------------------------------ session 4: the descent table's verdict
# The descent table's last row said "still sliding, not a minimum", which answered convex-no-minimum's
# is-it-stuck and xor-stuck's stuck-loss for the learner. The row now shows the evidence only (|θ| and
# the loss, halfway and at the end); the two questions ask for reasoning from it.


def descent_row(r_summary: list[tuple[str, str]]) -> str:
    return next(v for k, v in r_summary if re.fullmatch(r"steps \d+ to \d+", k))


@pytest.mark.parametrize("gap", [0.5, 1.0, 2.0])
def test_separable_cross_entropy_has_no_zero_gradient_anywhere(gap):
    x, y = np.array([-gap, -2, gap, 2]), np.array([0, 0, 1, 1])
    w = np.linspace(-50, 50, 100001)
    z = np.outer(w, x)
    terms = np.where(y == 1, -sigmoid(-z), sigmoid(z)) * x  # (σ(z) − y)·x, with σ(z) − 1 = −σ(−z): the slope is their mean
    assert terms.max() < 0, "every term is negative at every w, so the slope is never zero"
    curv = np.mean(x**2 * sigmoid(np.outer(w, x)) * (1 - sigmoid(np.outer(w, x))), axis=1)
    assert curv.min() >= 0  # convex: a zero slope would have been a global minimum
    # plain descent, by hand: w still grows, by about ln(2)/gap when the steps double (the hint)
    def descend(steps: int) -> float:
        v = 0.0
        for _ in range(steps):
            v -= np.mean((sigmoid(v * x) - y) * x)
        return v

    w1000, w2000 = descend(1000), descend(2000)
    assert w2000 - w1000 == pytest.approx(math.log(2) / gap, rel=0.02)
    s = ran("convex-no-minimum", gap=gap)
    assert s.values("run")["final"][0] == pytest.approx(w2000, rel=1e-9)
    row = descent_row(s.result("run").summary)
    assert f"|θ| {w1000:.4g} → {w2000:.4g}" in row and "minimum" not in row and "sliding" not in row
    for exp in ("run", "long-run"):
        assert s.values(exp)["rising_steps"] == 0  # the feedback on "a smaller step": no step raised the loss
        assert s.values(exp)["late_norms"][1] > s.values(exp)["late_norms"][0]  # the prompt: w still growing
    assert right_texts(s, "is-it-stuck") == ["No: on a convex loss a zero gradient would be a global minimum, and this loss has none"]
    q = s.lesson.questions()["final-weight"]
    assert "last row" in q.hints[0] and "gradient" not in q.hints[0]  # the table shows no gradient


def test_a_tiny_gradient_and_no_rising_step_do_not_tell_a_plateau_from_a_minimum():
    """stuck-loss's wrong choices: a run into a true minimum, (2 − w²)² from 0.5, also ends with a small
    non-zero gradient and never raises the loss; what differs is that it has settled."""
    w, losses, path = 0.5, [], []
    for _ in range(400):
        losses.append((2 - w * w) ** 2)
        path.append(abs(w))
        w += 0.05 * 4 * w * (2 - w * w)
    grad = -4 * w * (2 - w * w)
    assert 0 < abs(grad) < 1e-6 and w == pytest.approx(math.sqrt(2))
    assert all(b <= a for a, b in itertools.pairwise(losses))
    assert abs(w) - path[200] < 1e-6  # settled: |θ| no longer grows
    # the stuck XOR run, by hand: over the last half the loss still falls and |θ| grows
    theta = np.array([-0.22, -0.24, 0.82, -0.21, -0.3, -0.3, -0.04, -0.81, 0.09])
    W1, b1, W2, b2 = theta[:4].reshape(2, 2), theta[4:6], theta[6:8], theta[8]
    norms, errs = {}, {}
    for k in range(40001):
        if k in (20000, 40000):
            norms[k] = math.sqrt(np.sum(W1**2) + np.sum(b1**2) + np.sum(W2**2) + b2**2)
            errs[k] = xor_loss(W1, b1, W2, b2)
        if k == 40000:
            break
        h = sigmoid(XOR_X @ W1.T + b1)
        o = sigmoid(h @ W2 + b2)
        d = (o - XOR_Y) * o * (1 - o)
        dh = np.outer(d, W2) * h * (1 - h)
        W1, b1, W2, b2 = W1 - 2 * dh.T @ XOR_X, b1 - 2 * dh.sum(0), W2 - 2 * h.T @ d, b2 - 2 * d.sum()
    assert norms[40000] > norms[20000] + 1 and errs[40000] < errs[20000]
    s = ran("xor-stuck")
    v = s.values("stuck-run")
    assert v["late_norms"] == pytest.approx([norms[20000], norms[40000]], rel=1e-7)
    assert v["late_losses"] == pytest.approx([errs[20000], errs[40000]], rel=1e-9)
    row = descent_row(s.result("stuck-run").summary)
    assert row == f"|θ| {norms[20000]:.4g} → {norms[40000]:.4g}, loss {errs[20000]:.6g} → {errs[40000]:.6g}"
    assert right_texts(s, "stuck-loss") == [
        "Over the last 20 000 steps the loss still fell while |θ| grew: the run moves outward instead of settling"]
    explain = s.lesson.questions()["stuck-loss"].explain
    assert "Hamey" in explain and "no local minima" in explain
    # the label is read from the whole run, not from the gradient and Hessian at the end
    assert v["endpoint_kind"] == "plateau"
    texts = " ".join(st.experiment.text or "" for st in s.lesson.steps if st.experiment)
    assert "reads only the gradient and the Hessian" not in texts
    # predict-growth's explanation no longer answers stuck-loss
    assert "sliding" not in s.lesson.questions()["predict-growth"].explain


# iris-landscape: flat-fraction was 48/67 of a table row; sharp-ratio 1.21/0.2468 of another. Now: what the
# flat count says about the weights, and a step-length ratio that needs the quadratic ½λδ²


def test_iris_flat_directions_include_the_softmax_shifts_and_the_step_ratio_is_a_square_root():
    from tests.unit.test_curriculum_l4 import trained_iris

    net, th, ev = trained_iris()
    # adding the same vector to every class's output weights, or the same number to every output bias,
    # leaves the loss unchanged at any weights: nine exact flat directions (8 hidden units + the bias)
    shifts = []
    for j in range(8):
        v = np.zeros(67)
        v[[40 + j, 48 + j, 56 + j]] = 1.0
        shifts.append(v)
    shifts.append(np.r_[np.zeros(64), 1.0, 1.0, 1.0])
    rng = np.random.default_rng(1)
    for point in (th, rng.normal(size=67)):
        for v in shifts:
            assert net.loss(point + 2.5 * v) == pytest.approx(net.loss(point), abs=1e-12)
    small = np.sort(np.abs(ev))
    assert small[8] < 1e-10 * ev[0] < 1e-7 * ev[0] < small[9], "exactly nine directions are flat to rounding; the rest only nearly"
    flat = int(np.sum(np.abs(ev) <= 1e-3 * ev[0]))
    s = ran("iris-landscape")
    assert s.values("hessian")["flat"] == flat and flat > 67 / 2
    assert right_texts(s, "flat-fraction")[0].startswith("Many nearby weights fit about as well")
    q = s.lesson.questions()["sharp-ratio"]
    ratio = math.sqrt(ev[0] / ev[1])
    assert s.expected(q) == pytest.approx(ratio, rel=1e-4) and round(ratio, 1) == 2.2
    assert 0.5 * ev[0] * 1.0**2 == pytest.approx(0.5 * ev[1] * ratio**2)  # the same rise ½λδ²
    assert s.check(f"{ratio:.2f}", q).correct and not s.check(f"{ev[0] / ev[1]:.2f}", q).correct


# The stationary tool, given `at`, names the Hessian's kind whatever the gradient: linear-regression-bowl
# showed "minimum at [0, 0]" (gradient 6.9) under the caption "the bowl's critical point", and "degenerate
# at [0, 0, 0]" (gradient 33); convex-no-minimum "degenerate at" a point with gradient 0.34. The three
# experiments now search, so every point they show is a critical point.


@pytest.mark.parametrize("slope", [0.5, 1.0, 2.0, 3.0])
def test_the_bowl_experiments_show_true_critical_points(slope):
    X = np.array([[0, 1], [1, 1], [2, 1], [3, 1]], dtype=float)
    y = np.array([1, slope, 2, 2])
    best, *_ = np.linalg.lstsq(X, y, rcond=None)
    pts = values("linear-regression-bowl", "hessian", slope=slope)["points"]
    assert len(pts) == 1 and pts[0]["kind"] == "minimum"
    assert pts[0]["theta"] == pytest.approx(best, abs=1e-7)
    assert pts[0]["loss"] == pytest.approx(np.mean((X @ best - y) ** 2), abs=1e-12)
    Xd = np.array([[1, 2, 1], [2, 4, 1], [3, 6, 1], [4, 8, 1]], dtype=float)
    yd = np.array([1, 3, 2, 4])
    v = values("linear-regression-bowl", "valley", slope=slope)["points"][0]
    th = np.asarray(v["theta"])
    assert np.linalg.norm(2 / 4 * Xd.T @ (Xd @ th - yd)) < 1e-8  # the gradient, written out: zero
    least, *_ = np.linalg.lstsq(Xd, yd, rcond=None)
    assert v["loss"] == pytest.approx(np.mean((Xd @ least - yd) ** 2), abs=1e-12)  # a best point, on the valley
    assert v["kind"] == "degenerate" and v["zero_eigenvalues"] == 1
    les = lesson("linear-regression-bowl")
    assert all("at" not in (st.experiment.with_ or {}) for st in les.steps if st.experiment and st.experiment.run == "stationary")


def test_softmax_search_finds_a_flat_family_of_minima():
    Xs = np.array([[1, 0], [0, 1], [1, 1], [-1, 0.5]])
    ys = np.array([0, 1, 2, 0])

    def ce_grad(W):
        Z = Xs @ W.T
        P = np.exp(Z - Z.max(1, keepdims=True))
        P /= P.sum(1, keepdims=True)
        loss = np.mean(np.log(np.exp(Z).sum(1)) - Z[np.arange(4), ys])
        return loss, (P - np.eye(3)[ys]).T @ Xs / 4

    s = ran("convex-no-minimum")
    v = s.values("softmax-hessian")
    Ws = [np.asarray(p["theta"]).reshape(3, 2) for p in v["points"]]
    assert v["found"] == len(Ws) == 4
    losses = []
    for W in Ws:
        loss, g = ce_grad(W)
        assert np.linalg.norm(g) < 1e-7  # a critical point, by a gradient written out here
        losses.append(loss)
    assert max(losses) - min(losses) < 1e-9  # one level: the family is flat
    # they differ only by one vector added to every class's row: the rows' differences agree
    for W in Ws[1:]:
        assert (W - W[0]) - (Ws[0] - Ws[0][0]) == pytest.approx(np.zeros((3, 2)), abs=1e-6)
        assert np.linalg.norm(W - Ws[0]) > 0.1
    assert s.expected(s.lesson.questions()["softmax-flat"]) == 2
    assert f"all with the same loss {losses[0]:.4f}" in " ".join(s.lesson.questions()["softmax-flat"].explain.split())


# edge-of-stability: 'factor' asked for 1 − 0.4 × the table's last sharpness; it now asks for the factor at
# the edge itself (−1). The numbers of predict-large's and factor's explanations, recomputed by a second
# network and a finite-difference Hessian every 25 steps


def test_the_sharpness_at_the_edge_flips_the_error_and_hovers_between_4_8_and_5_2():
    from tests.unit.test_curriculum_l4 import TanhNet, inputs

    X, y, th = inputs("edge-of-stability", "large")
    net = TanhNet(X, y, 16)
    sharp = {}
    for t in range(1501):
        L, g = net.loss_grad(th)
        if t % 25 == 0:
            sharp[t] = net.sharpness(th)
        th = th - 0.4 * g
    over = [t for t in sharp if sharp[t] > 5.8]
    assert over == [175, 275] and all(5.9 < sharp[t] < 6.2 for t in over)  # "overshoots twice to about 6"
    late = [sharp[t] for t in sorted(sharp) if t >= 400]
    assert all(4.65 < s < 5.35 for s in late)
    assert all((a - 5) * (b - 5) < 0 for a, b in itertools.pairwise(late))  # alternating about 5
    assert round(sharp[1500], 2) == 4.97 and round(1 - 0.4 * sharp[1500], 2) == -0.99
    above = [1 - 0.4 * s for s in late if s > 5]
    assert all(-1.12 < f < -1.05 for f in above)  # "between about −1.05 and −1.1"
    s = ran("edge-of-stability")
    q = s.lesson.questions()["factor"]
    assert s.expected(q) == pytest.approx(1 - 0.4 * (2 / 0.4)) == -1
    assert s.check("-1", q).correct and not s.check("1", q).correct and not s.check("0", q).correct
    assert "4.97" in q.explain and "-0.99" in q.explain


def test_the_ratio_in_midpoint_cost_is_of_the_means_not_of_one_pattern():
    """'About 5.65 [per pattern with target 0] ... That is 512 times the mean loss at the twins': 512 is
    the midpoint's mean over the twins' mean; one pattern's cost is about 1000 times it."""
    s = ran("cross-entropy-hidden")
    v = s.values("twins")
    ratio = v["midpoint_loss"] / v["loss_a"]
    assert round(ratio) == 512 and round(2 * v["midpoint_loss"] / v["loss_a"]) > 1000
    explain = " ".join(s.lesson.questions()["midpoint-cost"].explain.split())
    assert f"The midpoint's mean, {v['midpoint_loss']:.3f}, is {ratio:,.0f} times the mean at the twins" in explain


def test_the_highest_loss_on_the_curve_is_bounded_by_the_larger_end_plus_its_barrier():
    """minima-are-connected how-high was line_barrier / loss_a off the table; now the bound on the curve's
    loss that the barrier's definition gives, checked on the tool's own curve and on the straight line."""
    from tests.unit.test_curriculum_l4 import SigmoidOutNet, chord_barrier, inputs

    s = ran("minima-are-connected")
    v = s.values("paths")
    for path, barrier in (("curve_loss", "curve_barrier"), ("line_loss", "line_barrier")):
        losses = np.asarray(v[path])
        assert chord_barrier(losses) == pytest.approx(v[barrier], rel=1e-9, abs=1e-12)
        assert losses.max() <= max(losses[0], losses[-1]) + v[barrier] + 1e-12  # the bound the question asks for
    q = s.lesson.questions()["how-high"]
    bound = max(v["loss_a"], v["loss_b"]) + v["curve_barrier"]
    assert s.expected(q) == pytest.approx(bound) and np.max(v["curve_loss"]) > 0.9 * bound  # nearly reached
    assert s.check(f"{bound:.4f}", q).correct
    assert not s.check(f"{max(v['loss_a'], v['loss_b']):.4f}", q).correct and not s.check(f"{v['curve_barrier']:.4f}", q).correct
    X, y, _ = inputs("minima-are-connected", "paths")
    net = SigmoidOutNet(X, y, 16)
    a, b = net.train(1), net.train(2)
    line = np.array([net.loss_grad((1 - t) * a + t * b)[0] for t in np.linspace(0, 1, 41)])
    explain = " ".join(q.explain.split())
    assert f"climbs to {line.max():.2f}" in explain and f"{chord_barrier(line) / line[0]:.0f} times the loss at a" in explain


@pytest.mark.parametrize("y", [1.0, 2.25, 4.0])
def test_the_tour_counts_minima_from_its_curve(y):
    """how-many-minima's answer was a literal 2; it is the curve's count, which is 2 for every target > 0."""
    w = np.linspace(-2.5, 2.5, 50001)
    L = (y - w * w) ** 2
    inner = (L[1:-1] < L[:-2]) & (L[1:-1] < L[2:])
    s = ran("tour", y=y)
    q = s.lesson.questions()["how-many-minima"]
    assert s.expected(q) == int(inner.sum()) == 2


def test_lessons_name_the_lessons_they_refer_to():
    """'the 2/L of the previous lesson' (watch-descent) named none: which lesson comes before depends on the
    catalog. Every lesson a text refers to is named, and exists."""
    from tests.unit.test_curriculum import IDS

    for ident in IDS:
        les = lesson(ident)
        parts = [st.text or "" for st in les.steps] + [st.experiment.caption or "" for st in les.steps if st.experiment]
        for q in les.questions().values():
            parts += [q.prompt or "", q.explain or ""] + list(q.hints or []) + [c.feedback or "" for c in q.choices or []]
        text = " ".join(parts)
        assert "previous lesson" not in text and "next lesson" not in text, ident
        for named in re.findall(r"lesson '([a-z0-9-]+)'", text):
            assert named in IDS, (ident, named)


@pytest.mark.parametrize("a", [1.0, 2.0, 4.0])
def test_the_bowls_caption_names_what_its_table_shows(a):
    """descent-can-go-uphill 'curvature': the caption promised the curvature, the table shows the point and its
    kind; the caption now says it is the critical point x = 0 whose Hessian's only eigenvalue is a (d²/dx² a·x²/2)."""
    s = ran("descent-can-go-uphill", a=a)
    p = s.values("curvature")["points"][0]
    assert p["grad_norm"] == 0 and p["kind"] == "minimum" and p["eigenvalues"] == pytest.approx([a])
    caption = next(st.experiment.caption for st in s.lesson.steps if st.experiment and st.experiment.id == "curvature")
    assert "critical point x = 0" in caption and f"curvature a = {a:g}" in caption
    assert s.expected(s.lesson.questions()["largest-step"]) == pytest.approx(2 / a)


# flat-and-sharp step-limit: was 2 / the table's λ_max; now a prediction, decided by two runs of descent from
# the same nudge of the same function: the original settles back, the rescaled copy is thrown out


def test_the_same_nudge_and_step_settle_the_flat_copy_and_throw_out_the_sharp_one():
    from tests.unit.test_curriculum_l4 import RELU_X, gauss_newton, relu_net

    y = np.array([2, 1, 0.5, 0.5, 0.5, 0, -1])

    def run(alpha: float, lr: float = 0.01, steps: int = 200) -> list[float]:
        W1, b1, W2 = (np.asarray(v, dtype=float) for v in relu_net(alpha)[:3])
        b2 = 0.001  # the nudge: every output 0.001 too high
        losses = []
        for _ in range(steps + 1):
            z = np.outer(RELU_X, W1) + b1
            h = np.maximum(z, 0)
            r = h @ W2 + b2 - y
            losses.append(float(np.mean(r * r)))
            d = 2 * r / len(y)
            dz = np.outer(d, W2) * (z > 0)
            W1, b1, W2, b2 = W1 - lr * (dz * RELU_X[:, None]).sum(0), b1 - lr * dz.sum(0), W2 - lr * h.T @ d, b2 - lr * d.sum()
        return losses

    flat, sharp = run(1.0), run(0.25)
    assert flat[0] == pytest.approx(1e-6) and sharp[0] == pytest.approx(1e-6)  # the same outputs at the start
    assert flat[-1] < 2e-8 and all(b <= a for a, b in itertools.pairwise(flat))  # settles back
    assert max(sharp) > 5 and sharp[-1] > 0.2  # thrown out
    lam_flat = np.linalg.eigvalsh(gauss_newton(relu_net(1.0)))[-1]
    lam_sharp = np.linalg.eigvalsh(gauss_newton(relu_net(0.25)))[-1]
    assert abs(1 - 0.01 * lam_flat) < 1 < abs(1 - 0.01 * lam_sharp)  # the local stability test, 0.01 against 2/λ
    assert round(1 - 0.01 * lam_sharp, 2) == -3.15
    s = ran("flat-and-sharp")
    assert s.values("nudged-flat")["losses"] == pytest.approx(flat, rel=1e-6, abs=1e-15)
    assert s.values("nudged-sharp")["losses"] == pytest.approx(sharp, rel=1e-6)
    q = s.lesson.questions()["step-limit"]
    assert s.predicts(q) and right_texts(s, "step-limit") == ["It is thrown out of the minimum"]
    explain = " ".join(q.explain.split())
    assert f"jumps to {max(sharp):.1f} and ends at {sharp[-1]:.3f}" in explain and "-3.15" in explain
    assert "0.0048" not in explain  # the next question's answer
    q = s.lesson.questions()["largest-step"]
    assert s.expected(q) == pytest.approx(2 / lam_sharp) and s.check("2/414.6", q).correct and not s.check("0.061", q).correct


def test_the_two_cycle_raises_the_loss_every_other_step():
    """cycle-kind's 'The loss rose on some steps of this run' is decided by the run (it was typed in), and
    the app shows the run's table with the question; its count recomputed by plain iteration."""
    w, losses = 0.5, []
    for _ in range(401):
        losses.append((1 - w * w) ** 2)
        w += 0.26 * 4 * w * (1 - w * w)
    rises = [b > a for a, b in itertools.pairwise(losses)]
    assert rises[-20:] == [rises[-20], not rises[-20]] * 10  # every other step, once the cycle set in
    s = ran("descent-can-go-uphill")
    assert s.values("two-cycle")["rising_steps"] == sum(rises) == 199
    q = s.lesson.questions()["cycle-kind"]
    assert s.evidence(q) == ["two-cycle"]
    assert choice_index(q, "The loss rose on some steps of this run") in s.right_choices(q)
    assert "rose on 199 of the 400 steps" in next(c.feedback for c in q.choices if c.text.startswith("The loss rose"))
    wide = ran("wider-is-kinder")
    assert wide.evidence(wide.lesson.questions()["why-wider"]) == ["widths"]


def test_every_point_a_lesson_asks_stationary_about_is_a_critical_point():
    """The tool's kind reads only the Hessian, so a point given with `at` is printed as 'minimum at …'
    whatever its gradient: each lesson's `at` must be a critical point (linear-regression-bowl's [0, 0]
    had a gradient of 6.9)."""
    from tests.unit.test_curriculum import IDS

    for ident in IDS:
        s = ran(ident) if any(st.experiment and st.experiment.run == "stationary" and "at" in (st.experiment.with_ or {})
                              for st in lesson(ident).steps) else None
        if s is None:
            continue
        for st in s.lesson.steps:
            e = st.experiment
            if e and e.run == "stationary" and "at" in (e.with_ or {}):
                p = s.values(e.id)["points"][0]
                assert p["grad_norm"] <= 1e-9 * (1 + abs(p["loss"])), (ident, e.id, p["grad_norm"])
