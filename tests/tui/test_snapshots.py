"""Snapshots at 80×24 of the catalog, a question and an experiment (update with --snapshot-update).

The app is made the way the CLI makes it, with an empty learner store."""

from tests.tui.helpers import make_app


def test_catalog(snap_compare, tutor_home):
    assert snap_compare(make_app(tutor_home), terminal_size=(80, 24))


def test_experiment_step(snap_compare, tutor_home):
    async def run_before(pilot):
        from tests.tui.helpers import screen_text

        await pilot.press("n")
        for _ in range(100):  # the experiment runs in a worker thread: wait until its table shows
            await pilot.pause(0.05)
            if "convex on this range" in screen_text(pilot.app):
                break
        await pilot.pause(0.1)

    assert snap_compare(make_app(tutor_home, lesson="tour"), terminal_size=(80, 24), run_before=run_before)


def test_question_with_feedback(snap_compare, tutor_home):
    """The choice question after a wrong pick: the feedback that names the misconception."""
    from tutor.core.store import QuestionRow

    app = make_app(tutor_home, lesson="tour")
    app.store.save_position("tour", 4, 8, {"y": 1.0})
    for q in ("how-many-minima", "where-minima"):
        app.store.save_question("tour", q, QuestionRow("correct", 1, 0, ""))

    async def run_before(pilot):
        await pilot.pause(0.3)
        await pilot.press("enter")  # picks "A minimum"
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
