"""Snapshots of a question beside its evidence: the values of the experiment it reads, on its own
screen, at 80×24 and 60×20 (update with --snapshot-update after looking at them)."""

import pytest

from tests.tui.helpers import TEST_LESSONS, make_app, wait_for


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_question_beside_its_evidence(snap_compare, tutor_home, size):
    app = make_app(tutor_home, extra=[TEST_LESSONS], lesson="screen-test")
    app.store.save_position("screen-test", 3, 7, {"y": 1.0})

    async def run_before(pilot):
        await wait_for(pilot, "How many minima", "convex on this range")

    assert snap_compare(app, terminal_size=size, run_before=run_before)
