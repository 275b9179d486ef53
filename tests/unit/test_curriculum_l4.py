"""Level 4 (issue 16): every number the new lessons state, recomputed by a second method — closed
forms and small numpy implementations written here, sharing nothing with tutor.experiments but the
inputs (data sets and starting points) — and the level-4 rules (sources, requires, catalog)."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from tests.conftest import LESSONS
from tutor.core import lab_schema as S
from tutor.core.loader import catalog
from tutor.core.params import draw
from tutor.core.session import Session
from tutor.experiments import registry

CAT = catalog([LESSONS])
LEVEL4 = sorted(i for i, f in CAT.lessons.items() if f.lesson.level == 4)

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0], dtype=float)
TWIN = {"W1": [[7.04, -6.9], [6.25, -6.44]], "b1": [3.47, -3.34], "W2": [-11.35, 11.8], "b2": 5.41}


def values(ident: str, exp: str) -> dict:
    les = CAT.lessons[ident].lesson
    return Session(les, params=draw(les.params, None), record=False).values(exp)


def step(ident: str, exp: str):
    return next(s.experiment for s in CAT.lessons[ident].lesson.steps if s.experiment and s.experiment.id == exp)


def inputs(ident: str, exp: str):
    """The data and the starting point of an experiment's problem: inputs, not results."""
    e = step(ident, exp)
    spec = {"name": e.problem.name, **e.problem.options}
    popts, _ = S.validate(e.run, spec, e.with_ or {})
    p = registry.make(e.problem.name, popts)
    net = p.net
    return np.asarray(net.X, dtype=float), np.asarray(net.Y, dtype=float).reshape(len(net.X), -1)[:, 0], p.default_point()


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_level_four_is_the_seven_new_lessons_each_building_on_earlier_ones():
    assert {"wider-is-kinder", "cross-entropy-hidden", "edge-of-stability", "minima-are-connected", "flat-and-sharp", "deep-linear", "iris-landscape"} <= set(LEVEL4)
    for ident in LEVEL4:
        les = CAT.lessons[ident].lesson
        assert les.requires, f"{ident}: says what it builds on"
        assert any(CAT.lessons[r].lesson.level < 4 for r in les.requires), "builds on the curriculum before it"
        assert all("(" in s and ")" in s for s in les.sources), "authors (year), title"


# ------------------------------------------------------------------ wider-is-kinder


def census_by_hand(H: int, starts: int = 100, steps: int = 5000, lr: float = 2.0) -> np.ndarray:
    """Full-batch descent of 2-H-1 sigmoid networks on XOR, ½·sum of squared errors, from the same
    uniform starts the census draws (one generator, seed 0, weights [W1 rows, b1, W2, b2])."""
    T = np.random.default_rng(0).uniform(-1.0, 1.0, (starts, 4 * H + 1))
    W1, b1, W2, b2 = T[:, : 2 * H].reshape(starts, H, 2), T[:, 2 * H : 3 * H], T[:, 3 * H : 4 * H], T[:, 4 * H]
    for _ in range(steps):
        h = sigmoid(np.einsum("shi,ni->snh", W1, XOR_X) + b1[:, None, :])  # (S, 4, H)
        o = sigmoid(np.einsum("snh,sh->sn", h, W2) + b2[:, None])
        d = (o - XOR_Y) * o * (1 - o)  # (S, 4)
        dh = d[:, :, None] * W2[:, None, :] * h * (1 - h)
        W2 = W2 - lr * np.einsum("sn,snh->sh", d, h)
        b2 = b2 - lr * d.sum(1)
        W1 = W1 - lr * np.einsum("snh,ni->shi", dh, XOR_X)
        b1 = b1 - lr * dh.sum(1)
    h = sigmoid(np.einsum("shi,ni->snh", W1, XOR_X) + b1[:, None, :])
    o = sigmoid(np.einsum("snh,sh->sn", h, W2) + b2[:, None])
    return 0.5 * ((o - XOR_Y) ** 2).sum(1)


