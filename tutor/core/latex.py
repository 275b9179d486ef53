"""LaTeX between ``$...$`` or ``$$...$$`` shown as readable text: ``$\\tfrac12 w^2$`` → ``½w²``.

pylatexenc's parser reads the formula (it knows how many arguments each command takes, so
``\\tfrac12`` is one half, and it never fails on odd input: ``tolerant_parsing``); this module
writes the text. Rules a learner can read on any terminal:

- superscripts and subscripts as Unicode only when short and every character has one
  (``x²``, ``Xᵀ``, ``2ⁿ``, ``wᵢⱼ``); otherwise ``^(...)`` / ``_(...)``, never a mangled mix;
- fractions as ``a/b`` with brackets where needed (``(a+b)/2``), or a vulgar fraction (``½``);
- no command ever survives: an unknown ``\\name`` is written as ``name``.

pylatexenc is maintained (2.x, 2026) and has a real parser with a macro database; flatlatex (last
release 2021) wrote fractions as super/subscripts (``ᵃ⁺ᵇ⁄₂``) and passed ``\\tfrac12`` through.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ", "eta": "η",
    "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π",
    "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω", "ell": "ℓ",
}
SYMBOLS = {
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "sim": "∼", "simeq": "≃",
    "equiv": "≡", "propto": "∝", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "implies": "⇒",
    "iff": "⇔", "Leftrightarrow": "⇔", "mapsto": "↦", "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆",
    "cup": "∪", "cap": "∩", "cdot": "·", "times": "×", "pm": "±", "mp": "∓", "div": "÷", "infty": "∞", "partial": "∂",
    "nabla": "∇", "sum": "Σ", "prod": "Π", "int": "∫", "ldots": "…", "dots": "…", "cdots": "⋯", "circ": "∘",
    "top": "T", "intercal": "T", "star": "⋆", "ast": "∗", "forall": "∀", "exists": "∃", "lVert": "‖", "rVert": "‖",
    "Vert": "‖", "|": "‖", "lvert": "|", "rvert": "|", "vert": "|", "mid": "|", "langle": "⟨", "rangle": "⟩",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "emptyset": "∅", "neg": "¬", "land": "∧", "lor": "∨",
    "{": "{", "}": "}", "%": "%", "&": "&", "_": "_", "$": "$", "#": "#",
    ",": " ", ";": " ", ":": " ", " ": " ", "!": "", "quad": "  ", "qquad": "    ",
    "left": "", "right": "", "big": "", "Big": "", "bigg": "", "Bigg": "", "bigl": "", "bigr": "", "Bigl": "", "Bigr": "",
    "displaystyle": "", "textstyle": "", "limits": "", "nolimits": "",
}
FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "min", "max", "arg", "argmin", "argmax",
             "det", "tr", "sign", "sgn", "lim", "sup", "inf", "rank", "diag", "erf", "softmax"}
ONE_ARG = {"text", "mathrm", "textrm", "operatorname", "textbf", "mathbf", "boldsymbol", "bm", "emph", "textit", "mathit",
           "mathcal", "mathsf", "texttt", "mathtt", "mbox"}
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
           "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308", "vec": "\u20d7"}
BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
VULGAR = {("1", "2"): "½", ("1", "3"): "⅓", ("2", "3"): "⅔", ("1", "4"): "¼", ("3", "4"): "¾", ("1", "5"): "⅕",
          ("1", "6"): "⅙", ("1", "8"): "⅛", ("3", "8"): "⅜", ("5", "8"): "⅝", ("7", "8"): "⅞"}
SUP = dict(zip("0123456789+-−=()niTabcdefghjklmoprstuvwxyz", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵀᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"))
SUB = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
# commands after which the author's space is kept: binary operators, and letters ("\\eta a" is η a)
_SPACED = set(GREEK) | {"top", "cdot", "times", "div", "circ", "in", "notin", "subset", "subseteq", "cup", "cap", "land", "lor", "mid"}
RELATIONS = "=≤≥≠≈→⇒⇔∼≡∝←↦"
MATRICES = {"matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "array"}


@lru_cache(maxsize=1)
def _context() -> Any:
    from pylatexenc import latexwalker, macrospec

    db = latexwalker.get_default_latex_context_db()
    db.add_context_category("tutor", prepend=True, macros=[
        macrospec.MacroSpec(name, "{{") for name in ("frac", "tfrac", "dfrac", "cfrac", "binom", "tbinom", "dbinom")
    ] + [macrospec.MacroSpec(name, "{") for name in sorted(set(ACCENTS) | ONE_ARG | {"mathbb", "mathbbm"})]
      + [macrospec.MacroSpec("sqrt", "[{")])
    return db


class _Tok:
    __slots__ = ("text", "kind")

    def __init__(self, text: str, kind: str = "char"):
        self.text, self.kind = text, kind


def _compound(s: str) -> bool:
    """Whether a fraction's part needs brackets: it has more than one term or factor."""
    return bool(re.search(r"[\s+\-−=,/·×*<>≤≥]", s.strip())) and not (s.startswith("(") and s.endswith(")") and s.count("(") == 1)


