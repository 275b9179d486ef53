"""LaTeX between ``$...$`` or ``$$...$$`` shown as readable Unicode: ``$\\frac{1}{2}w^2$`` → ``1/2w²``.

flatlatex does the work; we teach it the operators and spacing commands lessons use. A formula it
cannot convert is shown as written, never as an error.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
_COMMANDS = {
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "to": "→", "top": "ᵀ", "mid": "|",
    "log": "log ", "ln": "ln ", "exp": "exp ", "min": "min", "max": "max", "arg": "arg", "tr": "tr", "det": "det",
    "dots": "…", "ldots": "…", "cdots": "⋯", "lVert": "‖", "rVert": "‖", "lvert": "|", "rvert": "|",
    "quad": "  ", "qquad": "    ", "left": "", "right": "", "big": "", "Big": "", "displaystyle": "",
    "sim": "∼", "propto": "∝", "iff": "⇔", "implies": "⇒", "Rightarrow": "⇒", "mapsto": "↦", "circ": "∘",
}
_ONE_ARG = {"text": "#1", "mathrm": "#1", "textrm": "#1", "operatorname": "#1", "textbf": "#1", "emph": "#1", "boldsymbol": "#1"}


@lru_cache(maxsize=1)
def _converter():
    import flatlatex

    c = flatlatex.converter()
    for name, out in _COMMANDS.items():
        c.add_newcommand(r"\newcommand\%s{%s}" % (name, out))
    for name, out in _ONE_ARG.items():
        c.add_newcommand(r"\newcommand\%s[1]{%s}" % (name, out))
    return c


_SUB = dict(zip("0123456789aehijklmnoprstuvx+-=()", "₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ₊₋₌₍₎"))


def _subscripts(src: str) -> str:
    """x_n, w_{ij}: Unicode subscripts wherever every character has one (flatlatex writes x[n])."""

    def sub(m: re.Match[str]) -> str:
        body = m.group(1) or m.group(2)
        if body in ("\\max", "\\min"):
            body = body[1:]
        return "".join(_SUB[c] for c in body) if all(c in _SUB for c in body) else m.group(0)

    return re.sub(r"_\{([^{}]+)\}|_([0-9a-z])", sub, src)


def _protect_text(src: str) -> str:
    src = _subscripts(src)
    src = re.sub(r"\\[td]frac\b", r"\\frac", src)
    # "2/N XᵀX", not "2/NXᵀX": a space after a fraction that runs into a letter
    src = re.sub(r"(\\frac\{[^{}]*\}\{[^{}]*\})(?=\s*[A-Za-z\\])", r"\1\\,", src)
    src = re.sub(r"\^\{?\\top\}?", "^T", src)
    # spaces inside \text{...} survive flatlatex as non-breaking spaces
    return re.sub(r"\\(text|mathrm|operatorname)\{([^{}]*)\}", lambda m: "\\%s{%s}" % (m.group(1), m.group(2).replace(" ", "\u00a0")), src)


@lru_cache(maxsize=4096)
def formula(src: str) -> str:
    """One formula as Unicode; on failure the source, without the dollars."""
    try:
        out = _converter().convert(_protect_text(src.strip()))
    except Exception:  # flatlatex raises bare exceptions on what it does not know
        return src.strip()
    out = out.replace("\u00a0", " ")
    # flatlatex drops spaces: put them back around relations so that "a=b≤c" reads "a = b ≤ c"
    out = re.sub(r"\s*([=≤≥≠≈→<>⇒⇔∼])\s*", r" \1 ", out).strip()
    out = re.sub(r"(?<![A-Za-z])(ln|log|exp|min|max)(?=[0-9A-Za-zα-ωΑ-Ω])", r"\1 ", out)
    return re.sub(r" {2,}", " ", out)


def to_unicode(text: str) -> str:
    """Replace every ``$...$`` and ``$$...$$`` in a Markdown text with its Unicode form."""
    if "$" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return "\n\n    " + formula(m.group(1)) + "\n\n"
        return formula(m.group(2))

    return re.sub(r"\n{3,}", "\n\n", _MATH.sub(sub, text))
