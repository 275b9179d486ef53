"""The problems a lesson can name (``problem: {name: ..., options}``) and their options."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from tutor.core.lab_schema.base import Num, Opts, Rows, Seed, Vector, problem

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


@problem("product", "(t − w₁w₂…w_k)²: the deep linear network of width one (Kawaguchi 2016)")
class ProductOptions(Opts):
    depth: int = Field(2, ge=1, le=8, description="the number of weights k")
    target: Num = Field(1.0, description="the target t")


@problem("function", "any formula in a few variables, e.g. x**2/2 + y**4/4 − y**2/2")
class FunctionOptions(Opts):
    expr: Annotated[str, Field(min_length=1, max_length=400)] = Field(
        description="the loss as a formula (+ − * / **, sqrt, ln, exp, sin, cos, tan, tanh, atan, abs, sigmoid, pi, e)")
    vars: Annotated[list[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]], Field(min_length=1, max_length=8)] = Field(
        description="the variables, in the order of the parameter vector")
