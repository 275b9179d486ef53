"""Every lesson walked through in the app at 80×24: each experiment draws, no step shows an error."""

from __future__ import annotations

import time

import pytest

from tests.conftest import LESSONS
from tests.tui.helpers import make_app, screen_text
from tutor.core.loader import catalog

IDS = sorted(catalog([LESSONS]).lessons)


@pytest.mark.parametrize("ident", IDS)
async def test_walk_the_lesson_in_the_app(tutor_home, ident):
    app = make_app(tutor_home, lesson=ident, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        total = screen.session.total
        for _ in range(total):
            step = screen.session.step
            if step is None:
                break
            if step.experiment is not None:
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    await pilot.pause(0.05)
                    s = screen.session
                    if s.cached(step.experiment.id) is not None or s.failed(step.experiment.id) is not None:
                        break
                await pilot.pause(0.1)
                text = screen_text(app)
                assert "could not run" not in text and "could not be drawn" not in text, text
                assert screen.session.failed(step.experiment.id) is None
                if screen.session.cached(step.experiment.id).plots:
                    assert "┤" in text or "|" in text, f"{step.experiment.id}: no plot on screen\n{text}"
            if step.question is not None:
                await pilot.press("f4")  # reveal: the answer must be computable and shown
                await pilot.pause(0.1)
                assert "The answer:" in screen_text(app) or screen.session.state(step.question.id).status == "revealed"
            await pilot.press("n")  # after a reveal the focus is on the page, so n moves on
            await pilot.pause(0.1)
        assert screen.session.finished
        assert "Lesson complete." in screen_text(app)
