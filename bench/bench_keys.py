"""Key-press latency on the lesson screen, plots included (budget, issue 4: 50 ms).

The real `tutor open tour` runs in a pseudo-terminal of 80×24; each key is timed from the moment
it is written to the terminal until the screen shows its result. The learner is given a second to
read each step first, as a person would.

    python bench/bench_keys.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ptyrun import PtyProcess

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
            mark = len(p.buffer)
            if keys.endswith(b"\r") and len(keys) > 1:  # type the answer, then time the Enter alone
                for ch in keys[:-1]:
                    p.send(bytes([ch]))
                    time.sleep(0.05)
                time.sleep(0.3)
                mark = len(p.buffer)
                keys = b"\r"
            t = p.send(keys)
            out.append(p.read_until(expect, since=mark) - t)
    finally:
        p.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    runs = [one_run() for _ in range(args.runs)]
    print(f"{'key':48s} {'median':>8s} {'max':>8s}")
    worst = 0.0
    for k, (label, _, _) in enumerate(STEPS):
        ts = [r[k] for r in runs]
        worst = max(worst, statistics.median(ts))
        print(f"{label:48s} {statistics.median(ts) * 1000:6.1f}ms {max(ts) * 1000:6.1f}ms")
    print(f"\nbudget: every median <= 50 ms -> {'ok' if worst <= 0.05 else 'OVER'} (worst {worst * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
