from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tutor.main import install_runner

install_runner()  # what the `tutor` command does first: sessions run experiments with the laboratory
# compiled kernels are kept on disk for this run only (and shared by its tests and their subprocesses), never in ~/.cache
os.environ["TUTOR_JIT_CACHE"] = tempfile.mkdtemp(prefix="tutor-jit-")

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"


@pytest.fixture(autouse=True)
def tutor_home(tmp_path, monkeypatch):
    """Every test gets its own learner data folder and no extra lessons from the environment."""
    home = tmp_path / "home"
    monkeypatch.setenv("TUTOR_HOME", str(home))
    monkeypatch.delenv("TUTOR_LESSONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    from tutor.present.text import set_ascii

    set_ascii(False)  # a line-mode run in ASCII earlier in this worker must not leak into this test
    return home


def tutor(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real command (``python -m tutor``) as a user would, and capture what it prints."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "tutor", *args], input=input, capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=cwd)


@pytest.fixture
def run_tutor():
    return tutor


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


GOOD_LESSON = """\
format: 1
id: good-one
title: A good lesson
params:
  y: {default: 1.0, choices: [1.0, 4.0]}
steps:
  - text: Hello, y = {y}.
  - experiment:
      id: curve
      run: curve
      problem: {name: output-square, target: "{y}"}
  - question:
      id: minima
      kind: points
      prompt: Where are the minima?
      answer: {from: curve, value: minima}
      hints: [Solve y - w^2 = 0.]
  - question:
      id: zero
      kind: choice
      prompt: What is w = 0?
      choices:
        - {text: A minimum, feedback: It bends down there.}
        - {text: A maximum, correct: true}
"""
