"""Key-press latency on the lesson screen, plots included (budget, issue 4: 50 ms).

The real `tutor open tour` runs in a pseudo-terminal of 80×24; each key is timed from the moment
it is written to the terminal until the screen shows its result. The learner is given a second to
read each step first, as a person would.

    python bench/bench_keys.py [--runs 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ptyrun import PtyProcess, report, timed_key

STEPS = [
    ("n: text -> experiment with its plot", b"n", "convex on this range"),
    ("n: experiment -> question", b"n", "How many separate minima"),
    ("Enter: wrong answer -> feedback", b"3\r", "Not quite."),
    ("Enter: right answer -> explanation", b"\x15" + b"2\r", "Right, on attempt 2."),
    ("Enter: -> next question", b"\r", "At which weights"),
    ("Enter: points answer -> plot with the answer", b"-1, 1\r", "Right!"),
]


def one_run() -> list[float]:
    home = tempfile.mkdtemp(prefix="tutor-keys-")
    p = PtyProcess([sys.executable, "-m", "tutor", "open", "tour"], env={"TUTOR_HOME": home})
    out = []
    try:
        p.read_until("step 1 of 8")
        for _, keys, expect in STEPS:
            time.sleep(1.0)  # reading time
            if keys.endswith(b"\r") and len(keys) > 1:  # type the answer, then time the Enter alone
                for ch in keys[:-1]:
                    p.send(bytes([ch]))
                    time.sleep(0.05)
                time.sleep(0.3)
                keys = b"\r"
            out.append(timed_key(p, keys, expect))
    finally:
        p.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    report([label for label, _, _ in STEPS], [one_run() for _ in range(args.runs)])


if __name__ == "__main__":
    main()
