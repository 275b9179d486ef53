"""Start the app as the CLI does, with a store in a temporary folder, and read its screen."""

from __future__ import annotations

from pathlib import Path

from tutor.core.loader import catalog, lesson_dirs
from tutor.core.store import Store
from tutor.tui.app import TutorApp


def make_app(home: Path, *, extra: list[Path] | None = None, lesson: str | None = None, ascii: bool = False) -> TutorApp:
    return TutorApp(extra or [], lesson, store=Store(home / "progress.sqlite3"), ascii=ascii,
                    cat=catalog(lesson_dirs(extra or [])))


def screen_text(app: TutorApp) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
