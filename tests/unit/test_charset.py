"""One function decides ASCII mode; lesson text made ASCII reads as typed math."""

from __future__ import annotations

import io

import pytest

from tests.conftest import LESSONS
from tests.unit.test_latex import strings
from tutor.charset import ascii_mode, to_ascii
from tutor.core.latex import to_unicode
from tutor.core.loader import catalog
from tutor.core.params import defaults
from tutor.core.session import render

UTF8 = {"LANG": "en_US.UTF-8", "TERM": "xterm-256color"}


class Out(io.StringIO):
    def __init__(self, encoding: str):
        super().__init__()
        self._enc = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._enc


@pytest.mark.parametrize(("env", "encoding", "flag", "expected"), [
    (UTF8, "utf-8", None, False),
    (UTF8, "utf-8", True, True),                                     # --ascii
    ({**UTF8, "TUTOR_ASCII": "1"}, "utf-8", None, True),
    ({**UTF8, "TUTOR_ASCII": "0"}, "utf-8", None, False),
    ({**UTF8, "LANG": "C"}, "utf-8", None, True),                    # not a UTF-8 locale
    ({"LANG": "C", "LC_CTYPE": "C.UTF-8", "TERM": "xterm"}, "utf-8", None, True),  # PEP 538 coercion of C
    ({**UTF8, "LC_ALL": "en_US.ISO-8859-1"}, "utf-8", None, True),
    (UTF8, "ascii", None, True),                                     # PYTHONIOENCODING=ascii
    (UTF8, "latin-1", None, True),
    ({**UTF8, "TERM": "vt100"}, "utf-8", None, True),
    ({**UTF8, "TERM": "dumb"}, "utf-8", None, True),
])
def test_one_function_decides_ascii_mode(env, encoding, flag, expected):
    assert ascii_mode(flag, env=env, stream=Out(encoding)) is expected


@pytest.mark.parametrize(("text", "ascii"), [
    ("ŷ = w²", "y^ = w^2"),
    ("w = ±√y", "w = +-sqrt(y)"),
    ("√2/2", "sqrt(2)/2"),
    ("½ x² + ¼ y⁴ − ½ y²", "1/2 x^2 + 1/4 y^4 - 1/2 y^2"),
    ("L((a+b)/2) ≤ (L(a) + L(b))/2", "L((a+b)/2) <= (L(a) + L(b))/2"),
    ("W⁽¹⁾ and wᵢⱼ", "W^(1) and w_ij"),
    ("σ(z) = 1/(1 + e⁻ᶻ)", "sigma(z) = 1/(1 + e^(-z))"),
    ("‖(½, ½, 1)‖² = ⅜", "||(1/2, 1/2, 1)||^2 = 3/8"),
    ("swapped — and flipped", "swapped -- and flipped"),
    ("naïve café", "naive cafe"),  # the fallback for everything else
])
def test_text_made_ascii(text, ascii):
    assert to_ascii(text) == ascii


@pytest.mark.parametrize("ident", sorted(catalog([LESSONS]).lessons))
def test_every_lesson_text_has_an_ascii_form(ident):
    lesson = catalog([LESSONS]).lesson(ident)
    for text in strings(render(lesson, defaults(lesson.params)).model_dump(exclude={"params"})):
        assert to_ascii(to_unicode(text)).isascii(), text
