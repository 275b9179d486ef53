"""The problems a lesson can name (``problem: {name: ..., options}``) and their options; each states
what one evaluation costs at one point (``size()``, in the units of ``cost.py``), from the options
alone: the work budget multiplies these by the tools' counts."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from tutor.core.lab_schema.base import Num, Opts, Rows, Seed, Vector, problem
from tutor.core.lab_schema.cost import Size, Work, calls, compiled_step

X_DOC = "inputs: one number per example, or one list of numbers per example (all the same length)"


def check_examples(x: list[float] | list[list[float]], y: list[Any]) -> None:
    """x and y describe the same examples: as many rows as targets, every row the same length."""
    rows = [len(r) if isinstance(r, list) else None for r in x]
    if len(set(rows)) > 1:
        if None in rows:
            raise ValueError("x mixes numbers and lists: give one number per example, or one list of inputs per example")
        k = next(i for i, n in enumerate(rows) if n != rows[0])
        raise ValueError(f"x is ragged: row {k + 1} has {rows[k]} input{'s' * (rows[k] != 1)} but row 1 has {rows[0]}; every example needs the same number of inputs")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} examples but y has {len(y)} targets; give one target per example")


def features(x: list[float] | list[list[float]]) -> int:
    """The number of inputs per example."""
    return len(x[0]) if x and isinstance(x[0], list) else 1


@problem("output-square", "(t − w²)²: a parabola in the output w², a double well in the weight w")
class OutputSquareOptions(Opts):
    target: Num = Field(1.0, description="the target t")

    def size(self) -> Size:
        return Size(1, calls(1), calls(2), calls(1), calls(3), 4, 4, "")


@problem("linear-regression", "mean((Xw + b − y)²): least squares, convex, with Hessian 2XᵀX/N")
class LinearRegressionOptions(Opts):
    x: Rows = Field(description=X_DOC)
    y: Annotated[list[Num], Field(min_length=1, max_length=2000)] = Field(description="targets, one per example")
    bias: bool = Field(True, description="add a bias b (the last parameter)")
    loss: Literal["mse"] = Field("mse", description="mean squared error")

    @model_validator(mode="after")
    def _same_examples(self) -> LinearRegressionOptions:
        check_examples(self.x, self.y)
        return self

    def size(self) -> Size:
        n, f = len(self.y), features(self.x) + int(self.bias)
        return Size(f, Work(4, 3 * n * f), Work(3, 6 * n * f), Work(3, f * f), Work(7, 6 * n * f), 3 * n + f, n + 2 * f * f,
                    f"examples ({n}) or inputs ({f - int(self.bias)})", curv="complex" if f > 16 else "hess")


@problem("logistic", "σ(Xw + b) against 0/1 targets, with squared error (not convex) or cross-entropy (convex)")
class LogisticOptions(Opts):
    x: Rows = Field(description=X_DOC)
    y: Annotated[list[Annotated[float, Field(ge=0, le=1)]], Field(min_length=1, max_length=2000)] = Field(
        description="targets between 0 and 1, one per example")
    bias: bool = Field(False, description="add a bias b (the last parameter)")
    loss: Literal["mse", "cross-entropy"] = Field("cross-entropy", description="the loss of each example")
    reduction: Literal["mean", "sum"] = Field("mean", description="average or add the examples' losses")

    @model_validator(mode="after")
    def _same_examples(self) -> LogisticOptions:
        check_examples(self.x, self.y)
        return self

    def size(self) -> Size:
        n, f = len(self.y), features(self.x) + int(self.bias)
        return Size(f, Work(4, 15 * n * f), Work(7, 20 * n * f), Work(8, 10 * n * f * f), Work(10, 20 * n * f), 3 * n + f, n + 2 * f * f,
                    f"examples ({n}) or inputs ({f - int(self.bias)})", curv="complex" if f > 16 else "hess",
                    compiled=compiled_step(n, n, f) if census_compiled() else None)  # a network without a hidden layer


@problem("softmax", "multinomial logistic regression: cross-entropy of softmax(Wx + b), θ = W row by row")
class SoftmaxOptions(Opts):
    x: Rows = Field(description=X_DOC)
    y: Annotated[list[Annotated[int, Field(ge=0, le=31)]], Field(min_length=1, max_length=2000)] = Field(
        description="class ids 0, 1, …, one per example")
    classes: int | None = Field(None, ge=2, le=32, description="number of classes; default: the largest class id + 1")
    bias: bool = Field(False, description="add a bias input (a column of ones)")

    @model_validator(mode="after")
    def _same_examples(self) -> SoftmaxOptions:
        check_examples(self.x, self.y)
        if self.classes is not None and max(self.y) >= self.classes:
            raise ValueError(f"y has class id {max(self.y)} but classes = {self.classes} (ids are 0 to {self.classes - 1})")
        return self

    def size(self) -> Size:
        n, f = len(self.y), features(self.x) + int(self.bias)
        c = self.classes or max(self.y) + 1
        d = c * f
        # measured: the exponentials of the N × C logits cost more than the N × C × F products
        per = 20 * n * c + 2 * n * d
        return Size(d, Work(10, per), Work(9, per), Work(13, 3 * n * d * d), Work(19, per), 4 * n * c + d, 3 * n * c * c + 2 * d * d,
                    f"examples ({n}), inputs ({f - int(self.bias)}) or classes ({c})", curv="complex" if d > 16 else "hess")


class PointsOptions(Opts):
    x: Rows = Field(description=X_DOC)
    y: Annotated[list[Num], Field(min_length=1, max_length=2000)] = Field(description="targets, one per example")

    @model_validator(mode="after")
    def _same_examples(self) -> PointsOptions:
        check_examples(self.x, self.y)
        return self


class TeacherOptions(Opts):
    inputs: int = Field(2, ge=1, le=16, description="inputs of the teacher network")
    hidden: int = Field(2, ge=1, le=16, description="hidden units of the teacher network")
    points: int = Field(20, ge=1, le=2000, description="examples drawn uniformly from [−1, 1]^inputs")
    seed: Seed = 0


class PointsData(Opts):
    points: PointsOptions


class TeacherData(Opts):
    teacher: TeacherOptions


class MoonsOptions(Opts):
    points: int = Field(100, ge=2, le=2000, description="examples, half in each class")
    noise: Annotated[float, Field(ge=0, le=10)] = Field(0.1, description="standard deviation of the Gaussian noise added to each point")
    seed: Seed = 0


class MoonsData(Opts):
    moons: MoonsOptions


class IrisOptions(Opts):
    standardize: bool = Field(True, description="z-scores (each measurement mean 0, standard deviation 1) instead of centimetres")


class IrisData(Opts):
    iris: IrisOptions


class WeightsOptions(Opts):
    W1: list[Vector] = Field(description="incoming weights, one row per hidden unit")
    b1: Vector | None = Field(None, description="hidden biases (default zeros)")
    W2: Vector | list[Vector] = Field(description="outgoing weights, one per hidden unit")
    b2: Num | Vector | None = Field(None, description="output bias (default 0)")

    @model_validator(mode="after")
    def _rows_alike(self) -> WeightsOptions:
        widths = [len(r) for r in self.W1]
        if len(set(widths)) > 1:
            k = next(i for i, n in enumerate(widths) if n != widths[0])
            raise ValueError(f"W1 is ragged: row {k + 1} has {widths[k]} weights but row 1 has {widths[0]}; each hidden unit has one weight per input")
        return self


class NetInitOptions(Opts):
    seed: Seed = 0
    scale: Annotated[float, Field(gt=0, le=100)] = Field(1.0, description="multiplies LeCun's standard deviation 1/√fan_in")


@cache
def census_compiled() -> bool:
    """Whether the census runs its compiled kernel here (tutor.experiments.nets.census: whenever llvmlite is
    installed), without importing it."""
    import importlib.util

    return importlib.util.find_spec("llvmlite") is not None


MAX_NET_PARAMS = 50_000
MAX_NET_WORK = 5_000_000  # parameters × examples: about 15 million multiply-adds per gradient


@problem("mlp", "a network: hidden layers h = act(W h_prev + b), output W·h + b, then the output function")
class MLPOptions(Opts):
    data: Literal["xor", "iris", "moons"] | PointsData | TeacherData | MoonsData | IrisData = Field(
        "xor", description="xor (the four XOR patterns), iris (Fisher's 150 flowers, 3 classes), moons (two half circles), "
        "{points: {x, y}}, {teacher: {inputs, hidden, points, seed}}, {moons: {points, noise, seed}} or {iris: {standardize}}")
    hidden: Annotated[int, Field(ge=1, le=256)] | Annotated[list[Annotated[int, Field(ge=1, le=256)]], Field(min_length=1, max_length=4)] = Field(
        2, description="hidden units: one number, or one per hidden layer ([8, 8])")
    activation: Literal["sigmoid", "tanh", "relu", "linear"] = Field("sigmoid", description="the hidden units' function (linear: a deep linear network)")
    output: Literal["sigmoid", "linear", "softmax"] = Field("sigmoid", description="the output's function (softmax: one output per class)")
    bias: bool = Field(True, description="biases in every layer")
    loss: Literal["half-sse", "mse", "cross-entropy"] = Field("half-sse", description="half the sum of squared errors, their mean, or cross-entropy")
    weights: WeightsOptions | None = Field(None, description="a particular network {W1, b1, W2, b2} with one hidden layer: the default point of the tools")
    init: NetInitOptions = Field(NetInitOptions(), description="the default point when no weights are given, for networks beyond one small "
                                 "hidden layer: LeCun's random start {seed, scale}")

    @property
    def layers(self) -> list[int]:
        return [self.hidden] if isinstance(self.hidden, int) else list(self.hidden)

    @model_validator(mode="after")
    def _consistent(self) -> MLPOptions:
        if self.loss == "cross-entropy" and self.output == "linear":
            raise ValueError("cross-entropy needs output: sigmoid or softmax")
        if self.output == "softmax" and self.loss != "cross-entropy":
            raise ValueError("output: softmax goes with loss: cross-entropy")
        if self.weights is not None and len(self.layers) > 1:
            raise ValueError("weights can be given for one hidden layer only; use the tools' 'at' for deeper networks")
        return self

    def shape(self) -> tuple[int, int, int]:
        """Examples, inputs and outputs of the network's data, from the options alone."""
        d = self.data
        softmax = self.output == "softmax"
        if d == "xor":
            return 4, 2, 1
        if d == "iris" or isinstance(d, IrisData):
            return 150, 4, 3 if softmax else 1
        if d == "moons" or isinstance(d, MoonsData):
            return (d.moons.points if isinstance(d, MoonsData) else 100), 2, 2 if softmax else 1
        if isinstance(d, PointsData):
            ys = d.points.y
            return len(ys), features(d.points.x), (int(max(ys)) + 1 if softmax and max(ys) >= 1 else 1)
        assert isinstance(d, TeacherData)
        return d.teacher.points, d.teacher.inputs, 1

    def size(self) -> Size:
        n, i, c = self.shape()
        fans = [i, *self.layers, c]
        d = sum((a + int(self.bias)) * b for a, b in zip(fans[:-1], fans[1:]))
        knobs = f"hidden ({self.hidden}), examples ({n}) or inputs ({i})"
        # tutor.experiments.nets (every network's curvature and training, and the problem itself beyond one small
        # hidden layer): a forward and a backward pass of matrix products per gradient; at many points at once
        # the products are stacks of small ones, dearer per unit than one point's; Hessian-vector products at
        # one point reuse its forward pass, and the dense Hessian is d of them at once
        layers, units = len(fans) - 1, n * (sum(self.layers) + c)
        macs = 3 * n * d
        hvps = Work(0, 8 * units, macs)
        hvp, train = Work(10 * layers, 2 * units, macs), Work(8 * layers + 4, 2 * units, macs)
        compiled = compiled_step(n, units, d) if census_compiled() else None
        simple_data = self.data == "xor" or isinstance(self.data, (PointsData, TeacherData))
        if len(self.layers) == 1 and self.activation != "linear" and self.output != "softmax" and simple_data:
            # tutor.experiments.problems.mlp: (examples × hidden × inputs) blocks per point; a Hessian is the
            # complex-step derivative of the gradient, d complex gradients at once
            h = self.layers[0]
            block = n * h * (i + 2)
            many = recorded = None
            if self.bias and self.activation != "relu":  # the census kernel: compiled loops over the starts, else numpy
                many = Work(0.3, 0.45 * n * h * (i + 3)) if census_compiled() else Work(20, 4 * n * h, 2 * n * (i + 1) * h)
                if census_compiled() and self.loss != "cross-entropy" and self.output != "softmax":
                    recorded = Work(0.3, 0.5 * n * h * (i + 3))
            return Size(d, Work(10, 400 + 1.5 * block), Work(18, 600 + 3 * block), Work(30, d * (700 + 10 * block)),
                        Work(15, 100 + 2.5 * block), 3 * block, 12 * d * n * h + 3 * d * d, knobs, loss_mem=4 * n * h + 2 * n,
                        curv="complex", many=many, recorded=recorded, width=h,
                        hvp=hvp, hvps=hvps, train=train, compiled=compiled)
        return Size(d, Work(8 * layers, 12 * units, macs / 3), Work(20 * layers, 12 * units, macs),
                    Work(40 * layers * -(-d // 256), 0, 0) + hvps.batch(d), Work(20 * layers + 10, 12 * units, macs),
                    4 * units + 2 * d, 4 * d * d + 8 * units, knobs, curv="hvp" if d > 16 else "hess", hvp=hvp, hvps=hvps,
                    train=train, compiled=compiled)


@problem("linear-autoencoder", "tr((I − BA) Σ (I − BA)ᵀ): a linear network n → p → n on data with variances Σ (Baldi & Hornik 1989)")
class LinearAutoencoderOptions(Opts):
    sigma: Annotated[list[Annotated[float, Field(gt=0, le=1e6)]], Field(min_length=1, max_length=8)] = Field(
        [3.0, 2.0, 1.0], description="the data's variances along each axis (n of them)")
    p: int = Field(1, ge=1, le=8, description="the width of the middle layer, at most n")

    @model_validator(mode="after")
    def _p_fits(self) -> LinearAutoencoderOptions:
        if self.p > len(self.sigma):
            raise ValueError(f"p = {self.p} is larger than the dimension n = {len(self.sigma)}")
        return self

    def size(self) -> Size:
        n, p = len(self.sigma), self.p
        d = 2 * n * p
        # small matrix products per point, a Hessian of d² entries
        loss, grad, step = Work(5, n * n + 2 * n * p), Work(8, 4 * n * n + 4 * n * p), Work(13, 5 * n * n + 5 * n * p)
        return Size(d, loss, grad, Work(18, 10 * d * d), step, 6 * n * n,
                    12 * d * n * n + 3 * d * d, f"p ({p}) or variances ({n})", curv="complex" if d > 16 else "hess")


@problem("product", "(t − w₁w₂…w_k)²: the deep linear network of width one (Kawaguchi 2016)")
class ProductOptions(Opts):
    depth: int = Field(2, ge=1, le=8, description="the number of weights k")
    target: Num = Field(1.0, description="the target t")

    def size(self) -> Size:
        k = self.depth
        loss, grad, hess, step = Work(2, 2 * k), Work(4 + 3 * k, 4 * k * k), Work(20 + 15 * k, 4 * k**3), Work(6 + 3 * k, 4 * k * k)
        return Size(k, loss, grad, hess, step, 2 * k, 2 * k * k, f"depth ({k})")


@problem("function", "any formula in a few variables, e.g. x**2/2 + y**4/4 − y**2/2")
class FunctionOptions(Opts):
    expr: Annotated[str, Field(min_length=1, max_length=400)] = Field(
        description="the loss as a formula (+ − * / **, sqrt, ln, exp, sin, cos, tan, tanh, atan, abs, sigmoid, pi, e)")
    vars: Annotated[list[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]], Field(min_length=1, max_length=8)] = Field(
        description="the variables, in the order of the parameter vector")

    def size(self) -> Size:
        # a safe expression: one numpy call per operation; the gradient is a complex step in each variable at
        # once, the Hessian central differences of gradients
        v, e = len(self.vars), len(self.expr) // 2 + 1
        grad = Work(8 + e * v / 2, 8 * v * e)
        return Size(v, Work(5 + 1.5 * e, 4 * e), grad, 2 * v * grad + Work(10, 2 * v * v), grad + Work(5), 4 * v * e, 4 * v * e + 2 * v * v,
                    f"vars ({v})")
