"""Quiz mode: a student's run through a quiz, with seeded variants, attempts and a time limit.

What a student submits is stored raw with the seed it was drawn with; scores are never trusted
from the record: ``regrade`` checks the raw answers again, the way the report does.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tutor.core import params as P
from tutor.core.checking import Verdict
from tutor.core.errors import NotFound, TutorError
from tutor.core.loader import Catalog
from tutor.core.models import Question, Quiz, Step
from tutor.core.quizdb.base import QuizBackend, TimeUp
from tutor.core.session import Session

__all__ = ["Item", "QuizRun", "Reviewed", "Shown", "Submission", "TimeUp", "build_items", "check_student", "context", "regrade"]

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")


def check_student(student: str) -> str:
    if not STUDENT_ID.fullmatch(student or ""):
        shown = repr(student) if len(student or "") <= 64 else f"{student[:40]!r}… ({len(student):,} characters)"
        raise TutorError(
            f"student id {shown} is not usable: use 1 to 64 letters, digits and . _ @ + - "
            "(starting with a letter or digit), such as a university login or student number"
        )
    return student


@dataclass
class Item:
    """One question of the quiz, as this student sees it."""

    number: int  # 1-based, in the order shown
    lesson: str
    question: str
    points: float
    seed: int
    params: dict[str, Any]
    session: Session = field(repr=False)

    @property
    def key(self) -> str:
        return f"{self.lesson}/{self.question}"

    @property
    def q(self) -> Question:
        return self.session.lesson.questions()[self.question]


def context(item: Item) -> list[Step]:
    """What a question needs from its lesson, with the student's numbers: the steps since the
    question before it (the setup), and every experiment it is checked against or shown on."""
    steps = item.session.lesson.steps
    at = next(i for i, st in enumerate(steps) if st.question is not None and st.question.id == item.question)
    start = max((i for i in range(at) if steps[i].question is not None), default=-1) + 1
    needed = set(item.session.needed_experiments(item.q))
    return [st for i, st in enumerate(steps[:at])
            if i >= start or (st.experiment is not None and st.experiment.id in needed)]


@dataclass(frozen=True)
class Shown:
    """A step of a question's context as the quiz shows it now.

    ``result`` False: an experiment's set-up only (caption, problem, options), because its numbers
    would answer a prediction that is still open: this question's own, or another question's of the
    quiz from the same lesson (the same student's numbers). ``until`` is that question's number."""

    step: Step
    result: bool = True
    until: int | None = None


@dataclass(frozen=True)
class Reviewed:
    """A question in the end-of-quiz review: the student's stored answers, the right answer, and
    for a prediction the experiments that decided it (their results, never shown during the quiz)."""

    item: Item
    attempts: list[dict[str, Any]]
    right: str
    decided_by: list[str]


def lessons_of(quiz: Quiz) -> list[str]:
    return list(dict.fromkeys(ref.lesson for ref in quiz.questions))


def build_items(quiz: Quiz, cat: Catalog, student: str, seeds: Mapping[str, int] | None = None) -> list[Item]:
    """The questions with this student's numbers: one seed per lesson, from the store (a secret
    the student cannot read), or without a store the public seed of (quiz id, student id, lesson)."""
    items: list[Item] = []
    for i, ref in enumerate(quiz.questions):
        if ref.lesson not in cat.lessons:
            raise NotFound(f"quiz {quiz.id}: no lesson {ref.lesson!r} (question {i + 1})")
        lesson = cat.lessons[ref.lesson].lesson
        assert lesson is not None
        if ref.question not in lesson.questions():
            raise NotFound(f"quiz {quiz.id}: lesson {ref.lesson!r} has no question {ref.question!r}")
        per_student = quiz.quiz.variants == "per-student"
        seed = seeds[ref.lesson] if seeds is not None else P.seed_of(quiz.id, student if per_student else "", ref.lesson)
        values = P.draw(lesson.params, seed if lesson.params else None)
        session = Session(lesson, params=values, seed=seed, record=False, resume=False)
        items.append(Item(i + 1, ref.lesson, ref.question, ref.points, seed, values, session))
    if quiz.quiz.shuffle:
        random.Random(P.seed_of(quiz.id, student, "order")).shuffle(items)
        for n, it in enumerate(items, 1):
            it.number = n
    return items


@dataclass
class Submission:
    verdict: Verdict
    attempt: int
    attempts_left: int
    over: bool  # no more attempts for this question (right, or out of attempts)


class QuizRun:
    """A student taking a quiz; every submission is written to the store before anything is shown.

    The rules both views follow live here: the order questions are asked in (a skipped one comes
    back at the end), what an attempt costs (an unreadable answer costs none), when a question is
    over (right, or out of attempts), which hint may be shown, and the time limit."""

    def __init__(self, quiz: Quiz, cat: Catalog, student: str | None, store: QuizBackend, *,
                 clock: Callable[[], float] | None = None):
        """``student`` may be None where the store knows who is connected (a PostgreSQL role);
        if given, it must be that role. The clock defaults to the store's (the server's)."""
        self.quiz = quiz
        self.student = check_student(store.identify(student))
        self.store = store
        self.clock = clock or store.now
        self.catalog = cat
        self.items = build_items(quiz, cat, self.student, store.seeds(quiz, self.student, lessons_of(quiz)))  # numbered
        self.queue = list(self.items)  # the order still to ask in
        self.started_at = store.start(quiz, self.student, self.clock())
        self.settings = quiz.quiz
        self._hints: dict[str, int] = {}

    # -- time ----------------------------------------------------------------------------
    @property
    def deadline(self) -> float | None:
        return None if self.settings.time_limit is None else self.started_at + self.settings.time_limit * 60

    def remaining(self) -> float | None:
        d = self.deadline
        return None if d is None else max(0.0, d - self.clock())

    @property
    def timed_out(self) -> bool:
        r = self.remaining()
        return r is not None and r <= 0

    # -- progress ------------------------------------------------------------------------
    def attempts(self, item: Item) -> list[dict[str, Any]]:
        return self.store.attempts(self.quiz.id, self.student, item.key)

    def over(self, item: Item) -> bool:
        """No more answers to this question: one was right, or every attempt is used."""
        rows = self.attempts(item)
        return len(rows) >= self.settings.attempts or any(r["correct"] for r in rows)

    def attempts_left(self, item: Item) -> int:
        return max(0, self.settings.attempts - len(self.attempts(item)))

    def next_item(self) -> Item | None:
        """The question to ask now: the first in the queue that is not over."""
        return next((it for it in self.queue if not self.over(it)), None)

    def skip(self, item: Item) -> None:
        """Skip for now: the question goes to the back of the queue."""
        if item in self.queue:
            self.queue.remove(item)
            self.queue.append(item)

    def hint(self, item: Item) -> str | None:
        """The next hint, where the quiz allows hints; None when there is none (left)."""
        if not self.settings.hints:
            return None
        shown = self._hints.get(item.key, 0)
        if shown >= len(item.q.hints):
            return None
        self._hints[item.key] = shown + 1
        return item.q.hints[shown]

    def hints_shown(self, item: Item) -> list[str]:
        return item.q.hints[: self._hints.get(item.key, 0)]

    def unanswered(self) -> list[Item]:
        """Questions with no answer stored yet, in the order shown."""
        return [it for it in sorted(self.items, key=lambda i: i.number) if not self.attempts(it)]

    @property
    def reviewable(self) -> bool:
        """After submitting a quiz with results at the end, and if the quiz allows a review."""
        return self.settings.feedback == "end" and self.settings.review and self.submitted

    def review(self) -> list[Reviewed]:
        """Each question with this student's stored answers and the right answer; a prediction with
        the experiments that decided it, whose results the quiz withheld (``revealed`` is for
        ``feedback: each``): the quiz is over, so nothing is left to spoil."""
        if not self.reviewable:
            return []
        return [Reviewed(it, self.attempts(it), it.session.answer_text(it.q), self._predicted(it))
                for it in sorted(self.items, key=lambda i: i.number)]

    @property
    def submitted(self) -> bool:
        return self.store.finished(self.quiz.id, self.student)

    @property
    def finished(self) -> bool:
        return self.submitted or self.timed_out or self.next_item() is None

    def submit(self, item: Item, raw: str) -> Submission:
        if self.timed_out:
            raise TimeUp("time is up: the quiz is closed and nothing more can be submitted")
        if self.store.finished(self.quiz.id, self.student):
            raise TutorError("this quiz is already submitted")
        done = self.attempts(item)
        if len(done) >= self.settings.attempts or any(r["correct"] for r in done):
            raise TutorError("no attempts left on this question")
        verdict = item.session.check(raw, item.q)
        if not verdict.readable:
            return Submission(verdict, len(done), self.settings.attempts - len(done), False)
        # the store numbers the attempt (and refuses one too many, e.g. from a second window)
        n = self.store.submit(self.quiz, self.student, item.key, item.seed, item.params, raw, verdict.correct, self.clock())
        over = verdict.correct or n >= self.settings.attempts
        return Submission(verdict, n, self.settings.attempts - n, over)

    # -- what a question shows ---------------------------------------------------------------
    def context(self, item: Item) -> list[Shown]:
        """The question's lesson context (``context``), and for a prediction the experiment that
        decides it, with what may be seen of each now. A prediction is asked before its experiment
        in the lesson: in the quiz too its result stays hidden until the question is over, and then
        is shown only where the quiz gives feedback after each answer. An experiment that decides
        another open prediction of the quiz shows its set-up only until that one is over."""
        hidden = self._open_predictions(item)
        out = [Shown(st) if st.experiment is None or st.experiment.id not in hidden
               else Shown(st, result=False, until=hidden[st.experiment.id]) for st in context(item)]
        seen = self.revealed(item)
        steps = item.session.lesson.steps
        for exp_id in self._predicted(item):
            step = next(st for st in steps if st.experiment is not None and st.experiment.id == exp_id)
            out.append(Shown(step, result=exp_id in seen, until=item.number))
        return out

    def revealed(self, item: Item) -> list[str]:
        """The experiments a prediction is decided by whose result may be shown now: the question is
        over, and the quiz gives feedback after each answer (otherwise the result would be that)."""
        if not self._settled(item):
            return []
        hidden = self._open_predictions(item)
        return [e for e in self._predicted(item) if e not in hidden]

    @staticmethod
    def _predicted(item: Item) -> list[str]:
        """The experiments that decide ``item`` and come after it in its lesson (none unless it is a prediction)."""
        s = item.session
        if not s.predicts(item.q):
            return []
        steps = s.lesson.steps
        at = next(i for i, st in enumerate(steps) if st.question is not None and st.question.id == item.question)
        later = {st.experiment.id for st in steps[at + 1:] if st.experiment is not None}
        return [e for e in s.deciding(item.q) if e in later]

    def _settled(self, item: Item) -> bool:
        """Whether what decides ``item`` may be seen elsewhere: the question is over and the quiz tells
        right from wrong after each answer. With ``feedback: end`` or ``none`` the result would be
        that feedback, early: it stays hidden until the quiz is submitted (and then only in a review)."""
        return self.settings.feedback == "each" and self.over(item)

    def _open_predictions(self, item: Item) -> dict[str, int]:
        """Experiment id -> number of another question of this quiz, from the same lesson, that is a
        prediction decided by it and not settled yet (``_settled``)."""
        out: dict[str, int] = {}
        for other in sorted(self.items, key=lambda i: i.number):
            if other is item or other.lesson != item.lesson or self._settled(other):
                continue
            for e in self._predicted(other):
                out.setdefault(e, other.number)
        return out

    def finish(self) -> None:
        self.store.finish(self.quiz.id, self.student, self.clock())

    def grade(self) -> dict[str, Any]:
        """This student's score from their own stored answers, re-checked like the report does."""
        rows = [{"student": self.student, "question": it.key, "answer": a["answer"], "attempt": a["attempt"]}
                for it in self.items for a in self.attempts(it)]
        return regrade(self.quiz, self.catalog, rows, items_for=lambda _s: self.items).get(
            self.student, {"scores": {}, "total": 0.0})


