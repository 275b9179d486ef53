"""The session's rules behind the lesson screen: predictions take one answer; skip leaves a question
for later; the end of a lesson reviews every answer."""

from __future__ import annotations

from tests.tui.helpers import TEST_LESSONS
from tutor.core.loader import catalog
from tutor.core.session import Session
from tutor.present.lesson import LessonWords
from tutor.present.text import plain_text

LESSON = catalog([TEST_LESSONS]).lesson("screen-test")


def at(s: Session, qid: str) -> None:
    s.go(next(i for i, st in enumerate(s.lesson.steps) if st.question is not None and st.question.id == qid))


def test_a_question_before_its_experiment_is_a_prediction_scored_as_given():
    s = Session(LESSON, record=False)
    at(s, "predict")
    q = s.question()
    assert s.predicts(q) and not s.predicts(s.question("how-many"))
    assert s.evidence(q) == [], "no experiment is shown before the prediction is made"
    o = s.submit("1")  # a minimum: wrong
    assert o.over and o.status == "failed" and o.attempts_left == 0, "one answer, no retry until right"
    assert s.submit("2").verdict.message == "This question is already over."
    assert s.evidence(q) == ["curve"], "once answered, the experiment is shown with the verdict"


def test_skip_leaves_the_question_for_later_and_reveal_scores_it_as_revealed():
    s = Session(LESSON, record=False)
    at(s, "how-many")
    o = s.skip()
    assert o.status == "skipped" and not o.over and o.answer is None, "nothing revealed"
    assert not s.blocked() and s.next(), "the learner may move on"
    assert [q.id for q in s.unanswered()][:2] == ["predict", "how-many"]
    s.back()
    assert s.submit("2").status == "correct", "answered when the learner comes back"
    at(s, "which-kind")
    o = s.reveal()
    assert o.over and o.status == "revealed" and o.answer == "2. A maximum"


def test_the_end_of_a_lesson_reviews_every_answer():
    s = Session(LESSON, record=False)
    at(s, "how-many")
    s.submit("3")
    s.submit("2")
    at(s, "which-kind")
    s.reveal()
    s.go(s.total)
    text = plain_text(LessonWords("lines").summary(s))
    assert "1. Before the experiment runs, what kind of point is w = 0?" in text
    assert "your answer: 2  (right, 2 attempts)" in text
    assert "3. What kind of point is w = 0 now that you have seen it?" in text and "the answer: 2. A maximum" in text
    assert "not answered yet" in text and ":restart" in text
