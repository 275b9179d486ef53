"""The lesson and quiz files of the format spec (sections 1 and 4), validated with pydantic.

Unknown keys are errors (``extra="forbid"``): a misspelt ``hint:`` must not silently vanish.
Rules that span several fields (which keys a question kind needs) are checked here too; rules that
span the whole lesson (ids exist, no cycles) are in ``tutor.core.loader``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Scalar = bool | int | float | str
QuestionKind = Literal["choice", "multi", "numeric", "points", "expression", "text"]
KINDS: tuple[str, ...] = QuestionKind.__args__  # type: ignore[attr-defined]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Param(Strict):
    """A lesson parameter: a default, and one way to draw a variant."""

    default: Scalar
    choices: list[Scalar] | None = None
    uniform: tuple[float, float] | None = None
    decimals: int = Field(2, ge=0, le=8)
    label: str | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Param:
        if self.choices is not None and self.uniform is not None:
            raise ValueError("give either choices or uniform, not both")
        if self.choices is not None and not self.choices:
            raise ValueError("choices must not be empty")
        if self.uniform is not None:
            lo, hi = self.uniform
            if not lo <= hi:
                raise ValueError(f"uniform: [{lo}, {hi}] must have lo <= hi")
            if isinstance(self.default, (str, bool)):
                raise ValueError("a uniform parameter needs a numeric default")
        return self

    @property
    def numeric(self) -> bool:
        return self.uniform is not None or (
            not isinstance(self.default, (str, bool)) and all(not isinstance(c, (str, bool)) for c in self.choices or [])
        )


class ProblemRef(Strict):
    """``problem: {name: ..., options...}``; options are checked by the experiments package."""

    model_config = ConfigDict(extra="allow", frozen=True)
    name: str

    @property
    def options(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class PlotSettings(Strict):
    """``plot: {ylim: [lo, hi], log: true}`` on an experiment: the y-axis the author wants. Without
    it the tutor picks a range around the plot's minima and maxima (``tutor.plots.ranges``)."""

    ylim: tuple[float, float] | None = None
    log: bool = False

    @model_validator(mode="after")
    def _sane(self) -> PlotSettings:
        if self.ylim is not None:
            lo, hi = self.ylim
            if not lo < hi:
                raise ValueError(f"plot: ylim [{lo}, {hi}] needs lo < hi")
            if self.log and lo <= 0:
                raise ValueError("plot: a log axis needs ylim above zero")
        return self


class Experiment(Strict):
    id: Slug
    run: str
    problem: ProblemRef
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    controls: list[str] = Field(default_factory=list)
    caption: str | None = None
    text: str | None = None  # what to notice; shown under the plot
    live: bool = False  # descent played step by step over the landscape (the app); first and last frames (line mode)
    plot: PlotSettings | None = None  # the y-axis of its plot, if the automatic one does not suit

    @model_validator(mode="after")
    def _live_fits(self) -> Experiment:
        if self.live:
            if self.run != "descent":
                raise ValueError(f"live: true plays gradient descent step by step; it needs run: descent, not run: {self.run}")
            for key in ("starts", "noise"):
                if self.with_.get(key) is not None:
                    raise ValueError(f"a live experiment follows one plain run: remove with: {key}")
        return self

    @field_validator("problem", mode="before")
    @classmethod
    def _name_only(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class Choice(Strict):
    text: str
    correct: bool = False
    correct_if: str | None = None
    feedback: str | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Choice:
        if self.correct and self.correct_if:
            raise ValueError("give correct or correct_if, not both")
        return self


class AnswerFrom(Strict):
    """``{from: EXPERIMENT, value: KEY}`` (a key may index: ``minima[0]``, ``counts.saddle``), or
    ``{from: EXPERIMENT, expr: FORMULA}`` over the values, such as ``2 / points[0].eigenvalues[0]``."""

    from_: Slug = Field(alias="from")
    value: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\[-?\d+\])*$")] | None = None
    expr: Annotated[str, StringConstraints(min_length=1, max_length=400)] | None = None

    @model_validator(mode="after")
    def _one(self) -> AnswerFrom:
        if (self.value is None) == (self.expr is None):
            raise ValueError("answer: {from: ...} needs exactly one of value (a key) or expr (a formula)")
        return self


class Tolerance(Strict):
    abs: float | None = Field(None, ge=0)
    rel: float | None = Field(None, ge=0)


DEFAULT_TOLERANCE = Tolerance(rel=0.01, abs=1e-8)


