"""The real `tutor` command in a real terminal (tmux at 80×24), read back from the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]


class Tmux:
    def __init__(self, command: str, env: dict[str, str], width: int = 80, height: int = 24):
        self.name = f"tutor-{uuid.uuid4().hex[:8]}"
        self.socket = f"tutor-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        subprocess.run(["tmux", "-L", self.socket, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                        f"env {exports} {command}; echo EXITED $?; sleep 30"], check=True)

    def keys(self, *keys: str) -> None:
        for k in keys:
            subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", self.name, k], check=True)
            time.sleep(0.15)

    def screen(self) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.time() + timeout
        while time.time() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen is:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def term(tutor_home):
    sessions = []

    def start(*args: str, **extra_env: str) -> Tmux:
        env = {"TUTOR_HOME": str(tutor_home), "LANG": "C.UTF-8", "TERM": "xterm-256color", **extra_env}
        t = Tmux(f"{sys.executable} -m tutor " + " ".join(args), env)
        sessions.append(t)
        return t

    yield start
    for t in sessions:
        t.close()


def test_catalog_to_experiment_and_back_out(term, tutor_home):
    t = term()
    t.wait_for("Next: How the tutor works")
    t.keys("Enter")
    t.wait_for("step 1 of 8")
    t.keys("n")
    screen = t.wait_for("convex on this range")
    assert "minima" in screen and "-1, 1" in screen
    t.keys("n")
    t.wait_for("How many separate minima")
    t.keys("2", "Enter")
    t.wait_for("Right!")
    t.keys("C-q")
    t.wait_for("EXITED 0")
    screen = t.screen()
    assert "Landscape Tutor" not in screen, "the terminal is left clean after quitting"
    # the answer was stored: plain mode resumes after it
    out = subprocess.run([sys.executable, "-m", "tutor", "plain", "tour"], input=":quit\n", capture_output=True, text=True,
                         env={**os.environ, "TUTOR_HOME": str(tutor_home)}).stdout
    assert "Resuming at step 3" in out and "(You answered this correctly.)" in out


def test_no_color_and_ascii_locale(term):
    t = term("open", "tour", NO_COLOR="1", LANG="C", LC_ALL="C")
    t.wait_for("step 1 of 8")
    t.keys("n")
    screen = t.wait_for("convex on this range")
    assert not any("\u2800" <= ch <= "\u28ff" for ch in screen), "ASCII plots when the locale is not UTF-8"
    t.keys("C-q")
    t.wait_for("EXITED 0")
