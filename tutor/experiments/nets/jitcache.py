"""Compiled kernels kept on disk, so that only the first run on a machine pays for LLVM.

Optimising and generating code for a kernel takes 80–150 ms of CPU; loading the object code LLVM
produced takes about 1 ms. ``jit`` asks here before it optimises a module and hands what LLVM
emits back to be kept (llvmlite's object cache, as numba's ``cache=True`` uses it).

An entry's name is a SHA-256 of everything the machine code depends on: the module's IR, the
target (triple, CPU name and features), the optimisation settings and the llvmlite and LLVM
versions, so a changed kernel, a newer llvmlite or another CPU never meets stale code. Each file
starts with a SHA-256 of the rest and is only used when that matches; it is written to a
temporary file and renamed, so a reader never sees half a file. Anything that goes wrong (no
home, a read-only disk, a full disk) only means compiling again.

Where: ``TUTOR_JIT_CACHE`` when set (``off`` turns the cache off), else the user's cache folder
(platformdirs: ~/.cache/landscape-tutor/jit on Linux).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

FORMAT = "1"  # bump when the layout of an entry changes
DIGEST = 32


def folder() -> Path | None:
    env = os.environ.get("TUTOR_JIT_CACHE")
    if env is not None:
        return None if env.strip().lower() in ("", "0", "off", "no", "false") else Path(env).expanduser()
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("landscape-tutor", appauthor=False)) / "jit"
    except Exception:  # no home folder to speak of
        return None


def key(*parts: str) -> str:
    h = hashlib.sha256(FORMAT.encode())
    for p in parts:
        h.update(b"\0")
        h.update(p.encode())
    return h.hexdigest()


def load(name: str) -> bytes | None:
    where = folder()
    if where is None:
        return None
    try:
        data = (where / f"{name}.o").read_bytes()
    except OSError:
        return None
    body = data[DIGEST:]
    return body if len(data) > DIGEST and hashlib.sha256(body).digest() == data[:DIGEST] else None


def store(name: str, code: bytes) -> None:
    where = folder()
    if where is None or not code:
        return
    tmp = None
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=where, prefix=".tmp-", delete=False) as f:
            tmp = f.name
            f.write(hashlib.sha256(code).digest() + code)
        os.replace(tmp, where / f"{name}.o")
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
