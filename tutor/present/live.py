"""The words around the live view of descent: its key line and its one line of numbers.

Pure text: the frame's numbers arrive already formatted (``Frame.rows`` from the stepper)."""

from __future__ import annotations

from collections.abc import Sequence

from tutor.present.commands import LIVE, key_name

STATES = {"paused": "paused", "playing": "playing", "done": "done (Space plays it again)",
          "diverged": "diverged: the loss blew up (0 resets)"}


def key_pairs(*, ascii: bool = False) -> list[tuple[str, str]]:
    """(key, label) pairs for the key line: ``Space play/pause  . one step  0 reset  +/- step size``."""
    out = [(key_name(c.keys[0], ascii=ascii), c.label) for c in LIVE if c.name not in ("larger", "smaller")]
    return out + [("+/-", "step size")]


LINE_STATES = {"diverged": "diverged: the loss blew up"}


def status(rows: Sequence[tuple[str, str]], state: str, view: str = "app") -> str:
    """``paused · step 12 of 100  loss 0.1234  step size 0.1  |gradient| 0.05`` (the state first, so
    a narrow window still shows it; line mode names only a divergence: it has no keys to play with)."""
    text = "  ".join(f"{k} {v}" for k, v in rows)
    said = STATES.get(state, state) if view == "app" else LINE_STATES.get(state)
    return (f"{said} · " if said else "") + text
