"""The quiz store: one SQLite file a whole class on a lab machine writes to at once.

WAL journal, a long busy timeout, and one short ``BEGIN IMMEDIATE`` transaction per submission, so
writers queue instead of failing with "database is locked". Answers are stored raw, with the seed
of the student's variant and the time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from tutor.core.store import connect, default_home

SCHEMA = """
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
    correct INTEGER NOT NULL,     -- what the checker said at the time; the report does not trust it
    submitted_at REAL NOT NULL,
    UNIQUE (quiz, student, question, attempt)
);
CREATE INDEX IF NOT EXISTS submissions_by_student ON submissions (quiz, student);
"""


def default_path() -> Path:
    env = os.environ.get("TUTOR_QUIZ_DB")
    return Path(env) if env else default_home() / "quiz.sqlite3"


class QuizStore:
    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self.conn = connect(self.path, timeout=60.0)
        for _ in range(50):  # the schema itself may race with 30 students starting at once
            try:
                self.conn.executescript(SCHEMA)
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(0.1)

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        for attempt in range(100):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    self.conn.execute(sql, args)
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                return
            except sqlite3.OperationalError as exc:
                if ("locked" in str(exc) or "busy" in str(exc)) and attempt < 99:
                    time.sleep(0.05)
                    continue
                raise

    def start(self, quiz: str, student: str, now: float) -> float:
        self._write("INSERT OR IGNORE INTO runs (quiz, student, started_at) VALUES (?, ?, ?)", (quiz, student, now))
        return float(self.conn.execute("SELECT started_at FROM runs WHERE quiz = ? AND student = ?", (quiz, student)).fetchone()[0])

    def finish(self, quiz: str, student: str, now: float) -> None:
        self._write("UPDATE runs SET finished_at = COALESCE(finished_at, ?) WHERE quiz = ? AND student = ?", (now, quiz, student))

    def finished(self, quiz: str, student: str) -> bool:
        row = self.conn.execute("SELECT finished_at FROM runs WHERE quiz = ? AND student = ?", (quiz, student)).fetchone()
        return bool(row and row[0])

    def submit(self, quiz: str, student: str, question: str, seed: int, params: dict[str, Any], answer: str, attempt: int,
               correct: bool, now: float) -> None:
        self._write(
            "INSERT INTO submissions (quiz, student, question, attempt, seed, params, answer, correct, submitted_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (quiz, student, question, attempt, seed, json.dumps(params), answer, int(correct), now),
        )

    def attempts(self, quiz: str, student: str, question: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT attempt, answer, correct, submitted_at FROM submissions WHERE quiz = ? AND student = ? AND question = ? ORDER BY attempt",
            (quiz, student, question),
        ).fetchall()
        return [{"attempt": a, "answer": ans, "correct": bool(c), "at": t} for a, ans, c, t in rows]

    def all_submissions(self, quiz: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT student, question, attempt, seed, params, answer, correct, submitted_at FROM submissions WHERE quiz = ? ORDER BY id",
            (quiz,),
        ).fetchall()
        return [{"student": s, "question": q, "attempt": a, "seed": seed, "params": json.loads(p), "answer": ans,
                 "recorded_correct": bool(c), "submitted_at": t} for s, q, a, seed, p, ans, c, t in rows]

    def runs(self, quiz: str) -> dict[str, dict[str, Any]]:
        rows = self.conn.execute("SELECT student, started_at, finished_at FROM runs WHERE quiz = ?", (quiz,)).fetchall()
        return {s: {"started_at": a, "finished_at": b} for s, a, b in rows}
