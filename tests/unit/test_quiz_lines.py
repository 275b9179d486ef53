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


def prediction_quiz(tmp_path, feedback: str = "each", review: bool = False):
    """Two predictions of one lesson: h''(0) (decided by 'at-zero') and where the minima of a target
    four times as large lie (decided by 'four-times', which the lesson shows before h''(0))."""
    return write(tmp_path / "q" / "pq.yaml", f"format: 1\nid: pq\ntitle: Predictions\nquiz: {{attempts: 1, feedback: {feedback}, shuffle: false, "
                 f"review: {str(review).lower()}}}\n"
                 "questions:\n  - {lesson: mse-not-a-parabola, question: curvature-at-zero}\n"
                 "  - {lesson: mse-not-a-parabola, question: where-minima}\n")


def minima_rows(text: str) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in re.findall(r"^\s*minima\s+(-?[0-9.]+), (-?[0-9.]+)\s*$", text, re.M)]


def test_a_prediction_shows_its_experiment_set_up_and_the_result_only_once_answered(tmp_path):
    """Quiz mode asked predictions with the deciding experiment's table in view (the next question's
    context), so a prediction was a copy. Now: the set-up, then the result once the question is over."""
    qf = prediction_quiz(tmp_path)
    r = tutor("quiz", "take", str(qf), "--student", "pia", "--plain", "--db", str(tmp_path / "q.sqlite3"), input="0\n1,2\n")
    assert r.returncode == 0, r.stderr
    y = float(re.search(r"your numbers: y = ([0-9.]+)\.", r.stdout).group(1))
    first, rest = r.stdout.split("Before the tool reads it off", 1)
    answered1, second = rest.split("question 2 of 2", 1)
    before2, answered2 = second.split("Predict for a target four times as large", 1)
    # question 1: the curve for 4y is set up (another open prediction's experiment), its minima are not shown
    assert "The experiment “four-times”: curve on function" in first
    assert "Its result is shown once question 2 is over" in first and minima_rows(first) == []
    assert "The experiment “at-zero”: stationary on output-square" in first and "Predict first" in first
    assert "maximum at" not in first, "h''(0)'s experiment is not run before the answer"
    assert "The result of “at-zero”:" in answered1 and "maximum at  [0]" in answered1
    # question 2: the curve for y shows; the one for 4y only once the answer is in
    assert minima_rows(before2) == [(-y ** 0.5, y ** 0.5)] and "Predict first" in before2
    assert "The result of “four-times”:" in answered2
    assert minima_rows(answered2) == [(-2 * y ** 0.5, 2 * y ** 0.5)]
    assert answered2.startswith(f", y = {4 * y:g}, so that"), "the prompt's numbers are filled in, not '…'"


def test_with_results_at_the_end_a_prediction_never_shows_its_result(tmp_path):
    qf = prediction_quiz(tmp_path, feedback="end")
    r = tutor("quiz", "take", str(qf), "--student", "quin", "--plain", "--db", str(tmp_path / "q.sqlite3"), input="0\n1,2\n")
    assert r.returncode == 0, r.stderr
    assert "this quiz does not show its result" in r.stdout and "The result of" not in r.stdout
    assert "maximum at" not in r.stdout and len(minima_rows(r.stdout)) == 1


def test_the_review_at_the_end_shows_what_decided_each_prediction(tmp_path):
    """With results at the end, a prediction's experiment stayed hidden for good: the student who
    predicted never saw what happened. The review after submitting now shows its result."""
    qf = prediction_quiz(tmp_path, feedback="end", review=True)
    r = tutor("quiz", "take", str(qf), "--student", "quin", "--plain", "--db", str(tmp_path / "q.sqlite3"), input="0\n1,2\n")
    assert r.returncode == 0, r.stderr
    y = float(re.search(r"your numbers: y = ([0-9.]+)\.", r.stdout).group(1))
    quiz, review = r.stdout.split("Quiz submitted.", 1)
    # before the answers: set-up only, as before
    assert "its result is shown in the review once you submit" in quiz and "maximum at" not in quiz
    assert minima_rows(quiz) == [(-y ** 0.5, y ** 0.5)], "only the curve for y, shown before in the lesson"
    # the review: each prediction, the answer, then the experiment that decided it, with its numbers
    first, second = review.split("Review", 1)[1].split("2. Predict for a target", 1)
    assert "your answer 1: 0  (not right)" in first and "What happened (the experiment “at-zero”):" in first
    assert "maximum at  [0]" in first
    assert "your answer 1: 1,2  (not right)" in second and "What happened (the experiment “four-times”):" in second
    assert minima_rows(second) == [(-2 * y ** 0.5, 2 * y ** 0.5)]


def test_without_a_review_the_results_stay_unshown(tmp_path):
    qf = prediction_quiz(tmp_path, feedback="end", review=False)
    r = tutor("quiz", "take", str(qf), "--student", "rue", "--plain", "--db", str(tmp_path / "q.sqlite3"), input="0\n1,2\n")
    assert r.returncode == 0, r.stderr
    assert "Score: " in r.stdout and "What happened" not in r.stdout and "maximum at" not in r.stdout
