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


async def collected(pilot, ref) -> bool:
    """Back on the catalog, once everything queued has run: is the screen behind ``ref`` gone?"""
    await settle(pilot)
    gc.collect()
    return ref() is None


async def test_a_lesson_left_is_freed_with_its_results(tutor_home):
    """A thread worker's pool thread kept the finished prefetch worker, which held the screen, its
    session and every result, after the learner had left (Textual sets the worker in the pool
    thread's own context and never unsets it: tutor/tui/threads.py)."""
    import weakref

    from tests.tui.helpers import until
    from tests.tui.test_live import open_live_step, step_shown
    from tutor.tui.widgets.live import LivePanel

    app = make_app(tutor_home, extra=[TEST_LESSONS], lesson="screen-test")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "line 01 of the long text")
        await settle(pilot)  # the experiments have run ahead in a worker thread
        ref = weakref.ref(app.screen)
        await press(pilot, "escape")
        await wait_for(pilot, "A lesson written for the screen tests")
        assert await collected(pilot, ref), "the lesson left is still in memory"

        app.open_lesson("watch-descent")  # the live view: its frames are drawn in worker threads
        await open_live_step(pilot)
        await wait_for(pilot, "step 0 of 40", "loss by step")
        await pilot.press("space")
        await until(pilot, lambda: step_shown(app) >= 3, "the run to play a few steps")
        ref, panel = weakref.ref(app.screen), weakref.ref(app.screen.query_one(LivePanel))
        await press(pilot, "escape", "escape")
        await wait_for(pilot, "Enter open")
        assert await collected(pilot, ref), "the live lesson left is still in memory"
        assert panel() is None, "the live view's frames (drawn in worker threads) are still in memory"
