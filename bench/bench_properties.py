"""The long run of the property tests of experiment option validation (the suite runs 100 cases):
random option dicts for every tool × problem, each must validate or raise the tutor's OptionError,
each within 2 s (hypothesis' deadline).

    python bench/bench_properties.py            # 10 000 cases
    python bench/bench_properties.py 50000
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    env = {**os.environ, "TUTOR_PROPERTY_EXAMPLES": str(n)}
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics",
                        "tests/unit/test_lab_limits.py::test_random_options_raise_nothing_but_option_errors"],
                       cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t
    stats = [line.strip() for line in r.stdout.splitlines() if "passing examples" in line or "Typical runtimes" in line or "passed" in line
             or "failed" in line]
    print(f"{n:,} random option sets for every tool and problem: {'ok' if r.returncode == 0 else 'FAILED'} in {took:.0f} s")
    for line in stats:
        print("  " + line)
    if r.returncode:
        print(r.stdout[-4000:])
    sys.exit(r.returncode)


if __name__ == "__main__":
    main()
