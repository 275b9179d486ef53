"""The lesson screen as a learner meets it at 80×24, on the lesson written for these tests: no key
lost in a burst, everything below the fold reachable by keys."""

from __future__ import annotations

from tests.tui.helpers import TEST_LESSONS, burst, make_app, press, wait_for

LESSON = "screen-test"


def at_step(home, index: int):
    app = make_app(home, extra=[TEST_LESSONS], lesson=LESSON)
    app.store.save_position(LESSON, index, 7, {"y": 1.0})
    return app


async def test_keys_typed_straight_after_wrong_feedback_become_the_new_answer(tutor_home):
    """After a wrong answer, `BSpace 2 Enter` in one burst: 2 is submitted, not the old answer again."""
    app = at_step(tutor_home, 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "How many minima")
        await press(pilot, "3", "enter")
        await wait_for(pilot, "Not quite")
        burst(app, "backspace", "2", "enter")
        await wait_for(pilot, "Right, on attempt 2")
    row = app.store.question(LESSON, "how-many")
    assert (row.status, row.attempts, row.last_answer) == ("correct", 2, "2")


async def test_every_line_of_a_long_text_is_reachable_by_keys(tutor_home):
    app = at_step(tutor_home, 0)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await wait_for(pilot, "line 01 of the long text")
        assert "THE END OF THE LONG TEXT" not in text
        seen = text
        for _ in range(4):
            seen += await press(pilot, "pagedown")
        assert all(f"line {i:02d} of the long text" in seen for i in range(1, 41))
        assert "THE END OF THE LONG TEXT" in await press(pilot, "end")
        assert "line 01 of" in await press(pilot, "home")


async def test_the_control_and_the_text_under_an_experiment_are_reachable(tutor_home):
    app = at_step(tutor_home, 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "minima")
        text = await press(pilot, "end")
        assert "y =" in text and "CAPTION UNDER THE CONTROL" in text
