"""Progress as a bar of text. Imports nothing: the catalog's first frame uses it."""

from __future__ import annotations


def bar(fraction: float, width: int = 10, ascii: bool = False) -> str:
    """A progress bar: ``███░░░`` (``##...`` in ASCII)."""
    full = round(max(0.0, min(1.0, fraction)) * width)
    on, off = ("#", ".") if ascii else ("█", "░")
    return on * full + off * (width - full)
