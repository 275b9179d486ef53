"""Taking a quiz in the app: answers typed, the score at the end, everything in the store."""

from __future__ import annotations

from tests.conftest import LESSONS
from tests.tui.helpers import burst, press, settle, type_answer, until, wait_for
from tests.unit.test_quiz import right_answer
from tutor.core.loader import catalog
from tutor.core.quiz import QuizRun
from tutor.core.quizstore import QuizStore
from tutor.tui.quizapp import QuizApp

CAT = catalog([LESSONS])
QUIZ = CAT.quizzes["landscapes-week1"].quiz


def quiz_run(tmp_path, student: str) -> tuple[QuizRun, QuizStore]:
    """A student's run of the week-1 quiz on a fresh SQLite store."""
    store = QuizStore(tmp_path / "q.sqlite3")
    return QuizRun(QUIZ, CAT, student, store), store


async def test_take_a_quiz_in_the_app(tmp_path):
    run, store = quiz_run(tmp_path, "hana")
    order = list(run.items)
    app = QuizApp(run, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await wait_for(pilot, "question 1 of 5")
        assert "left" in text
        for k, item in enumerate(order):
            await wait_for(pilot, f"question {k + 1} of 5")
            # the header changes before the new answer box takes the focus; a learner types once the cursor is there
            await until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "answer", "the answer box to have the focus")
            if k == 0:  # the first one wrong once: the question stays, one attempt left
                text = await type_answer(pilot, "12345")
                assert "Saved." in text and "1 attempt left" in text and "question 1 of 5" in text
            await type_answer(pilot, right_answer(item))
        text = await wait_for(pilot, "Quiz submitted.")
        assert "Score: 7 of 7" in text
    assert store.finished(QUIZ.id, "hana")
    assert len(store.all_submissions(QUIZ.id)) == 6


async def test_quiz_help_and_leave(tmp_path):
    run, _ = quiz_run(tmp_path, "ivan")
    app = QuizApp(run, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "skip for now" in await press(pilot, "f1")
        await press(pilot, "escape")
        await pilot.press("ctrl+q")
    assert "Everything you submitted is saved" in (app.return_value or "")


async def test_f10_asks_first_and_names_the_unanswered(tmp_path):
    """The review's finding: F10 ended the quiz at once with 3 of 5 unanswered, header and keys stale."""
    run, store = quiz_run(tmp_path, "jo")
    first, second = sorted(run.items, key=lambda i: i.number)[:2]
    app = QuizApp(run, ascii=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, "question 1 of 5")
        await until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "answer", "the answer box to have the focus")
        await type_answer(pilot, right_answer(first))
        await wait_for(pilot, "question 2 of 5")
        await until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "answer", "the answer box to have the focus")
        await type_answer(pilot, right_answer(second))
        await wait_for(pilot, "question 3 of 5")
        text = await press(pilot, "f10")
        assert "3 of 5 questions have no answer yet: 3, 4, 5." in text and "Esc" in text
        await press(pilot, "escape")
        text = await wait_for(pilot, "question 3 of 5")
        assert not store.finished(QUIZ.id, "jo") and "Quiz submitted." not in text
        await press(pilot, "f10")
        await press(pilot, "y")
        text = await wait_for(pilot, "Quiz submitted.")
        assert "submitted" in text.splitlines()[0] and "question 3 of 5" not in text
        assert "F10" not in text and "F3" not in text, "the keys line shows only what still works"
    assert store.finished(QUIZ.id, "jo")


async def test_each_question_shows_its_lesson_context(tmp_path):
    run, _ = quiz_run(tmp_path, "kim")
    target = next(it for it in run.items if it.key == "linear-regression-bowl/smallest-eigenvalue")
    for it in sorted(run.items, key=lambda i: i.number):
        if it is not target:
            run.skip(it)
    app = QuizApp(run, ascii=True)
    async with app.run_test(size=(100, 60)) as pilot:
        await wait_for(pilot, f"question {target.number} of 5")
        body = app.query_one("#body")
        shown = "\n".join(str(w.render()) for w in body.query("Static"))
        assert "x = [0, 1, 2, 3]" in shown and f"y = [1, {target.params['slope']:g}, 2, 2]" in shown, shown[:2000]
        assert len(body.query("ExperimentPanel")) == 2


