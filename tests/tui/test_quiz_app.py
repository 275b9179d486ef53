"""Taking a quiz in the app: answers typed, the score at the end, everything in the store."""

from __future__ import annotations

from tests.conftest import LESSONS
from tests.tui.helpers import screen_text
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
        await pilot.pause(0.2)
        assert "question 1 of 5" in screen_text(app) and "left" in screen_text(app)
        for k, item in enumerate(order):
            answer = right_answer(item) if k else "12345"  # the first one wrong once, then right
            for ch in answer:
                await pilot.press(ch if ch != " " else "space")
            await pilot.press("enter")
            await pilot.pause(0.2)
            if k == 0:
                assert "Saved." in screen_text(app) and "1 attempt left" in screen_text(app)
                await pilot.press("ctrl+u")
                for ch in right_answer(item):
                    await pilot.press(ch if ch != " " else "space")
                await pilot.press("enter")
            await pilot.pause(1.0)
        text = screen_text(app)
        assert "Quiz submitted." in text and "Score: 7 of 7" in text
    assert store.finished(quiz.id, "hana")
    assert len(store.all_submissions(quiz.id)) == 6


async def test_quiz_help_and_leave(tmp_path):
    cat = catalog([LESSONS])
    run = QuizRun(cat.quizzes["landscapes-week1"].quiz, cat, "ivan", QuizStore(tmp_path / "q.sqlite3"))
    app = QuizApp(run, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("f1")
        await pilot.pause(0.2)
        assert "skip for now" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+q")
        await pilot.pause(0.2)
    assert "Everything you submitted is saved" in (app.return_value or "")
