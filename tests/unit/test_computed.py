"""Numbers an experiment computed, written into a lesson's words: ``{curve.min_loss}``,
``{curve(max(maxima_loss))|.2f}``. Checked by the loader, filled by the session, proved by ``tutor check``."""

from __future__ import annotations

from tests.conftest import tutor, write
from tutor.core import computed
from tutor.core.loader import load_file
from tutor.core.session import Session

LESSON = """\
format: 1
id: computed-words
title: Computed words
params:
  y: {default: 4.0, choices: [1.0, 4.0]}
steps:
  - experiment:
      id: curve
      run: curve
      problem: {name: output-square, target: "{y}"}
      with: {from: -3, to: 3}
      text: The minima are at {curve.minima|.3f}... no, at {curve.minima}.
  - text: |
      The hump at $w = 0$ has height {curve.maxima_loss[0]}, that is $y^2$ for y = {y}: {curve(maxima_loss[0] / y)|.1f} times y.
  - question:
      id: q
      kind: numeric
      from: later
      prompt: Where is the right minimum? The curve's lowest loss is {curve.min_loss}.
      answer: {from: later, value: "points[0].theta[0]"}
      explain: The run below found {later.points[0].theta[0]|.2f}, and h'' there is {later(points[0].eigenvalues[0])}.
  - experiment:
      id: later
      run: stationary
      problem: {name: output-square, target: "{y}"}
      with: {at: [2]}
"""


def test_a_placeholder_reads_a_value_path_or_a_formula_with_an_optional_format():
    refs = computed.refs("a {curve.minima[0]} b {pair(barrier / max(loss_a, loss_b))|.0f} c {y} d $\\frac{1}{2}$ e {x.y|.2f}")
    assert [(r.exp, r.path, r.formula, r.spec) for r in refs] == [
        ("curve", "minima[0]", None, None),
        ("pair", None, "barrier / max(loss_a, loss_b)", ".0f"),
        ("x", "y", None, ".2f"),
    ]
    values = {"curve": {"minima": [-2.0, 2.0], "min_loss": 1.23456789e-5}}
    assert computed.fill("{curve.minima} and {curve.min_loss} and {curve(min_loss * 1e5)|.1f}", values, {}) == "-2, 2 and 1.235e-05 and 1.2"
    assert computed.fill("{curve.minima[1]} {other.x}", values, {}) == "2 " + computed.PENDING
    assert computed.fill("{curve.nope}", values, {}) == computed.FAILED
    assert computed.fill("{curve.minima}", {}, {}, frozenset({"curve"})) == computed.FAILED
    assert computed.fill("{curve(min_loss * y)|.3g}", values, {"y": 2}) == "2.47e-05"


def test_the_session_fills_them_once_the_experiment_has_run(tmp_path):
    path = write(tmp_path / "l.yaml", LESSON.replace("{curve.minima|.3f}... no, at ", ""))
    f = load_file(path)
    assert f.ok, f.problems
    s = Session(f.lesson, record=False)
    assert s.lesson.steps[1].text.count(computed.PENDING) == 2
    assert s.words_need(1) == ["curve"]
    assert s.needed_experiments(s.lesson.questions()["q"]) == ["later", "curve"]
    before = s.text_version
    s.result("curve")
    assert s.text_version > before and s.words_need(1) == []
    text = s.lesson.steps[1].text
    assert "height 16, that is" in text and "4.0 times y" in text
    assert s.lesson.steps[0].experiment.text == "The minima are at -2, 2."
    assert "lowest loss is 0." in s.lesson.questions()["q"].prompt
    assert computed.PENDING in s.lesson.questions()["q"].explain
    s.result("later")
    assert s.lesson.questions()["q"].explain == "The run below found 2.00, and h'' there is 32."  # 12·2² − 4·4
    s.set_params(y=1.0)  # a new variant: everything is computed again
    assert computed.PENDING in s.lesson.steps[1].text
    s.result("curve")
    assert "height 1, that is" in s.lesson.steps[1].text


