"""The entry point. A plain ``tutor`` in a terminal goes straight to the app; everything else goes
through the command-line parser (``tutor.cli``), which the app's start-up does not need to load."""

from __future__ import annotations

import sys


def install_runner() -> None:
    """Wire the laboratory into the sessions: the core never imports it (tutor.core.runner)."""
    from tutor.core import runner
    from tutor.experiments import run_step  # light: the numerics load on the first experiment

    runner.install(run_step)


def main() -> None:
    install_runner()
    if len(sys.argv) == 1 and sys.stdin.isatty() and sys.stdout.isatty():
        from tutor.tui.app import run_app

        run_app()
        return
    from tutor.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
