"""Full garbage collections are kept out of key presses by freezing what a lesson keeps alive
(tutor/tui/heap.py); leaving the lesson must let the collector see all of it again."""

from __future__ import annotations

import gc

from tests.tui.helpers import TEST_LESSONS, make_app, press, settle, wait_for


async def test_a_lesson_is_frozen_while_open_and_released_once_left(tutor_home):
    app = make_app(tutor_home, extra=[TEST_LESSONS], lesson="screen-test")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "line 01 of the long text")
        await settle(pilot)  # the experiments have run ahead
        assert gc.get_freeze_count() > 10_000, "what the lesson keeps alive is out of the collector's scans"
        await press(pilot, "escape")
        await wait_for(pilot, "A lesson written for the screen tests")
        assert gc.get_freeze_count() == 0, "a lesson left is the collector's again"
        app.open_lesson("screen-test")  # again, and quit with it open
        await wait_for(pilot, "line 01 of the long text")
        await settle(pilot)
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0, "nothing stays frozen after the app"
