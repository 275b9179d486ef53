"""A plain, non-editable install finds the built-in lessons."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_install_finds_builtin_lessons(tmp_path):
    wheels = tmp_path / "wheels"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    wheel = next(wheels.glob("landscape_tutor-*.whl"))
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    env = {**os.environ, "PYTHONPATH": str(target), "TUTOR_HOME": str(tmp_path / "home")}
    r = subprocess.run([sys.executable, "-m", "tutor", "list", "--json"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lessons = json.loads(r.stdout)["lessons"]
    tour = next(x for x in lessons if x["id"] == "tour")
    assert tour["path"].startswith(str(target)), tour["path"]
    # the authors' docs and the editor's schema ship in the wheel, and work from there
    r = subprocess.run([sys.executable, "-m", "tutor", "docs", "guide"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("# Writing a lesson"), r.stderr
    r = subprocess.run([sys.executable, "-m", "tutor", "new", "lesson", "mine", "--dir", str(tmp_path / "course")],
                       capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "course" / "lesson.schema.json").read_text(encoding="utf-8"))["$defs"]["Experiment"]
    r = subprocess.run([sys.executable, "-m", "tutor", "check", str(tmp_path / "course")], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
