"""What the machine does to the tutor (issue 13): a damaged, newer, unwritable or full progress
store, odd output encodings, closed standard streams. Each gives a message that names the file or
setting and what to do, the right exit status, and says "saved" only when it is true.

Read-only and full file systems are real ones where the machine allows it (a tmpfs mounted in a
private mount namespace with ``unshare``, which needs root); elsewhere those tests are skipped and
the same paths are covered in-process by a connection that fails the way SQLite does."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, tutor
from tutor.core import store as store_mod
from tutor.core.store import QuestionRow, Store

SHIPPED = ROOT / "tests" / "fixtures" / "progress-shipped-f5f7b12.sqlite3"  # written by the tutor at f5f7b12
PARTIAL = "2\n-1, 1\n"  # the tour's first two questions, then input ends


def db(home: Path) -> Path:
    return home / "progress.sqlite3"


def sql(path: Path, *statements: str) -> None:
    """Change a store as another program would, leaving no WAL behind."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def lesson_to_step_3(home: Path) -> None:
    r = tutor("plain", "tour", input=PARTIAL)
    assert r.returncode == 1 and "Your progress is saved." in r.stdout, r.stdout + r.stderr
    sql(db(home))


def aside_files(home: Path) -> list[Path]:
    return sorted(p for p in home.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm")))


# -- versions ------------------------------------------------------------------------------------

def test_a_store_written_by_the_shipped_version_opens_and_is_migrated(tutor_home):
    tutor_home.mkdir()
    shutil.copy(SHIPPED, db(tutor_home))
    with sqlite3.connect(db(tutor_home)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    r = tutor("progress")
    assert r.returncode == 0 and r.stderr == ""
    assert "mse-not-a-parabola  [##........]  step 4 of 13" in r.stdout
    assert "tour  [####......]  step 4 of 8  How the tutor works" in r.stdout
    with sqlite3.connect(db(tutor_home)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store_mod.SCHEMA_VERSION == 1
        assert conn.execute("SELECT status, attempts, hints FROM questions WHERE question = 'where-minima'").fetchone() == ("open", 2, 1)
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 18
    r = tutor("plain", "tour", input="-1.5, 1.5\n")  # the saved variant (y = 2.25) and attempts are kept
    assert "Parameters: y = 2.25\nResuming at step 4" in r.stdout and "Right, on attempt 3." in r.stdout


def test_a_store_from_a_newer_version_is_refused_with_its_version(tutor_home):
    lesson_to_step_3(tutor_home)
    sql(db(tutor_home), "PRAGMA user_version = 7")
    before = db(tutor_home).read_bytes()
    message = (f"tutor: {db(tutor_home)} was written by a newer version of Landscape Tutor (store version 7; this version "
               "reads up to 1). Upgrade the tutor (pip install -U landscape-tutor), or set TUTOR_HOME to another folder "
               "to keep a separate store.\n")
    for args in (("progress",), ("list",), ("plain", "tour")):
        r = tutor(*args, input="")
        assert r.returncode == 2 and r.stderr == message, (args, r.stderr)
    assert db(tutor_home).read_bytes() == before


# -- damage: moved aside, kept, named; a fresh store ---------------------------------------------

def _random(path: Path) -> None:
    path.write_bytes(os.urandom(20_000))


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[16:20] = b"XXXX"
    data[4096:4100] = b"XXXX"
    path.write_bytes(bytes(data))


def _unknown_layout(path: Path) -> None:
    sql(path, "DROP TABLE questions",
        "CREATE TABLE questions (lesson TEXT, question TEXT, status TEXT, attempts INT, hints INT, "
        "last_answer TEXT, extra TEXT NOT NULL, PRIMARY KEY (lesson, question))", "PRAGMA user_version = 0")


DAMAGE = {"random-bytes": (_random, "not a database"), "truncated": (_truncated, "truncated: "),
          "damaged-header": (_header, "a damaged header"), "unknown-layout": (_unknown_layout, "not the layout of a progress store: an unknown required column questions.extra")}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_store_is_moved_aside_kept_and_named(tutor_home, kind):
    damage, why = DAMAGE[kind]
    lesson_to_step_3(tutor_home)
    damage(db(tutor_home))
    before = db(tutor_home).read_bytes()
    r = tutor("progress")
    assert r.returncode == 0, r.stderr
    [aside] = aside_files(tutor_home)
    assert aside.read_bytes() == before  # kept as it was
    assert r.stderr.startswith(f"tutor: the progress store {db(tutor_home)} was damaged ({why}")
    assert r.stderr.endswith(f"); it is kept as {aside} and a fresh store was started.\n")
    assert r.stdout == "No progress yet. `tutor list` shows the lessons.\n"
    r = tutor("plain", "tour", input=PARTIAL)  # the fresh store works, with no more messages
    assert r.returncode == 1 and r.stderr == "" and "Your progress is saved." in r.stdout
    assert "tour  [#####.....]  step 5 of 8" in tutor("progress").stdout


def test_a_folder_where_the_store_should_be(tutor_home):
    db(tutor_home).mkdir(parents=True)
    for args in (("progress",), ("plain", "tour")):
        r = tutor(*args, input="")
        assert r.returncode == 2
        assert r.stderr == (f"tutor: {db(tutor_home)} is a folder, but the progress store must be a file: move the "
                            "folder away, or set TUTOR_HOME to another folder.\n")


def test_bad_json_in_a_row_uses_the_lessons_defaults(tutor_home):
    lesson_to_step_3(tutor_home)
    sql(db(tutor_home), "UPDATE progress SET params = 'not json'")
    message = (f"tutor: the saved parameters of lesson 'tour' in {db(tutor_home)} cannot be read; "
               "the lesson's defaults are used.\n")
    r = tutor("progress")
    assert r.returncode == 0 and r.stderr == message and "step 5 of 8" in r.stdout
    r = tutor("plain", "tour", input="2\n")
    assert r.stderr == message and "Parameters: y = 1\nResuming at step 5" in r.stdout and "Right!" in r.stdout
    assert tutor("progress").stderr == ""  # the row was written again, whole


# -- locations that cannot be written -----------------------------------------------------------

def test_an_unwritable_home_still_lists_and_shows_progress(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = {"TUTOR_HOME": str(blocker / "home")}
    warning = (f"tutor: cannot create {blocker / 'home'} (Not a directory). Nothing you do now will be saved; "
               "to keep your progress, set TUTOR_HOME to a folder you can write to.\n")
    r = tutor("list", env=env)
    assert r.returncode == 0 and "tour" in r.stdout and r.stderr == warning
    r = tutor("progress", env=env)
    assert r.returncode == 0 and r.stderr == warning
    r = tutor("plain", "tour", input=PARTIAL, env=env)
    assert r.returncode == 1 and r.stderr == warning
    assert "Right!" in r.stdout and r.stdout.rstrip().endswith(
        "Input ended before the lesson did. Your progress was not saved (see the warning above).")
    r = tutor("reset", "tour", "--yes", env=env)
    assert r.returncode == 2 and r.stderr.endswith("tutor: cannot reset tour: the progress store "
                                                   f"{blocker / 'home' / 'progress.sqlite3'} cannot be written (see above).\n")


def _namespace_ok() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not _namespace_ok(), reason="needs root and unshare -m to mount a private tmpfs")


def in_namespace(script: str, mnt: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run a shell script in a private mount namespace, with `tutor` as this Python's tutor."""
    mnt.mkdir()
    tut = tmp_path / "tutor"
    tut.write_text(f'#!/bin/sh\nexec {sys.executable} -m tutor "$@"\n')
    tut.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}", "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8",
           "MNT": str(mnt)}
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=env, timeout=120)


@needs_mounts
def test_a_read_only_file_system_with_a_store_on_it(tmp_path):
    mnt = tmp_path / "mnt"
    r = in_namespace("""set -e
        mount -t tmpfs tmpfs $MNT
        printf '2\\n-1, 1\\n' | TUTOR_HOME=$MNT/home tutor plain tour > /dev/null || true
        mount -o remount,ro $MNT
        export TUTOR_HOME=$MNT/home
        tutor progress; echo "progress exit $?"
        tutor list > /dev/null; echo "list exit $?"
        printf ':quit\\n' | tutor plain tour | tail -1
        tutor reset tour --yes || echo "reset exit $?"
        """, mnt, tmp_path)
    store = mnt / "home" / "progress.sqlite3"
    warning = (f"tutor: cannot write to {store} (read-only file system). Nothing you do now will be saved (what was "
               "saved before is shown); to keep your progress, set TUTOR_HOME to a folder you can write to.")
    assert r.stdout.splitlines() == ["tour  [#####.....]  step 5 of 8  How the tutor works", "progress exit 0", "list exit 0",
                                     "Stopped. Your progress was not saved (see the warning above).", "reset exit 2"], r.stderr
    assert r.stderr.splitlines() == [warning] * 4 + [f"tutor: cannot reset tour: the progress store {store} cannot be written (see above)."]


@needs_mounts
def test_a_full_file_system(tmp_path):
    mnt = tmp_path / "mnt"
    r = in_namespace("""mount -t tmpfs -o size=64k tmpfs $MNT
        printf '2\\n' | TUTOR_HOME=$MNT/home tutor plain tour | tail -1; echo "plain exit $?"
        """, mnt, tmp_path)
    assert r.stdout.splitlines() == ["Input ended before the lesson did. Your progress was not saved (see the warning above).",
                                     "plain exit 0"]
    assert r.stderr == (f"tutor: cannot write to {mnt / 'home' / 'progress.sqlite3'} (the disk is full). Nothing you do now "
                        "will be saved; to keep your progress, free some disk space.\n")


class FailingWrites:
    """A connection whose writes fail the way SQLite's do on a full disk, from the first write that
    mentions ``trigger`` on."""

    def __init__(self, conn: sqlite3.Connection, trigger: str, error: str = "database or disk is full"):
        self.conn, self.trigger, self.error, self.full = conn, trigger, error, False

    def execute(self, statement: str, args=()):
        if not statement.lstrip().upper().startswith("SELECT"):
            self.full = self.full or any(self.trigger in str(a) for a in args)
            if self.full:
                raise sqlite3.OperationalError(self.error)
        return self.conn.execute(statement, args)

    def __getattr__(self, name):
        return getattr(self.conn, name)


def test_the_disk_fills_up_mid_lesson(tutor_home, monkeypatch):
    from tutor.core.loader import catalog, lesson_dirs
    from tutor.core.session import Session
    from tutor.lines.lesson import LessonLines
    from tutor.main import install_runner

    monkeypatch.setattr(os, "statvfs", lambda p: os.statvfs_result((4096,) * 4 + (0,) * 6))  # nothing left
    install_runner()
    warnings: list[str] = []
    store = Store(db(tutor_home), warn=warnings.append)
    store.conn = FailingWrites(store.conn, trigger="where-minima")  # type: ignore[assignment]
    session = Session(catalog(lesson_dirs()).lesson("tour"), store=store)
    out = io.StringIO()
    code = LessonLines(session, io.StringIO("2\n-1, 1\n2\n:quit\n"), out, width=80).run()
    assert code == 0
    assert warnings == [f"tutor: could not save to {db(tutor_home)} (the disk is full). From here on your progress is kept "
                        "only until you leave; free some disk space, then run the tutor again to continue from the last saved step."]
    assert out.getvalue().count("Right") == 3  # the lesson went on
    assert out.getvalue().rstrip().endswith("Stopped. Your progress was not saved (see the warning above).")
    assert not store.saving and store_mod.saved_so_far() is False
    saved = Store(db(tutor_home))  # what reached the disk before it filled is still there
    assert saved.question("tour", "how-many-minima") == QuestionRow("correct", 1, 0, "2")
    assert saved.question("tour", "where-minima") == QuestionRow()


def test_the_crash_report_says_saved_only_when_it_is(tutor_home):
    from tutor.cli.base import _crash_report

    store_mod._current = None
    assert "saved" not in _crash_report(RuntimeError("x"))
    store = Store(db(tutor_home))
    assert "Your progress up to here is saved." in _crash_report(RuntimeError("x"))
    store.saving = False
    assert "Your progress was not saved (see the warning above)." in _crash_report(RuntimeError("x"))


def test_an_events_file_that_cannot_be_written(tmp_path):
    r = tutor("plain", "tour", "--events", str(tmp_path / "no" / "such" / "ev.jsonl"), input="")
    assert r.returncode == 2
    assert r.stderr == (f"tutor: cannot write events to {tmp_path / 'no' / 'such' / 'ev.jsonl'}: No such file or directory; "
                        "choose another --events file\n")


# -- streams -------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_an_ascii_or_latin1_output_never_crashes(encoding):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "LANG": "C.UTF-8"}
    for args, given in ((["plain", "tour", "--width", "80"], "2\n-1, 1\nπ\n"), (["list"], "")):
        r = subprocess.run([sys.executable, "-m", "tutor", *args], input=given.encode(encoding, "replace"),
                           capture_output=True, env=env, timeout=60)
        out, err = r.stdout.decode(encoding, "replace"), r.stderr.decode(encoding, "replace")  # click writes UTF-8 to an "ascii" stdout
        assert "internal error" not in err and "Traceback" not in err, err
        assert r.returncode == (1 if given else 0)
        assert "How the tutor works" in out
        if given:
            assert "Right!" in out and "Input ended before the lesson did. Your progress is saved." in out


def sh(command: str, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8", **env}
    return subprocess.run(["sh", "-c", command.replace("tutor", f"{sys.executable} -m tutor", 1)], capture_output=True,
                          text=True, env=full, timeout=60)


def test_closed_standard_input():
    r = sh("tutor plain tour <&-")
    assert r.returncode == 2 and r.stderr == ("tutor: standard input is closed; `tutor plain tour` reads your answers from it. "
                                              "Run it in a terminal, or give the answers on standard input (a pipe or `< FILE`).\n")
    r = sh("tutor <&-")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr == "tutor: no terminal here; `tutor list` shows lessons and `tutor plain LESSON` runs one in line mode.\n"


def test_closed_or_full_standard_output():
    r = sh("tutor list >&-")
    assert r.returncode == 2 and r.stderr == ("tutor: standard output is closed, so there is nowhere to show anything; run the "
                                              "tutor with its output going to a terminal, a pipe or a file.\n")
    if Path("/dev/full").exists():
        for command in ("tutor list > /dev/full", "printf '2\\n' | tutor plain tour > /dev/full"):
            r = sh(command)
            assert r.returncode == 2 and r.stderr == "tutor: cannot write to standard output (No space left on device).\n", command


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_an_events_file_on_a_full_disk_warns_once_and_the_lesson_goes_on(tutor_home):
    from tutor.core.events import Events

    heard: list[str] = []
    events = Events(Store(db(tutor_home)), "/dev/full", warn=heard.append)
    events.emit("step_viewed", lesson="tour", step=0)
    events.emit("step_viewed", lesson="tour", step=1)
    events.close()
    assert heard == ["tutor: could not write to the events file /dev/full (No space left on device); "
                     "no more events go there in this session."]
    assert [e["step"] for e in Store(db(tutor_home)).events("tour")] == [0, 1]  # the store still has them
