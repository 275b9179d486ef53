"""The lesson screen in a real terminal (tmux, 80×24) on a lesson written for these tests
(tests/e2e/lessons/screen-test.yaml): everything reachable by keys, no key lost in a burst, digits
pick, ASCII with LANG=C, and no LaTeX command on any screen of any built-in lesson in plain mode."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from tests.conftest import LESSONS
from tests.e2e.test_tmux import Tmux
from tests.tui.helpers import TEST_LESSONS
from tutor.core.loader import catalog

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(subprocess.run(["which", "tmux"], capture_output=True).returncode != 0,
                                                  reason="tmux is not installed")]
LESSON = "screen-test"


class Term(Tmux):
    def burst(self, *keys: str) -> None:
        """Keys in one send-keys: the terminal gets them as one burst, as over SSH."""
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", self.name, *keys], check=True)

    def changed(self, before: str, timeout: float = 10) -> str:
        deadline = time.time() + timeout
        while time.time() < deadline:
            screen = self.screen()
            if screen != before:
                time.sleep(0.1)
                return self.screen()
            time.sleep(0.05)
        return self.screen()


@pytest.fixture
def term(tutor_home):
    sessions: list[Term] = []

    def start(*args: str, step: int = 0, **extra_env: str) -> Term:
        if step:
            from tutor.core.store import Store

            Store(tutor_home / "progress.sqlite3").save_position(LESSON, step, 7, {"y": 1.0})
        env = {"TUTOR_HOME": str(tutor_home), "LANG": "C.UTF-8", "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none", **extra_env}
        t = Term(f"{sys.executable} -m tutor --lessons {TEST_LESSONS} " + " ".join(args), env)
        sessions.append(t)
        return t

    yield start
    for t in sessions:
        t.close()


def scroll_through(t: Term, key: str = "PageDown", most: int = 12) -> str:
    """Everything the screens show while pressing key until nothing changes."""
    seen = t.screen()
    for _ in range(most):
        before = t.screen()
        t.burst(key)
        after = t.changed(before, timeout=2)
        seen += "\n" + after
        if after == before:
            break
    return seen


def test_every_line_of_a_long_text_step_is_reachable(term):
    t = term("open", LESSON)
    t.wait_for("line 01 of the long text")
    seen = scroll_through(t)
    missing = [i for i in range(1, 41) if f"line {i:02d} of the long text" not in seen]
    assert not missing, f"lines never shown: {missing}"
    assert "THE END OF THE LONG TEXT" in seen
    t.burst("Home")
    assert "line 01" in t.wait_for("line 01")


def test_every_part_of_an_experiment_step_is_reachable_control_included(term):
    t = term("open", LESSON, step=2)
    t.wait_for("minima")  # the experiment has run: its table shows
    seen = scroll_through(t)
    for part in ("The loss L(w) = (y - w²)²", "loss along a line", "minima", "y =", "CAPTION UNDER THE CONTROL"):
        assert part in seen, f"{part!r} was never on screen"
    t.burst("Tab")  # focus on the control brings it into view
    screen = t.changed(t.screen(), timeout=2)
    assert "y =" in screen


def test_keys_sent_in_one_burst_after_wrong_feedback_become_the_new_answer(term, tutor_home):
    t = term("open", LESSON, step=3)
    t.wait_for("How many minima")
    deadline = time.time() + 90
    while "Not quite" not in t.screen() and time.time() < deadline:  # until the experiment it is checked against has run
        t.burst("C-u", "3", "Enter")
        time.sleep(1)
    t.wait_for("Not quite")
    t.burst("BSpace", "2", "Enter")  # straight away, in one burst
    t.wait_for("Right, on attempt 2")
    import sqlite3

    rows = sqlite3.connect(tutor_home / "progress.sqlite3").execute(
        "select data from events where kind = 'question_submitted'").fetchall()
    answers = [re.search(r'"answer": "([^"]*)"', r[0]).group(1) for r in rows if '"how-many"' in r[0]]  # type: ignore[union-attr]
    assert answers == ["3", "2"], "the old answer was not submitted again"


def test_digits_pick_choices(term):
    t = term("open", LESSON, step=4)
    t.wait_for("now that you have seen it")
    t.burst("2")
    screen = t.wait_for("Right")
    assert "(*) 2. A maximum" in screen


def test_with_lang_c_every_character_on_screen_is_ascii(term):
    env = {"LANG": "C", "LC_ALL": "C", "NO_COLOR": "1"}
    t = term(**env)
    screens = [t.wait_for("Next:")]
    t.burst("?")
    screens.append(t.wait_for("Catalog"))
    t.burst("Escape")
    t.wait_for("Next:")
    t.burst("C-p")  # the command palette, then a notification
    screens.append(t.wait_for("Search for commands"))
    t.burst("ascii")
    screens.append(t.wait_for("Toggle ASCII plots"))
    t.burst("Enter")
    screens.append(t.wait_for("ASCII plots o"))  # "on." or "off.": a toast either way
    t = term("open", LESSON, **env)
    screens.append(t.wait_for("line 01"))
    for k in range(2, 8):  # the text, the prediction, the experiment, the questions
        t.burst("End")
        screens.append(t.changed(screens[-1], timeout=1))
        deadline = time.time() + 90
        while f"step {k} of 7" not in screens[-1] and time.time() < deadline:
            t.burst("n" if "Enter/n next" in screens[-1] else "F3")  # F3 skips a question (once its experiment has run)
            time.sleep(0.5)
            screens.append(t.screen())
        screens.append(t.wait_for("minima" if k == 3 else f"step {k} of 7"))
    assert any("y =" in s for s in screens) and any("( ) 1." in s for s in screens), "\n=====\n".join(screens)
    bad = {ch for s in screens for ch in s if not ch.isascii()}
    assert not bad, f"non-ASCII on screen: {sorted(bad)}\n" + "\n-----\n".join(s for s in screens if not s.isascii())


@pytest.mark.parametrize("ident", sorted(catalog([LESSONS]).lessons))
def test_no_latex_command_in_plain_mode(ident, tutor_home):
    """The plain view of every built-in lesson, every question revealed."""
    out = subprocess.run([sys.executable, "-m", "tutor", "plain", ident], input=":reveal\n" * 40, capture_output=True, text=True,
                         env={**os.environ, "TUTOR_HOME": str(tutor_home), "LANG": "C.UTF-8"}, timeout=300).stdout
    assert "Lesson complete" in out
    assert not re.search(r"\\[A-Za-z]+", out), re.findall(r".*\\[A-Za-z]+.*", out)