def test_wider_is_kinder():
    census = values("wider-is-kinder", "widths")
    rows = census["by_width"]
    assert [r["hidden"] for r in rows] == [2, 3, 4, 8]
    one = census_by_hand(1)
    stuck = {1: int(np.sum(one > 0.05))}
    assert census["stuck"] == stuck[1] and census["best_loss"] == pytest.approx(one.min(), rel=1e-6)
    for r in rows:
        final = census_by_hand(r["hidden"])
        stuck[r["hidden"]] = int(np.sum(final > 0.05))
        assert r["stuck"] == stuck[r["hidden"]]
        assert r["best_loss"] == pytest.approx(final.min(), rel=1e-6)
    # what the lesson states: all stuck at 1, 16 at 2, none at 3, 4 or 8
    assert stuck == {1: 100, 2: 16, 3: 0, 4: 0, 8: 0}
    # the 1-unit plateau: (0,0) fitted, the other three at ⅔, the mean of their targets 1, 1, 0
    def half_sse(out):
        return 0.5 * float(np.sum((np.asarray(out) - XOR_Y) ** 2))

    assert census["best_loss"] == pytest.approx(half_sse([0, 2 / 3, 2 / 3, 2 / 3]), abs=0.002)
    assert half_sse([0.5] * 4) == 0.5 and half_sse([0, 1, 0.5, 0.5]) == 0.25  # the two wrong choices' losses


# ------------------------------------------------------------------ cross-entropy-hidden


def xor_ce(W1, b1, W2, b2) -> float:
    z = sigmoid(XOR_X @ np.asarray(W1).T + b1) @ W2 + b2
    return float(np.mean(np.logaddexp(0.0, z) - XOR_Y * z))


def test_cross_entropy_hidden():
    W1, b1, W2, b2 = (np.asarray(TWIN[k], dtype=float) for k in ("W1", "b1", "W2", "b2"))
    end = xor_ce(W1, b1, W2, b2)
    twin = xor_ce(W1[::-1], b1[::-1], W2[::-1], b2)
    mid = xor_ce((W1 + W1[::-1]) / 2, (b1 + b1[::-1]) / 2, (W2 + W2[::-1]) / 2, b2)
    v = values("cross-entropy-hidden", "twins")
    assert v["loss_a"] == pytest.approx(end) and v["loss_b"] == pytest.approx(twin) and twin == pytest.approx(end)
    assert v["midpoint_loss"] == pytest.approx(mid)
    assert round(end, 4) == 0.0055 and round(mid, 2) == 2.82  # the numbers of the issue and the explanation
    assert 400 < mid / end < 600  # "five hundred times more"
    # the logit: ℓ'' = σ(1 − σ) > 0, largest at z = 0 where it is ¼
    logit = values("cross-entropy-hidden", "logit")
    assert logit["convex"] is True
    z = np.asarray(logit["t"])
    assert np.allclose(logit["loss"], np.logaddexp(0.0, z) - z)
    assert float(np.interp(0.0, z, logit["curvature"])) == pytest.approx(0.25, abs=1e-3)
    # along one weight, second differences of the loss computed here
    w = np.linspace(-20, 20, 401)

    def along(k: int) -> np.ndarray:
        out = []
        for x in w:
            th = np.concatenate([W1.ravel(), b1, W2, [b2]])
            th[k] = x
            out.append(xor_ce(th[:4].reshape(2, 2), th[4:6], th[6:8], th[8]))
        return np.asarray(out)

    out_w, in_w = along(6), along(0)
    assert np.all(np.diff(out_w, 2) >= -1e-12)  # linear in the logit: convex
    assert np.min(np.diff(in_w, 2)) < -1e-6  # through a sigmoid: bends the other way somewhere
    assert values("cross-entropy-hidden", "along-output")["convex"] is True
    inc = values("cross-entropy-hidden", "along-incoming")
    assert inc["convex"] is False and np.allclose(inc["loss"], in_w)


# ------------------------------------------------------------------ edge-of-stability


