"""What the terminal can show. Light imports only: the app asks it before its first frame."""

from __future__ import annotations


def unicode_ok() -> bool:
    """Whether the terminal can show braille and symbols (``tutor.charset.ascii_mode`` decides:
    the locale, the output encoding, TERM, TUTOR_ASCII)."""
    from tutor.charset import ascii_mode

    return not ascii_mode()
