"""The laboratory's speed: each tool at its default options, and a 200-start XOR census against
two PyTorch CPU peers doing the same training.

Budgets (issue 3), on the 2-core machine: each tool under 150 ms median; the census (2-2-1 network,
200 starts, 20 000 steps of full-batch gradient descent) under 3 s and at least 3 times faster
than the batched PyTorch peer.

Every peer runs in a process of its own, side by side in one run; the compute time is measured
inside the process after its imports, and the whole-process time around it. PyTorch is an optional
extra (`pip install -e '.[bench]'`, or `pip install torch==2.13.0`); without it those rows are skipped.

    python bench/bench_experiments.py [--runs 7] [--single-runs 2]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

STARTS, STEPS, LR = 200, 20_000, 2.0

TOOLS = [
    ("curve", {"name": "output-square"}, {}),
    ("curve", {"name": "mlp"}, {}),
    ("surface", {"name": "function", "expr": "x**2/2 + y**4/4 - y**2/2", "vars": ["x", "y"]}, {}),
    ("surface", {"name": "mlp"}, {"directions": "random"}),
    ("stationary", {"name": "output-square"}, {}),
    ("stationary", {"name": "linear-autoencoder"}, {}),
    ("stationary", {"name": "mlp"}, {}),
    ("descent", {"name": "mlp"}, {}),
    ("convexity", {"name": "logistic", "x": [1, -2, 0.5], "y": [1, 0, 1], "loss": "mse"}, {}),
    ("convexity", {"name": "mlp"}, {}),
    ("symmetry", {"name": "mlp", "weights": {"W1": [[4, -4], [-4, 4]], "b1": [-2, -2], "W2": [5, 5], "b2": -2}}, {}),
    ("census", {"name": "mlp"}, {"steps": 500, "lr": 0.5}),  # the defaults before issue 11 (now 2000 steps of 2.0)
]

OURS = f"""
import json, time
from tutor.experiments import run
run("census", {{"name": "mlp"}}, {{"starts": 4, "steps": 10}})  # warm the imports
t = time.perf_counter()
r = run("census", {{"name": "mlp"}}, {{"starts": {STARTS}, "steps": {STEPS}, "lr": {LR}}})
print(json.dumps({{"seconds": time.perf_counter() - t, "stuck": r.values["stuck"]}}))
"""

TORCH_BATCHED = f"""
import json, time, torch
torch.manual_seed(0)
X = torch.tensor([[0., 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float64)
y = torch.tensor([0., 1, 1, 0], dtype=torch.float64)
S = {STARTS}
P = [(torch.rand(*shape, dtype=torch.float64) * 2 - 1).requires_grad_() for shape in [(S, 2, 2), (S, 2), (S, 2), (S,)]]
W1, b1, W2, b2 = P
opt = torch.optim.SGD(P, lr={LR})
t = time.perf_counter()
for _ in range({STEPS}):
    opt.zero_grad()
    h = torch.sigmoid(torch.einsum("ni,shi->snh", X, W1) + b1[:, None, :])
    out = torch.sigmoid((h * W2[:, None, :]).sum(-1) + b2[:, None])
    loss = 0.5 * ((out - y) ** 2).sum()   # the sum over runs: each run's gradient is its own
    loss.backward()
    opt.step()
print(json.dumps({{"seconds": time.perf_counter() - t}}))
"""

TORCH_SINGLE = f"""
import json, sys, time, torch
torch.manual_seed(0)
X = torch.tensor([[0., 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float64)
y = torch.tensor([0., 1, 1, 0], dtype=torch.float64)
runs = int(sys.argv[1])
t = time.perf_counter()
for _ in range(runs):
    P = [(torch.rand(*shape, dtype=torch.float64) * 2 - 1).requires_grad_() for shape in [(2, 2), (2,), (2,), (1,)]]
    W1, b1, W2, b2 = P
    opt = torch.optim.SGD(P, lr={LR})
    for _ in range({STEPS}):
        opt.zero_grad()
        out = torch.sigmoid(torch.sigmoid(X @ W1.T + b1) @ W2 + b2)
        loss = 0.5 * ((out - y) ** 2).sum()
        loss.backward()
        opt.step()
print(json.dumps({{"seconds": time.perf_counter() - t}}))
"""


def peer(code: str, *args: str) -> tuple[float, float]:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed")
    return json.loads(r.stdout.strip().splitlines()[-1])["seconds"], wall


def tools(runs: int) -> bool:
    from tutor.experiments import run

    ok = True
    print(f"{'tool at default options':44s} {'median':>9s} {'max':>9s}")
    for tool, problem, with_ in TOOLS:
        run(tool, problem, with_)
        ts = []
        for _ in range(runs):
            t = time.perf_counter()
            run(tool, problem, with_)
            ts.append(time.perf_counter() - t)
        med = statistics.median(ts)
        ok &= med < 0.150
        extra = f" {with_}" if with_ else ""
        print(f"{tool + ' on ' + problem['name'] + extra:44s} {med * 1000:7.1f}ms {max(ts) * 1000:7.1f}ms")
    print(f"budget: every median < 150 ms -> {'ok' if ok else 'OVER'}\n")
    return ok


def census(single_runs: int) -> bool:
    rows = []
    ours, ours_wall = peer(OURS)
    rows.append(("landscape-tutor (numpy, batched)", ours, ours_wall, ""))
    try:
        import torch  # noqa: F401

        have_torch = True
    except ImportError:
        have_torch = False
    batched = None
    if have_torch:
        batched, wall = peer(TORCH_BATCHED)
        rows.append(("PyTorch CPU, batched with autograd", batched, wall, ""))
        one, wall = peer(TORCH_SINGLE, str(single_runs))
        rows.append(("PyTorch CPU, one run at a time", one * STARTS / single_runs, wall,
                     f"({single_runs} runs timed, scaled to {STARTS})"))
    print(f"census: XOR 2-2-1, {STARTS} starts × {STEPS:,} steps, step size {LR}")
    print(f"{'':40s} {'compute':>9s} {'process':>9s} {'vs ours':>8s}")
    for name, secs, wall, note in rows:
        print(f"{name:40s} {secs:8.2f}s {wall:8.2f}s {secs / ours:7.1f}x {note}")
    ok = ours < 3.0 and (batched is None or batched / ours >= 3.0)
    ratio = f"{batched / ours:.1f}x" if batched else "n/a (no torch)"
    print(f"budget: census < 3 s and >= 3x faster than batched PyTorch -> {'ok' if ok else 'OVER'} ({ours:.2f} s, {ratio})")
    return ok


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--single-runs", type=int, default=2)
    args = ap.parse_args()
    tools(args.runs)
    census(args.single_runs)


if __name__ == "__main__":
    main()
