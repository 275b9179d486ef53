"""Data sets for the networks: Fisher's Iris (shipped, see README.md beside this file), a seeded
two-moons generator, and a teacher network whose outputs a student net is trained to fit."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

IRIS_CLASSES = ("setosa", "versicolor", "virginica")
IRIS_FEATURES = ("sepal length", "sepal width", "petal length", "petal width")


@lru_cache(maxsize=1)
def _iris_raw() -> tuple[np.ndarray, np.ndarray]:
    text = resources.files("tutor.experiments.nets").joinpath("iris.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines()[1:] if line.strip()]
    X = np.array([[float(v) for v in r[:4]] for r in rows])
    y = np.array([IRIS_CLASSES.index(r[4].strip()) for r in rows])
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def iris(standardize: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Fisher's Iris: X (150, 4) in cm, or as z-scores (each column mean 0, standard deviation 1)
    when ``standardize``; y the class ids 0, 1, 2 (setosa, versicolor, virginica)."""
    X, y = _iris_raw()
    X = X.copy()
    if standardize:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y.copy()


def moons(points: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles (scikit-learn's ``make_moons`` construction): class 0 on
    (cos t, sin t), class 1 on (1 − cos t, ½ − sin t), t ∈ [0, π], plus Gaussian noise."""
    n0 = points // 2
    n1 = points - n0
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    X = np.vstack([np.column_stack([np.cos(t0), np.sin(t0)]), np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])])
    y = np.concatenate([np.zeros(n0, dtype=int), np.ones(n1, dtype=int)])
    rng = np.random.default_rng(seed)
    if noise > 0:
        X = X + rng.normal(0.0, noise, size=X.shape)
    return X, y


def teacher(inputs: int, hidden: int, points: int, seed: int, activation: str, weight_scale: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Inputs uniform in [−1, 1]^inputs and the outputs of a random one-hidden-layer network
    (weights N(0, weight_scale²) into the hidden layer, N(0, 1) out of it) with this activation."""
    from tutor.experiments.nets.mlp import activation_fn

    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(points, inputs))
    W1 = rng.normal(size=(hidden, inputs)) * weight_scale
    b1 = rng.normal(size=hidden)
    W2 = rng.normal(size=hidden)
    return X, activation_fn(activation)(X @ W1.T + b1) @ W2