# a denominator that needs no brackets: a number, or one symbol with its scripts (N, σ², x₁)
_SIMPLE = re.compile(r"√?[0-9.]+|√?\w[\u0300-\u036f]?[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻ₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ]*|\(.*\)")


def _script(arg: str, table: dict[str, str], mark: str) -> str:
    arg = arg.strip()
    plain = all(c in "0123456789+-−=()" for c in arg)
    if arg and all(c in table for c in arg) and (plain or len(arg) <= 3):
        return "".join(table[c] for c in arg)
    return mark + (arg if len(arg) == 1 or re.fullmatch(r"\w+", arg) else f"({arg})")


class _Writer:
    def nodes(self, nodelist: Any) -> str:
        toks: list[_Tok] = []
        for n in nodelist or []:
            toks.extend(self.node(n))
        return self.join(toks)

    def arg(self, node: Any) -> str:
        if node is None:
            return ""
        if node.isNodeType(self.lw.LatexGroupNode):
            return self.nodes(node.nodelist)
        return self.join(self.node(node))

    def node(self, n: Any) -> list[_Tok]:
        lw = self.lw
        if n.isNodeType(lw.LatexCharsNode):
            return [_Tok(c, "space" if c.isspace() else "char") for c in n.chars]
        if n.isNodeType(lw.LatexGroupNode):
            return [_Tok(self.nodes(n.nodelist), "group")]
        if n.isNodeType(lw.LatexMacroNode):
            toks = self.macro(n.macroname, list(n.nodeargd.argnlist) if n.nodeargd else [])
            if n.macro_post_space and n.macroname in _SPACED and not n.nodeargd.argnlist:
                toks.append(_Tok(" ", "space"))  # "a \\cdot b" keeps its spaces
            return toks
        if n.isNodeType(lw.LatexEnvironmentNode):
            return [_Tok(self.environment(n), "group")]
        if n.isNodeType(lw.LatexMathNode):
            return [_Tok(self.nodes(n.nodelist), "group")]
        if n.isNodeType(lw.LatexSpecialsNode):
            return [_Tok(n.specials_chars, "char")]
        return []  # comments

    def macro(self, name: str, args: list[Any]) -> list[_Tok]:
        if name in ("frac", "tfrac", "dfrac", "cfrac"):
            num, den = self.arg(args[0] if args else None).strip(), self.arg(args[1] if len(args) > 1 else None).strip()
            if (num, den) in VULGAR:
                return [_Tok(VULGAR[num, den], "atom")]
            num = f"({num})" if _compound(num) else num
            den = den if _SIMPLE.fullmatch(den) else f"({den})"
            return [_Tok(f"{num}/{den}", "frac")]
        if name in ("binom", "tbinom", "dbinom"):
            return [_Tok(f"C({self.arg(args[0] if args else None)}, {self.arg(args[1] if len(args) > 1 else None)})", "atom")]
        if name == "sqrt":
            index = self.arg(args[0]) if args and args[0] is not None else ""
            body = self.arg(args[1] if len(args) > 1 else None).strip()
            root = {"": "√", "2": "√", "3": "∛", "4": "∜"}.get(index, _script(index, SUP, "^") + "√")
            return [_Tok(root + (body if re.fullmatch(r"[\w.]+", body) else f"({body})"), "atom")]
        if name in ACCENTS:
            body = self.arg(args[0] if args else None).strip()
            if len(body) == 1:
                return [_Tok(unicodedata.normalize("NFC", body + ACCENTS[name]), "atom")]
            return [_Tok(body, "atom")]
        if name in ("mathbb", "mathbbm"):
            body = self.arg(args[0] if args else None).strip()
            return [_Tok("".join(BLACKBOARD.get(c, c) for c in body), "atom")]
        if name in ONE_ARG:
            return [_Tok(self.arg(args[0] if args else None), "atom")]
        if name in GREEK:
            return [_Tok(GREEK[name], "atom")]
        if name in SYMBOLS:
            return [_Tok(SYMBOLS[name], "space" if SYMBOLS[name].isspace() or not SYMBOLS[name] else "atom")]
        if name in FUNCTIONS:
            return [_Tok(name, "func")]
        if name == "\\":
            return [_Tok("; ", "char")]
        # an unknown command: its name and its arguments, never a backslash
        return [_Tok(name, "func")] + [_Tok(self.arg(a), "group") for a in args if a is not None]

    def environment(self, n: Any) -> str:
        body = self.nodes(n.nodelist)
        if n.environmentname.rstrip("*") in MATRICES:
            rows = [r.strip() for r in body.split(";") if r.strip()]
            cells = [[c.strip() for c in r.split("&")] for r in rows]
            if len(cells) == 1:
                return "[" + ", ".join(cells[0]) + "]"
            return "[" + ", ".join("[" + ", ".join(r) + "]" for r in cells) + "]"
        return body.replace("&", " ")

    def join(self, toks: list[_Tok]) -> str:
        out: list[str] = []
        prev: _Tok | None = None
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.kind == "char" and t.text in "^_":
                j = i + 1
                while j < len(toks) and toks[j].kind == "space":
                    j += 1
                arg = toks[j].text if j < len(toks) else ""
                out.append(_script(arg, SUP if t.text == "^" else SUB, t.text))
                prev, i = _Tok(out[-1], "atom"), j + 1
                k = i
                while k < len(toks) and toks[k].kind == "space":
                    k += 1
                if k > i and k < len(toks) and toks[k].text[:1].isalpha():
                    i = k  # "X^\\top X" is XᵀX: a product, as LaTeX (which ignores these spaces) sets it
                continue
            if prev is not None and prev.kind in ("frac", "func") and (t.text[:1].isalnum() or t.text[:1] in "‖√"):
                out.append(" ")  # "2/N X", "ln 2", not "2/NX", "ln2"
            out.append(t.text)
            prev, i = t, i + 1
        return "".join(out)

    @property
    def lw(self) -> Any:
        from pylatexenc import latexwalker

        return latexwalker


