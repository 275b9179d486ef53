"""The long run of the property tests (issue 13): 10 000 fresh random cases per property of
tests/unit/test_fuzz.py (the loader on random text, random bytes, byte, line, key and value
mutations of the built-in lessons; every kind of answer; the expression reader; author formulas).
A case that raises anything but the tutor's own errors, or takes over 2 s, fails.

    python bench/bench_fuzz.py [--examples N]

Prints, per property, the cases run, failures and Hypothesis's typical time per case; exits 1 if
any property failed. Runs under a 4 GiB address-space limit (nothing here should come close).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="cases per property (default 10000)")
    parser.add_argument("-k", default=None, help="only the properties matching this pytest expression")
    args = parser.parse_args()
    env = {**os.environ, "TUTOR_FUZZ_EXAMPLES": str(args.examples), "OPENBLAS_NUM_THREADS": "1"}
    seed = str(int(time.time()))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit/test_fuzz.py",
               "--hypothesis-show-statistics", "--hypothesis-seed", seed]
    if args.k:
        command += ["-k", args.k]
    start = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, preexec_fn=_limit)
    wall = time.perf_counter() - start
    out = run.stdout
    print(f"pytest tests/unit/test_fuzz.py: {args.examples} cases per property, hypothesis seed {seed}")
    for block in re.split(r"\n(?=tests/unit/test_fuzz\.py::)", out):
        name = re.match(r"tests/unit/test_fuzz\.py::(\w+)", block)
        if not name or "passing" not in block:
            continue
        counts = re.findall(r"(\d+) passing, (\d+) failing, and (\d+) invalid", block)
        typical = re.findall(r"Typical runtimes: ([^\n,]+)", block)
        phases = re.findall(r"during (\w+) phase \(([\d.]+) seconds\)", block)
        passing = sum(int(c[0]) for c in counts)
        failing = sum(int(c[1]) for c in counts)
        seconds = sum(float(p[1]) for p in phases)
        print(f"  {name.group(1):58s} {passing:6d} passed {failing:3d} failed  {seconds:7.1f} s  typical {typical[0] if typical else '?'}")
    summary = [ln for ln in out.splitlines() if re.search(r"\d+ (passed|failed)", ln)]
    print(f"pytest: {summary[-1] if summary else run.returncode}; wall {wall:.0f} s")
    if run.returncode:
        print(out[-6000:])
        print(run.stderr[-2000:], file=sys.stderr)
    return 1 if run.returncode else 0


if __name__ == "__main__":
    raise SystemExit(main())
