"""Start the app as the CLI does, with a store in a temporary folder, read its screen, and wait on
it: for its workers, for its message queue, for text to appear. A wait that times out fails the
test, with the screen in the message; nothing here sleeps for a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App

from tutor.core.loader import catalog, lesson_dirs
from tutor.core.store import Store
from tutor.tui.app import TutorApp

POLL = 0.01  # how often a condition is looked at again while waiting (a poll, not a fixed wait)


def make_app(home: Path, *, extra: list[Path] | None = None, lesson: str | None = None, ascii: bool = False) -> TutorApp:
    return TutorApp(extra or [], lesson, store=Store(home / "progress.sqlite3"), ascii=ascii,
                    cat=catalog(lesson_dirs(extra or [])))


def screen_text(app: App) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot) -> None:
    """Until the app is idle: every worker finished and every pending message handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Wait until ``condition()`` holds; fail with ``what`` and the screen if it does not in time."""
    deadline = time.monotonic() + timeout
    while True:
        await settle(pilot)
        if condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}; the screen:\n{screen_text(pilot.app)}")
        await asyncio.sleep(POLL)


async def wait_for(pilot, *fragments: str, timeout: float = 20.0) -> str:
    """Wait until the screen shows every fragment; return the screen. Fails if it never does."""
    await until(pilot, lambda: all(f in screen_text(pilot.app) for f in fragments), f"{fragments!r} on screen", timeout)
    return screen_text(pilot.app)


async def wait_gone(pilot, fragment: str, timeout: float = 20.0) -> str:
    await until(pilot, lambda: fragment not in screen_text(pilot.app), f"{fragment!r} to leave the screen", timeout)
    return screen_text(pilot.app)


async def press(pilot, *keys: str) -> str:
    """Press keys, let the app settle, return the screen."""
    await pilot.press(*keys)
    await settle(pilot)
    return screen_text(pilot.app)


async def type_answer(pilot, text: str) -> str:
    """Clear the answer box (Ctrl+U), type, press Enter; return the screen once the app is idle."""
    await pilot.press("ctrl+u")
    for ch in text:
        await pilot.press(ch if ch != " " else "space")
    return await press(pilot, "enter")


TEST_LESSONS = Path(__file__).resolve().parent.parent / "e2e" / "lessons"


def burst(app: App, *keys: str) -> None:
    """Hand keys to the app the way the terminal driver does with one read of several keys: all
    in the app's queue before it handles the first. A key is a name ("backspace", "enter") or one
    character typed ("2", ".", " ")."""
    from textual import events
    from textual.keys import _character_to_key

    for key in keys:
        event = events.Key(_character_to_key(key), key) if len(key) == 1 else events.Key(key, None)
        event.set_sender(app)
        app.post_message(event)
