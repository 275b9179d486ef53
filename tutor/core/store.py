"""The learner's progress and every event, in SQLite, written as it happens.

WAL journal and one transaction per write: a learner whose terminal is killed mid-lesson loses
nothing they submitted. Concurrent writers (a class on one lab machine) wait on a busy timeout
instead of failing with "database is locked".

What the machine may do to the file (damage it, fill the disk, make the folder read-only, leave a
store from a newer version) is handled in ``storefile``: the store is moved aside, read from
memory, or refused by name, and ``Store.saving`` tells whether what happens now reaches the disk.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from tutor.core import storefile
from tutor.core.storefile import StoreError, connect  # noqa: F401  (the quiz store uses connect)

# Version 1 is the layout that shipped unversioned (user_version 0) with the version stamped; a
# later version adds its migration to LAYOUT.migrations and raises SCHEMA_VERSION.
SCHEMA_VERSION = 1
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
CREATE INDEX IF NOT EXISTS events_lesson ON events (lesson, kind)
"""


def _adopt_shipped(conn: sqlite3.Connection) -> None:
    """0 -> 1: the shipped layout is version 1; add whatever of it a killed first run left out."""
    for statement in SCHEMA.split(";"):
        conn.execute(statement)


LAYOUT = storefile.Layout(
    name="progress store",
    version=SCHEMA_VERSION,
    create=SCHEMA.split(";"),
    columns={
        "progress": {"lesson", "position", "furthest", "steps", "params", "completed_at", "updated_at"},
        "questions": {"lesson", "question", "status", "attempts", "hints", "last_answer"},
        "events": {"id", "at", "kind", "lesson", "question", "data"},
    },
    migrations={0: _adopt_shipped},
)


