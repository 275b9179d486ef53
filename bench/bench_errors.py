"""Broken lesson files must be reported within a second (issue 2), whole process included.

Each broken file of the test suite is written to a folder and `tutor check FILE` is timed,
as a lesson author would run it.

    python bench/bench_errors.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.unit.test_broken_files import CASES  # noqa: E402


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="tutor-broken-"))
    files = {}
    for name, (text, _, _) in CASES.items():
        p = folder / f"{name}.yaml"
        p.write_bytes(text if isinstance(text, bytes) else text.encode())
        files[name] = p
    big = folder / "fifty-megabytes.yaml"
    with open(big, "w") as f:
        f.write("format: 1\n")
        for _ in range(50 * 1024):
            f.write("# " + "x" * 1021 + "\n")
    files["50 MB file"] = big
    worst = 0.0
    print(f"{'broken file':28s} {'exit':>4s} {'median':>8s}")
    for name, path in files.items():
        ts = []
        for _ in range(3):
            t = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "tutor", "check", "--no-run", str(path)], capture_output=True, text=True)
            ts.append(time.perf_counter() - t)
        med = statistics.median(ts)
        worst = max(worst, med)
        assert "Traceback" not in r.stderr
        print(f"{name:28s} {r.returncode:4d} {med * 1000:6.0f}ms")
    print(f"\nbudget: each under 1 s -> {'ok' if worst < 1 else 'OVER'} (worst {worst * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
