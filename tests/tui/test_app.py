"""The app driven through the keyboard with Textual's Pilot: what the screen says and what is stored."""

from __future__ import annotations

import sqlite3

from tests.conftest import GOOD_LESSON, write
from tests.tui.helpers import make_app, screen_text, settle, type_answer, wait_for
from tutor.core.store import Store


async def test_catalog_shows_levels_progress_and_the_next_lesson(tutor_home):
    app = make_app(tutor_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Next: How the tutor works  (press n)" in text
        assert "Level 1 · intro" in text
        assert "How the tutor works" in text and "0%" in text


async def test_complete_the_tour_through_the_keyboard(tutor_home):
    app = make_app(tutor_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # open the highlighted (suggested) lesson
        await settle(pilot)
        assert "step 1 of 8" in screen_text(app)
        await pilot.press("n")
        text = await wait_for(pilot, "-1, 1")
        assert "step 2 of 8" in text and "minima" in text and "-1, 1" in text  # the experiment ran and its table shows
        await pilot.press("enter")
        await settle(pilot)
        # numeric: an unreadable answer, a wrong one, a hint, then the right one
        await type_answer(pilot, "two")
        assert "Can't read this" in screen_text(app)
        await type_answer(pilot, "3")
        assert "Not quite." in screen_text(app)
        await pilot.press("f2")
        await settle(pilot)
        assert "Hint: Count the places" in screen_text(app)
        await type_answer(pilot, "2")
        text = screen_text(app)
        assert "Right, on attempt 2." in text and "Press Enter or n to go on." in text
        await pilot.press("enter")
        await settle(pilot)
        # points, with the answer marked on the plot
        await type_answer(pilot, "1, -1")
        text = screen_text(app)
        assert "Right!" in text and "your answer" in text
        await pilot.press("enter")
        await settle(pilot)
        # choice: a wrong choice shows its feedback, then the right one
        await pilot.press("enter")
        await settle(pilot)
        assert "The curve is higher at 0 than just beside it" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert "Right, on attempt 2." in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        # multi: at y = 1 all four are critical points (w = y = 1 = √y); tick them all, then check with c
        await pilot.press("space", "down", "space", "down", "space", "down", "space", "c")
        await settle(pilot)
        assert "Right!" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await type_answer(pilot, "4*w^3 - 4*w*y")
        assert "Right!" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await type_answer(pilot, "Output")
        assert "Right!" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Lesson complete." in text and "6 of 6 questions right (4 at the first try)." in text
        await pilot.press("enter")
        await settle(pilot)
        assert "100%" not in screen_text(app) and "done" in screen_text(app)
    store = Store(tutor_home / "progress.sqlite3")
    assert store.progress("tour").completed_at is not None
    rows = sqlite3.connect(tutor_home / "progress.sqlite3").execute(
        "SELECT question, status, attempts, hints FROM questions ORDER BY question").fetchall()
    assert rows == [("at-zero", "correct", 2, 0), ("critical-points", "correct", 1, 0), ("how-many-minima", "correct", 2, 1),
                    ("name-it", "correct", 1, 0), ("slope", "correct", 1, 0), ("where-minima", "correct", 1, 0)]


async def test_rerun_with_changed_controls(tutor_home):
    app = make_app(tutor_home, lesson="tour")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert "-1, 1" in screen_text(app)
        select = app.screen.query_one("#control-y")
        select.value = 2.25  # as if picked from the list with the keyboard
        text = await wait_for(pilot, "-1.5, 1.5", "(2.25 − w²)²")
        assert "-1.5, 1.5" in text and "(2.25 − w²)²" in text
        assert app.screen.session.params["y"] == 2.25
        await pilot.press("r")
        assert "-1.5, 1.5" in await wait_for(pilot, "-1.5, 1.5")
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")  # leave the input
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("v")  # reveal: the answer shown follows the new y
        await settle(pilot)
        assert "The answer: 2" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f4")  # reveal, while typing in the answer box
        await settle(pilot)
        assert "The answer: -1.5, 1.5" in screen_text(app)


BROKEN_EXPERIMENT = GOOD_LESSON.replace("problem: {name: output-square, target: \"{y}\"}",
                                        "problem: {name: output-square, target: \"{y}\"}\n      with: {axis: 3}")


async def test_a_failing_experiment_leaves_the_app_working(tutor_home, tmp_path):
    write(tmp_path / "l" / "broken-exp.yaml", BROKEN_EXPERIMENT)
    app = make_app(tutor_home, extra=[tmp_path / "l"], lesson="good-one")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert "The experiment could not run: axis 3 does not exist" in await wait_for(pilot, "could not run")
        await pilot.press("n")
        await settle(pilot)
        await type_answer(pilot, "1, -1")
        assert "failed" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("s")
        await settle(pilot)
        session = app.screen.session
        assert any(session.state(q).status == "skipped" for q in session.lesson.questions()), "skipped: left for later"
        assert app.is_running


async def test_a_lesson_that_fails_to_load_is_marked_with_its_reason(tutor_home, tmp_path):
    write(tmp_path / "l" / "bad.yaml", GOOD_LESSON.replace("kind: points", "kind: pointz"))
    app = make_app(tutor_home, extra=[tmp_path / "l"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Could not load" in text and "bad.yaml" in text
        await pilot.press("home")  # problems are listed first, so an author sees them at once
        await settle(pilot)
        await pilot.press("enter")
        text = await wait_for(pilot, "does not load")
        assert "bad.yaml does not load" in text and "kind" in text
        await pilot.press("escape")
        await settle(pilot)
        assert "Level 1 · intro" in screen_text(app)


async def test_resizing_to_60_by_20_while_a_plot_is_drawn(tutor_home):
    app = make_app(tutor_home, lesson="tour")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, "minima")
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        text = screen_text(app)
        assert "step 2 of 8" in text
        await pilot.resize_terminal(30, 10)
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "minima" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert "step 3 of 8" in screen_text(app)


async def test_filter_help_and_resume(tutor_home):
    app = make_app(tutor_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "z", "z", "z")
        await settle(pilot)
        assert "How the tutor works" not in screen_text(app).split("\n", 2)[2]
        await pilot.press("escape")
        await settle(pilot)
        assert "How the tutor works" in screen_text(app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "reveal the answer" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert "step 3 of 8" in screen_text(app)
    again = make_app(tutor_home, lesson="tour")
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "step 3 of 8" in screen_text(again)


async def test_ascii_mode_draws_no_braille(tutor_home):
    app = make_app(tutor_home, lesson="tour", ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        text = await wait_for(pilot, "minima")
        assert "minima" in text
        assert not any("\u2800" <= ch <= "\u28ff" for ch in text)


async def test_catalog_offers_to_continue_the_lesson_in_progress(tutor_home):
    from tutor.core.store import Store

    Store(tutor_home / "progress.sqlite3").save_position("reading-the-hessian", 3, 11, {"t": 1.0})
    app = make_app(tutor_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Continue: Reading the Hessian" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert "step 4 of 11" in screen_text(app)


async def test_command_palette_new_variant_ascii_and_reset(tutor_home):
    app = make_app(tutor_home, lesson="mse-not-a-parabola")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = app.screen.session.params["y"]

        async def command(name: str) -> None:
            await pilot.press("ctrl+p")
            await settle(pilot)
            for ch in name:
                await pilot.press(ch if ch != " " else "space")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)

        seen = set()
        for _ in range(6):  # a new variant is random: within a few draws y must change
            await command("New variant")
            seen.add(app.screen.session.params["y"])
        assert seen - {before}
        y = app.screen.session.params["y"]
        assert f"y = {y:g}" in screen_text(app)
        await command("Toggle ASCII plots")
        assert app.ascii is True
        await pilot.press("n")
        await settle(pilot)
        await command("Restart the lesson")
        assert f"step 1 of {len(app.catalog.lesson('mse-not-a-parabola').steps)}" in screen_text(app)
