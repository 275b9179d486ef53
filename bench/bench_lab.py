"""The laboratory beyond toys (issue 14): the census against JAX, the network tools at lesson sizes,
and the spectrum of a 10 000-parameter network.

Budgets: the XOR census (2-2-1, 200 starts × 20 000 steps, η = 2) no slower than JAX jit + vmap +
lax.scan in float64 on the same machine, and its first call in a fresh process (imports and any
compilation included) within 1 s; every network tool at lesson sizes within 100 ms; spectrum top-10
on a 10 000-parameter network within 1 s.

Every census peer runs in a process of its own, the peers interleaved round after round, and the
table shows medians: compute (inside the process, after its imports and a first call), first call
(in a fresh process, imports excluded, compilation included) and the whole process. Ours runs twice:
with the compiled kernel (llvmlite, what the census uses) from an empty disk cache (a machine's
very first run: it compiles) and from a warm one (every later run: it loads the machine code), and
forced onto the numpy kernel (what it used before, and its fallback where llvmlite is missing). JAX and numba are optional (`pip install -e '.[bench]'`); rows without them are skipped. The environment the
children see is printed (OPENBLAS_* matter on this machine; `--native-blas` unsets
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for the children).

    python bench/bench_lab.py [--rounds 3] [--runs 5] [--native-blas] [--skip-census]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

STARTS, STEPS, LR = 200, 20_000, 2.0
CACHED = "  the same, its kernel from the disk cache"  # the first row's machine code already on disk

OURS = f"""
import json, sys, time
t0 = time.perf_counter()
from tutor.experiments import run
from tutor.experiments.nets import census
if sys.argv[1] == "numpy":
    import functools
    census.descend_many = functools.partial(census.descend_many, kernel="numpy")
t1 = time.perf_counter()
w = {{"starts": {STARTS}, "steps": {STEPS}, "lr": {LR}}}
r = run("census", {{"name": "mlp"}}, w)
t2 = time.perf_counter()
r = run("census", {{"name": "mlp"}}, w)
t3 = time.perf_counter()
out = {{"import": t1 - t0, "first": t2 - t1, "compute": t3 - t2, "stuck": r.values["stuck"]}}
if sys.argv[1] == "compiled":
    from tutor.experiments.nets import census_jit
    import os
    os.environ["TUTOR_JIT_CACHE"] = "off"  # the compilation itself, not a load from the disk cache
    census_jit._kernel.cache_clear()
    t4 = time.perf_counter()
    census_jit.kernel("sigmoid", "sigmoid", "half-sse")
    out["compile"] = time.perf_counter() - t4
print(json.dumps(out))
"""

OURS_GENERIC = f"""
import json, time
t0 = time.perf_counter()
import numpy as np
from tutor.core.lab_schema.problems import MLPOptions
from tutor.experiments.problems.mlp import MLP
from tutor.experiments.tools.descent import descend
t1 = time.perf_counter()
p = MLP(MLPOptions())
T = np.random.default_rng(0).uniform(-1, 1, ({STARTS}, 9))
tr = descend(p, T, {LR}, {STEPS}, record=False)
t2 = time.perf_counter()
tr = descend(p, T, {LR}, {STEPS}, record=False)
t3 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "first": t2 - t1, "compute": t3 - t2, "stuck": int((tr.final_loss > 0.05).sum())}}))
"""

JAX = f"""
import json, time
t0 = time.perf_counter()
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
t1 = time.perf_counter()
X = jnp.array([[0., 0], [0, 1], [1, 0], [1, 1]])
y = jnp.array([0., 1, 1, 0])
def loss(p):
    W1, b1, W2, b2 = p
    h = jax.nn.sigmoid(X @ W1.T + b1)
    return 0.5 * jnp.sum((jax.nn.sigmoid(h @ W2 + b2) - y) ** 2)
g = jax.grad(loss)
def train(p):
    def step(p, _):
        return jax.tree_util.tree_map(lambda a, b: a - {LR} * b, p, g(p)), None
    return loss(jax.lax.scan(step, p, None, length={STEPS})[0])
