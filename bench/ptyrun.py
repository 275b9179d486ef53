"""Run a command in a pseudo-terminal and time how long until its screen shows some text.

Whole-process timings, as a person at a terminal sees them: from the moment the process is
started to the moment the expected text has been written to the terminal.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import termios
import time

_ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def plain(data: bytes) -> str:
    return _ANSI.sub(b"", data).decode("utf-8", "replace")


class PtyProcess:
    def __init__(self, argv: list[str], env: dict[str, str] | None = None, cols: int = 80, rows: int = 24):
        self.t0 = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(argv[0], argv, {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", **(env or {})})
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.buffer = b""

    def read_until(self, text: str, timeout: float = 30.0, since: int = 0) -> float:
        """Seconds from start (or from ``mark``) until ``text`` appears in the output after byte ``since``."""
        deadline = time.perf_counter() + timeout
        needle = text.encode()
        while time.perf_counter() < deadline:
            if needle in _ANSI.sub(b"", self.buffer[since:]):
                return time.perf_counter()
            r, _, _ = select.select([self.fd], [], [], 0.005)
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.buffer += chunk
                # answer the terminal queries Textual sends, as a terminal would
                if b"\x1b[6n" in chunk:
                    os.write(self.fd, b"\x1b[1;1R")
        raise TimeoutError(f"{text!r} did not appear; last output: {plain(self.buffer[-400:])!r}")

    def send(self, keys: bytes) -> float:
        t = time.perf_counter()
        os.write(self.fd, keys)
        return t

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def timed_key(p: PtyProcess, keys: bytes, expect: str) -> float:
    """Seconds from writing ``keys`` until ``expect`` shows in what the terminal got after them."""
    mark = len(p.buffer)
    t = p.send(keys)
    return p.read_until(expect, since=mark) - t


def report(labels: list[str], runs: list[list[float]], budget: float = 0.05) -> None:
    """A table of each key's median and max over the runs, and whether every median is in budget."""
    width = max(len(label) for label in labels) + 2
    print(f"{'key':{width}s} {'median':>8s} {'max':>8s}")
    worst = 0.0
    for k, label in enumerate(labels):
        ts = [r[k] for r in runs]
        worst = max(worst, statistics.median(ts))
        print(f"{label:{width}s} {statistics.median(ts) * 1000:6.1f}ms {max(ts) * 1000:6.1f}ms")
    ok = "ok" if worst <= budget else "OVER"
    print(f"\nbudget: every median <= {budget * 1000:.0f} ms -> {ok} (worst {worst * 1000:.1f} ms)")
