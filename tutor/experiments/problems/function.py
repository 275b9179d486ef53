"""Any formula in a few variables, through the tutor's safe expression evaluator."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from tutor.core.errors import ExperimentError
from tutor.core.lab_schema.problems import FunctionOptions
from tutor.experiments.problems.base import CSTEP, Problem, sigmoid
from tutor.experiments.registry import problem


@problem(FunctionOptions)
class Function(Problem):
    """Any formula in a few variables, e.g. x²/2 + y⁴/4 − y²/2. Gradient by complex step (exact);
    Hessian by central differences of that gradient (error about 1e-10)."""


    def __init__(self, o: FunctionOptions):
        from tutor.core.errors import ExpressionError
        from tutor.core.expr import Expression

        self.vars = list(o.vars)
        self.dim = len(self.vars)
        self.labels = self.vars
        try:
            self.expr = Expression(o.expr, variables=tuple(self.vars), functions=ARRAY_FUNCTIONS, constants={"pi": math.pi, "e": math.e})
        except ExpressionError as exc:
            raise ExperimentError(f"function: {exc}") from None
        self._steps = 1j * CSTEP * np.eye(self.dim)  # one imaginary step along each variable

    holomorphic = False  # the gradient is itself a complex step

    def _eval(self, T):
        from tutor.core.errors import ExpressionError

        T = np.asarray(T)
        with np.errstate(all="ignore"):
            try:
                v = self.expr.value(**{name: T[..., i] for i, name in enumerate(self.vars)})
            except ExpressionError as exc:
                raise ExperimentError(f"function: {exc}") from None
        return np.broadcast_to(v, T.shape[:-1]) if np.ndim(v) < T.ndim - 1 or np.isscalar(v) else v

    def loss(self, T):
        return np.real(self._eval(np.asarray(T, dtype=float))).astype(float)

    def grad(self, T):
        T = np.asarray(T, dtype=float)
        Tc = T[..., None, :] + self._steps
        return self._eval(Tc).imag / CSTEP

    def hess(self, T):
        T = np.asarray(T, dtype=float)
        h = 1e-5 * np.maximum(1.0, np.abs(T))
        cols = []
        for j in range(self.dim):
            e = np.zeros(self.dim)
            e[j] = 1.0
            hj = h[..., j : j + 1]
            cols.append((self.grad(T + hj * e) - self.grad(T - hj * e)) / (2 * hj))
        H = np.stack(cols, axis=-2)
        return 0.5 * (H + np.swapaxes(H, -1, -2))


def _abs(x):
    return x * np.sign(np.real(x))


ARRAY_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sqrt": np.sqrt,
    "ln": np.log,
    "log": np.log,
    "exp": np.exp,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "tanh": np.tanh,
    "atan": np.arctan,
    "abs": _abs,
    "sigmoid": sigmoid,
}
