"""The app with a lesson folder that holds a file with a control character: the good lessons list
and open; the bad file is named with its line and column (issue 13)."""

from __future__ import annotations

from tests.conftest import GOOD_LESSON, write
from tests.tui.helpers import screen_text, settle, wait_for
from tutor.core.store import Store
from tutor.tui.app import TutorApp


async def test_a_control_character_file_beside_good_lessons(tutor_home, tmp_path):
    folder = tmp_path / "les"
    write(folder / "good.yaml", GOOD_LESSON)
    write(folder / "ctl.yaml", GOOD_LESSON.replace("id: good-one", "id: ctl").replace("Hello", "Hel\x1blo"))
    # as `tutor --lessons les` starts it: no catalog handed in, the app loads (and caches) it itself
    app = TutorApp([folder], store=Store(tutor_home / "progress.sqlite3"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Could not load" in text and "ctl.yaml" in text
        assert "A good lesson" in text and "How the tutor works" in text
        await pilot.press("home")
        await settle(pilot)
        await pilot.press("enter")
        text = await wait_for(pilot, "does not load")
        assert "unacceptable character #x001b" in text
        await pilot.press("escape")
        await settle(pilot)
        app.open_lesson("good-one")
        assert "Hello, y = 1" in await wait_for(pilot, "Hello, y = 1")


async def test_the_app_says_when_the_progress_store_was_moved_aside(tutor_home):
    tutor_home.mkdir()
    (tutor_home / "progress.sqlite3").write_bytes(b"not a database at all" * 100)
    app = TutorApp([], store=Store(tutor_home / "progress.sqlite3"))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        text = await wait_for(pilot, "was damaged")
        toast = " ".join(line.split("▌", 1)[1].strip() for line in text.splitlines() if "▌" in line)  # right of its edge
        assert "was damaged (not a database); it is kept as" in toast and "and a fresh store was started." in toast
        assert "How the tutor works" in text  # and the app goes on, with a fresh store  # and the app goes on, with a fresh store
    assert [p.name.split(".damaged-")[0] for p in tutor_home.iterdir() if ".damaged-" in p.name] == ["progress.sqlite3"]