class TanhNet:
    """2-H-1, tanh hidden units, linear output, mean squared error; θ = [W1 rows, b1, W2, b2]."""

    def __init__(self, X: np.ndarray, y: np.ndarray, H: int):
        self.X, self.y, self.H = X, y, H

    def split(self, th):
        H = self.H
        return th[: 2 * H].reshape(H, 2), th[2 * H : 3 * H], th[3 * H : 4 * H], th[4 * H]

    def loss_grad(self, th):
        W1, b1, W2, b2 = self.split(th)
        h = np.tanh(self.X @ W1.T + b1)
        r = h @ W2 + b2 - self.y
        N = len(self.y)
        d = 2 * r / N
        dh = np.outer(d, W2) * (1 - h * h)
        g = np.concatenate([(dh.T @ self.X).ravel(), dh.sum(0), h.T @ d, [d.sum()]])
        return float(np.mean(r * r)), g

    def sharpness(self, th, eps=1e-5):
        d = len(th)
        Hm = np.empty((d, d))
        for i in range(d):
            e = np.zeros(d)
            e[i] = eps
            Hm[i] = (self.loss_grad(th + e)[1] - self.loss_grad(th - e)[1]) / (2 * eps)
        return float(np.linalg.eigvalsh((Hm + Hm.T) / 2)[-1])


@pytest.mark.parametrize("exp, lr", [("small", 0.05), ("large", 0.4)])
def test_edge_of_stability(exp, lr):
    X, y, th = inputs("edge-of-stability", exp)
    net = TanhNet(X, y, 16)
    v = values("edge-of-stability", exp)
    losses, sharp = [], {}
    for t in range(1501):
        L, g = net.loss_grad(th)
        losses.append(L)
        if t % 250 == 0 or t == 1500:
            sharp[t] = net.sharpness(th)
        th = th - lr * g
    losses = np.asarray(losses)
    assert v["threshold"] == pytest.approx(2 / lr)
    assert np.allclose(v["loss"][:300], losses[:300], rtol=1e-6)
    steps = list(v["steps"])
    for t, lam in sharp.items():
        assert v["sharpness"][steps.index(t)] == pytest.approx(lam, rel=1e-3), t
    rising = int(np.sum(np.diff(losses) > 0))
    if lr == 0.05:
        # progressive sharpening, far below 2/η = 40, and the loss never rises
        assert rising == v["rising_steps"] == 0
        assert sharp[0] < sharp[750] < sharp[1500] < 0.25 * 2 / lr
    else:
        # the sharpness reaches 2/η = 5 and ends just below it; the loss rises on ~600 steps, falls overall
        assert 0.95 * 2 / lr < sharp[1500] < 2 / lr and max(sharp.values()) >= 2 / lr
        assert abs(rising - v["rising_steps"]) <= 10 and 550 <= rising <= 650
        assert losses[-1] < 0.05 * losses[0]
        assert 1 - lr * sharp[1500] == pytest.approx(-0.99, abs=0.02)  # the factor of question 'factor'
        assert v["sharpness"][-1] > 0.85 * v["threshold"] and not v["diverged"]  # the predicted choice


# ------------------------------------------------------------------ minima-are-connected


class SigmoidOutNet:
    """2-H-1, tanh hidden units, a sigmoid output, mean cross-entropy; θ = [W1 rows, b1, W2, b2]."""

    def __init__(self, X: np.ndarray, y: np.ndarray, H: int):
        self.X, self.y, self.H = X, y, H

    def split(self, th):
        H = self.H
        return th[..., : 2 * H].reshape(th.shape[:-1] + (H, 2)), th[..., 2 * H : 3 * H], th[..., 3 * H : 4 * H], th[..., 4 * H]

    def loss_grad(self, th):
        W1, b1, W2, b2 = self.split(th)
        h = np.tanh(self.X @ W1.T + b1)
        z = h @ W2 + b2
        N = len(self.y)
        d = (sigmoid(z) - self.y) / N
        dh = np.outer(d, W2) * (1 - h * h)
        g = np.concatenate([(dh.T @ self.X).ravel(), dh.sum(0), h.T @ d, [d.sum()]])
        return float(np.mean(np.logaddexp(0.0, z) - self.y * z)), g

    def start(self, seed: int) -> np.ndarray:
        """LeCun's normal start: N(0, 1/fan_in) weights, zero biases, W1 drawn before W2."""
        rng = np.random.default_rng(seed)
        H = self.H
        th = np.zeros(4 * H + 1)
        th[: 2 * H] = rng.normal(0.0, 1 / np.sqrt(2), 2 * H)
        th[3 * H : 4 * H] = rng.normal(0.0, 1 / np.sqrt(H), H)
        return th

    def train(self, seed: int, lr: float = 0.5, steps: int = 1000) -> np.ndarray:
        th = self.start(seed)
        for _ in range(steps):
            th = th - lr * self.loss_grad(th)[1]
        return th


