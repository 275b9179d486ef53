"""An author's tools: tutor new, tutor preview, tutor check --watch, and messages that teach."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import write
from tutor.core import jsonschema
from tutor.core.loader import load_file

SCHEMA_LINE = "# yaml-language-server: $schema="


# ----------------------------------------------------------------------------- tutor new


def test_new_lesson_passes_check_and_points_the_editor_at_the_schema(tmp_path, run_tutor):
    r = run_tutor("new", "lesson", "my-lesson", "--dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    path = tmp_path / "my-lesson.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == SCHEMA_LINE + "./lesson.schema.json"
    assert (tmp_path / "lesson.schema.json").read_text(encoding="utf-8") == jsonschema.shipped("lesson").read_text(encoding="utf-8")
    r = run_tutor("check", str(path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 file checked, no problems" in r.stderr
    lesson = load_file(path).lesson
    assert lesson is not None and lesson.id == "my-lesson" and lesson.title == "My lesson"
    kinds = [s.kind for s in lesson.steps]
    assert "experiment" in kinds and "question" in kinds and lesson.params


def test_new_quiz_uses_the_lessons_of_its_folder_and_passes_check(tmp_path, run_tutor):
    assert run_tutor("new", "lesson", "first", "--dir", str(tmp_path)).returncode == 0
    r = run_tutor("new", "quiz", "week-1", "--dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "week-1.yaml").read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE + "./quiz.schema.json\n")
    assert "{lesson: first, question: guess" in text
    r = run_tutor("check", str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 files checked, no problems" in r.stderr


def test_new_quiz_in_an_empty_folder_picks_built_in_questions(tmp_path, run_tutor):
    assert run_tutor("new", "quiz", "wk", "--dir", str(tmp_path)).returncode == 0
    assert "lesson: tour" in (tmp_path / "wk.yaml").read_text(encoding="utf-8")
    r = run_tutor("check", str(tmp_path / "wk.yaml"))
    assert r.returncode == 0, r.stdout + r.stderr


def test_new_refuses_to_overwrite_and_bad_ids(tmp_path, run_tutor):
    assert run_tutor("new", "lesson", "a", "--dir", str(tmp_path)).returncode == 0
    r = run_tutor("new", "lesson", "a", "--dir", str(tmp_path))
    assert r.returncode == 2 and "exists" in r.stderr and "--force" in r.stderr
    r = run_tutor("new", "lesson", "Bad Id", "--dir", str(tmp_path))
    assert r.returncode == 2 and "not a valid id" in r.stderr
    r = run_tutor("new", "lesson", "b", "--dir", str(tmp_path), "--schema-url", "https://example.org/lesson.json")
    assert (tmp_path / "b.yaml").read_text(encoding="utf-8").startswith(SCHEMA_LINE + "https://example.org/lesson.json\n")


def _yaml12(data):
    """What an editor's YAML 1.2 parser reads: PyYAML (1.1) keeps 1e-9 as text."""
    import re

    if isinstance(data, dict):
        return {k: _yaml12(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_yaml12(v) for v in data]
    if isinstance(data, str) and re.fullmatch(r"[-+]?\d+(\.\d*)?[eE][-+]?\d+", data):
        return float(data)
    return data


def test_the_shipped_schema_accepts_every_lesson_and_catches_a_misspelt_option(tmp_path):
    import yaml
    from jsonschema import Draft202012Validator

    from tests.conftest import LESSONS

    lesson_schema = json.loads(jsonschema.shipped("lesson").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(lesson_schema)
    validator = Draft202012Validator(lesson_schema)
    files = sorted(LESSONS.glob("*.yaml"))
    assert len(files) >= 13
    for f in files:
        errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(_yaml12(yaml.safe_load(f.read_text("utf-8"))))]
        assert errors == [], f.name
    base = {"format": 1, "id": "x", "title": "t", "params": {"y": {"default": 1.0}}}

    def step(exp):
        return {**base, "steps": [{"experiment": {"id": "e", **exp}}]}

    assert validator.is_valid(step({"run": "curve", "problem": {"name": "output-square", "target": "{y}"}, "with": {"from": "-{y}"}}))
    assert not validator.is_valid(step({"run": "curve", "problem": "output-square", "with": {"form": -2}}))
    assert not validator.is_valid(step({"run": "curve", "problem": {"name": "output-square", "traget": 2}}))
    assert not validator.is_valid(step({"run": "curev", "problem": "output-square"}))
    assert not validator.is_valid(step({"run": "descent", "problem": "output-square", "with": {"steps": 0}}))
    quiz_schema = json.loads(jsonschema.shipped("quiz").read_text(encoding="utf-8"))
    for f in (LESSONS / "quizzes").glob("*.yaml"):
        assert Draft202012Validator(quiz_schema).is_valid(yaml.safe_load(f.read_text("utf-8"))), f.name


def test_the_schema_names_every_step_kind_and_question_key():
    lesson = json.loads(jsonschema.shipped("lesson").read_text(encoding="utf-8"))
    defs = lesson["$defs"]
    assert set(defs["Step"]["properties"]) == {"text", "experiment", "question"}
    assert {"from", "answer", "choices", "tolerance", "show"} <= set(defs["Question"]["properties"])
    assert "with" in defs["Experiment"]["properties"]


# ----------------------------------------------------------------------------- tutor preview


def test_preview_shows_a_variants_numbers_answers_and_verdicts(run_tutor):
    # the tour's y is drawn from choices; find a seed that gives y = 4, whose minima are ±2
    from tutor.core import params as P
    from tutor.core.loader import catalog, lesson_dirs

    tour = catalog(lesson_dirs()).lesson("tour")
    seed = next(s for s in range(1, 200) if P.draw(tour.params, s)["y"] == 4.0)
    r = run_tutor("preview", "tour", "--seed", str(seed))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Parameters: y = 4" in out
    assert "answer: -2, 2" in out  # where-minima, computed by the curve
    assert "right  A maximum" in out and "wrong  A minimum" in out
    assert "answer: -4*w*(y - w^2)" in out  # the expression question
    data = json.loads(run_tutor("preview", "tour", "--seed", str(seed), "--json").stdout)
    where = next(q for q in data["questions"] if q["id"] == "where-minima")
    assert where["value"] == pytest.approx([-2.0, 2.0], abs=1e-6)


def test_preview_marks_a_prediction(tmp_path, run_tutor):
    assert run_tutor("new", "lesson", "p", "--dir", str(tmp_path)).returncode == 0
    r = run_tutor("preview", str(tmp_path / "p.yaml"))
    assert "Question guess (choice, prediction, decided by curve)" in r.stdout
    assert "2. right  No, it bends down somewhere" in r.stdout  # (1 - w²)² is not convex


# ----------------------------------------------------------------------------- messages that teach

HEAD = "format: 1\nid: t\ntitle: T\nsteps:\n"


@pytest.mark.parametrize(("step", "expected"), [
    ("  - text: Note: this has a colon\n", "must be in quotes"),
    ("  - question: {id: q, kind: choice, prompt: Which one, choices: [{text: Yes, correct: true}, {text: 'No'}]}\n",
     "YAML reads yes/no"),
    ("  - question: {id: q, kind: numeric, prompt: p, answer: 1, form: x}\n", "did you mean 'from'?"),
    ("  - question: {id: q, kind: numeric, prompt: p, answer: {from: e, valeu: x}}\n", "did you mean 'value'?"),
    ("  - question: {id: q, kind: numeric, prompt: p, answer: 1, hints: [Is it zero? Or one]}\n", "must be quoted"),
    ("  - text: \"$\\sqrt{2}$\"\n", "single quotes"),
    ("\t- text: hi\n", "spaces only"),
    ("  - experiment: {id: e, run: curve, problem: output-square, with: {form: -2}}\n", "unknown option 'form' for tool curve (did you mean 'from'?)"),
    ("  - experiment: {id: e, run: curve, problem: {name: output-square, traget: 2}}\n", "did you mean 'target'?"),
    ("  - experiment: {id: curve, run: curve, problem: output-square}\n"
     "  - question: {id: q, kind: points, prompt: p, answer: {from: crve, value: minima}}\n", "did you mean 'curve'?"),
])
def test_yaml_and_key_mistakes_say_how_to_fix_them(tmp_path, step, expected):
    f = load_file(write(tmp_path / "t.yaml", HEAD + step))
    messages = " | ".join(p.message for p in f.problems)
    assert expected in messages, messages


# ----------------------------------------------------------------------------- tutor check --watch

GOOD = HEAD + "  - text: Hello.\n"


class Lines:
    """The merged output of a process, read on a thread so that waits can time out."""

    def __init__(self, proc: subprocess.Popen[str]):
        self.q: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(proc,), daemon=True).start()

    def _pump(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.q.put(line)

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} did not appear within {timeout} s; output so far:\n{''.join(self.seen)}")
            try:
                line = self.q.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line


