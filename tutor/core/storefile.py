"""Opening a SQLite store so that what the machine does to it never ends in a traceback.

- A store from a newer version (``PRAGMA user_version`` above ours) is refused with its version.
- A store written before versions existed (``user_version`` 0, the layout that shipped) is checked
  and migrated in one transaction; each later version has its own migration.
- A damaged store (not a database, a damaged header, truncated, malformed) is moved aside, kept
  under a name the message gives, and a fresh one started.
- A location that cannot be written (read-only, full, no permission) falls back to a copy in
  memory: what was saved can be read, nothing new is saved, and the caller is told so.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from tutor.core.errors import TutorError

Migration = Callable[[sqlite3.Connection], None]


class StoreError(TutorError):
    """A store that cannot be used at all: say which file, why, and what to do."""


class Layout(NamedTuple):
    """What a store of one kind looks like now, and how to get there from every older version."""

    name: str  # "progress store", in messages
    version: int
    create: list[str]  # statements that make the current layout in an empty database
    columns: dict[str, set[str]]  # table -> columns the current code reads and writes
    migrations: dict[int, Migration]  # from version n to n + 1


class Opened(NamedTuple):
    conn: sqlite3.Connection
    saving: bool  # False: a copy in memory, nothing reaches the file
    notes: list[str]


def connect(path: Path | str, timeout: float = 30.0) -> sqlite3.Connection:
    """An autocommit connection in WAL mode that waits for other writers instead of failing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


class UnknownLayout(sqlite3.DatabaseError):
    """An unversioned store whose tables are not the layout that shipped: treated as damaged."""


def classify(exc: BaseException) -> str:
    """'damaged', 'unwritable', 'busy', 'layout' or 'other', from SQLite's error (3.10 has no codes)."""
    if isinstance(exc, UnknownLayout):
        return "damaged"
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "damaged"
    if any(s in text for s in ("readonly", "read-only", "unable to open", "disk is full", "disk i/o", "permission")):
        return "unwritable"
    if "locked" in text or "busy" in text:
        return "busy"
    if isinstance(exc, sqlite3.IntegrityError) or "no such table" in text or "no such column" in text or "has no column" in text:
        return "layout"
    if isinstance(exc, OSError):
        return "unwritable"
    return "other"


def reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    text = str(exc)
    if "disk is full" in text:
        return "the disk is full"
    if "readonly" in text:
        return "read-only"
    return text


def advice(why: str) -> str:
    if "full" in why or "space" in why:
        return "free some disk space"
    return "set TUTOR_HOME to a folder you can write to"


def diagnose(path: Path, exc: BaseException) -> str:
    """Why ``path`` cannot be written, in words: SQLite only says "unable to open database file"."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    said = reason(exc)
    try:
        st = os.statvfs(folder)
        if st.f_flag & os.ST_RDONLY:
            return "read-only file system"
        if "full" in said or st.f_bavail == 0:
            return "the disk is full"
    except (OSError, AttributeError):
        pass
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "permission denied"
    return said


def header_problem(path: Path) -> str | None:
    """Damage visible in the 100-byte header: not SQLite at all, or shorter than it says it is."""
    try:
        size = path.stat().st_size
        if size == 0:
            return None
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError:
        return None  # missing or unreadable: connecting says which
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return "not a database"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96]  # the page count is only kept up to date when these agree
    if page < 512 or page & (page - 1):
        return "a damaged header"
    wal = path.with_name(path.name + "-wal")
    pending = wal.exists() and wal.stat().st_size > 0  # pages not yet copied back live in the WAL file
    if valid and pages and size < page * pages and not pending:
        return f"truncated: {size:,} bytes of {page * pages:,}"
    return None


def move_aside(path: Path) -> Path:
    """Rename the store and its -wal and -shm files to ``<name>.damaged-<time>``; return the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    os.replace(path, aside)
    for extra in ("-wal", "-shm"):
        side = path.with_name(path.name + extra)
        if side.exists():
            try:
                os.replace(side, aside.with_name(aside.name + extra))
            except OSError:
                side.unlink(missing_ok=True)
    return aside


