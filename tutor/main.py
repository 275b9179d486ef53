"""The entry point. A plain ``tutor`` in a terminal goes straight to the app; everything else goes
through the command-line parser (``tutor.cli``), which the app's start-up does not need to load."""

from __future__ import annotations

import sys


def main() -> None:
    if len(sys.argv) == 1 and sys.stdin.isatty() and sys.stdout.isatty():
        from tutor.tui.app import run_app

        run_app()
        return
    from tutor.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