def default_home() -> Path:
    env = os.environ.get("TUTOR_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("landscape-tutor", appauthor=False))


@dataclass
class QuestionRow:
    status: str = "open"
    attempts: int = 0
    hints: int = 0
    last_answer: str | None = None


class ProgressRow(NamedTuple):  # a NamedTuple: cheaper to define on the start-up path than a dataclass
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


T = TypeVar("T")
_current: weakref.ref[Store] | None = None


def saved_so_far() -> bool | None:
    """Whether everything of the last progress store opened reached the disk (None: none was opened)."""
    store = _current() if _current is not None else None
    return None if store is None else store.saving


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class Store:
    """Progress, question state and the event log of one learner.

    ``warn`` is told (and ``warnings`` keeps) every message about the file itself: a damaged store
    moved aside, a location that cannot be written, progress that from now on is not saved.
    """

    def __init__(self, path: Path | str | None = None, *, warn: Callable[[str], None] | None = None):
        global _current
        self.path = Path(path) if path else default_home() / "progress.sqlite3"
        self.warnings: list[str] = []
        self.warn = warn
        opened = storefile.open_store(self.path, LAYOUT)
        self.conn, self.saving = opened.conn, opened.saving
        for note in opened.notes:
            self._note(note)
        _current = weakref.ref(self)

    def _note(self, message: str) -> None:
        if message in self.warnings:
            return
        self.warnings.append(message)
        if self.warn is not None:
            self.warn(message)

    def close(self) -> None:
        self.conn.close()

    def _do(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work``; if the file fails under it, recover (see ``_recover``) and run it once more."""
        try:
            return work(self.conn)
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            self._recover(exc)
            return work(self.conn)

    def _recover(self, exc: sqlite3.Error) -> None:
        kind = storefile.classify(exc)
        if kind == "busy":
            raise StoreError(f"{self.path} stayed locked by another program; your last step was not saved. "
                             "Close other copies of the tutor and run the same command again.") from None
        if not self.saving or kind == "other":
            raise StoreError(f"the progress store {self.path} failed: {storefile.reason(exc)}") from None
        if kind == "damaged":
            self.conn.close()
            opened = storefile.open_store(self.path, LAYOUT)
            self.conn, self.saving = opened.conn, opened.saving
            for note in opened.notes:
                self._note(note)
            return
        why = storefile.diagnose(self.path, exc)
        self.conn, old = storefile.memory(LAYOUT, self.conn), self.conn
        old.close()
        self.saving = False
        self._note(f"tutor: could not save to {self.path} ({why}). From here on your progress is kept only until "
                   f"you leave; {storefile.advice(why)}, then run the tutor again to continue from the last saved step.")

    # -- progress ------------------------------------------------------------------------
    def progress(self, lesson: str) -> ProgressRow | None:
        row = self._do(lambda c: c.execute(
            "SELECT lesson, position, furthest, steps, params, completed_at FROM progress WHERE lesson = ?", (lesson,)
        ).fetchone())
        if not row:
            return None
        return ProgressRow(row[0], _int(row[1]), _int(row[2]), _int(row[3]), self._params(row[0], row[4]), row[5])

    def all_progress(self) -> dict[str, ProgressRow]:
        rows = self._do(lambda c: c.execute(
            "SELECT lesson, position, furthest, steps, params, completed_at, updated_at FROM progress").fetchall())
        return {r[0]: ProgressRow(r[0], _int(r[1]), _int(r[2]), _int(r[3]), self._params(r[0], r[4]), r[5], r[6] or 0.0)
                for r in rows}

    def _params(self, lesson: str, text: Any) -> dict[str, Any]:
        try:
            value = json.loads(text)
        except (TypeError, ValueError):
            value = None
        if not isinstance(value, dict):
            self._note(f"tutor: the saved parameters of lesson {lesson!r} in {self.path} cannot be read; "
                       "the lesson's defaults are used.")
            return {}
        return value

    def save_position(self, lesson: str, position: int, steps: int, params: dict[str, Any]) -> None:
        args = (lesson, position, position, steps, json.dumps(params), time.time())
        self._do(lambda c: c.execute(
            """INSERT INTO progress (lesson, position, furthest, steps, params, updated_at) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (lesson) DO UPDATE SET position = excluded.position,
               furthest = MAX(progress.furthest, excluded.furthest), steps = excluded.steps,
               params = excluded.params, updated_at = excluded.updated_at""", args))

    def complete(self, lesson: str, steps: int) -> None:
        now = time.time()
        self._do(lambda c: c.execute(
            "UPDATE progress SET completed_at = COALESCE(completed_at, ?), furthest = ?, updated_at = ? WHERE lesson = ?",
            (now, steps, now, lesson)))

    def reset(self, lesson: str) -> bool:
        def work(c: sqlite3.Connection) -> int:
            with c:
                c.execute("BEGIN")
                n = c.execute("DELETE FROM progress WHERE lesson = ?", (lesson,)).rowcount
                n += c.execute("DELETE FROM questions WHERE lesson = ?", (lesson,)).rowcount
            return n

        return self._do(work) > 0

    # -- questions -----------------------------------------------------------------------
    def question(self, lesson: str, question: str) -> QuestionRow:
        row = self._do(lambda c: c.execute(
            "SELECT status, attempts, hints, last_answer FROM questions WHERE lesson = ? AND question = ?", (lesson, question)
        ).fetchone())
        if not row:
            return QuestionRow()
        status = row[0] if row[0] in ("open", "correct", "revealed", "skipped") else "open"
        return QuestionRow(status, _int(row[1]), _int(row[2]), row[3] if isinstance(row[3], str) else None)

    def save_question(self, lesson: str, question: str, state: QuestionRow) -> None:
        args = (lesson, question, state.status, state.attempts, state.hints, state.last_answer)
        self._do(lambda c: c.execute(
            """INSERT INTO questions (lesson, question, status, attempts, hints, last_answer) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (lesson, question) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
               hints = excluded.hints, last_answer = excluded.last_answer""", args))

    # -- events --------------------------------------------------------------------------
    def record(self, kind: str, data: dict[str, Any], at: float) -> None:
        args = (at, kind, data.get("lesson"), data.get("question"), json.dumps(data, default=str))
        self._do(lambda c: c.execute("INSERT INTO events (at, kind, lesson, question, data) VALUES (?, ?, ?, ?, ?)", args))

    def events(self, lesson: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT at, kind, data FROM events WHERE 1=1", []
        if lesson:
            sql += " AND lesson = ?"
            args.append(lesson)
        if kind:
            sql += " AND kind = ?"
            args.append(kind)
        rows = self._do(lambda c: c.execute(sql + " ORDER BY id", args).fetchall())
        out = []
        for at, event, data in rows:
            try:
                fields = json.loads(data)
            except (TypeError, ValueError):
                fields = None
            out.append({"at": at, "event": event, **(fields if isinstance(fields, dict) else {})})
        return out
