"""The experiment budget against measurement: for each case, the estimate of tutor.core.lab_schema.budget
next to the measured wall time and peak memory (max RSS of a fresh process, minus the process's
size after the imports), and the worst experiments the limits allow. (The time estimate against every experiment
the lessons and benchmarks run: bench/bench_budget.py.)

    python bench/bench_limits.py            # calibration cases
    python bench/bench_limits.py --worst    # the largest experiments the budget accepts, per tool

Measured 2026-11-25 on the shared 2-core VM (load average 30-90, so wall time is 3-5x CPU time), --worst:
the largest peak RSS 814 MB (surface on a 16-16 teacher net with 1113 examples), the largest CPU time 26.9 s
(stationary on the linear autoencoder, 8 variances, p = 8, 34 starts; 64 starts, its default, is refused).
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = """
import json, resource, sys, time
from tutor.experiments import run, registry
from tutor.core import lab_schema as S
from tutor.core.lab_schema import budget
registry.load()
import numpy, scipy.optimize, scipy.special
run_, problem, with_ = json.loads(sys.stdin.read())
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
p, t = S.PROBLEMS[problem["name"]].options.model_validate({k: v for k, v in problem.items() if k != "name"}), S.TOOLS[run_].options.model_validate(with_)
est = budget.describe(run_, problem["name"], p, t)
t0, c0 = time.perf_counter(), time.process_time()
from tutor.experiments import registry as R
R.TOOLS[run_](R.make(problem["name"], p), t)
sec, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"cpu": cpu, "seconds": sec, "peak": peak, "extra": peak - base, "est_seconds": est["seconds"], "est_bytes": est["bytes"]}))
"""

TEACHER = {"teacher": {"inputs": 16, "hidden": 16, "points": 2000}}
CASES = [
    ("curve", {"name": "mlp", "data": {"teacher": {"inputs": 4, "hidden": 4, "points": 200}}, "hidden": 4}, {"points": 2001}),
    ("curve", {"name": "linear-autoencoder", "sigma": [1, 2, 3, 4, 5, 6, 7, 8], "p": 4}, {"points": 5001}),
    ("surface", {"name": "mlp", "data": {"teacher": {"inputs": 4, "hidden": 8, "points": 500}}, "hidden": 8}, {"points": 101}),
    ("stationary", {"name": "linear-autoencoder", "sigma": [1, 2, 3, 4, 5, 6, 7, 8], "p": 4}, {"starts": 32, "iterations": 50}),
    ("stationary", {"name": "mlp", "data": {"teacher": {"inputs": 4, "hidden": 4, "points": 100}}, "hidden": 4}, {"starts": 64, "iterations": 50}),
    ("descent", {"name": "mlp"}, {"steps": 100000}),
    ("descent", {"name": "mlp", "data": {"teacher": {"inputs": 8, "hidden": 8, "points": 500}}, "hidden": 8}, {"starts": 200, "steps": 500}),
    ("convexity", {"name": "mlp", "data": {"teacher": {"inputs": 4, "hidden": 8, "points": 200}}, "hidden": 8}, {"pairs": 1000}),
    ("convexity", {"name": "linear-autoencoder", "sigma": [1, 2, 3, 4, 5, 6, 7, 8], "p": 8}, {"pairs": 400}),
    ("census", {"name": "mlp"}, {"starts": 1000, "steps": 5000}),
    ("census", {"name": "mlp", "data": TEACHER, "hidden": 16}, {"starts": 20, "steps": 200}),
    ("symmetry", {"name": "mlp", "hidden": 2, "weights": {"W1": [[1, 2], [3, 4]], "W2": [1, 2]}}, {"points": 2001}),
]


def measure(case: tuple) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(case), capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        return {"error": r.stderr.strip().splitlines()[-1]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    from tutor.core import lab_schema as S

    worst = "--worst" in sys.argv
    cases = WORST if worst else CASES
    if len(sys.argv) > 1 and sys.argv[-1].isdigit():
        cases = [cases[int(sys.argv[-1])]]
    print(f"{'case':70s} {'est s':>7s} {'wall s':>7s} {'cpu s':>7s} {'est MB':>8s} {'extra MB':>8s} {'peak MB':>8s}  accepted")
    for case in cases:
        run_, problem, with_ = case
        try:
            S.validate(run_, problem, with_)
            ok = "yes"
        except S.OptionError as exc:
            ok = f"no: {exc}"[:60]
        m = measure(case)
        label = f"{run_} {json.dumps(problem)[:40]} {json.dumps(with_)[:20]}"
        if problem["name"] == "softmax":
            label = f"{run_} softmax 2000 examples × {len(problem['x'][0])} inputs, 32 classes"
        if "error" in m:
            print(f"{label:70s} {m['error']}")
            continue
        print(f"{label:70s} {m['est_seconds']:7.2f} {m['seconds']:7.2f} {m['cpu']:7.2f} {m['est_bytes'] / 1e6:8.0f} {m['extra'] / 1e6:8.0f} {m['peak'] / 1e6:8.0f}  {ok}")


def teacher(n: int, h: int = 16, i: int = 16) -> dict:
    return {"name": "mlp", "data": {"teacher": {"inputs": i, "hidden": h, "points": n}}, "hidden": h}


def softmax(f: int) -> dict:
    import random

    rnd = random.Random(0)
    return {"name": "softmax", "x": [[round(rnd.uniform(-1, 1), 3) for _ in range(f)] for _ in range(2000)], "y": [k % 32 for k in range(2000)]}


# (tool, problem for a size k, options for a size k, largest k to try): the worst case is the largest k the budget accepts
TEMPLATES = [
    ("curve", teacher, lambda k: {}, 2000),
    ("curve", softmax, lambda k: {}, 512),
    ("surface", teacher, lambda k: {}, 2000),
    ("surface", lambda k: {"name": "mlp"}, lambda k: {"points": k}, 301),
    ("stationary", teacher, lambda k: {}, 2000),
    ("stationary", lambda k: {"name": "linear-autoencoder", "sigma": [8, 7, 6, 5, 4, 3, 2, 1], "p": 8}, lambda k: {"starts": k}, 2000),
    ("descent", teacher, lambda k: {"starts": 64}, 2000),
    ("descent", lambda k: {"name": "mlp"}, lambda k: {"steps": k}, 200_000),
    ("convexity", teacher, lambda k: {}, 2000),
    ("convexity", lambda k: {"name": "linear-autoencoder", "sigma": [8, 7, 6, 5, 4, 3, 2, 1], "p": 8}, lambda k: {"pairs": k}, 100_000),
    ("census", teacher, lambda k: {}, 2000),
    ("census", lambda k: {"name": "mlp"}, lambda k: {"starts": 5000, "steps": k}, 200_000),
    ("symmetry", lambda k: {**teacher(k), "weights": {"W1": [[0.1 * (a - b)] * 16 for a in range(16) for b in [0]], "W2": [0.5] * 16}},
     lambda k: {"points": 2001}, 2000),
]


def largest(tool: str, problem, with_, top: int) -> tuple | None:
    """The largest size the budget accepts (sizes are monotone in cost: bisection)."""
    from tutor.core import lab_schema as S

    def ok(k: int) -> bool:
        try:
            S.validate(tool, problem(k), with_(k))
            return True
        except S.OptionError:
            return False

    if ok(top):
        return (tool, problem(top), with_(top))
    lo, hi = 0, top
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    return (tool, problem(lo), with_(lo)) if lo else None


WORST: list[tuple] = []
if "--worst" in sys.argv:
    WORST = [c for t in TEMPLATES if (c := largest(*t))]

if __name__ == "__main__":
    main()
