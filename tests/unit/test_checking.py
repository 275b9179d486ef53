"""Answer checking for every question kind, with the spec's default tolerances."""

import re

import pytest

from tutor.core import checking
from tutor.core.models import Question


def q(**kw) -> Question:
    kw.setdefault("id", "q")
    kw.setdefault("prompt", "?")
    return Question.model_validate(kw)


def test_numeric_default_tolerance_is_one_percent():
    question = q(kind="numeric", answer=2.0)
    assert checking.check(question, "2.019", expected=2.0).correct
    assert not checking.check(question, "2.03", expected=2.0).correct
    assert checking.check(question, "sqrt(4)", expected=2.0).correct


def test_numeric_zero_uses_the_absolute_floor():
    question = q(kind="numeric", answer=0.0)
    assert checking.check(question, "0", expected=0.0).correct
    assert checking.check(question, "1e-9", expected=0.0).correct
    assert not checking.check(question, "1e-6", expected=0.0).correct


def test_numeric_explicit_abs_tolerance():
    question = q(kind="numeric", answer=1.0, tolerance={"abs": 0.1})
    assert checking.check(question, "1.09", expected=1.0).correct
    assert not checking.check(question, "1.11", expected=1.0).correct


def test_unreadable_answer_uses_no_attempt():
    v = checking.check(q(kind="numeric", answer=1.0), "one", expected=1.0)
    assert not v.readable and "Can't read" in v.message and "did not use an attempt" in v.message


def test_points_are_order_free_and_counted():
    question = q(kind="points", answer=[-1.0, 1.0], tolerance={"abs": 0.05})
    assert checking.check(question, "1, -1", expected=[-1.0, 1.0]).correct
    assert checking.check(question, "±1", expected=[-1.0, 1.0]).correct
    v = checking.check(question, "1", expected=[-1.0, 1.0])
    assert not v.correct and "1 value" in v.message
    assert not checking.check(question, "1, 1", expected=[-1.0, 1.0]).correct
    assert not checking.check(question, "1, -1, 0", expected=[-1.0, 1.0]).correct


def test_points_matching_is_one_to_one():
    # 0.04 is within 0.05 of both 0 and 0.05; a greedy match could pair it wrongly
    question = q(kind="points", answer=[0.0, 0.05], tolerance={"abs": 0.03})
    assert checking.check(question, "0.04, 0.01", expected=[0.0, 0.05]).correct


CHOICES = [{"text": "A minimum", "feedback": "It bends down."}, {"text": "A maximum", "correct": True}, {"text": "A saddle"}]


def test_choice_by_number_or_text_with_feedback():
    question = q(kind="choice", choices=CHOICES)
    right = {1}
    assert checking.check(question, "2", right=right).correct
    assert checking.check(question, "a  MAXIMUM", right=right).correct
    v = checking.check(question, "1", right=right)
    assert not v.correct and v.feedback == ["It bends down."]
    assert not checking.check(question, "4", right=right).readable
    assert not checking.check(question, "1, 2", right=right).readable


def test_choice_numbers_follow_the_shown_order():
    question = q(kind="choice", choices=CHOICES, shuffle=True)
    order = [2, 1, 0]  # shown: saddle, maximum, minimum
    assert checking.check(question, "2", right={1}, order=order).correct
    assert checking.check(question, "3", right={1}, order=order).feedback == ["It bends down."]


def test_multi_needs_exactly_the_right_set():
    question = q(kind="multi", choices=[{"text": "a", "correct": True}, {"text": "b"}, {"text": "c", "correct": True}])
    right = {0, 2}
    assert checking.check(question, "3, 1", right=right).correct
    v = checking.check(question, "1", right=right)
    assert not v.correct and "missing" in v.message
    assert not checking.check(question, "1,2,3", right=right).correct


def test_expression_equivalent_forms():
    question = q(kind="expression", vars=["w", "y"], answer="-4*w*(y - w^2)", domain={"w": [-2, 2], "y": [0.5, 4]})
    for same in ["-4*w*(y-w**2)", "4*w^3 - 4*w*y", "2*(y - w^2)*(-2*w)"]:
        assert checking.check(question, same, expected=question.answer).correct, same
    v = checking.check(question, "-4*w*y", expected=question.answer)
    assert not v.correct and "your formula gives" in v.message
    assert not checking.check(question, "-4*w*(z - w^2)", expected=question.answer).readable


def test_text_accept_and_pattern():
    question = q(kind="text", accept=["output", "prediction"])
    assert checking.check(question, "  Output. ").correct
    assert not checking.check(question, "weights").correct
    pat = q(kind="text", pattern=r"saddles?( points?)?")
    assert checking.check(pat, "Saddle points").correct
    assert not checking.check(pat, "minima").correct


def test_lookup_paths():
    values = {"minima": [-1.0, 1.0], "counts": {"saddle": 3}, "points": [{"loss": 2.5}]}
    assert checking.lookup(values, "minima[1]") == 1.0
    assert checking.lookup(values, "minima[-1]") == 1.0
    assert checking.lookup(values, "counts.saddle") == 3
    assert checking.lookup(values, "points[0].loss") == 2.5
    with pytest.raises(checking.ValueNotFound, match="it has counts, minima, points"):
        checking.lookup(values, "maxima")


# -- answers that used to end the lesson (issue 13) ---------------------------------------------

SLOPE = {"kind": "expression", "vars": ["w", "y"], "answer": "-4*w*(y - w^2)", "domain": {"w": [-2, 2], "y": [0.5, 4]}}


def test_a_formula_with_no_real_value_anywhere_cannot_be_read_and_costs_nothing():
    for raw in ("(-1)**0.5", "(-8)**(1/3)"):
        v = checking.check(q(**SLOPE), raw, expected=SLOPE["answer"])
        assert not v.readable, raw
        assert v.message == ("Can't read this: your formula has no value at any point tried (a negative number to a "
                             "fractional power has no real value). It did not use an attempt.")


def test_a_formula_undefined_where_the_answer_is_defined_is_wrong_and_says_where():
    # (w**0.5)**2 is w for w >= 0 and has no real value below 0
    v = checking.check(q(kind="expression", vars=["w"], answer="w"), "(w**0.5)**2", expected="w")
    assert v.readable and not v.correct
    assert re.fullmatch(r"At w = -[0-9.]+ your formula has no value \(a negative number to a fractional power has no real "
                        r"value\); the right one gives -[0-9.]+\.", v.message), v.message


@pytest.mark.parametrize("raw", ["³", "2²²²", "١", "1" * 10_000, "2, ³"], ids=["sup3", "2sup222", "arabic1", "10000-digits", "list"])
def test_choice_answers_with_unicode_digits_or_huge_numbers_cannot_be_read(raw):
    for kind in ("choice", "multi"):
        v = checking.check(q(kind=kind, choices=CHOICES), raw, right={1})
        assert not v.readable and "It did not use an attempt." in v.message, (kind, v.message)
        assert len(v.message) < 200


def test_a_big_choice_number_is_out_of_range_not_a_crash():
    v = checking.check(q(kind="choice", choices=CHOICES), "9" * 12, right={1})
    assert v.message == "Can't read this: there is no choice 999999999999; the choices are 1 to 3. It did not use an attempt."


def test_a_function_name_on_its_own_is_not_a_formula():
    v = checking.check(q(kind="expression", vars=["w"], answer="2*w"), "sqrt", expected="2*w")
    assert v.message == "Can't read this: sqrt is a function: give it a value in parentheses, as in sqrt(2). It did not use an attempt."
