"""Where quiz submissions live: a SQLite file for practice, a PostgreSQL server for grading.

``open_store`` picks by the address: ``postgresql://…`` (or ``postgres://…``) is a server whose
rules a student cannot change; anything else is a path to a SQLite file.
"""

from __future__ import annotations

import os

from tutor.core.quizdb.base import GradeSource, QuizBackend, StoreError

__all__ = ["GradeSource", "QuizBackend", "StoreError", "is_server", "open_store"]


def is_server(db: str | None) -> bool:
    return bool(db) and str(db).startswith(("postgresql://", "postgres://"))


def resolve(db: str | None) -> str | None:
    return db or os.environ.get("TUTOR_QUIZ_DB") or None


def open_store(db: str | None, *, must_exist: bool = False):
    """The store at ``db`` (or TUTOR_QUIZ_DB, else the SQLite file in TUTOR_HOME)."""
    where = resolve(db)
    if is_server(where):
        from tutor.core.quizdb.pg import PgStore

        assert where is not None
        return PgStore(where)
    from tutor.core.quizstore import QuizStore

    return QuizStore(where, must_exist=must_exist)
