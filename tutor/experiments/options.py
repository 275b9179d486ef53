"""What each problem and tool accepts, with bounds. Pure pydantic: importing it loads no numpy,
so lessons can be validated (``tutor list``, ``tutor check``) without starting the numerics."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tutor.core.errors import ExperimentError

Num = Annotated[float, Field(ge=-1e6, le=1e6, allow_inf_nan=False)]
Vector = Annotated[list[Num], Field(min_length=1, max_length=512)]
Rows = Annotated[list[Num], Field(min_length=1, max_length=2000)] | Annotated[list[Vector], Field(min_length=1, max_length=2000)]


class Opts(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


# ----------------------------------------------------------------------------- problems


class OutputSquare(Opts):
    target: Num = 1.0


class LinearRegression(Opts):
    x: Rows
    y: Annotated[list[Num], Field(min_length=1, max_length=2000)]
    bias: bool = True
    loss: Literal["mse"] = "mse"


class Logistic(Opts):
    x: Rows
    y: Annotated[list[Annotated[float, Field(ge=0, le=1)]], Field(min_length=1, max_length=2000)]
    bias: bool = False
    loss: Literal["mse", "cross-entropy"] = "cross-entropy"
    reduction: Literal["mean", "sum"] = "mean"


class Softmax(Opts):
    x: Rows
    y: Annotated[list[Annotated[int, Field(ge=0, le=31)]], Field(min_length=1, max_length=2000)]
    classes: int | None = Field(None, ge=2, le=32)
    bias: bool = False


class Points(Opts):
    x: Rows
    y: Annotated[list[Num], Field(min_length=1, max_length=2000)]


class Teacher(Opts):
    inputs: int = Field(2, ge=1, le=16)
    hidden: int = Field(2, ge=1, le=16)
    points: int = Field(20, ge=1, le=2000)
    seed: int = Field(0, ge=0, le=2**32 - 1)


class PointsData(Opts):
    points: Points


class TeacherData(Opts):
    teacher: Teacher


class Weights(Opts):
    W1: list[Vector]
    b1: Vector | None = None
    W2: Vector | list[Vector]
    b2: Num | Vector | None = None


class MLP(Opts):
    data: Literal["xor"] | PointsData | TeacherData = "xor"
    hidden: int = Field(2, ge=1, le=16)
    activation: Literal["sigmoid", "tanh", "relu"] = "sigmoid"
    output: Literal["sigmoid", "linear"] = "sigmoid"
    bias: bool = True
    loss: Literal["half-sse", "mse", "cross-entropy"] = "half-sse"
    weights: Weights | None = None

    @model_validator(mode="after")
    def _ce_needs_sigmoid(self) -> MLP:
        if self.loss == "cross-entropy" and self.output != "sigmoid":
            raise ValueError("cross-entropy needs output: sigmoid")
        return self


class LinearAutoencoder(Opts):
    sigma: Annotated[list[Annotated[float, Field(gt=0, le=1e6)]], Field(min_length=1, max_length=8)] = [3.0, 2.0, 1.0]
    p: int = Field(1, ge=1, le=8)

    @model_validator(mode="after")
    def _p_fits(self) -> LinearAutoencoder:
        if self.p > len(self.sigma):
            raise ValueError(f"p = {self.p} is larger than the dimension n = {len(self.sigma)}")
        return self


class Product(Opts):
    depth: int = Field(2, ge=1, le=8)
    target: Num = 1.0


class Function(Opts):
    expr: Annotated[str, Field(min_length=1, max_length=400)]
    vars: Annotated[list[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]], Field(min_length=1, max_length=8)]


PROBLEMS: dict[str, type[Opts]] = {
    "output-square": OutputSquare,
    "linear-regression": LinearRegression,
    "logistic": Logistic,
    "softmax": Softmax,
    "mlp": MLP,
    "linear-autoencoder": LinearAutoencoder,
    "product": Product,
    "function": Function,
}

# ----------------------------------------------------------------------------- tools

Theta = Vector
Box = Annotated[float, Field(gt=0, le=1e4)] | tuple[Num, Num]


class Curve(Opts):
    axis: int = Field(0, ge=0, le=511)
    at: Theta | None = None
    from_: Num | None = Field(None, alias="from")
    to: Num | None = None
    points: int = Field(401, ge=5, le=20001)
    between: tuple[Theta, Theta] | None = None


class Surface(Opts):
    axes: tuple[int, int] = (0, 1)
    directions: Literal["random"] | None = None
    seed: int = Field(0, ge=0, le=2**32 - 1)
    filter_normalize: bool = True
    at: Theta | None = None
    range: Annotated[float, Field(gt=0, le=10000.0)] | tuple[Num, Num] = 2.0
    points: int = Field(41, ge=5, le=301)


class Stationary(Opts):
    at: Theta | None = None
    starts: int = Field(64, ge=1, le=2000)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    box: Box = 2.0
    iterations: int = Field(100, ge=1, le=1000)


class Noise(Opts):
    kind: Literal["uniform", "gaussian"] = "gaussian"
    scale: Annotated[float, Field(ge=0, le=1e3)] = 0.01
    when_grad_below: Annotated[float, Field(ge=0, le=1e6)] | None = None


class Descent(Opts):
    start: Theta | None = None
    starts: int | None = Field(None, ge=1, le=2000)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    box: Box = 2.0
    lr: Annotated[float, Field(gt=0, le=1e3)] = 0.1
    steps: int = Field(100, ge=1, le=200_000)
    noise: Noise | None = None

    @model_validator(mode="after")
    def _budget(self) -> Descent:
        if (self.starts or 1) * self.steps > 20_000_000:
            raise ValueError("starts × steps may be at most 20,000,000")
        return self


class Convexity(Opts):
    box: Box = 2.0
    pairs: int = Field(400, ge=1, le=100_000)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    at: Theta | None = None


class Symmetry(Opts):
    permutation: list[Annotated[int, Field(ge=0, le=15)]] | Literal["random"] | None = None
    flip: list[Annotated[int, Field(ge=0, le=15)]] = Field(default_factory=list)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    other: Weights | None = None
    points: int = Field(101, ge=3, le=2001)


class Init(Opts):
    kind: Literal["uniform", "normal"] = "uniform"
    scale: Annotated[float, Field(gt=0, le=1e3)] = 1.0


class Census(Opts):
    starts: int = Field(100, ge=1, le=5000)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    init: Init = Init()
    lr: Annotated[float, Field(gt=0, le=1e3)] = 0.5
    steps: int = Field(500, ge=1, le=200_000)
    stuck_above: Annotated[float, Field(ge=0)] = 0.05
    tolerance: Annotated[float, Field(gt=0, le=10)] = 0.05

    @model_validator(mode="after")
    def _budget(self) -> Census:
        if self.starts * self.steps > 20_000_000:
            raise ValueError("starts × steps may be at most 20,000,000")
        return self


TOOLS: dict[str, type[Opts]] = {
    "curve": Curve,
    "surface": Surface,
    "stationary": Stationary,
    "descent": Descent,
    "convexity": Convexity,
    "symmetry": Symmetry,
    "census": Census,
}


class OptionError(ExperimentError):
    """Options that do not fit; ``where`` is the path of keys, for locating the error in a file."""

    def __init__(self, message: str, where: tuple[Any, ...] = ()):
        self.where = where
        super().__init__(message)


def _first_error(exc: ValidationError, prefix: tuple[Any, ...], label: str) -> OptionError:
    err = exc.errors(include_url=False)[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper() or "[" in str(p)))
    path = ".".join(str(p) for p in loc)
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = f"unknown option {path!r} for {label}"
        return OptionError(msg, prefix + loc)
    return OptionError(f"{label}: {path + ': ' if path else ''}{msg}", prefix + loc)


def validate(run: str, problem: dict[str, Any], with_: dict[str, Any]) -> tuple[Opts, Opts]:
    """Check a tool and a problem by name, with their options. Raises OptionError."""
    if run not in TOOLS:
        raise OptionError(f"unknown tool {run!r}; tools are {', '.join(TOOLS)}", ("run",))
    name = problem.get("name")
    if name not in PROBLEMS:
        raise OptionError(f"unknown problem {name!r}; problems are {', '.join(PROBLEMS)}", ("problem", "name"))
    options = {k: v for k, v in problem.items() if k != "name"}
    try:
        p = PROBLEMS[name].model_validate(options)
    except ValidationError as exc:
        raise _first_error(exc, ("problem",), f"problem {name}") from None
    try:
        t = TOOLS[run].model_validate(with_ or {})
    except ValidationError as exc:
        raise _first_error(exc, ("with",), f"tool {run}") from None
    if run == "symmetry" and (name != "mlp" or p.weights is None):  # type: ignore[attr-defined]
        raise OptionError("symmetry works on an mlp problem with weights", ("problem",))
    return p, t
