"""The entry point. A plain ``tutor`` in a terminal goes straight to the app; everything else goes
through the command-line parser (``tutor.cli``), which the app's start-up does not need to load."""

from __future__ import annotations

import sys
from typing import Any


def _tty(stream: Any) -> bool:
    """``isatty()``, and False for a stream that is closed (``tutor <&-`` leaves ``sys.stdin`` None)."""
    try:
        return stream is not None and bool(stream.isatty())
    except (ValueError, OSError):
        return False


def _safe_streams() -> None:
    """No UnicodeEncodeError on an ASCII or Latin-1 stdout, or for stray bytes in an argument: what the
    encoding cannot show becomes '?'. Input that is not text in stdin's encoding becomes U+FFFD, which
    the answer checker then calls unreadable."""
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def install_runner() -> None:
    """Wire the laboratory into the sessions: the core never imports it (tutor.core.runner)."""
    from tutor.core import runner
    from tutor.experiments import run_step  # light: the numerics load on the first experiment

    runner.install(run_step)


def main() -> None:
    from tutor.tui import gcpause

    gcpause.pause()  # resumed after the app's first frame, or below for every other command
    _safe_streams()
    install_runner()
    if sys.stdout is None:
        if sys.stderr is not None:
            sys.stderr.write("tutor: standard output is closed, so there is nowhere to show anything; "
                             "run the tutor with its output going to a terminal, a pipe or a file.\n")
        sys.exit(2)
    if len(sys.argv) == 1 and _tty(sys.stdin) and _tty(sys.stdout):
        from tutor.core.errors import TutorError
        from tutor.tui.app import run_app

        try:
            run_app()
        except TutorError as exc:  # a store that cannot be used: the same message as `tutor list` gives
            sys.stderr.write(f"tutor: {exc}\n")
            sys.exit(2)
        return
    gcpause.resume()
    from tutor.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
