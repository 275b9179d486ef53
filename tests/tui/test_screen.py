"""The lesson screen as a learner meets it at 80×24, on the lesson written for these tests: no key
lost in a burst, everything below the fold reachable by keys."""

from __future__ import annotations

import pytest

from tests.tui.helpers import TEST_LESSONS, burst, make_app, press, screen_text, settle, wait_for

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


async def test_keys_typed_with_the_key_that_shows_a_question_become_its_answer(tutor_home):
    """`n 2 Enter` in one burst from the experiment: the question was built ahead (hidden), and the
    keys behind `n` reach the page before its answer box has the focus; they land in the box."""
    app = at_step(tutor_home, 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "minima")
        burst(app, "n", "2", "enter")
        await wait_for(pilot, "Right")
    row = app.store.question(LESSON, "how-many")
    assert (row.status, row.attempts, row.last_answer) == ("correct", 1, "2")


async def test_keys_typed_with_the_key_that_goes_back_to_a_question_become_its_answer(tutor_home):
    """`b 2 Enter` in one burst: going back builds the question anew (mounted, composed, then its
    box focused a message later); the keys wait for the box."""
    app = at_step(tutor_home, 4)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "now that you have seen it")
        burst(app, "b", "2", "enter")
        await wait_for(pilot, "How many minima", "Right")
    row = app.store.question(LESSON, "how-many")
    assert (row.status, row.attempts, row.last_answer) == ("correct", 1, "2")


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


async def test_a_digit_answers_a_choice_question_and_the_pick_is_marked_without_colour(tutor_home):
    app = at_step(tutor_home, 4)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await wait_for(pilot, "now that you have seen it")
        assert "( ) 1. A minimum" in text and "( ) 2. A maximum" in text
        text = await press(pilot, "1")
        assert "(*) 1. A minimum" in text and "( ) 2. A maximum" in text
        await press(pilot, "2")
        text = await wait_for(pilot, "Right")
        assert "(*) 2. A maximum" in text
    row = app.store.question(LESSON, "which-kind")
    assert (row.status, row.attempts) == ("correct", 2)


async def test_digits_tick_a_multi_question_and_enter_checks(tutor_home):
    app = at_step(tutor_home, 5)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await wait_for(pilot, "Which are critical points")
        assert "[ ] 1. w = 0" in text and "[ ] 3. w = 2y" in text
        text = await press(pilot, "1", "2")
        assert "[x] 1. w = 0" in text and "[x] 2. w = √y" in text and "[ ] 3." in text
        await press(pilot, "enter")
        await wait_for(pilot, "Right")
    assert app.store.question(LESSON, "ticks").status == "correct"


async def test_esc_on_a_list_leaves_the_list_not_the_lesson(tutor_home):
    app = at_step(tutor_home, 4)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "now that you have seen it")
        text = await press(pilot, "escape")
        assert "now that you have seen it" in text and "Esc catalog" in text
        text = await press(pilot, "escape")
        assert "Next:" in text or "Continue:" in text


async def test_ascii_mode_makes_the_lesson_text_ascii(tutor_home):
    app = make_app(tutor_home, extra=[TEST_LESSONS], lesson=LESSON, ascii=True)
    app.store.save_position(LESSON, 5, 7, {"y": 1.0})
    async with app.run_test(size=(80, 24)) as pilot:
        text = await wait_for(pilot, "Which are critical points")
        assert "w = sqrt(y)" in text and "√" not in text


async def test_the_app_records_events_to_a_file(tutor_home, tmp_path):
    """`tutor --events FILE` and `tutor open --events FILE`: the same JSON Lines as plain mode."""
    import json

    from tutor.core.loader import catalog, lesson_dirs
    from tutor.core.store import Store
    from tutor.tui.app import TutorApp

    path = tmp_path / "events.jsonl"
    app = TutorApp([TEST_LESSONS], LESSON, store=Store(tutor_home / "progress.sqlite3"), ascii=False,
                   cat=catalog(lesson_dirs([TEST_LESSONS])), events=path)
    app.store.save_position(LESSON, 4, 7, {"y": 1.0})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "now that you have seen it")
        await press(pilot, "2")
        await wait_for(pilot, "Right")
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows[0]["event"] == "session_start"
    assert any(r["event"] == "question_submitted" and r["question"] == "which-kind" and r["correct"] for r in rows)


def test_tutor_and_tutor_open_take_events_and_ascii():
    from click.testing import CliRunner

    from tutor.cli import cli

    for args in (["--help"], ["open", "--help"]):
        out = CliRunner().invoke(cli, args).output
        assert "--events FILE" in out and "--ascii" in out


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_wrong_answer_below_a_table_scrolls_its_feedback_into_view(tutor_home, size):
    """convex-no-minimum's is-it-stuck sits under the 20 000-step run's table: "Not quite" (attempts
    left, so nothing else moves) was drawn below the fold, and the learner saw no reply to the key."""
    app = make_app(tutor_home, lesson="convex-no-minimum")
    app.store.save_position("convex-no-minimum", 6, 7, {})
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, "reach a point where")
        await settle(pilot)
        await press(pilot, "1")
        await wait_for(pilot, "Not quite")
        assert "shrinking forever is not reaching zero" in " ".join(screen_text(app).split())
