"""The session both views drive: walking, attempts, hints, skip, reveal, resume, events."""

import json
import sqlite3

import pytest

from tests.conftest import GOOD_LESSON, write
from tutor.core.events import Events
from tutor.core.loader import load_file
from tutor.core.models import Lesson
from tutor.core.session import Session
from tutor.core.store import Store


@pytest.fixture
def lesson(tmp_path) -> Lesson:
    text = GOOD_LESSON.replace("      hints: [Solve y - w^2 = 0.]", "      hints: [Solve y - w^2 = 0., Use plus and minus.]\n      attempts: 2")
    f = load_file(write(tmp_path / "l.yaml", text))
    assert f.ok, f.problems
    return f.lesson


def walk_to_question(s: Session) -> None:
    while s.step is not None and s.step.question is None:
        assert s.next()


def test_placeholders_are_filled_and_variants_are_seeded(lesson):
    s = Session(lesson, record=False)
    assert s.step.text == "Hello, y = 1."
    variants = {Session(lesson, seed=seed, record=False).params["y"] for seed in range(1, 30)}
    assert variants == {1.0, 4.0}
    assert Session(lesson, seed=7, record=False).params == Session(lesson, seed=7, record=False).params


def test_answers_come_from_the_experiment_for_each_variant(lesson):
    for y in (1.0, 4.0):
        s = Session(lesson, params={"y": y}, record=False)
        walk_to_question(s)
        root = y**0.5
        assert s.expected(s.question()) == pytest.approx([-root, root])
        assert s.submit(f"{root}, -{root}").status == "correct"


def test_attempts_hints_and_unreadable_answers(tmp_path, lesson):
    store = Store(tmp_path / "p.sqlite3")
    s = Session(lesson, store=store)
    walk_to_question(s)
    assert s.blocked() and not s.next()
    o = s.submit("banana")
    assert not o.verdict.readable and o.attempts == 0
    assert s.hint() == "Solve y - w^2 = 0."
    assert s.hint() == "Use plus and minus."
    assert s.hint() is None
    o = s.submit("2")
    assert o.status == "open" and o.attempts_left == 1
    o = s.submit("3")
    assert o.status == "failed" and o.answer == "-1, 1" and o.explain is None
    assert s.next()
    o = s.submit("1")
    assert not o.verdict.correct and o.feedback == ["It bends down there."]
    o = s.reveal()
    assert o.status == "revealed" and o.answer == "2. A maximum"
    assert s.next() and s.finished and s.completed
    kinds = [e["event"] for e in store.events()]
    assert kinds[0] == "session_start" and kinds[-1] == "lesson_completed"
    assert kinds.count("hint_shown") == 2
    subs = store.events(kind="question_submitted")
    assert [(e["question"], e["answer"], e["correct"], e["attempt"]) for e in subs] == [
        ("minima", "2", False, 1), ("minima", "3", False, 2), ("zero", "1", False, 1), ("zero", None, False, 1)]


def test_resume_where_the_learner_stopped(tmp_path, lesson):
    path = tmp_path / "p.sqlite3"
    s = Session(lesson, store=Store(path), seed=5)
    walk_to_question(s)
    s.hint()
    s.submit("7")
    y = s.params["y"]
    again = Session(lesson, store=Store(path))
    assert again.position == s.position and again.resumed
    assert again.params["y"] == y, "the variant is kept on resume"
    assert again.state("minima").attempts == 1 and again.hints_shown() == ["Solve y - w^2 = 0."]
    fresh = Session(lesson, store=Store(path), resume=False)
    assert fresh.position == 0 and fresh.state("minima").attempts == 0


def test_events_file_is_json_lines(tmp_path, lesson):
    log = tmp_path / "events.jsonl"
    events = Events(None, log)
    s = Session(lesson, events=events)
    walk_to_question(s)
    s.submit("1, -1")
    events.close()
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["event"] for r in rows][:2] == ["session_start", "step_viewed"]
    sub = [r for r in rows if r["event"] == "question_submitted"][0]
    assert {k: sub[k] for k in ("lesson", "question", "answer", "correct", "attempt")} == {
        "lesson": "good-one", "question": "minima", "answer": "1, -1", "correct": True, "attempt": 1}
    assert any(r["event"] == "experiment_run" and r["experiment"] == "curve" for r in rows)


def test_controls_change_the_numbers_the_questions_check(lesson):
    s = Session(lesson, record=False)
    walk_to_question(s)
    s.set_params(y=4.0)
    assert s.expected(s.question()) == pytest.approx([-2.0, 2.0])
    assert s.lesson.steps[0].text == "Hello, y = 4."


def test_store_is_wal_and_rows_are_visible_to_another_connection(tmp_path, lesson):
    path = tmp_path / "p.sqlite3"
    s = Session(lesson, store=Store(path))
    walk_to_question(s)
    s.submit("0")
    other = sqlite3.connect(path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = other.execute("SELECT question, attempts, last_answer FROM questions").fetchall()
    assert rows == [("minima", 1, "0")]
