"""The lecturer's commands on a PostgreSQL quiz server: set up the tables, enrol a roster."""

from __future__ import annotations

import csv
import secrets
import string
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.core.quizdb import pgschema
from tutor.core.quizdb.base import StoreError

if TYPE_CHECKING:
    from tutor.core.models import Quiz
    from tutor.core.quizdb.pg import PgStore

ROSTER_COLUMNS = ("id", "name", "email", "section")
ALPHABET = string.ascii_letters + string.digits  # a password is a CSV cell too: never one that starts with = + - @


@dataclass
class Student:
    id: str
    name: str = ""
    email: str = ""
    section: str = ""


def read_roster(path: Path) -> list[Student]:
    """A roster CSV: a header with ``id`` and optionally ``name``, ``email``, ``section``."""
    from tutor.core.quiz import STUDENT_ID

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path}: cannot read the roster ({exc})") from exc
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "id" not in header:
        raise StoreError(f"{path}:1: the roster needs a header line with an `id` column (and optionally name, email, section)")
    unknown = [h for h in header if h not in ROSTER_COLUMNS]
    if unknown:
        raise StoreError(f"{path}:1: unknown roster column(s) {', '.join(unknown)}; known: {', '.join(ROSTER_COLUMNS)}")
    reader.fieldnames = header
    out: list[Student] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        sid = (row.get("id") or "").strip()
        if not STUDENT_ID.fullmatch(sid) or len(sid) > 63:
            raise StoreError(f"{path}:{line}: student id {sid[:70]!r} is not usable: 1 to 63 letters, digits and . _ @ + - "
                             "starting with a letter or digit")
        if sid in seen:
            raise StoreError(f"{path}:{line}: student {sid} is listed twice (first on line {seen[sid]})")
        seen[sid] = line
        out.append(Student(sid, *((row.get(k) or "").strip()[:200] for k in ROSTER_COLUMNS[1:])))
    if not out:
        raise StoreError(f"{path}: the roster lists no students")
    return out


def setup(store: PgStore) -> str:
    """Create or update the tables, grants, policies and functions; safe to run again."""
    from psycopg import sql

    conn = store.conn
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('landscape-tutor setup'))")
        owner = conn.execute("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'tutor'").fetchone()
        if owner and owner[0].strip('"') != store.user:
            raise StoreError(f"schema tutor on {store.where} belongs to {owner[0]}; run setup (and enrol, report) as that role")
        version = 0
        meta = conn.execute("SELECT to_regclass('tutor.meta')").fetchone()
        if meta is not None and meta[0] is not None:
            got = conn.execute("SELECT value FROM tutor.meta WHERE key = 'schema_version'").fetchone()
            version = int(got[0]) if got else 0
        if version > pgschema.VERSION:
            raise StoreError(f"{store.where}: set up by a newer tutor (layout {version}); upgrade landscape-tutor")
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (pgschema.STUDENTS,)).fetchone():
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(pgschema.STUDENTS)))
        conn.execute(pgschema.SETUP.format(students=pgschema.STUDENTS).encode())
        for table in pgschema.POLICIES:
            conn.execute(pgschema.policy_sql(table, pgschema.STUDENTS).encode())
        conn.execute("INSERT INTO tutor.secret (id, key) VALUES (1, %s) ON CONFLICT DO NOTHING", (secrets.token_bytes(32),))
        conn.execute("INSERT INTO tutor.meta (key, value) VALUES ('schema_version', %s) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(pgschema.VERSION),))
    store.version = pgschema.VERSION
    return ("updated" if version else "created") + f" the quiz tables on {store.where} (layout {pgschema.VERSION})"


def enrol(store: PgStore, quiz: Quiz, students: list[Student], *, passwords: bool) -> tuple[list[tuple[str, str]], list[str]]:
    """Register the quiz's rules with the server and one role per student.

    Returns (student, password) for roles created now (password empty without ``passwords``:
    peer authentication on the lab machine), and notes about students already there."""
    from psycopg import sql

    store._need_tables()
    conn = store.conn
    s = quiz.quiz
    created: list[tuple[str, str]] = []
    notes: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('landscape-tutor enrol'))")
        conn.execute(
            "INSERT INTO tutor.quizzes (quiz, title, attempts, time_limit, per_student, questions) "
            "VALUES (%s, %s, %s, make_interval(secs => %s), %s, %s) ON CONFLICT (quiz) DO UPDATE SET title = excluded.title, "
            "attempts = excluded.attempts, time_limit = excluded.time_limit, per_student = excluded.per_student, questions = excluded.questions",
            (quiz.id, quiz.title, s.attempts, None if s.time_limit is None else s.time_limit * 60, s.variants == "per-student",
             [f"{q.lesson}/{q.question}" for q in quiz.questions]))
        for st in students:
            role = sql.Identifier(st.id)
            exists = conn.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = %s", (st.id,)).fetchone()
            if exists is None:
                password = "".join(secrets.choice(ALPHABET) for _ in range(14)) if passwords else ""
                stmt = sql.SQL("CREATE ROLE {} LOGIN").format(role) if not password else \
                    sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(password))
                conn.execute(stmt)
                created.append((st.id, password))
            elif exists[0]:
                raise StoreError(f"{st.id} is an administrator role on this server, not a student; remove it from the roster")
            else:
                notes.append(f"{st.id}: role already there, password unchanged")
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(pgschema.STUDENTS), role))
            conn.execute("INSERT INTO tutor.roster (quiz, student, name, email, section) VALUES (%s, %s, %s, %s, %s) "
                         "ON CONFLICT (quiz, student) DO UPDATE SET name = excluded.name, email = excluded.email, section = excluded.section",
                         (quiz.id, st.id, st.name or None, st.email or None, st.section or None))
    return created, notes