f = jax.jit(jax.vmap(train))
k = jax.random.split(jax.random.PRNGKey(0), 4)
u = lambda key, shape: jax.random.uniform(key, shape, minval=-1, maxval=1, dtype=jnp.float64)
S = {STARTS}
P = (u(k[0], (S, 2, 2)), u(k[1], (S, 2)), u(k[2], (S, 2)), u(k[3], (S,)))
t2 = time.perf_counter()
L = f(P).block_until_ready()
t3 = time.perf_counter()
L = f(P).block_until_ready()
t4 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "first": t3 - t2, "compute": t4 - t3, "stuck": int((L > 0.05).sum())}}))
"""

NUMBA = f"""
import json, time
t0 = time.perf_counter()
import numpy as np, numba
from math import exp
t1 = time.perf_counter()
@numba.njit(cache=False)
def census(P, X, y, lr, steps):
    S, d = P.shape
    N, I = X.shape
    H = (d - 1) // (I + 2)
    h = np.empty(H); g = np.empty(d); L = np.empty(S)
    for s in range(S):
        th = P[s]
        for k in range(steps + 1):
            g[:] = 0.0
            loss = 0.0
            for n in range(N):
                out = th[d - 1]
                for j in range(H):
                    a = th[H * I + j]
                    for i in range(I):
                        a += th[j * I + i] * X[n, i]
                    h[j] = 1.0 / (1.0 + exp(-a))
                    out += th[H * I + H + j] * h[j]
                p = 1.0 / (1.0 + exp(-out))
                r = p - y[n]
                loss += 0.5 * r * r
                delta = r * p * (1.0 - p)
                g[d - 1] += delta
                for j in range(H):
                    g[H * I + H + j] += delta * h[j]
                    da = delta * th[H * I + H + j] * h[j] * (1.0 - h[j])
                    g[H * I + j] += da
                    for i in range(I):
                        g[j * I + i] += da * X[n, i]
            if k == steps:
                L[s] = loss
                break
            th -= lr * g
    return L
