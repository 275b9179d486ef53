"""Quiz mode: per-student variants, attempts, time limit, a shared store under load, and a report
that re-checks raw answers instead of trusting what was recorded."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import LESSONS, tutor, write
from tutor.core.errors import TutorError
from tutor.core.loader import catalog
from tutor.core.quiz import QuizRun, TimeUp, build_items, lessons_of
from tutor.core.quizstore import QuizStore

CAT = catalog([LESSONS])
QUIZ = CAT.quizzes["landscapes-week1"].quiz


def right_answer(item) -> str:
    v = item.session.expected(item.q)
    return ", ".join(repr(float(x)) for x in v) if isinstance(v, list) else repr(float(v))


def test_variants_are_per_student_and_stable():
    a1 = {it.key: it.params for it in build_items(QUIZ, CAT, "alice")}
    a2 = {it.key: it.params for it in build_items(QUIZ, CAT, "alice")}
    assert a1 == a2, "the same numbers each time a student returns"
    ys = {build_items(QUIZ, CAT, f"s{k}")[0].params.get("y") for k in range(40)} | {
        it.params.get("y") for k in range(40) for it in build_items(QUIZ, CAT, f"s{k}") if it.lesson == "mse-not-a-parabola"}
    assert len(ys - {None}) > 1, "different students get different numbers"


def test_fixed_variants_give_the_whole_class_one_set_of_numbers(tmp_path):
    """`variants: fixed` (docs/format.md): one variant drawn for the quiz, the same for every student,
    from the public seed and from a store's secret alike."""
    fixed = QUIZ.model_copy(update={"quiz": QUIZ.quiz.model_copy(update={"variants": "fixed"})})
    store = QuizStore(tmp_path / "q.sqlite3")
    for seeds in (lambda s: None, lambda s: store.seeds(fixed, s, lessons_of(fixed))):
        numbers = {tuple(sorted((it.key, tuple(sorted(it.params.items()))) for it in build_items(fixed, CAT, s, seeds(s))))
                   for s in ("alice", "bob", "carol", "student7")}
        assert len(numbers) == 1, "every student gets the same numbers"
    per_student = {build_items(QUIZ, CAT, s, store.seeds(QUIZ, s, lessons_of(QUIZ)))[0].params.get("y") for s in map(str, range(30))}
    assert len(per_student) > 1, "while per-student variants differ"


def items_of(store, student):
    """The student's items with the store's seeds (what the student is shown)."""
    return build_items(QUIZ, CAT, student, store.seeds(QUIZ, student, lessons_of(QUIZ)))


def two_students_with_different_y(store):
    seen = {}
    for k in range(100):
        it = next(i for i in items_of(store, f"student{k}") if i.key == "mse-not-a-parabola/where-minima")
        seen.setdefault(it.params["y"], f"student{k}")
        if len(seen) >= 2:
            return list(seen.values())[:2]
    raise AssertionError("no two variants")


def test_each_student_is_graded_against_their_own_numbers(tmp_path):
    store = QuizStore(tmp_path / "q.sqlite3")
    a, b = two_students_with_different_y(store)
    run_a, run_b = QuizRun(QUIZ, CAT, a, store), QuizRun(QUIZ, CAT, b, store)
    item_a = next(i for i in run_a.items if i.key == "mse-not-a-parabola/where-minima")
    item_b = next(i for i in run_b.items if i.key == "mse-not-a-parabola/where-minima")
    assert item_a.params != item_b.params
    assert run_a.submit(item_a, right_answer(item_a)).verdict.correct
    assert not run_b.submit(item_b, right_answer(item_a)).verdict.correct  # a's numbers are wrong for b
    from tutor.core import report

    rep = report.build(QUIZ, CAT, store)
    assert rep["students"][a]["scores"]["mse-not-a-parabola/where-minima"] == 2
    assert rep["students"][b]["scores"]["mse-not-a-parabola/where-minima"] == 0
    # editing the recorded "correct" flag by hand changes nothing: the report re-checks the raw answers
    with sqlite3.connect(tmp_path / "q.sqlite3") as c:
        c.execute("UPDATE submissions SET correct = 1")
    again = report.build(QUIZ, CAT, store)
    assert again["students"][b]["total"] == rep["students"][b]["total"] == 0
    # and an answer stored for someone else's seed never counts
    with sqlite3.connect(tmp_path / "q.sqlite3") as c:
        c.execute("UPDATE submissions SET seed = seed + 1 WHERE student = ?", (a,))
    assert report.build(QUIZ, CAT, store)["students"][a]["total"] == 0


