"""Keep Python's full garbage collections out of key presses while a lesson is open.

CPython runs a full (oldest-generation) collection once enough objects have survived the young
ones; it walks every tracked object, and once a lesson's numerics, results and widgets are loaded
that took 70-150 ms. It fell on whatever allocated at that moment, which was the key that showed
the next step (bench/bench_keys.py "n: experiment -> question": median 84 ms; 17 ms without it).

The app's start-up objects are frozen after its first frame (tutor/tui/gcpause.py). What a lesson
adds (the numerics imported by its first experiment, its results, its steps' widgets) lives as
long as the lesson screen, so it is frozen too once the lesson's experiments have run ahead
(``gc.freeze``: O(1), no pause; later collections skip it). When the learner leaves the lesson,
everything is unfrozen and collected once, after the catalog has been drawn (not on a key), and
what is still alive is frozen again if the app's start-up had been frozen: so a lesson left is
freed, and the catalog's keys stay as cheap as after start-up.
"""

from __future__ import annotations

import gc


def app_frozen() -> bool:
    """Whether the app froze its start-up (or is about to: the collector is paused until then).
    Under a test harness it did not; then nothing stays frozen beyond a lesson screen's life."""
    return gc.get_freeze_count() > 0 or not gc.isenabled()


def keep() -> None:
    """Everything alive now outlives the screen on view: leave it out of later collections."""
    gc.freeze()


def release() -> None:
    """The screen that owned the frozen objects is gone: let collections see them again."""
    gc.unfreeze()


def collect(refreeze: bool) -> None:
    """Collect what is garbage now, once (call it after a frame is out); freeze the rest again
    when the app had frozen its start-up."""
    gc.collect()
    if refreeze:
        gc.freeze()
