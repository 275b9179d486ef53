"""The learner's progress and every event, in SQLite, written as it happens.

WAL journal and one transaction per write: a learner whose terminal is killed mid-lesson loses
nothing they submitted. Concurrent writers (a class on one lab machine) wait on a busy timeout
instead of failing with "database is locked".
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS progress (
    lesson TEXT PRIMARY KEY,
    position INTEGER NOT NULL DEFAULT 0,
    furthest INTEGER NOT NULL DEFAULT 0,
    steps INTEGER NOT NULL DEFAULT 0,
    params TEXT NOT NULL DEFAULT '{}',
    completed_at REAL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS questions (
    lesson TEXT NOT NULL,
    question TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',      -- open, correct, revealed, skipped
    attempts INTEGER NOT NULL DEFAULT 0,
    hints INTEGER NOT NULL DEFAULT 0,
    last_answer TEXT,
    PRIMARY KEY (lesson, question)
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    lesson TEXT,
    question TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_lesson ON events (lesson, kind);
"""


def default_home() -> Path:
    env = os.environ.get("TUTOR_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("landscape-tutor", appauthor=False))


def connect(path: Path | str, timeout: float = 30.0) -> sqlite3.Connection:
    """An autocommit connection in WAL mode that waits for other writers instead of failing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@dataclass
class QuestionRow:
    status: str = "open"
    attempts: int = 0
    hints: int = 0
    last_answer: str | None = None


@dataclass
class ProgressRow:
    lesson: str
    position: int
    furthest: int
    steps: int
    params: dict[str, Any]
    completed_at: float | None
    updated_at: float = 0.0

    @property
    def fraction(self) -> float:
        if self.completed_at:
            return 1.0
        return min(1.0, self.furthest / self.steps) if self.steps else 0.0


class Store:
    """Progress, question state and the event log of one learner."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_home() / "progress.sqlite3"
        self.conn = connect(self.path)
        self.conn.executescript(SCHEMA)

    def close(self) -> None:
        self.conn.close()

    # -- progress ------------------------------------------------------------------------
    def progress(self, lesson: str) -> ProgressRow | None:
        row = self.conn.execute(
            "SELECT lesson, position, furthest, steps, params, completed_at FROM progress WHERE lesson = ?", (lesson,)
        ).fetchone()
        if not row:
            return None
        return ProgressRow(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5])

    def all_progress(self) -> dict[str, ProgressRow]:
        rows = self.conn.execute("SELECT lesson, position, furthest, steps, params, completed_at, updated_at FROM progress").fetchall()
        return {r[0]: ProgressRow(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows}

    def save_position(self, lesson: str, position: int, steps: int, params: dict[str, Any]) -> None:
        self.conn.execute(
            """INSERT INTO progress (lesson, position, furthest, steps, params, updated_at) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (lesson) DO UPDATE SET position = excluded.position,
               furthest = MAX(progress.furthest, excluded.furthest), steps = excluded.steps,
               params = excluded.params, updated_at = excluded.updated_at""",
            (lesson, position, position, steps, json.dumps(params), time.time()),
        )

    def complete(self, lesson: str, steps: int) -> None:
        self.conn.execute(
            "UPDATE progress SET completed_at = COALESCE(completed_at, ?), furthest = ?, updated_at = ? WHERE lesson = ?",
            (time.time(), steps, time.time(), lesson),
        )

    def reset(self, lesson: str) -> bool:
        with self.conn:
            self.conn.execute("BEGIN")
            n = self.conn.execute("DELETE FROM progress WHERE lesson = ?", (lesson,)).rowcount
            n += self.conn.execute("DELETE FROM questions WHERE lesson = ?", (lesson,)).rowcount
        return n > 0

    # -- questions -----------------------------------------------------------------------
    def question(self, lesson: str, question: str) -> QuestionRow:
        row = self.conn.execute(
            "SELECT status, attempts, hints, last_answer FROM questions WHERE lesson = ? AND question = ?", (lesson, question)
        ).fetchone()
        return QuestionRow(*row) if row else QuestionRow()

    def save_question(self, lesson: str, question: str, state: QuestionRow) -> None:
        self.conn.execute(
            """INSERT INTO questions (lesson, question, status, attempts, hints, last_answer) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (lesson, question) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
               hints = excluded.hints, last_answer = excluded.last_answer""",
            (lesson, question, state.status, state.attempts, state.hints, state.last_answer),
        )

    # -- events --------------------------------------------------------------------------
    def record(self, kind: str, data: dict[str, Any], at: float) -> None:
        self.conn.execute(
            "INSERT INTO events (at, kind, lesson, question, data) VALUES (?, ?, ?, ?, ?)",
            (at, kind, data.get("lesson"), data.get("question"), json.dumps(data, default=str)),
        )

    def events(self, lesson: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT at, kind, data FROM events WHERE 1=1", []
        if lesson:
            sql += " AND lesson = ?"
            args.append(lesson)
        if kind:
            sql += " AND kind = ?"
            args.append(kind)
        return [{"at": r[0], "event": r[1], **json.loads(r[2])} for r in self.conn.execute(sql + " ORDER BY id", args)]