def chord_barrier(losses: np.ndarray) -> float:
    t = np.linspace(0, 1, len(losses))
    return float(np.max(losses - ((1 - t) * losses[0] + t * losses[-1])))


def test_minima_are_connected():
    X, y, _ = inputs("minima-are-connected", "paths")
    net = SigmoidOutNet(X, y, 16)
    a, b = net.train(1), net.train(2)
    t = np.linspace(0, 1, 41)
    line = np.array([net.loss_grad((1 - s) * a + s * b)[0] for s in t])
    v = values("minima-are-connected", "paths")
    assert v["loss_a"] == pytest.approx(line[0], rel=1e-6) and v["loss_b"] == pytest.approx(line[-1], rel=1e-6)
    assert np.allclose(v["line_loss"], line, rtol=1e-6)
    assert v["line_barrier"] == pytest.approx(chord_barrier(line), rel=1e-6)
    assert chord_barrier(line) / line[0] == pytest.approx(20, rel=0.05)  # "about 20 times"
    # a bend trained here, by plain gradient descent on a fixed grid of t (not Adam on random t):
    # the curve's barrier is almost none, below a tenth of the line's, as the tool's is
    m = (a + b) / 2
    ts = np.linspace(0.05, 0.95, 19)
    for _ in range(300):
        g = np.mean([2 * s * (1 - s) * net.loss_grad((1 - s) ** 2 * a + 2 * s * (1 - s) * m + s * s * b)[1] for s in ts], axis=0)
        m = m - 0.5 * g
    curve = np.array([net.loss_grad((1 - s) ** 2 * a + 2 * s * (1 - s) * m + s * s * b)[0] for s in t])
    assert chord_barrier(curve) < 0.1 * chord_barrier(line)
    assert v["curve_barrier"] < 0.1 * v["line_barrier"] and v["curve_barrier"] < 0.01
    # alignment: reorder and flip b's units to match a's (one assignment on incoming and outgoing
    # weights of each unit, a flip of tanh unit = negate W1 row, b1, W2 entry), then the line again
    from scipy.optimize import linear_sum_assignment

    def units(th):
        W1, b1, W2, _ = net.split(th)
        return np.column_stack([W1, b1, W2])

    ua, ub = units(a), units(b)
    score = np.maximum(ua @ ub.T, ua @ (-ub).T)
    _, cols = linear_sum_assignment(-score)
    flip = np.where((ua * ub[cols]).sum(1) < 0, -1.0, 1.0)
    W1, b1, W2, b2 = net.split(b)
    b_al = np.concatenate([(W1[cols] * flip[:, None]).ravel(), b1[cols] * flip, W2[cols] * flip, [b2]])
    assert net.loss_grad(b_al)[0] == pytest.approx(line[-1], rel=1e-9)  # the same function
    al = values("minima-are-connected", "aligned")
    mine = chord_barrier(np.array([net.loss_grad((1 - s) * a + s * b_al)[0] for s in t]))
    assert 0.01 <= al["line_barrier"] < 0.45 and 0.01 <= mine < 0.45  # "lower, but clearly there", about 0.2
    assert al["line_barrier"] == pytest.approx(0.2, abs=0.01) and al["distance"] == pytest.approx(10.5, abs=0.1)
    assert v["line_barrier"] == pytest.approx(0.51, abs=0.005)  # "about 0.51 before"


