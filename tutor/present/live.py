"""The words around the live view of descent: its key line and its one line of numbers.

Pure text: the frame's numbers arrive already formatted (``Frame.rows`` from the stepper)."""

from __future__ import annotations

from collections.abc import Sequence

from tutor.present.commands import LIVE, key_name
from tutor.present.text import screen

STATES = {"paused": "paused", "playing": "playing", "done": "done (Space plays it again)",
          "diverged": "diverged (0 resets)"}


def key_pairs(*, ascii: bool = False) -> list[tuple[str, str]]:
    """(key, label) pairs for the key line: ``Space play/pause  . one step  0 reset  +/- step size``."""
    out = [(key_name(c.keys[0], ascii=ascii), c.label) for c in LIVE if c.name not in ("larger", "smaller")]
    return out + [("+/-", "step size")]


LINE_STATES = {"diverged": "diverged: the loss blew up"}


def status(rows: Sequence[tuple[str, str]], state: str, view: str = "app") -> str:
    """In the app three lines, whose number never changes while the run plays (so nothing around
    them moves), each short enough for a narrow window: ``paused · step 12 of 100``, ``loss 0.1234
    step size 0.1``, ``|gradient| 0.05  θ [..]``; the state comes first. Line mode names only a
    divergence (it has no keys to play with) and keeps to one line."""
    said = STATES.get(state, state) if view == "app" else LINE_STATES.get(state)
    parts = ["  ".join(f"{k} {v}" for k, v in rows[i:j]) for i, j in ((0, 1), (1, 3), (3, len(rows)))]
    parts[0] = (f"{said} · " if said else "") + parts[0]
    return screen(("\n" if view == "app" else "  ").join(parts))  # ASCII mode: theta, not θ
