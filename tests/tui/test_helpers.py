"""The waits themselves: a wait that times out fails the test."""

from __future__ import annotations

import pytest

from tests.tui.helpers import make_app, wait_for


async def test_a_wait_that_times_out_fails(tutor_home):
    app = make_app(tutor_home)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Level 1 · intro" in await wait_for(pilot, "Level 1 · intro")
        with pytest.raises(AssertionError, match="timed out .* waiting for .*never shown"):
            await wait_for(pilot, "never shown", timeout=0.2)