def _fallback(src: str) -> str:
    """If the parser ever fails: the formula with every command replaced by its name or symbol."""
    table = {**GREEK, **SYMBOLS}
    src = re.sub(r"\\[td]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", src)
    return re.sub(r"\\([A-Za-z]+|.)", lambda m: table.get(m.group(1), m.group(1)), src).replace("{", "").replace("}", "")


@lru_cache(maxsize=4096)
def formula(src: str) -> str:
    """One formula as readable Unicode text, without the dollars."""
    try:
        from pylatexenc import latexwalker

        walker = latexwalker.LatexWalker(src.strip(), latex_context=_context(), tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        out = _Writer().nodes(nodes)
    except Exception:  # the parser is tolerant; this is a last resort, not an expected path
        out = _fallback(src.strip())
    out = unicodedata.normalize("NFC", out)
    # spaces around relations, so that "a=b≤c" reads "a = b ≤ c"
    out = re.sub(rf"\s*([{RELATIONS}])\s*", r" \1 ", out).strip()
    return re.sub(r" {2,}", " ", out)


_STRAY = re.compile(r"\\[A-Za-z]+(?:\{[^{}]*\}|\[[^\]]*\]|(?<=frac)\d\d|\s*\{[^{}]*\})*")


def to_unicode(text: str) -> str:
    """Replace every ``$...$`` and ``$$...$$`` in a Markdown text with its readable form; a command
    written outside dollars is converted too (a display formula gets a line of its own)."""
    if "$" in text:

        def sub(m: re.Match[str]) -> str:
            if m.group(1) is not None:
                return "\n\n    " + formula(m.group(1)) + "\n\n"
            return formula(m.group(2))

        text = re.sub(r"\n{3,}", "\n\n", _MATH.sub(sub, text))
    if "\\" in text and _STRAY.search(text):
        text = _STRAY.sub(lambda m: formula(m.group(0)), text)
    return text
