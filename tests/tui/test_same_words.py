"""The same situation gives the same words in the app and in line mode, for lessons and quizzes.

Each row is a situation a learner meets, the steps that lead there, and the words a person would
look for (and words that must not be there). ``{hint}``, ``{skip}``… stand for the command's name in
each view (F2 in the app's answer box, :hint in line mode), taken from the one command table; the
rest of the words are the same in both views by construction of the test."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import write
from tests.tui.helpers import make_app, press, screen_text, settle, type_answer, wait_for
from tutor.core.loader import catalog
from tutor.core.quiz import QuizRun
from tutor.core.quizstore import QuizStore
from tutor.core.session import Session
from tutor.core.store import Store
from tutor.lines.lesson import LessonLines
from tutor.lines.quiz import QuizLines
from tutor.present import commands as C
from tutor.tui.quizapp import QuizApp

LESSON = """\
format: 1
id: words-table
title: Words in both views
steps:
  - question:
      id: add
      kind: numeric
      prompt: What is 2 + 3?
      answer: 5
      attempts: 2
      hints: [Count on your fingers., Three after two.]
      explain: Two and three make five.
  - question:
      id: double
      kind: numeric
      prompt: What is 2 * 4?
      answer: 8
"""

QUIZ = """\
format: 1
id: words-quiz
title: Words quiz
quiz: {attempts: 2, feedback: each, hints: true, time_limit: 10}
questions:
  - {lesson: words-table, question: add}
  - {lesson: words-table, question: double}
"""

# (situation, steps, words shown, words not shown); a step is an answer or a command's name in <>
LESSON_ROWS = [
    ("right", ["5"], ["Right!", "Two and three make five."], ["Not quite."]),
    ("wrong", ["4"], ["Not quite.", "1 attempt left.", "{hint} gives a hint."], ["Right", "The answer"]),
    ("unreadable", ["five"], ["Can't read this", "did not use an attempt"], ["Not quite.", "attempt left"]),
    ("hint", ["<hint>"], ["Hint 1 of 2: Count on your fingers."], ["Hint 2 of 2"]),
    ("last hint", ["<hint>", "<hint>", "4"], ["Hint 2 of 2: Three after two.", "Not quite.", "1 attempt left."], ["gives a hint"]),
    ("no more hints", ["<hint>", "<hint>", "<hint>"], ["No more hints for this question."], []),
    ("reveal", ["<reveal>"], ["Revealed.", "The answer: 5", "Two and three make five."], ["Right!"]),
    ("skip", ["<skip>"], ["Skipped.", "It waits for you"], ["Right!", "The answer: 5"]),  # skip reveals nothing
    ("attempts used up", ["4", "3"], ["Not quite.", "No attempts left.", "The answer: 5", "Two and three make five."], ["Right"]),
]

QUIZ_ROWS = [
    ("right", ["5"], ["Right!", "question 2 of 2"], ["Not quite."]),
    ("wrong", ["4"], ["Not quite.", "1 attempt left on this question."], ["question 2 of 2"]),
    ("unreadable", ["five"], ["Can't read this", "did not use an attempt"], ["Not quite.", "question 2 of 2"]),
    ("hint", ["<hint>"], ["Hint 1 of 2: Count on your fingers."], ["Hint 2 of 2"]),
    ("last hint", ["<hint>", "<hint>", "<hint>"], ["Hint 2 of 2: Three after two.", "No more hints for this question."], []),
    ("skip", ["<skip>"], ["question 2 of 2", "What is 2 * 4?"], []),
    ("attempts used up", ["4", "3"], ["Not quite.", "No attempts left."], ["Right!"]),
    ("time up", ["<late>", "5"], ["Time is up. Your answers so far are saved and will be graded."], ["Right!"]),
]


def words(texts: list[str], view: str, table) -> list[str]:
    names = {c.name: C.shown(c, view, typing=True) for c in table}  # type: ignore[arg-type]
    return [t.format(**names) for t in texts]


def lines_input(steps: list[str], table) -> str:
    out = []
    for s in steps:
        if s == "<late>":
            continue
        out.append(C.find(table, s[1:-1]).words[0] if s.startswith("<") else s)
    return "\n".join(out) + "\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    write(tmp_path / "les" / "words.yaml", LESSON)
    write(tmp_path / "les" / "quiz.yaml", QUIZ)
    return tmp_path / "les"


def check(text: str, shown: list[str], hidden: list[str], where: str) -> None:
    flat = " ".join(text.split())  # the app wraps lines; compare the words, not the line breaks
    for w in shown:
        assert " ".join(w.split()) in flat, f"{where}: {w!r} missing from\n{text}"
    for w in hidden:
        assert w not in flat, f"{where}: {w!r} should not show in\n{text}"


@pytest.mark.parametrize(("situation", "steps", "shown", "hidden"), LESSON_ROWS, ids=[r[0] for r in LESSON_ROWS])
async def test_lesson_words_in_both_views(folder, tmp_path, situation, steps, shown, hidden):
    lesson = catalog([folder]).lesson("words-table")
    # line mode
    out = io.StringIO()
    s = Session(lesson, store=Store(tmp_path / "lines.sqlite3"))
    LessonLines(s, io.StringIO(lines_input(steps, C.LESSON) + ":quit\n"), out, width=100, echo=True).run()
    check(out.getvalue().split("What is 2 + 3?", 1)[1], words(shown, "lines", C.LESSON), hidden, f"line mode, {situation}")
    # the app, keys pressed while the answer box has focus
    app = make_app(tmp_path / "app", extra=[folder], lesson="words-table")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, "What is 2 + 3?")
        for step in steps:
            if step.startswith("<"):
                await press(pilot, C.find(C.LESSON, step[1:-1]).typing[0])
            else:
                await type_answer(pilot, step)
        check(screen_text(app), words(shown, "app", C.LESSON), hidden, f"app, {situation}")


@pytest.mark.parametrize(("situation", "steps", "shown", "hidden"), QUIZ_ROWS, ids=[r[0] for r in QUIZ_ROWS])
async def test_quiz_words_in_both_views(folder, tmp_path, situation, steps, shown, hidden):
    cat = catalog([folder])
    quiz = cat.quizzes["words-quiz"].quiz
    for view in ("lines", "app"):
        now = [1000.0]
        run = QuizRun(quiz, cat, "s1", QuizStore(tmp_path / f"{view}.sqlite3"), clock=lambda now=now: now[0])
        if "<late>" in steps:
            now[0] += 11 * 60
        if view == "lines":
            out = io.StringIO()
            QuizLines(run, io.StringIO(lines_input(steps, C.QUIZ)), out, echo=True).run()
            check(out.getvalue().split("ends the quiz.", 1)[-1], words(shown, "lines", C.QUIZ), hidden, f"line mode, {situation}")
            continue
        app = QuizApp(run, ascii=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            for step in steps:
                if step == "<late>":
                    continue
                if step.startswith("<"):
                    await press(pilot, C.find(C.QUIZ, step[1:-1]).keys[0])
                else:
                    await type_answer(pilot, step)
            moved_on = "question 2 of 2" in shown and steps != ["<skip>"]  # the feedback stays until Enter
            now_shown = [w for w in shown if not (moved_on and w == "question 2 of 2")]
            check(screen_text(app), words(now_shown, "app", C.QUIZ), hidden, f"app, {situation}")
            if moved_on:
                assert "Press Enter for the next question." in screen_text(app)
                await press(pilot, "enter")
                await wait_for(pilot, "question 2 of 2", "What is 2 * 4?")
