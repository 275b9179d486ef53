"""Key-press latency while the live view of descent plays (issue 16: keys answered within 50 ms).

The real `tutor open watch-descent` runs in a pseudo-terminal of 80×24. On the live step, Space
starts the descent (a frame every 0.1 s: a chunk of steps, then the landscape and the loss curve
redrawn); each key is then timed from the moment it is written to the terminal until the screen
shows its result, while the descent keeps playing (the first three after Space) or after a pause.

    python bench/bench_live.py [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ptyrun import PtyProcess, report, timed_key

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
# between keys, at random so that keys land anywhere in the cycle of frames (one per 0.15 s); the
# run (40 steps, about 6 s) is still playing for the first four
GAP = (0.2, 0.45)

STEPS = [
    ("Space: play", b" ", "playing ·"),
    ("+ while playing: larger step size", b"+", "step size 0.15"),
    ("+ while playing: larger again", b"+", "step size 0.2"),
    ("- while playing: smaller", b"-", "step size 0.15"),
    ("Space while playing: pause", b" ", "paused ·"),
    ("0: reset to the start", b"0", "step 0 of 40"),
    (".: one step", b".", "step 1 of 40"),
]


def one_run() -> list[float]:
    home = tempfile.mkdtemp(prefix="tutor-live-")
    p = PtyProcess([sys.executable, "-m", "tutor", "--lessons", str(LESSONS), "open", "watch-descent"], env={"TUTOR_HOME": home})
    out = []
    try:
        p.read_until("step 1 of ")
        p.send(b"n")
        p.read_until("Predict, before you play it")
        time.sleep(0.5)
        p.send(b"\r")  # the first choice
        p.read_until("Right")
        time.sleep(0.3)
        timed_key(p, b"\r", "step 0 of 40")
        time.sleep(1.0)  # reading time
        for _, keys, expect in STEPS:
            time.sleep(random.uniform(*GAP))
            out.append(timed_key(p, keys, expect))
    finally:
        p.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    random.seed(args.seed)
    report([label for label, _, _ in STEPS], [one_run() for _ in range(args.runs)])


if __name__ == "__main__":
    main()