def test_attempt_limit_and_unreadable_answers(tmp_path):
    run = QuizRun(QUIZ, CAT, "carol", QuizStore(tmp_path / "q.sqlite3"))
    item = run.items[0]
    sub = run.submit(item, "not a number")
    assert not sub.verdict.readable and sub.attempt == 0
    assert not run.submit(item, "123456").over
    assert run.submit(item, "654321").over
    with pytest.raises(TutorError, match="no attempts left"):
        run.submit(item, right_answer(item))
    assert run.next_item() is not item


def test_time_limit_is_enforced(tmp_path):
    now = [1000.0]
    run = QuizRun(QUIZ, CAT, "dave", QuizStore(tmp_path / "q.sqlite3"), clock=lambda: now[0])
    assert run.remaining() == pytest.approx(30 * 60)
    now[0] += 30 * 60 + 1
    assert run.timed_out
    with pytest.raises(TimeUp):
        run.submit(run.items[0], right_answer(run.items[0]))
    # coming back later does not restart the clock
    later = QuizRun(QUIZ, CAT, "dave", QuizStore(tmp_path / "q.sqlite3"), clock=lambda: now[0])
    assert later.timed_out


@pytest.mark.parametrize("student", ["a b", "../../etc/passwd", "", "x" * 65, "rm -rf;", "élève"])
def test_odd_student_ids_get_a_clear_message(student, tmp_path):
    r = tutor("quiz", "take", "landscapes-week1", "--student", student, "--plain", "--db", str(tmp_path / "q.sqlite3"), input="")
    assert r.returncode == 2 and "student id" in r.stderr and "Traceback" not in r.stderr


def test_quiz_with_missing_lesson_or_question(tmp_path):
    bad = write(tmp_path / "q" / "bad.yaml", "format: 1\nid: bad\ntitle: Bad\nquestions:\n  - {lesson: nowhere, question: x}\n"
                "  - {lesson: mse-not-a-parabola, question: nothing-here}\n")
    r = tutor("check", str(bad))
    assert r.returncode == 1
    lines = r.stdout.strip().splitlines()
    assert any(":5:" in ln and "no lesson 'nowhere'" in ln for ln in lines), lines
    assert any(":6:" in ln and "has no question 'nothing-here'" in ln for ln in lines), lines
    r = tutor("quiz", "take", str(bad), "--student", "eve", "--plain", "--db", str(tmp_path / "q.sqlite3"), input="")
    assert r.returncode == 2 and "no lesson 'nowhere'" in r.stderr
    r = tutor("quiz", "take", "no-such-quiz", "--student", "eve", "--plain", input="")
    assert r.returncode == 2 and "no quiz 'no-such-quiz'" in r.stderr and "landscapes-week1" in r.stderr


def answers_for(store, student: str, wrong_on: set[str]) -> tuple[str, float]:
    items = items_of(store, student)
    lines, total = [], 0.0
    for it in items:
        if it.key in wrong_on:
            lines += ["12345", "54321"]
        else:
            lines.append(right_answer(it))
            total += it.points
    return "\n".join(lines) + "\n", total


def test_thirty_students_at_once_on_one_store(tmp_path):
    db = tmp_path / "class.sqlite3"
    students = [f"s{k:02d}" for k in range(30)]
    keys = [f"{q.lesson}/{q.question}" for q in QUIZ.questions]
    store = QuizStore(db)
    plans = {s: answers_for(store, s, {keys[k % len(keys)]} if k % 3 else set()) for k, s in enumerate(students)}
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TUTOR_QUIZ_DB": str(db)}

    def take(s):
        return subprocess.run([sys.executable, "-m", "tutor", "quiz", "take", "landscapes-week1", "--student", s, "--plain"],
                              input=plans[s][0], capture_output=True, text=True, env=env, timeout=300)

    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(take, students))
    for s, r in zip(students, results):
        assert r.returncode == 0, (s, r.stderr[-500:])
        assert "locked" not in (r.stdout + r.stderr).lower()
        assert "Quiz submitted." in r.stdout
    with sqlite3.connect(db) as c:
        n = c.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    expected_rows = sum(len(plans[s][0].strip().splitlines()) for s in students)
    assert n == expected_rows
    r = subprocess.run([sys.executable, "-m", "tutor", "quiz", "report", "landscapes-week1", "--format", "csv"],
                       capture_output=True, text=True, env=env)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["student"]: float(row["total"]) for row in rows} == {s: plans[s][1] for s in students}
    assert "mean" in r.stderr and "hardest first" in r.stderr


