"""Compiled kernels are kept on disk: a second process loads the object code instead of running LLVM,
and gets the same numbers; a damaged or foreign entry is never used; the cache can be turned off."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("llvmlite")

RUN = """
import json, numpy as np
from tutor.experiments.nets import jit, train_jit
from tutor.experiments.nets.mlp import Net
from tutor.experiments.nets.data import iris
X, y = iris()
net = Net(X, y, [8], "tanh", "softmax", "cross-entropy")
run = train_jit.descend(net, net.init(np.random.default_rng(0)), 0.5, 200, 1e12)
print(json.dumps({"stats": jit.STATS, "losses": run.losses.tolist(), "theta": run.theta.tolist()}))
"""


def run(cache: str) -> dict:
    env = {**__import__("os").environ, "TUTOR_JIT_CACHE": cache}
    out = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.o"))


def test_the_second_process_loads_the_kernel_and_gets_the_same_numbers(tmp_path):
    first = run(str(tmp_path))
    assert first["stats"] == {"compiled": 1, "cached": 0}
    assert len(entries(tmp_path)) == 1 and not list(tmp_path.glob(".tmp-*"))
    second = run(str(tmp_path))
    assert second["stats"] == {"compiled": 0, "cached": 1}
    assert second["losses"] == first["losses"] and second["theta"] == first["theta"]


def test_a_damaged_entry_is_compiled_again_and_replaced(tmp_path):
    good = run(str(tmp_path))
    (entry,) = entries(tmp_path)
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the machine code
    entry.write_bytes(bytes(data))
    again = run(str(tmp_path))
    assert again["stats"] == {"compiled": 1, "cached": 0} and again["losses"] == good["losses"]
    assert run(str(tmp_path))["stats"] == {"compiled": 0, "cached": 1}  # the rewritten entry is good


def test_off_writes_nothing_and_an_unwritable_folder_is_no_error(tmp_path):
    assert run("off")["stats"] == {"compiled": 1, "cached": 0}
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert run(str(blocked / "jit"))["stats"] == {"compiled": 1, "cached": 0}


def test_the_name_of_an_entry_depends_on_everything_the_code_does():
    from tutor.experiments.nets import jitcache

    base = jitcache.key("ir", "x86_64-unknown-linux-gnu", "skylake", "+avx2", "O3", "0.44.0", "15.0.7")
    for i in range(7):
        parts = ["ir", "x86_64-unknown-linux-gnu", "skylake", "+avx2", "O3", "0.44.0", "15.0.7"]
        parts[i] += "!"
        assert jitcache.key(*parts) != base
