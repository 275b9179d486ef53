"""Snapshots at 80×24 of the catalog, a question and an experiment (update with --snapshot-update,
after looking at the difference).

The app is made the way the CLI makes it, with an empty learner store."""

from tests.tui.helpers import make_app, settle, wait_for


def test_catalog(snap_compare, tutor_home):
    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(make_app(tutor_home), terminal_size=(80, 24), run_before=run_before)


def test_experiment_step(snap_compare, tutor_home):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, "convex on this range")  # the experiment runs in a worker thread

    assert snap_compare(make_app(tutor_home, lesson="tour"), terminal_size=(80, 24), run_before=run_before)


def test_question_with_feedback(snap_compare, tutor_home):
    """The choice question after a wrong pick: the feedback that names the misconception."""
    from tutor.core.store import QuestionRow

    app = make_app(tutor_home, lesson="tour")
    app.store.save_position("tour", 4, 8, {"y": 1.0})
    for q in ("how-many-minima", "where-minima"):
        app.store.save_question("tour", q, QuestionRow("correct", 1, 0, ""))

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("enter")  # picks "A minimum"
        await wait_for(pilot, "Not quite.")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
