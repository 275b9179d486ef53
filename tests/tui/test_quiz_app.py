"""Taking a quiz in the app: answers typed, the score at the end, everything in the store."""

from __future__ import annotations

from tests.conftest import LESSONS
from tests.tui.helpers import press, settle, type_answer, wait_for
from tests.unit.test_quiz import right_answer
from tutor.core.loader import catalog
from tutor.core.quiz import QuizRun
from tutor.core.quizstore import QuizStore
from tutor.tui.quizapp import QuizApp


async def test_take_a_quiz_in_the_app(tmp_path):
    cat = catalog([LESSONS])
    quiz = cat.quizzes["landscapes-week1"].quiz
    store = QuizStore(tmp_path / "q.sqlite3")
    run = QuizRun(quiz, cat, "hana", store)
    order = list(run.items)
    app = QuizApp(run, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await wait_for(pilot, "question 1 of 5")
        assert "left" in text
        for k, item in enumerate(order):
            await wait_for(pilot, f"question {k + 1} of 5")
            if k == 0:  # the first one wrong once: the question stays, one attempt left
                text = await type_answer(pilot, "12345")
                assert "Saved." in text and "1 attempt left" in text and "question 1 of 5" in text
            await type_answer(pilot, right_answer(item))
        text = await wait_for(pilot, "Quiz submitted.")
        assert "Score: 7 of 7" in text
    assert store.finished(quiz.id, "hana")
    assert len(store.all_submissions(quiz.id)) == 6


async def test_quiz_help_and_leave(tmp_path):
    cat = catalog([LESSONS])
    run = QuizRun(cat.quizzes["landscapes-week1"].quiz, cat, "ivan", QuizStore(tmp_path / "q.sqlite3"))
    app = QuizApp(run, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "skip for now" in await press(pilot, "f1")
        await press(pilot, "escape")
        await pilot.press("ctrl+q")
    assert "Everything you submitted is saved" in (app.return_value or "")
