"""The ``mlp`` problem beyond one small hidden layer: several hidden layers, deep linear networks,
softmax outputs, the Iris and two-moons data. The numerics are ``tutor.experiments.nets.mlp.Net``
(exact Hessian-vector products); this class gives it the Problem interface the tools use.

``registry.make("mlp", …)`` builds the one-hidden-layer ``MLP`` (with its fast kernel and its
symmetries) when it can, and this class otherwise; ``net_of`` gives a ``Net`` for either."""

from __future__ import annotations

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.problems import MAX_NET_PARAMS, MAX_NET_WORK, IrisData, MLPOptions, MoonsData, PointsData, WeightsOptions
from tutor.experiments.nets import data as D
from tutor.experiments.nets.mlp import Net, sigmoid
from tutor.experiments.problems.base import Problem, _rows
from tutor.experiments.problems.mlp import XOR_X, XOR_Y

DENSE_HESSIAN_MAX = 1500  # parameters up to which tools may build the dense Hessian


def needs_deep(o: MLPOptions) -> bool:
    """Whether the options go beyond what the one-hidden-layer ``MLP`` class computes."""
    simple_data = o.data == "xor" or isinstance(o.data, PointsData) or hasattr(o.data, "teacher")
    return len(o.layers) > 1 or o.activation == "linear" or o.output == "softmax" or not simple_data


def dataset(o: MLPOptions) -> tuple[np.ndarray, np.ndarray]:
    """The inputs and targets the options name (class ids for iris and moons)."""
    d = o.data
    if d == "xor":
        return XOR_X.copy(), XOR_Y.copy()
    if d == "iris" or isinstance(d, IrisData):
        return D.iris(standardize=d.iris.standardize if isinstance(d, IrisData) else True)
    if d == "moons" or isinstance(d, MoonsData):
        m = d.moons if isinstance(d, MoonsData) else None
        return D.moons(m.points, m.noise, m.seed) if m else D.moons()
    if isinstance(d, PointsData):
        X = _rows(d.points.x)
        y = np.asarray(d.points.y, dtype=float)
        if len(y) != X.shape[0]:
            raise ExperimentError(f"mlp: data has {X.shape[0]} inputs but {len(y)} targets")
        return X, y
    t = d.teacher
    X, y = D.teacher(t.inputs, t.hidden, t.points, t.seed, "linear" if o.activation == "linear" else o.activation)
    return X, (sigmoid(y) if o.output == "sigmoid" else y)


def build_net(o: MLPOptions) -> Net:
    X, y = dataset(o)
    if o.output == "softmax" and (np.asarray(y) % 1 != 0).any():
        raise ExperimentError("mlp: a softmax output needs class ids 0, 1, 2, … as targets")
    if o.output == "sigmoid" and o.loss == "cross-entropy" and ((y < 0) | (y > 1)).any():
        raise ExperimentError("mlp: cross-entropy with a sigmoid output needs targets between 0 and 1")
    try:
        net = Net(X, y, o.layers, o.activation, o.output, o.loss, o.bias)
    except ValueError as exc:
        raise ExperimentError(f"mlp: {exc}") from None
    if net.dim > MAX_NET_PARAMS:
        raise ExperimentError(f"mlp: {net.dim:,} parameters; at most {MAX_NET_PARAMS:,}")
    if net.dim * net.N > MAX_NET_WORK:
        raise ExperimentError(f"mlp: {net.dim:,} parameters × {net.N:,} examples is more work than allowed ({MAX_NET_WORK:,}); "
                              "use fewer examples or a smaller network")
    return net


class DeepMLP(Problem):
    """A network of any depth (``tutor.experiments.nets.mlp.Net``), as a Problem."""

    name = "mlp"

    def __init__(self, o: MLPOptions):
        self.o = o
        self.net = build_net(o)
        self.dim = self.net.dim
        self.labels = self.net.labels
        self.theta0 = self._flatten(o.weights) if o.weights else self.net.init(np.random.default_rng(o.init.seed), scale=o.init.scale)

    def _flatten(self, w: WeightsOptions) -> np.ndarray:
        """Given weights of a network with one hidden layer: W2 is one row per output (or one list
        when there is a single output), b2 one number per output."""
        I, H, C = self.net.sizes
        W1 = np.asarray(w.W1, dtype=float)
        W2 = np.asarray(w.W2, dtype=float).reshape(C, -1) if np.size(w.W2) == C * H else None
        if W1.shape != (H, I) or W2 is None or W2.shape != (C, H):
            raise ExperimentError(f"mlp: weights must have W1 {H}×{I} (rows are hidden units) and W2 {C}×{H} (rows are outputs)")
        layers: list[tuple[np.ndarray, np.ndarray | None]] = [(W1, None), (W2, None)]
        if self.net.bias:
            b1 = np.zeros(H) if w.b1 is None else np.asarray(w.b1, dtype=float).reshape(-1)
            b2 = np.zeros(C) if w.b2 is None else np.asarray(w.b2, dtype=float).reshape(-1)
            if b1.shape != (H,) or b2.shape != (C,):
                raise ExperimentError(f"mlp: b1 must have {H} numbers and b2 {C}")
            layers = [(W1, b1), (W2, b2)]
        elif w.b1 is not None or w.b2 is not None:
            raise ExperimentError("mlp: biases given but bias: false")
        return self.net.pack(layers)

    def loss(self, T):
        return self.net.loss(np.asarray(T, dtype=float))

    def grad(self, T):
        return self.net.grad(np.asarray(T, dtype=float))

    def loss_and_grad(self, T):
        return self.net.loss_and_grad(np.asarray(T, dtype=float))

    def hvp(self, theta: np.ndarray, V: np.ndarray) -> np.ndarray:
        return self.net.hvp(theta, V)

    def hess(self, T):
        T = np.asarray(T, dtype=float)
        if self.dim > DENSE_HESSIAN_MAX:
            raise ExperimentError(f"the dense Hessian of {self.dim:,} parameters is too big (at most {DENSE_HESSIAN_MAX:,}); "
                                  "the spectrum tool reaches its eigenvalues by Lanczos")
        flat = T.reshape(-1, self.dim)
        return np.stack([self.net.hessian(t) for t in flat]).reshape(T.shape + (self.dim,))

    def default_point(self):
        return self.theta0.copy()

    def predict(self, T, X=None):
        return self.net.predict(np.asarray(T, dtype=float), X)


def net_of(problem: Problem) -> Net:
    """The ``Net`` of an ``mlp`` problem, whichever class built it."""
    net = getattr(problem, "net", None)
    if isinstance(net, Net):
        return net
    o = getattr(problem, "o", None)
    if isinstance(o, MLPOptions):
        net = build_net(o)
        problem.net = net  # type: ignore[attr-defined]
        return net
    raise ExperimentError(f"this tool works on an mlp problem, not {problem.name}")