async def test_keys_typed_before_the_new_answer_box_has_the_focus_go_into_it(tmp_path, monkeypatch):
    """A learner reads the new question and types at once, over SSH in one burst: the header has
    changed but the new answer box is not there yet. Every key lands in the box, in order, editing
    keys included, and Enter submits what it holds (the store's row says so)."""
    run, store = quiz_run(tmp_path, "lee")
    first, second = sorted(run.items, key=lambda i: i.number)[:2]
    app = QuizApp(run, ascii=True)
    focus_when_typed: list[str | None] = []
    show_next = app.show_next

    def show_next_and_type_at_once() -> None:
        show_next()  # the header now names the new question
        item = app.item
        if item in (first, second):
            focus_when_typed.append(getattr(app.focused, "id", None))
            burst(app, "9", "backspace", *right_answer(item), "enter")

    monkeypatch.setattr(app, "show_next", show_next_and_type_at_once)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "question 3 of 5")
    assert len(focus_when_typed) == 2 and "answer" not in focus_when_typed, "typed before the new box had the focus"
    rows = store.all_submissions(QUIZ.id)
    assert [(r["question"], r["attempt"], r["answer"], r["recorded_correct"]) for r in rows] == [
        (first.key, 1, right_answer(first), True), (second.key, 1, right_answer(second), True)]


async def test_keys_typed_right_after_skip_go_to_the_next_question(tmp_path):
    """F3 and the next answer in one burst, as a terminal delivers them: the app hands every key to
    the box with the focus before that box has handled the first (seen in tmux: the 7 of `F3 7`
    was typed into the box F3 left, and the new box stayed empty). The skip comes first; the keys
    after it are typed into the next question's box."""
    from textual import events

    run, _ = quiz_run(tmp_path, "max")
    app = QuizApp(run, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "question 1 of 5")
        await until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "answer", "the answer box to have the focus")
        old = app.focused
        assert old is not None
        for key, char in [("f3", None), ("9", "9"), ("backspace", None), ("7", "7"), ("full_stop", "."), ("5", "5")]:
            event = events.Key(key, char)
            event.set_sender(app)
            old._forward_event(event)  # what the app does with each key as it arrives
        await wait_for(pilot, "question 2 of 5")
        await until(pilot, lambda: app.focused is not old and getattr(app.focused, "value", None) == "7.5",
                    "the keys after F3 in the new answer box")


def where_minima_run(tmp_path, student: str, settings: str) -> tuple[QuizRun, float]:
    """A quiz of where-minima alone (where the minima of (4y - w²)² lie, asked before the curve that
    decides it), and the student's positive minimum 2·sqrt(y)."""
    from tests.conftest import write

    write(tmp_path / "q" / "pq.yaml", f"format: 1\nid: pq\ntitle: Predictions\nquiz: {{attempts: 1, {settings}}}\n"
          "questions:\n  - {lesson: mse-not-a-parabola, question: where-minima}\n")
    cat = catalog([LESSONS, tmp_path / "q"])
    run = QuizRun(cat.quizzes["pq"].quiz, cat, student, QuizStore(tmp_path / "q.sqlite3"))
    return run, 2 * run.items[0].params["y"] ** 0.5


def minima(text: str) -> list[str]:
    import re

    return re.findall(r"minima +(\S+, \S+)", text)


async def test_a_prediction_shows_its_experiment_only_once_answered(tmp_path):
    """The question asks where the minima of (4y - w²)² lie, before the curve that decides it: the
    screen shows how that curve is set up, not its minima, until the answer is in."""
    run, root = where_minima_run(tmp_path, "pia", "feedback: each")
    app = QuizApp(run, ascii=True)
    async with app.run_test(size=(100, 90)) as pilot:
        text = await wait_for(pilot, "question 1 of 1", "Predict first")
        assert 'The experiment "four-times": curve on function' in text
        assert minima(text) == [f"{-root / 2:g}, {root / 2:g}"], "only the curve for y, shown before in the lesson"
        await until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "answer", "the answer box to have the focus")
        text = await type_answer(pilot, "1, 2")
        text = await wait_for(pilot, 'The result of "four-times":', "Press Enter")
        assert minima(text) == [f"{-root / 2:g}, {root / 2:g}", f"{-root:g}, {root:g}"] and "Predict first" not in text


async def test_the_review_at_the_end_shows_a_predictions_result(tmp_path):
    """Results at the end: the curve that decides where-minima is set up, never run, while the
    question is open; after submitting, the review shows the answer and then that curve's minima."""
    run, root = where_minima_run(tmp_path, "rosa", "feedback: end, review: true")
    app = QuizApp(run, ascii=True)
    async with app.run_test(size=(100, 120)) as pilot:
        text = await wait_for(pilot, "question 1 of 1", "shown in the review once you submit")
        assert minima(text) == [f"{-root / 2:g}, {root / 2:g}"], "only the curve for y, shown before in the lesson"
        await until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "answer", "the answer box to have the focus")
        await type_answer(pilot, "1, 2")
        text = await wait_for(pilot, "Quiz submitted.", 'What happened (the experiment "four-times"):')
        assert "your answer 1: 1, 2  (not right)" in text
        review = text.split("Review", 1)[1]
        assert minima(review) == [f"{-root:g}, {root:g}"]
