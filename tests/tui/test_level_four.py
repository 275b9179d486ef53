"""Level 4 (issue 16) in the app's catalog at 80×24: its own section after the others, and what a
level-4 lesson builds on, under the list."""

from __future__ import annotations

from textual.widgets import OptionList

from tests.conftest import LESSONS
from tests.tui.helpers import make_app, settle, wait_for
from tutor.core.loader import catalog

CAT = catalog([LESSONS])


async def test_the_catalog_shows_level_four_and_what_it_builds_on(tutor_home):
    app = make_app(tutor_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ol = app.screen.query_one(OptionList)
        ids = [o.id for o in ol.options]
        heads = [str(o.prompt) for o in ol.options if o.disabled]
        assert heads[-1] == "Level 4 · research" and heads.index("Level 4 · research") > heads.index("Level 3 · advanced")
        first4 = [i for i in ids if i and i.startswith("lesson:")]
        assert "lesson:iris-landscape" in first4 and first4.index("lesson:wider-is-kinder") > first4.index("lesson:connecting-minima")
        ol.highlighted = ids.index("lesson:edge-of-stability")
        await wait_for(pilot, "Builds on:")
        about = " ".join(str(app.screen.query_one("#about").render()).split())
        want = [CAT.lessons[r].lesson.title for r in CAT.lessons["edge-of-stability"].lesson.requires]
        assert about.startswith("With a large step, descent drives the sharpness up")
        assert "Builds on: " + "; ".join(" ".join(t.split()) for t in want) + "." in about
