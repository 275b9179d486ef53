"""The PostgreSQL quiz store: the server keeps the rules (see ``pgschema``), this is its client.

A student connects as their own role: on a lab machine by peer authentication over the local
socket (the login account is the role, no password), elsewhere with the password the lecturer
handed out. The lecturer connects as the owner of schema ``tutor`` to set up, enrol and report.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit, urlunsplit

from tutor.core.quizdb import pgschema
from tutor.core.quizdb.base import StoreError, TimeUp, variant_seed

if TYPE_CHECKING:
    from tutor.core.models import Quiz

__all__ = ["PgStore", "redact"]


def redact(url: str) -> str:
    """The address without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


class PgStore:
    def __init__(self, url: str):
        import psycopg

        self.where = redact(url)
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=15, application_name="tutor")
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to the quiz server {self.where}: {first}") from exc
        row = self._one("SELECT session_user::text, extract(epoch FROM clock_timestamp())::float8, to_regclass('tutor.meta') IS NOT NULL")
        self.user, server_now, ready = str(row[0]), float(row[1]), bool(row[2])
        self.offset = server_now - time.time()
        self.version = 0
        if ready:
            got = self._one("SELECT value FROM tutor.meta WHERE key = 'schema_version'", quiet=True)
            self.version = int(got[0]) if got else 0
            if self.version > pgschema.VERSION:
                raise StoreError(f"{self.where}: the quiz tables were set up by a newer tutor (layout {self.version}; this "
                                 f"one knows up to {pgschema.VERSION}). Upgrade landscape-tutor.")

    # -- plumbing ------------------------------------------------------------------------
    def _fail(self, exc: Exception) -> NoReturn:
        import psycopg

        diag = getattr(exc, "diag", None)
        msg = (diag.message_primary if diag is not None and diag.message_primary else str(exc)).strip()
        code = getattr(exc, "sqlstate", None) or ""
        if code == "TQ004":
            raise TimeUp(msg) from exc
        if code.startswith("TQ"):
            raise StoreError(msg) from exc
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            raise StoreError(f"the quiz server refused: {msg}") from exc
        if isinstance(exc, psycopg.OperationalError):
            raise StoreError(f"lost the quiz server {self.where}: {msg}. Your submitted answers are on the server; "
                             "run the same command to continue.") from exc
        raise StoreError(f"the quiz server said: {msg}") from exc

    def _run(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        try:
            cur = self.conn.execute(sql, args)
            return list(cur.fetchall()) if cur.description else []
        except psycopg.Error as exc:
            self._fail(exc)

    def _one(self, sql: str, args: tuple[Any, ...] = (), *, quiet: bool = False) -> tuple[Any, ...] | Any:
        rows = self._run(sql, args)
        if not rows:
            if quiet:
                return None
            raise StoreError(f"the quiz server returned nothing for {sql.split()[0]}")
        return rows[0]

    def _need_tables(self) -> None:
        if not self.version:
            raise StoreError(f"no quiz tables on {self.where} yet: the lecturer runs `tutor quiz setup --db URL` first")

    # -- a student's side ----------------------------------------------------------------
    def identify(self, claimed: str | None) -> str:
        self._need_tables()
        if claimed and claimed != self.user:
            raise StoreError(f"you are connected to the quiz server as {self.user}; --student {claimed[:64]} is someone "
                             "else (leave --student out, or log in as that student)")
        return self.user

    def seeds(self, quiz: Quiz, student: str, names: list[str]) -> dict[str, int]:
        rows = self._run("SELECT name, seed FROM tutor.my_seeds(%s, %s)", (quiz.id, names))
        return {str(n): int(s) for n, s in rows}

    def now(self) -> float:
        return time.time() + self.offset

    def start(self, quiz: Quiz, student: str, now: float) -> float:
        self._run("INSERT INTO tutor.runs (quiz, student) VALUES (%s, %s) ON CONFLICT DO NOTHING", (quiz.id, student))
        return float(self._one("SELECT extract(epoch FROM started_at)::float8 FROM tutor.runs WHERE quiz = %s AND student = %s",
                               (quiz.id, student))[0])

    def finish(self, quiz_id: str, student: str, now: float) -> None:
        self._run("INSERT INTO tutor.finishes (quiz, student) VALUES (%s, %s) ON CONFLICT DO NOTHING", (quiz_id, student))

    def finished(self, quiz_id: str, student: str) -> bool:
        return bool(self._one("SELECT EXISTS (SELECT 1 FROM tutor.finishes WHERE quiz = %s AND student = %s)", (quiz_id, student))[0])

    def submit(self, quiz: Quiz, student: str, question: str, seed: int, params: dict[str, Any], answer: str,
               correct: bool, now: float) -> int:
        from psycopg.types.json import Jsonb

        row = self._one("INSERT INTO tutor.submissions (quiz, student, question, attempt, params, answer, correct) "
                        "VALUES (%s, %s, %s, 1, %s, %s, %s) RETURNING attempt",
                        (quiz.id, student, question, Jsonb(params), answer, correct))
        return int(row[0])

    def attempts(self, quiz_id: str, student: str, question: str) -> list[dict[str, Any]]:
        rows = self._run("SELECT attempt, answer, correct, extract(epoch FROM submitted_at)::float8 FROM tutor.submissions "
                         "WHERE quiz = %s AND student = %s AND question = %s ORDER BY attempt", (quiz_id, student, question))
        return [{"attempt": a, "answer": ans, "correct": bool(c), "at": t} for a, ans, c, t in rows]

    # -- the lecturer's side (the owner of schema tutor reads every row) ------------------
    def all_submissions(self, quiz_id: str) -> list[dict[str, Any]]:
        self._need_tables()
        rows = self._run("SELECT student, question, attempt, params, answer, correct, extract(epoch FROM submitted_at)::float8 "
                         "FROM tutor.submissions WHERE quiz = %s ORDER BY id", (quiz_id,))
        return [{"student": s, "question": q, "attempt": a, "seed": None, "params": p, "answer": ans, "recorded_correct": bool(c),
                 "submitted_at": t} for s, q, a, p, ans, c, t in rows]

    def runs(self, quiz_id: str) -> dict[str, dict[str, Any]]:
        self._need_tables()
        rows = self._run("SELECT r.student, extract(epoch FROM r.started_at)::float8, extract(epoch FROM f.finished_at)::float8 "
                         "FROM tutor.runs r LEFT JOIN tutor.finishes f USING (quiz, student) WHERE r.quiz = %s", (quiz_id,))
        return {s: {"started_at": a, "finished_at": b} for s, a, b in rows}

    def roster(self, quiz_id: str) -> dict[str, dict[str, str]]:
        self._need_tables()
        rows = self._run("SELECT student, name, email, section FROM tutor.roster WHERE quiz = %s ORDER BY student", (quiz_id,))
        return {s: {"name": n or "", "email": e or "", "section": sec or ""} for s, n, e, sec in rows}

    def rules(self, quiz_id: str) -> dict[str, Any] | None:
        row = self._one("SELECT attempts, extract(epoch FROM time_limit)::float8 FROM tutor.quizzes WHERE quiz = %s", (quiz_id,), quiet=True)
        return None if row is None else {"attempts": row[0], "time_limit": None if row[1] is None else row[1] / 60}

    def grading_seeds(self, quiz: Quiz, student: str, names: list[str]) -> dict[str, int]:
        """The seeds a student was given, computed from the secret (only its owner can read it)."""
        self._need_tables()
        key = self._one("SELECT key FROM tutor.secret", quiet=True)
        if key is None:
            raise StoreError(f"{self.where}: no variant secret: run `tutor quiz setup` first")
        rules = self._one("SELECT per_student FROM tutor.quizzes WHERE quiz = %s", (quiz.id,), quiet=True)
        per = rules[0] if rules else quiz.quiz.variants == "per-student"
        who = student if per else ""
        return {n: variant_seed(bytes(key[0]), quiz.id, who, n) for n in names}