def prepare(conn: sqlite3.Connection, layout: Layout, path: Path) -> None:
    """Refuse a newer store; create or migrate an older one to ``layout.version``."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == layout.version:
        return
    if version > layout.version:
        raise StoreError(
            f"{path} was written by a newer version of Landscape Tutor (store version {version}; this version "
            f"reads up to {layout.version}). Upgrade the tutor (pip install -U landscape-tutor), or set TUTOR_HOME "
            "to another folder to keep a separate store."
        )
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])  # another process may have done it
        if version == 0:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables & set(layout.columns):
                for statement in layout.create:
                    conn.execute(statement)
                version = layout.version
            else:
                _check_unversioned(conn, layout)
        while version < layout.version:
            layout.migrations[version](conn)
            version += 1
        conn.execute(f"PRAGMA user_version = {layout.version}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _check_unversioned(conn: sqlite3.Connection, layout: Layout) -> None:
    for table, needed in layout.columns.items():
        info = conn.execute(f"PRAGMA table_info({table})").fetchall()
        if not info:
            continue  # the migration creates it
        have = {r[1] for r in info}
        missing = sorted(needed - have)
        required_extra = sorted(r[1] for r in info if r[1] not in needed and r[3] and r[4] is None and not r[5])
        if missing or required_extra:
            what = f"no column {table}.{missing[0]}" if missing else f"an unknown required column {table}.{required_extra[0]}"
            raise UnknownLayout(f"not the layout of a {layout.name}: {what}")


def open_store(path: Path, layout: Layout, *, timeout: float = 30.0) -> Opened:
    """Open (creating, migrating or replacing) the store at ``path``; never a raw SQLite error."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, but the {layout.name} must be a file: move the folder away, "
                         "or set TUTOR_HOME to another folder.")
    notes: list[str] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return read_only(path, layout, f"cannot create {path.parent} ({diagnose(path, exc)})", notes)
    problem = header_problem(path)
    if problem:
        damaged = _set_aside(path, layout, problem, notes)
        if damaged is not None:
            return damaged
    for attempt in range(2):
        conn: sqlite3.Connection | None = None
        try:
            conn = connect(path, timeout)
            prepare(conn, layout, path)
            return Opened(conn, True, notes)
        except StoreError:
            if conn is not None:
                conn.close()
            raise
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                conn.close()
            kind = classify(exc)
            if kind == "damaged" and attempt == 0:
                damaged = _set_aside(path, layout, reason(exc), notes)
                if damaged is not None:
                    return damaged
                continue
            if kind == "unwritable":
                return read_only(path, layout, f"cannot write to {path} ({diagnose(path, exc)})", notes)
            if kind == "busy":
                raise StoreError(f"{path} is locked by another program and did not free it in {timeout:.0f} s; "
                                 "close other copies of the tutor and try again.") from None
            raise StoreError(f"cannot use the {layout.name} {path}: {reason(exc)}") from None
    raise StoreError(f"cannot use the {layout.name} {path}")  # pragma: no cover (the loop returns)


def _set_aside(path: Path, layout: Layout, problem: str, notes: list[str]) -> Opened | None:
    """Move a damaged store aside; if that is impossible, fall back to an empty store in memory."""
    try:
        aside = move_aside(path)
    except OSError as exc:
        notes.append(f"tutor: the {layout.name} {path} is damaged ({problem}) and cannot be moved aside "
                     f"({reason(exc)}); nothing will be saved. Move it away yourself, or set TUTOR_HOME to another folder.")
        return Opened(memory(layout), False, notes)
    notes.append(f"tutor: the {layout.name} {path} was damaged ({problem}); it is kept as {aside} "
                 "and a fresh store was started.")
    return None


def memory(layout: Layout, source: sqlite3.Connection | None = None) -> sqlite3.Connection:
    """An in-memory store: a copy of ``source`` when it can be read, else empty."""
    mem = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    if source is not None:
        try:
            source.backup(mem)
        except sqlite3.Error:
            mem.close()
            mem = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    version = int(mem.execute("PRAGMA user_version").fetchone()[0])
    if version == 0 and not mem.execute("SELECT 1 FROM sqlite_master").fetchone():
        for statement in layout.create:
            mem.execute(statement)
        mem.execute(f"PRAGMA user_version = {layout.version}")
    return mem


def _has_rows(conn: sqlite3.Connection, layout: Layout) -> bool:
    try:
        return any(conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in layout.columns)
    except sqlite3.Error:
        return False


def read_only(path: Path, layout: Layout, why: str, notes: list[str]) -> Opened:
    """What is saved at ``path``, copied into memory: readable, and nothing reaches the file."""
    source: sqlite3.Connection | None = None
    if path.is_file() and path.stat().st_size > 0:
        for query in ("mode=ro", "immutable=1"):  # immutable: a read-only folder cannot hold the -shm file
            try:
                source = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, check_same_thread=False)
                source.execute("SELECT count(*) FROM sqlite_master").fetchone()
                break
            except sqlite3.Error:
                if source is not None:
                    source.close()
                source = None
    mem = memory(layout, source)
    if source is not None:
        source.close()
    try:
        prepare(mem, layout, path)
    except StoreError:
        mem.close()
        raise
    except sqlite3.Error:
        mem.close()
        mem = memory(layout)
    shown = " (what was saved before is shown)" if _has_rows(mem, layout) else ""
    notes.append(f"tutor: {why}. Nothing you do now will be saved{shown}; to keep your progress, {advice(why)}.")
    return Opened(mem, False, notes)