def test_line_mode_runs_what_a_step_quotes_when_the_learner_gets_there(tmp_path):
    f = load_file(write(tmp_path / "l.yaml", LESSON.replace("{curve.minima|.3f}... no, at ", "")))
    s = Session(f.lesson, record=False)
    s.go(1)  # as on resuming at the text: curve has not run in this session
    assert computed.PENDING not in s.step.text


def test_the_loader_names_the_place_of_a_placeholder_that_cannot_work(tmp_path):
    bad = LESSON.replace("lowest loss is {curve.min_loss}", "lowest loss is {curv.min_loss}")
    bad = bad.replace("that is $y^2$", "that is {later.points}")
    bad = bad.replace(")|.1f} times y", ")|.1q} times y")
    bad = bad.replace("kind: numeric", "kind: numeric\n      hints: [\"It is {later.points[0].theta[0]}\"]")
    f = load_file(write(tmp_path / "l.yaml", bad))
    msgs = sorted(str(p) for p in f.problems)
    assert any(":13:" in m and "{later.points}" in m and "step 4" in m and "before it runs" in m for m in msgs), msgs
    assert any(":13:" in m and "'.1q' is not a format" in m for m in msgs), msgs
    assert any("{curv.min_loss} names experiment 'curv'" in m and "it has curve, later" in m for m in msgs), msgs
    assert any("hints" not in m and "{later.points[0].theta[0]}" in m and "before it runs" in m for m in msgs), msgs
    assert len(msgs) == 4


def test_a_choice_text_cannot_quote_a_value(tmp_path):
    text = LESSON + """\
  - question:
      id: c
      kind: choice
      from: later
      prompt: Which?
      choices:
        - {text: "It is {later.points[0].loss}", correct_if: "points[0].loss > 0"}
        - {text: "Not", correct_if: "points[0].loss <= 0", feedback: "It was {later.points[0].loss}."}
"""
    f = load_file(write(tmp_path / "l.yaml", text))
    assert [p.message for p in f.problems if "choice's text" in p.message] and len(f.problems) == 1


def test_tutor_check_computes_every_placeholder_in_every_variant(tmp_path):
    bad = LESSON.replace("{curve(maxima_loss[0] / y)|.1f}", "{curve(maxima_loss[0] / maxima_loss[3])|.1f}")
    write(tmp_path / "l.yaml", bad)
    r = tutor("check", str(tmp_path))
    assert r.returncode == 1
    assert "l.yaml:13:5: {curve(maxima_loss[0] / maxima_loss[3])|.1f} cannot be computed" in r.stdout, r.stdout
    assert "l.yaml:12:7: {curve.minima|.3f}: the value cannot be written with the format '.3f'" in r.stdout, r.stdout


def test_tutor_check_shows_the_keys_per_variant_and_notes_a_key_that_flips(tmp_path):
    text = LESSON.replace("{curve.minima|.3f}... no, at ", "") + """\
  - question:
      id: flips
      kind: choice
      from: curve
      prompt: Is the hump higher than 2?
      choices:
        - {text: "Yes", correct_if: "maxima_loss[0] > 2", feedback: "It is {curve.maxima_loss[0]}."}
        - {text: "No", correct_if: "maxima_loss[0] <= 2", feedback: "It is {curve.maxima_loss[0]}."}
"""
    write(tmp_path / "l.yaml", text)
    r = tutor("check", str(tmp_path), "--variants", "8")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "note: question 'flips': the right choices change with the parameters (defaults: 1;" in r.stderr
    assert "y = 1: 2" in r.stderr
    r = tutor("check", str(tmp_path), "--variants", "8", "--keys")
    lines = r.stdout.splitlines()
    assert any(x.endswith(": flips  (decided by its experiment)") for x in lines), r.stdout
    assert "    defaults: 1. Yes" in lines and any(x.startswith("    variant") and x.endswith("y = 1: 2. No") for x in lines)
