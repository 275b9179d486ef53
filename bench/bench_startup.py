"""Start-up: the catalog's first frame against a bare Textual app showing one Static.

Both are started the way a person starts them (a pseudo-terminal of 80×24): the bare app as
`python bare_app.py`, the tutor as the `tutor` command pip installed (`python -m tutor` would add
runpy's imports, about 3 ms, that no learner pays). Each is timed from process start until its
text is on the screen; runs are interleaved so that background load hits both alike. Budget
(issue 9): the tutor's median within 1.10 times the bare app's.

    python bench/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ptyrun import PtyProcess

HERE = Path(__file__).parent


def first_frame(argv: list[str], text: str, home: str) -> float:
    p = PtyProcess(argv, env={"TUTOR_HOME": home})
    try:
        return p.read_until(text) - p.t0
    finally:
        p.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="tutor-bench-")
    script = shutil.which("tutor", path=str(Path(sys.executable).parent))
    tutor = [script] if script else [sys.executable, "-m", "tutor"]
    cases = {
        "bare Textual app (one Static)": ([sys.executable, str(HERE / "bare_app.py")], "Next: ready"),
        "tutor (catalog)": (tutor, "Next: How"),
    }
    first_frame(cases["tutor (catalog)"][0], "Next: How", home)  # first run ever: builds the catalog cache
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(args.runs):
        for name, (argv, text) in cases.items():
            times[name].append(first_frame(argv, text, home))
    base = statistics.median(times["bare Textual app (one Static)"])
    print(f"{'':32s} {'median':>8s} {'min':>8s} {'ratio':>6s}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:32s} {med * 1000:7.0f}ms {min(ts) * 1000:7.0f}ms {med / base:6.2f}")
    ratio = statistics.median(times["tutor (catalog)"]) / base
    print(f"\nbudget: ratio <= 1.10 -> {'ok' if ratio <= 1.10 else 'OVER'} ({ratio:.2f})")


if __name__ == "__main__":
    main()