# ------------------------------------------------------------------ flat-and-sharp

RELU_X = np.array([-2, -1, -0.5, 0.5, 1.5, 2, 3], dtype=float)


def relu_net(alpha: float):
    """The lesson's network with every unit rescaled: incoming weights and bias × α, outgoing × 1/α."""
    W1, b1, W2 = np.array([1.0, -1.0, 1.0]) * alpha, np.array([0.0, 0.0, -1.0]) * alpha, np.array([1.0, 1.0, -2.0]) / alpha
    return W1, b1, W2, 0.0


def relu_out(net, x):
    W1, b1, W2, b2 = net
    return np.maximum(np.outer(x, W1) + b1, 0) @ W2 + b2


def gauss_newton(net) -> np.ndarray:
    """At zero loss the Hessian of the mean squared error is (2/N)·Σ ∇f ∇fᵀ; ∇f over θ = [W1, b1, W2, b2]."""
    W1, b1, W2, _ = net
    z = np.outer(RELU_X, W1) + b1
    on = (z > 0).astype(float)
    J = np.column_stack([W2 * on * RELU_X[:, None], W2 * on, np.maximum(z, 0), np.ones(len(RELU_X))])
    return 2 / len(RELU_X) * J.T @ J


def test_flat_and_sharp():
    y = np.array([2, 1, 0.5, 0.5, 0.5, 0, -1])
    flat, sharp = relu_net(1.0), relu_net(0.25)
    assert np.array_equal(relu_out(flat, RELU_X), y) and np.array_equal(relu_out(sharp, RELU_X), y)  # loss 0, exactly
    grid = np.linspace(-10, 10, 2001)
    assert np.allclose(relu_out(flat, grid), relu_out(sharp, grid))  # the same function on every input
    eig_flat, eig_sharp = np.linalg.eigvalsh(gauss_newton(flat))[::-1], np.linalg.eigvalsh(gauss_newton(sharp))[::-1]
    f, s = values("flat-and-sharp", "flat"), values("flat-and-sharp", "sharp")
    assert f["eigenvalues"] == pytest.approx(eig_flat, abs=1e-9) and s["eigenvalues"] == pytest.approx(eig_sharp, abs=1e-9)
    assert round(eig_flat[0], 2) == 32.52 and round(eig_sharp[0]) == 415 and round(eig_sharp[0] / eig_flat[0]) in (12, 13)
    assert int(np.sum(np.abs(eig_flat) < 1e-9)) >= 2  # "several eigenvalues are exactly 0"
    # the diagonal entries: incoming weights × 16, outgoing × 1/16 (question 'diagonal')
    gf, gs = np.diag(gauss_newton(flat)), np.diag(gauss_newton(sharp))
    assert gs[:3] == pytest.approx(16 * gf[:3]) and gs[6:9] == pytest.approx(gf[6:9] / 16)
    # smaller α, sharper still: without bound
    assert np.linalg.eigvalsh(gauss_newton(relu_net(1 / 16)))[-1] > 10 * eig_sharp[0]
    same = values("flat-and-sharp", "same")
    assert same["max_output_diff"] == 0 and same["loss_a"] == 0 and same["loss_b"] == 0
    mid = tuple((np.asarray(a) + np.asarray(b)) / 2 for a, b in zip(flat, sharp))
    assert same["midpoint_loss"] == pytest.approx(np.mean((relu_out(mid, RELU_X) - y) ** 2))
    assert same["midpoint_loss"] > 0.3  # "the line between them rises"
    # question 'largest-step': 2/λ_max at the rescaled network, and the original's 0.061 in its explanation
    eig = np.linalg.eigvalsh(gauss_newton(relu_net(0.25)))[-1]
    assert 2 / eig == pytest.approx(0.0048, abs=5e-5) and 2 / np.linalg.eigvalsh(gauss_newton(relu_net(1.0)))[-1] == pytest.approx(0.061, abs=5e-4)


