"""Math in lessons reads as text a learner can follow, and no LaTeX command reaches a screen."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import LESSONS
from tutor.core.latex import formula, to_unicode
from tutor.core.loader import catalog
from tutor.core.params import defaults
from tutor.core.session import render

COMMAND = re.compile(r"\\[A-Za-z]+")


@pytest.mark.parametrize(("src", "shown"), [
    (r"\tfrac12 x^2 + \tfrac14 y^4 - \tfrac12 y^2", "½ x² + ¼ y⁴ - ½ y²"),  # \tfrac without braces
    (r"\tfrac{1}{4}\lVert(\tfrac12, \tfrac12, 1)\rVert^2 = \tfrac38", "¼‖(½, ½, 1)‖² = ⅜"),
    # a fraction inside brackets: a/b, not super/subscripts (was "L(ᵃ⁺ᵇ⁄₂) ≤ ᴸ⁽ᵃ⁾⁺ᴸ⁽ᵇ⁾⁄₂")
    (r"L(\tfrac{a+b}{2}) \le \tfrac{L(a) + L(b)}{2}", "L((a+b)/2) ≤ (L(a) + L(b))/2"),
    (r"\frac{1}{2\sigma^2}", "1/(2σ²)"),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", "σ(z) = 1/(1 + e⁻ᶻ)"),
    (r"\tfrac{2}{N}X^\top X", "2/N XᵀX"),
    (r"H = \frac{2}{N} X^{\top} X", "H = 2/N XᵀX"),
    (r"e^{-x^2}", "e^(-x²)"),  # a superscript that cannot be all superscripts is written with ^( )
    (r"\hat y = w^2", "ŷ = w²"),
    (r"w = \pm\sqrt{y}", "w = ±√y"),
    (r"W^{(1)} = \begin{bmatrix}-1.5 & 2.0\\ 1.7 & 0.4\end{bmatrix}", "W⁽¹⁾ = [[-1.5, 2.0], [1.7, 0.4]]"),
    (r"\ln(1/\varepsilon)/\ln 1.1", "ln(1/ε)/ln 1.1"),
    (r"\mathbb{R}^4", "ℝ⁴"),
    (r"\unknowncommand{x}", "unknowncommand x"),
])
def test_formulas_read_as_text(src, shown):
    assert formula(src) == shown


def test_commands_outside_dollars_are_converted_too():
    assert to_unicode(r"a half is \tfrac12, and w \to 0") == "a half is ½, and w → 0"


def strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, (list, tuple)):
        return [s for v in node for s in strings(v)]
    return []


CAT = catalog([LESSONS])


@pytest.mark.parametrize("ident", sorted(CAT.lessons))
def test_no_command_survives_in_any_lesson_text(ident):
    """Every text, prompt, choice, hint, explanation, feedback and caption of every built-in lesson."""
    lesson = CAT.lesson(ident)
    shown = render(lesson, defaults(lesson.params))
    texts = strings(shown.model_dump(exclude={"params"}))
    assert texts
    left = {t: COMMAND.findall(to_unicode(t)) for t in texts if COMMAND.search(to_unicode(t))}
    assert not left, f"{ident}: {left}"