def test_watch_rechecks_on_save_and_shows_the_new_problem(tmp_path):
    lesson = write(tmp_path / "t.yaml", GOOD)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    # Ctrl+C as a terminal delivers it: a shell that starts a job in the background (CI run by `cmd &`)
    # makes its children ignore SIGINT, and Python then never turns it into KeyboardInterrupt
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "check", "--watch", str(tmp_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        out = Lines(proc)
        out.wait_for("1 file checked, no problems")
        out.wait_for("Watching for changes")
        lesson.write_text(GOOD + "  - question: {id: q, kind: numeric, prompt: p, answer: 1, form: x}\n", encoding="utf-8")
        line = out.wait_for("did you mean 'from'?")
        assert line.startswith(f"{lesson}:6:")  # the line the mistake is on
        out.wait_for("1 problem in 1 file")
        out.wait_for("Watching for changes")
        lesson.write_text(GOOD, encoding="utf-8")  # fixed: clean again
        out.wait_for("1 file checked, no problems")
        proc.send_signal(signal.SIGINT)
        out.wait_for("Stopped watching.")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_watch_sees_a_new_file_and_a_deleted_one(tmp_path):
    from tutor.cli.author import stamps

    a = write(tmp_path / "a.yaml", GOOD)
    before = stamps([tmp_path])
    b = write(tmp_path / "sub" / "b.yml", GOOD)
    after = stamps([tmp_path])
    assert set(after) == {a, b} and after != before
    b.unlink()
    assert stamps([tmp_path]) == before


def test_a_file_path_is_watched_as_well_as_a_folder(tmp_path):
    from tutor.cli.author import stamps

    a = write(tmp_path / "a.yaml", GOOD)
    assert list(stamps([a])) == [a]
    assert stamps([Path(tmp_path / "missing.yaml")]) == {}