# ------------------------------------------------------------------ deep-linear


def product_descent(depth: int, w0: float = 0.05, lr: float = 0.1, steps: int = 1500) -> np.ndarray:
    w = np.full(depth, w0)
    out = []
    for _ in range(steps + 1):
        p = np.prod(w)
        out.append((1 - p) ** 2)
        w = w - lr * np.array([-2 * (1 - p) * np.prod(np.delete(w, i)) for i in range(depth)])
    return np.asarray(out)


def product_hessian(w: np.ndarray, eps: float = 1e-4) -> np.ndarray:
    """Second differences of (1 − Πw)², written here."""
    def L(v):
        return (1 - np.prod(v)) ** 2

    d = len(w)
    H = np.empty((d, d))
    E = np.eye(d) * eps
    for i in range(d):
        for j in range(d):
            H[i, j] = (L(w + E[i] + E[j]) - L(w + E[i] - E[j]) - L(w - E[i] + E[j]) + L(w - E[i] - E[j])) / (4 * eps * eps)
    return H


def test_deep_linear():
    crit = values("deep-linear", "critical")
    for p in crit["points"]:
        w = np.asarray(p["theta"])
        # ∇L = −2(1 − Πw)·(Π of the others) = 0 ⇒ Πw = 1 (loss 0) or two weights 0 (Πw = 0, loss 1)
        assert p["loss"] == pytest.approx((1 - np.prod(w)) ** 2, abs=1e-12)
        assert min(abs(p["loss"]), abs(p["loss"] - 1)) < 1e-9
        if p["loss"] < 1e-9:
            eig = np.linalg.eigvalsh(product_hessian(w))
            assert int(np.sum(np.abs(eig) < 1e-4)) == 2 == p["zero_eigenvalues"] and eig.min() > -1e-4
            assert p["kind"] == "degenerate"
    assert crit["counts"]["minimum"] == 0 and crit["counts"]["maximum"] == 0
    three, four = product_descent(3), product_descent(4)
    d3, d4 = values("deep-linear", "deep3"), values("deep-linear", "deep4")
    assert np.allclose(d3["losses"], three, atol=1e-12) and np.allclose(d4["losses"], four, atol=1e-12)
    # the plateaus: take-off near 1/(2ηw₀) = 100 steps at depth 3, 1/(4ηw₀²) = 1000 at depth 4
    assert int(np.argmax(three < 0.5)) == 97 and abs(np.argmax(three < 0.5) - 1 / (2 * 0.1 * 0.05)) <= 5
    assert abs(np.argmax(four < 0.5) - 1 / (4 * 0.1 * 0.05**2)) <= 10
    assert four[500] > 0.9 and d4["losses"][500] > 0.9  # the predicted choice: still on the plateau
    assert three[-1] < 1e-12 and four[-1] < 1e-12
    origin = values("deep-linear", "origin")["points"][0]
    assert np.allclose(product_hessian(np.zeros(4)), 0, atol=1e-6) and origin["zero_eigenvalues"] == 4
    assert origin["loss"] == 1.0


# ------------------------------------------------------------------ iris-landscape


