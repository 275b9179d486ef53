"""The quiz in line mode: submitting asks first and names what is unanswered, each question
brings its lesson context with the student's numbers, and a review after submitting if allowed."""

from __future__ import annotations

import re

from tests.conftest import tutor, write


def quiz_file(tmp_path, review: bool):
    return write(tmp_path / "q" / "rq.yaml", f"format: 1\nid: rq\ntitle: Review quiz\nquiz: {{attempts: 2, feedback: end, review: {str(review).lower()}}}\n"
                 "questions:\n  - {lesson: linear-regression-bowl, question: smallest-eigenvalue}\n"
                 "  - {lesson: mse-not-a-parabola, question: curvature-at-zero}\n  - {lesson: mse-not-a-parabola, question: where-minima}\n")


def test_submit_asks_first_and_names_the_unanswered(tmp_path):
    qf = quiz_file(tmp_path, review=False)
    db = str(tmp_path / "q.sqlite3")
    r = tutor("quiz", "take", str(qf), "--student", "ann", "--plain", "--db", db, input="12345\n:submit\nno\n:quit\n")
    assert r.returncode == 0, r.stderr
    assert "2 of 3 questions have no answer yet: 2, 3." in r.stdout and "Type yes to submit" in r.stdout
    assert "Quiz submitted." not in r.stdout and "Left the quiz." in r.stdout
    r = tutor("quiz", "take", str(qf), "--student", "ann", "--plain", "--db", db, input=":submit\nyes\n")
    assert "Quiz submitted." in r.stdout and "Score: 0 of 3." in r.stdout
    assert "the right answer" not in r.stdout, "no review unless the quiz allows it"


def test_each_question_shows_its_setup_and_experiment_with_the_students_numbers(tmp_path):
    qf = quiz_file(tmp_path, review=False)
    r = tutor("quiz", "take", str(qf), "--student", "ben", "--plain", "--db", str(tmp_path / "q.sqlite3"), input=":quit\n")
    first = " ".join(r.stdout.split("What is the smaller eigenvalue")[0].split())
    assert "H = 2/N XᵀX" in first, "the setup text of the lesson"
    slope = re.search(r"your numbers: slope = ([-0-9.]+?)\. ", first).group(1)
    assert "stationary on linear-regression with x = [0, 1, 2, 3]," in first
    assert f"y = [1, {slope}, 2, 2]" in first, "the experiment with this student's numbers"
    assert "loss over a plane" in first, "the experiment's plot"


def test_review_after_submitting_when_the_quiz_allows_it(tmp_path):
    qf = quiz_file(tmp_path, review=True)
    r = tutor("quiz", "take", str(qf), "--student", "cy", "--plain", "--db", str(tmp_path / "q.sqlite3"), input="0.5\n:submit\nyes\n")
    review = r.stdout.split("Review")[-1]
    assert "your answer 1: 0.5  (not right)" in review and "the right answer: 0.594875" in review
    assert review.count("no answer") == 2
