"""`tutor plain`: a lesson answered from a pipe, through to completion, as a user would."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.conftest import GOOD_LESSON, tutor, write

TOUR_ANSWERS = "2\n-1, 1\n2\n1, 2, 3, 4\n-4*w*(y - w^2)\noutput\n"


def test_tour_from_a_pipe_to_completion(tmp_path, tutor_home):
    events = tmp_path / "ev.jsonl"
    r = tutor("plain", "tour", "--events", str(events), "--width", "80", input=TOUR_ANSWERS)
    assert r.returncode == 0, r.stderr
    assert "Lesson complete." in r.stdout and "6 of 6 questions right (6 at the first try)." in r.stdout
    assert "minima" in r.stdout and "-1, 1" in r.stdout  # the experiment's table
    rows = [json.loads(x) for x in events.read_text().splitlines()]
    assert rows[-1]["event"] == "lesson_completed"
    assert sum(r["event"] == "question_submitted" and r["correct"] for r in rows) == 6
    listed = json.loads(tutor("list", "--json").stdout)
    tour = next(x for x in listed["lessons"] if x["id"] == "tour")
    assert tour["completed"] and tour["progress"] == 1.0


def test_wrong_answers_hints_skip_and_unreadable_input(tmp_path):
    answers = "three\n:hint\n3\n2\n:skip\n:quit\n"
    r = tutor("plain", "tour", "--width", "80", input=answers)
    assert r.returncode == 0
    out = r.stdout
    assert "Can't read this" in out and "did not use an attempt" in out
    assert "Hint: Count the places" in out
    assert "Not quite." in out and "Right, on attempt 2." in out
    # skip leaves the question for later: nothing revealed (reveal is the command that shows the answer)
    assert "Skipped. It waits for you" in out and "The answer: -1, 1" not in out
    assert "Stopped. Your progress is saved" in out
    r = tutor("plain", "tour", "--width", "80", input="2\n")
    assert "Resuming at step 5" in r.stdout
    assert r.returncode == 1 and "Input ended before the lesson did" in r.stdout


def test_choice_by_text_and_wrong_choice_feedback():
    r = tutor("plain", "tour", input="2\n-1,1\nA minimum\nmaximum\n:quit\n")
    assert "The curve is higher at 0 than just beside it" in r.stdout
    assert r.stdout.count("Right") >= 3


def test_seeded_variant_changes_the_numbers(tmp_path):
    r = tutor("plain", "tour", "--seed", "3", input=":quit\n")
    assert "y = 2.25" in r.stdout


def test_progress_survives_a_kill_mid_lesson(tmp_path, tutor_home):
    """Answers go in one by one; the process is killed with SIGKILL; every submission is on disk."""
    env = {**os.environ, "TUTOR_HOME": str(tutor_home), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "plain", "tour"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    db = tutor_home / "progress.sqlite3"

    def submitted() -> int:
        if not db.exists():
            return 0
        with sqlite3.connect(db) as c:
            try:
                return c.execute("SELECT COUNT(*) FROM events WHERE kind = 'question_submitted'").fetchone()[0]
            except sqlite3.OperationalError:
                return 0

    for k, line in enumerate(["2", "-1, 1", "1"], 1):
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        deadline = time.time() + 30
        while submitted() < k and time.time() < deadline:
            time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT question, status, attempts FROM questions ORDER BY question").fetchall()
        answers = [json.loads(d)["answer"] for (d,) in c.execute("SELECT data FROM events WHERE kind = 'question_submitted' ORDER BY id")]
    assert answers == ["2", "-1, 1", "1"]
    assert rows == [("at-zero", "open", 1), ("how-many-minima", "correct", 1), ("where-minima", "correct", 1)]
    r = tutor("plain", "tour", input=":quit\n")
    assert "Resuming at step 5" in r.stdout


def test_reset_and_progress_commands():
    tutor("plain", "tour", input="2\n:quit\n")
    r = tutor("progress")
    assert "tour" in r.stdout and "step 4 of 8" in r.stdout
    r = tutor("reset", "tour", "--yes")
    assert r.returncode == 0 and "reset" in r.stdout
    assert "No progress yet" in tutor("progress").stdout


def test_extra_lessons_from_env_and_option(tmp_path):
    write(tmp_path / "a" / "one.yaml", GOOD_LESSON)
    write(tmp_path / "b" / "two.yaml", GOOD_LESSON.replace("id: good-one", "id: good-two"))
    r = tutor("--lessons", str(tmp_path / "a"), "list", env={"TUTOR_LESSONS": str(tmp_path / "b")})
    assert "good-one" in r.stdout and "good-two" in r.stdout and "tour" in r.stdout


def test_schema_is_json_schema_for_both_files():
    r = tutor("schema")
    doc = json.loads(r.stdout)
    assert {"Lesson", "Quiz"} <= set(doc["$defs"])
    assert "steps" in doc["$defs"]["Lesson"]["properties"]


def test_no_terminal_gives_a_clear_message():
    r = tutor(input="")
    assert r.returncode == 2 and "no terminal" in r.stderr and "tutor plain" in r.stderr


def test_a_complex_valued_formula_does_not_end_the_lesson(tmp_path):
    # tour: the first five questions answered right, then natural wrong formulas for the slope
    answers = TOUR_ANSWERS.split("\n")
    slope = next(i for i, a in enumerate(answers) if "w" in a)
    given = "\n".join(answers[:slope] + ["(-1)**0.5", "w**0.5", "-4*w*(y - w^2)"] + answers[slope + 1:])
    r = tutor("plain", "tour", "--width", "80", input=given)
    assert r.returncode == 0, r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    assert "Can't read this: your formula has no value at any point tried" in r.stdout
    assert "Lesson complete" in r.stdout