class Question(Strict):
    id: Slug
    kind: QuestionKind
    prompt: str
    answer: AnswerFrom | float | list[float] | str | None = None
    tolerance: Tolerance = DEFAULT_TOLERANCE
    hints: list[str] = Field(default_factory=list)
    explain: str | None = None
    show: Slug | None = None
    choices: list[Choice] | None = None
    shuffle: bool = False
    from_: Slug | None = Field(None, alias="from")
    vars: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]] | None = None
    domain: dict[str, tuple[float, float]] | tuple[float, float] | None = None
    accept: list[str] | None = None
    pattern: str | None = None
    attempts: int | None = Field(None, ge=1, le=100)

    @model_validator(mode="after")
    def _fits_kind(self) -> Question:
        kind = self.kind
        if kind in ("choice", "multi"):
            if not self.choices or len(self.choices) < 2:
                raise ValueError(f"a {kind} question needs at least two choices")
            if self.answer is not None:
                raise ValueError(f"a {kind} question marks its answers with correct or correct_if, not answer")
            uses_if = any(c.correct_if for c in self.choices)
            if uses_if and not self.from_:
                raise ValueError("correct_if needs the question to name its experiment with from: EXPERIMENT_ID")
            if not uses_if:
                right = sum(c.correct for c in self.choices)
                if kind == "choice" and right != 1:
                    raise ValueError(f"a choice question needs exactly one correct choice, it has {right}")
                if kind == "multi" and right < 1:
                    raise ValueError("a multi question needs at least one correct choice")
            return self
        if self.choices is not None:
            raise ValueError(f"choices belong to choice and multi questions, not {kind}")
        if kind == "text":
            if not self.accept and not self.pattern:
                raise ValueError("a text question needs accept (a list of strings) or pattern")
            if self.pattern:
                import re

                try:
                    re.compile(self.pattern)
                except re.error as exc:
                    raise ValueError(f"pattern is not a valid regular expression: {exc}") from None
            return self
        if self.answer is None:
            raise ValueError(f"a {kind} question needs an answer")
        if kind == "expression":
            if not self.vars:
                raise ValueError("an expression question needs vars, the names the formula may use")
            if not isinstance(self.answer, str):
                raise ValueError("an expression question's answer is a formula (a string)")
        if kind == "numeric" and isinstance(self.answer, (list, str)):
            raise ValueError("a numeric question's answer is one number or {from, value}")
        if kind == "points" and isinstance(self.answer, str):
            raise ValueError("a points question's answer is a list of numbers or {from, value}")
        return self

    @property
    def tol(self) -> tuple[float, float]:
        rel = self.tolerance.rel if self.tolerance.rel is not None else (0.0 if self.tolerance.abs is not None else 0.01)
        abs_ = self.tolerance.abs if self.tolerance.abs is not None else 1e-8
        return rel, abs_


class Step(Strict):
    text: str | None = None
    experiment: Experiment | None = None
    question: Question | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Step:
        present = [k for k in ("text", "experiment", "question") if getattr(self, k) is not None]
        if len(present) != 1:
            raise ValueError(
                "a step has exactly one of text, experiment, question" + (f"; this one has {', '.join(present)}" if present else "")
            )
        return self

    @property
    def kind(self) -> str:
        return "text" if self.text is not None else "experiment" if self.experiment is not None else "question"


class Lesson(Strict):
    format: Literal[1]
    id: Slug
    title: str
    summary: str = ""
    level: int = Field(1, ge=1, le=4)
    minutes: int = Field(10, ge=1, le=240)
    tags: list[str] = Field(default_factory=list)
    requires: list[Slug] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    params: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")], Param] = Field(default_factory=dict)
    steps: list[Step] = Field(min_length=1)

    def experiments(self) -> dict[str, Experiment]:
        return {s.experiment.id: s.experiment for s in self.steps if s.experiment}

    def questions(self) -> dict[str, Question]:
        return {s.question.id: s.question for s in self.steps if s.question}


class QuizSettings(Strict):
    attempts: int = Field(1, ge=1, le=20)
    feedback: Literal["each", "end", "none"] = "end"
    hints: bool = False
    time_limit: float | None = Field(None, gt=0, le=24 * 60, description="minutes")
    shuffle: bool = False
    variants: Literal["per-student", "fixed"] = "per-student"
    review: bool = Field(False, description="with feedback: end, show each question with the student's answers and the "
                                            "right answer once the quiz is submitted")


class QuizItem(Strict):
    lesson: Slug
    question: Slug
    points: float = Field(1, gt=0, le=1000)


class Quiz(Strict):
    format: Literal[1]
    id: Slug
    title: str
    quiz: QuizSettings = QuizSettings()
    questions: list[QuizItem] = Field(min_length=1)