class IrisNet:
    """4-8-3, tanh, softmax, mean cross-entropy; θ = [W1 (8×4) rows, b1, W2 (3×8) rows, b2]."""

    def __init__(self, X: np.ndarray, y: np.ndarray):
        self.X, self.Y = X, np.eye(3)[y.astype(int)]

    @staticmethod
    def split(th):
        return th[..., :32].reshape(th.shape[:-1] + (8, 4)), th[..., 32:40], th[..., 40:64].reshape(th.shape[:-1] + (3, 8)), th[..., 64:67]

    def loss(self, th):
        W1, b1, W2, b2 = self.split(th)
        h = np.tanh(np.einsum("...hi,ni->...nh", W1, self.X) + b1[..., None, :])
        z = np.einsum("...nh,...ch->...nc", h, W2) + b2[..., None, :]
        m = z.max(-1, keepdims=True)
        lse = m[..., 0] + np.log(np.exp(z - m).sum(-1))
        return (lse - (z * self.Y).sum(-1)).mean(-1)

    def grad(self, th):
        W1, b1, W2, b2 = self.split(th)
        h = np.tanh(self.X @ W1.T + b1)
        z = h @ W2.T + b2
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        d = (p - self.Y) / len(self.X)
        dh = d @ W2 * (1 - h * h)
        return np.concatenate([(dh.T @ self.X).ravel(), dh.sum(0), (d.T @ h).ravel(), d.sum(0)])

    def start(self, seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        th = np.zeros(67)
        th[:32] = rng.normal(0.0, 1 / 2, 32)  # fan_in 4
        th[40:64] = rng.normal(0.0, 1 / np.sqrt(8), 24)
        return th


@functools.lru_cache(maxsize=1)
def trained_iris() -> tuple[IrisNet, np.ndarray, np.ndarray]:
    """The lesson's network after 2000 steps of η = 0.5 from seed 0 (written out here), and the
    eigenvalues of its Hessian by central differences of the gradient, largest first."""
    from tutor.experiments.nets.data import iris

    X, y = iris()
    net = IrisNet(X, y)
    th = net.start(0)
    for _ in range(2000):
        th = th - 0.5 * net.grad(th)
    eps = 1e-5
    H = np.array([(net.grad(th + eps * e) - net.grad(th - eps * e)) / (2 * eps) for e in np.eye(67)])
    return net, th, np.linalg.eigvalsh((H + H.T) / 2)[::-1]


def test_iris_landscape():
    net, th, ev = trained_iris()
    tol = 1e-3 * ev[0]
    flat, negative = int(np.sum(np.abs(ev) <= tol)), int(np.sum(ev < -tol))
    v = values("iris-landscape", "hessian")
    assert v["loss"] == pytest.approx(float(net.loss(th)), rel=1e-9)
    assert v["eigenvalues"] == pytest.approx(ev[:5], rel=1e-5, abs=1e-7) and v["smallest"] == pytest.approx(ev[-1], abs=1e-6)
    assert (v["flat"], v["negative"], v["parameters"]) == (flat, negative, 67)
    # what the lesson says: most flat (over 40; the fraction about 0.72), a few negative, about −0.003 against 1.2
    assert flat > 40 and flat / 67 == pytest.approx(0.72, abs=0.01) and 0 < negative <= 5
    assert ev[0] / ev[1] == pytest.approx(4.9, abs=0.2) and round(ev[0], 2) == 1.21 and round(ev[2], 2) == 0.09
    assert ev[2] > 5 * ev[3]  # the top three stand apart from the bulk
    assert round(ev[-1], 3) == -0.003 and 300 < ev[0] / -ev[-1] < 500  # "about 400 times slower"
    # the plane: filter-normalised Gaussian directions (Li et al. 2018), the loss over the grid by hand
    rng = np.random.default_rng(0)
    D = rng.normal(size=(2, 67))
    units = [list(range(4 * k, 4 * k + 4)) + [32 + k] for k in range(8)] + [list(range(40 + 8 * c, 48 + 8 * c)) + [64 + c] for c in range(3)]
    for u in units:
        D[:, u] *= np.linalg.norm(th[u]) / np.linalg.norm(D[:, u], axis=1)[:, None]
    s = np.linspace(-1, 1, 41)
    A, B = np.meshgrid(s, s, indexing="xy")
    Z = net.loss(th + A[..., None] * D[0] + B[..., None] * D[1])
    plane = values("iris-landscape", "plane")
    assert np.allclose(plane["loss"], Z, rtol=1e-8)
    inner = Z[1:-1, 1:-1]
    lower = np.ones_like(inner, dtype=bool)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if dr or dc:
                lower &= inner < Z[1 + dr : 40 + dr, 1 + dc : 40 + dc]
    assert int(lower.sum()) == len(plane["minima"]) == 1 and lower[19, 19]  # one basin, at the trained network