def regrade(quiz: Quiz, cat: Catalog, rows: list[dict[str, Any]],
            items_for: Callable[[str], list[Item]] | None = None) -> dict[str, dict[str, Any]]:
    """Scores per student and question from the raw answers alone (the stored flags are ignored).

    A question scores its points if one of its first ``attempts`` submissions is right when
    checked again with the student's own seed."""
    settings = quiz.quiz
    by_student: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_student.setdefault(r["student"], []).append(r)
    result: dict[str, dict[str, Any]] = {}
    for student, subs in sorted(by_student.items()):
        items = {it.key: it for it in (items_for(student) if items_for else build_items(quiz, cat, student))}
        scores: dict[str, float] = {}
        for key, it in items.items():
            mine = sorted((r for r in subs if r["question"] == key), key=lambda r: r["attempt"])[: settings.attempts]
            right = False
            for r in mine:
                if r.get("seed") is not None and r["seed"] != it.seed:
                    continue  # an answer to other numbers than this student's: never counts
                if r.get("params") is not None and r["params"] != it.params:
                    continue
                if it.session.check(r["answer"], it.q).correct:
                    right = True
                    break
            scores[key] = it.points if right else 0.0
        result[student] = {"scores": scores, "total": sum(scores.values()), "attempts": len(subs)}
    return result