X = np.array([[0., 0], [0, 1], [1, 0], [1, 1]]); y = np.array([0., 1, 1, 0])
P = np.random.default_rng(0).uniform(-1, 1, ({STARTS}, 9))
t2 = time.perf_counter()
L = census(P.copy(), X, y, {LR}, {STEPS})
t3 = time.perf_counter()
L = census(P.copy(), X, y, {LR}, {STEPS})
t4 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "first": t3 - t2, "compute": t4 - t3, "stuck": int((L > 0.05).sum())}}))
"""

# (name, code, argument, the module it needs)
PEERS = [("landscape-tutor census, compiled kernel", OURS, "compiled", "llvmlite"),
         (CACHED, OURS, "compiled", "llvmlite"),
         ("landscape-tutor census, numpy kernel (before)", OURS, "numpy", None),
         ("landscape-tutor, generic descent", OURS_GENERIC, "", None),
         ("JAX jit+vmap+lax.scan, float64", JAX, "", "jax"), ("numba, plain loop", NUMBA, "", "numba")]

IRIS = {"name": "mlp", "data": "iris", "hidden": [8], "activation": "tanh", "output": "softmax", "loss": "cross-entropy"}
MOONS = {"name": "mlp", "data": {"moons": {"points": 60}}, "hidden": [12, 12], "activation": "tanh", "output": "sigmoid", "loss": "cross-entropy"}
EOS = {"name": "mlp", "data": {"teacher": {"inputs": 10, "hidden": 4, "points": 50}}, "hidden": 100, "activation": "tanh",
       "output": "linear", "loss": "mse", "init": {"scale": 0.4}}
TOOLS = [
    ("spectrum", {"name": "mlp"}, {}),
    ("spectrum", IRIS, {}),
    ("spectrum", IRIS, {"train": {"lr": 0.5, "steps": 200}}),
    ("spectrum", EOS, {"top": 5}),
    ("sharpness", EOS, {"lr": 0.4, "steps": 200, "every": 20}),
    ("sharpness", EOS, {"lr": 0.4, "steps": 1000, "every": 20}),
    ("path", MOONS, {"a": {"train": {"lr": 0.5, "steps": 200, "seed": 1}}, "b": {"train": {"lr": 0.5, "steps": 200, "seed": 2}},
                     "bend_steps": 100}),
    ("census", {"name": "mlp"}, {"starts": 100, "steps": 1000, "lr": 2.0, "widths": [1, 2, 3, 4]}),
    ("surface", IRIS, {"directions": "random", "range": 1.0}),
    ("surface", IRIS, {"directions": "random", "range": 1.0, "train": {"lr": 0.5, "steps": 200}}),
]
BIG = {"name": "mlp", "data": "iris", "hidden": [100, 100], "activation": "tanh", "output": "softmax", "loss": "cross-entropy"}
BIG_WITH = {"top": 10, "method": "lanczos"}


def peer(code: str, arg: str, env: dict[str, str]) -> dict[str, float]:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code, arg], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["process"] = wall
    return out


def census(rounds: int, env: dict[str, str]) -> None:
    import importlib.util

    peers = [(n, c, a) for n, c, a, mod in PEERS if mod is None or importlib.util.find_spec(mod) is not None]
    results: dict[str, list[dict[str, float]]] = {n: [] for n, _, _ in peers}
    with tempfile.TemporaryDirectory() as warm:
        # the compiled kernel's first call as a learner's very first run meets it (an empty disk cache) and as
        # every later run does (its machine code on disk); numba's own cache stays off, as it is by default
        peer(OURS, "compiled", {**env, "TUTOR_JIT_CACHE": warm})
        for _ in range(rounds):
            for name, code, arg in peers:
                with tempfile.TemporaryDirectory() as cold:
                    results[name].append(peer(code, arg, {**env, "TUTOR_JIT_CACHE": warm if name == CACHED else cold}))
    ours = statistics.median(r["compute"] for r in results[peers[0][0]])
    print(f"census: XOR 2-2-1, {STARTS} starts × {STEPS:,} steps, η = {LR}; medians of {rounds} rounds")
    print(f"| {'peer':46s} | {'compute':>8s} | {'first call':>10s} | {'imports':>8s} | {'process':>8s} | {'vs ours':>7s} | stuck |")
    print(f"|{'-' * 48}|{'-' * 10}|{'-' * 12}|{'-' * 10}|{'-' * 10}|{'-' * 9}|-------|")
    for name, rs in results.items():
        med = {k: statistics.median(r[k] for r in rs) for k in ("compute", "first", "import", "process")}
        print(f"| {name:46s} | {med['compute']:7.2f}s | {med['first']:9.2f}s | {med['import']:7.2f}s | {med['process']:7.2f}s | "
              f"{med['compute'] / ours:6.2f}x | {int(rs[0]['stuck']):5d} |")
    compiles = [r["compile"] for rs in results.values() for r in rs if "compile" in r]
    if compiles:
        print(f"\ncompiled kernel: compiling it takes {statistics.median(compiles) * 1000:.0f} ms (median; inside the first row's 'first call'); "
              "its machine code is then kept on disk (TUTOR_JIT_CACHE), which the second row's runs load instead.")
    print()


def tools(runs: int) -> None:
    from tutor.experiments import run

    print(f"| {'tool at lesson size':78s} | {'median':>8s} | {'max':>8s} |")
    print(f"|{'-' * 80}|{'-' * 10}|{'-' * 10}|")
    cases = [*TOOLS, ("spectrum", BIG, BIG_WITH)]
    for tool, problem, with_ in cases:
        run(tool, problem, with_)
        ts = []
        for _ in range(runs):
            t = time.perf_counter()
            r = run(tool, problem, with_)
            ts.append(time.perf_counter() - t)
        label = f"{tool} {_describe(problem)} {json.dumps(with_, separators=(',', ':'))}"
        if tool == "spectrum" and problem is BIG:
            label = f"spectrum top-10, {r.values['parameters']:,} parameters (Iris 4-100-100-3)"
        print(f"| {label[:78]:78s} | {statistics.median(ts) * 1000:6.1f}ms | {max(ts) * 1000:6.1f}ms |")
    print()


def _describe(problem: dict) -> str:
    if problem.get("data") in (None, "xor"):
        return "XOR 2-2-1"
    data = problem["data"] if isinstance(problem["data"], str) else next(iter(problem["data"]))
    return f"{data} {problem.get('hidden')}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--native-blas", action="store_true", help="unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for the census peers")
    ap.add_argument("--skip-census", action="store_true")
    args = ap.parse_args()
    env = dict(os.environ)
    if args.native_blas:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    shown = {k: v for k, v in env.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_", "XLA_"))}
    print(f"environment of the peers: {shown or 'no BLAS variables'}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    if not args.skip_census:
        census(args.rounds, env)
    tools(args.runs)


if __name__ == "__main__":
    main()
