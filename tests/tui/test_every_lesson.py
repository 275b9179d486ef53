"""Every lesson walked through in the app at 80×24: each experiment draws, no step shows an error."""

from __future__ import annotations

import pytest

from tests.conftest import LESSONS
from tests.tui.helpers import make_app, press, screen_text, settle, until
from tutor.core.loader import catalog

IDS = sorted(catalog([LESSONS]).lessons)


@pytest.mark.parametrize("ident", IDS)
async def test_walk_the_lesson_in_the_app(tutor_home, ident):
    app = make_app(tutor_home, lesson=ident, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        total = screen.session.total
        for _ in range(total):
            s = screen.session
            step = s.step

            def ran(exp: str, s=s) -> bool:
                return s.cached(exp) is not None or s.failed(exp) is not None

            if step is None:
                break
            if step.experiment is not None:
                exp = step.experiment.id
                await until(pilot, lambda exp=exp: ran(exp), f"experiment {exp}")
                text = screen_text(app)
                assert "could not run" not in text and "could not be drawn" not in text, text
                assert s.failed(exp) is None
                if s.cached(exp).plots:
                    assert "┤" in text or "|" in text, f"{exp}: no plot on screen\n{text}"
            if step.question is not None:
                q = step.question
                await until(pilot, lambda q=q, s=s: s.ready(q) != "running", f"the experiments of {q.id}")
                text = await press(pilot, "f4")  # reveal: the answer must be computable and shown
                assert "The answer:" in text or s.state(q.id).status == "revealed"
            await press(pilot, "n")  # after a reveal the focus is on the page, so n moves on
        assert screen.session.finished
        assert "Lesson complete." in screen_text(app)