def test_killed_in_the_middle_loses_nothing(tmp_path):
    db = tmp_path / "q.sqlite3"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TUTOR_QUIZ_DB": str(db)}
    items = items_of(QuizStore(db), "frank")
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "quiz", "take", "landscapes-week1", "--student", "frank", "--plain"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    def stored() -> int:
        try:
            with sqlite3.connect(db) as c:
                return c.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        except sqlite3.OperationalError:
            return 0

    for k in range(2):
        proc.stdin.write(right_answer(items[k]) + "\n")
        proc.stdin.flush()
        deadline = time.time() + 30
        while stored() < k + 1 and time.time() < deadline:
            time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert stored() == 2
    r = subprocess.run([sys.executable, "-m", "tutor", "quiz", "take", "landscapes-week1", "--student", "frank", "--plain"],
                       input=":quit\n", capture_output=True, text=True, env=env)
    assert f"question {items[2].number} of 5" in r.stdout, "resumes at the first unanswered question"


def test_feedback_each_and_none(tmp_path):
    for mode, expect, hide in (("each", "Right!", None), ("none", "your lecturer will publish", "Score:")):
        qf = write(tmp_path / mode / "q.yaml", f"format: 1\nid: fb-{mode}\ntitle: T\nquiz: {{feedback: {mode}, attempts: 1}}\n"
                   "questions:\n  - {lesson: tour, question: how-many-minima}\n")
        r = tutor("quiz", "take", str(qf), "--student", "gina", "--plain", "--db", str(tmp_path / f"{mode}.sqlite3"), input="2\n")
        assert expect in r.stdout, r.stdout
        if hide:
            assert hide not in r.stdout


def test_report_formats(tmp_path):
    db = tmp_path / "q.sqlite3"
    for s in ("ann", "ben"):
        run = QuizRun(QUIZ, CAT, s, QuizStore(db))
        for it in run.items[:2]:
            run.submit(it, right_answer(it))
    for fmt, check in [
        ("canvas", lambda t: t.splitlines()[0] == 'Student,ID,SIS User ID,SIS Login ID,Section,"Loss landscapes, week 1 (landscapes-week1)"'),
        ("moodle", lambda t: t.splitlines()[0] == "Username,ID number,Email address,Full name,\"Loss landscapes, week 1\"" and t.count("\n") == 3),
        ("json", lambda t: set(json.loads(t)["students"]) == {"ann", "ben"} and len(json.loads(t)["log"]) == 4),
        ("log", lambda t: t.splitlines()[0].startswith("student,question,attempt,params,answer")),
    ]:
        r = tutor("quiz", "report", "landscapes-week1", "--format", fmt, "--db", str(db))
        assert r.returncode == 0 and check(r.stdout), (fmt, r.stdout)


@pytest.mark.parametrize("feedback, shown_after", [("each", True), ("end", False), ("none", False)])
def test_an_experiment_deciding_another_prediction_stays_hidden_until_feedback_may_be_given(tmp_path, feedback, shown_after):
    """Question 1's context includes 'four-times', which decides question 2 (where the minima for 4y
    lie). Once question 2 is over the curve may show, but only where the quiz tells right from wrong
    after each answer: with results at the end it showed early, telling the student question 2's
    answer before the quiz was submitted."""
    qf = write(tmp_path / "q" / "pq.yaml", f"format: 1\nid: pq\ntitle: Predictions\nquiz: {{attempts: 2, feedback: {feedback}, shuffle: false}}\n"
               "questions:\n  - {lesson: mse-not-a-parabola, question: curvature-at-zero}\n"
               "  - {lesson: mse-not-a-parabola, question: where-minima}\n")
    cat = catalog([LESSONS, qf.parent])
    run = QuizRun(cat.quizzes["pq"].quiz, cat, "uma", QuizStore(tmp_path / "q.sqlite3"))
    first, second = sorted(run.items, key=lambda i: i.number)

    def four_times() -> bool:
        (shown,) = [s for s in run.context(first) if s.step.experiment is not None and s.step.experiment.id == "four-times"]
        assert shown.until in (None, 2)
        return shown.result

    assert four_times() is False, "question 2 is open"
    run.submit(second, "1, 2")
    assert four_times() is False, "one attempt left on question 2"
    run.submit(second, "3, 5")
    assert run.over(second) and four_times() is shown_after
