"""The live view of descent driven through the keyboard: play, pause, one step, reset, step size."""

from __future__ import annotations

import re

from tests.tui.helpers import make_app, press, screen_text, settle, until, wait_for
from tutor.tui.widgets.live import LivePanel


async def open_live_step(pilot) -> None:
    """Past the text and the prediction (x is further from 0) to the live experiment."""
    await settle(pilot)
    await pilot.press("n")
    await wait_for(pilot, "Predict, before you play it")
    await pilot.press("enter")  # the first choice, x
    await wait_for(pilot, "Right")
    await pilot.press("enter")


def step_shown(app) -> int:
    m = re.search(r"step (\d+) of 40", screen_text(app))
    assert m, screen_text(app)
    return int(m.group(1))


async def test_play_pause_step_reset_and_step_size(tutor_home):
    app = make_app(tutor_home, lesson="watch-descent")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_live_step(pilot)
        # the plots are drawn as text in a worker thread; wait_for waits for it
        await wait_for(pilot, "step 0 of 40", "loss 7", "paused", "the loss surface", "loss by step")
        panel = app.screen.query_one(LivePanel)
        assert app.focused is panel  # its keys play the descent

        await pilot.press("space")  # play: the counter and the loss move on their own
        await until(pilot, lambda: step_shown(app) >= 3, "the run to play a few steps")
        assert "playing" in screen_text(app) and "loss 7 " not in screen_text(app)

        text = await press(pilot, "space")  # pause: it stops
        assert "paused" in text
        stopped = step_shown(app)
        for _ in range(5):  # several ticks of the timer and refreshes change nothing
            panel.tick()
            await settle(pilot)
            assert step_shown(app) == stopped
        assert panel.timer is not None and not panel.live.playing

        await press(pilot, "full_stop")  # one step
        assert step_shown(app) == stopped + 1
        await press(pilot, "0")  # reset
        assert step_shown(app) == 0 and "loss 7 " in screen_text(app)

        await press(pilot, "plus")  # a larger step size
        assert "step size 0.15" in screen_text(app)
        await press(pilot, "minus", "minus")
        assert "step size 0.05" in screen_text(app)

        await pilot.press("n")  # the screen's keys still work from the live panel
        await wait_for(pilot, "After the 40 steps at step size 0.1")


async def test_a_run_played_to_the_end_stops_and_says_so(tutor_home):
    app = make_app(tutor_home, lesson="watch-descent")
    async with app.run_test(size=(60, 20)) as pilot:
        await open_live_step(pilot)
        await wait_for(pilot, "step 0 of 40")
        await pilot.press("plus", "plus", "plus", "plus")  # 0.3 > 2/10: y doubles at each step
        await pilot.press("space")
        text = await wait_for(pilot, "diverged")
        assert "step size 0.3" in text, text
        panel = app.screen.query_one(LivePanel)
        assert not panel.live.playing


async def test_help_on_a_live_step_lists_its_keys_first(tutor_home):
    """? on the live step: its own keys (the presenter's LIVE table) at the top of help, at 80x24;
    ? on a text step of the same lesson: the lesson's keys first, the live ones further down."""
    from tutor.present.commands import LIVE, key_name

    app = make_app(tutor_home, lesson="watch-descent")
    async with app.run_test(size=(80, 24)) as pilot:
        text = await press(pilot, "question_mark")
        assert "Lesson" in "\n".join(text.splitlines()[:5]) and "Live step" in text
        await press(pilot, "escape")
        await open_live_step(pilot)
        await wait_for(pilot, "step 0 of 40")
        text = await press(pilot, "question_mark")
        top = "\n".join(text.splitlines()[:10])
        assert "Live step" in top
        for c in LIVE:
            assert c.help in top and key_name(c.keys[0]) in top, (c.name, top)
        text = await press(pilot, "escape")
        assert "step 0 of 40" in text and app.focused is app.screen.query_one(LivePanel)
