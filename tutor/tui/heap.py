"""Keep Python's full garbage collections out of key presses.

CPython runs a full (oldest-generation) collection once enough objects have survived the young
ones; it scans every tracked object, and after a lesson's numerics and plots are loaded that is
70-150 ms. It fell on whatever allocated at that moment, which was the key that showed the next
step (bench/bench_keys.py: "n: experiment -> question", median 84 ms, 17 ms without it).

What is alive once a lesson's experiments have run ahead (modules, the lesson, its results and
widgets) lives as long as the lesson screen, so it is frozen then (``gc.freeze``: later
collections skip it; O(1), no pause). When the learner leaves the lesson it is unfrozen and
collected once, after the catalog has been drawn: a lesson left is freed, and nothing stays frozen
beyond the lesson screen's life.
Textual does the same kind of thing around smooth scrolling (``App.PAUSE_GC_ON_SCROLL``).
"""

from __future__ import annotations

import gc


def keep() -> None:
    """Everything alive now outlives the screen on view: leave it out of later collections."""
    gc.freeze()


def release() -> None:
    """The screen that owned the frozen objects is gone: let collections see them again."""
    gc.unfreeze()


def collect() -> None:
    """Collect what is garbage now, once (call it after a frame is out)."""
    gc.collect()
