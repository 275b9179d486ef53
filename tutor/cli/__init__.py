"""The ``tutor`` command. Imports lazily: ``tutor --version`` and ``tutor list`` load no numpy,
Textual or plotext. One module per group of commands; each registers itself on ``cli``."""

from __future__ import annotations

from tutor.cli import author, lab, learn, quizcmd  # noqa: F401  (they register their commands)
from tutor.cli.base import cli, fail

__all__ = ["cli", "main"]


def main() -> None:
    try:
        cli(prog_name="tutor")
    except KeyboardInterrupt:
        fail("Interrupted.", 130)
