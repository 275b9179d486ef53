"""What the terminal can show. Imports only ``os``: the app asks it before its first frame."""

from __future__ import annotations

import os


def unicode_ok() -> bool:
    """Whether the terminal can show braille and symbols: a UTF-8 locale, and no TUTOR_ASCII.

    Python "coerces" a C locale to C.UTF-8 for itself (PEP 538) and says so in LC_CTYPE; the
    terminal still has the C locale, so that case counts as ASCII, as does no locale at all.
    """
    env = os.environ
    if env.get("TUTOR_ASCII"):
        return False
    lc_all, lc_ctype, lang = env.get("LC_ALL", ""), env.get("LC_CTYPE", ""), env.get("LANG", "")
    if lc_all:
        value = lc_all
    elif lc_ctype and not (lc_ctype == "C.UTF-8" and lang in ("", "C", "POSIX")):
        value = lc_ctype
    else:
        value = lang
    return "utf8" in value.lower().replace("-", "")
