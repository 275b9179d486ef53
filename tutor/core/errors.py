"""One error type per kind of failure, each with a message a learner or an author can act on."""

from __future__ import annotations

from typing import NamedTuple


# Records on the start-up path are NamedTuples: immutable and ordered like a frozen dataclass, and
# about four times cheaper to define (a dataclass compiles its methods when the module loads).
class Problem(NamedTuple):
    """One thing wrong with a file, located as ``path:line:col``; problems sort by place."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class TutorError(Exception):
    """Base of every error the tutor reports to a person instead of a traceback."""


class LessonError(TutorError):
    """A lesson or quiz file cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ExpressionError(TutorError):
    """Text typed by a learner or author that cannot be read as a safe formula."""


class ExperimentError(TutorError):
    """An experiment cannot run: unknown name, option out of bounds, or a numerical failure."""


class NotFound(TutorError):
    """A lesson, quiz or question named on the command line does not exist."""
