"""Whether the screen must be plain ASCII, and lesson text made ASCII.

A leaf module (it imports nothing of the tutor), so every layer may use it, the plots included.

``ascii_mode`` is the one place that decides; the app, plain mode, plots and quizzes all ask it.
ASCII when any of these holds: ``--ascii`` (passed in as ``flag``), ``TUTOR_ASCII=1``, a locale
that is not UTF-8, an output encoding that is not UTF-8 (``PYTHONIOENCODING=ascii``), or a terminal
that draws no Unicode (``TERM=vt100``, ``dumb``).

``to_ascii`` writes math the way one would type it (ŷ → y^, x² → x^2, √y → sqrt(y), − → -,
≤ → <=, η → eta) and falls back on anyascii for the rest, so nothing on screen is lost or a "?".
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import IO

ASCII_TERMS = ("dumb", "vt52", "vt100", "vt102", "vt220", "vt320", "ansi")


def _utf8(name: str | None) -> bool:
    return (name or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8mb4", "cp65001")


def locale_is_utf8(env: Mapping[str, str]) -> bool:
    """Whether the terminal's locale is UTF-8.

    Python "coerces" a C locale to C.UTF-8 for itself (PEP 538) and says so in LC_CTYPE; the
    terminal still has the C locale, so that case counts as not UTF-8, as does no locale at all.
    """
    lc_all, lc_ctype, lang = env.get("LC_ALL", ""), env.get("LC_CTYPE", ""), env.get("LANG", "")
    if lc_all:
        value = lc_all
    elif lc_ctype and not (lc_ctype == "C.UTF-8" and lang in ("", "C", "POSIX")):
        value = lc_ctype
    else:
        value = lang
    return "utf8" in value.lower().replace("-", "")


def ascii_mode(flag: bool | None = None, *, env: Mapping[str, str] | None = None, stream: IO[str] | None = None) -> bool:
    """True when everything shown must be ASCII. ``flag`` is ``--ascii`` (None: not given)."""
    if flag:
        return True
    env = os.environ if env is None else env
    forced = env.get("TUTOR_ASCII", "")
    if forced and forced not in ("0", "no", "false"):
        return True
    term = env.get("TERM", "").lower()
    if term in ASCII_TERMS or term.startswith("vt1") or term.startswith("vt2"):
        return True
    if not locale_is_utf8(env):
        return True
    stream = stream if stream is not None else (sys.__stdout__ or sys.stdout)
    encoding = getattr(stream, "encoding", None)
    if encoding and not _utf8(encoding):
        return True
    return bool(env.get("PYTHONIOENCODING")) and not _utf8(env["PYTHONIOENCODING"].split(":")[0])


# -- text ------------------------------------------------------------------------------------
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "eps", "ϵ": "eps", "ζ": "zeta", "η": "eta", "θ": "theta",
    "ϑ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho",
    "σ": "sigma", "τ": "tau", "υ": "upsilon", "ϕ": "phi", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi",
    "Ω": "Omega", "ℓ": "l",
}
SYMBOLS = {
    "−": "-", "–": "-", "—": "--", "‐": "-", "‑": "-", "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~=", "≃": "~=", "∼": "~",
    "≡": "==", "∝": "~", "→": "->", "←": "<-", "⇒": "=>", "⇔": "<=>", "↦": "|->", "↑": "Up", "↓": "Down",
    "±": "+-", "∓": "-+", "·": "*", "⋅": "*", "×": "x", "÷": "/", "∞": "inf", "∂": "d", "∇": "grad", "∑": "sum", "∏": "prod",
    "∫": "int", "…": "...", "⋯": "...", "∘": "o", "‖": "||", "⟨": "<", "⟩": ">", "⌊": "floor(", "⌋": ")", "∈": " in ",
    "∉": " not in ", "∀": "for all ", "∃": "exists ", "∅": "{}", "¬": "not ", "∧": " and ", "∨": " or ", "⋆": "*", "∗": "*",
    "½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅙": "1/6", "⅛": "1/8", "⅜": "3/8",
    "⅝": "5/8", "⅞": "7/8", "ℝ": "R", "ℕ": "N", "ℤ": "Z", "ℚ": "Q", "ℂ": "C", "𝔼": "E", "ℙ": "P",
    "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "′": "'", "″": "''", "«": '"', "»": '"',
    "•": "*", "◆": "@", "●": "o", "○": "o", "▲": "^", "▼": "v", "■": "#", "□": "[ ]", "▶": ">", "◀": "<", "✚": "+",
    "█": "#", "░": ".", "▒": ":", "▓": "%", "✓": "v", "✔": "v", "✗": "x", "✘": "x", "★": "*",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
}
SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", "0123456789+-=()niTabcdefghjklmoprstuvwxyz"))
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", "0123456789+-=()aehijklmnoprstuvx"))
COMBINING = {"\u0302": "^"}  # a hat is how ŷ is typed; other accents are dropped (naïve -> naive)
ROOTS = {"√": "sqrt", "∛": "cbrt", "∜": "root4"}



@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Runs of superscripts, of subscripts, and a root with its argument; compiled when first
    needed (this module is on the start-up path, where most runs never convert a character)."""
    return (re.compile(f"[{''.join(SUPERSCRIPTS)}]+"), re.compile(f"[{''.join(SUBSCRIPTS)}]+"),
            re.compile(r"([√∛∜])(\(|[\w.]+)"))


def _script(run: str, table: dict[str, str], mark: str) -> str:
    body = "".join(table[c] for c in run)
    return mark + (body if len(body) == 1 or body.isalnum() or body.startswith("(") else f"({body})")


@lru_cache(maxsize=8192)
def to_ascii(text: str) -> str:
    """``text`` in printable ASCII, readable as typed math."""
    if text.isascii():
        return text
    # letters with a hat or bar: ŷ is y + a combining circumflex once decomposed
    text = "".join(COMBINING.get(c, c) for c in unicodedata.normalize("NFD", text))
    sup_run, sub_run, root = _patterns()
    text = root.sub(lambda m: ROOTS[m.group(1)] + ("(" if m.group(2) == "(" else f"({m.group(2)})"), text)
    text = sup_run.sub(lambda m: _script(m.group(0), SUPERSCRIPTS, "^"), text)
    text = sub_run.sub(lambda m: _script(m.group(0), SUBSCRIPTS, "_"), text)
    out = []
    for c in text:
        if c.isascii():
            out.append(c)
        elif c in SYMBOLS:
            out.append(SYMBOLS[c])
        elif c in GREEK:
            out.append(GREEK[c])
        else:
            out.append(_fallback(c))
    return "".join(out)


def _fallback(c: str) -> str:
    if unicodedata.combining(c):
        return ""
    try:
        from anyascii import anyascii

        return anyascii(c) or "?"
    except ImportError:  # pragma: no cover - anyascii is a dependency; this keeps a broken install readable
        plain = unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
        return plain or "?"


def shown(text: str, ascii: bool) -> str:
    """Text as the screen may show it."""
    return to_ascii(text) if ascii else text
