"""The garbage collector paused while an app starts, resumed once its first frame is on screen.

Start-up creates on the order of 100 000 objects that live as long as the app (Textual's widgets
and styles, the parsed CSS, the catalog). With the collector running, CPython walks them again
and again as they are made: about 90 collections and a tenth of the start-up time of even a bare
Textual app (measured with gc.callbacks; see bench/bench_startup.py). Nothing made during start-up
is garbage worth collecting early, so the collector is paused for it; after the first frame those
objects are moved out of the collector's way for good (``gc.freeze``, as the CPython documentation
suggests for start-up objects) and collection resumes, so later key presses are not slowed by
re-walking them either.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Pause collection until ``resume``; a no-op when it is already paused by someone else."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Resume what ``pause`` paused (safe to call any number of times)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
