"""The SQLite quiz store: for practice and for a class that trusts one another.

Every student must be able to write the file, so every student can also edit it: it cannot keep a
grade safe (the PostgreSQL store can, see ``tutor.core.quizdb.pg``). What it does keep: WAL and
one short ``BEGIN IMMEDIATE`` transaction per write, so a class writing at once queues instead of
failing; the attempt number chosen inside that transaction, so the same student in two windows
gets the next attempt or a clear refusal, never a crash; a schema version (``PRAGMA
user_version``) with migration from the first layout; and variant seeds from a random secret kept
in the file, so a fresh private store does not reproduce the class store's numbers.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tutor.core.quizdb.base import StoreError, variant_seed
from tutor.core.store import connect, default_home

if TYPE_CHECKING:
    from tutor.core.models import Quiz

VERSION = 1  # PRAGMA user_version of the layout below; 0 is the first, shipped layout (no meta table)

SCHEMA_V0 = """
CREATE TABLE IF NOT EXISTS runs (
    quiz TEXT NOT NULL,
    student TEXT NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL,
    PRIMARY KEY (quiz, student)
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    quiz TEXT NOT NULL,
    student TEXT NOT NULL,
    question TEXT NOT NULL,       -- lesson/question
    attempt INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    params TEXT NOT NULL,
    answer TEXT NOT NULL,         -- exactly what the student typed
    correct INTEGER NOT NULL,     -- what the checker said at the time (the report does not trust it)
    submitted_at REAL NOT NULL,
    UNIQUE (quiz, student, question, attempt)
);
CREATE INDEX IF NOT EXISTS submissions_by_student ON submissions (quiz, student);
"""
# v1: a meta table holding the variant secret ('' in a store migrated with answers already in it,
# whose students keep the numbers they were given)
SCHEMA_V1 = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"

T = TypeVar("T")


def default_path() -> Path:
    env = os.environ.get("TUTOR_QUIZ_DB")
    return Path(env) if env else default_home() / "quiz.sqlite3"


class QuizStore:
    def __init__(self, path: Path | str | None = None, *, must_exist: bool = False):
        self.path = Path(path) if path else default_path()
        self.where = str(self.path)
        if must_exist and not self.path.exists():
            raise StoreError(f"{self.path}: no quiz store here yet")
        try:
            self.conn = connect(self.path, timeout=60.0)
            self._transaction(self._migrate)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{self.path}: cannot use this quiz store ({exc})") from exc
        self.secret = bytes.fromhex(self._meta("secret") or "")

    # -- plumbing ------------------------------------------------------------------------
    def _transaction(self, body: Callable[[], T]) -> T:
        """Run ``body`` in one BEGIN IMMEDIATE transaction, waiting for other writers."""
        for attempt in range(200):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if ("locked" in str(exc) or "busy" in str(exc)) and attempt < 199:
                    time.sleep(0.05)
                    continue
                raise
            try:
                result = body()
                self.conn.execute("COMMIT")
                return result
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        raise AssertionError("unreachable")

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > VERSION:
            raise StoreError(f"{self.path}: this quiz store was written by a newer tutor (layout {version}; this one "
                             f"knows up to {VERSION}). Upgrade landscape-tutor, or use another --db.")
        if version == VERSION:
            return
        had = self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'runs'").fetchone()
        for stmt in (SCHEMA_V0 + SCHEMA_V1).split(";"):
            if stmt.strip():
                self.conn.execute(stmt)
        used = had and self.conn.execute("SELECT EXISTS (SELECT 1 FROM runs)").fetchone()[0]
        secret = "" if used else secrets.token_hex(32)
        self.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('secret', ?)", (secret,))
        self.conn.execute(f"PRAGMA user_version = {VERSION}")

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    # -- a student's side ----------------------------------------------------------------
    def identify(self, claimed: str | None) -> str:
        if not claimed:
            raise StoreError("--student is required with a SQLite quiz store (a server knows who you are; a file does not)")
        return claimed

    def seeds(self, quiz: Quiz, student: str, names: list[str]) -> dict[str, int]:
        who = student if quiz.quiz.variants == "per-student" else ""
        return {n: variant_seed(self.secret, quiz.id, who, n) for n in names}

    grading_seeds = seeds

    def now(self) -> float:
        return time.time()

    def start(self, quiz: Quiz, student: str, now: float) -> float:
        def body() -> float:
            self.conn.execute("INSERT OR IGNORE INTO runs (quiz, student, started_at) VALUES (?, ?, ?)", (quiz.id, student, now))
            return float(self.conn.execute("SELECT started_at FROM runs WHERE quiz = ? AND student = ?", (quiz.id, student)).fetchone()[0])

        return self._transaction(body)

    def finish(self, quiz_id: str, student: str, now: float) -> None:
        self._transaction(lambda: self.conn.execute(
            "UPDATE runs SET finished_at = COALESCE(finished_at, ?) WHERE quiz = ? AND student = ?", (now, quiz_id, student)))

    def finished(self, quiz_id: str, student: str) -> bool:
        row = self.conn.execute("SELECT finished_at FROM runs WHERE quiz = ? AND student = ?", (quiz_id, student)).fetchone()
        return bool(row and row[0])

    def submit(self, quiz: Quiz, student: str, question: str, seed: int, params: dict[str, Any], answer: str,
               correct: bool, now: float) -> int:
        """Store one answer; the attempt number is chosen in the same transaction as the insert, so
        two windows of one student queue instead of colliding. Returns the attempt number."""

        def body() -> int:
            done = self.conn.execute("SELECT COUNT(*) FROM submissions WHERE quiz = ? AND student = ? AND question = ?",
                                     (quiz.id, student, question)).fetchone()[0]
            if done >= quiz.quiz.attempts:
                raise StoreError("no attempts left on this question (it was answered in another window)")
            self.conn.execute(
                "INSERT INTO submissions (quiz, student, question, attempt, seed, params, answer, correct, submitted_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (quiz.id, student, question, done + 1, seed, json.dumps(params), answer, int(correct), now))
            return int(done + 1)

        return self._transaction(body)

    def attempts(self, quiz_id: str, student: str, question: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT attempt, answer, correct, submitted_at FROM submissions WHERE quiz = ? AND student = ? AND question = ? ORDER BY attempt",
            (quiz_id, student, question),
        ).fetchall()
        return [{"attempt": a, "answer": ans, "correct": bool(c), "at": t} for a, ans, c, t in rows]

    # -- the lecturer's side -------------------------------------------------------------
    def all_submissions(self, quiz_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT student, question, attempt, seed, params, answer, correct, submitted_at FROM submissions WHERE quiz = ? ORDER BY id",
            (quiz_id,),
        ).fetchall()
        out = []
        for s, q, a, seed, p, ans, c, t in rows:
            try:
                values = json.loads(p)
            except (TypeError, ValueError):
                values = None
            out.append({"student": str(s), "question": str(q), "attempt": a, "seed": seed, "params": values, "answer": str(ans),
                        "recorded_correct": bool(c), "submitted_at": t})
        return out

    def runs(self, quiz_id: str) -> dict[str, dict[str, Any]]:
        rows = self.conn.execute("SELECT student, started_at, finished_at FROM runs WHERE quiz = ?", (quiz_id,)).fetchall()
        return {str(s): {"started_at": a, "finished_at": b} for s, a, b in rows}

    def roster(self, quiz_id: str) -> dict[str, dict[str, str]]:
        return {}  # a SQLite store has no roster; `tutor quiz report --roster FILE` supplies one
