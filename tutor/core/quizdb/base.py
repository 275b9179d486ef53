"""What a quiz run and the report need from a store, whichever database is behind it."""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING, Any, Protocol

from tutor.core import params as P
from tutor.core.errors import TutorError

if TYPE_CHECKING:
    from tutor.core.models import Quiz


class StoreError(TutorError):
    """The store refused something (the rules, a missing enrolment, a newer schema)."""


class QuizBackend(Protocol):
    """A student's side of a store: every write is checked by the store itself where it can."""

    where: str

    def identify(self, claimed: str | None) -> str: ...
    def seeds(self, quiz: Quiz, student: str, names: list[str]) -> dict[str, int]: ...
    def now(self) -> float: ...
    def start(self, quiz: Quiz, student: str, now: float) -> float: ...
    def finish(self, quiz_id: str, student: str, now: float) -> None: ...
    def finished(self, quiz_id: str, student: str) -> bool: ...
    def submit(self, quiz: Quiz, student: str, question: str, seed: int, params: dict[str, Any], answer: str,
               correct: bool, now: float) -> int: ...
    def attempts(self, quiz_id: str, student: str, question: str) -> list[dict[str, Any]]: ...


class GradeSource(Protocol):
    """The lecturer's side: everything stored for a quiz, and each student's true seeds."""

    where: str

    def all_submissions(self, quiz_id: str) -> list[dict[str, Any]]: ...
    def runs(self, quiz_id: str) -> dict[str, dict[str, Any]]: ...
    def roster(self, quiz_id: str) -> dict[str, dict[str, str]]: ...
    def grading_seeds(self, quiz: Quiz, student: str, names: list[str]) -> dict[str, int]: ...


def variant_seed(secret: bytes | None, quiz: str, who: str, name: str) -> int:
    """A 63-bit seed for one lesson of one student's variant.

    With a secret: HMAC-SHA256(secret, quiz ␟ who ␟ name), the same formula the PostgreSQL store
    computes in ``tutor.hmac63``; nobody without the secret can compute anyone's numbers. Without
    one (a practice store migrated from the first layout): the public ``seed_of`` of before."""
    if not secret:
        return P.seed_of(quiz, who, name)
    digest = hmac.new(secret, "\x1f".join((quiz, who, name)).encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


class TimeUp(StoreError):
    """The time limit has passed: nothing more can be submitted."""
